"""Gebieden: the gemeente / wijk / buurt tree, edited in place and imported from a CSV."""

from __future__ import annotations

from flask import make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey import htmx
from survey.extensions import db
from survey.models import Area
from survey.services import areas
from survey.services.areas import AreaError
from survey.web.officer import add_nav, bp, roles_required

AREA_ROLES = ("editor",)

add_nav("officer.areas", _l("Gebieden"), 60)


def _page(status: int = 200, **context):
    context.setdefault("edit", request.args.get("edit", type=int))
    body = render_template(
        "officer/areas.html",
        tree=areas.tree(),
        wijken=areas.parents_for("buurt"),
        gemeenten=areas.parents_for("wijk"),
        **context,
    )
    return make_response(body, status)


@bp.get("/areas", endpoint="areas")
@roles_required(*AREA_ROLES)
def show_areas():
    """The area tree, the form to add one, and the CSV import."""
    return _page()


@bp.post("/areas")
@roles_required(*AREA_ROLES)
def add_area():
    """Add a gemeente, wijk or buurt."""
    form = request.form
    try:
        area = areas.add_area(
            current_user,
            form.get("level", ""),
            form.get("name", ""),
            form.get("parent_id", ""),
            form.get("cbs_code", ""),
            form.get("postcodes", ""),
        )
    except AreaError as exc:
        return _page(422, add_error=exc.message)
    return htmx.see_other(url_for("officer.areas", added=area.id) + f"#area-{area.id}")


@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@roles_required(*AREA_ROLES)
def edit_area(area_id: int):
    """One area's line, or its edit form in place (htmx); POST saves it."""
    area = db.get_or_404(Area, area_id)
    if request.method == "GET":
        editing = request.args.get("edit") == "1"
        if not htmx.is_htmx():
            return htmx.see_other(url_for("officer.areas", edit=area.id) + f"#area-{area.id}")
        return htmx.vary(
            make_response(render_template("officer/_area_row.html", area=area, editing=editing))
        )
    form = request.form
    try:
        areas.update_area(
            current_user,
            area,
            form.get("name", ""),
            form.get("cbs_code", ""),
            form.get("postcodes", ""),
        )
    except AreaError as exc:
        db.session.rollback()
        if htmx.is_htmx():
            body = render_template(
                "officer/_area_row.html", area=area, editing=True, error=exc.message, form=form
            )
            return htmx.vary(make_response(body, 422))
        return _page(422, edit=area.id, edit_error=exc.message, form=form)
    if htmx.is_htmx():
        body = render_template("officer/_area_row.html", area=area, saved=True)
        return htmx.vary(make_response(body))
    return htmx.see_other(url_for("officer.areas") + f"#area-{area.id}")


@bp.post("/areas/import")
@roles_required(*AREA_ROLES)
def import_areas():
    """Read a CSV of areas with CBS codes; report bad rows by line number."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(422, import_error=_("Kies eerst een CSV-bestand."))
    try:
        report = areas.import_areas(current_user, upload.read())
    except AreaError as exc:
        return _page(422, import_error=exc.message)
    stored = report.added + report.changed + report.unchanged
    return _page(422 if report.errors and not stored else 200, report=report)

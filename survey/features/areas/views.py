"""Gebieden: the gemeente / wijk / buurt tree, edited in place and imported from a CSV."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core import htmx
from survey.core.access import add_nav, roles_required
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.areas import service as areas
from survey.models import Area

bp = Blueprint("areas", __name__, url_prefix="/officer", template_folder="templates")
AREA_ROLES = ("editor",)

add_nav("areas.index", _l("Gebieden"), 60)


def _page(status: int = 200, **context):
    context.setdefault("edit", request.args.get("edit", type=int))
    body = render_template(
        "areas/areas.html",
        tree=areas.tree(),
        wijken=areas.parents_for("buurt"),
        gemeenten=areas.parents_for("wijk"),
        **context,
    )
    return make_response(body, status)


@bp.get("/areas")
@roles_required(*AREA_ROLES)
def index():
    """The area tree, the form to add one, and the CSV import."""
    return _page()


@bp.post("/areas")
@roles_required(*AREA_ROLES)
def add():
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
    except UserError as exc:
        return _page(422, add_error=exc.message)
    return htmx.see_other(url_for("areas.index", added=area.id) + f"#area-{area.id}")


@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@roles_required(*AREA_ROLES)
def edit(area_id: int):
    """One area's line, or its edit form in place (htmx); POST saves it."""
    area = db.get_or_404(Area, area_id)
    if request.method == "GET":
        editing = request.args.get("edit") == "1"
        if not htmx.is_htmx():
            return htmx.see_other(url_for("areas.index", edit=area.id) + f"#area-{area.id}")
        return htmx.vary(
            make_response(render_template("areas/_area_row.html", area=area, editing=editing))
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
    except UserError as exc:
        if htmx.is_htmx():
            body = render_template(
                "areas/_area_row.html", area=area, editing=True, error=exc.message, form=form
            )
            return htmx.vary(make_response(body, 422))
        return _page(422, edit=area.id, edit_error=exc.message, form=form)
    if htmx.is_htmx():
        body = render_template("areas/_area_row.html", area=area, saved=True)
        return htmx.vary(make_response(body))
    return htmx.see_other(url_for("areas.index") + f"#area-{area.id}")


@bp.post("/areas/import")
@roles_required(*AREA_ROLES)
def import_file():
    """Read a CSV of areas with CBS codes; report bad rows by line number."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(422, import_error=_("Kies eerst een CSV-bestand."))
    try:
        report = areas.import_areas(current_user, upload.read())
    except UserError as exc:
        return _page(422, import_error=exc.message)
    stored = report.added + report.changed + report.unchanged
    return _page(422 if report.errors and not stored else 200, report=report)

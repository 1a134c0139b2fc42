"""Gebieden: the gemeente / wijk / buurt tree, edited in place and imported from a CSV."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core import htmx
from survey.core.access import add_nav, roles_required
from survey.core.errors import UserError
from survey.core.forms import UploadForm, refuse
from survey.extensions import db
from survey.features.areas import boundaries as area_boundaries
from survey.features.areas import figures as area_figures
from survey.features.areas import service as areas
from survey.features.areas.forms import AreaForm, BoundariesForm, FiguresForm, NewAreaForm
from survey.models import Area

bp = Blueprint("areas", __name__, url_prefix="/officer", template_folder="templates")
AREA_ROLES = ("editor",)

add_nav("areas.index", _l("Gebieden"), 60)


@bp.context_processor
def _helpers() -> dict:
    return {"key_figures": area_figures.key_figures}


def _page(status: int = 200, **context):
    context.setdefault("edit", request.args.get("edit", type=int))
    context.setdefault("add_form", NewAreaForm(formdata=None))
    context.setdefault("import_form", UploadForm(formdata=None))
    context.setdefault("figures_form", FiguresForm(formdata=None))
    context.setdefault("boundaries_form", BoundariesForm(formdata=None))
    body = render_template(
        "areas/areas.html",
        tree=areas.tree(),
        wijken=areas.parents_for("buurt"),
        gemeenten=areas.parents_for("wijk"),
        **context,
    )
    return make_response(body, status)


def _row(area: Area, status: int = 200, **context):
    body = render_template("areas/_area_row.html", area=area, **context)
    return htmx.vary(make_response(body, status))


@bp.get("/areas")
@roles_required(*AREA_ROLES)
def index():
    """The area tree, the form to add one, and the CSV import."""
    return _page()


@bp.post("/areas")
@roles_required(*AREA_ROLES)
def add():
    """Add a gemeente, wijk or buurt."""
    form = NewAreaForm()
    if form.validate():
        try:
            area = areas.add_area(current_user, **form.values())
            return htmx.see_other(url_for("areas.index", added=area.id) + f"#area-{area.id}")
        except UserError as exc:
            refuse(form, exc)
    return _page(422, add_form=form)


@bp.get("/areas/<int:area_id>")
@roles_required(*AREA_ROLES)
def show(area_id: int):
    """One area's line, or (?edit=1) its edit form in place of it (htmx)."""
    area = db.get_or_404(Area, area_id)
    if not htmx.is_htmx():
        return htmx.see_other(url_for("areas.index", edit=area.id) + f"#area-{area.id}")
    if request.args.get("edit") == "1":
        return _row(area, editing=True, form=AreaForm.of(area))
    return _row(area)


@bp.post("/areas/<int:area_id>")
@roles_required(*AREA_ROLES)
def edit(area_id: int):
    """Save an area's name, CBS code and postcodes."""
    area = db.get_or_404(Area, area_id)
    form = AreaForm.of(area)
    if form.validate():
        try:
            areas.update_area(current_user, area, **form.values())
        except UserError as exc:
            refuse(form, exc)
    if form.errors and htmx.is_htmx():
        return _row(area, 422, editing=True, form=form)
    if form.errors:
        return _page(422, edit=area.id, edit_form=form)
    if htmx.is_htmx():
        return _row(area, saved=True)
    return htmx.see_other(url_for("areas.index") + f"#area-{area.id}")


@bp.post("/areas/import")
@roles_required(*AREA_ROLES)
def import_file():
    """Read a CSV of areas with CBS codes; report bad rows by line number."""
    form = UploadForm()
    if form.validate():
        try:
            report = areas.import_areas(current_user, form.file.data.read())
        except UserError as exc:
            refuse(form, exc)
    if form.errors:
        return _page(422, import_form=form)
    stored = report.added + report.changed + report.unchanged
    return _page(422 if report.errors and not stored else 200, report=report)


@bp.post("/areas/figures")
@roles_required(*AREA_ROLES)
def import_figures():
    """Read CBS's "Kerncijfers wijken en buurten"; a bad row refuses the file, by line number."""
    form = FiguresForm()
    report = None
    if form.validate():
        try:
            data = form.file.data.read()
            report = area_figures.import_area_figures(current_user, data, form.year.data)
        except UserError as exc:
            refuse(form, exc)
    if form.errors or report is None or report.errors:
        return _page(422, figures_form=form, figures_report=report)
    flash(area_figures.summary(report))
    return htmx.see_other(url_for("areas.index") + "#figures-heading")


@bp.post("/areas/boundaries")
@roles_required(*AREA_ROLES)
def import_boundaries():
    """Read a GeoJSON file of boundaries; a bad feature refuses the file, by its number."""
    form = BoundariesForm()
    if form.validate():
        try:
            report = area_boundaries.import_boundaries(current_user, form.file.data.read())
        except UserError as exc:
            refuse(form, exc)
    if form.errors:
        return _page(422, boundaries_form=form)
    flash(area_boundaries.summary(report))
    return htmx.see_other(url_for("areas.index") + "#boundaries-heading")

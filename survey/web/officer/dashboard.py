"""The live dashboard of a survey, and the exports that use the same filters."""

from __future__ import annotations

from flask import Response, abort, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey import htmx
from survey.extensions import db
from survey.i18n import current_lang
from survey.models import Survey
from survey.services import dashboard, exports
from survey.web.officer import add_survey_tab, bp, roles_required

add_survey_tab("officer.dashboard", _l("Dashboard"), 50)
POLL_SECONDS = 5


@bp.get("/surveys/<int:survey_id>/dashboard", endpoint="dashboard")
@roles_required("analyst", "editor")
def dashboard_page(survey_id: int):
    """Figures per buurt, channel, day and question; htmx polls the fragment."""
    survey = db.get_or_404(Survey, survey_id)
    filters = dashboard.Filters.from_args(request.args)
    figures = dashboard.build_dashboard(survey, filters, current_lang())
    context = {"survey": survey, "filters": filters, "d": figures, "poll": POLL_SECONDS}
    if htmx.is_htmx():
        return htmx.vary(make_response(render_template("officer/_dashboard.html", **context)))
    choices = dashboard.filter_choices(survey)
    page = render_template("officer/dashboard.html", choices=choices, **context)
    return htmx.vary(make_response(page))


@bp.get("/surveys/<int:survey_id>/export.<any(csv, xlsx):fmt>")
@roles_required("analyst", "editor")
def export(survey_id: int, fmt: str):
    """One row per response, one column per question, with the dashboard's filters."""
    survey = db.get_or_404(Survey, survey_id)
    filters = dashboard.Filters.from_args(request.args)
    labels = request.args.get("labels", "nl")
    if labels not in survey.languages and labels != "nl":
        abort(400)
    data = exports.export_responses(survey, filters, labels, fmt, current_user)
    response = Response(data, mimetype=exports.MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{survey.slug}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response

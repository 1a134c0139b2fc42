"""Responses: the paged table, the review of open answers, and the paper import."""

from __future__ import annotations

from flask import abort, flash, make_response, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey import htmx
from survey.extensions import db
from survey.models import Survey
from survey.services import dashboard, imports
from survey.web.officer import add_survey_tab, bp, roles_required

add_survey_tab("officer.responses", _l("Reacties"), 60)
add_survey_tab("officer.open_answers", _l("Open antwoorden"), 65)
REPORT_KEY = "import_report"
MAX_REPORTED = 20  # lines with errors kept for the page after the upload


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() else 1


@bp.get("/surveys/<int:survey_id>/responses", endpoint="responses")
@roles_required("analyst", "editor")
def responses_page(survey_id: int):
    """All responses of a survey, paged, with the dashboard's filters."""
    survey = db.get_or_404(Survey, survey_id)
    filters = dashboard.Filters.from_args(request.args)
    page = dashboard.list_responses(survey, filters, _page_number())
    choices = dashboard.filter_choices(survey)
    return render_template(
        "officer/responses.html", survey=survey, filters=filters, page=page, choices=choices
    )


@bp.get("/surveys/<int:survey_id>/open-answers")
@roles_required("analyst", "editor")
def open_answers(survey_id: int):
    """Open answers to read and moderate."""
    survey = db.get_or_404(Survey, survey_id)
    filters = dashboard.Filters.from_args(request.args)
    state = request.args.get("state") or None
    page = dashboard.open_answers(survey, filters, state, _page_number())
    return render_template(
        "officer/responses_open.html",
        survey=survey,
        filters=filters,
        state=state,
        page=page,
        choices=dashboard.filter_choices(survey),
        states=dashboard.MODERATION_STATES,
    )


@bp.post("/surveys/<int:survey_id>/answers/<int:answer_id>/moderation")
@roles_required("analyst", "editor")
def moderate(survey_id: int, answer_id: int):
    """Hide, approve or mark an open answer as personal; htmx gets the row back."""
    survey = db.get_or_404(Survey, survey_id)
    try:
        answer = dashboard.moderate_answer(
            survey, answer_id, request.form.get("state", ""), current_user
        )
    except dashboard.ModerationError:
        abort(400)
    if htmx.is_htmx():
        fragment = render_template("officer/_response_answer.html", survey=survey, answer=answer)
        return htmx.vary(make_response(fragment))
    back = request.form.get("next") or ""
    if not back.startswith(f"/officer/surveys/{survey.id}/"):
        back = url_for("officer.open_answers", survey_id=survey.id)
    return htmx.see_other(back)


@bp.route("/surveys/<int:survey_id>/import", methods=["GET", "POST"])
@roles_required("editor")
def import_responses(survey_id: int):
    """Upload a CSV of paper forms; the report is shown after the redirect."""
    survey = db.get_or_404(Survey, survey_id)
    if request.method == "GET":
        report = session.pop(REPORT_KEY, None)
        return render_template("officer/responses_import.html", survey=survey, report=report)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Kies eerst een CSV-bestand."))
        return htmx.see_other(url_for("officer.import_responses", survey_id=survey.id))
    try:
        result = imports.import_responses(survey, upload.read(), current_user, upload.filename)
    except imports.ImportFileError as exc:
        session[REPORT_KEY] = {"file_error": str(exc)}
    else:
        session[REPORT_KEY] = {
            "added": result.added,
            "already": result.already,
            "invalid": len(result.errors),
            "errors": result.errors[:MAX_REPORTED],
        }
    return htmx.see_other(url_for("officer.import_responses", survey_id=survey.id))

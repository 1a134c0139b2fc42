"""Responses and the dashboard: live figures, the paged table, the review of open answers,
the exports with the same filters, and the paper import."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core import charts, htmx
from survey.core.access import add_survey_tab, roles_required
from survey.core.database import parse_id
from survey.core.errors import UserError
from survey.core.forms import UploadForm, summary
from survey.core.i18n import current_lang
from survey.core.security import private
from survey.extensions import db
from survey.features.responses import dashboard, exports, imports, maps, themes, weighted
from survey.features.responses import service as responses
from survey.features.responses.filters import Filters, filter_choices
from survey.features.responses.forms import (
    EraseForm,
    ModerationForm,
    PersonalDataForm,
    ThemeCountForm,
    ThemeFlagForm,
    ThemeMergeForm,
    ThemeNameForm,
)
from survey.models import Survey

bp = Blueprint("responses", __name__, url_prefix="/officer", template_folder="templates")
ANALYSTS = ("analyst", "editor")
POLL_SECONDS = 5
REPORT_KEY = "import_report"
MAX_REPORTED = 20  # lines with errors kept for the page after the upload

add_survey_tab("responses.dashboard", _l("Dashboard"), 50)
add_survey_tab("responses.index", _l("Reacties"), 60)
add_survey_tab("responses.open_answers", _l("Open antwoorden"), 65)


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return parse_id(raw) or 1


@bp.get("/surveys/<int:survey_id>/dashboard", endpoint="dashboard")
@roles_required(*ANALYSTS)
def dashboard_page(survey_id: int):
    """Figures per buurt, channel, day and question; htmx polls the fragment."""
    survey = db.get_or_404(Survey, survey_id)
    filters = Filters.from_args(request.args)
    figures = dashboard.build_dashboard(survey, filters, current_lang())
    context = {
        "survey": survey,
        "filters": filters,
        "d": figures,
        "poll": POLL_SECONDS,
        "charts": charts,
    }
    context["area_map"] = maps.dashboard_map(figures, filters.area_id)
    if htmx.is_htmx():
        return htmx.vary(make_response(render_template("responses/_dashboard.html", **context)))
    choices = filter_choices(survey)
    page = render_template("responses/dashboard.html", choices=choices, **context)
    return htmx.vary(make_response(page))


@bp.get("/surveys/<int:survey_id>/dashboard/gewogen", endpoint="weighted")
@roles_required(*ANALYSTS)
def weighted_page(survey_id: int):
    """The closed questions weighted to each buurt's CBS age and household make-up."""
    survey = db.get_or_404(Survey, survey_id)
    filters = Filters.from_args(request.args)
    lang = current_lang()
    view = weighted.build(survey, filters, lang, dashboard.build_dashboard(survey, filters, lang))
    return render_template(
        "responses/weighted.html", survey=survey, filters=filters, w=view, sample=weighted.SAMPLE
    )


@bp.get("/surveys/<int:survey_id>/export.<any(csv, xlsx, sav):fmt>")
@roles_required(*ANALYSTS)
def export(survey_id: int, fmt: str):
    """One row per response, one column per question, with the dashboard's filters."""
    survey = db.get_or_404(Survey, survey_id)
    filters = Filters.from_args(request.args)
    labels = request.args.get("labels", "nl")
    if labels not in survey.languages and labels != "nl":
        abort(400)
    data = exports.export_responses(survey, filters, labels, fmt, current_user)
    response = Response(data, mimetype=exports.MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{survey.slug}.{fmt}"'
    return private(response)


@bp.get("/surveys/<int:survey_id>/responses")
@roles_required(*ANALYSTS)
def index(survey_id: int):
    """All responses of a survey, paged, with the dashboard's filters."""
    survey = db.get_or_404(Survey, survey_id)
    filters = Filters.from_args(request.args)
    responses.record_view(current_user, survey, "view_responses", filters, _page_number())
    page = responses.list_responses(survey, filters, _page_number())
    choices = filter_choices(survey)
    return render_template(
        "responses/index.html", survey=survey, filters=filters, page=page, choices=choices
    )


@bp.get("/surveys/<int:survey_id>/open-answers")
@roles_required(*ANALYSTS)
def open_answers(survey_id: int):
    """Open answers to read and moderate, and the themes of each open question."""
    survey = db.get_or_404(Survey, survey_id)
    filters = Filters.from_args(request.args)
    responses.record_view(current_user, survey, "view_open_answers", filters, _page_number())
    return _open_answers_page(survey, filters)


def _open_answers_page(survey: Survey, filters: Filters):
    state = request.args.get("state") or None
    page = responses.open_answers(survey, filters, state, _page_number())
    return render_template(
        "responses/open_answers.html",
        survey=survey,
        filters=filters,
        state=state,
        page=page,
        cap=responses.OPEN_ANSWERS_CAP,
        choices=filter_choices(survey),
        states=responses.SHOWN_STATES,
        themes=themes.refresh_themes(survey),
    )


def _themes_back(survey: Survey, question_id: int | None, error=None, status: int = 422):
    """htmx gets the question's themes back; without JavaScript, the page (303, or a 4xx with
    the message when the input was refused)."""
    status = status if error else 200
    if htmx.is_htmx():
        views = themes.refresh_themes(survey)
        view = next((v for v in views if v.question.id == question_id), None)
        if view is None:
            error_page = render_template("_error.html", message=error, status=status)
            return htmx.vary(make_response(error_page, status))
        fragment = render_template(
            "responses/_themes.html", survey=survey, view=view, fragment_error=error
        )
        return htmx.vary(make_response(fragment, status))
    if error:
        return render_template("error.html", message=error, status=status, fragment=False), status
    anchor = f"#themes-{question_id}" if question_id else ""
    return htmx.see_other(url_for("responses.open_answers", survey_id=survey.id) + anchor)


@bp.post("/surveys/<int:survey_id>/themes/<int:theme_id>/name")
@roles_required(*ANALYSTS)
def rename_theme(survey_id: int, theme_id: int):
    """Give a theme a name of one's own."""
    survey = db.get_or_404(Survey, survey_id)
    form = ThemeNameForm()
    return _edit_theme(
        survey,
        theme_id,
        form,
        lambda: themes.rename_theme(survey, theme_id, form.name.data, current_user),
    )


@bp.post("/surveys/<int:survey_id>/themes/<int:theme_id>/flag")
@roles_required(*ANALYSTS)
def flag_theme(survey_id: int, theme_id: int):
    """Hide or show a theme, or approve it for the public results."""
    survey = db.get_or_404(Survey, survey_id)
    form = ThemeFlagForm()
    return _edit_theme(
        survey,
        theme_id,
        form,
        lambda: themes.flag_theme(survey, theme_id, form.flag.data, current_user),
    )


@bp.post("/surveys/<int:survey_id>/themes/<int:theme_id>/merge")
@roles_required(*ANALYSTS)
def merge_theme(survey_id: int, theme_id: int):
    """Put a theme's answers into another theme of the same question."""
    survey = db.get_or_404(Survey, survey_id)
    form = ThemeMergeForm()
    return _edit_theme(
        survey,
        theme_id,
        form,
        lambda: themes.merge_themes(survey, theme_id, form.into.data, current_user),
    )


def _edit_theme(survey: Survey, theme_id: int, form, edit):
    """Check the form, make the edit, and send the question's themes back."""
    question_id = themes.question_of(survey, theme_id)
    if question_id is None:
        return _themes_back(survey, None, themes.UNKNOWN_THEME, 404)
    if not form.validate():
        return _themes_back(survey, question_id, summary(form))
    try:
        edit()
    except UserError as exc:
        return _themes_back(survey, question_id, exc.message)
    return _themes_back(survey, question_id)


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/themes")
@roles_required(*ANALYSTS)
def theme_count(survey_id: int, question_id: int):
    """Set how many themes an open question gets (empty: the computer chooses)."""
    survey = db.get_or_404(Survey, survey_id)
    form = ThemeCountForm()
    if not form.validate():
        return _themes_back(survey, question_id, summary(form))
    try:
        themes.set_theme_count(survey, question_id, form.k.data, current_user)
    except UserError as exc:
        return _themes_back(survey, question_id, exc.message)
    return _themes_back(survey, question_id)


@bp.post("/surveys/<int:survey_id>/answers/<int:answer_id>/moderation")
@roles_required(*ANALYSTS)
def moderate(survey_id: int, answer_id: int):
    """Hide, approve or mark an open answer as personal; htmx gets the row back."""
    survey = db.get_or_404(Survey, survey_id)
    form = ModerationForm()
    if not form.validate():
        abort(400)  # only the buttons send a state
    try:
        answer = responses.moderate_answer(survey, answer_id, form.state.data, current_user)
    except UserError:
        abort(400)
    return _answer_back(survey, answer, form)


@bp.post("/surveys/<int:survey_id>/answers/<int:answer_id>/personal-data")
@roles_required(*ANALYSTS)
def personal_data(survey_id: int, answer_id: int):
    """Confirm the personal data found in an open answer (stays masked) or clear the mark."""
    survey = db.get_or_404(Survey, survey_id)
    form = PersonalDataForm()
    if not form.validate():
        abort(400)  # only the buttons send a decision
    try:
        answer = responses.decide_personal_data(survey, answer_id, form.decision.data, current_user)
    except UserError:
        abort(400)
    return _answer_back(survey, answer, form)


def _answer_back(survey: Survey, answer, form):
    """htmx gets the answer's row back; without JavaScript, the list it came from."""
    if htmx.is_htmx():
        area = responses.row_area_name(survey, answer.response.area_id)
        fragment = render_template(
            "responses/_answer.html", survey=survey, answer=answer, area=area
        )
        return htmx.vary(make_response(fragment))
    back = form.back(survey.id) or url_for("responses.open_answers", survey_id=survey.id)
    return htmx.see_other(back)


ERASERS = ("editor",)  # and admin: erasing on a resident's request changes the data


@bp.route("/surveys/<int:survey_id>/responses/<int:response_id>/erase", methods=["GET", "POST"])
@roles_required(*ERASERS)
def erase_response(survey_id: int, response_id: int):
    """Erase one whole response on request: a confirm page, then the erasure."""
    survey = db.get_or_404(Survey, survey_id)
    target = responses.erasable_response(survey, response_id) or abort(404)
    form = EraseForm(request.values)
    back = form.back(survey.id) or url_for("responses.index", survey_id=survey.id)
    if request.method == "POST" and form.validate():
        responses.erase_response(survey, target, current_user)
        flash(_l("Reactie %(n)s is gewist.", n=response_id))
        return htmx.see_other(back)
    context = {"survey": survey, "response": target, "answer": None, "back": back}
    return render_template("responses/erase.html", **context)


@bp.route("/surveys/<int:survey_id>/answers/<int:answer_id>/erase", methods=["GET", "POST"])
@roles_required(*ERASERS)
def erase_answer(survey_id: int, answer_id: int):
    """Erase one answer on request: a confirm page, then the erasure."""
    survey = db.get_or_404(Survey, survey_id)
    target = responses.erasable_answer(survey, answer_id) or abort(404)
    form = EraseForm(request.values)
    back = form.back(survey.id) or url_for("responses.open_answers", survey_id=survey.id)
    if request.method == "POST" and form.validate():
        responses.erase_answer(survey, target, current_user)
        flash(_l("Het antwoord is gewist."))
        return htmx.see_other(back)
    context = {"survey": survey, "response": target.response, "answer": target, "back": back}
    return render_template("responses/erase.html", **context)


def _report(result: imports.ImportReport) -> dict:
    """What the page after the upload shows (kept in the session across the redirect)."""
    return {
        "added": result.added,
        "already": result.already,
        "invalid": len(result.errors),
        "errors": result.errors[:MAX_REPORTED],
    }


@bp.route("/surveys/<int:survey_id>/import", methods=["GET", "POST"])
@roles_required("editor")
def import_file(survey_id: int):
    """Upload a CSV of paper forms; the report is shown after the redirect."""
    survey = db.get_or_404(Survey, survey_id)
    if request.method == "GET":
        report = session.pop(REPORT_KEY, None)
        return render_template("responses/import.html", survey=survey, report=report)
    form = UploadForm()
    if not form.validate():
        flash(summary(form))  # shown on the page after the redirect, as before
        return htmx.see_other(url_for("responses.import_file", survey_id=survey.id))
    upload = form.file.data
    try:
        result = imports.import_responses(survey, upload.read(), current_user, upload.filename)
        session[REPORT_KEY] = _report(result)
    except UserError as exc:
        session[REPORT_KEY] = {"file_error": str(exc)}
    return htmx.see_other(url_for("responses.import_file", survey_id=survey.id))

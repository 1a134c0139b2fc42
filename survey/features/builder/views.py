"""The survey builder: new surveys, settings, questions edited in place, publish and close."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core import htmx
from survey.core.access import add_nav, add_survey_tab, may, roles_required
from survey.core.errors import UserError
from survey.core.forms import refuse, summary
from survey.core.i18n import LANGUAGE_NAMES
from survey.extensions import db
from survey.features.answering import service as answering
from survey.features.builder import home, pages, plain
from survey.features.builder import questions as editing
from survey.features.builder import service as builder
from survey.features.builder.forms import (
    ModuleForm,
    NewQuestionForm,
    NewSurveyForm,
    SettingsForm,
)
from survey.features.translations import service as translating
from survey.models import Question, Survey

bp = Blueprint("builder", __name__, url_prefix="/officer", template_folder="templates")

EDITORS = ("editor",)

add_nav("builder.index", _l("Peilingen"), 10)
add_survey_tab("builder.show", _l("Vragen"), 20)
add_survey_tab("builder.settings", _l("Instellingen"), 25)


@bp.app_context_processor
def builder_context():
    return pages.template_context()


def _form() -> dict[str, list[str]]:
    return request.form.to_dict(flat=False)


def _survey(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


def _question(survey_id: int, question_id: int) -> Question:
    question = db.get_or_404(Question, question_id)
    if question.survey_id != survey_id:
        abort(404)
    return question


@bp.get("/")
@roles_required("editor", "analyst", "coordinator")
def index():
    """The surveys of the municipality with how each is doing, the one with most to do first."""
    shown = home.Shown(
        responses=may("responses.dashboard"),
        queue=may("responses.open_answers"),
        volunteers=may("volunteers.index"),
        updates=may("feedback.index"),
    )
    cards = home.survey_cards(shown)
    return render_template(
        "builder/index.html",
        cards=cards,
        shown=shown,
        new_days=home.NEW_VOLUNTEER_DAYS,
        queue_cap=home.QUEUE_CAP,
    )


@bp.route("/surveys/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_survey():
    """Start a survey from scratch or from a shipped template."""
    templates = builder.shipped_templates()
    form = NewSurveyForm(templates)
    if form.validate_on_submit():
        try:
            survey = builder.create_survey(current_user, **form.values())
            return htmx.see_other(url_for("builder.show", survey_id=survey.id))
        except UserError as exc:
            refuse(form, exc)
    page = render_template("builder/new.html", templates=templates, form=form)
    return page, 422 if form.errors else 200


@bp.get("/surveys/<int:survey_id>/questions")
@roles_required(*EDITORS)
def show(survey_id: int):
    """The questions of a survey, each editable in place, with a phone preview."""
    survey = _survey(survey_id)
    edit = request.args.get("edit", type=int)
    current = next((q for q in survey.questions if q.id == edit), None)
    draft = editing.draft_of(current) if current else None
    context = pages.builder_context(survey, editing=edit, draft=draft, current=current)
    return render_template("builder/builder.html", **context)


@bp.route("/surveys/<int:survey_id>/settings", methods=["GET", "POST"])
@roles_required(*EDITORS)
def settings(survey_id: int):
    """Titles and texts per language, languages, themes, group size, dates."""
    survey = _survey(survey_id)
    form = SettingsForm.of(survey)
    if form.validate_on_submit():
        try:
            builder.update_settings(current_user, survey, form.values())
            return htmx.see_other(url_for("builder.settings", survey_id=survey.id, saved=1))
        except UserError as exc:
            refuse(form, exc)
    context = {"survey": survey, "areas": builder.settings_areas(), "form": form}
    return render_template("builder/settings.html", **context), 422 if form.errors else 200


@bp.post("/surveys/<int:survey_id>/questions")
@roles_required(*EDITORS)
def add_question(survey_id: int):
    """Append a new question and open it for editing."""
    survey = _survey(survey_id)
    form = NewQuestionForm()
    if form.validate():
        try:
            question = editing.add_question(current_user, survey, **form.values())
        except UserError as exc:
            refuse(form, exc)
    if form.errors:
        return pages.page_or_fragment(
            survey, "builder/_question_list.html", 422, add_error=summary(form)
        )
    return _opened(survey, question)


@bp.post("/surveys/<int:survey_id>/engagement-module")
@roles_required(*EDITORS)
def add_module(survey_id: int):
    """Add the module "Hoe doe jij mee?" (full or short) to a survey that lacks it."""
    survey = _survey(survey_id)
    form = ModuleForm()
    if form.validate():
        try:
            builder.add_module(current_user, survey, **form.values())
        except UserError as exc:
            refuse(form, exc)
    if form.errors:
        return pages.page_or_fragment(
            survey, "builder/_question_list.html", 422, list_error=summary(form)
        )
    return pages.page_or_fragment(survey, "builder/_question_list.html", anchor="#questions")


def _opened(survey: Survey, question: Question):
    """After adding a question: its edit form, in the list (htmx) or on the page."""
    if not htmx.is_htmx():
        url = url_for("builder.show", survey_id=survey.id, edit=question.id)
        return htmx.see_other(f"{url}#q-{question.id}")
    draft = editing.draft_of(question)
    context = {"editing": question.id, "draft": draft, "current": question}
    return pages.page_or_fragment(survey, "builder/_question_list.html", **context)


@bp.get("/surveys/<int:survey_id>/questions/<int:question_id>")
@roles_required(*EDITORS)
def question(survey_id: int, question_id: int):
    """One question as shown in the list (htmx: the fragment, e.g. after cancelling an edit)."""
    q = _question(survey_id, question_id)
    if not htmx.is_htmx():
        return htmx.see_other(url_for("builder.show", survey_id=survey_id) + f"#q-{q.id}")
    return pages.page_or_fragment(q.survey, "builder/_question_item.html", q=q, current=q)


@bp.get("/surveys/<int:survey_id>/questions/<int:question_id>/edit")
@roles_required(*EDITORS)
def edit_question(survey_id: int, question_id: int):
    """The edit form of one question, in place of its line."""
    q = _question(survey_id, question_id)
    if not htmx.is_htmx():
        url = url_for("builder.show", survey_id=survey_id, edit=q.id)
        return htmx.see_other(f"{url}#q-{q.id}")
    context = {"q": q, "draft": editing.draft_of(q), "current": q}
    return pages.page_or_fragment(q.survey, "builder/_question_form.html", **context)


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>")
@roles_required(*EDITORS)
def update_question(survey_id: int, question_id: int):
    """Save the edit form; an option action (add, move, remove a row) only redraws it."""
    q = _question(survey_id, question_id)
    draft = editing.read_draft(q.survey, q, _form())
    context = {"q": q, "draft": draft, "editing": q.id, "current": q}
    if request.form.get("action"):
        return pages.page_or_fragment(q.survey, "builder/_question_form.html", stay=True, **context)
    try:
        editing.update_question(current_user, q, draft)
    except UserError as exc:
        return pages.page_or_fragment(
            q.survey, "builder/_question_form.html", 422, error=exc.message, **context
        )
    return pages.page_or_fragment(
        q.survey, "builder/_question_item.html", anchor=f"#q-{q.id}", q=q, current=q, saved=True
    )


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/preview")
@roles_required(*EDITORS)
def preview_question(survey_id: int, question_id: int):
    """The phone preview of the edit form as it is now, before saving."""
    q = _question(survey_id, question_id)
    draft = editing.read_draft(q.survey, q, _form())
    shown = Question(
        code=q.code,
        type=q.type,
        text=draft["text"],
        help=draft["help"],
        options=[o for o in draft["options"] if o["text"]] or q.options,
        settings=draft["settings"],
        required=draft["required"],
        layer=draft["layer"],
    )
    context = {"survey": q.survey, "current": shown, "buurten": answering.buurten(q.survey)}
    return pages.phone_preview(context)


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/language")
@roles_required(*EDITORS)
def check_question(survey_id: int, question_id: int):
    """The B1 check of the edit form's Dutch texts as they are now, before saving."""
    q = _question(survey_id, question_id)
    draft = editing.read_draft(q.survey, q, _form())
    checks = plain.question_checks(draft["text"], draft["help"], draft["options"])
    return render_template("builder/_plain_language.html", checks=checks, plain_id=f"plain-e{q.id}")


@bp.post("/surveys/<int:survey_id>/settings/language")
@roles_required(*EDITORS)
def check_settings(survey_id: int):
    """The B1 check of the settings form's Dutch texts as they are now, before saving."""
    _survey(survey_id)
    texts = [request.form.get(f"{name}_nl", "") for name in ("title", "intro", "expectations")]
    checks = plain.survey_checks(*texts)
    return render_template("builder/_plain_language.html", checks=checks, plain_id="plain-settings")


@bp.get("/surveys/<int:survey_id>/questions/<int:question_id>/condition")
@roles_required(*EDITORS)
def condition(survey_id: int, question_id: int):
    """The answers to choose from for a show-if on the picked earlier question."""
    q = _question(survey_id, question_id)
    draft = editing.draft_of(q)
    code = request.args.get("show_if_question", "")
    draft["show_if"] = {"question": code, "in": []} if code else None
    return render_template("builder/_question_condition.html", q=q, draft=draft, survey=q.survey)


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/move")
@roles_required(*EDITORS)
def move_question(survey_id: int, question_id: int):
    """Move a question one place up or down within its layer."""
    q = _question(survey_id, question_id)
    try:
        editing.move_question(current_user, q, request.form.get("direction", ""))
    except UserError as exc:
        return pages.page_or_fragment(
            q.survey, "builder/_question_list.html", 409, list_error=exc.message
        )
    return pages.page_or_fragment(q.survey, "builder/_question_list.html", anchor=f"#q-{q.id}")


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/hide")
@roles_required(*EDITORS)
def hide_question(survey_id: int, question_id: int):
    """Hide a question from residents (its answers stay) or show it again."""
    q = _question(survey_id, question_id)
    editing.set_hidden(current_user, q, request.form.get("hidden") == "1")
    return pages.page_or_fragment(q.survey, "builder/_question_item.html", anchor=f"#q-{q.id}", q=q)


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/delete")
@roles_required(*EDITORS)
def delete_question(survey_id: int, question_id: int):
    """Remove a question without answers; refuse (409) when it has answers."""
    q = _question(survey_id, question_id)
    survey = q.survey
    try:
        editing.delete_question(current_user, q)
    except UserError as exc:
        return pages.page_or_fragment(
            survey, "builder/_question_list.html", 409, list_error=exc.message
        )
    return pages.page_or_fragment(survey, "builder/_question_list.html", anchor="#questions")


@bp.post("/surveys/<int:survey_id>/publish")
@roles_required(*EDITORS)
def publish(survey_id: int):
    """Open the survey for residents; warn (not refuse) when an offered language is incomplete."""
    reply = _status_change(survey_id, builder.publish_survey)
    survey = _survey(survey_id)
    published = getattr(reply, "status_code", None) == 303 and survey.status == "open"
    if published and (missing := translating.incomplete_languages(survey)):
        names = ", ".join(LANGUAGE_NAMES.get(code, code) for code in missing)
        flash(_("Let op: de vertaling is nog niet af in het %(languages)s.", languages=names))
    return reply


@bp.post("/surveys/<int:survey_id>/close")
@roles_required(*EDITORS)
def close(survey_id: int):
    """Close the survey: no new answers."""
    return _status_change(survey_id, builder.close_survey)


def _status_change(survey_id: int, change):
    survey = _survey(survey_id)
    try:
        change(current_user, survey)
    except UserError as exc:
        page = render_template(
            "builder/builder.html", **pages.builder_context(survey, status_error=exc.message)
        )
        return page, 422
    return htmx.see_other(url_for("builder.show", survey_id=survey.id))

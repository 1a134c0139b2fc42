"""Meningen: votes per statement, opinion groups and the moderation of a swipe survey."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core import htmx
from survey.core.access import add_survey_tab, has_role, roles_required
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.opinions import service as opinions
from survey.features.opinions.forms import PersonalDataForm, ReviewForm
from survey.models import Survey

bp = Blueprint("opinions", __name__, url_prefix="/officer", template_folder="templates")

add_survey_tab("opinions.show", _l("Meningen"), 60, kinds=("swipe",))
MARKERS = opinions.MARKERS


@bp.get("/surveys/<int:survey_id>/opinions")
@roles_required("analyst", "editor")
def show(survey_id: int):
    """How a swipe survey was voted on, which opinion groups exist, and what waits for review."""
    survey = db.get_or_404(Survey, survey_id)
    if survey.kind != "swipe":
        return render_template("opinions/opinions.html", survey=survey, swipe=False)
    frame = opinions.votes_frame(survey)
    result = opinions.opinion_groups(survey, frame)
    return render_template(
        "opinions/opinions.html",
        survey=survey,
        swipe=True,
        votes=opinions.statement_votes(survey, frame),
        result=result,
        questions={q.code: q for q in survey.questions},
        points=opinions.plot_points(result),
        markers=MARKERS,
        plot_size=opinions.PLOT_SIZE,
        pending=opinions.pending_statements(survey),
        can_review=has_role(("admin", "editor")),
    )


@bp.post("/surveys/<int:survey_id>/opinions/statements/<int:question_id>")
@roles_required("editor")
def review(survey_id: int, question_id: int):
    """Approve a resident's statement for everyone's deck, or reject it."""
    survey = db.get_or_404(Survey, survey_id)
    question = opinions.find_statement(survey, question_id) or abort(404)
    form = ReviewForm()
    if not form.validate():
        abort(400)  # only the two buttons send a decision
    opinions.review_statement(question, form.decision.data)
    approved = form.decision.data == "approved"
    flash(_("Uitspraak goedgekeurd.") if approved else _("Uitspraak afgewezen."))
    return htmx.see_other(url_for("opinions.show", survey_id=survey.id) + "#moderation")


@bp.post("/surveys/<int:survey_id>/opinions/statements/<int:question_id>/personal-data")
@roles_required("editor")
def personal_data(survey_id: int, question_id: int):
    """Confirm the personal data found in a resident's statement (stays masked) or clear it."""
    survey = db.get_or_404(Survey, survey_id)
    question = opinions.find_statement(survey, question_id) or abort(404)
    form = PersonalDataForm()
    if not form.validate():
        abort(400)  # only the two buttons send a decision
    try:
        opinions.decide_statement_personal_data(question, form.decision.data, current_user)
    except UserError:
        abort(400)
    return htmx.see_other(url_for("opinions.show", survey_id=survey.id) + "#moderation")

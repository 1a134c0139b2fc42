"""Swipe decks: the cards, the screen after the deck, statements of one's own, the 16+ check.

A card is the answering flow's question screen with the card template; the screen after the
last card replaces the done screen of a needs survey. Both are registered with answering.
"""

from __future__ import annotations

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _

from survey.core import htmx, limits
from survey.core.errors import UserError
from survey.core.i18n import current_lang
from survey.features.answering import service as answering
from survey.features.answering.views import (
    DONE_SCREENS,
    QUESTION_SCREENS,
    channel_or_404,
    render_screen,
    response_from_cookie,
)
from survey.features.opinions import service as opinions
from survey.features.swipe import service as swipe
from survey.features.volunteers.age import adult_confirmed, confirm_adult

bp = Blueprint("swipe", __name__, url_prefix="/s", template_folder="templates")


QUESTION_SCREENS["swipe"] = "swipe/card"


def done_page(channel, response, status: int = 200, text: str = "", error=None, **extra):
    """How others voted, the opinion groups with one's own place, a form for a statement of
    one's own, and the 16+ check."""
    survey = channel.survey
    return render_screen(
        "swipe/done",
        status,
        channel=channel,
        survey=survey,
        response=response,
        results=swipe.deck_results(survey, response),
        max_length=swipe.MAX_LENGTH,
        statement_text=text,
        statement_error=error,
        adult_confirmed=adult_confirmed(survey),
        groups=swipe.group_map(survey, response),
        statements={q.code: q for q in survey.questions},
        markers=opinions.MARKERS,
        plot_size=opinions.PLOT_SIZE,
        **extra,
    )


@bp.post("/<code>/uitspraak")
@limits.answering
def add_statement(code: str):
    """Store a statement of the resident's own; an officer approves it before others see it."""
    channel = channel_or_404(code)
    survey = channel.survey
    response = answering.find_response(survey, request.form.get("response"))
    response = response or response_from_cookie(survey)
    if response is None:
        return htmx.see_other(url_for("answering.intro", code=code))
    text = request.form.get("text", "")
    try:
        limits.check_human(request.form)
        swipe.add_statement(survey, response, text, current_lang())
    except UserError as exc:
        status = 429 if exc.code == "too_many" else 422
        return done_page(
            channel, response, status, text=text[: swipe.MAX_LENGTH], error=exc.message
        )
    flash(_("Dank je! We kijken eerst naar je uitspraak. Daarna zien anderen hem ook."))
    return htmx.see_other(url_for("answering.done", code=code))


@bp.post("/<code>/leeftijd")
def confirm_age(code: str):
    """Note in the session only (nowhere else) that the resident is 16 or older."""
    survey = channel_or_404(code).survey
    if request.form.get("adult") == "yes":
        confirm_adult(survey)
    else:
        flash(
            _("Zet een vinkje als je 16 of ouder bent. Ben je jonger? Dan hoef je niets te doen.")
        )
    return htmx.see_other(url_for("answering.done", code=code))


DONE_SCREENS["swipe"] = done_page

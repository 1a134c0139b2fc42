"""Swipe decks: the screen after the deck, statements of one's own, and the 16+ check.

The cards themselves are the resident flow's question screens (resident.py picks the card
template for a swipe survey); these views hang on the resident blueprint under /s/<code>/.
"""

from __future__ import annotations

from flask import flash, request, session, url_for
from flask_babel import gettext as _

from survey import htmx, limits
from survey.i18n import current_lang
from survey.services import answering, swipe
from survey.web.public import adult_confirmed
from survey.web.resident import _channel_or_404, _render, _response_from_cookie, bp

ADULT = "adult_confirmed"  # the survey ids for which this browser confirmed 16+ (read by public.py)
ADDED = "statements_added"


def done_page(channel, response, status: int = 200, text: str = "", error=None, **extra):
    """How others voted, a form for a statement of one's own, and the 16+ check."""
    survey = channel.survey
    return _render(
        "swipe_done",
        status,
        channel=channel,
        survey=survey,
        response=response,
        results=swipe.deck_results(survey, response),
        max_length=swipe.MAX_LENGTH,
        statement_text=text,
        statement_error=error,
        adult_confirmed=adult_confirmed(survey),
        **extra,
    )


@bp.post("/<code>/uitspraak")
@limits.answering
def add_statement(code: str):
    """Store a statement of the resident's own; an officer approves it before others see it."""
    channel = _channel_or_404(code)
    survey = channel.survey
    response = answering.find_response(survey, request.form.get("response"))
    response = response or _response_from_cookie(survey)
    if response is None:
        return htmx.see_other(url_for("resident.intro", code=code))
    text = request.form.get("text", "")
    try:
        limits.check_human(request.form)
        swipe.add_statement(survey, text, current_lang(), session.get(ADDED, 0))
    except (swipe.StatementRefused, limits.NotHuman) as exc:
        return done_page(channel, response, 422, text=text[: swipe.MAX_LENGTH], error=exc.message())
    session[ADDED] = session.get(ADDED, 0) + 1
    flash(_("Dank je! We kijken eerst naar je uitspraak. Daarna zien anderen hem ook."))
    return htmx.see_other(url_for("resident.done", code=code))


@bp.post("/<code>/leeftijd")
def confirm_age(code: str):
    """Note in the session only (nowhere else) that the resident is 16 or older."""
    survey = _channel_or_404(code).survey
    if request.form.get("adult") == "yes":
        confirmed = session.get(ADULT)
        ids = list(confirmed) if isinstance(confirmed, list) else []
        session[ADULT] = sorted(set(ids) | {survey.id})
    else:
        flash(
            _("Zet een vinkje als je 16 of ouder bent. Ben je jonger? Dan hoef je niets te doen.")
        )
    return htmx.see_other(url_for("resident.done", code=code))

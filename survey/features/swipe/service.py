"""Swipe decks for residents: how others voted, and statements of one's own."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from survey.core.errors import UserError
from survey.extensions import db
from survey.features.answering import service as answering
from survey.features.opinions import service as opinions
from survey.models import Question, Response, Survey, personal_data_mark

MIN_LENGTH = 10
MAX_LENGTH = 200
MAX_PER_RESPONSE = 3  # statements one response may add: enough for ideas, too few for spam

MESSAGES = {
    "empty": _l("Schrijf eerst je uitspraak."),
    "too_short": _l("Je uitspraak is te kort. Gebruik minstens %(min)s tekens.", min=MIN_LENGTH),
    "too_long": _l("Je uitspraak is te lang. Gebruik maximaal %(max)s tekens.", max=MAX_LENGTH),
    "too_many": _l("Je hebt al %(max)s uitspraken ingestuurd. Dank je wel!", max=MAX_PER_RESPONSE),
    "not_swipe": _l("Bij deze peiling kun je geen uitspraak toevoegen."),
}


def refused(code: str) -> UserError:
    """A resident's statement that cannot be stored, with the message for its code."""
    return UserError(MESSAGES[code], field="text", code=code)


def deck_results(survey: Survey, response: Response) -> list[dict]:
    """Per statement of the deck: how everyone voted (shown when enough did) and this vote."""
    own = answering.answers_of(response)
    return [
        {"votes": votes, "own": own.get(votes.question.code, "skip") or "skip"}
        for votes in opinions.statement_votes(survey)
    ]


def group_map(survey: Survey, response: Response) -> opinions.ResidentMap:
    """The opinion groups as anonymous dots, with the resident's own spot and group."""
    return opinions.resident_map(survey, response.id)


def add_statement(survey: Survey, response: Response, text: str | None, lang: str) -> Question:
    """Store a resident's statement; it waits for an officer's approval before others see it.

    Personal data in it is marked on arrival, and masked wherever the statement is shown.

    The cap is counted on the response in the database (one conditional UPDATE), so neither a
    replayed cookie nor parallel posts lift it.
    """
    text = " ".join((text or "").replace("\x00", "").split())  # NUL: never stored
    if survey.kind != "swipe":
        raise refused("not_swipe")
    if response.statements >= MAX_PER_RESPONSE:
        raise refused("too_many")
    if not text:
        raise refused("empty")
    if len(text) < MIN_LENGTH:
        raise refused("too_short")
    if len(text) > MAX_LENGTH:
        raise refused("too_long")
    taken = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.statements < MAX_PER_RESPONSE)
        .values(statements=Response.statements + 1)
    )
    if taken.rowcount != 1:
        db.session.rollback()
        raise refused("too_many")
    last = db.session.scalar(
        select(func.max(Question.position)).where(Question.survey_id == survey.id)
    )
    count = db.session.scalar(
        select(func.count(Question.id)).where(Question.survey_id == survey.id)
    )
    question = Question(
        survey_id=survey.id,
        position=(last or 0) + 1,
        code=f"r{count + 1}-{secrets.token_hex(3)}",
        type="statement",
        text={lang: text},
        review="pending",
        settings=_resident_settings(text),
    )
    db.session.add(question)
    db.session.commit()
    return question


def _resident_settings(text: str) -> dict:
    """A resident's statement's settings: its author, and the mark when personal data is in it."""
    mark = personal_data_mark(text)
    return {"author": "resident", **({"personal_data": mark} if mark else {})}

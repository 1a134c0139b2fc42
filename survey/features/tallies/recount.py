"""Recounting the tallies from the raw answers: `tallies check` compares, `rebuild` replaces."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from sqlalchemy import Text, cast, delete, func, select

from survey.extensions import db
from survey.features.tallies import keys, service
from survey.features.tallies.keys import AREA, DONE, FINE, Place
from survey.models import Answer, Question, Response, Survey, Tally

KEPT = (FINE, AREA, DONE)  # the published copy is a snapshot, not a count: not compared


def surveys(slug: str | None) -> list[Survey]:
    query = select(Survey).order_by(Survey.id)
    if slug is not None:
        query = query.where(Survey.slug == slug)
    return list(db.session.scalars(query))


def _day():
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", Response.started_at))
    return func.date(Response.started_at)


def _places(survey_id: int):
    """The columns a place is made of, grouped: (select columns, a row -> Place)."""
    day = _day().label("day")
    columns = [
        Response.suspect,
        Response.area_id,
        Response.channel_id,
        day,
        Response.layer,
        Response.lang,
        (Response.completed_at.is_not(None)).label("done"),
    ]

    def place_of(row) -> Place:
        # the day is grouped in SQL (UTC, as keys.start_day); SQLite gives it as text
        day = row.day if isinstance(row.day, date) else date.fromisoformat(str(row.day))
        return keys.place(
            suspect=row.suspect,
            area_id=row.area_id,
            channel_id=row.channel_id,
            day=day,
            layer=row.layer,
            lang=row.lang,
            completed=row.done,
        )

    return columns, place_of


def recount(survey_id: int) -> Counter:
    """Every row the survey's responses count in, from the responses and answers themselves.

    The database groups alike responses and answers first (a million responses are a few
    thousand groups per question), and keys.py turns each group into its rows, as it does
    for a single answer: one rule for both.
    """
    columns, place_of = _places(survey_id)
    out: Counter = Counter()
    mine = (Response.survey_id == survey_id,)
    for row in db.session.execute(select(*columns, func.count()).where(*mine).group_by(*columns)):
        keys.add_response(out, place_of(row), row[-1])
    value = cast(Answer.value, Text).label("value")
    answers = db.session.execute(
        select(*columns, Answer.question_id, Question.type, value, func.count())
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .where(*mine)
        .group_by(*columns, Answer.question_id, Question.type, value)
    )
    for row in answers:
        raw = row.value
        parsed = json.loads(raw) if raw is not None else None
        keys.add_answer(out, place_of(row), row.question_id, row.type, parsed, row[-1])
    return out


def stored(survey_id: int) -> Counter:
    rows = db.session.execute(
        select(*(getattr(Tally, c) for c in service.COLUMNS), Tally.n).where(
            Tally.survey_id == survey_id, Tally.grain.in_(KEPT), Tally.n != 0
        )
    )
    return Counter({tuple(row[:-1]): row[-1] for row in rows})


def differences(survey: Survey) -> list[tuple[tuple, int, int]]:
    """(key, stored, recounted) of every row where the tally and the answers disagree."""
    kept, counted = stored(survey.id), recount(survey.id)
    return [
        (key, kept.get(key, 0), counted.get(key, 0))
        for key in sorted(set(kept) | set(counted))
        if kept.get(key, 0) != counted.get(key, 0)
    ]


def rebuild(survey: Survey) -> int:
    """Replace the survey's tallies by a recount, and publish afresh; returns the rows."""
    counted = recount(survey.id)
    db.session.execute(delete(Tally).where(Tally.survey_id == survey.id))
    service.apply(survey.id, counted)
    service.publish(survey.id, force=True)
    db.session.commit()
    return len(counted)

"""Reading the tallies: grouped sums over a handful of rows, however many responses there are.

Without a filter on channel, day, layer or language the AREA grain holds every figure; with
one the FINE grain does, narrowed by the same conditions the officer chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select, true

from survey.extensions import db
from survey.features.tallies.keys import AREA, FINE, PUBLISHED, RESPONSE, STARTED
from survey.models import Tally


@dataclass(frozen=True)
class Narrowing:
    """The filters that are not the area: what the FINE grain keeps and AREA leaves out."""

    channel_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    layer: str | None = None
    language: str | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in vars(self).values())

    def conditions(self) -> list:
        where = []
        if self.channel_id is not None:
            where.append(Tally.channel_id == self.channel_id)
        if self.date_from is not None:
            where.append(Tally.day >= self.date_from)
        if self.date_to is not None:
            where.append(Tally.day <= self.date_to)
        if self.layer is not None:
            where.append(Tally.layer == self.layer)
        if self.language is not None:
            where.append(Tally.lang == self.language)
        return where


def _grain(survey_id: int, narrowing: Narrowing) -> list:
    grain = FINE if narrowing.any else AREA
    return [Tally.survey_id == survey_id, Tally.grain == grain, *narrowing.conditions()]


def responses(survey_id: int, narrowing: Narrowing) -> list[tuple]:
    """(area id or None, channel id or None, day, "started"/"completed", count)."""
    rows = db.session.execute(
        select(Tally.area_id, Tally.channel_id, Tally.day, Tally.value, func.sum(Tally.n))
        .where(*_grain(survey_id, narrowing), Tally.question_id == RESPONSE)
        .group_by(Tally.area_id, Tally.channel_id, Tally.day, Tally.value)
    )
    return [(a or None, c or None, d, v, int(n)) for a, c, d, v, n in rows if n]


def started_by_area(survey_id: int, area_ids, narrowing: Narrowing) -> dict[int | None, int]:
    """area id (None: no buurt) -> how many counted responses started there; `area_ids` (a
    select of ids, or None for all) limits them to an area and what lies below."""
    where = [*_grain(survey_id, narrowing), Tally.question_id == RESPONSE]
    where.append(Tally.value == STARTED)
    if area_ids is not None:
        where.append(Tally.area_id.in_(area_ids))
    rows = db.session.execute(
        select(Tally.area_id, func.sum(Tally.n)).where(*where).group_by(Tally.area_id)
    )
    return {(a or None): int(n) for a, n in rows if n}


def answers(survey_id: int, narrowing: Narrowing, grain: int | None = None) -> list[tuple]:
    """(question id, area id or None, value, count) of every answer value."""
    where = _grain(survey_id, narrowing)
    if grain is not None:
        where = [Tally.survey_id == survey_id, Tally.grain == grain]
    rows = db.session.execute(
        select(Tally.question_id, Tally.area_id, Tally.value, func.sum(Tally.n))
        .where(*where, Tally.question_id != RESPONSE)
        .group_by(Tally.question_id, Tally.area_id, Tally.value)
    )
    return [(q, a or None, v, int(n)) for q, a, v, n in rows if n]


def published_answers(survey_id: int) -> list[tuple]:
    """(question id, area id or None, value, count) as the public pages show them."""
    return answers(survey_id, Narrowing(), grain=PUBLISHED)


def published_completed(survey_id: int) -> int:
    total = db.session.scalar(
        select(func.coalesce(func.sum(Tally.n), 0)).where(
            Tally.survey_id == survey_id,
            Tally.grain == PUBLISHED,
            Tally.question_id == RESPONSE,
            Tally.value == "completed",
        )
    )
    return int(total)


def started_counts(survey_id: int, area_ids, settings: list[Narrowing]) -> list[int]:
    """How many responses each of several filter settings counts, in one query (FINE grain);
    `area_ids` (a select of ids, or None for all) limits them to an area and what lies below."""
    where = [Tally.survey_id == survey_id, Tally.grain == FINE, Tally.question_id == RESPONSE]
    where.append(Tally.value == "started")
    if area_ids is not None:
        where.append(Tally.area_id.in_(area_ids))
    sums = [
        func.coalesce(func.sum(case((and_(true(), *s.conditions()), Tally.n), else_=0)), 0)
        for s in settings
    ]
    return [int(n) for n in db.session.execute(select(*sums).where(*where)).one()]


def _count_of(value: str, *also):
    wanted = and_(Tally.question_id == RESPONSE, Tally.value == value, *also)
    return func.coalesce(func.sum(case((wanted, Tally.n), else_=0)), 0)


def per_survey(survey_ids: list[int], today: date | None = None) -> dict[int, tuple[int, ...]]:
    """survey id -> (started, completed, started today) of the responses that count."""
    rows = db.session.execute(
        select(
            Tally.survey_id,
            _count_of("started"),
            _count_of("completed"),
            _count_of("started", Tally.day == today),
        )
        .where(Tally.survey_id.in_(survey_ids), Tally.grain == AREA)
        .group_by(Tally.survey_id)
    )
    return {s: (int(n), int(done), int(new)) for s, n, done, new in rows}


def per_channel(survey_id: int) -> dict[int | None, tuple[int, int]]:
    """channel id (None: none) -> (started, completed) of the responses that count."""
    rows = db.session.execute(
        select(Tally.channel_id, _count_of("started"), _count_of("completed"))
        .where(Tally.survey_id == survey_id, Tally.grain == AREA)
        .group_by(Tally.channel_id)
    )
    return {(c or None): (int(n), int(done)) for c, n, done in rows}

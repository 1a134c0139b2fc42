"""Keeping the tallies: every change to a response or an answer changes them in its own
transaction, with one upsert of the difference (survey.features.tallies.keys says which rows).

Writers hold the response's row while they read what it counted before: the answer path
takes it with the UPDATE that stamps the response, other writers with `tracking`. Rows are
written in one sorted statement, so two writers never wait for each other in a circle.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache

from sqlalchemy import (
    and_,
    bindparam,
    case,
    delete,
    event,
    func,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey.core.database import insert_for
from survey.extensions import db
from survey.features.tallies import keys
from survey.features.tallies.keys import DONE, PUBLISHED, RESPONSE, Place
from survey.models import Answer, Question, Response, Survey, Tally
from survey.models._types import utcnow

COLUMNS = ("grain", "question_id", "value", "area_id", "channel_id", "day", "layer", "lang")
KEY = ("survey_id", *COLUMNS)
CHUNK = 1000  # ids per IN list: far under SQLite's limit of bound values
PLACE_COLUMNS = (
    Response.suspect,
    Response.area_id,
    Response.channel_id,
    Response.started_at,
    Response.layer,
    Response.lang,
    Response.completed_at,
)


def apply(survey_id: int, change: Counter) -> None:
    """Add a difference to the tallies: one atomic upsert, its rows sent as one batch (a
    statement compiled once and kept, however many rows)."""
    items = sorted((k, n) for k, n in change.items() if n)
    if items:
        rows = [
            {"survey_id": survey_id, **dict(zip(COLUMNS, key, strict=True)), "n": n}
            for key, n in items
        ]
        db.session.execute(_upsert(db.session.get_bind().dialect.name), rows)
    if any(k[0] == DONE and k[1] == RESPONSE for k, _n in items):
        publish(survey_id)


@cache
def _upsert(dialect: str):
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Tally.__table__)
    return stmt.on_conflict_do_update(index_elements=KEY, set_={"n": Tally.n + stmt.excluded.n})


# --- the answer path ------------------------------------------------------------------------


@cache
def _stamp():
    """The answer path's UPDATE of the response, built once: its stamp, returning where it
    counts and the value it has for the question now."""
    old = (
        select(Answer.value)
        .where(
            Answer.response_id == bindparam("held_id"), Answer.question_id == bindparam("question")
        )
        .scalar_subquery()
    )
    return (
        update(Response.__table__)
        .where(Response.id == bindparam("held_id"))
        .values(updated_at=bindparam("stamp"))
        .returning(*PLACE_COLUMNS, old.label("old"))
    )


def hold_response(
    response_id: int, now: datetime, question_id: int, held: bool = False
) -> tuple[Place, object]:
    """Stamp the response and read, in the same statement, where it counts and the value it
    has for this question now.

    That read must see every answer committed before it: on SQLite the UPDATE takes the one
    write lock first; on PostgreSQL the response's row must be locked by an earlier statement
    (`held`: the answer path's lookup took it FOR UPDATE), or this takes it first.
    """
    if not held and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Response.id).where(Response.id == response_id).with_for_update())
    params = {"held_id": response_id, "stamp": now, "question": question_id}
    row = db.session.connection().execute(_stamp(), params).one()
    return keys.place_of(row), row.old


def answer_changed(survey_id: int, spot: Place, question, old, new) -> None:
    """One answer went from `old` to `new` (None: not there, or skipped)."""
    before = keys.answer_rows(spot, question.id, question.type, old)
    after = keys.answer_rows(spot, question.id, question.type, new)
    apply(survey_id, keys.difference(before, after))


def response_started(response_id: int) -> None:
    """A new response: its own rows (it has no answers yet)."""
    row = db.session.execute(
        select(Response.survey_id, *PLACE_COLUMNS).where(Response.id == response_id)
    ).one()
    apply(row.survey_id, keys.response_rows(keys.place_of(row)))


# --- other writers: before and after --------------------------------------------------------


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def counted_rows(response_ids: Iterable[int]) -> dict[int, Counter]:
    """survey id -> every row the given responses count in now, read from the answers."""
    out: dict[int, Counter] = defaultdict(Counter)
    for chunk in _chunks(sorted(set(response_ids))):
        responses = db.session.execute(
            select(Response.id, Response.survey_id, *PLACE_COLUMNS).where(Response.id.in_(chunk))
        ).all()
        answers = defaultdict(list)
        for response_id, *answer in db.session.execute(
            select(Answer.response_id, Answer.question_id, Question.type, Answer.value)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.response_id.in_(chunk))
        ):
            answers[response_id].append(answer)
        for row in responses:
            rows, spot = out[row.survey_id], keys.place_of(row)
            keys.add_response(rows, spot)
            for question_id, question_type, value in answers[row.id]:
                keys.add_answer(rows, spot, question_id, question_type, value)
    return out


def _hold(response_ids: list[int]) -> None:
    """Hold the responses' rows (and SQLite's write lock) until the commit."""
    for chunk in _chunks(response_ids):
        db.session.execute(
            update(Response)
            .where(Response.id.in_(chunk))
            .values(updated_at=Response.updated_at)
            .execution_options(synchronize_session=False)
        )


@contextmanager
def tracking(response_ids: Iterable[int]):
    """Around a change to these responses or their answers made with SQL statements (not
    through the ORM, whose flushes are tallied by themselves): tally the difference."""
    ids = sorted(set(response_ids))
    _hold(ids)
    before = counted_rows(ids)
    yield
    db.session.flush()
    after = counted_rows(ids)
    for survey_id in sorted(set(before) | set(after)):
        apply(survey_id, keys.difference(before.get(survey_id, Counter()), after[survey_id]))


def add_responses(response_ids: Iterable[int]) -> None:
    """New responses with their answers (an import, a seed): add what they count."""
    for survey_id, rows in sorted(counted_rows(response_ids).items()):
        apply(survey_id, rows)


# --- changes made through the ORM ----------------------------------------------------------

PLACE_NAMES = tuple(c.key for c in PLACE_COLUMNS)
BEFORE = "tallies_before"


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _touched(session: Session) -> tuple[set[int], list]:
    """Responses a flush changes: ids of those in the database, and the new ones."""
    known: set[int] = set()
    new: list = []
    for obj in session.new:
        if isinstance(obj, Response):
            new.append(obj)
        elif isinstance(obj, Answer):
            owner = obj.response
            if owner is not None and owner not in session.new:
                known.add(owner.id)
            elif owner is None and obj.response_id:
                known.add(obj.response_id)
    for obj in session.dirty:
        if isinstance(obj, Response) and _changed(obj, PLACE_NAMES):
            known.add(obj.id)
        elif isinstance(obj, Answer) and _changed(obj, ("value", "question_id")):
            known.add(obj.response_id)
    for obj in session.deleted:
        if isinstance(obj, Response):
            known.add(obj.id)
        elif isinstance(obj, Answer):
            known.add(obj.response_id)
    return {i for i in known if i is not None}, new


@event.listens_for(Session, "before_flush")
def _before_flush(session, _context, _instances) -> None:
    known, new = _touched(session)
    if not known and not new:
        return
    with session.no_autoflush:
        _hold(sorted(known))
        before = counted_rows(known)
    session.info[BEFORE] = (known, new, before)


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    if BEFORE not in session.info:
        return
    known, new, before = session.info.pop(BEFORE)
    after = counted_rows(known | {obj.id for obj in new})
    for survey_id in sorted(set(before) | set(after)):
        apply(survey_id, keys.difference(before.get(survey_id, Counter()), after[survey_id]))


# --- the published copy ---------------------------------------------------------------------


def _published_counts(survey_id: int) -> tuple[int, int]:
    """Completed responses now, and in the published copy."""
    completed = and_(
        Tally.survey_id == survey_id,
        Tally.question_id == RESPONSE,
        Tally.value == keys.COMPLETED,
    )
    now, shown = db.session.execute(
        select(
            func.coalesce(func.sum(case((Tally.grain == DONE, Tally.n), else_=0)), 0),
            func.coalesce(func.sum(case((Tally.grain == PUBLISHED, Tally.n), else_=0)), 0),
        ).where(completed, Tally.grain.in_((DONE, PUBLISHED)))
    ).one()
    return int(now), int(shown)


def publish(survey_id: int, force: bool = False) -> None:
    """Copy the completed responses' rows for the public pages once k more are completed
    (the survey's minimum group size), or fewer are left (an erasure), or when forced.

    So two public figures a reader compares differ by at least k responses at once: one
    neighbour's answers cannot be read off by loading the page before and after.
    """
    k = max(1, db.session.scalar(select(Survey.min_group_size).where(Survey.id == survey_id)))
    now, shown = _published_counts(survey_id)
    if not force and shown <= now < shown + k:
        return
    db.session.execute(delete(Tally).where(Tally.survey_id == survey_id, Tally.grain == PUBLISHED))
    published_at = utcnow() if now >= k else None
    db.session.execute(
        update(Survey)
        .where(Survey.id == survey_id)
        .values(published_at=published_at)
        .execution_options(synchronize_session=False)
    )
    if published_at is None:
        return
    source = select(
        Tally.survey_id,
        literal(PUBLISHED),
        *(getattr(Tally, c) for c in COLUMNS[1:]),
        Tally.n,
    ).where(Tally.survey_id == survey_id, Tally.grain == DONE, Tally.n != 0)
    stmt = insert_for(Tally.__table__).from_select([*KEY, "n"], source)
    db.session.execute(stmt.on_conflict_do_update(index_elements=KEY, set_={"n": stmt.excluded.n}))

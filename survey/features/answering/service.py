"""Answering a survey: responses, validated answers, and the way through the questions."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from survey.core import limits
from survey.core.database import insert_for, upsert
from survey.extensions import db
from survey.features.answering import navigation, structure, validation
from survey.features.answering.navigation import Step
from survey.features.answering.structure import QuestionShape
from survey.features.doorcodes import service as doorcodes
from survey.features.results import service as results
from survey.features.tallies import service as tallies
from survey.features.volunteers import service as volunteering
from survey.models import (
    CAPPED_KINDS,
    Answer,
    Area,
    Channel,
    Question,
    Response,
    Survey,
    counted,
    personal_data_mark,
    visible_to_residents,
)
from survey.models._types import utcnow

DOOR_CODE_FIELD = doorcodes.QUERY_FIELD

LATE_ANSWERS = timedelta(days=1)  # how long answers queued offline may follow the closing
SECONDS_PER_QUESTION = {"needs": 12, "swipe": 5}  # a swipe card takes a glance and a tap


def record_scan(channel: Channel) -> None:
    """Count a QR scan for the channel's funnel (one atomic UPDATE)."""
    db.session.execute(
        update(Channel).where(Channel.id == channel.id).values(scans=Channel.scans + 1)
    )
    db.session.commit()


def parse_uuid(value: str | None) -> str | None:
    try:
        return str(uuidlib.UUID(str(value)))
    except ValueError:
        return None


def find_response(survey: Survey, response_uuid: str | None) -> Response | None:
    key = parse_uuid(response_uuid)
    if key is None:
        return None
    return db.session.scalar(
        select(Response).where(Response.uuid == key, Response.survey_id == survey.id)
    )


def check_open(survey: Survey, response: Response) -> None:
    """Refuse ("closed") an answer the survey no longer takes.

    After closing, answers still arrive from phones that queued them offline: a response begun
    before closing takes them for LATE_ANSWERS more, then nothing changes any more.
    """
    if survey.status == "open":
        return
    closed_at = survey.closes_at
    if closed_at and response.started_at < closed_at and utcnow() < closed_at + LATE_ANSWERS:
        return
    raise validation.invalid_answer("closed")


def daily_cap(channel: Channel) -> int:
    """How many responses of one address a day count (a school or event channel may say more)."""
    default = int(limits.setting("RESPONSES_PER_ADDRESS_PER_DAY"))
    if channel.kind in CAPPED_KINDS and channel.daily_cap:
        return max(default, channel.daily_cap)
    return default


def suspicion(channel: Channel, client: str | None) -> str | None:
    """Why a new response of this client would be suspect: "cap", "burst", or None (counted).

    Over the daily cap of its address, or the next of many starts within minutes. A school or
    event channel with a raised cap expects a class to start together: there the cap alone
    decides.
    """
    if client is None:
        return None
    now = utcnow()
    mine = [Response.survey_id == channel.survey_id, Response.client_key == client]
    midnight = datetime.combine(now.date(), datetime.min.time(), UTC)
    today = db.session.scalar(
        select(func.count(Response.id)).where(*mine, counted(), Response.started_at >= midnight)
    )
    if today >= daily_cap(channel):
        return "cap"
    if channel.kind in CAPPED_KINDS and channel.daily_cap:
        return None
    since = now - timedelta(minutes=int(limits.setting("BURST_MINUTES")))
    recent = db.session.scalar(
        select(func.count(Response.id)).where(*mine, Response.started_at >= since)
    )
    return "burst" if recent >= int(limits.setting("BURST_STARTS")) else None


def door_code_shown(raw: str | None) -> str:
    """The door code to show in the start form: as printed when it reads as a code, else what
    was typed (short), for the resident to put right."""
    code = doorcodes.normalise(raw)
    return doorcodes.shown(code) if code else str(raw or "")[:20]


def start_response(
    channel: Channel, response_uuid: str, lang: str, door_code: str | None = None
) -> Response:
    """Create the response for a client-made UUID, or return it if it exists already.

    A channel that needs a door code uses one up for a new response (a second tap on "Begin"
    with the same UUID needs none).
    """
    key = parse_uuid(response_uuid)
    if key is None:
        raise validation.invalid_answer("bad_response")
    if channel.survey.status != "open":
        existing = db.session.scalar(select(Response).where(Response.uuid == key))
        if existing is None:
            raise validation.invalid_answer("closed")
        check_open(channel.survey, existing)
    client = limits.client_key(f"survey:{channel.survey_id}")  # before any write: it may commit
    if channel.needs_code and not db.session.scalar(
        select(func.count(Response.id)).where(Response.uuid == key)
    ):
        doorcodes.use_code(channel, door_code)
    reason = suspicion(channel, client)
    created = db.session.execute(
        insert_for(Response.__table__)
        .values(
            {
                "client_key": client,
                "suspect": reason is not None,
                "suspect_reason": reason,
                "uuid": key,
                "survey_id": channel.survey_id,
                "channel_id": channel.id,
                "area_id": channel.area_id
                if channel.area and channel.area.level == "buurt"
                else None,
                "lang": lang,
                "source": "web",
                "layer": "core",
                "started_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
        .on_conflict_do_nothing(index_elements=["uuid"])
        .returning(Response.id)
    ).scalar()
    if created is not None:  # not a second tap on "Begin"
        tallies.response_started(created)
    db.session.commit()
    response = db.session.scalar(select(Response).where(Response.uuid == key))
    if response.survey_id != channel.survey_id:
        raise validation.invalid_answer("bad_response")
    return response


def answers_of(response: Response) -> dict[str, object]:
    """The response's answers by question code (skipped questions map to None)."""
    rows = db.session.execute(
        select(Question.code, Answer.value)
        .join(Answer, Answer.question_id == Question.id)
        .where(Answer.response_id == response.id)
    )
    return dict(rows.all())


def _questions(survey: Survey) -> tuple[QuestionShape, ...]:
    """The questions residents may be shown, in order, from this process's kept structure."""
    return structure.of(survey).offered


@cache
def _target():
    """The answer post's one lookup, built once: the response with its channel and survey."""
    return (
        select(Response, Channel, Survey)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Channel, Channel.survey_id == Survey.id)
        .where(Channel.code == bindparam("code"), Response.uuid == bindparam("key"))
        .with_for_update(of=Response)  # held for the answer's tallies (tallies.hold_response)
    )


def answer_target(
    code: str, response_uuid: str | None, qcode: str
) -> tuple[Channel, Response, QuestionShape | None] | None:
    """The channel, the response and the question of an answer post, in one statement.

    The channel and its survey come with the response (a response of another survey does not
    match); the question comes from the kept structure. None when the channel or the response
    is not found: the caller then takes the long way, which says what is wrong.
    """
    key = parse_uuid(response_uuid)
    if key is None:
        return None
    row = db.session.execute(_target(), {"code": code, "key": key}).first()
    if row is None:
        return None
    response, channel, survey = row
    set_committed_value(channel, "survey", survey)
    return channel, response, structure.of(survey).find(qcode)


def path(survey: Survey, answers: Mapping[str, object], layer: str) -> list[QuestionShape]:
    """The questions this resident sees, in order, given their answers so far."""
    return navigation.path(_questions(survey), answers, layer)


def has_deeper(survey: Survey) -> bool:
    return navigation.has_deeper(_questions(survey))


def current_step(survey: Survey, response: Response, answers: Mapping | None = None) -> Step:
    """The first question not yet answered; else the verdieping offer; else the end.

    `answers` are the response's answers if the caller has just read them (answers_of).
    """
    answers = answers_of(response) if answers is None else answers
    return navigation.current_step(
        _questions(survey), answers, response.layer, response.completed_at is not None
    )


def step_after(survey: Survey, response: Response, question: Question | QuestionShape) -> Step:
    """The step that follows a question just answered.

    Without show_if conditions the path does not depend on the answers, so they are read
    only when needed: at the end of the path (which questions are still open?).
    """
    answers = _LazyAnswers(response)
    completed = response.completed_at is not None
    return navigation.step_after(
        _questions(survey), answers, response.layer, completed, question.code
    )


class _LazyAnswers(Mapping):
    """A response's answers, read from the database the first time they are looked at."""

    def __init__(self, response: Response):
        self._response = response
        self._answers: dict | None = None

    def _read(self) -> dict:
        if self._answers is None:
            self._answers = answers_of(self._response)
        return self._answers

    def __getitem__(self, code):
        return self._read()[code]

    def __iter__(self):
        return iter(self._read())

    def __len__(self):
        return len(self._read())


def step_before(
    survey: Survey, response: Response, question: Question | None, answers: Mapping | None = None
) -> QuestionShape | None:
    """The question shown before this one (None at the first); `answers` as in current_step."""
    code = question.code if question is not None else None
    answers = answers_of(response) if answers is None else answers
    return navigation.step_before(_questions(survey), answers, response.layer, code)


def progress(
    survey: Survey, response: Response, question: Question, answers: Mapping | None = None
) -> dict:
    """Position, total and minutes still needed, for the progress indicator."""
    return navigation.progress(
        _questions(survey),
        answers_of(response) if answers is None else answers,
        response.layer,
        question.code,
        seconds_per_question(survey),
    )


def seconds_per_question(survey: Survey) -> int:
    return SECONDS_PER_QUESTION.get(survey.kind, 12)


def minutes_for(survey: Survey, questions: int) -> int:
    """Whole minutes (at least one) that this many questions take."""
    return navigation.minutes(questions, seconds_per_question(survey))


def core_minutes(survey: Survey) -> int:
    """The minutes the core takes, as the intro, the offline copy and the posters promise."""
    return minutes_for(survey, len(path(survey, {}, "core")))


def deeper_count(survey: Survey) -> int:
    """How many deeper questions the verdieping offer announces."""
    return navigation.deeper_count(_questions(survey))


def find_question(survey: Survey, code: str) -> Question | None:
    return next((q for q in survey.questions if q.code == code and visible_to_residents(q)), None)


def save_answer(
    response: Response, question: Question | QuestionShape, value: object, held: bool = False
) -> None:
    """Store one answer; a repeat of the same question overwrites it, never adds a second.

    The tallies change in the same transaction; `held` says the response's row is locked
    already (answer_target took it). An answer that moves the response (its buurt,
    or into the verdieping) moves every row it counts in; any other is one answer's difference.

    An open answer with personal data in it is marked on arrival (and marked afresh when the
    resident changes it), so that exports and pages mask it.
    """
    now = utcnow()
    moves = _moves(response, question, value)
    if moves:
        with tallies.tracking([response.id]):
            _store_answer(response, question, value, now)
            db.session.execute(update(Response).where(Response.id == response.id).values(**moves))
    else:
        spot, old = tallies.hold_response(response.id, now, question.id, held)
        _store_answer(response, question, value, now)
        tallies.answer_changed(response.survey_id, spot, question, old, value)
    _commit_keeping_loaded()
    for name, change in {"updated_at": now, **moves}.items():  # written, not read back
        set_committed_value(response, name, change)


def _moves(response: Response, question: Question | QuestionShape, value: object) -> dict:
    """The response's own columns this answer changes: its buurt, its layer."""
    changes = {}
    area_id = value.get("area_id") if isinstance(value, dict) else None
    if question.type == "area" and area_id and area_id != response.area_id:
        changes["area_id"] = area_id
    if question.layer == "deeper" and response.layer != "deeper":
        changes["layer"] = "deeper"
    return changes


def _store_answer(response, question, value, now) -> None:
    mark = personal_data_mark(value) if question.type == "text" else None
    upsert(
        Answer.__table__,
        {
            "response_id": response.id,
            "question_id": question.id,
            "value": value,
            "answered_at": now,
            "moderation": "visible",
            "personal_data": mark,
        },
        ("response_id", "question_id"),
        ("value", "answered_at", "personal_data"),
    )


def _commit_keeping_loaded() -> None:
    """Commit without expiring the loaded objects.

    The answer path goes on with the channel, survey and questions it loaded (a resident
    cannot change them), so it need not load them, and decode their JSON, a second time.
    """
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def choose_deeper(response: Response, accept: bool) -> None:
    """After the core (which completes the response): take the verdieping, or stop."""
    if accept:
        response.layer = "deeper"
    if response.completed_at is None:
        response.completed_at = utcnow()
    response.updated_at = utcnow()
    db.session.commit()


def complete_response(response: Response) -> None:
    if response.completed_at is None:
        response.completed_at = utcnow()
        db.session.commit()


def buurten(survey: Survey) -> list[Area]:
    """The buurten a resident may choose from in an area question."""
    query = select(Area).where(Area.level == "buurt").order_by(Area.name)
    return list(db.session.scalars(query))


def after_survey(survey: Survey, area: Area | None, lang: str, adult_confirmed: bool) -> dict:
    """What the done screen shows: how others answered, and whether to offer volunteering."""
    return {
        "others": results.area_results(survey, area.id if area else None, lang),
        "volunteer_offer": volunteering.offer_allowed(survey, adult_confirmed),
        "buurt_code": area.cbs_code if area and area.level == "buurt" else "",
    }

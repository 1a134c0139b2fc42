"""Responses: the paged table, and the review (moderation) of open answers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Text, cast, func, select, update

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.core.query import Page, page_of
from survey.extensions import db
from survey.features.responses.area_tree import shown_areas
from survey.features.responses.filters import Filters, listed_per_area
from survey.models import (
    Answer,
    Area,
    Channel,
    Question,
    Response,
    Survey,
    personal_data_mark,
)

MODERATION_STATES = ("visible", "hidden", "personal", "approved")
FOUND = "found"  # the Open antwoorden filter for answers whose personal data waits for a look
SHOWN_STATES = (*MODERATION_STATES, FOUND)
OPEN_ANSWERS_CAP = 10_000  # Open antwoorden counts its answers up to this many ("of meer")


def list_responses(survey: Survey, filters: Filters, number: int = 1) -> Page:
    """A page of responses (newest first) with their channel and area names."""
    where = filters.conditions(survey)
    query = (
        select(Response, Channel.label)
        .outerjoin(Channel, Channel.id == Response.channel_id)
        .where(*where)
        .order_by(Response.started_at.desc(), Response.id.desc())
    )
    per_area = listed_per_area(survey, filters)
    page = page_of(query, sum(per_area.values()), number)
    names = _shown_area_names(survey, per_area)
    items = [(r, channel, names.get(r.area_id)) for r, channel in page.items]
    return Page(items, page.number, page.total)


def _shown_area_names(survey: Survey, per_area: dict) -> dict:
    """Area id -> the name a row of these responses shows (see area_tree.shown_areas)."""
    shown = shown_areas(per_area, survey.min_group_size)
    ids = {s for s in shown.values() if s is not None}
    names = dict(db.session.execute(select(Area.id, Area.name).where(Area.id.in_(ids))).all())
    return {area_id: names.get(s) for area_id, s in shown.items()}


def row_area_name(survey: Survey, area_id: int | None) -> str | None:
    """The area name one row shows on its own (an answer swapped in after moderation): the
    rule of the lists, over all the survey's responses."""
    return _shown_area_names(survey, listed_per_area(survey, Filters())).get(area_id)


def record_view(officer, survey: Survey, action: str, filters: Filters, number: int) -> None:
    """Write to the Logboek that an officer looked at answers row by row (Reacties, Open
    antwoorden), with the filters and the page."""
    audit(officer, action, survey.slug, filters=filters.args(), page=number)
    db.session.commit()


def open_answers(survey: Survey, filters: Filters, state: str | None, number: int = 1) -> Page:
    """A page of open (text) answers to review, newest first."""
    # The survey's own open questions limit the answers to the survey: the responses are
    # joined for the filters only, so the database starts from the answers, not the responses.
    open_ids = [q.id for q in survey.questions if q.type == "text"]
    narrowing = filters.narrowing_conditions()
    where = [*narrowing, Answer.question_id.in_(open_ids), cast(Answer.value, Text) != "null"]
    if state in MODERATION_STATES:
        where.append(Answer.moderation == state)
    elif state == FOUND:  # personal data found, not yet looked at by an officer
        where.append(Answer.personal_data == FOUND)
    joined = (
        select(Answer, Question, Response.area_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*where)
    )
    listed = select(Answer.id)
    if narrowing:
        listed = listed.join(Response, Response.id == Answer.response_id)
    listed = listed.where(*where).limit(OPEN_ANSWERS_CAP).subquery()
    count = select(func.count()).select_from(listed)
    # Newest first by arrival (the id): the database walks the answers from the newest and
    # stops at a page, instead of sorting every open answer by its time.
    page = page_of(joined.order_by(Answer.id.desc()), count, number)
    names = _shown_area_names(survey, listed_per_area(survey, filters))
    items = [(answer, question, names.get(area_id)) for answer, question, area_id in page.items]
    return Page(items, page.number, page.total)


def _open_answer(survey: Survey, answer_id: int) -> Answer:
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.response.survey_id != survey.id or answer.question.type != "text":
        raise UserError(_l("Dit open antwoord bestaat niet (meer)."), code="bad_moderation")
    return answer


def moderate_answer(survey: Survey, answer_id: int, state: str, officer) -> Answer:
    """Hide an open answer, approve it for public pages, or mark it as personal data.

    The state is checked by ModerationForm; the answer must be an open answer of this survey.
    """
    answer = _open_answer(survey, answer_id)
    before, answer.moderation = answer.moderation, state
    audit(officer, "moderate_answer", survey.slug, answer=answer.id, state=state, before=before)
    db.session.commit()
    return answer


def decide_personal_data(survey: Survey, answer_id: int, decision: str, officer) -> Answer:
    """Confirm the personal data found in an open answer (it stays masked everywhere) or clear
    the mark (the answer is shown as written). The decision is checked by PersonalDataForm.
    """
    answer = _open_answer(survey, answer_id)
    if answer.personal_data is None:
        raise UserError(
            _l("In dit antwoord zijn geen persoonsgegevens gevonden."), code="no_personal_data"
        )
    before, answer.personal_data = answer.personal_data, decision
    audit(
        officer,
        "decide_personal_data",
        survey.slug,
        answer=answer.id,
        decision=decision,
        before=before,
    )
    db.session.commit()
    return answer


def mark_personal_data() -> tuple[int, int]:
    """Look for personal data in open answers and residents' statements stored before
    detection existed (no mark yet); mark what is found. Returns (answers, statements) marked.
    """
    rows = db.session.execute(
        select(Answer.id, Answer.value)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.type == "text", Answer.personal_data.is_(None))
    )
    found = [answer_id for answer_id, value in rows if personal_data_mark(value)]
    for start in range(0, len(found), 500):
        chunk = found[start : start + 500]
        db.session.execute(update(Answer).where(Answer.id.in_(chunk)).values(personal_data=FOUND))
    statements = 0
    for question in db.session.scalars(select(Question).where(Question.type == "statement")):
        texts = (question.text or {}).values()
        unmarked = question.resident_written and question.personal_data is None
        if unmarked and any(personal_data_mark(text) for text in texts):
            question.settings = {**question.settings, "personal_data": FOUND}
            statements += 1
    db.session.commit()
    return len(found), statements


def erasable_response(survey: Survey, response_id: int) -> Response | None:
    """A response of this survey, for the confirm page of its erasure."""
    response = db.session.get(Response, response_id)
    return response if response is not None and response.survey_id == survey.id else None


def erasable_answer(survey: Survey, answer_id: int) -> Answer | None:
    """An answer of this survey, for the confirm page of its erasure."""
    answer = db.session.get(Answer, answer_id)
    return answer if answer is not None and answer.response.survey_id == survey.id else None


def erase_response(survey: Survey, response: Response, officer) -> None:
    """Erase one whole response with its answers, on the resident's request."""
    count = len(response.answers)
    audit(officer, "erase_response", survey.slug, response=response.id, answers=count)
    db.session.delete(response)
    db.session.commit()


def erase_answer(survey: Survey, answer: Answer, officer) -> None:
    """Erase one answer, on the resident's request; the rest of the response stays."""
    detail = {"answer": answer.id, "response": answer.response_id, "question": answer.question.code}
    audit(officer, "erase_answer", survey.slug, **detail)
    db.session.delete(answer)
    db.session.commit()

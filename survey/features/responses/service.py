"""Responses: the paged table, and the review (moderation) of open answers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.responses.filters import Filters
from survey.models import Answer, Area, Channel, Question, Response, Survey

PAGE_SIZE = 50
MODERATION_STATES = ("visible", "hidden", "personal", "approved")


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def _page(query, count_query, number: int, size: int = PAGE_SIZE) -> Page:
    total = db.session.scalar(count_query) or 0
    number = min(max(1, number), max(1, -(-total // size)))
    items = db.session.execute(query.limit(size).offset((number - 1) * size)).all()
    return Page(items, number, total, size)


def list_responses(survey: Survey, filters: Filters, number: int = 1) -> Page:
    """A page of responses (newest first) with their channel and area names."""
    where = filters.conditions(survey)
    query = (
        select(Response, Channel.label, Area.name)
        .outerjoin(Channel, Channel.id == Response.channel_id)
        .outerjoin(Area, Area.id == Response.area_id)
        .where(*where)
        .order_by(Response.started_at.desc(), Response.id.desc())
    )
    return _page(query, select(func.count(Response.id)).where(*where), number)


def open_answers(survey: Survey, filters: Filters, state: str | None, number: int = 1) -> Page:
    """A page of open (text) answers to review, newest first."""
    where = [
        *filters.conditions(survey),
        Question.type == "text",
        cast(Answer.value, Text) != "null",
    ]
    if state in MODERATION_STATES:
        where.append(Answer.moderation == state)
    joined = (
        select(Answer, Question, Area.name)
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Area, Area.id == Response.area_id)
        .where(*where)
    )
    count = (
        select(func.count(Answer.id))
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*where)
    )
    return _page(joined.order_by(Answer.answered_at.desc(), Answer.id.desc()), count, number)


def moderate_answer(survey: Survey, answer_id: int, state: str, officer) -> Answer:
    """Hide an open answer, approve it for public pages, or mark it as personal data.

    The state is checked by ModerationForm; the answer must be an open answer of this survey.
    """
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.response.survey_id != survey.id or answer.question.type != "text":
        raise UserError("unknown answer", code="bad_moderation")
    before, answer.moderation = answer.moderation, state
    audit(officer, "moderate_answer", survey.slug, answer=answer.id, state=state, before=before)
    db.session.commit()
    return answer


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
    audit(officer, "response.erase", survey.slug, response=response.id, answers=count)
    db.session.delete(response)
    db.session.commit()


def erase_answer(survey: Survey, answer: Answer, officer) -> None:
    """Erase one answer, on the resident's request; the rest of the response stays."""
    detail = {"answer": answer.id, "response": answer.response_id, "question": answer.question.code}
    audit(officer, "answer.erase", survey.slug, **detail)
    db.session.delete(answer)
    db.session.commit()

"""Responses: the paged table, and the review (moderation) of open answers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.responses.area_tree import shown_areas
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
        select(Response, Channel.label)
        .outerjoin(Channel, Channel.id == Response.channel_id)
        .where(*where)
        .order_by(Response.started_at.desc(), Response.id.desc())
    )
    page = _page(query, select(func.count(Response.id)).where(*where), number)
    names = _shown_area_names(survey, where)
    items = [(r, channel, names.get(r.area_id)) for r, channel in page.items]
    return Page(items, page.number, page.total)


def _shown_area_names(survey: Survey, where: list) -> dict:
    """Area id -> the name a row of these responses shows (see area_tree.shown_areas)."""
    shown = shown_areas(where, survey.min_group_size)
    ids = {s for s in shown.values() if s is not None}
    names = dict(db.session.execute(select(Area.id, Area.name).where(Area.id.in_(ids))).all())
    return {area_id: names.get(s) for area_id, s in shown.items()}


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
        select(Answer, Question, Response.area_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*where)
    )
    count = (
        select(func.count(Answer.id))
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*where)
    )
    page = _page(joined.order_by(Answer.answered_at.desc(), Answer.id.desc()), count, number)
    names = _shown_area_names(survey, filters.conditions(survey))
    items = [(answer, question, names.get(area_id)) for answer, question, area_id in page.items]
    return Page(items, page.number, page.total)


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

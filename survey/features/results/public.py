"""What public pages read besides the figures: the channel of a QR code, and the published
updates ("jullie zeiden, wij deden") as a timeline."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from survey.extensions import db
from survey.features.results import service as results
from survey.models import Area, Channel, Survey, Update

STATUS_LABELS = {
    "gehoord": _l("Gehoord"),
    "gepland": _l("Gepland"),
    "bezig": _l("Bezig"),
    "gedaan": _l("Gedaan"),
    "niet": _l("Doen we niet"),
}


def find_channel(code: str, with_questions: bool = False) -> Channel | None:
    """The channel of a QR code; with its survey and all its questions in two queries if asked."""
    query = select(Channel).where(Channel.code == code)
    if with_questions:
        query = query.options(joinedload(Channel.survey).selectinload(Survey.questions))
    return db.session.scalar(query)


def areas_around(area_id: int) -> set[int]:
    """The area, the areas above it and the areas below it."""
    ids = {area_id}
    area = db.session.get(Area, area_id)
    while area is not None and area.parent_id:
        ids.add(area.parent_id)
        area = db.session.get(Area, area.parent_id)
    frontier = {area_id}
    while frontier:
        frontier = set(db.session.scalars(select(Area.id).where(Area.parent_id.in_(frontier))))
        frontier -= ids
        ids |= frontier
    return ids


@dataclass
class LocalNews:
    """What a channel's /r/ page leads with: its area's own updates and figures."""

    area: Area
    updates: list[Update]
    results: list  # results.service.QuestionResult, only those about the area itself


def local_news(channel: Channel, lang: str) -> LocalNews | None:
    """For a channel in an area (a poster in a buurt): the updates about that area and its key
    figures where they may be shown (the suppression of results.counts.tables); else None."""
    survey = channel.survey
    if not channel.area_id or channel.area_id == survey.area_id:
        return None
    area = db.session.get(Area, channel.area_id)
    updates = [u for u in timeline(survey, area.id) if u.area_id is not None]
    figures = [r for r in results.area_results(survey, area.id, lang) if r.scope == area.name]
    return LocalNews(area, updates, figures)


def timeline(survey: Survey, area_id: int | None = None) -> list[Update]:
    """Published updates, newest first; for an area, those about it or about everywhere."""
    query = select(Update).where(Update.survey_id == survey.id, Update.published_at.is_not(None))
    if area_id:
        query = query.where(
            or_(Update.area_id.is_(None), Update.area_id.in_(areas_around(area_id)))
        )
    return list(db.session.scalars(query.order_by(Update.published_at.desc(), Update.id.desc())))

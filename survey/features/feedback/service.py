"""Terugkoppeling: officers write what they heard, what they do and what not (and why), and
publish it; residents see the updates as a timeline and their followers get a mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.following import service as following
from survey.models import Area, Officer, Survey, Update
from survey.models._types import utcnow

STATUS_LABELS = {
    "gehoord": _l("Gehoord"),
    "gepland": _l("Gepland"),
    "bezig": _l("Bezig"),
    "gedaan": _l("Gedaan"),
    "niet": _l("Doen we niet"),
}


def updates_of(survey: Survey) -> list[Update]:
    """All updates of a survey for the officer, drafts first, then newest first."""
    query = select(Update).where(Update.survey_id == survey.id)
    updates = list(db.session.scalars(query.order_by(Update.created_at.desc(), Update.id.desc())))
    return sorted(updates, key=lambda u: u.published_at is not None)


def _areas_around(area_id: int) -> set[int]:
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


def timeline(survey: Survey, area_id: int | None = None) -> list[Update]:
    """Published updates, newest first; for an area, those about it or about everywhere."""
    query = select(Update).where(Update.survey_id == survey.id, Update.published_at.is_not(None))
    if area_id:
        query = query.where(
            or_(Update.area_id.is_(None), Update.area_id.in_(_areas_around(area_id)))
        )
    return list(db.session.scalars(query.order_by(Update.published_at.desc(), Update.id.desc())))


def save_update(survey: Survey, update: Update | None, values: dict, officer: Officer) -> Update:
    """Create or change an update (a published one stays published).

    `values` is UpdateForm.values(): checked, except that the area must exist.
    """
    if values["area_id"] and db.session.get(Area, values["area_id"]) is None:
        raise UserError(_l("Kies een gebied uit de lijst."), field="area_id")
    if update is None:
        update = Update(survey_id=survey.id)
        db.session.add(update)
    for name, value in values.items():
        setattr(update, name, value)
    db.session.flush()
    _audit(officer, "update_saved", update)
    db.session.commit()
    return update


def publish_update(update: Update, officer: Officer) -> int:
    """Publish an update and queue one mail per confirmed follower, in one transaction."""
    if update.published_at is None:
        update.published_at = utcnow()
    queued = following.queue_update_mails(update, STATUS_LABELS)
    _audit(officer, "update_published", update, followers=queued)
    db.session.commit()
    return queued


def _audit(officer: Officer, action: str, update: Update, **detail) -> None:
    audit(officer, action, f"update:{update.id}", survey=update.survey_id, **detail)


def find_update(survey: Survey, update_id: int) -> Update | None:
    update = db.session.get(Update, update_id)
    return update if update is not None and update.survey_id == survey.id else None


def areas() -> list[Area]:
    """Wijken and buurten to choose from, in tree order."""
    found = db.session.scalars(select(Area).order_by(Area.level, Area.name)).all()
    return [a for a in found if a.level in ("wijk", "buurt")]

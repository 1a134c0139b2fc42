"""Terugkoppeling: officers write what they heard, what they do and what not (and why), and
publish it; residents see the updates as a timeline and their followers get a mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.following import service as following
from survey.features.results.public import STATUS_LABELS
from survey.models import Area, Officer, Survey, Update
from survey.models._types import utcnow


def updates_of(survey: Survey) -> list[Update]:
    """All updates of a survey for the officer, drafts first, then newest first."""
    query = select(Update).where(Update.survey_id == survey.id)
    updates = list(db.session.scalars(query.order_by(Update.created_at.desc(), Update.id.desc())))
    return sorted(updates, key=lambda u: u.published_at is not None)


def save_update(survey: Survey, update: Update | None, values: dict, officer: Officer) -> Update:
    """Create or change an update (a published one stays published).

    `values` is UpdateForm.values(): checked, except that the area must exist.
    """
    if values["area_id"] and db.session.get(Area, values["area_id"]) is None:
        raise UserError(_l("Kies een gebied uit de lijst."), field="area_id")
    if update is None:
        update = Update(survey_id=survey.id)
        db.session.add(update)
    # texts in a language the survey no longer offers are not in the form: keep them
    kept = {k: t for k, t in (update.translations or {}).items() if k not in survey.languages}
    values = {**values, "translations": {**kept, **values.get("translations", {})}}
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

"""Terugkoppeling: officers write what they heard, what they do and what not (and why), and
publish it; residents see the updates as a timeline and their followers get a mail."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core.audit import audit
from survey.extensions import db
from survey.features.following import service as following
from survey.features.results.public import STATUS_LABELS
from survey.models import UPDATE_STATUSES, Area, Officer, Survey, Update
from survey.models._types import utcnow

MAX_TEXT = 4000


class InvalidUpdate(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def updates_of(survey: Survey) -> list[Update]:
    """All updates of a survey for the officer, drafts first, then newest first."""
    query = select(Update).where(Update.survey_id == survey.id)
    updates = list(db.session.scalars(query.order_by(Update.created_at.desc(), Update.id.desc())))
    return sorted(updates, key=lambda u: u.published_at is not None)


def parse_update(survey: Survey, form: Mapping) -> dict:
    """Check the officer's form; raise InvalidUpdate with a message per wrong field."""
    values = {
        "status": form.get("status") or "",
        "heard": (form.get("heard") or "").strip(),
        "doing": (form.get("doing") or "").strip(),
        "not_doing": (form.get("not_doing") or "").strip(),
        "themes": [t for t in form.getlist("themes") if t in survey.themes],
        "area_id": None,
    }
    errors = {}
    if values["status"] not in UPDATE_STATUSES:
        errors["status"] = str(_l("Kies een status."))
    if not values["heard"]:
        errors["heard"] = str(_l("Schrijf op wat jullie hoorden."))
    for name in ("heard", "doing", "not_doing"):
        if len(values[name]) > MAX_TEXT:
            errors[name] = str(_l("Deze tekst is te lang (hoogstens 4000 tekens)."))
    if values["status"] == "niet" and not values["not_doing"]:
        errors["not_doing"] = str(_l("Leg uit waarom jullie dit niet doen."))
    area = form.get("area_id") or ""
    if area:
        found = db.session.get(Area, int(area)) if area.isdigit() else None
        if found is None:
            errors["area_id"] = str(_l("Kies een gebied uit de lijst."))
        else:
            values["area_id"] = found.id
    if errors:
        raise InvalidUpdate(errors)
    return values


def save_update(survey: Survey, update: Update | None, values: dict, officer: Officer) -> Update:
    """Create or change an update (a published one stays published)."""
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

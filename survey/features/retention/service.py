"""Retention: what is erased when, in one scheduled run (`flask --app app retention run`).

Terms are whole days from the configuration (0: at once). Volunteers' details and open text
count from the survey's closing (survey.closes_at, which closing by the button sets), and a
survey may set shorter terms for them. Sent mails, unconfirmed follows and audit events count
from their own time. Closed-choice answers stay: they are anonymous counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Text, cast, delete, select, update

from survey.core import outbox
from survey.core.audit import audit
from survey.extensions import db
from survey.features.following import service as following
from survey.features.tallies import service as tallies
from survey.features.volunteers import service as volunteering
from survey.models import (
    Answer,
    AuditEvent,
    Question,
    Response,
    Subscription,
    Survey,
    Volunteer,
)
from survey.models._types import utcnow

ERASED = "erased"  # Answer.moderation of an open answer whose text is gone
ERASED_STATEMENT = _l("Uitspraak van een inwoner (de tekst is gewist na de bewaartermijn)")
# The kinds a run counts, in the order `retention run` prints them, with their config term.
KINDS = (
    ("closed", "surveys closed after their closing date", None),
    ("volunteers", "volunteers erased", "VOLUNTEER_RETENTION_DAYS"),
    ("open_answers", "open answers erased", "OPEN_TEXT_RETENTION_DAYS"),
    ("statements", "residents' statements erased", "OPEN_TEXT_RETENTION_DAYS"),
    ("mails", "mails deleted", "MAIL_RETENTION_DAYS"),
    ("follows", "unconfirmed follows deleted", "UNCONFIRMED_FOLLOW_DAYS"),
    ("audit_events", "audit events deleted", "AUDIT_RETENTION_DAYS"),
    ("client_keys", "responses' address hashes forgotten", "CLIENT_KEY_DAYS"),
)


@dataclass(frozen=True)
class Terms:
    """The municipality's terms in days (a survey may shorten the first two in its settings)."""

    volunteer: int
    open_text: int
    mail: int
    unconfirmed_follow: int
    audit: int
    client_key: int

    @classmethod
    def from_config(cls, config) -> Terms:
        return cls(
            volunteer=config["VOLUNTEER_RETENTION_DAYS"],
            open_text=config["OPEN_TEXT_RETENTION_DAYS"],
            mail=config["MAIL_RETENTION_DAYS"],
            unconfirmed_follow=config["UNCONFIRMED_FOLLOW_DAYS"],
            audit=config["AUDIT_RETENTION_DAYS"],
            client_key=config["CLIENT_KEY_DAYS"],
        )


def run_retention(now: datetime | None = None) -> dict[str, int]:
    """Close surveys past their closing date, then erase what is past its term; one commit."""
    now = now or utcnow()
    terms = Terms.from_config(current_app.config)
    counts = {"closed": _close_due(now)}
    closed = _closed_surveys(now)
    counts["volunteers"] = _erase_volunteers(_due(closed, "volunteer", terms.volunteer, now))
    text_due = _due(closed, "open_text", terms.open_text, now)
    counts["open_answers"] = _erase_open_answers(text_due)
    counts["statements"] = _erase_statements(text_due)
    counts["mails"] = outbox.delete_old(now - timedelta(days=terms.mail))
    counts["follows"] = _delete_unconfirmed(now, terms.unconfirmed_follow)
    counts["audit_events"] = _delete_audit_events(now - timedelta(days=terms.audit))
    counts["client_keys"] = _forget_client_keys(now - timedelta(days=terms.client_key))
    audit(None, "retention_run", **counts)
    db.session.commit()
    return counts


def _close_due(now: datetime) -> int:
    """Close open surveys whose closing date has passed (open "tot en met" that date)."""
    today = datetime.combine(now.date(), time(), UTC)
    due = db.session.scalars(
        select(Survey).where(
            Survey.status == "open", Survey.closes_at.is_not(None), Survey.closes_at < today
        )
    ).all()
    for survey in due:
        survey.status = "closed"
    return len(due)


def _closed_surveys(now: datetime) -> list[Survey]:
    """Closed surveys; one closed without a date (before closing set it) counts from now."""
    surveys = db.session.scalars(select(Survey).where(Survey.status == "closed")).all()
    for survey in surveys:
        if survey.closes_at is None:
            survey.closes_at = now
    return list(surveys)


def _due(surveys: list[Survey], kind: str, default: int, now: datetime) -> list[int]:
    """Ids of the surveys whose term for `kind` has ended: the survey's own when shorter."""
    return [s.id for s in surveys if s.closes_at + timedelta(days=s.term(kind, default)) <= now]


def _erase_volunteers(survey_ids: list[int]) -> int:
    volunteers = db.session.scalars(
        select(Volunteer).where(Volunteer.survey_id.in_(survey_ids))
    ).all()
    for volunteer in volunteers:
        volunteering.forget_mails(volunteer)
    ids = [v.id for v in volunteers]
    db.session.execute(delete(Volunteer).where(Volunteer.id.in_(ids)))
    return len(ids)


def _erase_open_answers(survey_ids: list[int]) -> int:
    """Blank the text of open answers; the row stays, so "how many answered" still adds up."""
    text_questions = select(Question.id).where(
        Question.survey_id.in_(survey_ids), Question.type == "text"
    )
    erasable = (
        Answer.question_id.in_(text_questions),
        Answer.moderation != ERASED,
        cast(Answer.value, Text) != "null",
    )
    responses = db.session.scalars(select(Answer.response_id).where(*erasable).distinct())
    with tallies.tracking(list(responses)):  # an erased text is no longer an answer
        result = db.session.execute(
            update(Answer)
            .where(*erasable)
            .values(value=None, moderation=ERASED)
            .execution_options(synchronize_session=False)
        )
    return result.rowcount


def _erase_statements(survey_ids: list[int]) -> int:
    """Replace the words of statements residents proposed; the votes on them stay as counts."""
    statements = db.session.scalars(
        select(Question).where(Question.survey_id.in_(survey_ids), Question.type == "statement")
    ).all()
    erased = 0
    for question in statements:
        settings = question.settings or {}
        if settings.get("author") == "resident" and not settings.get(ERASED):
            question.text = {"nl": str(ERASED_STATEMENT)}
            question.settings = {**settings, ERASED: True}
            erased += 1
    return erased


def _delete_unconfirmed(now: datetime, days: int) -> int:
    """Delete follows never confirmed, on the day their term ends (kept as a day, not a time)."""
    last_day = now.date() - timedelta(days=days)
    subscriptions = db.session.scalars(
        select(Subscription).where(
            Subscription.confirmed_at.is_(None), Subscription.created_at <= last_day
        )
    ).all()
    for subscription in subscriptions:
        following.forget_mails(subscription)
    ids = [s.id for s in subscriptions]
    db.session.execute(delete(Subscription).where(Subscription.id.in_(ids)))
    return len(ids)


def _forget_client_keys(cutoff: datetime) -> int:
    """The hash of the address a response came from groups one day's responses for the review
    of bursts; after its term it is forgotten (the day's key is long gone already)."""
    result = db.session.execute(
        update(Response)
        .where(Response.client_key.is_not(None), Response.started_at <= cutoff)
        .values(client_key=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _delete_audit_events(cutoff: datetime) -> int:
    result = db.session.execute(delete(AuditEvent).where(AuditEvent.created_at <= cutoff))
    return result.rowcount

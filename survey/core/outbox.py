"""The outbox: mail is queued in the same transaction as the change that causes it, and sent
later by `flask --app app outbox send`.

Delivery is *at most once*. A row is claimed (committed, marked in flight) before the SMTP
conversation and marked sent right after it. A known failure (server away, message refused)
releases the row for a retry with exponential back-off. A crash between the SMTP server
accepting the message and the commit leaves the row in flight: we cannot know whether the
server took it, so it is never retried by itself (a resident gets no mail twice) and
`flask --app app outbox stuck` lists it for a person to check and `outbox requeue` it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update

from survey.core import mail
from survey.core.database import insert_ignore
from survey.extensions import db
from survey.models import Outbox
from survey.models._types import utcnow

IN_FLIGHT = "in flight"
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 60
LONGEST_WAIT = timedelta(hours=6)
FIRST_MAILS_PER_DAY = 3  # confirmation mails to one address
CONFIRM = ":confirm"  # the end of every confirmation mail's key


def queue_mail(key: str, to: str, subject: str, body: str) -> None:
    """Add a mail to the outbox once per key (the caller commits)."""
    insert_ignore(
        Outbox.__table__,
        {
            "key": key,
            "to_addr": to,
            "subject": subject[:200],
            "body": body,
            "created_at": utcnow(),
            "attempts": 0,
            "next_attempt_at": utcnow(),
        },
        ["key"],
    )


def queue_confirmation(owner: str, to: str, subject: str, body: str) -> bool:
    """Queue the confirmation mail of `owner` (a key prefix such as "follow:abc") to an address
    nobody has confirmed yet, unless that address got FIRST_MAILS_PER_DAY confirmations in the
    last day: a form anyone can fill in must not become a way to flood someone else's inbox.
    False when it was not queued."""
    since = utcnow() - timedelta(days=1)
    recent = select(func.count(Outbox.id)).where(
        func.lower(Outbox.to_addr) == to.strip().lower(),
        Outbox.created_at >= since,
        Outbox.key.endswith(CONFIRM, autoescape=True),
    )
    if db.session.scalar(recent) >= FIRST_MAILS_PER_DAY:
        return False
    queue_mail(owner + CONFIRM, to, subject, body)
    return True


def forget_mail(key_prefix: str) -> None:
    """Remove every queued or sent mail whose key starts so (the caller commits)."""
    db.session.execute(delete(Outbox).where(Outbox.key.startswith(key_prefix, autoescape=True)))


def delete_old(cutoff: datetime) -> int:
    """Delete mails sent before `cutoff`, and those queued before it that will never be sent by
    themselves (given up, or stuck in flight); the caller commits. Returns how many."""
    done = or_(Outbox.attempts >= MAX_ATTEMPTS, Outbox.last_error == IN_FLIGHT)
    result = db.session.execute(
        delete(Outbox).where(
            or_(
                and_(Outbox.sent_at.is_not(None), Outbox.sent_at <= cutoff),
                and_(Outbox.sent_at.is_(None), Outbox.created_at <= cutoff, done),
            )
        )
    )
    return result.rowcount


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4, ... minutes, at most six hours."""
    return min(timedelta(seconds=FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def _due(now: datetime):
    return (
        Outbox.sent_at.is_(None),
        Outbox.next_attempt_at <= now,
        Outbox.attempts < MAX_ATTEMPTS,
        or_(Outbox.last_error.is_(None), Outbox.last_error != IN_FLIGHT),
    )


def _claim(row_id: int, now: datetime) -> bool:
    """Take one row for this sender; another sender running at once gets 0 rows."""
    result = db.session.execute(
        update(Outbox)
        .where(Outbox.id == row_id, *_due(now))
        .values(attempts=Outbox.attempts + 1, last_error=IN_FLIGHT, next_attempt_at=now)
    )
    db.session.commit()
    return result.rowcount == 1


def send_due(config: Mapping, now: datetime | None = None, limit: int = 500) -> dict:
    """Send the mails that are due; return how many were sent and how many failed."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(Outbox.id).where(*_due(now)).order_by(Outbox.next_attempt_at, Outbox.id).limit(limit)
    ).all()
    counts = {"sent": 0, "failed": 0}
    for row_id in ids:
        if not _claim(row_id, now):
            continue
        row = db.session.get(Outbox, row_id)
        message = mail.build_message(config, row.key, row.to_addr, row.subject, row.body)
        try:
            mail.deliver(config, message)
        except mail.DeliveryFailed as exc:
            row.last_error = str(exc)[:1000]
            row.next_attempt_at = now + backoff(row.attempts)
            counts["failed"] += 1
        else:
            row.sent_at = utcnow()
            row.last_error = None
            counts["sent"] += 1
        db.session.commit()
    return counts


def stuck() -> list[Outbox]:
    """Rows left in flight by a sender that stopped halfway: delivery unknown."""
    return list(db.session.scalars(select(Outbox).where(Outbox.last_error == IN_FLIGHT)))


def requeue(row_id: int) -> bool:
    """Release a stuck or given-up row for another try (after a person checked the mail log)."""
    result = db.session.execute(
        update(Outbox)
        .where(Outbox.id == row_id, Outbox.sent_at.is_(None))
        .values(last_error=None, next_attempt_at=utcnow(), attempts=0)
    )
    db.session.commit()
    return result.rowcount == 1

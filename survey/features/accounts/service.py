"""Officers: accounts, passwords (argon2), sign-in with slow-down, server-side sessions."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.models import ROLES, Officer, OfficerSession
from survey.models._types import utcnow

_hasher = PasswordHasher()
FREE_ATTEMPTS = 3  # after this many failures each new one locks the account a little longer
TOUCH_SECONDS = 15  # last_seen_at is written at most this often per session
KEEP_ENDED_DAYS = 30  # ended session records are removed after this long


@cache
def _dummy_hash() -> str:
    """A valid hash of a random password: verifying against it costs as long as a real one."""
    return _hasher.hash("not-a-password-anyone-uses")


def _refused() -> UserError:
    return UserError(_l("E-mailadres of wachtwoord klopt niet."), code="refused")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_officer(email: str, password: str, role: str, name: str = "") -> Officer:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise ValueError("the password needs at least 10 characters")
    officer = Officer(
        email=email.strip().lower(), password_hash=hash_password(password), role=role, name=name
    )
    db.session.add(officer)
    db.session.commit()
    return officer


def find_officer(email: str) -> Officer | None:
    return db.session.scalar(
        select(Officer).where(func.lower(Officer.email) == email.strip().lower())
    )


def authenticate(email: str, password: str) -> Officer:
    """Return the officer for a correct e-mail and password; slow down repeated failures.

    Refused with one and the same UserError (code "refused") for an unknown e-mail, a wrong
    password, a disabled account and an account locked after repeated failures: the answer
    must not tell which e-mail addresses belong to an officer.
    """
    officer = find_officer(email or "")
    now = utcnow()
    if officer is not None and officer.locked_until and officer.locked_until > now:
        _hasher.verify(_dummy_hash(), "not-a-password-anyone-uses")  # take as long as a check
        raise _refused()
    try:
        _hasher.verify(officer.password_hash if officer else _dummy_hash(), password or "")
        ok = officer is not None and officer.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        if officer is not None:
            officer.failed_logins += 1
            extra = officer.failed_logins - FREE_ATTEMPTS
            if extra > 0:
                officer.locked_until = now + timedelta(seconds=min(2**extra, 900))
            db.session.commit()
        raise _refused()
    officer.failed_logins = 0
    officer.locked_until = None
    if _hasher.check_needs_rehash(officer.password_hash):
        officer.password_hash = hash_password(password)
    audit(officer, "sign_in")
    db.session.commit()
    return officer


# Sessions: the cookie holds only the id of an OfficerSession row.


def start_session(officer: Officer) -> OfficerSession:
    """A new session record for a signed-in officer; old ended records are cleared away."""
    now = utcnow()
    db.session.execute(
        delete(OfficerSession).where(
            OfficerSession.officer_id == officer.id,
            or_(
                OfficerSession.ended_at < now - timedelta(days=KEEP_ENDED_DAYS),
                OfficerSession.created_at < now - timedelta(days=KEEP_ENDED_DAYS),
            ),
        )
    )
    record = OfficerSession(
        id=secrets.token_urlsafe(32), officer_id=officer.id, created_at=now, last_seen_at=now
    )
    db.session.add(record)
    db.session.commit()
    officer.session_token = record.id
    return record


def session_problem(
    record: OfficerSession | None, now: datetime, idle: timedelta, max_age: timedelta
) -> str | None:
    """Why this session record no longer signs anyone in ("ended", "idle", "too_old"), or None."""
    if record is None or record.ended_at is not None or not record.officer.active:
        return "ended"
    if now - record.created_at > max_age:
        return "too_old"
    if now - record.last_seen_at > idle:
        return "idle"
    return None


def load_session(token: str, idle: timedelta, max_age: timedelta) -> Officer | None:
    """The officer of a live session record (no writes): for Flask-Login's user loader."""
    record = db.session.get(OfficerSession, token) if isinstance(token, str) else None
    if session_problem(record, utcnow(), idle, max_age):
        return None
    record.officer.session_token = record.id
    return record.officer


def check_session(
    token: str, idle: timedelta, max_age: timedelta, background: bool
) -> tuple[Officer | None, str | None]:
    """(officer, None) for a live session, which an officer's own request keeps alive (a
    background poll does not); (None, reason) otherwise, and an expired record is ended."""
    record = db.session.get(OfficerSession, token) if isinstance(token, str) else None
    now = utcnow()
    problem = session_problem(record, now, idle, max_age)
    if problem:
        if record is not None and record.ended_at is None:
            record.ended_at = now
            db.session.commit()
        return None, problem
    if not background and now - record.last_seen_at > timedelta(seconds=TOUCH_SECONDS):
        record.last_seen_at = now
        db.session.commit()
    record.officer.session_token = record.id
    return record.officer, None


def end_session(token: str | None) -> None:
    """Sign out: the record ends, so a copy of the cookie signs nobody in any more."""
    if isinstance(token, str):
        db.session.execute(
            update(OfficerSession)
            .where(OfficerSession.id == token, OfficerSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    db.session.commit()


def _end_all_sessions(officer: Officer) -> None:
    """End every session of this officer (the caller commits)."""
    db.session.execute(
        update(OfficerSession)
        .where(OfficerSession.officer_id == officer.id, OfficerSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def set_active(officer: Officer, active: bool, by: Officer | None) -> None:
    """Disable or enable an account; disabling ends all its sessions at once."""
    officer.active = active
    if not active:
        _end_all_sessions(officer)
    audit(by, "officer_enable" if active else "officer_disable", officer.email)
    db.session.commit()

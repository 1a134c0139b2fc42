"""Officers: accounts, passwords (argon2) and sign-in with slow-down."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.models import ROLES, Officer
from survey.models._types import utcnow

_hasher = PasswordHasher()
FREE_ATTEMPTS = 3  # after this many failures each new one locks the account a little longer


@cache
def _dummy_hash() -> str:
    """A valid hash of a random password: verifying against it costs as long as a real one."""
    return _hasher.hash("not-a-password-anyone-uses")


def _refused() -> UserError:
    return UserError(_l("E-mailadres of wachtwoord klopt niet."), code="refused")


def _locked(wait: int) -> UserError:
    """Too many attempts: `wait` seconds before trying again."""
    message = _l("Te veel pogingen. Probeer het over %(s)s seconden opnieuw.", s=wait)
    return UserError(message, code="locked")


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

    Refused with a UserError: code "locked" (wait first) or "refused" (wrong e-mail or password).
    """
    officer = find_officer(email or "")
    now = utcnow()
    if officer is not None and officer.locked_until and officer.locked_until > now:
        raise _locked(int((officer.locked_until - now).total_seconds()) + 1)
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

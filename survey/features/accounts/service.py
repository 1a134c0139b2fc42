"""Officers: accounts, passwords (argon2), sign-in with slow-down, server-side sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from survey.core import links, outbox
from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.models import ROLES, Officer, OfficerInvite, OfficerSession, WorkspaceSetting
from survey.models._types import utcnow

_hasher = PasswordHasher()
FREE_ATTEMPTS = 3  # after this many failures each new one locks the account a little longer
TOUCH_SECONDS = 15  # last_seen_at is written at most this often per session
KEEP_ENDED_DAYS = 30  # ended session records are removed after this long
MIN_PASSWORD = 12
INVITE_HOURS = 72
TOTP_ISSUER = "Buurtpeiling"
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@cache
def _dummy_hash() -> str:
    """A valid hash of a random password: verifying against it costs as long as a real one."""
    return _hasher.hash("not-a-password-anyone-uses")


def _refused() -> UserError:
    return UserError(_l("E-mailadres of wachtwoord klopt niet."), code="refused")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def check_password_rules(password: str, field: str = "password") -> None:
    """At least MIN_PASSWORD characters and not a commonly used password (else a UserError)."""
    if len(password or "") < MIN_PASSWORD:
        raise UserError(
            _l("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_PASSWORD), field=field
        )
    if password.strip().lower() in _common_passwords():
        raise UserError(
            _l("Dit wachtwoord gebruiken veel mensen. Het is makkelijk te raden. Kies een ander."),
            field=field,
        )


def create_officer(email: str, password: str, role: str, name: str = "") -> Officer:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    try:
        check_password_rules(password)
    except UserError as refused:
        raise ValueError(refused.message) from None
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


def _count_failure(officer: Officer, now: datetime) -> None:
    """One more failed attempt; after FREE_ATTEMPTS each locks the account a little longer."""
    officer.failed_logins += 1
    extra = officer.failed_logins - FREE_ATTEMPTS
    if extra > 0:
        officer.locked_until = now + timedelta(seconds=min(2**extra, 900))


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
            _count_failure(officer, now)
            db.session.commit()
        raise _refused()
    officer.failed_logins = 0
    officer.locked_until = None
    if _hasher.check_needs_rehash(officer.password_hash):
        officer.password_hash = hash_password(password)
    # With a second factor the sign-in is complete only after the code (sign_in_second_factor).
    audit(officer, "sign_in_password" if officer.totp_secret else "sign_in")
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


# Account management by an admin, and an officer's own password.


def list_officers() -> list[Officer]:
    return list(db.session.scalars(select(Officer).order_by(func.lower(Officer.email))))


def get_officer(officer_id: int) -> Officer | None:
    return db.session.get(Officer, officer_id)


def _not_yourself(officer: Officer, by: Officer) -> None:
    """An admin cannot take away their own access (and leave the workspace without an admin)."""
    if officer.id == by.id:
        raise UserError(_l("Dit kun je niet bij je eigen account doen."), code="self")


def set_role(officer: Officer, role: str, by: Officer) -> None:
    if role not in ROLES:
        raise UserError(_l("Kies een rol uit de lijst."), field="role")
    _not_yourself(officer, by)
    before, officer.role = officer.role, role
    audit(by, "officer_role", officer.email, before=before, after=role)
    db.session.commit()


def set_status(officer: Officer, active: bool, by: Officer) -> None:
    """An admin disables or enables another officer's account."""
    _not_yourself(officer, by)
    set_active(officer, active, by)


def force_password_reset(officer: Officer, by: Officer) -> None:
    """The officer must choose a new password at the next sign-in; current sessions end."""
    _not_yourself(officer, by)
    officer.must_change_password = True
    _end_all_sessions(officer)
    audit(by, "officer_password_reset", officer.email)
    db.session.commit()


def verify_password(officer: Officer, password: str) -> bool:
    try:
        return _hasher.verify(officer.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def change_password(officer: Officer, current: str, new: str) -> OfficerSession:
    """The officer's own new password (the current one first). Every session of the officer
    ends; the returned new session keeps this browser signed in."""
    if not verify_password(officer, current):
        raise UserError(_l("Je huidige wachtwoord klopt niet."), field="current")
    check_password_rules(new, "password")
    if verify_password(officer, new):
        raise UserError(_l("Kies een ander wachtwoord dan je huidige."), field="password")
    officer.password_hash = hash_password(new)
    officer.must_change_password = False
    _end_all_sessions(officer)
    audit(officer, "password_change", officer.email)
    db.session.commit()
    return start_session(officer)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_path(token: str) -> str:
    return f"/uitnodiging/{token}"


def invite_officer(email: str, role: str, by: Officer) -> OfficerInvite:
    """Queue a mail with a one-time link (valid INVITE_HOURS) where the invitee sets a password."""
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(_l("Kies een rol uit de lijst."), field="role")
    if find_officer(email):
        raise UserError(_l("Er is al een medewerker met dit e-mailadres."), field="email")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invite = OfficerInvite(
        token_hash=_token_hash(token),
        email=email,
        role=role,
        invited_by_id=by.id,
        created_at=now,
        expires_at=now + timedelta(hours=INVITE_HOURS),
    )
    db.session.add(invite)
    db.session.flush()
    body = render_template(
        "accounts/mail_invite.txt",
        link=links.public_url(invite_path(token)),
        hours=INVITE_HOURS,
        municipality=current_app.config["MUNICIPALITY"],
        inviter=by.name or by.email,
    )
    subject = str(_l("Je account voor Buurtpeiling"))
    outbox.queue_mail(f"officer-invite:{invite.id}", email, subject, body)
    audit(by, "officer_invite", email, role=role)
    db.session.commit()
    return invite


def pending_invites() -> list[OfficerInvite]:
    return list(
        db.session.scalars(
            select(OfficerInvite)
            .where(OfficerInvite.used_at.is_(None), OfficerInvite.expires_at > utcnow())
            .order_by(OfficerInvite.created_at.desc())
        )
    )


def find_invite(token: str | None) -> OfficerInvite | None:
    """The unused, unexpired invitation of a link token, or None."""
    if not token or len(token) > 100:
        return None
    invite = db.session.scalar(
        select(OfficerInvite).where(OfficerInvite.token_hash == _token_hash(token))
    )
    if invite is None or invite.used_at is not None or invite.expires_at <= utcnow():
        return None
    return invite


def accept_invite(token: str, password: str) -> Officer:
    """Create the invited officer with their own password; the link works only once."""
    invite = find_invite(token)
    if invite is None:
        raise UserError(_l("Deze uitnodiging werkt niet meer. Vraag een nieuwe."), code="gone")
    check_password_rules(password)
    used = db.session.execute(
        update(OfficerInvite)
        .where(OfficerInvite.id == invite.id, OfficerInvite.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if used.rowcount != 1 or find_officer(invite.email):
        db.session.rollback()
        raise UserError(_l("Deze uitnodiging werkt niet meer. Vraag een nieuwe."), code="gone")
    officer = Officer(email=invite.email, password_hash=hash_password(password), role=invite.role)
    db.session.add(officer)
    db.session.flush()
    audit(officer, "officer_invite_accepted", officer.email, role=officer.role)
    db.session.commit()
    return officer


# The optional second factor: a time-based code (TOTP, RFC 6238) from an authenticator app.


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    """The otpauth:// link an authenticator app reads (shown as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def _totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (the current one or one next to it), or None."""
    code = "".join((code or "").split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    here = int(now.timestamp()) // totp.interval
    for step in (here - 1, here, here + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _wrong_code() -> UserError:
    return UserError(_l("Deze code klopt niet. Kijk in je app en probeer het opnieuw."), "code")


def enable_totp(officer: Officer, secret: str, code: str) -> None:
    """Switch the second factor on once a code from the app shows it was set up right."""
    step = _totp_step(secret, code, utcnow())
    if step is None:
        raise _wrong_code()
    officer.totp_secret, officer.totp_last_step = secret, step
    audit(officer, "totp_enable", officer.email)
    db.session.commit()


def disable_totp(officer: Officer, code: str) -> None:
    """The officer switches the second factor off (with a current code)."""
    if not officer.totp_secret or _totp_step(officer.totp_secret, code, utcnow()) is None:
        raise _wrong_code()
    officer.totp_secret = officer.totp_last_step = None
    audit(officer, "totp_disable", officer.email)
    db.session.commit()


TOTP_FOR_ADMINS = "totp_required_for_admins"


def totp_required_for_admins() -> bool:
    """Whether an admin must use a second factor (an admin switches this on Medewerkers)."""
    return bool(
        db.session.scalar(
            select(WorkspaceSetting.value).where(WorkspaceSetting.key == TOTP_FOR_ADMINS)
        )
    )


def must_set_up_totp(officer: Officer) -> bool:
    """An admin without a second factor while admins must have one: set it up first."""
    return officer.role == "admin" and not officer.totp_secret and totp_required_for_admins()


def require_totp_for_admins(by: Officer, required: bool) -> None:
    """Make the second factor required for every admin, or optional again."""
    setting = db.session.get(WorkspaceSetting, TOTP_FOR_ADMINS)
    if setting is None:
        setting = WorkspaceSetting(key=TOTP_FOR_ADMINS)
        db.session.add(setting)
    setting.value = required
    audit(by, "require_totp_for_admins", "", required=required)
    db.session.commit()


def remove_totp(officer: Officer, by: Officer) -> None:
    """An admin removes the second factor of an officer who lost the phone."""
    _not_yourself(officer, by)
    officer.totp_secret = officer.totp_last_step = None
    _end_all_sessions(officer)
    audit(by, "totp_remove", officer.email)
    db.session.commit()


def verify_second_factor(officer_id: int, code: str) -> Officer:
    """The second step of signing in: the officer whose password was right, and a fresh code
    (a code used once is not accepted again). Wrong codes count as failed sign-ins."""
    officer = db.session.get(Officer, officer_id)
    now = utcnow()
    if officer is None or not officer.active or not officer.totp_secret:
        raise _refused()
    if officer.locked_until and officer.locked_until > now:
        raise _wrong_code()
    step = _totp_step(officer.totp_secret, code, now)
    if step is None or (officer.totp_last_step is not None and step <= officer.totp_last_step):
        _count_failure(officer, now)
        db.session.commit()
        raise _wrong_code()
    officer.totp_last_step = step
    officer.failed_logins = 0
    officer.locked_until = None
    audit(officer, "sign_in_second_factor")
    db.session.commit()
    return officer

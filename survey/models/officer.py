"""Medewerker and Logboek: officers, their roles, and what they did."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow

ROLES = ("admin", "editor", "analyst", "coordinator")


class Officer(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12), default="editor")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by an admin: the officer chooses a new password before doing anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Optional second factor: the TOTP secret (base32) and the last time step used (no replay).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    session_token = None  # not stored: the OfficerSession this request runs in (Flask-Login id)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str | None:  # Flask-Login keeps only the session record's id
        return self.session_token


class OfficerSession(db.Model):
    """One sign-in: the session cookie holds only this id, so signing out ends it for good."""

    __tablename__ = "officer_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # a random token
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    officer = relationship("Officer")


class OfficerInvite(db.Model):
    """An invitation by e-mail: a one-time link (only its hash is stored) to set a password."""

    __tablename__ = "officer_invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the link token
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(12))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WorkspaceSetting(db.Model):
    """A setting of the whole workspace that admins change on a page (not in the environment),
    such as whether admins must use a second factor."""

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    officer = relationship("Officer")

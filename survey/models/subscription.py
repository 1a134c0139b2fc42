"""Volger: an e-mail address that wants updates, kept apart from responses."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db
from survey.models._types import utctoday


class Subscription(db.Model):
    """A follower: an e-mail address that wants updates (double opt-in).

    Sign-up and confirmation are kept as a day, never a moment, so they cannot be matched to a
    response by its time."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(5), default="nl")
    # Followed from an area's /r/ page: mails only for updates about that area or everywhere.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    confirm_token: Mapped[str] = mapped_column(String(64), unique=True)
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[date] = mapped_column(Date, default=utctoday)

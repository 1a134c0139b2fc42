"""Vrijwilliger: contact details, kept apart from responses (no foreign key to a response)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import utctoday

VOLUNTEER_STATUSES = ("nieuw", "benaderd", "actief", "gestopt")


class Volunteer(db.Model):
    """Consent and sign-up are kept as a day, never a moment: a time of day could be matched to
    the response finished just before, and so link a name to answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    themes: Mapped[list] = mapped_column(JSON, default=list)
    availability: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    consent_at: Mapped[date] = mapped_column(Date, default=utctoday)
    status: Mapped[str] = mapped_column(String(10), default="nieuw")
    coordinator_notes: Mapped[str] = mapped_column(Text, default="")
    erase_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[date] = mapped_column(Date, default=utctoday)

    survey = relationship("Survey")
    area = relationship("Area")

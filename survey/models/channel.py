"""Toegangspunt: one QR code is one channel."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db

CHANNEL_KINDS = ("poster", "flyer", "door", "school", "social", "event", "paper")
CAPPED_KINDS = ("school", "event")  # kinds that may get a higher daily cap per address


class Channel(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="poster")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    scans: Mapped[int] = mapped_column(Integer, default=0)
    # A school or event channel may count more responses from one address a day (a class of
    # phones behind one school address); None: the survey's default cap.
    daily_cap: Mapped[int | None] = mapped_column(Integer)
    # A door flyer channel may require one of its door codes to start (one per household).
    needs_code: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The language its poster and flyer are printed in when none is asked (one of the
    # survey's); None: Dutch.
    lang: Mapped[str | None] = mapped_column(String(5))

    survey = relationship("Survey", back_populates="channels")
    area = relationship("Area")


class DoorCode(db.Model):
    """Deurcode: a one-per-household code printed on a door flyer, usable once.

    Only its hash is kept, and only the day it was used: it is linked to no address and to no
    response.
    """

    __table_args__ = (UniqueConstraint("channel_id", "code_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_on: Mapped[date | None] = mapped_column(Date)

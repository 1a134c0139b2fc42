"""Reactie and Antwoord: an anonymous response and its answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow
from survey.profiling import personal_data


class Response(db.Model):
    """No name, no e-mail, no IP address: only what the resident answered."""

    __table_args__ = (
        UniqueConstraint("survey_id", "ref"),
        Index("ix_response_survey_completed", "survey_id", "completed_at"),
        Index("ix_response_survey_started", "survey_id", "started_at"),
        Index("ix_response_survey_client", "survey_id", "client_key", "started_at"),
        Index("ix_response_survey_suspect", "survey_id", "suspect", "area_id"),
        Index("ix_response_survey_id", "survey_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)  # server-issued idempotency key
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    lang: Mapped[str] = mapped_column(String(5), default="nl")
    source: Mapped[str] = mapped_column(String(10), default="web")  # web / paper / import
    ref: Mapped[str | None] = mapped_column(String(40))  # paper form number
    layer: Mapped[str] = mapped_column(String(10), default="core")  # layer reached
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Against stuffing: over the daily cap of one client address, or in a burst of starts, a
    # response is stored but "verdacht" (suspect) and left out of every figure until an
    # officer accepts it. client_key is an HMAC of the address under a key of that day only.
    suspect: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    suspect_reason: Mapped[str | None] = mapped_column(String(10))  # cap / burst
    client_key: Mapped[str | None] = mapped_column(String(64))
    statements: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    channel = relationship("Channel")
    area = relationship("Area")

    @property
    def partial(self) -> bool:
        return self.completed_at is None


def counted():
    """The one rule for every figure: a response counts unless it is marked suspect."""
    return Response.suspect.is_(False)


def suspect_only():
    """The responses no figure counts (written so that an index on suspect serves it)."""
    return Response.suspect == true()


class Answer(db.Model):
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        Index("ix_answer_moderation", "moderation"),
        Index("ix_answer_question_moderation", "question_id", "moderation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    value: Mapped[Any] = mapped_column(JSON)
    # open answers: visible / hidden / personal (redacted) / approved (public)
    moderation: Mapped[str] = mapped_column(String(10), default="visible")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # personal data in an open answer: found on arrival / confirmed / cleared by an officer
    personal_data: Mapped[str | None] = mapped_column(String(10))

    response: Mapped[Response] = relationship(back_populates="answers")
    question = relationship("Question")

    @property
    def shown_value(self) -> Any:
        """The answer as exports and pages show it: masked unless an officer cleared it."""
        return shown_text(self.value, self.personal_data)


PERSONAL_DATA_MARKS = ("found", "confirmed", "cleared")
PERSONAL_DATA_DECISIONS = ("confirmed", "cleared")  # an officer's look at a found mark


def personal_data_mark(text: object) -> str | None:
    """The mark a resident's text gets when it arrives: "found", or None."""
    return "found" if isinstance(text, str) and personal_data.has_personal_data(text) else None


def shown_text(text: Any, mark: str | None) -> Any:
    """The one rule for a resident's text: personal data masked unless an officer cleared it.

    Texts without a mark are masked too (mask() leaves a text without personal data as it is),
    so text stored before detection existed is never shown with a phone number in it.
    """
    if mark == "cleared" or not isinstance(text, str):
        return text
    return personal_data.mask(text)


class DayKey(db.Model):
    """The random key of one day under which client addresses are hashed (Response.client_key).

    Made on the day's first response and deleted the next day: after that, no one (not even
    with the SECRET_KEY) can tell which address a stored hash was.
    """

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))

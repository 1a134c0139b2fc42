"""Stored results of the profiling engine, and officers' own notes on an area."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow


class ProfileModel(db.Model):
    """A fitted engagement-profile model: versioned, with a summary of the data it saw."""

    __table_args__ = (UniqueConstraint("scope", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(200))  # the survey slug(s) it was fitted on
    version: Mapped[int] = mapped_column(Integer)
    k: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # scaler, centroids, names
    data_summary: Mapped[dict] = mapped_column(JSON, default=dict)  # what it saw


class AreaNote(db.Model):
    """An officer's own knowledge of an area, shown beside the model's figures."""

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area = relationship("Area")
    officer = relationship("Officer")

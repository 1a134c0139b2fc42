"""Thema's in open answers: the themes found per open question, with officers' edits.

The engine (survey/profiling/themes.py) finds the themes again when the answers change; each
new theme takes over the stored row it overlaps most, so an officer's name, hidden flag and
approval stay with it (survey/features/responses/theme_matching.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime

THEME_NAME_MAX = 80


class ThemeSet(db.Model):
    """The themes of one open question, and the number of themes an officer asked for."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), unique=True
    )
    k: Mapped[int | None] = mapped_column(Integer)  # set by an officer; None: chosen
    chosen_k: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    chosen_by: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    answers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # theme_matching.fingerprints
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    themes: Mapped[list[Theme]] = relationship(
        back_populates="theme_set", cascade="all, delete-orphan", order_by="Theme.position"
    )
    question = relationship("Question")


class Theme(db.Model):
    """One theme: its words and answers as last found, and what officers made of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_set_id: Mapped[int] = mapped_column(
        ForeignKey("theme_set.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str | None] = mapped_column(String(THEME_NAME_MAX))  # an officer's name
    top_words: Mapped[list] = mapped_column(JSON, default=list)
    answer_ids: Mapped[list] = mapped_column(JSON, default=list)
    representative_ids: Mapped[list] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer, default=0)  # 0: not found in the last run
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Merged into another theme: what matches this one from now on joins that one.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))

    theme_set: Mapped[ThemeSet] = relationship(back_populates="themes")

    @property
    def edited(self) -> bool:
        """Whether an officer did something with it (then it is kept when not found)."""
        return bool(self.name or self.hidden or self.public or self.merged_into_id)

    @property
    def label(self) -> str:
        """The officer's name, or the first top words."""
        return self.name or ", ".join(self.top_words[:3])

"""Terugkoppeling: what we heard, what we do, what we do not do and why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow

UPDATE_STATUSES = ("gehoord", "gepland", "bezig", "gedaan", "niet")


class Update(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    status: Mapped[str] = mapped_column(String(10), default="gehoord")
    heard: Mapped[str] = mapped_column(Text, default="")
    doing: Mapped[str] = mapped_column(Text, default="")
    not_doing: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[list] = mapped_column(JSON, default=list)
    # The texts in other languages: {"tr": {"heard": "...", "doing": "...", "not_doing": "..."}};
    # the Dutch ones above are the source (the translations' PO files, features.translations).
    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey = relationship("Survey")
    area = relationship("Area")

    def text_in(self, field: str, lang: str) -> str:
        """One of heard / doing / not_doing in a language, falling back to the Dutch text."""
        return self.text_and_lang(field, lang)[0]

    def text_and_lang(self, field: str, lang: str) -> tuple[str, str]:
        """`text_in` and the language the text is really in (the Dutch fallback's "nl")."""
        own = ((self.translations or {}).get(lang) or {}).get(field)
        return (own, lang) if own else (getattr(self, field), "nl")

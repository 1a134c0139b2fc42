"""Shared column helpers for the models."""

from datetime import UTC, date, datetime

from sqlalchemy import JSON, DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def utctoday() -> date:
    """Today in UTC: the day, not the moment, for consent and sign-up times (see Volunteer)."""
    return utcnow().date()


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on both SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


Texts = JSON  # {"nl": "...", "en": "..."}: per-language texts, Dutch is the fallback


def text_in(texts: dict | None, lang: str) -> str:
    """Pick the text for a language, falling back to Dutch, then to any language."""
    if not texts:
        return ""
    return texts.get(lang) or texts.get("nl") or next(iter(texts.values()), "")

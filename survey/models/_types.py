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
# Who wrote a language's texts in a shipped file (README, "Content in five languages"): the
# original, a translator, or a translator whose text a native speaker still has to check.
TRANSLATION_STATUSES = ("source", "translator", "needs_native_check")


def text_in(texts: dict | None, lang: str) -> str:
    """Pick the text for a language, falling back to Dutch, then to any language."""
    return text_and_lang(texts, lang)[0]


def text_and_lang(texts: dict | None, lang: str) -> tuple[str, str]:
    """The text for a language and the language it is really in: `lang`, or the fallback's
    (Dutch, then any language), so that a page can mark a fallback with its own lang."""
    if not texts:
        return "", lang
    for code in (lang, "nl", *texts):
        if texts.get(code):
            return texts[code], code
    return "", lang


def translation_status(settings: dict | None, *statuses: dict | None) -> dict:
    """A question's settings with the translation status of its texts: the {lang: status}
    given (a file's, then the item's own, which wins) merged under "translation_status"."""
    merged = {}
    for status in statuses:
        merged.update({k: v for k, v in (status or {}).items() if not k.startswith("_")})
    return {**(settings or {}), "translation_status": merged} if merged else dict(settings or {})


def unchecked_languages(settings: dict | None) -> list[str]:
    """The languages of a question whose translation still needs a native speaker's check."""
    status = (settings or {}).get("translation_status") or {}
    return [lang for lang, said in status.items() if said == "needs_native_check"]

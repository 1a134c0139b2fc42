"""Peiling and Vraag: a survey and its ordered, typed questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from survey.extensions import db
from survey.models._types import (
    Texts,
    UTCDateTime,
    text_and_lang,
    text_in,
    translation_status,
    unchecked_languages,
    utcnow,
)
from survey.models.response import shown_text

KINDS = ("needs", "swipe")
STATUSES = ("draft", "open", "closed")
LAYERS = ("core", "deeper")
QUESTION_TYPES = (
    "single",  # single choice
    "multiple",  # multiple choice, settings.max
    "scale",  # 1..5 (settings.min/max for engagement items like influence 0..5)
    "text",  # open text, settings.maxlength
    "number",  # settings.min / settings.max
    "yesno",
    "ranking",  # pick and order settings.pick (default 3)
    "area",  # buurt from a list, or a PC4 postcode
    "statement",  # swipe card: agree / disagree / skip
)


class Survey(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="needs")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    languages: Mapped[list] = mapped_column(JSON, default=lambda: ["nl", "en"])
    title: Mapped[dict] = mapped_column(Texts, default=dict)
    intro: Mapped[dict] = mapped_column(Texts, default=dict)
    expectations: Mapped[dict] = mapped_column(Texts, default=dict)
    organisation: Mapped[str] = mapped_column(String(120), default="")
    themes: Mapped[list] = mapped_column(JSON, default=list)
    min_group_size: Mapped[int] = mapped_column(Integer, default=10)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the public figures were last renewed (survey.features.tallies.service.publish):
    # they count the responses completed by then.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The survey's own, shorter terms (days after closing) for volunteers' details and for
    # open text; None: the municipality's term (VOLUNTEER_/OPEN_TEXT_RETENTION_DAYS).
    volunteer_retention_days: Mapped[int | None] = mapped_column(Integer)
    open_text_retention_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Goes up whenever a question of the survey changes (`bump_structure`), so that an app
    # server's copy of the question structure (answering.structure) knows it is out of date.
    structure_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    area = relationship("Area")
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey", order_by="Question.position", cascade="all, delete-orphan"
    )
    channels = relationship("Channel", back_populates="survey", order_by="Channel.id")

    def title_in(self, lang: str) -> str:
        return text_in(self.title, lang)

    def title_and_lang(self, lang: str) -> tuple[str, str]:
        return text_and_lang(self.title, lang)

    def term(self, kind: str, default: int) -> int:
        """Days after closing to keep `kind` ("volunteer", "open_text"): a shorter own term wins."""
        own = getattr(self, f"{kind}_retention_days")
        return default if own is None else min(own, default)


class Question(db.Model):
    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(12))
    text: Mapped[dict] = mapped_column(Texts, default=dict)
    help: Mapped[dict] = mapped_column(Texts, default=dict)
    # [{"value": "groen", "text": {"nl": "Groen", "en": "Green"}}, ...]
    options: Mapped[list] = mapped_column(JSON, default=list)
    # per type: max, min, maxlength, pick, low/high labels ({"low": {...}, "high": {...}})
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    layer: Mapped[str] = mapped_column(String(10), default="core")
    # {"question": "<code>", "in": ["value", ...]}: show only when an earlier answer matches
    show_if: Mapped[dict | None] = mapped_column(JSON)
    item: Mapped[str | None] = mapped_column(String(20))  # engagement module item code
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # swipe statements added by residents wait for approval: approved / pending / rejected
    review: Mapped[str] = mapped_column(String(10), default="approved")

    survey: Mapped[Survey] = relationship(back_populates="questions")

    def text_in(self, lang: str) -> str:
        """The text in a language; a resident's statement with its personal data masked."""
        return self.text_and_lang(lang)[0]

    def text_and_lang(self, lang: str) -> tuple[str, str]:
        """`text_in` and the language the text is really in (a fallback's, see text_and_lang)."""
        text, actual = text_and_lang(self.text, lang)
        if self.resident_written:
            return shown_text(text, self.personal_data), actual
        return text, actual

    @property
    def unchecked_languages(self) -> list[str]:
        """The languages whose texts a native speaker still has to check (a shipped file's mark)."""
        return unchecked_languages(self.settings)

    @property
    def resident_written(self) -> bool:
        return (self.settings or {}).get("author") == "resident"

    @property
    def personal_data(self) -> str | None:
        """The mark of a resident's statement: found / confirmed / cleared, or None."""
        return (self.settings or {}).get("personal_data")


def question_from_spec(position: int, spec: dict, file_status: dict | None = None) -> Question:
    """A question of a shipped file (a survey template, the demo): its texts' translation
    status, the file's with the item's own over it, kept in its settings for the builder."""
    spec = dict(spec)
    own = spec.pop("translation_status", None)
    settings = translation_status(spec.pop("settings", None), file_status, own)
    return Question(position=position, settings=settings, **spec)


def visible_to_residents(question) -> bool:
    """May residents be shown this question at all (not hidden, and approved if reviewed)?

    The one rule for this: the resident's path, the offline copy, the public results and
    publishing all use it.
    """
    return not question.hidden and question.review == "approved"


def bump_structure(survey: Survey) -> None:
    """Mark the survey's questions as changed: one atomic increment, so two officers editing
    at once never end on the same number with different questions."""
    if survey.id is not None:
        survey.structure_version = Survey.structure_version + 1


@event.listens_for(Session, "before_flush")
def _bump_changed_structures(session, flush_context, instances) -> None:
    """Every change to a question (added, edited, moved, hidden, reviewed, deleted) bumps its
    survey's structure version in the same transaction, whichever use case made it."""
    surveys = {}
    changed = [
        *session.new,
        *session.deleted,
        *(o for o in session.dirty if session.is_modified(o)),
    ]
    for question in changed:
        if not isinstance(question, Question):
            continue
        survey = question.survey
        if survey is None and question.survey_id is not None:
            survey = session.get(Survey, question.survey_id)
        if survey is not None and survey not in session.new and survey not in session.deleted:
            surveys[id(survey)] = survey
    for survey in surveys.values():
        bump_structure(survey)

"""A survey's question structure, kept per app server process.

What an answer needs of the questions (their order, layer, show-if, and what validation
checks: type, options, settings, required) hardly ever changes, yet every answer used to read
and decode all of it. Here it is read once and kept until the survey's `structure_version`
changes: every change to a question bumps that number in the same transaction
(models.bump_structure), so the next request that reads the survey row sees the new number
and reads the questions afresh. Texts are not kept: screens are rendered from the database.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from survey.extensions import db
from survey.features.answering import navigation
from survey.models import Question, Survey, visible_to_residents


@dataclass(frozen=True)
class QuestionShape:
    """One question as answering and navigation use it (no texts)."""

    id: int
    code: str
    type: str
    layer: str
    position: int
    show_if: dict | None
    options: list
    settings: dict
    required: bool
    hidden: bool
    review: str


@dataclass(frozen=True)
class Structure:
    """The questions of one survey at one structure version."""

    stamp: tuple[datetime, int]  # (created_at, structure_version): which survey, which version
    offered: tuple[QuestionShape, ...]  # navigation.offered(...): in the residents' order
    by_code: dict[str, QuestionShape]  # every question residents may be shown

    def find(self, code: str) -> QuestionShape | None:
        return self.by_code.get(code)


_kept: dict[tuple[str, int], Structure] = {}
_lock = threading.Lock()


def _stamp(survey: Survey) -> tuple[datetime, int]:
    # created_at tells apart two surveys that got the same id (a database emptied and filled
    # again under a running server, as the tests do).
    return survey.created_at, survey.structure_version


def _shape(question: Question) -> QuestionShape:
    fields: dict[str, Any] = {
        name: copy.deepcopy(getattr(question, name)) for name in QuestionShape.__dataclass_fields__
    }
    fields["options"] = fields["options"] or []
    fields["settings"] = fields["settings"] or {}
    return QuestionShape(**fields)


def _read(survey: Survey) -> Structure:
    questions = db.session.scalars(
        select(Question).where(Question.survey_id == survey.id).order_by(Question.position)
    )
    shapes = [_shape(q) for q in questions]
    offered = tuple(navigation.offered(shapes))
    return Structure(
        _stamp(survey), offered, {q.code: q for q in shapes if visible_to_residents(q)}
    )


def of(survey: Survey) -> Structure:
    """The survey's structure: the kept copy while its version holds, else read afresh."""
    key = (str(db.engine.url), survey.id)
    kept = _kept.get(key)
    if kept is not None and kept.stamp == _stamp(survey):
        return kept
    fresh = _read(survey)
    with _lock:
        _kept[key] = fresh
    return fresh

"""The way through a survey: which questions a resident sees, in which order, and what follows.

Pure functions on question-like objects (attributes `code`, `layer`, `show_if`; `position`,
`hidden` and `review` for `models.visible_to_residents`) and an answers dict by question code, in
which a skipped question maps to None. No database: answering.service reads the response and
calls these. static/js/navigation.js is the same rule for the service worker, which gets
`offered(...)` in that order; tests/data/navigation_cases.json keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from survey.models import LAYERS, visible_to_residents


@dataclass(frozen=True)
class Step:
    """Where a resident is: a question, the offer of the verdieping, or the end."""

    kind: str  # "question" | "offer" | "done"
    question: Any = None


def order_key(question) -> tuple[int, int]:
    """The order residents meet questions in: the core first, then the verdieping."""
    return LAYERS.index(question.layer), question.position


def offered(questions: Iterable) -> list:
    """Every question a resident may be shown, in order; show-if decides which they see."""
    return sorted((q for q in questions if visible_to_residents(q)), key=order_key)


def shown(question, answers: Mapping[str, object]) -> bool:
    """Does the question's show-if condition hold for these answers (skipped: it does not)?"""
    condition = question.show_if
    if not condition:
        return True
    given = answers.get(condition.get("question"))
    if given is None:
        return False
    wanted = {str(value) for value in condition.get("in", [])}
    return any(str(value) in wanted for value in (given if isinstance(given, list) else [given]))


def path(questions: Sequence, answers: Mapping[str, object], layer: str) -> list:
    """The questions this resident sees, in order. `questions`: offered(...).

    A condition counts only while the question it names is on the path: an answer kept from
    before that question dropped out (another answer changed, or it was hidden) shows nothing.
    """
    layers = ("core", "deeper") if layer == "deeper" else ("core",)
    on_path, codes = [], set()
    for q in questions:
        if q.layer not in layers or (q.show_if and q.show_if.get("question") not in codes):
            continue
        if shown(q, answers):
            on_path.append(q)
            codes.add(q.code)
    return on_path


def has_deeper(questions: Sequence) -> bool:
    return any(q.layer == "deeper" for q in questions)


def deeper_count(questions: Sequence) -> int:
    """How many deeper questions the verdieping offer announces (those shown unconditionally)."""
    return sum(1 for q in path(questions, {}, "deeper") if q.layer == "deeper")


def end_step(questions: Sequence, layer: str, completed: bool) -> Step:
    """After the last question: the verdieping offer once, after the core; else the end."""
    if layer == "core" and not completed and has_deeper(questions):
        return Step("offer")
    return Step("done")


def current_step(questions: Sequence, answers: Mapping, layer: str, completed: bool) -> Step:
    """The first question not yet answered; else the verdieping offer; else the end."""
    for question in path(questions, answers, layer):
        if question.code not in answers:
            return Step("question", question)
    return end_step(questions, layer, completed)


def step_after(questions: Sequence, answers: Mapping, layer: str, completed: bool, code: str):
    """The step that follows the question just answered.

    The next question on the path, even one answered before (going back and forth keeps the
    order); after the last, the first still open, else the end. `answers` is looked at only
    where it must be (a show-if, the end of the path), so it may be a mapping that reads lazily.
    """
    on_path = path(questions, answers, layer)
    codes = [q.code for q in on_path]
    if code in codes and codes.index(code) + 1 < len(codes):
        return Step("question", on_path[codes.index(code) + 1])
    return current_step(questions, answers, layer, completed)


def step_before(questions: Sequence, answers: Mapping, layer: str, code: str | None):
    """The question shown before this one: None at the first, the last if it is off the path."""
    on_path = path(questions, answers, layer)
    codes = [q.code for q in on_path]
    if code not in codes:
        return on_path[-1] if on_path else None
    index = codes.index(code)
    return on_path[index - 1] if index > 0 else None


def progress(
    questions: Sequence, answers: Mapping, layer: str, code: str, seconds_per_question: int
) -> dict:
    """Position, total and minutes still needed, for the progress indicator."""
    on_path = path(questions, answers, layer)
    index = next((i for i, q in enumerate(on_path) if q.code == code), 0)
    return {
        "number": index + 1,
        "total": len(on_path),
        "minutes": minutes(len(on_path) - index, seconds_per_question),
    }


def minutes(questions: int, seconds_per_question: int) -> int:
    """Whole minutes (at least one) that this many questions take; halves round to even."""
    return max(1, round(questions * seconds_per_question / 60))

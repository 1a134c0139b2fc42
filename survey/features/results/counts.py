"""What public figures exist: the published tallies per question and buurt (numbers in
bins), protected into tables, and the counts of the public themes. The results service
(survey.features.results.service) turns them into labelled bars.

Every number goes through the one disclosure rule (survey/profiling/disclosure.py): a
question's answers in the whole survey and in each buurt are protected together as a parent
row with its child rows, so no group under the survey's minimum size can be read or worked out
by subtracting, on one page or by putting the done screens of two buurten side by side.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import false, select

from survey.extensions import db
from survey.features.tallies import read as tally_read
from survey.features.tallies.keys import ANSWERED, ANY
from survey.models import (
    Answer,
    Question,
    Response,
    Survey,
    Theme,
    ThemeSet,
    counted,
    visible_to_residents,
)
from survey.profiling import disclosure
from survey.profiling.disclosure import Row

PARTITION_TYPES = frozenset({"single", "yesno", "scale", "statement", "number", "area"})
MULTI_TYPES = frozenset({"multiple", "ranking"})
NUMBER_BINS = 5


@dataclass
class Table:
    question: Question
    whole: Row
    areas: dict[int, Row] = field(default_factory=dict)  # published buurt rows only


@dataclass
class ThemeFigure:
    name: str
    count: int  # rounded, at least the survey's minimum group size


def published(survey: Survey) -> list:
    """Conditions on Response: the responses the public figures count, those completed when
    they were last renewed (for what the tallies do not hold, such as themes of open answers)."""
    at = db.session.scalar(select(Survey.published_at).where(Survey.id == survey.id))
    if at is None:  # read afresh: the tallies renew it with an UPDATE of their own
        return [false()]
    return [
        Response.survey_id == survey.id,
        counted(),
        Response.completed_at.is_not(None),
        Response.completed_at <= at,
    ]


def public_questions(survey: Survey) -> list[Question]:
    """The questions whose figures or answers the public pages may show."""
    return [q for q in survey.questions if visible_to_residents(q)]


# --- counting (SQL) -------------------------------------------------------------------------


def _raw_counts(question_ids: list[int], survey: Survey) -> dict[int, dict[int | None, Counter]]:
    """question id -> buurt id (None: unknown) -> tallied value -> count, as published."""
    wanted = set(question_ids)
    counts: dict[int, dict[int | None, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for question_id, area_id, value, count in tally_read.published_answers(survey.id):
        if question_id in wanted:
            counts[question_id][area_id][value] += count
    return counts


def bin_edges(question: Question) -> list[int]:
    """The lowest value of each of a number question's bins."""
    low = int(question.settings.get("min", 0))
    high = int(question.settings.get("max", 100))
    step = max(1, -(-(high - low + 1) // NUMBER_BINS))
    return list(range(low, high + 1, step))


def _number_bin(question: Question, value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    edges = bin_edges(question)
    start = next((e for e in reversed(edges) if number >= e), edges[0])
    return str(start)


def _row_counts(question: Question, values: Counter) -> tuple[int, Counter]:
    """Respondents and cell counts from the tallied values of one question in one area."""
    if question.type in MULTI_TYPES:
        cells = Counter({v: n for v, n in values.items() if v not in (ANSWERED, ANY)})
        return values[ANY], cells
    cells = Counter()
    for value, count in values.items():
        if value != ANSWERED:
            cells[_number_bin(question, value) if question.type == "number" else value] += count
    return sum(cells.values()), cells


def option_keys(question: Question) -> list[str]:
    """The cells a question's table always has, zero or not, in the order they are shown."""
    if question.type == "yesno":
        return ["yes", "no"]
    if question.type == "statement":
        return ["agree", "disagree", "skip"]
    if question.type == "number":
        return [str(e) for e in bin_edges(question)]
    if question.type == "scale" and not question.options:
        low, high = question.settings.get("min", 1), question.settings.get("max", 5)
        return [str(v) for v in range(int(low), int(high) + 1)]
    return [str(o["value"]) for o in question.options]


# --- protection -----------------------------------------------------------------------------


def _table(question: Question, by_area: dict[int | None, Counter], k: int) -> Table:
    """The whole survey's row and the buurt rows that may be shown, protected together."""
    kind = disclosure.PARTITION if question.type in PARTITION_TYPES else disclosure.OVERLAP
    per_area = {a: _row_counts(question, texts) for a, texts in by_area.items()}
    keys = set(option_keys(question))
    for _n, cells in per_area.values():
        keys.update(cells)
    n_whole = sum(n for n, _c in per_area.values())
    whole_cells = {key: sum(c.get(key, 0) for _n, c in per_area.values()) for key in keys}
    if question.type == "area":  # its cells are the buurten themselves
        return Table(question, disclosure.protect(whole_cells, n_whole, k, kind))
    children = {
        a: ({key: cells.get(key, 0) for key in keys}, n)
        for a, (n, cells) in per_area.items()
        if a is not None  # answers from an unknown buurt are part of the rest
    }
    linked = disclosure.protect_linked(whole_cells, n_whole, children, k, kind)
    shown = {a: row for a, row in linked.children.items() if row.total is not None}
    return Table(question, linked.parent, shown)


def tables(survey: Survey) -> dict[int, Table]:
    """Protected counts of every public question: the whole survey and each buurt."""
    questions = [q for q in public_questions(survey) if q.type != "text"]
    # Only these: open answers are all different, so grouping them would only cost time.
    counts = _raw_counts([q.id for q in questions], survey)
    k = max(1, survey.min_group_size)
    return {q.id: _table(q, counts.get(q.id, {}), k) for q in questions}


def public_themes(survey: Survey) -> dict[int, list[ThemeFigure]]:
    """Per open question the themes an officer approved (and did not hide), each with the
    number of its answers among the published responses, rounded; a theme with fewer answers
    than the survey's minimum group size is left out."""
    rows = db.session.execute(
        select(Theme, ThemeSet.question_id)
        .join(ThemeSet, ThemeSet.id == Theme.theme_set_id)
        .join(Question, Question.id == ThemeSet.question_id)
        .where(
            Question.survey_id == survey.id,
            Theme.public.is_(True),
            Theme.hidden.is_(False),
            Theme.merged_into_id.is_(None),
            Theme.size > 0,
        )
        .order_by(ThemeSet.question_id, Theme.position)
    ).all()
    if not rows:
        return {}
    question_ids = {question_id for _theme, question_id in rows}
    counted_ids = set(
        db.session.scalars(
            select(Answer.id)
            .join(Response, Response.id == Answer.response_id)
            .where(*published(survey), Answer.question_id.in_(question_ids))
        )
    )
    k = max(1, survey.min_group_size)
    found: dict[int, list[ThemeFigure]] = defaultdict(list)
    for theme, question_id in rows:
        n = len(counted_ids.intersection(theme.answer_ids))
        if n >= k:
            found[question_id].append(ThemeFigure(theme.label, disclosure.rounded(n)))
    return found

"""Figures for the public results page and the done screen, read from the published tallies.

Every number goes through the one disclosure rule (survey/profiling/disclosure.py): a
question's answers in the whole survey and in each buurt are protected together as a parent
row with its child rows, so no group under the survey's minimum size can be read or worked out
by subtracting, on one page or by putting the done screens of two buurten side by side.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import false, select

from survey.extensions import db
from survey.features.tallies import read as tally_read
from survey.features.tallies.keys import ANSWERED, ANY
from survey.models import (
    Answer,
    Area,
    Question,
    Response,
    Survey,
    Theme,
    ThemeSet,
    counted,
    shown_text,
    visible_to_residents,
)
from survey.models._types import text_and_lang, text_in
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
class Bar:
    label: str
    count: int | None
    percent: int | None
    lang: str | None = None  # the language the label is really in, if it is survey content


@dataclass
class ThemeFigure:
    name: str
    count: int  # rounded, at least the survey's minimum group size


@dataclass
class QuestionResult:
    question: Question
    text: str
    n: int | None
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    scope: str = ""  # the area name the figures are about
    themes: list[ThemeFigure] = field(default_factory=list)


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


def survey_summary(survey: Survey) -> dict:
    """How many took part, as published (a batch, rounded); hidden (None) under the minimum.

    Public figures move in batches of k completed responses (the survey's minimum group
    size): the tallies keep a copy that is renewed only when k more are completed (see
    survey.features.tallies.service.publish), so two loads of a public page, before and after
    one neighbour answers, show the same figures.
    """
    total = tally_read.published_completed(survey.id)
    row = disclosure.protect({"completed": total}, total, survey.min_group_size)
    return {"responses": disclosure.rounded(row.total), "completed": disclosure.rounded(total)}


def public_questions(survey: Survey) -> list[Question]:
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


def _bin_edges(question: Question) -> list[int]:
    low = int(question.settings.get("min", 0))
    high = int(question.settings.get("max", 100))
    step = max(1, -(-(high - low + 1) // NUMBER_BINS))
    return list(range(low, high + 1, step))


def _number_bin(question: Question, value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    edges = _bin_edges(question)
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


# --- protection -----------------------------------------------------------------------------


def _table(question: Question, by_area: dict[int | None, Counter], k: int) -> Table:
    """The whole survey's row and the buurt rows that may be shown, protected together."""
    kind = disclosure.PARTITION if question.type in PARTITION_TYPES else disclosure.OVERLAP
    per_area = {a: _row_counts(question, texts) for a, texts in by_area.items()}
    keys = set(_option_keys(question))
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


# --- presenting -----------------------------------------------------------------------------


def _option_keys(question: Question) -> list[str]:
    if question.type == "yesno":
        return ["yes", "no"]
    if question.type == "statement":
        return ["agree", "disagree", "skip"]
    if question.type == "number":
        return [str(e) for e in _bin_edges(question)]
    if question.type == "scale" and not question.options:
        low, high = question.settings.get("min", 1), question.settings.get("max", 5)
        return [str(v) for v in range(int(low), int(high) + 1)]
    return [str(o["value"]) for o in question.options]


def _labels(question: Question, lang: str, area_names: dict[int, str]) -> dict[str, str]:
    fixed = {
        "yes": _("Ja"),
        "no": _("Nee"),
        "agree": _("Eens"),
        "disagree": _("Oneens"),
        "skip": _("Overgeslagen"),
    }
    if question.type in ("yesno", "statement"):
        return fixed
    if question.type == "area":
        return {str(i): name for i, name in area_names.items()}
    if question.type == "number":
        edges = _bin_edges(question)
        ends = [e - 1 for e in edges[1:]] + [int(question.settings.get("max", 100))]
        return {str(a): f"{a}–{b}" for a, b in zip(edges, ends, strict=True)}
    labels = {str(o["value"]): text_in(o["text"], lang) for o in question.options}
    if question.type == "scale" and not question.options:
        low, high = question.settings.get("low"), question.settings.get("high")
        first, last = _option_keys(question)[0], _option_keys(question)[-1]
        labels = {key: key for key in _option_keys(question)}
        if low:
            labels[first] = f"{first} ({text_in(low, lang)})"
        if high:
            labels[last] = f"{last} ({text_in(high, lang)})"
    return labels


def _label_langs(question: Question, lang: str) -> dict[str, str]:
    """key -> the language an option's label is really in (a fallback to Dutch says so)."""
    return {str(o["value"]): text_and_lang(o["text"], lang)[1] for o in question.options}


def _bars(question: Question, row: Row, labels: dict[str, str], lang: str = "nl") -> list[Bar]:
    order = _option_keys(question) or sorted(row.cells)
    order += [key for key in sorted(row.cells) if key not in order]
    langs = _label_langs(question, lang)
    bars = []
    for key in order:
        if key not in row.cells:
            continue
        count = row.cells[key]
        percent = round(100 * count / row.total) if count is not None and row.total else None
        bar = Bar(labels.get(key, key), disclosure.rounded(count), percent, langs.get(key))
        bars.append(bar)
    return bars


def _area_names() -> dict[int, str]:
    return dict(db.session.execute(select(Area.id, Area.name)).all())


def approved_texts(survey: Survey) -> dict[int, list[str]]:
    """Open answers an officer approved for publication, per question; personal data masked
    unless an officer cleared it.

    The approved answers come by their own index first and their responses after (those few
    by id): joined in one query, SQLite would first read every response of the survey."""
    open_ids = [q.id for q in survey.questions if q.type == "text"]
    rows = db.session.execute(
        select(Answer.question_id, Answer.value, Answer.personal_data, Answer.response_id)
        .where(Answer.question_id.in_(open_ids), Answer.moderation == "approved")
        .order_by(Answer.id)
    ).all()
    response_ids = sorted({row.response_id for row in rows})
    kept: set[int] = set()
    for start in range(0, len(response_ids), 900):
        chunk = response_ids[start : start + 900]
        kept.update(
            db.session.scalars(select(Response.id).where(Response.id.in_(chunk), counted()))
        )
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, value, mark, response_id in rows:
        if response_id in kept and isinstance(value, str) and value.strip():
            texts[question_id].append(shown_text(value.strip(), mark))
    return texts


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


def survey_results(survey: Survey, lang: str) -> list[QuestionResult]:
    """Per public question the protected bars, or the approved open answers and themes."""
    protected = tables(survey)
    texts = approved_texts(survey)
    themes = public_themes(survey)
    names = _area_names()
    results = []
    for q in public_questions(survey):
        if q.type == "text":
            shown = QuestionResult(q, q.text_in(lang), None, texts=texts.get(q.id, []))
            shown.themes = themes.get(q.id, [])
            results.append(shown)
            continue
        whole = protected[q.id].whole
        bars = _bars(q, whole, _labels(q, lang, names), lang) if whole.total is not None else []
        n = disclosure.rounded(whole.total)
        results.append(QuestionResult(q, q.text_in(lang), n, bars))
    return results


def key_questions(survey: Survey, limit: int = 3) -> list[Question]:
    """The first few closed core questions about the neighbourhood (not the profile items)."""
    wanted = ("multiple", "single", "scale", "yesno", "statement")
    core = [q for q in public_questions(survey) if q.layer == "core" and not q.item]
    return [q for q in core if q.type in wanted and not q.show_if][:limit]


def area_results(
    survey: Survey, area_id: int | None, lang: str, limit: int = 3
) -> list[QuestionResult]:
    """Key questions for a buurt where its figures may be shown, otherwise the whole survey."""
    protected = tables(survey)
    names = _area_names()
    whole_name = survey.area.name if survey.area else _("iedereen")
    results = []
    for q in key_questions(survey, limit):
        table = protected[q.id]
        row, scope = table.whole, whole_name
        local = table.areas.get(area_id)
        if local and local.total is not None and any(c is not None for c in local.cells.values()):
            row, scope = table.areas[area_id], names.get(area_id, "")
        if row.total is None:
            continue
        bars = _bars(q, row, _labels(q, lang, names), lang)
        n = disclosure.rounded(row.total)
        results.append(QuestionResult(q, q.text_in(lang), n, bars, scope=scope))
    return results

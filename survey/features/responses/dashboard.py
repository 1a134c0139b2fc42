"""The officer dashboard: filtered figures per buurt, channel, day and question, all in SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Text, case, cast, func, literal, literal_column, select, true

from survey.extensions import db
from survey.features.answering.validation import scale_bounds
from survey.features.responses.filters import Filters
from survey.models import Answer, Area, Channel, Question, Response, Survey
from survey.models._types import text_in
from survey.profiling import disclosure

SCALAR_TYPES = ("single", "scale", "yesno", "statement", "number")
LIST_TYPES = ("multiple", "ranking")


@dataclass(frozen=True)
class Bar:
    label: str
    count: int | None  # None: hidden, the group is too small
    percent: int | None = None
    width: float = 0.0  # 0..100, the drawn length


@dataclass
class Chart:
    question: Question
    text: str
    n: int | None  # None: fewer answers than the minimum group size
    kind: str  # "bars", "text", "area"
    hidden: bool = False  # fewer answers than the minimum group size
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None


@dataclass
class Dashboard:
    min_group: int
    started: int | None
    completed: int | None
    by_area: list[Bar]
    by_channel: list[Bar]
    by_day: list[Bar]
    charts: list[Chart]

    @property
    def any_hidden(self) -> bool:
        groups = self.by_area + self.by_channel + self.by_day
        groups += [b for c in self.charts for b in c.bars]
        return any(b.count is None for b in groups) or any(c.hidden for c in self.charts)


def _bars(
    labels: list[str],
    counts: list[int],
    k: int,
    total: int,
    kind: str = disclosure.PARTITION,
    relative: bool = False,
) -> list[Bar]:
    """Bars with percentages of `total`, protected by the one disclosure rule.

    Breakdowns (per buurt, channel, day) are `relative`: drawn against the largest group;
    answers are drawn as the share of everyone who answered.
    """
    row = disclosure.protect(dict(enumerate(counts)), total, k, kind)
    shown = list(row.cells.values())
    longest = max([c for c in shown if c] or [1])
    bars = []
    for label, count in zip(labels, shown, strict=True):
        if count is None:
            bars.append(Bar(label, None))
            continue
        percent = round(100 * count / total) if total else 0
        width = 100 * count / longest if relative else percent
        bars.append(Bar(label, count, percent, round(width, 1)))
    return bars


def _day_expr():
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", Response.started_at))
    return func.date(Response.started_at)


def _elements():
    """The elements of list answers as a table-valued function, per dialect."""
    if db.session.get_bind().dialect.name == "postgresql":
        as_array = case(
            (func.json_typeof(Answer.value) == "array", Answer.value),
            else_=literal_column("'[]'::json"),
        )
        return func.json_array_elements_text(as_array).table_valued("value").alias("elem")
    as_array = case((func.json_type(Answer.value) == "array", Answer.value), else_=literal("[]"))
    return func.json_each(as_array).table_valued("value").alias("elem")


def _breakdowns(survey: Survey, where: list) -> tuple[list, list, list]:
    area_rows = db.session.execute(
        select(Area.name, func.count(Response.id))
        .select_from(Response)
        .outerjoin(Area, Area.id == Response.area_id)
        .where(*where)
        .group_by(Area.id, Area.name)
        .order_by(Area.name)
    ).all()
    channel_rows = db.session.execute(
        select(Channel.label, func.count(Response.id))
        .select_from(Response)
        .outerjoin(Channel, Channel.id == Response.channel_id)
        .where(*where)
        .group_by(Channel.id, Channel.label)
        .order_by(Channel.label)
    ).all()
    day = _day_expr()
    day_rows = db.session.execute(
        select(day, func.count(Response.id)).where(*where).group_by(day).order_by(day)
    ).all()
    unknown = _("Onbekend")
    return (
        [(name or unknown, n) for name, n in area_rows],
        [(label or unknown, n) for label, n in channel_rows],
        [(str(d), n) for d, n in day_rows],
    )


def _answer_counts(survey: Survey, where: list) -> tuple[dict, dict, dict]:
    """n per question, and counts per (question, value) for scalar and list answers."""
    value = cast(Answer.value, Text)
    base = select(Answer.question_id).join(Response, Response.id == Answer.response_id)
    scalar_ids = [q.id for q in survey.questions if q.type in SCALAR_TYPES]
    # One pass over the answers gives both: counts per value of the scalar questions, and
    # per question (the sum of its rows) how many answered; other values group as NULL.
    scalar_value = case((Answer.question_id.in_(scalar_ids), value), else_=None)
    value_rows = db.session.execute(
        base.add_columns(scalar_value, func.count())
        .where(*where, value != "null")
        .group_by(Answer.question_id, scalar_value)
    ).all()
    list_ids = [q.id for q in survey.questions if q.type in LIST_TYPES]
    elem = _elements()
    list_rows = db.session.execute(
        base.add_columns(elem.c.value, func.count())
        .join(elem, true())
        .where(*where, Answer.question_id.in_(list_ids))
        .group_by(Answer.question_id, elem.c.value)
    ).all()
    answered: dict[int, int] = {}
    scalars: dict[int, dict] = {}
    for qid, raw, n in value_rows:
        answered[qid] = answered.get(qid, 0) + n
        if raw is not None:
            scalars.setdefault(qid, {})[str(json.loads(raw))] = n
    lists: dict[int, dict] = {}
    for qid, raw, n in list_rows:
        lists.setdefault(qid, {})[str(raw)] = n
    return answered, scalars, lists


def _fixed_labels(question: Question, lang: str) -> list[tuple[str, str]]:
    """(value, label) of every possible answer to a choice question, in order."""
    if question.type == "yesno":
        return [("yes", _("Ja")), ("no", _("Nee"))]
    if question.type == "statement":
        return [("agree", _("Eens")), ("disagree", _("Oneens")), ("skip", _("Overgeslagen"))]
    if question.type == "scale" and not question.options:
        low, high = scale_bounds(question)
        ends = {low: question.settings.get("low"), high: question.settings.get("high")}
        return [
            (str(v), f"{v} – {text_in(ends[v], lang)}" if ends.get(v) else str(v))
            for v in range(low, high + 1)
        ]
    return [(str(o["value"]), text_in(o.get("text"), lang)) for o in question.options]


def _number_bars(counts: dict[str, int], k: int, n: int) -> tuple[list[Bar], float | None]:
    values = sorted((int(v), c) for v, c in counts.items() if v.lstrip("-").isdigit())
    if not values:
        return [], None
    mean = sum(v * c for v, c in values) / sum(c for _v, c in values)
    low, high = values[0][0], values[-1][0]
    step = max(1, -(-(high - low + 1) // 5))  # at most five bins
    bins: dict[int, int] = {}
    for v, c in values:
        start = low + (v - low) // step * step
        bins[start] = bins.get(start, 0) + c
    labels = [str(s) if step == 1 else f"{s}–{s + step - 1}" for s in bins]
    return _bars(labels, list(bins.values()), k, n), round(mean, 1)


def _chart(question: Question, n: int, counts: dict, k: int, lang: str) -> Chart:
    shown_n = n if n == 0 or n >= k else None  # a group under k is not even counted
    chart = Chart(question, question.text_in(lang), shown_n, "bars", hidden=n < k)
    if question.type in ("text", "area"):
        chart.kind = question.type
        return chart
    if chart.hidden:
        return chart
    if question.type == "number":
        chart.bars, chart.mean = _number_bars(counts, k, n)
        return chart
    labels = _fixed_labels(question, lang)
    kind = disclosure.OVERLAP if question.type in LIST_TYPES else disclosure.PARTITION
    chart.bars = _bars(
        [label for _v, label in labels], [counts.get(v, 0) for v, _l in labels], k, n, kind
    )
    return chart


def build_dashboard(survey: Survey, filters: Filters, lang: str) -> Dashboard:
    """Every figure of the dashboard, in a fixed number of grouped queries."""
    k = survey.min_group_size
    where = filters.conditions(survey)
    started, completed = db.session.execute(
        select(func.count(Response.id), func.count(Response.completed_at)).where(*where)
    ).one()
    areas, channels, days = _breakdowns(survey, where)
    n_by_q, scalars, lists = _answer_counts(survey, where)
    charts = [
        _chart(q, n_by_q.get(q.id, 0), scalars.get(q.id) or lists.get(q.id) or {}, k, lang)
        for q in survey.questions
        if not q.hidden
    ]

    def breakdown(rows):  # each splits everyone who started
        return _bars(
            [label for label, _n in rows], [n for _label, n in rows], k, started, relative=True
        )

    totals = disclosure.protect({"completed": completed}, started, k)
    return Dashboard(
        min_group=k,
        started=totals.total,
        completed=totals.cells["completed"],
        by_area=breakdown(areas),
        by_channel=breakdown(channels),
        by_day=breakdown(days),
        charts=charts,
    )

"""The officer dashboard: filtered figures per buurt, channel, day and question, all in SQL.

Every figure is counted per area with every filter but the area, in a fixed number of grouped
queries; each table is then protected over the area tree (survey.profiling.disclosure) and
the page shows the row of the area it is filtered to. So no figure under the minimum group
size is printed, nor one a reader could subtract from the same page or from the page of the
wijk or buurt beside it. A filter on channel, days, part or language that leaves out fewer
than the minimum of a wider setting shows nothing (filters.gives_a_group_away).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import Text, case, cast, func, literal, literal_column, select, true

from survey.extensions import db
from survey.features.answering.validation import scale_bounds
from survey.features.responses.area_tree import ROOT, AreaTree, area_tree
from survey.features.responses.filters import Filters, gives_a_group_away
from survey.models import Answer, Channel, Question, Response, Survey, counted
from survey.models._types import text_in
from survey.profiling.disclosure import OVERLAP, PARTITION, Row

SCALAR_TYPES = ("single", "scale", "yesno", "statement", "number")
LIST_TYPES = ("multiple", "ranking")


@dataclass(frozen=True)
class Bar:
    label: str
    count: int | None  # None: hidden, the group is too small
    percent: int | None = None
    width: float = 0.0  # 0..100, the drawn length
    depth: int = 0  # 1: a buurt listed under its wijk
    key: object = None  # the area id of a bar per area (the map finds its buurt by it)


@dataclass
class Chart:
    question: Question
    text: str
    n: int | None
    kind: str  # "bars", "text", "area"
    hidden: bool = False  # too few answers, or a number that would give a small group away
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
    gives_away: bool = False  # the filters leave out a group under the minimum: nothing shown

    @property
    def any_hidden(self) -> bool:
        groups = self.by_area + self.by_channel + self.by_day
        groups += [b for c in self.charts for b in c.bars]
        return any(b.count is None for b in groups) or any(c.hidden for c in self.charts)


def _bars(labels: list[str], keys: list, row: Row, relative: bool, depths=None) -> list[Bar]:
    """Bars of a protected row, in the order of `keys`; hidden counts stay None.

    Breakdowns (relative) scale to their largest group; answers to all respondents.
    """
    total = row.total
    counts = [row.cells.get(key, 0) for key in keys]
    longest = max([c for c in counts if c] or [1])
    bars = []
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        depth = depths[i] if depths else 0
        if count is None or total is None:
            bars.append(Bar(label, None, depth=depth))
            continue
        percent = round(100 * count / total) if total else 0
        width = 100 * count / longest if relative else percent
        bars.append(Bar(label, count, percent, round(width, 1), depth))
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


def _per_area(rows) -> dict:
    """(area id, key, count) rows -> area id -> Counter of keys."""
    out: dict = {}
    for area_id, key, n in rows:
        out.setdefault(area_id, Counter())[key] += n
    return out


def _breakdowns(survey: Survey, where: list) -> tuple[dict, dict, dict, dict]:
    """Per area id: completed and open responses, responses per channel, per day."""
    area = Response.area_id
    started = db.session.execute(
        select(area, func.count(Response.id), func.count(Response.completed_at))
        .where(*where)
        .group_by(area)
    ).all()
    channel_rows = db.session.execute(
        select(area, Response.channel_id, func.count(Response.id))
        .where(*where)
        .group_by(area, Response.channel_id)
    ).all()
    day = _day_expr()
    day_rows = db.session.execute(
        select(area, day, func.count(Response.id)).where(*where).group_by(area, day)
    ).all()
    totals = {a: Counter({"completed": done, "open": n - done}) for a, n, done in started}
    labels = dict(
        db.session.execute(
            select(Channel.id, Channel.label).where(Channel.survey_id == survey.id)
        ).all()
    )
    days = _per_area((a, str(d), n) for a, d, n in day_rows)
    return totals, _per_area(channel_rows), days, labels


def _answer_counts(survey: Survey, where: list) -> tuple[dict, dict, dict]:
    """Per question and area id: how many answered, and counts per value (scalar, list)."""
    value = cast(Answer.value, Text)
    area = Response.area_id
    base = select(area, Answer.question_id).join(Response, Response.id == Answer.response_id)
    scalar_ids = [q.id for q in survey.questions if q.type in SCALAR_TYPES]
    # One pass over the answers gives both: counts per value of the scalar questions, and
    # per question (the sum of its rows) how many answered; other values group as NULL.
    scalar_value = case((Answer.question_id.in_(scalar_ids), value), else_=None)
    value_rows = db.session.execute(
        base.add_columns(scalar_value, func.count())
        .where(*where, value != "null")
        .group_by(area, Answer.question_id, scalar_value)
    ).all()
    list_ids = [q.id for q in survey.questions if q.type in LIST_TYPES]
    elem = _elements()
    list_rows = db.session.execute(
        base.add_columns(elem.c.value, func.count())
        .join(elem, true())
        .where(*where, Answer.question_id.in_(list_ids))
        .group_by(area, Answer.question_id, elem.c.value)
    ).all()
    answered: dict = {}
    scalars: dict = {}
    for a, qid, raw, n in value_rows:
        answered.setdefault(qid, {}).setdefault(a, Counter())["n"] += n
        if raw is not None:
            scalars.setdefault(qid, {}).setdefault(a, Counter())[str(json.loads(raw))] += n
    lists: dict = {}
    for a, qid, raw, n in list_rows:
        lists.setdefault(qid, {}).setdefault(a, Counter())[str(raw)] += n
    return answered, scalars, lists


def _rows(tree: AreaTree, cells: dict, sizes: dict | None = None) -> dict:
    """node -> (cells, total) of one table; the total is the cells' sum unless sizes are given."""
    rolled = tree.roll_up(cells)
    if sizes is None:
        return {node: (c, sum(c.values())) for node, c in rolled.items()}
    n = tree.roll_up(sizes)
    return {node: (rolled[node], n[node]["n"]) for node in rolled}


def answer_labels(question: Question, lang: str) -> list[tuple[str, str]]:
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


def _number_bins(counts: Counter) -> dict[int, str]:
    """Value -> the label of its bin: at most five, over the range of the whole survey."""
    values = sorted(int(v) for v in counts if v.lstrip("-").isdigit())
    if not values:
        return {}
    low, high = values[0], values[-1]
    step = max(1, -(-(high - low + 1) // 5))
    starts = {v: low + (v - low) // step * step for v in values}
    return {v: str(s) if step == 1 else f"{s}–{s + step - 1}" for v, s in starts.items()}


def _number_chart(chart: Chart, tree: AreaTree, counts: dict, answered: dict) -> None:
    bins = _number_bins(tree.roll_up(counts)[ROOT])
    binned: dict = {}
    for a, c in counts.items():
        for v, n in c.items():
            if v.lstrip("-").isdigit():
                binned.setdefault(a, Counter())[bins[int(v)]] += n
    row = tree.protect(_rows(tree, binned, answered), hidden=chart.hidden)
    labels = list(dict.fromkeys(bins.values()))
    _fill(chart, row, _bars(labels, labels, row, relative=False))
    values = [
        (int(v), n)
        for v, n in tree.roll_up(counts).get(tree.page, Counter()).items()
        if v.lstrip("-").isdigit()
    ]
    if row.total and values:
        chart.mean = round(sum(v * n for v, n in values) / sum(n for _v, n in values), 1)


def _fill(chart: Chart, row: Row, bars: list[Bar]) -> None:
    chart.n = row.total
    chart.hidden = row.total is None
    chart.bars = bars if not chart.hidden else []


def _chart(question: Question, tree: AreaTree, figures: tuple, hidden: bool, lang: str) -> Chart:
    answered, scalars, lists = figures
    chart = Chart(question, question.text_in(lang), None, "bars", hidden=hidden)
    sizes = answered.get(question.id, {})
    if question.type in ("text", "area"):
        chart.kind = question.type
        _fill(chart, tree.protect(_rows(tree, {}, sizes), hidden=hidden), [])
        return chart
    counts = (scalars if question.type in SCALAR_TYPES else lists).get(question.id, {})
    if question.type == "number":
        _number_chart(chart, tree, counts, sizes)
        return chart
    kind = OVERLAP if question.type in LIST_TYPES else PARTITION
    row = tree.protect(_rows(tree, counts, sizes), kind, hidden)
    labels = answer_labels(question, lang)
    keys = [v for v, _l in labels]
    _fill(chart, row, _bars([label for _v, label in labels], keys, row, relative=False))
    return chart


def _by_area(tree: AreaTree, totals: dict, hidden: bool) -> list[Bar]:
    if tree.page is None:
        return []
    listed = tree.below_page()
    if len(listed) > 1:  # an empty group (no responses without an area) is not listed
        listed = [(node, d) for node, d in listed if totals[node].total != 0]
    shown = {node: None if hidden else totals[node].total for node, _d in listed}
    page_total = None if hidden else totals[tree.page].total
    labels = [tree.names.get(node, _("Onbekend")) for node, _d in listed]
    row = Row(page_total, shown)
    depths = [d for _n, d in listed]
    bars = _bars(labels, [node for node, _d in listed], row, relative=True, depths=depths)
    return [replace(bar, key=node) for bar, (node, _d) in zip(bars, listed, strict=True)]


def _breakdown(row: Row, labels: dict) -> list[Bar]:
    """Bars of a breakdown in the order of the labels; empty groups left out."""
    keys = [key for key in labels if row.cells.get(key, 0) != 0]
    return _bars([labels[key] for key in keys], keys, row, relative=True)


def build_dashboard(survey: Survey, filters: Filters, lang: str) -> Dashboard:
    """Every figure of the dashboard, in a fixed number of grouped queries."""
    k = survey.min_group_size
    where = [*replace(filters, area_id=None).conditions(survey), counted()]
    totals, channels, days, channel_labels = _breakdowns(survey, where)
    tree = area_tree(totals, filters.area_id, k)
    started = _rows(tree, totals)
    protected = tree.protect_all(started)
    page = protected.get(tree.page) or Row(None, {})
    gives_away = gives_a_group_away(survey, filters)
    if gives_away:
        page = Row(None, {})
    hidden = page.total is None  # the page's area may not be shown: nothing on it may
    unknown = _("Onbekend")
    by_channel = {c: channel_labels.get(c) or unknown for c in tree.roll_up(channels)[ROOT]}
    by_channel = dict(sorted(by_channel.items(), key=lambda kv: (kv[0] is None, kv[1])))
    day_keys = sorted(tree.roll_up(days)[ROOT])
    figures = _answer_counts(survey, where)
    return Dashboard(
        min_group=k,
        started=page.total,
        completed=page.cells.get("completed", 0) if not hidden else None,
        by_area=_by_area(tree, protected, hidden),
        by_channel=_breakdown(tree.protect(_rows(tree, channels), hidden=hidden), by_channel),
        by_day=_breakdown(
            tree.protect(_rows(tree, days), hidden=hidden),
            dict(zip(day_keys, day_keys, strict=True)),
        ),
        charts=[_chart(q, tree, figures, hidden, lang) for q in survey.questions if not q.hidden],
        gives_away=gives_away,
    )

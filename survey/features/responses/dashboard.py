"""The officer dashboard: filtered figures per buurt, channel, day and question.

Every figure is read from the running tallies (survey.features.tallies) per area with every
filter but the area, in a fixed number of grouped queries over rows whose number does not
grow with the responses; each table is then protected over the area tree
(survey.profiling.disclosure) and the page shows the row of the area it is filtered to. So
no figure under the minimum group size is printed, nor one a reader could subtract from the
same page or from the page of the wijk or buurt beside it. A filter on channel, days, part or
language that leaves out fewer than the minimum of a wider setting shows nothing
(filters.gives_a_group_away).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.features.answering.validation import scale_bounds
from survey.features.responses.area_tree import ROOT, AreaTree, area_tree
from survey.features.responses.filters import Filters, gives_a_group_away
from survey.features.tallies import read as tally_read
from survey.features.tallies.keys import ANSWERED, ANY
from survey.features.tallies.read import Narrowing
from survey.models import Channel, Question, Survey
from survey.models._types import text_in
from survey.profiling.disclosure import OVERLAP, PARTITION, Row, protect_completed

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
    # Aligned with by_day / by_channel: completed responses per day and per channel (None:
    # hidden), and the QR scans per channel (page views, not people; None: no channel).
    completed_by_day: list[int | None] = field(default_factory=list)
    completed_by_channel: list[int | None] = field(default_factory=list)
    scans_by_channel: list[int | None] = field(default_factory=list)

    @property
    def any_hidden(self) -> bool:
        groups = self.by_area + self.by_channel + self.by_day
        groups += [b for c in self.charts for b in c.bars]
        completed = self.completed_by_day + self.completed_by_channel
        return (
            any(b.count is None for b in groups)
            or any(c.hidden for c in self.charts)
            or None in completed
        )


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


@dataclass
class _Breakdowns:
    """Per area id: completed and open responses (totals), responses per channel and per day,
    and per (channel, status) and (day, status) with status "completed" or "open"."""

    totals: dict = field(default_factory=dict)
    channels: dict = field(default_factory=dict)
    days: dict = field(default_factory=dict)
    status_channels: dict = field(default_factory=dict)
    status_days: dict = field(default_factory=dict)


def _breakdowns(survey: Survey, narrowing: Narrowing) -> _Breakdowns:
    """The response counts of the dashboard, from the tallies' response rows."""
    out = _Breakdowns()
    for area, channel, day, value, n in tally_read.responses(survey.id, narrowing):
        day = str(day)
        out.totals.setdefault(area, Counter())[value] += n
        by_channel = out.status_channels.setdefault(area, Counter())
        by_day = out.status_days.setdefault(area, Counter())
        if value == "started":
            out.channels.setdefault(area, Counter())[channel] += n
            out.days.setdefault(area, Counter())[day] += n
            by_channel[(channel, "open")] += n
            by_day[(day, "open")] += n
        else:  # completed: part of those started
            for cells, key in ((by_channel, channel), (by_day, day)):
                cells[(key, "completed")] += n
                cells[(key, "open")] -= n
    out.totals = {
        a: Counter({"completed": c["completed"], "open": c["started"] - c["completed"]})
        for a, c in out.totals.items()
    }
    return out


def _channels(survey: Survey) -> tuple[dict, dict]:
    """The survey's channels: id -> label, id -> QR scans."""
    rows = db.session.execute(
        select(Channel.id, Channel.label, Channel.scans).where(Channel.survey_id == survey.id)
    ).all()
    return {i: label for i, label, _s in rows}, {i: scans for i, _l, scans in rows}


def _completed_of(tree: AreaTree, cells: dict, started: dict, hidden: bool) -> dict:
    """key -> completed responses of a breakdown (days, channels) that may be shown, else None:
    the (key, status) table protected over the area tree, then disclosure.protect_completed."""
    status = tree.protect(_rows(tree, cells), hidden=hidden)
    counts = tree.roll_up(cells).get(tree.page, Counter())
    return protect_completed(started, status, counts, tree.k)


def _answer_counts(survey: Survey, narrowing: Narrowing) -> tuple[dict, dict, dict]:
    """Per question and area id: how many answered, and counts per value (scalar, list)."""
    types = {q.id: q.type for q in survey.questions}
    answered: dict = {}
    scalars: dict = {}
    lists: dict = {}
    for qid, area, value, n in tally_read.answers(survey.id, narrowing):
        kind = types.get(qid)
        if value == ANSWERED:
            answered.setdefault(qid, {}).setdefault(area, Counter())["n"] += n
        elif kind in SCALAR_TYPES:
            scalars.setdefault(qid, {}).setdefault(area, Counter())[value] += n
        elif kind in LIST_TYPES and value != ANY:
            lists.setdefault(qid, {}).setdefault(area, Counter())[value] += n
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
    narrowing = filters.narrowing()
    counts = _breakdowns(survey, narrowing)
    totals, channels, days = counts.totals, counts.channels, counts.days
    channel_labels, scans = _channels(survey)
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
    figures = _answer_counts(survey, narrowing)
    channel_row = tree.protect(_rows(tree, channels), hidden=hidden)
    day_row = tree.protect(_rows(tree, days), hidden=hidden)
    channel_keys = [key for key in by_channel if channel_row.cells.get(key, 0) != 0]
    day_keys = [key for key in day_keys if day_row.cells.get(key, 0) != 0]
    shown_channels = {c: channel_row.cells.get(c) for c in channel_keys}
    done_channels = _completed_of(tree, counts.status_channels, shown_channels, hidden)
    shown_days = {d: day_row.cells.get(d) for d in day_keys}
    done_days = _completed_of(tree, counts.status_days, shown_days, hidden)
    return Dashboard(
        min_group=k,
        started=page.total,
        completed=page.cells.get("completed", 0) if not hidden else None,
        by_area=_by_area(tree, protected, hidden),
        by_channel=_breakdown(channel_row, by_channel),
        by_day=_breakdown(day_row, dict(zip(day_keys, day_keys, strict=True))),
        charts=[_chart(q, tree, figures, hidden, lang) for q in survey.questions if not q.hidden],
        gives_away=gives_away,
        completed_by_day=[done_days[d] for d in day_keys],
        completed_by_channel=[done_channels[c] for c in channel_keys],
        scans_by_channel=[scans.get(c) or 0 if c is not None else None for c in channel_keys],
    )

"""Charts as plain SVG markup, drawn on the server: for pages and for PDFs (fpdf2 draws them).

Pure Python: no Flask, no database. Every chart is one <svg role="img"> with a <title> and a
<desc> it is labelled by; the numbers themselves belong in a data table next to it. Every
label is escaped. A value None is a group too small to show: it gets a dashed empty slot
labelled `too_few`, and its number appears nowhere in the markup. Only rect, line, polyline
and text are used, with colours as presentation attributes (so a PDF has them) that the
stylesheet's .chart-* classes override on the page (and in print).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 190  # room for the labels left of horizontal bars
ROW = 26  # height of one bar row
FONT = 12
MAX_LABEL = 30  # characters; a longer label is cut (the data table has it whole)

# Default looks, for an SVG without the stylesheet (a PDF); the page's CSS overrides them.
LOOKS = {
    "bar": 'fill="#1b5e7a"',
    "bar-2": 'fill="#b35900"',
    "bar-3": 'fill="#4a4a4a"',
    "track": 'fill="#e3ecf0"',
    "hidden": 'fill="none" stroke="#6b6b6b" stroke-dasharray="4 3"',
    "axis": 'stroke="#6b6b6b"',
    "grid": 'stroke="#c4c4c4"',
    "interval": 'stroke="#1a1a1a" stroke-width="2"',
    "estimate": 'fill="#1b5e7a"',
    "expected": 'stroke="#b35900" stroke-width="3"',
    "line-1": 'fill="none" stroke="#1b5e7a" stroke-width="2.5"',
    "line-2": 'fill="none" stroke="#b35900" stroke-width="2.5" stroke-dasharray="7 4"',
    "point-1": 'fill="#1b5e7a"',
    "point-2": 'fill="#b35900"',
    "text": 'fill="#1a1a1a"',
    "muted": 'fill="#4a4a4a"',
}


def _look(name: str) -> str:
    return f'class="chart-{name}" {LOOKS[name]}'


def _short(label) -> str:
    text = str(label)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zero."""
    return f"{round(value, 1):g}"


def _text(x: float, y: float, label, look: str = "text", anchor: str = "start") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{FONT}" font-family="sans-serif" '
        f'text-anchor="{anchor}" {_look(look)}>{escape(label)}</text>'
    )


def _rect(x: float, y: float, width: float, height: float, look: str) -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(width, 0))}" height="{_n(height)}" '
        f"{_look(look)}/>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, look: str) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" {_look(look)}/>'


def _svg(ident: str, title: str, desc: str, height: float, body: list[str]) -> Markup:
    title_id, desc_id = f"{ident}-title", f"{ident}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(ident)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="{WIDTH}" height="{_n(height)}" '
        f'role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}">'
        f'<title id="{escape(title_id)}">{escape(title)}</title>'
        f'<desc id="{escape(desc_id)}">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 (every label escaped above)


def _hidden_slot(x: float, y: float, width: float, height: float, too_few: str) -> list[str]:
    """The empty, dashed place of a value too small to show, with its words."""
    return [_rect(x, y, width, height, "hidden"), _text(x + 6, y + height - 5, too_few, "muted")]


def bar_chart(
    ident: str,
    title: str,
    desc: str,
    bars: Sequence[tuple[str, int | None, int | None]],
    too_few: str = "te weinig",
) -> Markup:
    """Horizontal bars of (label, count, percent); the longest count fills the track."""
    longest = max([v for _l, v, _p in bars if v] or [1])
    track = WIDTH - LABEL_WIDTH - 70
    body = []
    for i, (label, value, percent) in enumerate(bars):
        y = 6 + i * ROW
        body.append(_text(0, y + 15, _short(label)))
        if value is None:
            body += _hidden_slot(LABEL_WIDTH, y + 2, track, ROW - 6, too_few)
            continue
        width = track * value / longest
        body.append(_rect(LABEL_WIDTH, y + 2, track, ROW - 6, "track"))
        body.append(_rect(LABEL_WIDTH, y + 2, width, ROW - 6, "bar"))
        shown = f"{value}" if percent is None else f"{value} ({percent}%)"
        body.append(_text(LABEL_WIDTH + track + 6, y + 15, shown))
    return _svg(ident, title, desc, 10 + len(bars) * ROW, body)


def funnel_chart(
    ident: str,
    title: str,
    desc: str,
    groups: Sequence[tuple[str, Sequence[tuple[str, int | None]]]],
    too_few: str = "te weinig",
) -> Markup:
    """Per group (a channel) its steps (scans, started, completed) as bars on one scale."""
    longest = max([v for _g, steps in groups for _s, v in steps if v] or [1])
    order = list(dict.fromkeys(step for _g, steps in groups for step, _v in steps))
    track = WIDTH - LABEL_WIDTH - 60
    body, y = [], 4.0
    for group, steps in groups:
        body.append(_text(0, y + 14, _short(group)))
        y += 20
        for step, value in steps:
            body.append(_text(12, y + 14, _short(step), "muted"))
            if value is None:
                body += _hidden_slot(LABEL_WIDTH, y + 2, track, ROW - 8, too_few)
            else:
                body.append(_rect(LABEL_WIDTH, y + 2, track, ROW - 8, "track"))
                look = ("bar", "bar-2", "bar-3")[order.index(step) % 3]  # one colour a step
                body.append(_rect(LABEL_WIDTH, y + 2, track * value / longest, ROW - 8, look))
                body.append(_text(LABEL_WIDTH + track + 6, y + 14, str(value)))
            y += ROW - 4
        y += 8
    return _svg(ident, title, desc, y, body)


def interval_chart(
    ident: str,
    title: str,
    desc: str,
    rows: Sequence[tuple],
    too_few: str = "te weinig",
) -> Markup:
    """Shares (0..1) with their intervals: rows of (label, estimate, low, high) and optionally
    an expected share as a fifth value (a vertical stroke), on a 0-100% axis; the estimate is
    a square on a line from low to high."""
    track = WIDTH - LABEL_WIDTH - 20
    top = 20
    body = []
    for tick in range(0, 101, 25):
        x = LABEL_WIDTH + track * tick / 100
        body.append(_line(x, top - 4, x, top + len(rows) * ROW, "grid"))
        body.append(_text(x, top - 8, f"{tick}%", "muted", "middle"))
    for i, (label, estimate, low, high, *more) in enumerate(rows):
        y = top + i * ROW
        body.append(_text(0, y + 17, _short(label)))
        if more and more[0] is not None:
            x = LABEL_WIDTH + track * more[0]
            body.append(_line(x, y + 2, x, y + ROW - 2, "expected"))
        if estimate is None or low is None or high is None:
            body += _hidden_slot(LABEL_WIDTH, y + 4, track, ROW - 8, too_few)
            continue
        mid = y + ROW / 2
        x_low, x_high = LABEL_WIDTH + track * low, LABEL_WIDTH + track * high
        body.append(_line(x_low, mid, x_high, mid, "interval"))
        body.append(_line(x_low, mid - 6, x_low, mid + 6, "interval"))
        body.append(_line(x_high, mid - 6, x_high, mid + 6, "interval"))
        x = LABEL_WIDTH + track * estimate
        body.append(_rect(x - 5, mid - 5, 10, 10, "estimate"))
    body.append(_line(LABEL_WIDTH, top, LABEL_WIDTH, top + len(rows) * ROW, "axis"))
    return _svg(ident, title, desc, top + len(rows) * ROW + 6, body)


def line_chart(
    ident: str,
    title: str,
    desc: str,
    series: Sequence[tuple[str, Sequence[tuple[str, int | None]]]],
    too_few: str = "te weinig",
) -> Markup:
    """Up to two lines over the same labels (days); a None breaks the line and its slot is
    dashed. The first, last and a few labels between are written under the axis."""
    labels = [label for label, _v in series[0][1]] if series else []
    values = [v for _name, points in series for _l, v in points if v is not None]
    top_value = max(values or [1]) or 1
    left, right, top, bottom = 44, WIDTH - 24, 30, 190
    step = (right - left) / max(len(labels) - 1, 1)
    body = []

    def x_of(i: int) -> float:
        return left + i * step if len(labels) > 1 else (left + right) / 2

    def y_of(v: int) -> float:
        return bottom - (bottom - top) * v / top_value

    for frac in (0, 0.5, 1):
        tick = round(top_value * frac)
        body.append(_line(left, y_of(tick), right, y_of(tick), "grid"))
        body.append(_text(left - 6, y_of(tick) + 4, str(tick), "muted", "end"))
    hidden = {i for _name, points in series for i, (_l, v) in enumerate(points) if v is None}
    for i in sorted(hidden):
        x1, x2 = max(left, x_of(i) - step / 2), min(right, x_of(i) + step / 2)
        body.append(_rect(x1, top, x2 - x1, bottom - top, "hidden"))
    every = max(1, -(-len(labels) // 6))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            body.append(_text(x_of(i), bottom + 16, label, "muted", "middle"))
    for s, (_name, points) in enumerate(series[:2], start=1):
        run: list[str] = []
        for i, (_l, v) in enumerate([*points, ("", None)]):
            if v is not None:
                run.append(f"{_n(x_of(i))},{_n(y_of(v))}")
                body.append(_rect(x_of(i) - 2.5, y_of(v) - 2.5, 5, 5, f"point-{s}"))
            elif run:
                body.append(f'<polyline points="{" ".join(run)}" {_look(f"line-{s}")}/>')
                run = []
    body += _legend([name for name, _p in series[:2]], bottom + 36, bool(hidden), too_few)
    return _svg(ident, title, desc, bottom + 46, body)


def pdf_svg(chart: Markup, plain: Callable[[str], str] = str, font: str | None = None) -> bytes:
    """A chart as fpdf2 reads it: without the <title> and <desc> it does not draw, its text
    made settable by `plain` (the PDF fonts' rule, core.pdf.pdf_text) and set in `font` (a
    family the document has added: fpdf2 would take a core font for "sans-serif")."""
    text = re.sub(r"<title\b.*?</title>|<desc\b.*?</desc>", "", str(chart), flags=re.S)
    if font is not None:
        text = text.replace('font-family="sans-serif"', f'font-family="{font}"')
    return plain(text).encode()


def _legend(names: list[str], y: float, hidden: bool, too_few: str) -> list[str]:
    out, x = [], 44.0
    for s, name in enumerate(names, start=1):
        out.append(f'<polyline points="{_n(x)},{_n(y - 4)} {_n(x + 24)},{_n(y - 4)}" ')
        out[-1] += f"{_look(f'line-{s}')}/>"
        out.append(_text(x + 30, y, _short(name)))
        x += 40 + 7 * len(_short(name))
    if hidden:
        out += [_rect(x, y - 11, 24, 12, "hidden"), _text(x + 30, y, too_few, "muted")]
    return out

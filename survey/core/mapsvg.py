"""A choropleth as server-rendered SVG: no tiles, no script, nothing fetched from elsewhere.

`choropleth` is pure: it knows no Flask and no database. It takes the areas to draw (a GeoJSON
geometry in WGS84 each, with a value, or none) and the texts to show, and gives the markup.
Colours are CSS classes (`map-c1` .. `map-c5`, `map-hidden`, `map-none`) of the stylesheet.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

from markupsafe import Markup, escape

WIDTH = 600  # the drawing's width in SVG units; its height follows the areas' shape
PAD = 8
LEGEND_ROW = 22
CLASSES = 5


class MapArea(NamedTuple):
    id: object
    name: str
    geometry: dict | None  # GeoJSON Polygon or MultiPolygon, (longitude, latitude)
    value: float | None  # None: no figure (hidden, or nothing to compare)
    label: str  # the figure as the table shows it, or why there is none
    hidden: bool = False  # too few responses: drawn hatched, never with a number


class MapTexts(NamedTuple):
    title: str
    desc: str
    legend: str  # what the colours mean, e.g. "Reacties per 1.000 inwoners"
    hidden: str  # "te weinig"
    none: str  # "geen cijfer"


def _polygons(geometry: dict | None) -> list:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _projection(areas: Sequence[MapArea]) -> tuple[Callable, float] | None:
    """(lon, lat) -> (x, y) fitted to the drawing's width, and the drawing's height.

    Equirectangular with the longitudes shrunk by the cosine of the middle latitude: true
    enough in shape for the few kilometres of one municipality.
    """
    points = [p for a in areas for poly in _polygons(a.geometry) for ring in poly for p in ring]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * shrink, 1e-9)
    span_y = max(max(lats) - min(lats), 1e-9)
    scale = min((WIDTH - 2 * PAD) / span_x, (WIDTH - 2 * PAD) / span_y)
    left, top = min(lons), max(lats)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return PAD + (lon - left) * shrink * scale, PAD + (top - lat) * scale

    return project, 2 * PAD + span_y * scale


def _path(geometry: dict | None, project: Callable) -> str:
    parts = []
    for polygon in _polygons(geometry):
        for ring in polygon:
            xy = [project(p[0], p[1]) for p in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


def breaks(values: Sequence[float], classes: int = CLASSES) -> list[float]:
    """Upper bounds of at most `classes` classes of equal width from the lowest value to the
    highest; one class when all values are the same."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [high]
    n = min(classes, len(set(values)))
    return [low + (high - low) * (i + 1) / n for i in range(n)]


def class_of(value: float, bounds: Sequence[float]) -> int:
    """The class (1-based) of a value."""
    for i, bound in enumerate(bounds, start=1):
        if value <= bound + 1e-9:
            return i
    return len(bounds)


def fill_class(index: int, count: int) -> str:
    """The CSS class of class `index` of `count`: spread over the palette, the top darkest."""
    if count <= 1:
        return f"map-c{CLASSES // 2 + 1}"
    return f"map-c{1 + round((index - 1) * (CLASSES - 1) / (count - 1))}"


def _legend(
    bounds, low, texts: MapTexts, fmt, extra: list[tuple[str, str]], top: float, hatch: str
) -> tuple[str, float]:
    """The legend under the map: a swatch and its range per class, then the other fills."""
    rows = []
    start = low
    for i, bound in enumerate(bounds, start=1):
        label = fmt(bound) if start == bound else f"{fmt(start)} – {fmt(bound)}"
        rows.append((fill_class(i, len(bounds)), label))
        start = bound
    rows += extra
    out = [f'<g class="map-legend" transform="translate({PAD},{top:.1f})">']
    out.append(f'<text class="map-legend-title" x="0" y="14">{escape(texts.legend)}</text>')
    for n, (css, label) in enumerate(rows, start=1):
        y = n * LEGEND_ROW
        fill = f' fill="url(#{hatch})"' if css == "map-hidden" else ""
        out.append(
            f'<rect class="{css}"{fill} x="0" y="{y}" width="18" height="14"></rect>'
            f'<text x="26" y="{y + 12}">{escape(label)}</text>'
        )
    out.append("</g>")
    return "".join(out), (len(rows) + 1) * LEGEND_ROW


def choropleth(
    map_id: str, areas: Sequence[MapArea], texts: MapTexts, fmt: Callable[[float], str] = str
) -> Markup:
    """The SVG of the areas that have a geometry, coloured by value; "" when none has one."""
    drawn = [a for a in areas if _polygons(a.geometry)]
    fitted = _projection(drawn)
    if fitted is None:
        return Markup("")
    project, height = fitted
    values = [a.value for a in drawn if a.value is not None and not a.hidden]
    bounds = breaks(values)
    extra = []
    if any(a.hidden for a in drawn):
        extra.append(("map-hidden", texts.hidden))
    if any(a.value is None and not a.hidden for a in drawn):
        extra.append(("map-none", texts.none))
    hatch = f"{map_id}-hatch"
    low = min(values, default=0)
    legend, legend_height = _legend(bounds, low, texts, fmt, extra, height + PAD, hatch)
    total = height + PAD + legend_height
    out = [
        f'<svg class="map" id="{map_id}" viewBox="0 0 {WIDTH} {total:.0f}" role="img" '
        f'aria-labelledby="{map_id}-title {map_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{map_id}-title">{escape(texts.title)}</title>',
        f'<desc id="{map_id}-desc">{escape(texts.desc)}</desc>',
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"></rect>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#595959" stroke-width="2"></line>'
        "</pattern></defs>",
        '<g class="map-areas">',
    ]
    for area in drawn:
        if area.hidden:
            css, fill = "map-hidden", f' fill="url(#{hatch})"'
        elif area.value is None:
            css, fill = "map-none", ""
        else:
            css, fill = fill_class(class_of(area.value, bounds), len(bounds)), ""
        label = texts.hidden if area.hidden else area.label
        out.append(
            f'<path class="{css}"{fill} data-area="{escape(str(area.id))}" '
            f'd="{_path(area.geometry, project)}">'
            f"<title>{escape(area.name)}: {escape(label)}</title></path>"
        )
    out.append("</g>")
    out.append(legend)
    out.append("</svg>")
    # Every text in it went through escape(); the rest is numbers and fixed markup.
    return Markup("".join(out))  # noqa: S704


class AreaMap(NamedTuple):
    """A map as a page shows it: the SVG, and the same figures for its table."""

    id: str
    caption: str
    svg: Markup
    areas: list[MapArea]
    texts: MapTexts


def area_map(
    map_id: str,
    caption: str,
    areas: Sequence[MapArea],
    texts: MapTexts,
    fmt: Callable[[float], str] = str,
) -> AreaMap | None:
    """The map and its table, or None when no area has a geometry to draw."""
    svg = choropleth(map_id, areas, texts, fmt)
    if not svg:
        return None
    return AreaMap(map_id, caption, svg, list(areas), texts)

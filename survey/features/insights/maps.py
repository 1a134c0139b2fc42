"""The Inzichten map: per buurt the profile reached least against what we expect there, with
the report's own small-group rule (a buurt whose mix is hidden is drawn "te weinig")."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from survey.core.mapsvg import AreaMap, MapArea, MapTexts, area_map
from survey.extensions import db
from survey.models import Area


def largest_gap(row: dict) -> dict | None:
    """The shown profile with the biggest shortfall of reached against expected share, or
    None when none falls short (or nothing is known to compare)."""
    short = [g for g in row["gaps"] if g["gap"] is not None and g["gap"] < 0]
    return min(short, key=lambda g: g["gap"]) if short else None


def _entry(area: Area, row: dict, names: dict) -> MapArea:
    if row["mix"] is None:
        return MapArea(area.id, area.name, area.boundary, None, "", hidden=True)
    if not row["gaps"]:
        return MapArea(area.id, area.name, area.boundary, None, _("geen verwachte mix"))
    gap = largest_gap(row)
    if gap is None and row["hidden"]:  # a hidden share may fall short: that is not told
        return MapArea(
            area.id, area.name, area.boundary, None, _("niet te tonen: aandelen verborgen")
        )
    if gap is None:
        label = _("geen profiel minder bereikt dan verwacht")
        return MapArea(area.id, area.name, area.boundary, 0, label)
    points = round(-100 * gap["gap"])
    label = _(
        "%(name)s: %(p)s procentpunt minder dan verwacht",
        name=names.get(gap["code"], gap["code"]),
        p=points,
    )
    return MapArea(area.id, area.name, area.boundary, points, label)


def gap_map(report: dict) -> AreaMap | None:
    """The map of the report's buurten, or None when none of them has a boundary."""
    rows = {r["id"]: r for r in report["areas"] if r["id"] and r["level"] == "buurt"}
    if not rows:
        return None
    buurten = db.session.scalars(
        select(Area).where(Area.id.in_(rows), Area.boundary.isnot(None)).order_by(Area.name)
    ).all()
    names = {p["code"]: p["name"] for p in report["profiles"]}
    areas = [_entry(area, rows[area.id], names) for area in buurten]
    texts = MapTexts(
        title=_("Kaart: het grootste gat per buurt"),
        desc=_(
            "Per buurt het profiel dat we het minst bereikten vergeleken met wat we daar "
            "verwachten. Hoe donkerder, hoe groter het gat. Gearceerd: te weinig reacties om te "
            "tonen. De cijfers staan ook in de tabel bij de kaart."
        ),
        legend=_("Grootste gat (procentpunt)"),
        hidden=_("te weinig"),
        none=_("geen cijfer"),
    )
    caption = _("Welk profiel we per buurt het minst bereikten")
    return area_map("insights-map", caption, areas, texts, lambda v: str(round(v)))

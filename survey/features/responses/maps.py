"""The dashboard's map: responses per 1,000 residents per buurt (or responses, where CBS gives
no population), from the dashboard's own protected per-area figures."""

from __future__ import annotations

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from survey.core.mapsvg import AreaMap, MapArea, MapTexts, area_map
from survey.extensions import db
from survey.features.responses.dashboard import Dashboard
from survey.models import Area


def _buurten(page_area_id: int | None) -> list[Area]:
    """The buurten with a boundary on the page: all of them, a wijk's, or the one buurt."""
    query = select(Area).where(Area.level == "buurt", Area.boundary.isnot(None))
    page = db.session.get(Area, page_area_id) if page_area_id else None
    if page is not None and page.level == "wijk":
        query = query.where(Area.parent_id == page.id)
    elif page is not None and page.level == "buurt":
        query = query.where(Area.id == page.id)
    return list(db.session.scalars(query.order_by(Area.name)))


def _population(area: Area) -> float | None:
    people = (area.figures or {}).get("AantalInwoners")
    return people if people else None


def dashboard_map(d: Dashboard, page_area_id: int | None) -> AreaMap | None:
    """The map of the page's buurten, or None when none of them has a boundary."""
    buurten = _buurten(page_area_id)
    if not buurten:
        return None
    counts = {bar.key: bar.count for bar in d.by_area if bar.key is not None}
    page_hidden = d.started is None  # nothing on a hidden page is shown, not even a zero
    per_1000 = all(_population(a) for a in buurten)
    areas = []
    for buurt in buurten:
        count = None if page_hidden else counts.get(buurt.id, 0)  # not listed: no responses
        if count is None:
            areas.append(MapArea(buurt.id, buurt.name, buurt.boundary, None, "", hidden=True))
        elif per_1000:
            rate = 1000 * count / _population(buurt)
            label = _("%(r)s per 1.000 inwoners", r=format_decimal(round(rate, 1)))
            areas.append(MapArea(buurt.id, buurt.name, buurt.boundary, rate, label))
        else:
            label = ngettext("%(num)s reactie", "%(num)s reacties", count)
            areas.append(MapArea(buurt.id, buurt.name, buurt.boundary, count, label))
    if per_1000:
        legend, title = _("Reacties per 1.000 inwoners"), _("Kaart: reacties per 1.000 inwoners")
        caption = _("Reacties per 1.000 inwoners per buurt")
    else:
        legend, title, caption = _("Reacties"), _("Kaart: reacties"), _("Reacties per buurt")
    texts = MapTexts(
        title=title,
        desc=_(
            "Hoe donkerder de buurt, hoe meer reacties. Gearceerd: te weinig reacties om te "
            "tonen. De cijfers staan ook in de tabel bij de kaart."
        ),
        legend=legend,
        hidden=_("te weinig"),
        none=_("geen cijfer"),
    )
    return area_map("dashboard-map", caption, areas, texts, lambda v: format_decimal(round(v, 1)))

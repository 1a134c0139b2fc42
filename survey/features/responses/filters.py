"""The filters an officer narrows responses to: every figure, table and export uses the same."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, literal, select, union

from survey.config import LANGUAGES
from survey.core.query import QueryArgs
from survey.extensions import db
from survey.features.tallies import read as tally_read
from survey.features.tallies.read import Narrowing
from survey.models import LAYERS, Area, Response, Survey, suspect_only


@dataclass(frozen=True)
class Filters:
    """What the officer narrowed the figures to; every figure and export uses the same one."""

    area_id: int | None = None
    channel_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    layer: str | None = None
    language: str | None = None
    problems: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Read the filters from a query string; a value that makes no sense is ignored, said."""
        query = QueryArgs(args)
        start, end = query.days()
        return cls(
            area_id=query.number("area"),
            channel_id=query.number("channel"),
            date_from=start,
            date_to=end,
            layer=query.choice("layer", LAYERS),
            language=query.choice("language", LANGUAGES),
            problems=tuple(query.problems),
        )

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments (only those that are set)."""
        values = {
            "area": self.area_id,
            "channel": self.channel_id,
            "from": self.date_from and self.date_from.isoformat(),
            "to": self.date_to and self.date_to.isoformat(),
            "layer": self.layer,
            "language": self.language,
        }
        return {k: str(v) for k, v in values.items() if v is not None}

    @property
    def active(self) -> bool:
        return bool(self.args())

    def narrowing(self) -> Narrowing:
        """Every filter but the area, as the tallies take them."""
        return Narrowing(
            channel_id=self.channel_id,
            date_from=self.date_from,
            date_to=self.date_to,
            layer=self.layer,
            language=self.language,
        )

    def area_ids(self):
        """The area and everything below it (a wijk includes its buurten), as a select."""
        children = select(Area.id).where(Area.parent_id == self.area_id)
        grandchildren = select(Area.id).where(Area.parent_id.in_(children))
        return union(select(literal(self.area_id)), children, grandchildren)

    def conditions(self, survey: Survey) -> list:
        """SQL conditions on Response for this survey and these filters."""
        return [Response.survey_id == survey.id, *self.narrowing_conditions()]

    def narrowing_conditions(self) -> list:
        """The SQL conditions on Response of these filters alone (none without a filter): for
        rows already limited to the survey, such as the answers to its own questions."""
        where = []
        if self.area_id is not None:
            where.append(Response.area_id.in_(self.area_ids()))
        if self.channel_id is not None:
            where.append(Response.channel_id == self.channel_id)
        if self.date_from is not None:
            where.append(Response.started_at >= datetime.combine(self.date_from, time(), UTC))
        if self.date_to is not None:
            end = datetime.combine(self.date_to + timedelta(days=1), time(), UTC)
            where.append(Response.started_at < end)
        if self.layer is not None:
            where.append(Response.layer == self.layer)
        if self.language is not None:
            where.append(Response.lang == self.language)
        return where


def filter_choices(survey: Survey) -> dict:
    """The options of the filter form: areas, the survey's channels, layers, languages."""
    areas = list(
        db.session.scalars(select(Area).where(Area.level != "gemeente").order_by(Area.name))
    )
    return {
        "areas": sorted(areas, key=lambda a: (a.level != "wijk", a.name)),
        "channels": list(survey.channels),
        "layers": LAYERS,
        "languages": [code for code in LANGUAGES if code in (survey.languages or LANGUAGES)],
    }


NARROWING = ("channel_id", "date_from", "date_to", "layer", "language")  # all but the area


def _wider(filters: Filters) -> list[Filters]:
    """The filter settings a reader can compare this one with: each narrowing filter left
    out in turn, and all of them (the area alone)."""
    set_ = [name for name in NARROWING if getattr(filters, name) is not None]
    wider = [replace(filters, **{name: None}) for name in set_]
    if len(set_) > 1:
        wider.append(replace(filters, **dict.fromkeys(set_)))
    return wider


def gives_a_group_away(survey: Survey, filters: Filters) -> bool:
    """Whether this filter leaves out between 1 and k-1 responses of a wider one, so that the
    figures of the two pages, subtracted, would show that small group (all minus a channel,
    a date range minus a smaller one). Areas are protected over the area tree instead. The
    counts of every wider setting come from one query over the tallies."""
    k = survey.min_group_size
    wider = _wider(filters)
    if not wider or k <= 1:
        return False
    area_ids = filters.area_ids() if filters.area_id is not None else None
    settings = [f.narrowing() for f in [filters, *wider]]
    n, *others = tally_read.started_counts(survey.id, area_ids, settings)
    return any(0 < other - n < k for other in others)


def listed_per_area(survey: Survey, filters: Filters) -> dict:
    """Area id (None: none) -> how many responses a row-level view (Reacties, Open
    antwoorden, the row export) lists under these filters: the counted ones read from the
    tallies, the suspect ones (few, found by their index) counted. Never a scan of them all."""
    area_ids = filters.area_ids() if filters.area_id is not None else None
    per_area = Counter(tally_read.started_by_area(survey.id, area_ids, filters.narrowing()))
    suspects = db.session.execute(
        select(Response.area_id, func.count(Response.id))
        .where(*filters.conditions(survey), suspect_only())
        .group_by(Response.area_id)
    )
    for area_id, n in suspects:
        per_area[area_id] += n
    return dict(per_area)

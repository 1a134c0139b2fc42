"""Reading officers' filters from a query string: a value that makes no sense is ignored, and
said in plain words (never a 500). The dashboard's filters and the Logboek's read the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from survey.core.database import parse_id
from survey.extensions import db

PAGE_SIZE = 50


class QueryArgs:
    """The query string's values, with the problems found while reading them."""

    def __init__(self, args: Mapping[str, str]):
        self.args = args
        self.problems: list[str] = []

    def _raw(self, name: str) -> str:
        return (self.args.get(name) or "").strip()

    def _not_understood(self, name: str) -> None:
        self.problems.append(_("Dit filter begrijpen we niet: %(name)s.", name=name))

    def number(self, name: str) -> int | None:
        raw = self._raw(name)
        if raw and parse_id(raw) is None:
            self._not_understood(name)
        return parse_id(raw)

    def choice(self, name: str, allowed: Collection[str]) -> str | None:
        raw = self._raw(name)
        if raw and raw not in allowed:
            self._not_understood(name)
        return raw if raw in allowed else None

    def matching(self, name: str, pattern) -> str | None:
        """A value of the shape `pattern` (a compiled regular expression), else None."""
        raw = self._raw(name)
        if raw and not pattern.fullmatch(raw):
            self._not_understood(name)
            return None
        return raw or None

    def _day(self, name: str) -> date | None:
        raw = self._raw(name)
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            self.problems.append(_("Een datum schrijf je als jjjj-mm-dd, bijvoorbeeld 2026-10-01."))
            return None

    def days(self, start: str = "from", end: str = "to") -> tuple[date | None, date | None]:
        """A range of days; a range that ends before it begins is all days."""
        first, last = self._day(start), self._day(end)
        if first and last and first > last:
            self.problems.append(_("De begindatum ligt na de einddatum. We tonen alle dagen."))
            return None, None
        return first, last


@dataclass(frozen=True)
class Page:
    """One page of a long list, and where it is in the list."""

    items: list
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def page_of(query, count, number: int, size: int = PAGE_SIZE) -> Page:
    """Page `number` of `query` (a page past the end is the last one); `count` is the number
    of rows, or a query that counts them."""
    total = count if isinstance(count, int) else db.session.scalar(count) or 0
    number = min(max(1, number), max(1, -(-total // size)))
    items = db.session.execute(query.limit(size).offset((number - 1) * size)).all()
    return Page(items, number, total, size)

"""Which tallies one response counts in: the one rule, used by every writer and by the recount.

A response adds one to the rows of its own (started, and completed once it is) and to the
rows of each answer (answered, and each value or element). Every row exists in grains that
keep fewer dimensions, so that a page reads a handful of rows however many responses there
are:

- FINE keeps buurt, channel, day, layer and language: the dashboard with a filter on them;
- AREA keeps the buurt (and, for the response rows, channel and day): the dashboard without
  such a filter, the builder and the officer home;
- DONE keeps the buurt of completed responses only: what public figures are made from;
- PUBLISHED is a copy of DONE taken each time k more responses are completed (see
  survey.features.tallies.service.publish), which the public pages and done screen read.

A suspect response counts nowhere until an officer accepts it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

FINE, AREA, DONE, PUBLISHED = 0, 1, 2, 3
RESPONSE = 0  # the question id of a response's own rows
STARTED, COMPLETED = "started", "completed"
ANSWERED = ""  # the answer is there (not skipped)
ANY = "*"  # a list answer with at least one element
EPOCH = date(1970, 1, 1)
LIST_TYPES = frozenset({"multiple", "ranking"})
VALUE_LENGTH = 200

# (grain, question id, value, area, channel, day, layer, lang)
Key = tuple[int, int, str, int, int, date, str, str]


@dataclass(frozen=True)
class Place:
    """Where a response counts: the dimensions every one of its rows carries."""

    counted: bool
    area: int
    channel: int
    day: date
    layer: str
    lang: str
    completed: bool


def place(
    *,
    suspect: bool,
    area_id: int | None,
    channel_id: int | None,
    day: date,
    layer: str | None,
    lang: str | None,
    completed: bool,
) -> Place:
    """Where a response counts, from its columns: the one rule, for a single response
    (place_of) and for the recount's groups of alike responses."""
    return Place(
        counted=not suspect,
        area=area_id or 0,
        channel=channel_id or 0,
        day=day,
        layer=layer or "",
        lang=lang or "",
        completed=bool(completed),
    )


def start_day(started_at: datetime) -> date:
    """The day a response's rows carry: the UTC date it started on."""
    if started_at.tzinfo is not None:
        started_at = started_at.astimezone(UTC)
    return started_at.date()


def place_of(response) -> Place:
    """The place of a Response, or of a row with the same column names."""
    return place(
        suspect=bool(response.suspect),
        area_id=response.area_id,
        channel_id=response.channel_id,
        day=start_day(response.started_at),
        layer=response.layer,
        lang=response.lang,
        completed=response.completed_at is not None,
    )


def answer_values(question_type: str, value) -> list[str]:
    """The values one stored answer counts under (none when it was skipped)."""
    if value is None:
        return []
    values = [ANSWERED]
    if question_type in LIST_TYPES:
        elements = value if isinstance(value, list) else [value]
        values += [ANY] if elements else []
        values += [str(e)[:VALUE_LENGTH] for e in dict.fromkeys(map(str, elements))]
    elif question_type == "area":
        if isinstance(value, dict) and value.get("area_id"):
            values.append(str(value["area_id"]))
    elif question_type != "text" and str(value) != ANSWERED:
        values.append(str(value)[:VALUE_LENGTH])
    return values


def _rows(spot: Place, question_id: int, value: str) -> tuple[Key, ...]:
    p = spot
    fine = (FINE, question_id, value, p.area, p.channel, p.day, p.layer, p.lang)
    if question_id == RESPONSE:
        area = (AREA, question_id, value, p.area, p.channel, p.day, "", "")
    else:
        area = (AREA, question_id, value, p.area, 0, EPOCH, "", "")
    if p.completed:
        return fine, area, (DONE, question_id, value, p.area, 0, EPOCH, "", "")
    return fine, area


def add_response(out: Counter, spot: Place, times: int = 1) -> Counter:
    """Add the response's own rows (started, and completed once it is) to `out`."""
    if spot.counted:
        for value in (STARTED, COMPLETED) if spot.completed else (STARTED,):
            for key in _rows(spot, RESPONSE, value):
                out[key] += times
    return out


def add_answer(
    out: Counter, spot: Place, question_id: int, question_type: str, value, times: int = 1
) -> Counter:
    """Add the rows of one answer (`times` alike answers) to `out`."""
    if spot.counted:
        for v in answer_values(question_type, value):
            for key in _rows(spot, question_id, v):
                out[key] += times
    return out


def response_rows(spot: Place) -> Counter:
    """The response's own rows: started, and completed once it is."""
    return add_response(Counter(), spot)


def answer_rows(spot: Place, question_id: int, question_type: str, value) -> Counter:
    """The rows one answer counts in."""
    return add_answer(Counter(), spot, question_id, question_type, value)


def difference(before: Counter, after: Counter) -> Counter:
    """after - before, keeping negative counts, without the keys that did not change."""
    out = Counter(after)
    out.subtract(before)
    return Counter({k: n for k, n in out.items() if n})


COLUMNS_SHOWN = ("grain", "question", "value", "buurt", "channel", "day", "layer", "lang")

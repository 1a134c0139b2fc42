"""The officer home: per survey what happened (responses today and in all) and what waits
(open answers to review, new volunteers, the last update published), most to do first.

Every figure comes from one grouped query over all surveys, so the page runs the same number
of queries for two surveys as for fifty. A figure is only counted for an officer whose role
may open the page it links to (the view says which, through `Shown`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Text, cast, func, literal, select, union_all

from survey.extensions import db
from survey.features.tallies import read as tally_read
from survey.models import Answer, Question, Survey, Update, Volunteer
from survey.models._types import utcnow
from survey.profiling.disclosure import protect

NEW_VOLUNTEER_DAYS = 7  # "new": signed up today or in the six days before (sign-up is a day)
UNREVIEWED = "visible"  # an open answer no officer has hidden, approved or marked yet
QUEUE_CAP = 1000  # the home page counts the answers waiting for review up to this many
STATUS_ORDER = {"open": 0, "draft": 1, "closed": 2}


@dataclass(frozen=True)
class Shown:
    """Which groups of figures the officer's role may see (the pages they link to)."""

    responses: bool = False  # the dashboard
    queue: bool = False  # Open antwoorden
    volunteers: bool = False  # the volunteer list
    updates: bool = False  # Terugkoppeling


@dataclass(frozen=True)
class Card:
    """One survey on the home. A count is None when it is not shown: the role may not see it,
    or (responses) the group is smaller than the survey's minimum, as on the dashboard."""

    survey: Survey
    started: int | None = None
    completed: int | None = None
    today: int | None = None
    rate: int | None = None  # completed as a percentage of started
    queue: int | None = None
    volunteers: int | None = None
    last_update: datetime | None = None
    days_since_update: int | None = None

    @property
    def to_do(self) -> int:
        """The one measure of "most to do": open answers to review plus new volunteers."""
        return (self.queue or 0) + (self.volunteers or 0)


def survey_cards(shown: Shown, now: datetime | None = None) -> list[Card]:
    """Every survey with the figures `shown` allows, the one with most to do first.

    Ties: open surveys before drafts, drafts before closed ones, then the newest first.
    "Today" is the app's day everywhere: the day in UTC, as the dashboard's "Per dag".
    """
    day = (now or utcnow()).astimezone(UTC).date()
    surveys = list(db.session.scalars(select(Survey).order_by(Survey.created_at.desc())))
    responses = _responses(day) if shown.responses else {}
    queue = _queue() if shown.queue else {}
    volunteers = _new_volunteers(day) if shown.volunteers else {}
    updates = _last_updates() if shown.updates else {}
    cards = []
    for survey in surveys:
        figures = _response_figures(survey, responses.get(survey.id, (0, 0, 0)))
        figures = figures if shown.responses else {}
        published = updates.get(survey.id)
        cards.append(
            Card(
                survey,
                **figures,
                queue=queue.get(survey.id, 0) if shown.queue else None,
                volunteers=volunteers.get(survey.id, 0) if shown.volunteers else None,
                last_update=published,
                days_since_update=(day - published.date()).days if published else None,
            )
        )
    return sorted(cards, key=lambda c: (-c.to_do, STATUS_ORDER.get(c.survey.status, 3)))


def _responses(day: date) -> dict[int, tuple[int, int, int]]:
    """Survey id -> (started, completed, started today) of the responses that count."""
    ids = list(db.session.scalars(select(Survey.id)))
    return tally_read.per_survey(ids, day)


def _response_figures(survey: Survey, counts: tuple[int, int, int]) -> dict:
    """Started, completed, today and the completion rate, with the dashboard's small-group rule:
    the total is hidden under the minimum, and a part whose rest could be worked out with it."""
    started, completed, today = counts
    k = survey.min_group_size
    done = protect({"completed": completed, "open": started - completed}, started, k)
    new = protect({"today": today, "earlier": started - today}, started, k)
    shown_done = done.cells.get("completed") if done.total is not None else None
    rate = round(100 * completed / started) if shown_done is not None and started else None
    return {
        "started": done.total,
        "completed": shown_done,
        "today": new.cells.get("today") if new.total is not None else None,
        "rate": rate,
    }


def _queue() -> dict[int, int]:
    """Survey id -> open answers that wait for review: what Open antwoorden lists under
    "Nog niet beoordeeld" (suspect responses too: they wait there as well), counted up to
    QUEUE_CAP, so the home page reads at most that many index rows per survey however many
    answers there are ("1.000 of meer")."""
    by_survey: dict[int, list[int]] = {}
    for question_id, survey_id in db.session.execute(
        select(Question.id, Question.survey_id).where(Question.type == "text")
    ):
        by_survey.setdefault(survey_id, []).append(question_id)
    counts = []
    for survey_id, question_ids in by_survey.items():
        waiting = (
            select(Answer.id)
            .where(
                Answer.question_id.in_(question_ids),
                Answer.moderation == UNREVIEWED,
                cast(Answer.value, Text) != "null",
            )
            .limit(QUEUE_CAP)
            .subquery()
        )
        counts.append(select(literal(survey_id), func.count()).select_from(waiting))
    return dict(db.session.execute(union_all(*counts)).all()) if counts else {}


def _new_volunteers(day: date) -> dict[int, int]:
    """Survey id -> volunteers who signed up in the last NEW_VOLUNTEER_DAYS days."""
    since = day - timedelta(days=NEW_VOLUNTEER_DAYS - 1)
    rows = db.session.execute(
        select(Volunteer.survey_id, func.count(Volunteer.id))
        .where(Volunteer.created_at >= since)
        .group_by(Volunteer.survey_id)
    )
    return dict(rows.all())


def _last_updates() -> dict[int, datetime]:
    """Survey id -> when its last update ("jullie zeiden, wij deden") was published."""
    rows = db.session.execute(
        select(Update.survey_id, func.max(Update.published_at))
        .where(Update.published_at.is_not(None))
        .group_by(Update.survey_id)
    )
    return dict(rows.all())

"""Swipe votes for officers: votes per statement, opinion groups, and the moderation queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.models import Answer, Question, Response, Survey, counted

if TYPE_CHECKING:  # pandas and scikit-learn load when the votes are first analysed
    import pandas as pd

    from survey.profiling.opinions import OpinionGroups

REVIEWS = ("approved", "rejected")
PLOT_SIZE = 320  # the 2-D picture's width and height, in SVG units
PLOT_MARGIN = 16
RESIDENT_GRID = 8  # a resident's picture rounds every dot to this many SVG units
# Colour and shape together, so colour is never the only cue (Okabe-Ito hues, darkened for 3:1).
MARKERS = [
    ("#0b61a4", "circle", _l("rondje")),
    ("#b34700", "square", _l("vierkantje")),
    ("#00795c", "triangle", _l("driehoekje")),
    ("#a7387f", "diamond", _l("ruitje")),
    ("#5b5b00", "cross", _l("kruisje")),
]


@dataclass(frozen=True)
class StatementVotes:
    """One statement's votes as officers see them: a count is None when hidden (see below)."""

    question: Question
    n: int | None  # votes given, skips included
    agree: int | None
    disagree: int | None
    skip: int | None

    @property
    def shown(self) -> bool:
        return self.n is not None

    @property
    def partly_hidden(self) -> bool:
        return self.shown and None in (self.agree, self.disagree, self.skip)

    def percent(self, count: int | None) -> int | None:
        if count is None or not self.n:
            return None
        return round(100 * count / self.n)


def statements(survey: Survey, review: str = "approved") -> list[Question]:
    return [q for q in survey.questions if q.type == "statement" and q.review == review]


def votes_frame(survey: Survey) -> pd.DataFrame:
    """Every vote on an approved statement: participant (response id), statement (code), vote."""
    import pandas as pd

    from survey.profiling.opinions import VOTES

    ids = {q.id: q.code for q in statements(survey) if not q.hidden}
    rows = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id.in_(list(ids)), counted())
    ).all()
    return pd.DataFrame(
        [(r, ids[q], VOTES.get(v, 0.0) if v is not None else 0.0) for r, q, v in rows],
        columns=["participant", "statement", "vote"],
    )


def statement_votes(survey: Survey, frame: pd.DataFrame | None = None) -> list[StatementVotes]:
    """Agree, disagree and skip counts per approved statement, in deck order.

    Each statement's row is protected by the small-group rule (a partition of its votes): a
    count under the minimum group size is hidden, and so is a count that would give it away.
    """
    from survey.profiling.opinions import vote_row

    frame = votes_frame(survey) if frame is None else frame
    counts = frame.groupby(["statement", "vote"]).size()
    result = []
    for q in statements(survey):
        if q.hidden:
            continue
        votes = (int(counts.get((q.code, v), 0)) for v in (1.0, -1.0, 0.0))
        row = vote_row(*votes, survey.min_group_size)
        result.append(StatementVotes(q, row.total, *row.cells.values()))
    return result


def opinion_groups(survey: Survey, frame: pd.DataFrame | None = None) -> OpinionGroups:
    """Groups of participants who vote alike; groups under the minimum size are hidden."""
    import pandas as pd

    from survey.profiling.opinions import find_groups

    frame = votes_frame(survey) if frame is None else frame
    if frame.empty:
        return find_groups(pd.DataFrame(), min_group_size=survey.min_group_size)
    matrix = frame.pivot_table(index="participant", columns="statement", values="vote")
    return find_groups(matrix, min_group_size=survey.min_group_size)


def _scale(result: OpinionGroups):
    """A function from the engine's coordinates to the SVG picture's (y upwards)."""
    xs = [xy[0] for xy in result.coordinates.values()]
    ys = [xy[1] for xy in result.coordinates.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    inner = PLOT_SIZE - 2 * PLOT_MARGIN
    low_x, high_y = min(xs), max(ys)

    def scale(xy, grid: float | None = None) -> tuple[float, float]:
        x = PLOT_MARGIN + (xy[0] - low_x) / span * inner
        y = PLOT_MARGIN + (high_y - xy[1]) / span * inner
        if grid:
            return round(x / grid) * grid, round(y / grid) * grid
        return round(x, 1), round(y, 1)

    return scale


def plot_points(result: OpinionGroups, grid: float | None = None) -> list[dict]:
    """Participants of shown groups as anonymous points scaled into the SVG picture; with a
    grid, every position is rounded to it and points on the same spot are drawn once."""
    if not result.coordinates:
        return []
    scale = _scale(result)
    points = set()
    listed = []
    for p, xy in result.coordinates.items():
        x, y = scale(xy, grid)
        point = (result.participants[p], x, y)
        if grid is None or point not in points:
            points.add(point)
            listed.append(point)
    return [{"x": x, "y": y, "group": g} for g, x, y in sorted(listed)]


@dataclass(frozen=True)
class ResidentMap:
    """The opinion groups as a resident sees them after the deck: dots rounded to a grid, their
    own spot and group, and how many groups are too small to show."""

    result: OpinionGroups
    points: list[dict]
    own: tuple[float, float] | None  # the resident's own (rounded) spot, when in a shown group
    own_group: int | None
    own_status: str  # "shown" | "hidden" (group too small) | "few_votes" | "no_groups"


def resident_map(survey: Survey, participant: int) -> ResidentMap:
    """The groups, the dots and the resident's own place, for the screen after the deck."""
    from survey.profiling.opinions import MIN_VOTES

    frame = votes_frame(survey)
    result = opinion_groups(survey, frame)
    own_group = result.participants.get(participant)
    own = None
    if own_group is not None:
        own = _scale(result)(result.coordinates[participant], RESIDENT_GRID)
        status = "shown"
    elif result.k == 0:
        status = "no_groups"
    elif (frame["participant"] == participant).sum() < min(MIN_VOTES, frame["statement"].nunique()):
        status = "few_votes"
    else:
        status = "hidden"
    return ResidentMap(result, plot_points(result, RESIDENT_GRID), own, own_group, status)


def pending_statements(survey: Survey) -> list[Question]:
    return statements(survey, "pending")


def find_statement(survey: Survey, question_id: int) -> Question | None:
    question = db.session.get(Question, question_id)
    if question is None or question.survey_id != survey.id or question.type != "statement":
        return None
    return question


def review_statement(question: Question, decision: str) -> None:
    """Approve a resident's statement (it enters everyone's deck) or reject it (ReviewForm)."""
    question.review = decision
    db.session.commit()


def decide_statement_personal_data(question: Question, decision: str, officer) -> None:
    """Confirm the personal data found in a resident's statement (it stays masked in every
    deck) or clear the mark (shown as written); the decision is checked by PersonalDataForm."""
    before = question.personal_data
    if not question.resident_written or before is None:
        raise UserError(
            _l("In deze uitspraak zijn geen persoonsgegevens gevonden."), code="no_personal_data"
        )
    question.settings = {**question.settings, "personal_data": decision}  # a new dict: saved
    audit(
        officer,
        "decide_personal_data",
        question.survey.slug,
        statement=question.id,
        decision=decision,
        before=before,
    )
    db.session.commit()

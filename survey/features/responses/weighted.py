"""The dashboard's closed questions weighted to each buurt's CBS age and household make-up.

Each buurt's respondents are raked to the buurt's own CBS margins (else its wijk's), the
rule of Inzichten (`insights.expectation.weights_for`); the spread over buurten stays as
reached. Responses without a buurt, or in a buurt no CBS figures cover, are left out and
counted. A share is shown only where the dashboard, with the same filters, shows that
answer's count: the small-group rule is the dashboard's, not a second one.

Above SAMPLE responses (under the filters) the shares are estimated from a random sample of
SAMPLE of them, drawn by probing random ids, so the page reads the same few thousand rows
however large the survey is; the page says so. The sample is the same on every view of the
same filters while no response is added.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from survey.extensions import db
from survey.features.insights.expectation import weights_for
from survey.features.responses.dashboard import Dashboard, answer_labels
from survey.features.responses.filters import Filters
from survey.features.tallies import read as tally_read
from survey.models import Answer, Area, Question, Response, Survey, counted
from survey.profiling.characteristics import CHARACTERISTICS

WEIGHTED_TYPES = ("single", "yesno", "scale")
SAMPLE = 3_000  # responses read at most; the margin of a share is then about 2 points
PROBES = 40  # ids probed per sampled response at most (a narrow filter matches few ids)
BATCH = 1_000


@dataclass
class WeightedQuestion:
    question: Question
    hidden: bool  # the dashboard hides this question's figures
    shares: list[tuple[str, float | None, float | None]]  # label, reached, weighted


@dataclass
class WeightedView:
    weighted: int = 0  # responses that got a weight
    left_out: int = 0  # responses without a buurt with CBS figures
    min_group: int = 10
    effective_n: int = 0
    buurten: list[str] = field(default_factory=list)
    questions: list[WeightedQuestion] = field(default_factory=list)
    sampled_from: int | None = None  # the responses under the filters, when a sample was read


def _answers(response_ids: list[int], question_ids: list[int]) -> dict:
    out: dict = {}
    for start in range(0, len(response_ids), BATCH):
        rows = db.session.execute(
            select(Answer.response_id, Answer.question_id, Answer.value).where(
                Answer.response_id.in_(response_ids[start : start + BATCH]),
                Answer.question_id.in_(question_ids),
            )
        )
        for response_id, question_id, value in rows:
            if value is not None:
                out.setdefault(response_id, {})[question_id] = str(value)
    return out


def _responses(survey: Survey, filters: Filters, where: list) -> tuple[list, int | None]:
    """(response id, area id) of the counted responses under the filters, and None; or, with
    more than SAMPLE of them, a random sample of SAMPLE and how many there are."""
    area_ids = filters.area_ids() if filters.area_id is not None else None
    total = sum(tally_read.started_by_area(survey.id, area_ids, filters.narrowing()).values())
    if total <= SAMPLE:
        return db.session.execute(select(Response.id, Response.area_id).where(*where)).all(), None
    low, high = db.session.execute(
        select(func.min(Response.id), func.max(Response.id)).where(Response.survey_id == survey.id)
    ).one()
    if low is None:  # the tallies promise responses the table does not hold: rebuild them
        return [], total
    rng = random.Random(f"{survey.id}:{sorted(filters.args().items())}:{high}")
    span = high - low + 1
    probes = rng.sample(range(low, high + 1), min(span, SAMPLE * PROBES))
    found: list = []
    for start in range(0, len(probes), BATCH):
        batch = probes[start : start + BATCH]
        rows = db.session.execute(
            select(Response.id, Response.area_id).where(*where, Response.id.in_(batch))
        )
        found.extend(rows)
        if len(found) >= SAMPLE:
            break
    return found[:SAMPLE], total


def build(survey: Survey, filters: Filters, lang: str, shown: Dashboard) -> WeightedView:
    """The weighted shares of the survey's closed questions under the dashboard's filters;
    `shown` is the dashboard for the same filters, whose hidden cells stay hidden."""
    import numpy as np
    import pandas as pd

    from survey.profiling.weights import effective_n

    where = [*filters.conditions(survey), counted()]
    responses, sampled_from = _responses(survey, filters, where)
    questions = [q for q in survey.questions if q.type in WEIGHTED_TYPES]
    items = {q.id: q.item for q in questions if q.item in CHARACTERISTICS}
    answers = _answers([r for r, _area in responses], [q.id for q in questions])
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.level == "buurt"))}
    view = WeightedView(min_group=survey.min_group_size, sampled_from=sampled_from)
    weights: dict[int, float] = {}
    by_buurt: dict[int, list[int]] = {}
    for response_id, area_id in responses:
        by_buurt.setdefault(area_id if area_id in areas else None, []).append(response_id)
    for area_id, ids in sorted(by_buurt.items(), key=lambda kv: kv[0] or 0):
        if area_id is None:
            view.left_out += len(ids)
            continue
        frame = pd.DataFrame(
            {item: [answers.get(r, {}).get(qid) for r in ids] for qid, item in items.items()}
        )
        found = weights_for(frame, areas[area_id]) if len(frame.columns) else None
        if found is None:
            view.left_out += len(ids)
            continue
        weights.update(zip(ids, found[0].tolist(), strict=True))
        view.buurten.append(areas[area_id].name)
    view.weighted = len(weights)
    view.effective_n = round(effective_n(np.array(list(weights.values())))) if weights else 0
    charts = {c.question.id: c for c in shown.charts}
    if weights and not shown.gives_away:
        view.questions = [
            _question(q, answers, weights, charts.get(q.id), lang)
            for q in questions
            if q.id in charts
        ]
    return view


def _question(question: Question, answers: dict, weights: dict, chart, lang: str):
    counts, sums = Counter(), Counter()
    for response_id, w in weights.items():
        value = answers.get(response_id, {}).get(question.id)
        if value is not None:
            counts[value] += 1
            sums[value] += w
    labels = dict(answer_labels(question, lang))
    hidden = chart is None or chart.hidden
    visible = {b.label for b in chart.bars if b.count is not None} if not hidden else set()
    n, total = sum(counts.values()), sum(sums.values())
    shares = [
        (
            label,
            counts[v] / n if label in visible and n else None,
            sums[v] / total if label in visible and total else None,
        )
        for v, label in labels.items()
    ]
    return WeightedQuestion(question, hidden, shares)

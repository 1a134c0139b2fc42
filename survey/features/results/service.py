"""Presenting the public figures: labelled bars and results per question for the public
results page and the done screen, and the summary of how many took part.

The figures themselves, and which of them may be shown, come from
survey.features.results.counts (the published tallies, protected by the disclosure rule).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.features.results.counts import (
    ThemeFigure,
    bin_edges,
    option_keys,
    public_questions,
    public_themes,
    tables,
)
from survey.features.tallies import read as tally_read
from survey.models import Answer, Area, Question, Response, Survey, counted, shown_text
from survey.models._types import text_and_lang, text_in
from survey.profiling import disclosure
from survey.profiling.disclosure import Row


@dataclass
class Bar:
    label: str
    count: int | None
    percent: int | None
    lang: str | None = None  # the language the label is really in, if it is survey content


@dataclass
class QuestionResult:
    question: Question
    text: str
    n: int | None
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    scope: str = ""  # the area name the figures are about
    themes: list[ThemeFigure] = field(default_factory=list)


def survey_summary(survey: Survey) -> dict:
    """How many took part, as published (a batch, rounded); hidden (None) under the minimum.

    Public figures move in batches of k completed responses (the survey's minimum group
    size): the tallies keep a copy that is renewed only when k more are completed (see
    survey.features.tallies.service.publish), so two loads of a public page, before and after
    one neighbour answers, show the same figures.
    """
    total = tally_read.published_completed(survey.id)
    row = disclosure.protect({"completed": total}, total, survey.min_group_size)
    return {"responses": disclosure.rounded(row.total), "completed": disclosure.rounded(total)}


def _labels(question: Question, lang: str, area_names: dict[int, str]) -> dict[str, str]:
    fixed = {
        "yes": _("Ja"),
        "no": _("Nee"),
        "agree": _("Eens"),
        "disagree": _("Oneens"),
        "skip": _("Overgeslagen"),
    }
    if question.type in ("yesno", "statement"):
        return fixed
    if question.type == "area":
        return {str(i): name for i, name in area_names.items()}
    if question.type == "number":
        edges = bin_edges(question)
        ends = [e - 1 for e in edges[1:]] + [int(question.settings.get("max", 100))]
        return {str(a): f"{a}–{b}" for a, b in zip(edges, ends, strict=True)}
    labels = {str(o["value"]): text_in(o["text"], lang) for o in question.options}
    if question.type == "scale" and not question.options:
        low, high = question.settings.get("low"), question.settings.get("high")
        first, last = option_keys(question)[0], option_keys(question)[-1]
        labels = {key: key for key in option_keys(question)}
        if low:
            labels[first] = f"{first} ({text_in(low, lang)})"
        if high:
            labels[last] = f"{last} ({text_in(high, lang)})"
    return labels


def _label_langs(question: Question, lang: str) -> dict[str, str]:
    """key -> the language an option's label is really in (a fallback to Dutch says so)."""
    return {str(o["value"]): text_and_lang(o["text"], lang)[1] for o in question.options}


def _bars(question: Question, row: Row, labels: dict[str, str], lang: str = "nl") -> list[Bar]:
    order = option_keys(question) or sorted(row.cells)
    order += [key for key in sorted(row.cells) if key not in order]
    langs = _label_langs(question, lang)
    bars = []
    for key in order:
        if key not in row.cells:
            continue
        count = row.cells[key]
        percent = round(100 * count / row.total) if count is not None and row.total else None
        bar = Bar(labels.get(key, key), disclosure.rounded(count), percent, langs.get(key))
        bars.append(bar)
    return bars


def _area_names() -> dict[int, str]:
    return dict(db.session.execute(select(Area.id, Area.name)).all())


def approved_texts(survey: Survey) -> dict[int, list[str]]:
    """Open answers an officer approved for publication, per question; personal data masked
    unless an officer cleared it.

    The approved answers come by their own index first and their responses after (those few
    by id): joined in one query, SQLite would first read every response of the survey."""
    open_ids = [q.id for q in survey.questions if q.type == "text"]
    rows = db.session.execute(
        select(Answer.question_id, Answer.value, Answer.personal_data, Answer.response_id)
        .where(Answer.question_id.in_(open_ids), Answer.moderation == "approved")
        .order_by(Answer.id)
    ).all()
    response_ids = sorted({row.response_id for row in rows})
    kept: set[int] = set()
    for start in range(0, len(response_ids), 900):
        chunk = response_ids[start : start + 900]
        kept.update(
            db.session.scalars(select(Response.id).where(Response.id.in_(chunk), counted()))
        )
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, value, mark, response_id in rows:
        if response_id in kept and isinstance(value, str) and value.strip():
            texts[question_id].append(shown_text(value.strip(), mark))
    return texts


def survey_results(survey: Survey, lang: str) -> list[QuestionResult]:
    """Per public question the protected bars, or the approved open answers and themes."""
    protected = tables(survey)
    texts = approved_texts(survey)
    themes = public_themes(survey)
    names = _area_names()
    results = []
    for q in public_questions(survey):
        if q.type == "text":
            shown = QuestionResult(q, q.text_in(lang), None, texts=texts.get(q.id, []))
            shown.themes = themes.get(q.id, [])
            results.append(shown)
            continue
        whole = protected[q.id].whole
        bars = _bars(q, whole, _labels(q, lang, names), lang) if whole.total is not None else []
        n = disclosure.rounded(whole.total)
        results.append(QuestionResult(q, q.text_in(lang), n, bars))
    return results


def key_questions(survey: Survey, limit: int = 3) -> list[Question]:
    """The first few closed core questions about the neighbourhood (not the profile items)."""
    wanted = ("multiple", "single", "scale", "yesno", "statement")
    core = [q for q in public_questions(survey) if q.layer == "core" and not q.item]
    return [q for q in core if q.type in wanted and not q.show_if][:limit]


def area_results(
    survey: Survey, area_id: int | None, lang: str, limit: int = 3
) -> list[QuestionResult]:
    """Key questions for a buurt where its figures may be shown, otherwise the whole survey."""
    protected = tables(survey)
    names = _area_names()
    whole_name = survey.area.name if survey.area else _("iedereen")
    results = []
    for q in key_questions(survey, limit):
        table = protected[q.id]
        row, scope = table.whole, whole_name
        local = table.areas.get(area_id)
        if local and local.total is not None and any(c is not None for c in local.cells.values()):
            row, scope = table.areas[area_id], names.get(area_id, "")
        if row.total is None:
            continue
        bars = _bars(q, row, _labels(q, lang, names), lang)
        n = disclosure.rounded(row.total)
        results.append(QuestionResult(q, q.text_in(lang), n, bars, scope=scope))
    return results

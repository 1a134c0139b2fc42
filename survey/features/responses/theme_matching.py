"""Finding an open question's themes again: whether its answers changed, the engine's run over
them (survey/profiling/themes.py), and which stored theme each new theme takes over.

Whether anything changed is read from one grouped aggregate over the survey's open questions,
never from the answers themselves, so an unchanged page costs the same for 100 answers as for
100,000. The aggregate covers what the themes depend on: which answers count (a new answer, an
erased text, an accepted suspect response), their texts (a resident's edit stamps answered_at
anew; the texts' total length changes with most edits too), whether each may be quoted
(moderation and personal-data decisions), and the k an officer asked for. Only a question whose
aggregate changed has its answers read and its themes found again.

Each new theme takes over the stored theme it overlaps most: by shared answers (Jaccard at
least 0.3), else by shared top words (at least 0.5). A theme an officer merged into another
passes what matches it on to that one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import BigInteger, Text, and_, case, cast, func, or_, select

from survey.extensions import db
from survey.models import Answer, Response, Survey, Theme, ThemeSet, shown_text, suspect_only
from survey.models._types import utcnow
from survey.profiling import themes as engine

NOT_QUOTED = ("hidden", "personal")  # moderation states never quoted as representative
PERSONAL = ("found", "confirmed")  # personal data marks never quoted either
ANSWER_OVERLAP = 0.3
WORD_OVERLAP = 0.5
# An answer id spread over [0, 2**31 - 1) (a multiplicative hash, prime modulus), so that a
# sum of them tells sets of answers apart far better than a sum of the ids themselves.
_SPREAD, _MODULUS = 1_103_515_245, 2**31 - 1
_VERSION = "aggregate-1"  # a stored fingerprint of another kind never matches


def quotable(answer: Answer) -> bool:
    """May this answer be quoted as a representative of its theme?"""
    return answer.moderation not in NOT_QUOTED and answer.personal_data not in PERSONAL


def quotable_sql():
    """quotable() as a SQL condition (an answer without a personal data mark may be quoted)."""
    return and_(
        Answer.moderation.not_in(NOT_QUOTED),
        or_(Answer.personal_data.is_(None), Answer.personal_data.not_in(PERSONAL)),
    )


def _open_texts(survey: Survey, question_ids: list[int]) -> tuple:
    """The answers themes are found in: counted, to these open questions, with a text.

    The questions are the survey's own, so no response needs joining: the few suspect ones
    (found by their index) are left out by id, and the database reads only the open answers."""
    suspects = select(Response.id).where(Response.survey_id == survey.id, suspect_only())
    return (
        Answer.question_id.in_(question_ids),
        Answer.response_id.not_in(suspects),
        cast(Answer.value, Text) != "null",
    )


def fingerprints(survey: Survey, theme_sets: dict[int, ThemeSet]) -> dict[int, str]:
    """question id -> a hash of what its themes depend on, for all of them in one query."""
    spread = cast(Answer.id, BigInteger) * _SPREAD % _MODULUS
    rows = db.session.execute(
        select(
            Answer.question_id,
            func.count(),
            func.max(Answer.id),
            func.sum(spread),
            func.sum(case((quotable_sql(), spread), else_=0)),
            func.max(Answer.answered_at),
            func.sum(func.length(cast(Answer.value, Text))),
        )
        .where(*_open_texts(survey, list(theme_sets)))
        .group_by(Answer.question_id)
    )
    found = {question_id: "|".join(map(str, rest)) for question_id, *rest in rows}
    return {
        question_id: hashlib.sha256(
            f"{_VERSION}|k={theme_set.k}|{found.get(question_id, '')}".encode()
        ).hexdigest()
        for question_id, theme_set in theme_sets.items()
    }


def answers_of(survey: Survey, question_ids: list[int]) -> dict[int, list[Answer]]:
    """question id -> its counted open answers with text, in one query."""
    if not question_ids:
        return {}
    rows = db.session.scalars(
        select(Answer).where(*_open_texts(survey, question_ids)).order_by(Answer.id)
    )
    found: dict[int, list[Answer]] = defaultdict(list)
    for answer in rows:
        if isinstance(answer.value, str) and answer.value.strip():
            found[answer.question_id].append(answer)
    return found


def answers_by_id(survey: Survey, question_ids: list[int], ids: set[int]) -> dict[int, Answer]:
    """The given answers (representatives to quote), if they still count and have a text."""
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(*_open_texts(survey, question_ids), Answer.id.in_(sorted(ids)))
    )
    return {answer.id: answer for answer in rows}


def recompute(theme_set: ThemeSet, answers: list[Answer], fingerprint: str) -> None:
    """Find the question's themes again and store them, keeping what officers made of them."""
    found = engine.find_themes(
        [
            engine.OpenAnswer(a.id, shown_text(a.value, a.personal_data), quotable(a))
            for a in answers
        ],
        k=theme_set.k,
    )
    theme_set.chosen_k, theme_set.chosen_by = found.k, found.chosen_by
    theme_set.answers, theme_set.fingerprint = len(answers), fingerprint
    theme_set.computed_at = utcnow()
    _keep_names(theme_set, found.themes)


def _jaccard(a, b) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a or b else 0.0


def _matches(new: list[engine.Theme], stored: list[Theme]) -> dict[int, Theme]:
    """new theme index -> the stored theme it takes over (each stored theme once)."""
    pairs = []
    for i, theme in enumerate(new):
        for old in stored:
            by_answers = _jaccard(theme.answer_ids, old.answer_ids)
            by_words = _jaccard(theme.top_words, old.top_words)
            if by_answers >= ANSWER_OVERLAP or by_words >= WORD_OVERLAP:
                pairs.append((by_answers, by_words, -i, -old.id, i, old))
    pairs.sort(key=lambda p: p[:4], reverse=True)
    taken: dict[int, Theme] = {}
    used: set[int] = set()
    for *_score, i, old in pairs:
        if i not in taken and old.id not in used:
            taken[i] = old
            used.add(old.id)
    return taken


def _keep_names(theme_set: ThemeSet, new: list[engine.Theme]) -> None:
    """Store the new themes, each in the row of the stored theme it matches."""
    stored = list(theme_set.themes)
    by_id = {t.id: t for t in stored}
    matched = _matches(new, stored)
    targets: dict[int, list[engine.Theme]] = defaultdict(list)  # id(row) -> new themes
    rows: dict[int, Theme] = {}
    for i, theme in enumerate(new):
        row = matched.get(i)
        if row is None:
            row = Theme()
            theme_set.themes.append(row)
        else:  # a merged theme keeps tracking its own part, and passes it on
            describe(row, [theme])
            while row.merged_into_id and row.merged_into_id in by_id:
                row = by_id[row.merged_into_id]
        targets[id(row)].append(theme)
        rows[id(row)] = row
    merged_into = {t.merged_into_id for t in stored}
    for row in stored:
        if id(row) not in rows and not row.merged_into_id:
            if row.edited or row.id in merged_into:
                row.size, row.answer_ids, row.representative_ids = 0, [], []
            else:
                theme_set.themes.remove(row)
    for key, row in rows.items():
        describe(row, targets[key])
    ordered = sorted(rows.values(), key=lambda r: -r.size)
    for position, row in enumerate(ordered):
        row.position = position


def describe(row: Theme, parts: list[engine.Theme]) -> None:
    """Top words, answers and quotes of one or more new themes (a merge), largest first."""
    parts = sorted(parts, key=lambda t: -t.size)
    row.answer_ids = sorted(i for t in parts for i in t.answer_ids)
    row.size = len(row.answer_ids)
    row.top_words = _interleave([t.top_words for t in parts], engine.TOP_WORDS)
    row.representative_ids = _interleave([t.representatives for t in parts], engine.REPRESENTATIVES)


def _interleave(lists: list[list], limit: int) -> list:
    out: list = []
    for level in range(max((len(x) for x in lists), default=0)):
        for items in lists:
            if level < len(items) and items[level] not in out:
                out.append(items[level])
    return out[:limit]

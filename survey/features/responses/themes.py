"""Thema's on Open antwoorden: the themes of each open question, found by the engine
(survey/profiling/themes.py) and kept with officers' names, merges, hidden and public flags.

The answers of a survey's open questions are read in one query. A question's themes are
found again when its answers (or whether they may be quoted) changed, or when an officer
sets the number of themes. Each new theme takes over the stored theme it overlaps most: by
shared answers (Jaccard at least 0.3), else by shared top words (at least 0.5). A theme an
officer merged into another passes what matches it on to that one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Text, cast, select

from survey.core.audit import audit
from survey.core.database import MAX_ID
from survey.core.errors import UserError
from survey.extensions import db
from survey.models import (
    THEME_NAME_MAX,
    Answer,
    Question,
    Response,
    Survey,
    Theme,
    ThemeSet,
    counted,
    shown_text,
)
from survey.models._types import utcnow
from survey.profiling import themes as engine

NOT_QUOTED = ("hidden", "personal")  # moderation states never quoted as representative
PERSONAL = ("found", "confirmed")  # personal data marks never quoted either
ANSWER_OVERLAP = 0.3
WORD_OVERLAP = 0.5
FLAGS = ("hide", "show", "publish", "unpublish")
UNKNOWN_THEME = _l("Dit thema bestaat niet (meer). Laad de pagina opnieuw.")


@dataclass
class ShownTheme:
    theme: Theme
    quotes: list[str]


@dataclass
class QuestionThemes:
    question: Question
    theme_set: ThemeSet
    themes: list[ShownTheme] = field(default_factory=list)  # not hidden, largest first
    hidden: list[Theme] = field(default_factory=list)
    unthemed: int = 0

    @property
    def too_few(self) -> bool:
        return self.theme_set.chosen_k == 0


def quotable(answer: Answer) -> bool:
    """May this answer be quoted as a representative of its theme?"""
    return answer.moderation not in NOT_QUOTED and answer.personal_data not in PERSONAL


def _open_questions(survey: Survey) -> list[Question]:
    return [q for q in survey.questions if q.type == "text"]


def _answers(survey: Survey, questions: list[Question]) -> dict[int, list[Answer]]:
    """question id -> its counted open answers with text, in one query."""
    rows = db.session.scalars(
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.survey_id == survey.id,
            counted(),
            Answer.question_id.in_([q.id for q in questions]),
            cast(Answer.value, Text) != "null",
        )
        .order_by(Answer.id)
    )
    found: dict[int, list[Answer]] = defaultdict(list)
    for answer in rows:
        if isinstance(answer.value, str) and answer.value.strip():
            found[answer.question_id].append(answer)
    return found


def _fingerprint(answers: list[Answer], k: int | None) -> str:
    digest = hashlib.sha256(f"k={k}".encode())
    for a in answers:
        digest.update(f"|{a.id}:{int(quotable(a))}:".encode())
        digest.update(a.value.encode("utf-8", "replace"))
    return digest.hexdigest()


def _set_of(question: Question) -> ThemeSet:
    found = db.session.scalar(select(ThemeSet).where(ThemeSet.question_id == question.id))
    if found is None:
        found = ThemeSet(question_id=question.id)
        db.session.add(found)
    return found


def refresh_themes(survey: Survey, force: bool = False) -> list[QuestionThemes]:
    """The themes of every open question, found again where the answers changed (or all of
    them with `force`), with the officers' names kept."""
    questions = _open_questions(survey)
    answers = _answers(survey, questions) if questions else {}
    shown = []
    for question in questions:
        theme_set = _set_of(question)
        mine = answers.get(question.id, [])
        fingerprint = _fingerprint(mine, theme_set.k)
        if force or theme_set.fingerprint != fingerprint:
            _recompute(theme_set, mine, fingerprint)
        shown.append(_shown(question, theme_set, {a.id: a for a in mine}))
    db.session.commit()
    return shown


def _recompute(theme_set: ThemeSet, answers: list[Answer], fingerprint: str) -> None:
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
            _describe(row, [theme])
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
        _describe(row, targets[key])
    ordered = sorted(rows.values(), key=lambda r: -r.size)
    for position, row in enumerate(ordered):
        row.position = position


def _describe(row: Theme, parts: list[engine.Theme]) -> None:
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


def _shown(question: Question, theme_set: ThemeSet, answers: dict[int, Answer]) -> QuestionThemes:
    view = QuestionThemes(question, theme_set)
    themed = set()
    for theme in sorted(theme_set.themes, key=lambda t: t.position):
        if theme.merged_into_id or theme.size == 0:
            continue
        themed.update(theme.answer_ids)
        if theme.hidden:
            view.hidden.append(theme)
            continue
        quotes = [  # checked again: only what may be quoted now
            shown_text(answers[i].value, answers[i].personal_data)
            for i in theme.representative_ids
            if i in answers and quotable(answers[i])
        ]
        view.themes.append(ShownTheme(theme, quotes))
    view.unthemed = len(set(answers) - themed)
    return view


# --- officers' edits -------------------------------------------------------------------------


def _find(survey: Survey, theme_id: int) -> Theme | None:
    theme = db.session.get(Theme, theme_id) if 0 < theme_id <= MAX_ID else None
    question = theme.theme_set.question if theme else None
    return theme if question is not None and question.survey_id == survey.id else None


def question_of(survey: Survey, theme_id: int) -> int | None:
    """The open question of a theme of this survey, or None."""
    theme = _find(survey, theme_id)
    return theme.theme_set.question_id if theme else None


def _theme(survey: Survey, theme_id: int) -> Theme:
    theme = _find(survey, theme_id)
    if theme is None:
        raise UserError(UNKNOWN_THEME, code="theme")
    return theme


def rename_theme(survey: Survey, theme_id: int, name: str, officer) -> Theme:
    """Give a theme a name of the officer's own; it stays when the themes are found again."""
    theme = _theme(survey, theme_id)
    name = (name or "").strip()
    if not name:
        raise UserError(_l("Geef het thema een naam."), field="name", code="theme_name")
    if len(name) > THEME_NAME_MAX:
        raise UserError(
            _l("Deze naam is te lang. Gebruik hoogstens %(n)s tekens.", n=THEME_NAME_MAX),
            field="name",
            code="theme_name",
        )
    before, theme.name = theme.name, name
    audit(officer, "rename_theme", survey.slug, theme=theme.id, before=before, name=name)
    db.session.commit()
    return theme


def flag_theme(survey: Survey, theme_id: int, flag: str, officer) -> Theme:
    """Hide or show a theme; approve it for the public results or take that back."""
    theme = _theme(survey, theme_id)
    if flag in ("hide", "show"):
        theme.hidden = flag == "hide"
    elif flag in ("publish", "unpublish"):
        theme.public = flag == "publish"
    else:
        raise UserError(_l("Kies wat er met dit thema moet."), code="theme_flag")
    audit(officer, "flag_theme", survey.slug, theme=theme.id, flag=flag)
    db.session.commit()
    return theme


def merge_themes(survey: Survey, theme_id: int, into_id: int, officer) -> Theme:
    """Put a theme's answers into another theme of the same question, now and from now on."""
    theme, into = _theme(survey, theme_id), _theme(survey, into_id)
    if theme.id == into.id or theme.theme_set_id != into.theme_set_id or into.merged_into_id:
        raise UserError(
            _l("Kies een ander thema van dezelfde vraag om mee samen te voegen."),
            field="into",
            code="theme_merge",
        )
    for alias in theme.theme_set.themes:  # themes merged into this one move along
        if alias.merged_into_id == theme.id:
            alias.merged_into_id = into.id
    own = engine.Theme(
        list(theme.top_words), list(theme.answer_ids), list(theme.representative_ids)
    )
    whole = engine.Theme(list(into.top_words), list(into.answer_ids), list(into.representative_ids))
    _describe(into, [whole, own])
    theme.merged_into_id = into.id
    into.public = into.public and theme.public
    audit(officer, "merge_themes", survey.slug, theme=theme.id, into=into.id)
    db.session.commit()
    return into


def set_theme_count(survey: Survey, question_id: int, k: int | None, officer) -> ThemeSet:
    """Ask for k themes for an open question (None: let the engine choose); found again now."""
    question = db.session.get(Question, question_id)
    if question is None or question.survey_id != survey.id or question.type != "text":
        raise UserError(_l("Deze open vraag bestaat niet (meer)."), code="theme_question")
    if k is not None and not engine.MIN_K <= k <= engine.MAX_K:
        raise UserError(
            _l(
                "Kies een aantal thema's van %(low)s tot en met %(high)s.",
                low=engine.MIN_K,
                high=engine.MAX_K,
            ),
            field="k",
            code="theme_k",
        )
    theme_set = _set_of(question)
    theme_set.k = k
    audit(officer, "set_theme_count", survey.slug, question=question.code, k=k)
    db.session.flush()
    refresh_themes(survey)  # commits
    return theme_set


def listing(survey: Survey) -> list[dict]:
    """Every open question's themes as the CLI prints them, found again from the answers."""
    out = []
    for view in refresh_themes(survey, force=True):
        for theme in view.theme_set.themes:
            if theme.merged_into_id or theme.size == 0:
                continue
            out.append(
                {
                    "question": view.question.code,
                    "name": theme.label,
                    "top_words": list(theme.top_words),
                    "size": theme.size,
                    "answer_ids": list(theme.answer_ids),
                }
            )
    return out

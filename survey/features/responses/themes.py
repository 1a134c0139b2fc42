"""Thema's on Open antwoorden: the themes of each open question, kept with officers' names,
merges, hidden and public flags; the officers' edits; the `themes` listing.

A page view reads the theme sets and one aggregate of the open answers; only a question whose
answers (or whether they may be quoted, or the number of themes asked for) changed has its
answers read and its themes found again (theme_matching.py). Otherwise the view reads no more
answers than the few it quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.core.audit import audit
from survey.core.database import MAX_ID
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.responses import theme_matching as matching
from survey.features.responses.theme_matching import quotable
from survey.models import THEME_NAME_MAX, Answer, Question, Survey, Theme, ThemeSet, shown_text
from survey.profiling import themes as engine

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


def _sets_of(questions: list[Question]) -> dict[int, ThemeSet]:
    """question id -> its theme set with its themes (made when missing), in one query."""
    found = {
        s.question_id: s
        for s in db.session.scalars(
            select(ThemeSet)
            .where(ThemeSet.question_id.in_([q.id for q in questions]))
            .options(selectinload(ThemeSet.themes))
        )
    }
    for question in questions:
        if question.id not in found:
            found[question.id] = ThemeSet(question_id=question.id)
            db.session.add(found[question.id])
    return found


def refresh_themes(survey: Survey, force: bool = False) -> list[QuestionThemes]:
    """The themes of every open question, found again where the answers changed (or all of
    them with `force`), with the officers' names kept."""
    shown, changed = _refresh(survey, force)
    if changed:  # else nothing was written, and the page's loaded rows stay loaded
        db.session.commit()
    return shown


def _refresh(survey: Survey, force: bool) -> tuple[list[QuestionThemes], bool]:
    """The themes shown, and whether any question's themes were found again (not committed)."""
    questions = [q for q in survey.questions if q.type == "text"]
    if not questions:
        return [], False
    sets = _sets_of(questions)
    prints = matching.fingerprints(survey, sets)  # before the answers: a later one misses none
    changed = [q.id for q in questions if force or sets[q.id].fingerprint != prints[q.id]]
    answers = matching.answers_of(survey, changed)
    for question_id in changed:
        matching.recompute(sets[question_id], answers.get(question_id, []), prints[question_id])
    loaded = {a.id: a for mine in answers.values() for a in mine}
    wanted = {i for s in sets.values() for t in _listed(s) for i in t.representative_ids}
    quoted = {i: loaded[i] for i in wanted if i in loaded}
    quoted |= matching.answers_by_id(survey, list(sets), wanted - set(loaded))
    return [_shown(q, sets[q.id], quoted) for q in questions], bool(changed)


def _listed(theme_set: ThemeSet) -> list[Theme]:
    """The themes found in the last run, merged ones left out, in their order."""
    ordered = sorted(theme_set.themes, key=lambda t: t.position)
    return [t for t in ordered if not t.merged_into_id and t.size > 0]


def _shown(question: Question, theme_set: ThemeSet, quoted: dict[int, Answer]) -> QuestionThemes:
    view = QuestionThemes(question, theme_set)
    themed = set()
    for theme in _listed(theme_set):
        themed.update(theme.answer_ids)
        if theme.hidden:
            view.hidden.append(theme)
            continue
        quotes = [  # checked again: only what may be quoted now
            shown_text(quoted[i].value, quoted[i].personal_data)
            for i in theme.representative_ids
            if i in quoted and quotable(quoted[i])
        ]
        view.themes.append(ShownTheme(theme, quotes))
    # every themed answer was among the answers of the last run (a merge only joins them)
    view.unthemed = max(theme_set.answers - len(themed), 0)
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
    matching.describe(into, [whole, own])
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
    theme_set = _sets_of([question])[question.id]
    theme_set.k = k
    audit(officer, "set_theme_count", survey.slug, question=question.code, k=k)
    db.session.flush()
    _refresh(survey, force=False)  # found again: k is part of the fingerprint
    db.session.commit()
    return theme_set


def listing(survey: Survey) -> list[dict]:
    """Every open question's themes as the CLI prints them, found again from the answers."""
    out = []
    for view in refresh_themes(survey, force=True):
        for theme in _listed(view.theme_set):
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

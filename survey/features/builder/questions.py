"""Editing a survey's questions: add, edit in place, move, hide and delete.

A question that has answers is never deleted, only hidden; an option someone chose stays.
"""

from __future__ import annotations

import re
from collections import Counter

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.core.forms import CONTROL, UNREADABLE
from survey.extensions import db
from survey.features.builder.service import (
    CODE_RE,
    OPTION_TYPES,
    SETTINGS,
    check_conditions,
    order_key,
    slugify,
)
from survey.features.tallies import read as tally_read
from survey.features.tallies.keys import ANSWERED
from survey.features.tallies.read import Narrowing
from survey.models import LAYERS, QUESTION_TYPES, Answer, Officer, Question, Survey

SCALE_ENDS = ("low", "high")  # settings.low / settings.high: the labels of a scale's ends


def answer_count(question: Question) -> int:
    return db.session.scalar(select(func.count(Answer.id)).where(Answer.question_id == question.id))


def answer_counts(survey: Survey) -> dict[int, int]:
    """Question id -> how many counted responses answered it (from the tallies)."""
    counts: Counter = Counter()
    for qid, _area, value, n in tally_read.answers(survey.id, Narrowing()):
        if value == ANSWERED:
            counts[qid] += n
    return dict(counts)


def _check_or_undo(survey: Survey) -> None:
    """Check the conditions before anything is stored; undo every change when they fail."""
    try:
        check_conditions(survey)
    except UserError:
        db.session.rollback()
        raise


def _free_code(survey: Survey, base: str) -> str:
    base = (slugify(base, 30).replace("-", "_") or "vraag").lstrip("0123456789_") or "vraag"
    taken = {q.code for q in survey.questions}
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def add_question(officer: Officer, survey: Survey, qtype: str, text: str, layer: str) -> Question:
    """Append a question of a type with its Dutch text; options and more come in editing.

    The text and layer are checked by NewQuestionForm; the type must suit the survey's kind.
    """
    if qtype not in allowed_types(survey):
        raise UserError(_l("Kies een soort vraag."), field="type")
    question = Question(
        code=_free_code(survey, " ".join(text.split()[:3])),
        type=qtype,
        text={"nl": text},
        layer=layer,
        position=max((q.position for q in survey.questions), default=0) + 1,
        options=[],
        settings={"min": 1, "max": 5} if qtype == "scale" else {},
        required=False,
    )
    survey.questions.append(question)
    db.session.flush()
    audit(officer, "add_question", survey.slug, question=question.code, type=qtype)
    db.session.commit()
    return question


def allowed_types(survey: Survey) -> tuple[str, ...]:
    if survey.kind == "swipe":
        return ("statement",)
    return tuple(t for t in QUESTION_TYPES if t != "statement")


def draft_of(question: Question) -> dict:
    """The editable state of a question, as the edit form shows it."""
    return {
        "code": question.code,
        "layer": question.layer,
        "required": question.required,
        "text": dict(question.text or {}),
        "help": dict(question.help or {}),
        "options": [
            {"value": str(o["value"]), "text": dict(o.get("text") or {})} for o in question.options
        ],
        "settings": dict(question.settings or {}),
        "show_if": dict(question.show_if) if question.show_if else None,
    }


def form_value(form: dict, name: str) -> str:
    values = form.get(name) or [""]
    return (values[-1] or "").strip()


def form_texts(form: dict, prefix: str, languages) -> dict:
    texts = {lang: form_value(form, f"{prefix}_{lang}") for lang in languages}
    return {lang: text for lang, text in texts.items() if text}


def read_draft(survey: Survey, question: Question, form: dict[str, list[str]]) -> dict:
    """The edit form's state as submitted (not checked yet); also handles option actions."""
    languages = survey.languages or ["nl"]
    values = form.get("opt_value", [])
    texts = {lang: form.get(f"opt_text_{lang}", []) for lang in languages}
    options = []
    for i, value in enumerate(values):
        text = {lang: (texts[lang][i] if i < len(texts[lang]) else "").strip() for lang in texts}
        options.append({"value": value.strip(), "text": {k: v for k, v in text.items() if v}})
    action = form_value(form, "action")
    if action.startswith(("up:", "down:", "remove:")) and action.split(":")[1].isdigit():
        verb, index = action.split(":")[0], int(action.split(":")[1])
        options = _option_action(options, verb, index)
    options = [o for o in options if o["value"] or o["text"]]
    cond_code, cond_values = form_value(form, "show_if_question"), form.get("show_if_in", [])
    settings = dict(question.settings or {})
    for name in SETTINGS.get(question.type, {}):
        raw = form_value(form, f"setting_{name}")
        settings[name] = int(raw) if re.fullmatch(r"-?\d{1,7}", raw) else raw
    if question.type == "scale" and any(k.startswith(SCALE_ENDS) for k in form):
        for end in SCALE_ENDS:
            settings[end] = form_texts(form, end, languages)
    return {
        "code": form_value(form, "code"),
        "layer": form_value(form, "layer"),
        "required": form_value(form, "required") == "1",
        "text": form_texts(form, "text", languages),
        "help": form_texts(form, "help", languages),
        "options": options,
        "settings": settings,
        "show_if": {"question": cond_code, "in": cond_values} if cond_code else None,
    }


def _option_action(options: list[dict], verb: str, i: int) -> list[dict]:
    if not 0 <= i < len(options):
        return options
    if verb == "remove":
        return options[:i] + options[i + 1 :]
    j = i - 1 if verb == "up" else i + 1
    if 0 <= j < len(options):
        options[i], options[j] = options[j], options[i]
    return options


def _used_values(question: Question) -> set[str]:
    used: set[str] = set()
    for value in db.session.scalars(select(Answer.value).where(Answer.question_id == question.id)):
        used.update(map(str, value) if isinstance(value, list) else [str(value)])
    return used


def _checked_options(question: Question, draft: dict) -> list[dict]:
    if question.type not in OPTION_TYPES and not (question.type == "scale" and question.options):
        return question.options
    options, seen = [], set()
    for option in draft["options"]:
        if not option["text"].get("nl"):
            raise UserError(_l("Elk antwoord heeft een Nederlandse tekst nodig."))
        value = option["value"] or slugify(option["text"]["nl"], 30) or "optie"
        if value in seen:
            raise UserError(_l("Twee antwoorden hebben dezelfde waarde: %(v)s.", v=value))
        seen.add(value)
        options.append({"value": value, "text": option["text"]})
    if question.type in OPTION_TYPES and len(options) < 2:
        raise UserError(_l("Geef minstens twee antwoorden om uit te kiezen."))
    removed = {str(o["value"]) for o in question.options} - seen
    if removed & _used_values(question):
        raise UserError(
            _l("Een antwoord dat al gekozen is, kun je niet weghalen. Pas de tekst aan.")
        )
    return options


def _checked_settings(question: Question, draft: dict) -> dict:
    settings = dict(question.settings or {})
    for end in SCALE_ENDS if question.type == "scale" else ():
        if end in draft["settings"]:  # the labels of the scale's ends, per language
            settings[end] = draft["settings"][end]
        if not settings.get(end):
            settings.pop(end, None)
    for name, (low, high) in SETTINGS.get(question.type, {}).items():
        value = draft["settings"].get(name)
        if value in ("", None):
            settings.pop(name, None)
            continue
        if not isinstance(value, int) or not low <= value <= high:
            raise UserError(
                _l("Vul bij %(n)s een getal in van %(a)s tot %(b)s.", n=name, a=low, b=high)
            )
        settings[name] = value
    if "min" in settings and "max" in settings and settings["min"] >= settings["max"]:
        raise UserError(_l("Het minimum moet kleiner zijn dan het maximum."))
    return settings


def update_question(officer: Officer, question: Question, draft: dict) -> None:
    """Save an edited question: texts, code, layer, required, options, settings, show-if."""
    try:
        _apply_draft(question, draft)
    except UserError:
        db.session.rollback()  # nothing half-changed stays behind for the page that follows
        raise
    audit(officer, "update_question", question.survey.slug, question=question.code)
    db.session.commit()


def _texts_of(draft: dict) -> list[str]:
    options = draft["options"]
    texts = [draft["code"], *draft["text"].values(), *draft["help"].values()]
    texts += [t for end in SCALE_ENDS for t in (draft["settings"].get(end) or {}).values()]
    return texts + [o["value"] for o in options] + [t for o in options for t in o["text"].values()]


def _apply_draft(question: Question, draft: dict) -> None:
    survey = question.survey
    if any(CONTROL.search(text) for text in _texts_of(draft)):
        raise UserError(UNREADABLE)
    if not draft["text"].get("nl"):
        raise UserError(_l("De vraag heeft een Nederlandse tekst nodig."))
    if draft["layer"] not in LAYERS:
        raise UserError(_l("Kies een laag: kern of verdieping."))
    code = draft["code"]
    if code != question.code:
        if not CODE_RE.fullmatch(code):
            raise UserError(_l("Een code begint met een letter en heeft alleen a-z, 0-9 en _."))
        if any(q.code == code for q in survey.questions):
            raise UserError(_l("Een andere vraag heeft deze code al."))
        if answer_count(question):
            raise UserError(_l("Deze vraag heeft al antwoorden: de code blijft hetzelfde."))
    options = _checked_options(question, draft)
    settings = _checked_settings(question, draft)
    old_code = question.code
    question.text, question.help = draft["text"], draft["help"]
    question.layer, question.required = draft["layer"], draft["required"]
    question.options, question.settings = options, settings
    question.show_if = draft["show_if"]
    question.code = code
    for other in survey.questions:
        if other.show_if and other.show_if.get("question") == old_code and other is not question:
            other.show_if = {**other.show_if, "question": code}
    check_conditions(survey)


def move_question(officer: Officer, question: Question, direction: str) -> None:
    """Swap a question with its neighbour in the same layer (up or down)."""
    survey = question.survey
    same_layer = sorted((q for q in survey.questions if q.layer == question.layer), key=order_key)
    index = same_layer.index(question)
    other_index = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other_index < len(same_layer):
        return
    other = same_layer[other_index]
    question.position, other.position = other.position, question.position
    _check_or_undo(survey)
    audit(officer, "move_question", survey.slug, question=question.code, direction=direction)
    db.session.commit()


def set_hidden(officer: Officer, question: Question, hidden: bool) -> None:
    """Hide a question from residents (its answers stay), or show it again."""
    question.hidden = hidden
    audit(
        officer,
        "hide_question" if hidden else "show_question",
        question.survey.slug,
        question=question.code,
    )
    db.session.commit()


def delete_question(officer: Officer, question: Question) -> None:
    """Remove a question that has no answers; one with answers can only be hidden."""
    survey = question.survey
    if answer_count(question):
        raise UserError(
            _l(
                "Deze vraag heeft al antwoorden. Verwijderen kan niet, want dan gaan die "
                "antwoorden verloren. Verberg de vraag in plaats daarvan."
            )
        )
    if any(q.show_if and q.show_if.get("question") == question.code for q in survey.questions):
        raise UserError(_l("Een andere vraag hangt van deze vraag af. Pas die eerst aan."))
    code = question.code
    survey.questions.remove(question)
    db.session.delete(question)
    db.session.flush()
    audit(officer, "delete_question", survey.slug, question=code)
    db.session.commit()

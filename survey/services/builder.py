"""The survey builder: surveys from scratch or a shipped template, their settings and questions.

Every change is checked here (a clear Dutch message via BuilderError), committed once and
written to the audit log. A question that has answers is never deleted, only hidden.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from survey.config import LANGUAGES
from survey.extensions import db
from survey.models import LAYERS, QUESTION_TYPES, Answer, Area, Officer, Question, Response, Survey
from survey.services import engagement
from survey.services.officers import audit

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates_data"
OPTION_TYPES = ("single", "multiple", "ranking")
CONDITION_TYPES = ("single", "multiple", "ranking", "yesno", "scale", "statement")
CODE_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
SETTINGS = {  # the per-type settings the builder edits: name -> (lowest, highest)
    "multiple": {"max": (1, 50)},
    "scale": {"min": (0, 1), "max": (2, 10)},
    "text": {"maxlength": (10, 2000)},
    "number": {"min": (-1_000_000, 1_000_000), "max": (-1_000_000, 1_000_000)},
    "ranking": {"pick": (1, 5)},
}


class BuilderError(ValueError):
    """A change the builder refuses; `message` says why, in Dutch."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


# --- shipped templates and new surveys ----------------------------------------------------


@cache
def _template_files() -> dict[str, dict]:
    found = {}
    for path in sorted(TEMPLATES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[data["key"]] = data
    return found


def shipped_templates() -> list[dict]:
    """The survey templates that come with the app (behoeftepeiling, swipe deck)."""
    return list(_template_files().values())


def slugify(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def _free_slug(title: str) -> str:
    base = slugify(title) or "peiling"
    taken = set(db.session.scalars(select(Survey.slug).where(Survey.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_survey(officer: Officer, title: str, kind: str = "needs", template: str = "") -> Survey:
    """A new draft survey, empty or filled from a shipped template."""
    title = (title or "").strip()
    spec = _template_files().get(template) if template else None
    if template and spec is None:
        raise BuilderError(_l("Dit sjabloon bestaat niet."))
    if spec:
        kind = spec["kind"]
    if kind not in ("needs", "swipe"):
        raise BuilderError(_l("Kies een soort peiling."))
    if not title and not spec:
        raise BuilderError(_l("Geef de peiling een titel."))
    survey = Survey(slug=_free_slug(title or spec["title"]["nl"]), kind=kind, status="draft")
    survey.languages = list(spec["languages"]) if spec else ["nl", "en"]
    survey.title = {**(spec["title"] if spec else {}), **({"nl": title} if title else {})}
    if spec:
        survey.intro, survey.expectations = dict(spec["intro"]), dict(spec["expectations"])
        survey.themes = list(spec["themes"])
        for position, question in enumerate(spec["questions"], start=1):
            survey.questions.append(Question(position=position, **question))
    db.session.add(survey)
    if spec and spec.get("engagement_module"):
        engagement.add_engagement_module(survey, spec["engagement_module"])
    db.session.flush()
    audit(officer, "create_survey", survey.slug, template=template or None)
    return survey


# --- settings -----------------------------------------------------------------------------


def _date(raw: str | None, label) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise BuilderError(_l("%(label)s is geen geldige datum.", label=label)) from None


def _texts(form: dict, prefix: str, languages) -> dict:
    texts = {lang: _first(form, f"{prefix}_{lang}") for lang in languages}
    return {lang: text for lang, text in texts.items() if text}


def _first(form: dict, name: str) -> str:
    values = form.get(name) or [""]
    return (values[-1] or "").strip()


def update_settings(officer: Officer, survey: Survey, form: dict[str, list[str]]) -> None:
    """Save title, intro, expectations per language, languages, themes, sizes and dates."""
    languages = [lang for lang in LANGUAGES if lang in form.get("languages", [])]
    if "nl" not in languages:
        raise BuilderError(_l("Nederlands moet altijd een van de talen zijn."))
    title = _texts(form, "title", languages)
    if not title.get("nl"):
        raise BuilderError(_l("Geef de peiling een Nederlandse titel."))
    themes = [t for t in (slugify(x, 40) for x in _first(form, "themes").split(",")) if t]
    try:
        min_group = int(_first(form, "min_group_size"))
    except ValueError:
        raise BuilderError(_l("De minimale groepsgrootte is een heel getal.")) from None
    if not 5 <= min_group <= 1000:
        raise BuilderError(_l("De minimale groepsgrootte ligt tussen 5 en 1000."))
    opens = _date(_first(form, "opens_at"), _l("De startdatum"))
    closes = _date(_first(form, "closes_at"), _l("De einddatum"))
    if opens and closes and closes < opens:
        raise BuilderError(_l("De einddatum ligt voor de startdatum."))
    area_id = _first(form, "area_id")
    if area_id and (not area_id.isdigit() or db.session.get(Area, int(area_id)) is None):
        raise BuilderError(_l("Dit gebied bestaat niet."))
    survey.languages, survey.title = languages, title
    survey.intro = _texts(form, "intro", languages)
    survey.expectations = _texts(form, "expectations", languages)
    survey.organisation = _first(form, "organisation")[:120]
    survey.themes, survey.min_group_size = themes, min_group
    survey.opens_at, survey.closes_at = opens, closes
    survey.area_id = int(area_id) if area_id else None
    audit(officer, "update_survey", survey.slug)


def publish_survey(officer: Officer, survey: Survey) -> None:
    """Open the survey for residents (again)."""
    if not text_of(survey.title):
        raise BuilderError(_l("Geef de peiling eerst een titel."))
    if not any(not q.hidden and q.review == "approved" for q in survey.questions):
        raise BuilderError(_l("Voeg eerst minstens één vraag toe."))
    check_conditions(survey)
    survey.status = "open"
    audit(officer, "publish_survey", survey.slug)


def close_survey(officer: Officer, survey: Survey) -> None:
    """Stop taking answers; residents then see the results."""
    if survey.status != "open":
        raise BuilderError(_l("Alleen een open peiling kun je sluiten."))
    survey.status = "closed"
    audit(officer, "close_survey", survey.slug)


def text_of(texts: dict | None) -> str:
    return (texts or {}).get("nl", "")


def response_count(survey: Survey) -> tuple[int, int]:
    """(all responses, completed responses) of a survey."""
    row = db.session.execute(
        select(func.count(Response.id), func.count(Response.completed_at)).where(
            Response.survey_id == survey.id
        )
    ).one()
    return int(row[0]), int(row[1])


# --- questions ----------------------------------------------------------------------------


def answer_count(question: Question) -> int:
    return db.session.scalar(select(func.count(Answer.id)).where(Answer.question_id == question.id))


def answer_counts(survey: Survey) -> dict[int, int]:
    rows = db.session.execute(
        select(Answer.question_id, func.count(Answer.id))
        .join(Question, Question.id == Answer.question_id)
        .where(Question.survey_id == survey.id)
        .group_by(Answer.question_id)
    )
    return dict(rows.all())


def order_key(question: Question) -> tuple[int, int]:
    """The order residents meet questions in: the core first, then the verdieping."""
    return LAYERS.index(question.layer), question.position


def condition_values(question: Question) -> list[tuple[str, object]]:
    """The answers a show-if condition on this question can pick from: (value, label)."""
    if question.type == "yesno":
        return [("yes", _l("Ja")), ("no", _l("Nee"))]
    if question.type == "statement":
        return [("agree", _l("Eens")), ("disagree", _l("Oneens"))]
    if question.type == "scale" and not question.options:
        low, high = int(question.settings.get("min", 1)), int(question.settings.get("max", 5))
        return [(str(n), str(n)) for n in range(low, high + 1)]
    return [(str(o["value"]), text_of(o["text"]) or str(o["value"])) for o in question.options]


def condition_choices(survey: Survey, question: Question | None) -> list[Question]:
    """The earlier questions a show-if condition may refer to."""
    limit = order_key(question) if question is not None else (len(LAYERS), 0)
    return [
        q
        for q in sorted(survey.questions, key=order_key)
        if q is not question and q.type in CONDITION_TYPES and order_key(q) < limit
    ]


def check_conditions(survey: Survey) -> None:
    """Every show-if refers to an EARLIER question of the survey, with values it can have."""
    by_code = {q.code: q for q in survey.questions}
    for q in survey.questions:
        if not q.show_if:
            continue
        target = by_code.get(q.show_if.get("question"))
        label = text_of(q.text) or q.code
        if target is None or order_key(target) >= order_key(q):
            raise BuilderError(
                _l(
                    "De vraag '%(q)s' mag alleen afhangen van een vraag die eerder komt.",
                    q=label,
                )
            )
        allowed = {value for value, _ in condition_values(target)}
        if not q.show_if.get("in") or not set(q.show_if["in"]) <= allowed:
            raise BuilderError(_l("Kies bij '%(q)s' de antwoorden voor de voorwaarde.", q=label))


def _commit_checked(survey: Survey) -> None:
    """Check the conditions before anything is stored; undo all of it when they fail."""
    try:
        check_conditions(survey)
    except BuilderError:
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
    """Append a question of a type with its Dutch text; options and more come in editing."""
    text = (text or "").strip()
    if qtype not in allowed_types(survey):
        raise BuilderError(_l("Kies een soort vraag."))
    if layer not in LAYERS:
        raise BuilderError(_l("Kies een laag: kern of verdieping."))
    if not text:
        raise BuilderError(_l("Schrijf de vraag op."))
    question = Question(
        code=_free_code(survey, " ".join(text.split()[:3])),
        type=qtype,
        text={"nl": text[:500]},
        layer=layer,
        position=max((q.position for q in survey.questions), default=0) + 1,
        options=[],
        settings={"min": 1, "max": 5} if qtype == "scale" else {},
        required=False,
    )
    survey.questions.append(question)
    db.session.flush()
    audit(officer, "add_question", survey.slug, question=question.code, type=qtype)
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


def read_draft(survey: Survey, question: Question, form: dict[str, list[str]]) -> dict:
    """The edit form's state as submitted (not checked yet); also handles option actions."""
    languages = survey.languages or ["nl"]
    values = form.get("opt_value", [])
    texts = {lang: form.get(f"opt_text_{lang}", []) for lang in languages}
    options = []
    for i, value in enumerate(values):
        text = {lang: (texts[lang][i] if i < len(texts[lang]) else "").strip() for lang in texts}
        options.append({"value": value.strip(), "text": {k: v for k, v in text.items() if v}})
    action = _first(form, "action")
    if action.startswith(("up:", "down:", "remove:")) and action.split(":")[1].isdigit():
        verb, index = action.split(":")[0], int(action.split(":")[1])
        options = _option_action(options, verb, index)
    options = [o for o in options if o["value"] or o["text"]]
    cond_code, cond_values = _first(form, "show_if_question"), form.get("show_if_in", [])
    settings = dict(question.settings or {})
    for name in SETTINGS.get(question.type, {}):
        raw = _first(form, f"setting_{name}")
        settings[name] = int(raw) if re.fullmatch(r"-?\d{1,7}", raw) else raw
    return {
        "code": _first(form, "code"),
        "layer": _first(form, "layer"),
        "required": _first(form, "required") == "1",
        "text": _texts(form, "text", languages),
        "help": _texts(form, "help", languages),
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
            raise BuilderError(_l("Elk antwoord heeft een Nederlandse tekst nodig."))
        value = option["value"] or slugify(option["text"]["nl"], 30) or "optie"
        if value in seen:
            raise BuilderError(_l("Twee antwoorden hebben dezelfde waarde: %(v)s.", v=value))
        seen.add(value)
        options.append({"value": value, "text": option["text"]})
    if question.type in OPTION_TYPES and len(options) < 2:
        raise BuilderError(_l("Geef minstens twee antwoorden om uit te kiezen."))
    removed = {str(o["value"]) for o in question.options} - seen
    if removed & _used_values(question):
        raise BuilderError(
            _l("Een antwoord dat al gekozen is, kun je niet weghalen. Pas de tekst aan.")
        )
    return options


def _checked_settings(question: Question, draft: dict) -> dict:
    settings = dict(question.settings or {})
    for name, (low, high) in SETTINGS.get(question.type, {}).items():
        value = draft["settings"].get(name)
        if value in ("", None):
            settings.pop(name, None)
            continue
        if not isinstance(value, int) or not low <= value <= high:
            raise BuilderError(
                _l("Vul bij %(n)s een getal in van %(a)s tot %(b)s.", n=name, a=low, b=high)
            )
        settings[name] = value
    if "min" in settings and "max" in settings and settings["min"] >= settings["max"]:
        raise BuilderError(_l("Het minimum moet kleiner zijn dan het maximum."))
    return settings


def update_question(officer: Officer, question: Question, draft: dict) -> None:
    """Save an edited question: texts, code, layer, required, options, settings, show-if."""
    survey = question.survey
    if not draft["text"].get("nl"):
        raise BuilderError(_l("De vraag heeft een Nederlandse tekst nodig."))
    if draft["layer"] not in LAYERS:
        raise BuilderError(_l("Kies een laag: kern of verdieping."))
    code = draft["code"]
    if code != question.code:
        if not CODE_RE.fullmatch(code):
            raise BuilderError(_l("Een code begint met een letter en heeft alleen a-z, 0-9 en _."))
        if any(q.code == code for q in survey.questions):
            raise BuilderError(_l("Een andere vraag heeft deze code al."))
        if answer_count(question):
            raise BuilderError(_l("Deze vraag heeft al antwoorden: de code blijft hetzelfde."))
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
    _commit_checked(survey)
    audit(officer, "update_question", survey.slug, question=code)


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
    _commit_checked(survey)
    audit(officer, "move_question", survey.slug, question=question.code, direction=direction)


def set_hidden(officer: Officer, question: Question, hidden: bool) -> None:
    """Hide a question from residents (its answers stay), or show it again."""
    question.hidden = hidden
    audit(
        officer,
        "hide_question" if hidden else "show_question",
        question.survey.slug,
        question=question.code,
    )


def delete_question(officer: Officer, question: Question) -> None:
    """Remove a question that has no answers; one with answers can only be hidden."""
    survey = question.survey
    if answer_count(question):
        raise BuilderError(
            _l(
                "Deze vraag heeft al antwoorden. Verwijderen kan niet, want dan gaan die "
                "antwoorden verloren. Verberg de vraag in plaats daarvan."
            )
        )
    if any(q.show_if and q.show_if.get("question") == question.code for q in survey.questions):
        raise BuilderError(_l("Een andere vraag hangt van deze vraag af. Pas die eerst aan."))
    code = question.code
    survey.questions.remove(question)
    db.session.delete(question)
    db.session.flush()
    audit(officer, "delete_question", survey.slug, question=code)

"""The survey builder: surveys from scratch or a shipped template, their settings, publishing.

Every change is checked here (a clear Dutch message via UserError), written to the audit log
and committed once. Editing questions is in questions.py.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.answering.navigation import order_key
from survey.features.builder import engagement
from survey.features.tallies import read as tally_read
from survey.models import (
    LAYERS,
    Area,
    Officer,
    ProfileModel,
    Question,
    Survey,
    question_from_spec,
    visible_to_residents,
)
from survey.models._types import utcnow
from survey.profiling.profiles import ITEMS, load_profiles

TEMPLATES_DIR = Path(__file__).resolve().parent / "survey_templates"
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


def create_survey(
    officer: Officer, title: str, kind: str = "needs", template: str = "", module: str = ""
) -> Survey:
    """A new draft survey, empty (a title is needed) or filled from a shipped template.

    `module` is "full", "short" or "none" for the engagement module; empty: as the template
    says (an empty survey gets none). A swipe survey never gets it.
    """
    spec = _template_files().get(template) if template else None
    if template and spec is None:
        raise UserError(_l("Dit sjabloon bestaat niet."), field="start")
    if spec:
        kind = spec["kind"]
    survey = Survey(slug=_free_slug(title or spec["title"]["nl"]), kind=kind, status="draft")
    survey.languages = list(spec["languages"]) if spec else ["nl", "en"]
    survey.title = {**(spec["title"] if spec else {}), **({"nl": title} if title else {})}
    if spec:
        survey.intro, survey.expectations = dict(spec["intro"]), dict(spec["expectations"])
        survey.themes = list(spec["themes"])
        for position, question in enumerate(spec["questions"], start=1):
            survey.questions.append(
                question_from_spec(position, question, spec.get("translation_status"))
            )
    db.session.add(survey)
    layer, short = module_of(spec, module)
    if layer and kind == "needs":
        engagement.add_engagement_module(survey, layer, short, short_items() if short else None)
    db.session.flush()
    audit(officer, "create_survey", survey.slug, template=template or None)
    db.session.commit()
    return survey


def module_of(spec: dict | None, choice: str = "") -> tuple[str, bool]:
    """(layer, short) of the engagement module a new survey gets; layer "" for none.

    A template says `"engagement_module": "core"` (the full module in that layer) or
    `{"layer": "core", "short": true}`; the officer's choice (full, short, none) overrides it.
    """
    said = (spec or {}).get("engagement_module") or ""
    layer, short = (said, False) if isinstance(said, str) else (said["layer"], said.get("short"))
    if choice == "none":
        return "", False
    if choice in ("full", "short"):
        return layer or "core", choice == "short"
    return layer, bool(layer and short)


def short_items() -> tuple[str, ...]:
    """The short module's items: those of the latest fitted model when it measured them,
    else the profile definitions' own list (PROFILES_FILE, else the shipped one)."""
    latest = db.session.scalar(
        select(ProfileModel).order_by(ProfileModel.fitted_at.desc(), ProfileModel.id.desc())
    )
    items = (latest.data_summary or {}).get("short_items") if latest else None
    if items and set(items) <= set(ITEMS):
        return tuple(items)
    own = load_profiles(current_app.config.get("PROFILES_FILE"))
    return own.short_module or load_profiles().short_module


def add_module(officer: Officer, survey: Survey, short: bool) -> list[Question]:
    """Add the engagement module (full or short) and the "over jou" questions to the core of
    a needs survey that does not ask it yet."""
    if survey.kind != "needs":
        raise UserError(_l("Een swipe-peiling kan de module niet krijgen."))
    if engagement.has_module(survey):
        raise UserError(_l("Deze peiling heeft de module 'Hoe doe jij mee?' al."))
    added = engagement.add_engagement_module(
        survey, "core", short, short_items() if short else None
    )
    audit(officer, "add_engagement_module", survey.slug, short=short, questions=len(added))
    db.session.commit()
    return added


# --- settings -----------------------------------------------------------------------------


def _start_of_day(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day else None


def update_settings(officer: Officer, survey: Survey, settings: dict) -> None:
    """Save title, intro, expectations per language, languages, themes, sizes and dates.

    `settings` is SettingsForm.values(): checked, except that the area must exist.
    """
    area_id = settings["area_id"]
    if area_id and db.session.get(Area, area_id) is None:
        raise UserError(_l("Dit gebied bestaat niet."), field="area_id")
    themes = [t for t in (slugify(x, 40) for x in settings["themes"].split(",")) if t]
    survey.languages, survey.title = settings["languages"], settings["title"]
    survey.intro, survey.expectations = settings["intro"], settings["expectations"]
    survey.organisation = settings["organisation"]
    survey.themes, survey.min_group_size = themes, settings["min_group_size"]
    survey.opens_at = _start_of_day(settings["opens_at"])
    survey.closes_at = _start_of_day(settings["closes_at"])
    survey.area_id = area_id
    survey.volunteer_retention_days = settings["volunteer_retention_days"]
    survey.open_text_retention_days = settings["open_text_retention_days"]
    audit(officer, "update_survey", survey.slug)
    db.session.commit()


def publish_survey(officer: Officer, survey: Survey) -> None:
    """Open the survey for residents (again)."""
    if not text_of(survey.title):
        raise UserError(_l("Geef de peiling eerst een titel."))
    if not any(visible_to_residents(q) for q in survey.questions):
        raise UserError(_l("Voeg eerst minstens één vraag toe."))
    check_conditions(survey)
    survey.status = "open"
    audit(officer, "publish_survey", survey.slug)
    db.session.commit()


def close_survey(officer: Officer, survey: Survey) -> None:
    """Stop taking answers; residents then see the results."""
    if survey.status != "open":
        raise UserError(_l("Alleen een open peiling kun je sluiten."))
    survey.status = "closed"
    now = utcnow()
    if survey.closes_at is None or survey.closes_at > now:
        survey.closes_at = now  # the retention of volunteers' details counts from here
    audit(officer, "close_survey", survey.slug)
    db.session.commit()


def text_of(texts: dict | None) -> str:
    return (texts or {}).get("nl", "")


def response_count(survey: Survey) -> tuple[int, int]:
    """(all responses, completed responses) of a survey that count (from the tallies)."""
    started, completed, _today = tally_read.per_survey([survey.id]).get(survey.id, (0, 0, 0))
    return started, completed


def find_survey(slug: str) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def settings_areas() -> list[Area]:
    """The gemeente and wijken a survey can be about."""
    query = select(Area).where(Area.level != "buurt").order_by(Area.name)
    return list(db.session.scalars(query))


# --- show-if conditions (checked when editing and before publishing) ------------------------


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
            raise UserError(
                _l(
                    "De vraag '%(q)s' mag alleen afhangen van een vraag die eerder komt.",
                    q=label,
                )
            )
        allowed = {value for value, _ in condition_values(target)}
        if not q.show_if.get("in") or not set(q.show_if["in"]) <= allowed:
            raise UserError(_l("Kies bij '%(q)s' de antwoorden voor de voorwaarde.", q=label))

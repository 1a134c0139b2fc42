"""Turn what a resident submitted into a stored answer value, or say clearly what is wrong."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core.errors import UserError
from survey.extensions import db
from survey.models import Area, Question

MESSAGES = {
    "required": _l("Deze vraag moet je beantwoorden."),
    "unknown_option": _l("Kies een van de antwoorden uit de lijst."),
    "too_many": _l("Je kunt hier maximaal %(max)s antwoorden kiezen."),
    "too_long": _l("Je tekst is te lang. Gebruik maximaal %(max)s tekens."),
    "not_a_number": _l("Vul een heel getal in."),
    "out_of_range": _l("Vul een getal in tussen %(min)s en %(max)s."),
    "ranking_duplicate": _l("Kies elk antwoord maar één keer."),
    "ranking_gap": _l("Vul eerst je eerste keuze in, dan de tweede en de derde."),
    "postcode_format": _l("Een postcode heeft 4 cijfers, bijvoorbeeld 1234."),
    "postcode_unknown": _l("Deze postcode kennen we niet. Kies je buurt uit de lijst."),
    "bad_question": _l("Deze vraag bestaat niet (meer). Ga terug naar de vragenlijst."),
    "bad_response": _l("We konden je antwoorden niet vinden. Begin opnieuw via de QR-code."),
    "closed": _l("Deze peiling is gesloten. Je kunt de uitkomsten bekijken."),
}


def invalid_answer(code: str, **params) -> UserError:
    """A submitted answer that cannot be stored, with the message for its code."""
    message = MESSAGES[code] % params if params else MESSAGES[code]
    return UserError(message, field="value", code=code)


def _values(form: dict[str, list[str]], name: str) -> list[str]:
    return [v.strip() for v in form.get(name, []) if v is not None and v.strip() != ""]


def _one(form, name: str) -> str | None:
    values = _values(form, name)
    return values[-1] if values else None


def _option_values(question: Question) -> list[str]:
    return [str(o["value"]) for o in question.options]


def _int_in(raw: str, low: int, high: int) -> int:
    if not re.fullmatch(r"-?\d{1,9}", raw):
        raise invalid_answer("not_a_number")
    number = int(raw)
    if not low <= number <= high:
        raise invalid_answer("out_of_range", min=low, max=high)
    return number


def scale_bounds(question: Question) -> tuple[int, int]:
    return int(question.settings.get("min", 1)), int(question.settings.get("max", 5))


def _single(question, form):
    value = _one(form, "value")
    if value is None:
        return None
    if value not in _option_values(question):
        raise invalid_answer("unknown_option")
    return value


def _multiple(question, form):
    values = list(dict.fromkeys(_values(form, "value")))
    if not values:
        return None
    allowed = _option_values(question)
    if any(v not in allowed for v in values):
        raise invalid_answer("unknown_option")
    limit = question.settings.get("max")
    if limit and len(values) > int(limit):
        raise invalid_answer("too_many", max=limit)
    return [v for v in allowed if v in values]  # in the question's order


def _scale(question, form):
    value = _one(form, "value")
    if value is None:
        return None
    low, high = scale_bounds(question)
    try:
        return _int_in(value, low, high)
    except UserError:
        raise invalid_answer("unknown_option") from None


def _text(question, form):
    value = (_one(form, "value") or "").replace("\x00", "").strip()
    if not value:  # nothing but NUL bytes and spaces: not answered
        return None
    limit = int(question.settings.get("maxlength", 500))
    if len(value) > limit:
        raise invalid_answer("too_long", max=limit)
    return value


def _number(question, form):
    value = _one(form, "value")
    if value is None:
        return None
    low = int(question.settings.get("min", 0))
    high = int(question.settings.get("max", 1_000_000))
    return _int_in(value, low, high)


def _yesno(question, form):
    value = _one(form, "value")
    if value is None:
        return None
    if value not in ("yes", "no"):
        raise invalid_answer("unknown_option")
    return value


def _ranking(question, form):
    pick = int(question.settings.get("pick", 3))
    ranks = [_one(form, f"rank{i}") for i in range(1, pick + 1)]
    chosen = [r for r in ranks if r]
    if not chosen:
        return None
    if any(r not in _option_values(question) for r in chosen):
        raise invalid_answer("unknown_option")
    if len(set(chosen)) != len(chosen):
        raise invalid_answer("ranking_duplicate")
    if ranks[: len(chosen)] != chosen:
        raise invalid_answer("ranking_gap")
    return chosen


def _area(question, form):
    postcode = _one(form, "postcode")
    chosen = _one(form, "value")
    if chosen:
        if "\x00" in chosen:  # PostgreSQL refuses a NUL byte in a query
            raise invalid_answer("unknown_option")
        area = db.session.scalar(select(Area).where(Area.cbs_code == chosen, Area.level == "buurt"))
        if area is None:
            raise invalid_answer("unknown_option")
        return {"area": area.cbs_code, "area_id": area.id}
    if postcode:
        match = re.fullmatch(r"(\d{4})([A-Z]{2})?", postcode.replace(" ", "").upper())
        if match is None:
            raise invalid_answer("postcode_format")
        pc4 = match.group(1)
        for area in db.session.scalars(select(Area).where(Area.level == "buurt")):
            if pc4 in (area.postcodes or []):
                return {"area": area.cbs_code, "area_id": area.id, "postcode": pc4}
        raise invalid_answer("postcode_unknown")
    return None


def _statement(question, form):
    value = _one(form, "value")
    if value is None:
        return None
    if value not in ("agree", "disagree", "skip"):
        raise invalid_answer("unknown_option")
    return value


PARSERS = {
    "single": _single,
    "multiple": _multiple,
    "scale": _scale,
    "text": _text,
    "number": _number,
    "yesno": _yesno,
    "ranking": _ranking,
    "area": _area,
    "statement": _statement,
}


def parse_answer(question: Question, form: dict[str, list[str]], skip: bool = False):
    """The value to store for a submitted form; None means skipped."""
    value = None if skip else PARSERS[question.type](question, form)
    if value is None and question.required:
        raise invalid_answer("required")
    return value

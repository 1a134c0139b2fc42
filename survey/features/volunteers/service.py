"""Volunteers: the offer after the survey, their own page to see, change or erase their details,
the coordinator's list, and erasure after the retention period. Never linked to a response."""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from survey.core import outbox
from survey.core.audit import audit
from survey.core.csvfile import safe_cell
from survey.extensions import db
from survey.models import VOLUNTEER_STATUSES, Area, Officer, Survey, Volunteer
from survey.models._types import text_in, utcnow

AVAILABILITY = {
    "eenmalig": _l("Af en toe, voor één actie"),
    "lt1": _l("Minder dan 1 uur per maand"),
    "1to4": _l("1 tot 4 uur per maand"),
    "gt4": _l("Meer dan 4 uur per maand"),
}
STATUS_LABELS = {
    "nieuw": _l("Nieuw"),
    "benaderd": _l("Benaderd"),
    "actief": _l("Actief"),
    "gestopt": _l("Gestopt"),
}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[0-9 ()\-]{8,25}")
MAX_NOTE = 1000


class InvalidVolunteer(Exception):
    """The form has mistakes: `errors` maps a field to a Dutch message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Details:
    name: str = ""
    email: str = ""
    phone: str = ""
    themes: list[str] = field(default_factory=list)
    availability: str = ""
    note: str = ""
    area_id: int | None = None
    consent: bool = False


def offer_allowed(survey: Survey, adult_confirmed: bool) -> bool:
    """The offer to help is for needs surveys, and in a swipe deck only for those 16 or over."""
    return survey.status == "open" and (survey.kind != "swipe" or adult_confirmed)


def retention_months() -> int:
    return max(1, round(current_app.config["VOLUNTEER_RETENTION_DAYS"] / 30))


def theme_labels(survey: Survey, lang: str) -> dict[str, str]:
    """The survey's themes with a label from a question that offers them, else the code."""
    labels = {}
    for question in survey.questions:
        for option in question.options or []:
            if option.get("value") in survey.themes:
                labels.setdefault(option["value"], text_in(option.get("text"), lang))
    return {code: labels.get(code, code.capitalize()) for code in survey.themes}


def buurten() -> list[Area]:
    return list(db.session.scalars(select(Area).where(Area.level == "buurt").order_by(Area.name)))


def parse_details(survey: Survey, form: Mapping, need_consent: bool = True) -> Details:
    """Check the form; raise InvalidVolunteer with a message per wrong field."""
    details = Details(
        name=(form.get("name") or "").strip(),
        email=(form.get("email") or "").strip().lower(),
        phone=(form.get("phone") or "").strip(),
        themes=[t for t in form.getlist("themes") if t in survey.themes],
        availability=form.get("availability") or "",
        note=(form.get("note") or "").strip(),
        consent=form.get("consent") == "yes",
    )
    errors = {}
    if not details.name or len(details.name) > 120:
        errors["name"] = str(_l("Vul je naam in (hoogstens 120 tekens)."))
    if details.email and (len(details.email) > 254 or not EMAIL.fullmatch(details.email)):
        errors["email"] = str(_l("Dit e-mailadres klopt niet. Bijvoorbeeld: naam@voorbeeld.nl"))
    if details.phone and not PHONE.fullmatch(details.phone):
        errors["phone"] = str(_l("Dit telefoonnummer klopt niet. Bijvoorbeeld: 06 12345678"))
    if not details.email and not details.phone:
        errors["email"] = str(_l("Vul een e-mailadres of een telefoonnummer in."))
    if details.availability and details.availability not in AVAILABILITY:
        errors["availability"] = str(_l("Kies hoeveel tijd je hebt."))
    if len(details.note) > MAX_NOTE:
        errors["note"] = str(_l("Je opmerking is te lang (hoogstens 1000 tekens)."))
    if need_consent and not details.consent:
        errors["consent"] = str(
            _l("Zet een vinkje als je het goed vindt dat we je gegevens bewaren.")
        )
    area_code = form.get("buurt") or ""
    if area_code:
        area = db.session.scalar(
            select(Area).where(Area.cbs_code == area_code, Area.level == "buurt")
        )
        if area is None:
            errors["buurt"] = str(_l("Kies een buurt uit de lijst."))
        else:
            details.area_id = area.id
    if errors:
        raise InvalidVolunteer(errors)
    return details


def _apply(volunteer: Volunteer, details: Details) -> None:
    volunteer.name = details.name
    volunteer.email = details.email or None
    volunteer.phone = details.phone or None
    volunteer.themes = details.themes
    volunteer.availability = details.availability
    volunteer.note = details.note
    volunteer.area_id = details.area_id


def manage_path(volunteer: Volunteer) -> str:
    return f"/v/{volunteer.erase_token}"


def register_volunteer(survey: Survey, details: Details, lang: str) -> Volunteer:
    """Store the offer to help and queue its confirmation mail."""
    volunteer = Volunteer(
        survey_id=survey.id, erase_token=secrets.token_urlsafe(32), consent_at=utcnow()
    )
    _apply(volunteer, details)
    db.session.add(volunteer)
    db.session.flush()
    if volunteer.email:
        _queue_confirmation(volunteer, lang)
    db.session.commit()
    return volunteer


def _mail_key(volunteer: Volunteer, what: str) -> str:
    return f"volunteer:{volunteer.erase_token[:16]}:{what}"


def _queue_confirmation(volunteer: Volunteer, lang: str) -> None:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with force_locale(lang):
        subject = str(_l("Bedankt dat je wilt meehelpen"))
        body = render_template(
            "volunteers/mail_confirm.txt",
            volunteer=volunteer,
            survey=volunteer.survey,
            manage_url=base + manage_path(volunteer),
            months=retention_months(),
            expectations=text_in(volunteer.survey.expectations, lang),
        )
    outbox.queue_mail(_mail_key(volunteer, "confirm"), volunteer.email, subject, body)


def find_volunteer(token: str | None) -> Volunteer | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Volunteer).where(Volunteer.erase_token == token))


def change_volunteer(volunteer: Volunteer, details: Details) -> None:
    """The volunteer corrects their own details."""
    _apply(volunteer, details)
    db.session.commit()


def erase_volunteer(volunteer: Volunteer, reason: str) -> None:
    """Erase the details and every mail to them; the audit log keeps only that it happened."""
    outbox.forget_mail(f"volunteer:{volunteer.erase_token[:16]}:")
    audit(None, "volunteer_erased", f"volunteer:{volunteer.id}", reason=reason)
    db.session.delete(volunteer)
    db.session.commit()


def purge_expired(retention_days: int, now: datetime | None = None) -> int:
    """Erase volunteers of surveys that closed more than `retention_days` ago."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    expired = db.session.scalars(
        select(Volunteer)
        .join(Survey, Survey.id == Volunteer.survey_id)
        .where(Survey.closes_at.is_not(None), Survey.closes_at <= cutoff)
    ).all()
    for volunteer in expired:
        outbox.forget_mail(f"volunteer:{volunteer.erase_token[:16]}:")
    if expired:
        db.session.execute(delete(Volunteer).where(Volunteer.id.in_([v.id for v in expired])))
        audit(None, "volunteers_purged", count=len(expired), days=retention_days)
    db.session.commit()
    return len(expired)


# --- the coordinator ------------------------------------------------------------------------


@dataclass
class Filters:
    survey_id: int | None = None
    area_id: int | None = None
    theme: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args: Mapping) -> Filters:
        def number(name):
            value = args.get(name) or ""
            return int(value) if value.isdigit() else None

        status = args.get("status") or ""
        return cls(
            survey_id=number("survey"),
            area_id=number("area"),
            theme=(args.get("theme") or "")[:40],
            status=status if status in VOLUNTEER_STATUSES else "",
        )

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def _area_and_below(area_id: int) -> set[int]:
    ids, frontier = {area_id}, {area_id}
    while frontier:
        frontier = set(db.session.scalars(select(Area.id).where(Area.parent_id.in_(frontier))))
        frontier -= ids
        ids |= frontier
    return ids


def list_volunteers(filters: Filters) -> list[Volunteer]:
    """The volunteers matching the filters, newest first."""
    query = select(Volunteer).order_by(Volunteer.created_at.desc(), Volunteer.id.desc())
    if filters.survey_id:
        query = query.where(Volunteer.survey_id == filters.survey_id)
    if filters.area_id:
        query = query.where(Volunteer.area_id.in_(_area_and_below(filters.area_id)))
    if filters.status:
        query = query.where(Volunteer.status == filters.status)
    found = list(db.session.scalars(query))
    if filters.theme:  # themes is a JSON list: filter here, the same on both engines
        found = [v for v in found if filters.theme in (v.themes or [])]
    return found


def view_volunteers(officer: Officer, filters: Filters) -> list[Volunteer]:
    """The coordinator's list; that it was seen, with which filters, goes in the audit log."""
    people = list_volunteers(filters)
    audit(officer, "volunteers_viewed", "volunteers", filters=filters.as_dict(), count=len(people))
    db.session.commit()
    return people


def export_volunteers(officer: Officer, filters: Filters) -> str:
    """The filtered list as CSV text; the export goes in the audit log."""
    people = list_volunteers(filters)
    text = export_csv(people)
    audit(
        officer, "volunteers_exported", "volunteers", filters=filters.as_dict(), count=len(people)
    )
    db.session.commit()
    return text


def filter_choices() -> dict:
    """What the coordinator can filter on: surveys, areas, themes."""
    surveys = db.session.scalars(select(Survey).order_by(Survey.created_at.desc())).all()
    return {
        "surveys": surveys,
        "areas": db.session.scalars(select(Area).order_by(Area.level, Area.name)).all(),
        "themes": sorted({t for s in surveys for t in s.themes or []}),
    }


def update_by_coordinator(volunteer: Volunteer, status: str, notes: str, officer: Officer) -> None:
    if status not in VOLUNTEER_STATUSES:
        raise InvalidVolunteer({"status": str(_l("Kies een geldige status."))})
    if len(notes) > 5000:
        raise InvalidVolunteer({"notes": str(_l("De notitie is te lang (hoogstens 5000 tekens)."))})
    volunteer.status = status
    volunteer.coordinator_notes = notes
    audit(officer, "volunteer_changed", f"volunteer:{volunteer.id}", status=status)
    db.session.commit()


EXPORT_COLUMNS = [
    "naam",
    "e-mail",
    "telefoon",
    "buurt",
    "thema's",
    "tijd",
    "opmerking",
    "status",
    "notities",
    "peiling",
    "aangemeld",
]


def export_csv(volunteers: list[Volunteer]) -> str:
    """The list as CSV (semicolons, as Dutch spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for v in volunteers:
        writer.writerow(
            safe_cell(cell)
            for cell in (
                v.name,
                v.email,
                v.phone,
                v.area.name if v.area else "",
                ", ".join(v.themes or []),
                str(AVAILABILITY.get(v.availability, v.availability)),
                v.note,
                v.status,
                v.coordinator_notes,
                v.survey.slug,
                v.created_at.date().isoformat(),
            )
        )
    return out.getvalue()

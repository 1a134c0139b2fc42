"""Volunteers: the offer after the survey, their own page to see, change or erase their details.
Never linked to a response. The coordinator's side is in coordination.py; the erasure after the
retention period is in survey/features/retention."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core import links, outbox
from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.models import Area, Survey, Volunteer
from survey.models._types import text_in, utctoday

AVAILABILITY = {
    "eenmalig": _l("Af en toe, voor één actie"),
    "lt1": _l("Minder dan 1 uur per maand"),
    "1to4": _l("1 tot 4 uur per maand"),
    "gt4": _l("Meer dan 4 uur per maand"),
}
MAX_NOTE = 1000


@dataclass
class Details:
    name: str = ""
    email: str = ""
    phone: str = ""
    themes: list[str] = field(default_factory=list)
    availability: str = ""
    note: str = ""
    buurt: str = ""  # the CBS code of the buurt, or ""
    consent: bool = False


def offer_allowed(survey: Survey, adult_confirmed: bool) -> bool:
    """The offer to help is for needs surveys, and in a swipe deck only for those 16 or over."""
    return survey.status == "open" and (survey.kind != "swipe" or adult_confirmed)


def retention_months(survey: Survey) -> int:
    """The term the consent text promises, in months: the survey's own when shorter."""
    days = survey.term("volunteer", current_app.config["VOLUNTEER_RETENTION_DAYS"])
    return max(1, round(days / 30))


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


def _buurt_id(cbs_code: str) -> int | None:
    if not cbs_code:
        return None
    query = select(Area.id).where(Area.cbs_code == cbs_code, Area.level == "buurt")
    area_id = db.session.scalar(query)
    if area_id is None:
        raise UserError(_l("Kies een buurt uit de lijst."), field="buurt")
    return area_id


def _apply(volunteer: Volunteer, details: Details) -> None:
    """Put the details (checked by VolunteerForm) on the volunteer; the buurt must exist."""
    volunteer.area_id = _buurt_id(details.buurt)
    volunteer.name = details.name
    volunteer.email = details.email or None
    volunteer.phone = details.phone or None
    volunteer.themes = details.themes
    volunteer.availability = details.availability
    volunteer.note = details.note


def manage_path(volunteer: Volunteer) -> str:
    return f"/v/{volunteer.erase_token}"


def register_volunteer(survey: Survey, details: Details, lang: str) -> Volunteer:
    """Store the offer to help and queue its confirmation mail."""
    volunteer = Volunteer(
        survey_id=survey.id, erase_token=secrets.token_urlsafe(32), consent_at=utctoday()
    )
    _apply(volunteer, details)  # before it is added: a refused buurt leaves nothing behind
    db.session.add(volunteer)
    db.session.flush()
    if volunteer.email:
        _queue_confirmation(volunteer, lang)
    db.session.commit()
    return volunteer


def _mail_owner(volunteer: Volunteer) -> str:
    """The start of the key of every mail to this volunteer."""
    return f"volunteer:{volunteer.erase_token[:16]}"


def _queue_confirmation(volunteer: Volunteer, lang: str) -> None:
    with force_locale(lang):
        subject = str(_l("Bedankt dat je wilt meehelpen"))
        body = render_template(
            "volunteers/mail_confirm.txt",  # no text the resident wrote: anyone can fill it in
            survey=volunteer.survey,
            lang=lang,
            manage_url=links.public_url(manage_path(volunteer)),
            months=retention_months(volunteer.survey),
            expectations=text_in(volunteer.survey.expectations, lang),
        )
    outbox.queue_confirmation(_mail_owner(volunteer), volunteer.email, subject, body)


def find_volunteer(token: str | None) -> Volunteer | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Volunteer).where(Volunteer.erase_token == token))


def change_volunteer(volunteer: Volunteer, details: Details) -> Volunteer:
    """The volunteer corrects their own details."""
    _apply(volunteer, details)
    db.session.commit()
    return volunteer


def forget_mails(volunteer: Volunteer) -> None:
    """Remove every mail to this volunteer from the outbox (the caller commits)."""
    outbox.forget_mail(_mail_owner(volunteer) + ":")


def erase_volunteer(volunteer: Volunteer, reason: str) -> None:
    """Erase the details and every mail to them; the audit log keeps only that it happened."""
    forget_mails(volunteer)
    audit(None, "volunteer_erased", f"volunteer:{volunteer.id}", reason=reason)
    db.session.delete(volunteer)
    db.session.commit()

"""The Logboek: who exported, viewed answers or volunteers, changed a survey, erased what.

Events are recorded by each use case with `core.audit.audit`; this reads them, filtered by
officer, kind of event, subject and days, newest first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from survey.core.forms import CONTROL
from survey.core.query import Page, QueryArgs, page_of
from survey.extensions import db
from survey.models import AuditEvent, Officer

ACTION = re.compile(r"[a-z_.]{1,40}")
MAX_TARGET = 120
# What an event means, in words; an event without a label shows its code.
LABELS = {
    "sign_in": _l("Ingelogd"),
    "sign_in_password": _l("Wachtwoord goed (code nog nodig)"),
    "sign_in_second_factor": _l("Ingelogd met code"),
    "sign_out": _l("Uitgelogd"),
    "export_responses": _l("Reacties geëxporteerd"),
    "view_responses": _l("Reacties bekeken"),
    "view_open_answers": _l("Open antwoorden bekeken"),
    "moderate_answer": _l("Open antwoord beoordeeld"),
    "decide_personal_data": _l("Persoonsgegevens beoordeeld"),
    "rename_theme": _l("Thema een naam gegeven"),
    "flag_theme": _l("Thema verborgen, getoond of goedgekeurd"),
    "merge_themes": _l("Thema's samengevoegd"),
    "set_theme_count": _l("Aantal thema's gekozen"),
    "volunteers_viewed": _l("Vrijwilligers bekeken"),
    "volunteers_exported": _l("Vrijwilligers geëxporteerd"),
    "volunteer_changed": _l("Vrijwilliger gewijzigd"),
    "volunteer_erased": _l("Vrijwilliger gewist"),
    "volunteers_purged": _l("Vrijwilligers gewist na de bewaartermijn"),
    "erase_response": _l("Reactie gewist op verzoek"),
    "erase_answer": _l("Antwoord gewist op verzoek"),
    "retention_run": _l("Bewaartermijnen toegepast"),
    "create_survey": _l("Peiling gemaakt"),
    "update_survey": _l("Peiling gewijzigd"),
    "publish_survey": _l("Peiling gepubliceerd"),
    "close_survey": _l("Peiling gesloten"),
    "add_question": _l("Vraag toegevoegd"),
    "update_question": _l("Vraag gewijzigd"),
    "delete_question": _l("Vraag verwijderd"),
    "create_channel": _l("Toegangspunt gemaakt"),
    "update_channel": _l("Toegangspunt gewijzigd"),
    "make_door_codes": _l("Deurcodes gemaakt"),
    "require_door_codes": _l("Deurcodes aan- of uitgezet"),
    "import_responses": _l("Papieren reacties ingevoerd"),
    "import_areas": _l("Gebieden ingelezen"),
    "fit_profiles": _l("Profielen berekend"),
    "export_profiles": _l("Profielen geëxporteerd"),
    "officer_invite": _l("Medewerker uitgenodigd"),
    "officer_invite_accepted": _l("Uitnodiging aangenomen"),
    "officer_role": _l("Rol gewijzigd"),
    "officer_disable": _l("Account uitgeschakeld"),
    "officer_enable": _l("Account ingeschakeld"),
    "officer_password_reset": _l("Nieuw wachtwoord laten kiezen"),
    "password_change": _l("Wachtwoord gewijzigd"),
    "totp_enable": _l("Tweestapsverificatie aangezet"),
    "totp_disable": _l("Tweestapsverificatie uitgezet"),
    "totp_remove": _l("Tweestapsverificatie weggehaald"),
    "require_totp_for_admins": _l("Verplichte tweestapsverificatie voor beheerders gewijzigd"),
}


@dataclass(frozen=True)
class LogFilters:
    officer_id: int | None = None
    action: str | None = None
    target: str | None = None
    start: date | None = None
    end: date | None = None
    problems: list = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> LogFilters:
        """Read the filters from a query string; what makes no sense is ignored, and said."""
        query = QueryArgs(args)
        officer_id = query.number("officer")
        action = query.matching("action", ACTION)
        target = CONTROL.sub("", args.get("target") or "").strip()[:MAX_TARGET] or None
        start, end = query.days()
        return cls(officer_id, action, target, start, end, query.problems)

    def args(self) -> dict:
        """The filters as query arguments, for the pager."""
        pairs = {
            "officer": self.officer_id,
            "action": self.action,
            "target": self.target,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }
        return {k: v for k, v in pairs.items() if v is not None}

    def conditions(self) -> list:
        where = []
        if self.officer_id is not None:
            where.append(AuditEvent.officer_id == self.officer_id)
        if self.action:
            where.append(AuditEvent.action == self.action)
        if self.target:
            where.append(AuditEvent.target == self.target)
        if self.start:
            where.append(AuditEvent.created_at >= datetime.combine(self.start, time(), UTC))
        if self.end:
            end = datetime.combine(self.end + timedelta(days=1), time(), UTC)
            where.append(AuditEvent.created_at < end)
        return where


def label(action: str) -> str:
    return str(LABELS[action]) if action in LABELS else action


def events(filters: LogFilters, number: int = 1) -> Page:
    """One page of events matching the filters, newest first."""
    where = filters.conditions()
    query = (
        select(AuditEvent, Officer.email)
        .outerjoin(Officer, Officer.id == AuditEvent.officer_id)
        .where(*where)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    return page_of(query, select(func.count(AuditEvent.id)).where(*where), number)


def choices() -> dict:
    """What the filter menus offer: officers, and the kinds of event that occur."""
    officers = db.session.execute(select(Officer.id, Officer.email).order_by(Officer.email)).all()
    actions = db.session.scalars(select(AuditEvent.action).distinct()).all()
    return {
        "officers": officers,
        "actions": sorted(((a, label(a)) for a in actions), key=lambda pair: pair[1].lower()),
    }

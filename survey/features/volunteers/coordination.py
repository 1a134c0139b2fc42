"""Vrijwilligers, the coordinator's side: the filtered list, its CSV export, status and notes.
Seeing and exporting the list go in the audit log."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core.audit import audit
from survey.core.csvfile import safe_cell
from survey.core.database import parse_id
from survey.extensions import db
from survey.features.volunteers.service import AVAILABILITY
from survey.models import VOLUNTEER_STATUSES, Area, Officer, Survey, Volunteer

STATUS_LABELS = {
    "nieuw": _l("Nieuw"),
    "benaderd": _l("Benaderd"),
    "actief": _l("Actief"),
    "gestopt": _l("Gestopt"),
}


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
            return parse_id(value)

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
    """Set the status and the coordinator's notes (checked by CoordinatorForm)."""
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
                v.created_at.isoformat(),
            )
        )
    return out.getvalue()

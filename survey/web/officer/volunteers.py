"""The coordinator's volunteer list: filters, status and notes, CSV export; all audited."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from survey.extensions import db
from survey.models import VOLUNTEER_STATUSES, Area, Survey, Volunteer
from survey.services import volunteering
from survey.web.officer import add_nav, bp, roles_required

COORDINATORS = ("coordinator",)

add_nav("officer.volunteers", _l("Vrijwilligers"), 40)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/volunteers", endpoint="volunteers")
@roles_required(*COORDINATORS)
def volunteer_list():
    """The volunteers, filtered by survey, area, theme and status."""
    filters = volunteering.Filters.from_args(request.args)
    people = volunteering.list_volunteers(filters)
    volunteering.audit(current_user, "volunteers_viewed", filters, len(people))
    surveys = db.session.scalars(select(Survey).order_by(Survey.created_at.desc())).all()
    page = render_template(
        "officer/volunteers.html",
        people=people,
        filters=filters,
        surveys=surveys,
        areas=db.session.scalars(select(Area).order_by(Area.level, Area.name)).all(),
        themes=sorted({t for s in surveys for t in s.themes or []}),
        statuses=VOLUNTEER_STATUSES,
        status_labels=volunteering.STATUS_LABELS,
        availability=volunteering.AVAILABILITY,
    )
    return _no_store(Response(page))


@bp.get("/volunteers.csv")
@roles_required(*COORDINATORS)
def export_volunteers():
    """The filtered list as a CSV file."""
    filters = volunteering.Filters.from_args(request.args)
    people = volunteering.list_volunteers(filters)
    volunteering.audit(current_user, "volunteers_exported", filters, len(people))
    response = Response(
        "\ufeff" + volunteering.export_csv(people), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="vrijwilligers.csv"'
    return _no_store(response)


@bp.post("/volunteers/<int:volunteer_id>")
@roles_required(*COORDINATORS)
def change_volunteer(volunteer_id: int):
    """Change a volunteer's status and the coordinator's notes."""
    person = db.get_or_404(Volunteer, volunteer_id)
    try:
        volunteering.update_by_coordinator(
            person, request.form.get("status", ""), request.form.get("notes", ""), current_user
        )
    except volunteering.InvalidVolunteer as exc:
        flash(" ".join(exc.errors.values()))
        return redirect(url_for("officer.volunteers", **request.args), code=303)
    flash(_("Opgeslagen: %(name)s.", name=person.name))
    return redirect(url_for("officer.volunteers", **request.args), code=303)

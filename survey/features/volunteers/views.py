"""Volunteers: the offer to help after a survey, the volunteer's own page to see, change or
erase the details, and the coordinator's list. Never linked to a response."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core import htmx, limits
from survey.core.access import add_nav, roles_required
from survey.core.errors import UserError
from survey.core.i18n import current_lang
from survey.core.security import private
from survey.extensions import db
from survey.features.results.views import channel_or_404
from survey.features.volunteers import service as volunteering
from survey.features.volunteers.age import adult_confirmed
from survey.models import VOLUNTEER_STATUSES, Volunteer

bp = Blueprint("volunteers", __name__, template_folder="templates")
COORDINATORS = ("coordinator",)

add_nav("volunteers.index", _l("Vrijwilligers"), 40)


# --- residents ------------------------------------------------------------------------------


def _volunteer_page(channel, details=None, errors=None, status=200):
    survey = channel.survey
    page = render_template(
        "volunteers/volunteer.html",
        channel=channel,
        survey=survey,
        details=details or volunteering.Details(),
        errors=errors or {},
        **_volunteer_choices(survey),
    )
    return private(make_response(page, status))


def _volunteer_choices(survey) -> dict:
    return {
        "themes": volunteering.theme_labels(survey, current_lang()),
        "availability": volunteering.AVAILABILITY,
        "buurten": volunteering.buurten(),
        "months": volunteering.retention_months(),
    }


@bp.route("/s/<code>/meehelpen", methods=["GET", "POST"])
@limits.volunteering
def register(code: str):
    """The offer to help: what support there is, then a short form."""
    channel = channel_or_404(code)
    survey = channel.survey
    if not volunteering.offer_allowed(survey, adult_confirmed(survey)):
        abort(404)
    if request.method == "GET":
        buurt = request.args.get("buurt", "")
        return _volunteer_page(channel, volunteering.Details(area_id=_area_id(buurt)))
    try:
        limits.check_human(request.form)
        details = volunteering.parse_details(survey, request.form)
    except UserError as exc:
        return _volunteer_page(channel, errors={"form": exc.message}, status=400)
    except volunteering.InvalidVolunteer as exc:
        return _volunteer_page(channel, _echo(request.form), exc.errors, 422)
    person = volunteering.register_volunteer(survey, details, current_lang())
    return private(htmx.see_other(url_for("volunteers.manage", token=person.erase_token, nieuw=1)))


def _area_id(cbs_code: str) -> int | None:
    area = next((b for b in volunteering.buurten() if b.cbs_code == cbs_code), None)
    return area.id if area else None


def _echo(form) -> volunteering.Details:
    """What the resident typed, to show again next to the messages."""
    return volunteering.Details(
        name=form.get("name", "")[:120],
        email=form.get("email", "")[:254],
        phone=form.get("phone", "")[:40],
        themes=form.getlist("themes"),
        availability=form.get("availability", ""),
        note=form.get("note", "")[: volunteering.MAX_NOTE],
        area_id=_area_id(form.get("buurt", "")),
        consent=form.get("consent") == "yes",
    )


@bp.route("/v/<token>", methods=["GET", "POST"])
@limits.volunteering
def manage(token: str):
    """The volunteer's own page: see and change the details."""
    person = volunteering.find_volunteer(token) or abort(404)
    errors, saved = {}, False
    details = volunteering.Details(
        person.name,
        person.email or "",
        person.phone or "",
        list(person.themes or []),
        person.availability,
        person.note,
        person.area_id,
        True,
    )
    if request.method == "POST":
        try:
            details = volunteering.parse_details(person.survey, request.form, need_consent=False)
            volunteering.change_volunteer(person, details)
            saved = True
        except volunteering.InvalidVolunteer as exc:
            details, errors = _echo(request.form), exc.errors
    page = render_template(
        "volunteers/manage.html",
        person=person,
        survey=person.survey,
        details=details,
        errors=errors,
        saved=saved,
        new=request.args.get("nieuw") == "1",
        **_volunteer_choices(person.survey),
    )
    return private(make_response(page, 422 if errors else 200))


@bp.post("/v/<token>/wissen")
@limits.volunteering
def erase(token: str):
    """Erase the volunteer's details at once."""
    person = volunteering.find_volunteer(token)
    if person is not None:
        volunteering.erase_volunteer(person, "volunteer")
    return private(htmx.see_other(url_for("volunteers.erased")))


@bp.get("/v/gewist")
def erased():
    """Confirm that the details are gone."""
    return render_template("volunteers/erased.html")


# --- the coordinator ------------------------------------------------------------------------


@bp.get("/officer/volunteers")
@roles_required(*COORDINATORS)
def index():
    """The volunteers, filtered by survey, area, theme and status."""
    filters = volunteering.Filters.from_args(request.args)
    people = volunteering.view_volunteers(current_user, filters)
    page = render_template(
        "volunteers/index.html",
        people=people,
        filters=filters,
        **volunteering.filter_choices(),
        statuses=VOLUNTEER_STATUSES,
        status_labels=volunteering.STATUS_LABELS,
        availability=volunteering.AVAILABILITY,
    )
    return private(Response(page))


@bp.get("/officer/volunteers.csv")
@roles_required(*COORDINATORS)
def export():
    """The filtered list as a CSV file."""
    filters = volunteering.Filters.from_args(request.args)
    text = volunteering.export_volunteers(current_user, filters)
    response = Response("\ufeff" + text, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="vrijwilligers.csv"'
    return private(response)


@bp.post("/officer/volunteers/<int:volunteer_id>")
@roles_required(*COORDINATORS)
def change(volunteer_id: int):
    """Change a volunteer's status and the coordinator's notes."""
    person = db.get_or_404(Volunteer, volunteer_id)
    try:
        volunteering.update_by_coordinator(
            person, request.form.get("status", ""), request.form.get("notes", ""), current_user
        )
    except volunteering.InvalidVolunteer as exc:
        flash(" ".join(exc.errors.values()))
        return redirect(url_for("volunteers.index", **request.args), code=303)
    flash(_("Opgeslagen: %(name)s.", name=person.name))
    return redirect(url_for("volunteers.index", **request.args), code=303)

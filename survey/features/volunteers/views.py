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
from survey.core.forms import messages, refuse, summary
from survey.core.i18n import current_lang
from survey.core.security import private
from survey.extensions import db
from survey.features.results.views import channel_or_404
from survey.features.volunteers import coordination
from survey.features.volunteers import service as volunteering
from survey.features.volunteers.age import adult_confirmed
from survey.features.volunteers.forms import CoordinatorForm, NewVolunteerForm, VolunteerForm
from survey.models import VOLUNTEER_STATUSES, Volunteer

bp = Blueprint("volunteers", __name__, template_folder="templates")
COORDINATORS = ("coordinator",)

add_nav("volunteers.index", _l("Vrijwilligers"), 40)


# --- residents ------------------------------------------------------------------------------


def _volunteer_page(channel, details, errors=None, status=200):
    survey = channel.survey
    page = render_template(
        "volunteers/volunteer.html",
        channel=channel,
        survey=survey,
        details=details,
        errors=errors or {},
        **_volunteer_choices(survey),
    )
    return private(make_response(page, status))


def _volunteer_choices(survey) -> dict:
    return {
        "themes": volunteering.theme_labels(survey, current_lang()),
        "availability": volunteering.AVAILABILITY,
        "buurten": volunteering.buurten(),
        "months": volunteering.retention_months(survey),
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
        return _volunteer_page(channel, volunteering.Details(buurt=request.args.get("buurt", "")))
    try:
        limits.check_human(request.form)
    except UserError as exc:
        return _volunteer_page(channel, volunteering.Details(), {"form": exc.message}, 400)
    form = NewVolunteerForm(survey)
    person = _saved(form, volunteering.register_volunteer, survey, lang=current_lang())
    if person is None:
        return _volunteer_page(channel, form.details(), messages(form), 422)
    return private(htmx.see_other(url_for("volunteers.manage", token=person.erase_token, nieuw=1)))


def _saved(form, save, target, **extra):
    """What save(target, details) returns when the form is right; None (the messages are on the
    form) when it is not."""
    if not form.validate():
        return None
    try:
        return save(target, form.details(), **extra)
    except UserError as exc:
        refuse(form, exc)
        return None


@bp.route("/v/<token>", methods=["GET", "POST"])
@limits.volunteering
def manage(token: str):
    """The volunteer's own page: see and change the details."""
    person = volunteering.find_volunteer(token) or abort(404)
    form = VolunteerForm.of(person)
    saved = form.is_submitted() and _saved(form, volunteering.change_volunteer, person) is not None
    page = render_template(
        "volunteers/manage.html",
        person=person,
        survey=person.survey,
        details=form.details(),
        errors=messages(form),
        saved=saved,
        new=request.args.get("nieuw") == "1",
        **_volunteer_choices(person.survey),
    )
    return private(make_response(page, 422 if form.errors else 200))


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
    filters = coordination.Filters.from_args(request.args)
    people = coordination.view_volunteers(current_user, filters)
    page = render_template(
        "volunteers/index.html",
        people=people,
        filters=filters,
        **coordination.filter_choices(),
        statuses=VOLUNTEER_STATUSES,
        status_labels=coordination.STATUS_LABELS,
        availability=volunteering.AVAILABILITY,
    )
    return private(Response(page))


@bp.get("/officer/volunteers.csv")
@roles_required(*COORDINATORS)
def export():
    """The filtered list as a CSV file."""
    filters = coordination.Filters.from_args(request.args)
    text = coordination.export_volunteers(current_user, filters)
    response = Response("\ufeff" + text, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="vrijwilligers.csv"'
    return private(response)


@bp.post("/officer/volunteers/<int:volunteer_id>")
@roles_required(*COORDINATORS)
def change(volunteer_id: int):
    """Change a volunteer's status and the coordinator's notes."""
    person = db.get_or_404(Volunteer, volunteer_id)
    form = CoordinatorForm()
    if form.validate():
        coordination.update_by_coordinator(person, form.status.data, form.notes.data, current_user)
        flash(_("Opgeslagen: %(name)s.", name=person.name))
    else:
        flash(summary(form))
    return redirect(url_for("volunteers.index", **request.args), code=303)

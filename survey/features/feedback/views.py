"""Terugkoppeling: officers write and publish updates, and print the feedback poster."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core.access import add_survey_tab, roles_required
from survey.core.database import parse_id
from survey.core.errors import UserError
from survey.core.forms import messages, refuse
from survey.core.i18n import printout, printout_language
from survey.extensions import db
from survey.features.feedback import poster
from survey.features.feedback import service as feedback
from survey.features.feedback.forms import UpdateForm
from survey.features.results.public import STATUS_LABELS
from survey.features.volunteers import service as volunteering
from survey.models import UPDATE_STATUSES, Survey

bp = Blueprint("feedback", __name__, url_prefix="/officer", template_folder="templates")
EDITORS = ("editor",)

add_survey_tab("feedback.index", _l("Terugkoppeling"), 70)


def _page(survey, form, editing=None, errors=None, status=200):
    page = render_template(
        "feedback/updates.html",
        survey=survey,
        updates=feedback.updates_of(survey),
        editing=editing,
        values=form.data,
        errors=errors or messages(form),
        statuses=UPDATE_STATUSES,
        status_labels=STATUS_LABELS,
        themes=volunteering.theme_labels(survey, "nl"),
        areas=feedback.areas(),
    )
    return page, status


@bp.get("/surveys/<int:survey_id>/updates")
@roles_required(*EDITORS)
def index(survey_id: int):
    """The updates of a survey and a form for a new one (or the one being edited)."""
    survey = db.get_or_404(Survey, survey_id)
    update = None
    if update_id := parse_id(request.args.get("edit")):
        update = feedback.find_update(survey, update_id)
    return _page(survey, UpdateForm.of(survey, update), update)


@bp.post("/surveys/<int:survey_id>/updates")
@roles_required(*EDITORS)
def save(survey_id: int):
    """Create or change an update; publish it at once when asked."""
    survey = db.get_or_404(Survey, survey_id)
    form = UpdateForm(survey)
    update = feedback.find_update(survey, form.update_id.data) if form.update_id.data else None
    if form.validate():
        try:
            update = feedback.save_update(survey, update, form.values(), current_user)
        except UserError as exc:
            refuse(form, exc)
    if form.errors:
        return _page(survey, form, update, status=422)
    if form.publish.data == "1":
        return _publish(survey, update)
    flash(_("De terugkoppeling is opgeslagen."))
    return redirect(url_for("feedback.index", survey_id=survey.id), code=303)


@bp.post("/surveys/<int:survey_id>/updates/<int:update_id>/publish")
@roles_required(*EDITORS)
def publish(survey_id: int, update_id: int):
    """Publish an update: it appears on the public page and followers get a mail."""
    survey = db.get_or_404(Survey, survey_id)
    update = feedback.find_update(survey, update_id)
    if update is None:
        missing = {"form": _("Deze terugkoppeling bestaat niet.")}
        return _page(survey, UpdateForm.of(survey), errors=missing, status=404)
    return _publish(survey, update)


def _publish(survey, update):
    queued = feedback.publish_update(update, current_user)
    flash(_("Gepubliceerd. %(n)s volgers krijgen een mail.", n=queued))
    return redirect(url_for("feedback.index", survey_id=survey.id), code=303)


@bp.get("/surveys/<int:survey_id>/poster.pdf", endpoint="poster")
@printout
@roles_required(*EDITORS)
def poster_pdf(survey_id: int):
    """The printable "Jullie zeiden, wij deden" poster (A4 PDF) for the survey or an area, or
    for a channel (?channel=: its area and a QR code to its own public page), in ?lang=."""
    survey = db.get_or_404(Survey, survey_id)
    channel = None
    if request.args.get("channel"):
        channel = poster.poster_channel(survey, request.args["channel"]) or abort(404)
    area = poster.poster_area(request.args.get("area_id")) or (channel.area if channel else None)
    lang = printout_language(survey.languages, channel.lang if channel else None)
    pdf = poster.poster_pdf(survey, area, lang, channel)
    response = Response(pdf, mimetype="application/pdf")
    place = f"-{channel.code}" if channel else (f"-{area.id}" if area else "")
    name = f"jullie-zeiden-wij-deden-{survey.slug}{place}-{lang}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response

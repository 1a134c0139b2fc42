"""Deurcodes of a door flyer channel: make codes for the printer, ask for one to start."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from survey.core import htmx
from survey.core.access import roles_required
from survey.core.errors import UserError
from survey.core.forms import refuse
from survey.core.security import private
from survey.extensions import db
from survey.features.doorcodes import service as doorcodes
from survey.features.doorcodes.forms import MakeCodesForm, RequireForm
from survey.models import Channel, Survey

bp = Blueprint("doorcodes", __name__, url_prefix="/officer", template_folder="templates")
PAGE = "/surveys/<int:survey_id>/channels/<int:channel_id>/deurcodes"


def _channel(survey_id: int, channel_id: int):
    survey = db.get_or_404(Survey, survey_id)
    channel = db.get_or_404(Channel, channel_id)
    if channel.survey_id != survey.id:
        abort(404)
    return survey, channel


def _page(survey, channel, make=None, status: int = 200):
    made, used = doorcodes.counts(channel)
    return render_template(
        "doorcodes/index.html",
        survey=survey,
        channel=channel,
        made=made,
        used=used,
        make=make or MakeCodesForm(formdata=None),
        require=RequireForm(formdata=None, required=channel.needs_code),
    ), status


@bp.get(PAGE)
@roles_required("editor")
def show(survey_id: int, channel_id: int):
    """How many codes were made and used, and the two forms."""
    return _page(*_channel(survey_id, channel_id))


@bp.post(PAGE + "/maken")
@roles_required("editor")
def make(survey_id: int, channel_id: int):
    """Make new codes and hand them over once, as a CSV file for the printer."""
    survey, channel = _channel(survey_id, channel_id)
    form = MakeCodesForm()
    if form.validate():
        try:
            codes = doorcodes.make_codes(current_user, channel, form.count.data)
        except UserError as exc:
            refuse(form, exc)
        else:
            response = Response(doorcodes.codes_csv(channel, codes), mimetype="text/csv")
            name = f"{survey.slug}-{channel.code}-deurcodes.csv"
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
            return private(response)
    return _page(survey, channel, form, 422)


@bp.post(PAGE + "/vragen")
@roles_required("editor")
def require(survey_id: int, channel_id: int):
    """Ask for a door code before the survey starts through this channel, or stop asking."""
    survey, channel = _channel(survey_id, channel_id)
    form = RequireForm()
    if not form.validate():
        abort(400)  # a checkbox and the CSRF token: nothing a person can get wrong
    doorcodes.require_codes(current_user, channel, form.required.data)
    flash(_("Opgeslagen."))
    return htmx.see_other(url_for("doorcodes.show", survey_id=survey.id, channel_id=channel.id))

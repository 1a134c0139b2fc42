"""Toegangspunten: channels of a survey, their QR codes, posters, flyers and funnel."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core import htmx, qr
from survey.core.access import add_survey_tab, has_role, roles_required
from survey.core.errors import UserError
from survey.core.forms import refuse
from survey.core.i18n import printout, printout_language
from survey.extensions import db
from survey.features.channels import posters
from survey.features.channels import service as channels
from survey.features.channels.forms import ChannelForm
from survey.models import CHANNEL_KINDS, Survey

bp = Blueprint("channels", __name__, url_prefix="/officer", template_folder="templates")

add_survey_tab("channels.index", _l("Toegangspunten"), 40)
# name: (media type, what makes it from the channel and the language it is printed in)
DOWNLOADS = {
    "qr.png": ("image/png", lambda c, lang: qr.qr_png(channels.channel_url(c))),
    "qr.svg": ("image/svg+xml", lambda c, lang: qr.qr_svg(channels.channel_url(c))),
    "poster.pdf": ("application/pdf", lambda c, lang: posters.poster(c, "A4", lang)),
    "flyer.pdf": ("application/pdf", lambda c, lang: posters.poster(c, "A6", lang)),
}


def _page(survey, form=None, status=200):
    return render_template(
        "channels/index.html",
        survey=survey,
        funnel=channels.funnel(survey),
        kinds=CHANNEL_KINDS,
        kind_labels=channels.KIND_LABELS,
        areas=channels.area_choices(),
        can_edit=has_role(("admin", "editor")),
        form=form or ChannelForm(formdata=None),
    ), status


def _channel(survey_id: int, channel_id: int):
    survey = db.get_or_404(Survey, survey_id)
    return survey, channels.find_channel(survey, channel_id) or abort(404)


@bp.get("/surveys/<int:survey_id>/channels")
@roles_required("editor", "analyst")
def index(survey_id: int):
    """The survey's channels with their funnel; editors add and change them here."""
    return _page(db.get_or_404(Survey, survey_id))


@bp.post("/surveys/<int:survey_id>/channels")
@roles_required("editor")
def create(survey_id: int):
    """Add a channel; its code is made here and never changes."""
    survey = db.get_or_404(Survey, survey_id)
    form = ChannelForm()
    if form.validate():
        try:
            channels.create_channel(survey, current_user, **form.values())
            return htmx.see_other(url_for("channels.index", survey_id=survey.id))
        except UserError as exc:
            refuse(form, exc)
    return _page(survey, form, 422)


@bp.route("/surveys/<int:survey_id>/channels/<int:channel_id>", methods=["GET", "POST"])
@roles_required("editor")
def edit(survey_id: int, channel_id: int):
    """Change a channel's name, kind or area."""
    survey, channel = _channel(survey_id, channel_id)
    form = ChannelForm.of(channel)
    if form.validate_on_submit():
        try:
            channels.update_channel(channel, current_user, **form.values())
            return htmx.see_other(url_for("channels.index", survey_id=survey.id))
        except UserError as exc:
            refuse(form, exc)
    return _edit_page(survey, channel, form)


def _edit_page(survey, channel, form: ChannelForm):
    return render_template(
        "channels/edit.html",
        survey=survey,
        channel=channel,
        kinds=CHANNEL_KINDS,
        kind_labels=channels.KIND_LABELS,
        areas=channels.area_choices(),
        form=form,
        url=channels.channel_url(channel),
    ), 422 if form.errors else 200


@bp.get(
    "/surveys/<int:survey_id>/channels/<int:channel_id>/<any(" + ",".join(DOWNLOADS) + "):name>"
)
@printout
@roles_required("editor")
def download(survey_id: int, channel_id: int, name: str):
    """The channel's QR code (PNG, SVG), A4 poster or A6 flyer; ?lang= prints in another of
    the survey's languages than the channel's own."""
    survey, channel = _channel(survey_id, channel_id)
    mimetype, make = DOWNLOADS[name]
    lang = printout_language(survey.languages, channel.lang)
    response = Response(make(channel, lang), mimetype=mimetype)
    filename = f"{survey.slug}-{channel.code}-{name}"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

"""Following a survey: leave an e-mail address, confirm it, stop again."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request, url_for

from survey.core import htmx, limits
from survey.core.errors import UserError
from survey.core.i18n import current_lang
from survey.core.security import private
from survey.features.following import service as following
from survey.features.results.views import channel_or_404

bp = Blueprint("following", __name__, template_folder="templates")


@bp.route("/r/<code>/volgen", methods=["GET", "POST"])
@limits.following
def follow(code: str):
    """Leave an e-mail address to hear about updates (a confirmation mail follows)."""
    channel = channel_or_404(code)
    if request.method == "GET":
        return render_template("following/follow.html", channel=channel, survey=channel.survey)
    try:
        limits.check_human(request.form)
        area_id = channel.area_id if channel.area_id != channel.survey.area_id else None
        following.follow(channel.survey, request.form.get("email", ""), current_lang(), area_id)
    except UserError as exc:
        page = render_template(
            "following/follow.html",
            channel=channel,
            survey=channel.survey,
            error=exc.message,
            email=request.form.get("email", "")[:254],
        )
        return page, 422
    return htmx.see_other(url_for("following.sent", code=code))


@bp.get("/r/<code>/volgen/verstuurd")
def sent(code: str):
    """Tell the resident to look in their mailbox."""
    channel = channel_or_404(code)
    return render_template("following/follow_sent.html", channel=channel, survey=channel.survey)


@bp.route("/volgen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """Confirm following (a button, so a mail scanner opening the link confirms nothing)."""
    subscription = following.by_confirm_token(token) or abort(404)
    if request.method == "POST":
        following.confirm(subscription)
    page = render_template("following/follow_confirm.html", subscription=subscription)
    return private(make_response(page))


@bp.route("/volgen/stop/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Stop following: the address is erased."""
    if request.method == "POST":
        subscription = following.by_unsubscribe_token(token)
        if subscription is not None:
            following.unsubscribe(subscription)
        return private(make_response(render_template("following/unsubscribed.html")))
    subscription = following.by_unsubscribe_token(token) or abort(404)
    page = render_template("following/unsubscribe.html", subscription=subscription, token=token)
    return private(make_response(page))

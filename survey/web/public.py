"""Public pages: results and updates per survey, following them, volunteering, privacy."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request, session, url_for

from survey import htmx, limits
from survey.i18n import current_lang
from survey.services import answering, feedback, following, volunteering
from survey.services.results import survey_results, survey_summary
from survey.services.validation import InvalidAnswer

bp = Blueprint("public", __name__)


def _channel_or_404(code: str):
    channel = answering.find_channel(code)
    if channel is None or channel.survey.status == "draft":
        abort(404)
    return channel


def _private(response):
    """Pages with contact details or their secret links: never cached, never referred."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def adult_confirmed(survey) -> bool:
    """Whether the swipe flow noted in the session that this resident confirmed 16+."""
    flag = session.get("adult_confirmed")
    if isinstance(flag, list | dict | set | tuple):
        return survey.id in flag or str(survey.id) in flag
    return bool(flag)


@bp.get("/r/<code>")
def results(code: str):
    """Aggregated results of a survey, small groups hidden, and the updates as a timeline."""
    channel = _channel_or_404(code)
    survey = channel.survey
    return render_template(
        "public/results.html",
        channel=channel,
        survey=survey,
        summary=survey_summary(survey),
        results=survey_results(survey, current_lang()),
        updates=feedback.timeline(survey),
        status_labels=feedback.STATUS_LABELS,
    )


@bp.route("/r/<code>/volgen", methods=["GET", "POST"])
@limits.following
def follow(code: str):
    """Leave an e-mail address to hear about updates (a confirmation mail follows)."""
    channel = _channel_or_404(code)
    if request.method == "GET":
        return render_template("public/follow.html", channel=channel, survey=channel.survey)
    try:
        limits.check_human(request.form)
        following.follow(channel.survey, request.form.get("email", ""), current_lang())
    except (following.InvalidEmail, InvalidAnswer) as exc:
        page = render_template(
            "public/follow.html",
            channel=channel,
            survey=channel.survey,
            error=exc.message(),
            email=request.form.get("email", "")[:254],
        )
        return page, 422
    return htmx.see_other(url_for("public.follow_sent", code=code))


@bp.get("/r/<code>/volgen/verstuurd")
def follow_sent(code: str):
    """Tell the resident to look in their mailbox."""
    channel = _channel_or_404(code)
    return render_template("public/follow_sent.html", channel=channel, survey=channel.survey)


@bp.route("/volgen/<token>", methods=["GET", "POST"])
def confirm_follow(token: str):
    """Confirm following (a button, so a mail scanner opening the link confirms nothing)."""
    subscription = following.by_confirm_token(token) or abort(404)
    if request.method == "POST":
        following.confirm(subscription)
    page = render_template("public/follow_confirm.html", subscription=subscription)
    return _private(make_response(page))


@bp.route("/volgen/stop/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Stop following: the address is erased."""
    if request.method == "POST":
        subscription = following.by_unsubscribe_token(token)
        if subscription is not None:
            following.unsubscribe(subscription)
        return _private(make_response(render_template("public/unsubscribed.html")))
    subscription = following.by_unsubscribe_token(token) or abort(404)
    page = render_template("public/unsubscribe.html", subscription=subscription, token=token)
    return _private(make_response(page))


def _volunteer_page(channel, details=None, errors=None, status=200):
    survey = channel.survey
    page = render_template(
        "resident/volunteer.html",
        channel=channel,
        survey=survey,
        details=details or volunteering.Details(),
        errors=errors or {},
        **_volunteer_choices(survey),
    )
    return _private(make_response(page, status))


def _volunteer_choices(survey) -> dict:
    return {
        "themes": volunteering.theme_labels(survey, current_lang()),
        "availability": volunteering.AVAILABILITY,
        "buurten": volunteering.buurten(),
        "months": volunteering.retention_months(),
    }


@bp.route("/s/<code>/meehelpen", methods=["GET", "POST"])
@limits.volunteering
def volunteer(code: str):
    """The offer to help: what support there is, then a short form."""
    channel = _channel_or_404(code)
    survey = channel.survey
    if not volunteering.offer_allowed(survey, adult_confirmed(survey)):
        abort(404)
    if request.method == "GET":
        buurt = request.args.get("buurt", "")
        return _volunteer_page(channel, volunteering.Details(area_id=_area_id(buurt)))
    try:
        limits.check_human(request.form)
        details = volunteering.parse_details(survey, request.form)
    except InvalidAnswer as exc:
        return _volunteer_page(channel, errors={"form": exc.message()}, status=400)
    except volunteering.InvalidVolunteer as exc:
        return _volunteer_page(channel, _echo(request.form), exc.errors, 422)
    person = volunteering.register_volunteer(survey, details, current_lang())
    return _private(htmx.see_other(url_for("public.manage", token=person.erase_token, nieuw=1)))


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
        "resident/volunteer_manage.html",
        person=person,
        survey=person.survey,
        details=details,
        errors=errors,
        saved=saved,
        new=request.args.get("nieuw") == "1",
        **_volunteer_choices(person.survey),
    )
    return _private(make_response(page, 422 if errors else 200))


@bp.post("/v/<token>/wissen")
@limits.volunteering
def erase(token: str):
    """Erase the volunteer's details at once."""
    person = volunteering.find_volunteer(token)
    if person is not None:
        volunteering.erase_volunteer(person, "volunteer")
    return _private(htmx.see_other(url_for("public.erased")))


@bp.get("/v/gewist")
def erased():
    """Confirm that the details are gone."""
    return render_template("resident/volunteer_erased.html")


@bp.get("/privacy")
def privacy():
    """The full privacy statement."""
    return render_template("public/privacy.html")

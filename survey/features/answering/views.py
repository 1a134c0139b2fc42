"""Answering: a QR scan opens the survey, one question per screen, the verdieping, the end."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)

from survey.core import htmx, limits
from survey.core.errors import UserError
from survey.core.i18n import current_lang
from survey.features.answering import service as answering
from survey.features.answering.validation import invalid_answer, parse_answer
from survey.features.results import public
from survey.features.volunteers.age import adult_confirmed

bp = Blueprint("answering", __name__, url_prefix="/s", template_folder="templates")
DOOR_CODE_FIELD = answering.DOOR_CODE_FIELD
COOKIE_PREFIX = "bp_r"
SCANNED_PREFIX, SCANNED_SECONDS = "bp_s", 24 * 60 * 60  # a phone counts once a day
# Survey kinds with screens of their own (the swipe feature adds its deck): the template of a
# question screen, and the view of the screen after the last answer, which takes
# (channel, response, **after) like done() below.
QUESTION_SCREENS: dict[str, str] = {}
DONE_SCREENS: dict[str, Callable] = {}


def channel_or_404(code: str, with_questions: bool = False):
    channel = public.find_channel(code, with_questions)
    if channel is None or channel.survey.status == "draft":
        abort(404)
    return channel


def _cookie_name(survey) -> str:
    return f"{COOKIE_PREFIX}{survey.id}"


def response_from_cookie(survey):
    return answering.find_response(survey, request.cookies.get(_cookie_name(survey)))


def screen_template(screen: str, fragment: bool) -> str:
    """A screen "feature/view" as its page (feature/view.html) or fragment (feature/_view.html)."""
    feature, view = screen.split("/")
    return f"{feature}/_{view}.html" if fragment else f"{feature}/{view}.html"


def render_screen(screen: str, status: int = 200, **context):
    """A full page, or only the screen fragment for htmx.

    The screen's address is the page's (a GET), or the next step's when a POST answers with the
    next screen (`_next_screen`): htmx pushes it, and the language links point to it.
    """
    fragment = htmx.is_htmx()
    name = screen_template(screen, fragment)
    response = make_response(render_template(name, fragment=fragment, **context), status)
    if htmx.is_htmx() and status < 400:
        htmx.push_url(response, htmx.screen_full_path())
    return htmx.vary(response)


def _set_cookie(response, name: str, value: str, max_age: int):
    """A cookie of the survey pages only, out of reach of scripts and other sites."""
    secure = request.is_secure or current_app.config["PRODUCTION"]
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="Lax", secure=secure, path="/s/"
    )
    return response


def _remember(response, survey, response_uuid: str):
    return _set_cookie(response, _cookie_name(survey), response_uuid, 60 * 60 * 24 * 30)


def _step_url(channel, step) -> str:
    if step.kind == "question":
        return url_for("answering.question", code=channel.code, qcode=step.question.code)
    if step.kind == "offer":
        return url_for("answering.offer", code=channel.code)
    return url_for("answering.done", code=channel.code)


@bp.get("/<code>")
def intro(code: str):
    """The survey's first screen: who asks, why, how long; resume if already begun."""
    channel = channel_or_404(code)
    survey = channel.survey
    if survey.status == "closed":
        return htmx.see_other(url_for("results.show", code=code))
    seen = f"{SCANNED_PREFIX}{channel.id}"
    # A language switch is not a new scan, nor is the same phone back the same day.
    new_scan = "lang" not in request.args and seen not in request.cookies
    if new_scan and limits.counts("LIMIT_SCAN", channel.code):
        answering.record_scan(channel)
    page = _intro_page(channel, door_code=request.args.get(DOOR_CODE_FIELD))
    return _set_cookie(page, seen, "1", SCANNED_SECONDS)


def _intro_page(channel, error: str | None = None, status: int = 200, door_code=None):
    survey = channel.survey
    existing = response_from_cookie(survey)
    resume = answering.current_step(survey, existing) if existing else None
    return render_screen(
        "answering/intro",
        status,
        channel=channel,
        survey=survey,
        new_uuid=str(uuid.uuid4()),
        resume_url=_step_url(channel, resume) if resume else None,
        minutes=answering.core_minutes(survey),
        error=error,
        door_code=answering.door_code_shown(door_code) if channel.needs_code else None,
    )


@bp.post("/<code>/start")
@limits.starting
@limits.answering
def start(code: str):
    """Create the response for the client-made UUID and go to the first question."""
    channel = channel_or_404(code)
    try:
        limits.check_human(request.form)
        response = answering.start_response(
            channel,
            request.form.get("response"),
            current_lang(),
            request.form.get(DOOR_CODE_FIELD),
        )
    except UserError as exc:
        if exc.code == "bad_door_code":
            door_code = request.form.get(DOOR_CODE_FIELD)
            return _intro_page(channel, exc.message, 422, door_code)
        status = 410 if exc.code == "closed" else 400
        return render_screen("answering/problem", status, channel=channel, message=exc.message)
    step = answering.current_step(channel.survey, response)
    return _remember(_next_screen(channel, response, step), channel.survey, response.uuid)


def _next_screen(channel, response, step):
    """After a POST: the next step. With htmx its screen in this same response, at the step's
    own address (one round trip per question); without JavaScript a 303 to that address."""
    url = _step_url(channel, step)
    if not htmx.is_htmx():
        return htmx.vary(htmx.see_other(url))
    htmx.show_next(url)
    if step.kind == "question":
        q = answering.find_question(channel.survey, step.question.code)
        return _question_page(channel, response, q)
    if step.kind == "offer":
        return _offer_page(channel, response)
    return _done_page(channel, response)


@bp.route("/<code>/v/<qcode>", methods=["GET", "POST"])
@limits.answering
def question(code: str, qcode: str):
    """Show one question; on POST store its answer and go on."""
    if request.method == "POST":
        return _answer(code, qcode)
    channel = channel_or_404(code, with_questions=True)
    survey = channel.survey
    q = answering.find_question(survey, qcode)
    response = response_from_cookie(survey)
    if response is None:
        return htmx.see_other(url_for("answering.intro", code=code))
    if q is None:
        abort(404)
    return _question_page(channel, response, q)


def _answer(code: str, qcode: str):
    """Store an answer and go on: the response, with its channel and survey, in one statement,
    the question from the kept structure, then the answer's upsert and the response's update.

    Anything out of the ordinary (no such response or question, a refused answer) takes the
    long way of `_refused`, which loads what the error screens show.
    """
    found = answering.answer_target(code, request.form.get("response"), qcode)
    if found is None or found[2] is None or found[0].survey.status == "draft":
        return _refused(code, qcode)
    channel, response, q = found
    survey = channel.survey
    try:
        limits.check_human(request.form)
        answering.check_open(survey, response)
        value = parse_answer(q, request.form.to_dict(flat=False), skip="skip" in request.form)
    except UserError as exc:
        return _refused(code, qcode, exc)
    answering.save_answer(response, q, value, held=True)
    step = answering.step_after(survey, response, q)
    if step.kind == "done":  # the last answer completes the response (never a GET)
        answering.complete_response(response)
    return _remember(_next_screen(channel, response, step), survey, response.uuid)


def _refused(code: str, qcode: str, error: UserError | None = None):
    """The screen of an answer that is not stored: what is wrong, and the question again where
    it can be put right. `error` is None when the question or the response was not found."""
    channel = channel_or_404(code, with_questions=True)
    survey = channel.survey
    q = answering.find_question(survey, qcode)
    response_uuid = request.form.get("response")
    if error is None:
        try:
            if q is None:
                raise invalid_answer("bad_question")
            limits.check_human(request.form)
            raise invalid_answer("bad_response")  # every response begins at /start
        except UserError as exc:
            error = exc
    if q is None or error.code in ("bad_response", "closed"):
        status = {"closed": 410, "bad_response": 400}.get(error.code, 404)
        return render_screen("answering/problem", status, channel=channel, message=error.message)
    response = answering.find_response(survey, response_uuid) or response_from_cookie(survey)
    if response is None:
        return render_screen("answering/problem", 400, channel=channel, message=error.message)
    return _question_page(channel, response, q, error=error.message, status=422)


def _question_page(channel, response, q, error: str | None = None, status: int = 200):
    survey = channel.survey
    answers = answering.answers_of(response)  # read once for the screen
    previous = answering.step_before(survey, response, q, answers)
    return render_screen(
        QUESTION_SCREENS.get(survey.kind, "answering/question"),
        status,
        channel=channel,
        survey=survey,
        response=response,
        q=q,
        value=request.form.to_dict(flat=False) if error else answers.get(q.code),
        submitted=bool(error),
        error=error,
        progress=answering.progress(survey, response, q, answers),
        back_url=url_for("answering.question", code=channel.code, qcode=previous.code)
        if previous
        else url_for("answering.intro", code=channel.code),
        buurten=answering.buurten(survey) if q.type == "area" else [],
    )


@bp.route("/<code>/verdieping", methods=["GET", "POST"])
def offer(code: str):
    """After the core: offer the deeper questions."""
    channel = channel_or_404(code)
    survey = channel.survey
    response = response_from_cookie(survey)
    if request.method == "POST":
        response = answering.find_response(survey, request.form.get("response")) or response
    if response is None:
        return htmx.see_other(url_for("answering.intro", code=code))
    if request.method == "POST":
        try:
            answering.check_open(survey, response)
        except UserError as exc:
            return render_screen("answering/problem", 410, channel=channel, message=exc.message)
        answering.choose_deeper(response, request.form.get("choice") == "yes")
        return _next_screen(channel, response, answering.current_step(survey, response))
    return _offer_page(channel, response)


def _offer_page(channel, response):
    count = answering.deeper_count(channel.survey)
    return render_screen(
        "answering/offer", channel=channel, survey=channel.survey, response=response, count=count
    )


@bp.get("/<code>/klaar")
def done(code: str):
    """Thank the resident; the response is complete."""
    channel = channel_or_404(code)
    survey = channel.survey
    response = response_from_cookie(survey)
    if response is None:
        return htmx.see_other(url_for("answering.intro", code=code))
    step = answering.current_step(survey, response)
    if response.completed_at is None and step.kind != "done":
        return htmx.see_other(_step_url(channel, step))
    return _done_page(channel, response)


def _done_page(channel, response):
    survey = channel.survey
    offer_deeper = response.layer == "core" and answering.has_deeper(survey)
    after = answering.after_survey(survey, response.area, current_lang(), adult_confirmed(survey))
    if survey.kind in DONE_SCREENS:
        return DONE_SCREENS[survey.kind](channel, response, **after)
    return render_screen(
        "answering/done",
        channel=channel,
        survey=survey,
        response=response,
        offer_deeper=offer_deeper,
        **after,
    )


@bp.app_template_global()
def prefill(q, value, submitted: bool) -> dict:
    """What a question screen shows as already chosen: a stored value or a rejected form."""
    pre = {"values": [], "text": "", "ranks": ["", "", "", "", ""], "postcode": ""}
    if submitted:
        form = value or {}
        pre["values"] = form.get("value", [])
        pre["text"] = (form.get("value") or [""])[-1]
        for i in range(5):
            pre["ranks"][i] = (form.get(f"rank{i + 1}") or [""])[-1]
        pre["postcode"] = (form.get("postcode") or [""])[-1]
    elif isinstance(value, list):
        pre["values"] = [str(v) for v in value]
        pre["ranks"][: len(value)] = [str(v) for v in value]
    elif isinstance(value, dict):
        pre["values"] = [value.get("area", "")]
        pre["postcode"] = value.get("postcode", "")
    elif value is not None:
        pre["values"] = [str(value)]
        pre["text"] = str(value)
    return pre

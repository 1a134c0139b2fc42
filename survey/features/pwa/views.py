"""Progressive web app: manifest, service worker, offline page, and a survey kept for offline."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path
from types import SimpleNamespace

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    render_template_string,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from survey.core.i18n import current_lang
from survey.features.answering import service as answering
from survey.features.answering.validation import invalid_answer
from survey.features.answering.views import QUESTION_SCREENS, screen_template
from survey.features.pwa import service as offline
from survey.features.results import public

bp = Blueprint("pwa", __name__, template_folder="templates")

THEME = "#1b5e7a"
HTMX = "js/htmx-2.0.11.min.js"
SHELL_STATIC = ("css/app.css", HTMX, "js/app.js", "js/readaloud.js", "icons/icon.svg")
# Loaded by the worker itself (importScripts); the browser keeps it with the worker's version.
WORKER_IMPORTS = ("js/navigation.js", "js/queue.js")
# Placeholders the service worker fills in (see static/sw.js, screen()).
RESPONSE, CSRF, BACK, PROGRESS = "__BP_RESPONSE__", "__BP_CSRF__", "__BP_BACK__", "__BP_PROGRESS__"
PATH, NEW_UUID, RESUME = "__BP_PATH__", "__BP_NEWUUID__", "__BP_RESUME__"
# Progress numbers the service worker replaces: value = number - 1, "Vraag number van total".
SENTINEL = {"number": 7772, "total": 7773}
MAIN = re.compile(r'(<main id="main" tabindex="-1">)(.*)(</main>)', re.S)
PROGRESS_BLOCK = re.compile(r'<div class="progress">.*?</div>', re.S)
CONFIG_LINE = re.compile(r"^const CONFIG = .*$", re.M)


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: what a phone needs to install Buurtpeiling."""
    response = jsonify(
        id="/app",
        name="Buurtpeiling",
        short_name="Buurtpeiling",
        description=_("Vragenlijsten over je buurt, ook zonder verbinding."),
        start_url=url_for("pwa.start"),
        scope="/",
        display="standalone",
        orientation="portrait",
        background_color="#ffffff",
        theme_color=THEME,
        lang=current_lang(),
        icons=_icons(),
    )
    response.mimetype = "application/manifest+json"
    return response


def _icons() -> list[dict]:
    icon = functools.partial(url_for, "static")
    pngs = [
        {"src": icon(filename=f"icons/{kind}-{size}.png"), "sizes": f"{size}x{size}"}
        | {"type": "image/png", "purpose": "maskable" if kind == "maskable" else "any"}
        for kind in ("icon", "maskable")
        for size in (192, 512)
    ]
    svg = {"src": icon(filename="icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"}
    return [svg | {"purpose": "any"}, *pngs]


@bp.get("/sw.js")
def service_worker():
    """The service worker, at the root so that it controls the whole site."""
    version = build_id()
    imports = [url_for("static", filename=f, v=version) for f in WORKER_IMPORTS]
    config = {"version": version, "shell": shell_urls(), "imports": imports}
    source = CONFIG_LINE.sub(f"const CONFIG = {json.dumps(config)};", _worker_source(), count=1)
    response = make_response(source)
    response.mimetype = "text/javascript"
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


def shell_urls() -> list[str]:
    """What every page needs, kept by the service worker when it installs."""
    return [url_for("static", filename=f) for f in SHELL_STATIC] + [url_for("pwa.offline_page")]


def _worker_source() -> str:
    return (Path(current_app.static_folder) / "sw.js").read_text()


def _build_files() -> list[Path]:
    root = Path(current_app.root_path)
    static = Path(current_app.static_folder)
    files = [static / "sw.js", *(static / f for f in WORKER_IMPORTS + SHELL_STATIC)]
    files += sorted((root / "templates").rglob("*.html"))
    files += sorted((root / "survey" / "features").glob("*/templates/**/*.html"))
    files += sorted((root / "translations").rglob("*.mo"))
    return files


def build_id() -> str:
    """Changes whenever the shell, the templates or the translations change."""
    files = _build_files()
    return _hash_files(tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists()))


@functools.lru_cache(maxsize=8)
def _hash_files(stamps: tuple) -> str:
    digest = hashlib.sha256()
    for name, _stamp in stamps:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:16]


@bp.get("/offline")
def offline_page():
    """Shown by the service worker for a page that is not kept on the phone."""
    return render_template("pwa/offline.html", mode="offline")


@bp.get("/app")
def start():
    """Where the installed app opens (the service worker goes on with the last survey)."""
    return render_template("pwa/offline.html", mode="start")


@bp.get("/offline/token")
def token():
    """A fresh CSRF token for answers that waited offline while the session cookie changed."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/s/<code>/offline.json")
def offline_survey(code: str):
    """Everything the service worker keeps to let a resident answer this survey offline."""
    channel = public.find_channel(code)
    if channel is None or channel.survey.status != "open":
        abort(404)
    tag = offline.version(channel, current_lang(), build_id())
    if any(t == tag or t.startswith(f"{tag}:") for t in request.if_none_match.as_set()):
        response = make_response("", 304)
    else:
        response = jsonify(render_survey(channel, tag))
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    return response


def render_survey(channel, tag: str) -> dict:
    """The survey's screens rendered by the real templates, with placeholders to fill in."""
    survey = channel.survey
    context = {
        "channel": channel,
        "survey": survey,
        "fragment": False,
        "csrf_token": lambda: CSRF,
        "response": SimpleNamespace(uuid=RESPONSE),
    }
    intro = dict(context, new_uuid=NEW_UUID, minutes=answering.core_minutes(survey))
    frame_top, _intro, frame_end = _split(render_template("answering/_intro.html", **intro))
    page = render_template("answering/intro.html", **intro, resume_url=None)
    return offline.describe(survey) | {
        "version": tag,
        "code": channel.code,
        "lang": current_lang(),
        "urls": _urls(channel),
        "page": [page[: page.index('<div id="screen"')], page[page.rindex("</body>") :]],
        "frame": [frame_top.replace(request.path, PATH), frame_end.replace(request.path, PATH)],
        "screens": {
            "intro": _main("answering/_intro.html", intro, resume_url=None),
            "resume": _main("answering/_intro.html", intro, resume_url=RESUME),
            "offer": _main("answering/_offer.html", context, count=answering.deeper_count(survey)),
            "done": _main("pwa/offline.html", {}, mode="done"),
            "questions": _question_screens(channel, context),
        },
        "progress": _progress_bars(survey),
        "texts": _texts(),
    }


def _split(html: str) -> tuple[str, str, str]:
    match = MAIN.search(html)
    return html[: match.end(1)], match.group(2), html[match.start(3) :]


def _main(template: str, context: dict, **extra) -> str:
    return _split(render_template(template, **context, **extra))[1]


def _question_screens(channel, context: dict) -> dict[str, str]:
    questions = offline.questions(channel.survey)
    buurten = answering.buurten(channel.survey) if any(q.type == "area" for q in questions) else []
    # The same template as the answering flow (a swipe deck shows cards, whose progress has no
    # minutes).
    screen = QUESTION_SCREENS.get(channel.survey.kind, "answering/question")
    cards = screen != "answering/question"
    screens = {}
    for q in questions:
        html = _main(
            screen_template(screen, fragment=True),
            context,
            q=q,
            value=None,
            submitted=False,
            error=None,
            progress=SENTINEL | {"minutes": 1},
            back_url=BACK,
            buurten=buurten,
        )
        screens[q.code] = html if cards else PROGRESS_BLOCK.sub(PROGRESS, html, count=1)
    return screens


def _progress_bars(survey) -> list[str]:
    """The progress bar for 1, 2, ... minutes left (index 0 is one minute)."""
    most = answering.minutes_for(survey, len(offline.questions(survey)))
    template = '{% from "_macros.html" import progress_bar with context %}{{ progress_bar(p) }}'
    return [
        render_template_string(template, p=SENTINEL | {"minutes": minutes})
        for minutes in range(1, most + 2)
    ]


def _texts() -> dict[str, str]:
    required = escape(invalid_answer("required").message)
    return {
        "queued": _("Je antwoord wordt verstuurd zodra je weer verbinding hebt."),
        "required": f'<p class="error" id="error" role="alert"><strong>{escape(_("Let op:"))}'
        f"</strong> {required}</p>",
    }


def _urls(channel) -> dict[str, str]:
    code = channel.code
    return {
        "intro": url_for("answering.intro", code=code),
        "start": url_for("answering.start", code=code),
        "question": url_for("answering.question", code=code, qcode="q")[:-1],
        "offer": url_for("answering.offer", code=code),
        "done": url_for("answering.done", code=code),
    }

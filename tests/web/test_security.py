"""Security headers on every response, and cookie flags in production."""

from __future__ import annotations

import time
import types
import uuid

import itsdangerous.timed
import pytest

from survey import create_app
from survey.extensions import db, limiter
from survey.features.builder.service import find_survey

PATHS = ["/s/demo-peiling", "/does-not-exist", "/health", "/static/css/app.css", "/officer/login"]


@pytest.fixture
def production(demo, monkeypatch):
    """The demo database served by an app made with BUURTPEILING_ENV=production."""
    monkeypatch.setenv("BUURTPEILING_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "production-test")  # production refuses to start without
    saved = dict(limiter.__dict__)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "production-test",
            "SQLALCHEMY_DATABASE_URI": demo.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "HUMAN_MIN_SECONDS": 0,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()
    limiter.__dict__.update(saved)


def _get(client, path):
    response = client.get(path)
    response.close()  # static files are streamed from an open file
    return response


def _csp(response) -> dict[str, str]:
    parts = [
        p.strip().split(" ", 1) for p in response.headers["Content-Security-Policy"].split(";")
    ]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("path", PATHS)
def test_csp_allows_no_inline_code_no_plugins_no_base_and_no_framing(demo, demo_client, path):
    csp = _csp(_get(demo_client, path))
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert "unsafe" not in " ".join(csp.values())


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_header(demo, demo_client, path, header, value):
    assert _get(demo_client, path).headers[header] == value


def test_permissions_policy_switches_off_camera_microphone_and_location(demo, demo_client):
    policy = demo_client.get("/s/demo-peiling").headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_hsts_only_in_production(demo, demo_client, production):
    assert "Strict-Transport-Security" not in demo_client.get("/s/demo-peiling").headers
    hsts = production.test_client().get("/s/demo-peiling").headers["Strict-Transport-Security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000


def _set_cookie(response, name: str) -> list[str]:
    for header in response.headers.getlist("Set-Cookie"):
        if header.split("=", 1)[0] == name:
            return [part.strip() for part in header.split(";")]
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def _cookies(app) -> dict[str, list[str]]:
    client = app.test_client()
    key = str(uuid.uuid4())
    start = client.post("/s/demo-peiling/start", data={"response": key})
    survey_cookie = next(
        h.split("=", 1)[0] for h in start.headers.getlist("Set-Cookie") if h.startswith("bp_r")
    )
    return {
        "session": _set_cookie(client.get("/officer/login"), "session"),
        "resume": _set_cookie(start, survey_cookie),
        "language": _set_cookie(client.get("/s/demo-peiling?lang=en"), "lang"),
    }


@pytest.mark.parametrize("flag", ["Secure", "HttpOnly", "SameSite=Lax"])
@pytest.mark.parametrize("cookie", ["session", "resume", "language"])
def test_cookies_in_production_carry_the_flag(production, cookie, flag):
    assert flag in _cookies(production)[cookie]


def test_cookies_in_development_work_over_plain_http(demo):
    assert "Secure" not in _set_cookie(demo.test_client().get("/officer/login"), "session")


def test_officer_session_ends_when_idle(production, sign_in, monkeypatch):
    client = production.test_client()
    sign_in(client, "admin")
    page = client.get("/officer/", base_url="https://localhost")
    assert page.status_code == 200
    assert any(p.startswith("Expires=") for p in _set_cookie(page, "session"))
    idle = production.permanent_session_lifetime.total_seconds() + 60
    later = types.SimpleNamespace(time=lambda: time.time() + idle)
    monkeypatch.setattr(itsdangerous.timed, "time", later)
    assert client.get("/officer/", base_url="https://localhost").status_code in (302, 303)


@pytest.mark.parametrize(
    "path",
    ["/officer/", "/officer/login", "/officer/areas", "/officer/surveys/{id}/dashboard"],
)
def test_officer_pages_are_never_stored_by_a_browser_or_proxy(demo, demo_client, sign_in, path):
    sign_in(demo_client, "admin")
    result = demo_client.get(path.format(id=find_survey("demo-peiling").id))
    assert result.status_code == 200
    assert result.headers["Cache-Control"] == "no-store"


def test_resident_pages_may_be_cached_as_before(demo, demo_client):
    assert "no-store" not in demo_client.get("/privacy").headers.get("Cache-Control", "")

"""Who may open what: every /officer/ route against every role, derived from the URL map.

Each officer view declares its roles with roles_required (the `allowed_roles` attribute), so a
view added later is covered here without touching this file. Anonymous users are sent to the
sign-in page, a role outside the view's roles gets 403, a role inside gets through the gate.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select
from werkzeug.routing import AnyConverter

from survey.extensions import db
from survey.models import ROLES, Answer, Area, Channel, OfficerSession, Response, Survey
from survey.models._types import utcnow

# The officer pages anonymous users may open: sign-in, and its second step (code from the app).
PUBLIC = {"accounts.login", "accounts.login_code"}
MISSING = 999_999  # an id no row has: a POST by an allowed role stops at 404, changes nothing


def _samples() -> dict[str, object]:
    """Realistic URL arguments from the demo municipality."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    channel = db.session.scalar(select(Channel).where(Channel.code == "demo-bieb"))
    buurt = db.session.scalar(select(Area).where(Area.cbs_code == "BU09990101"))
    answer = db.session.scalar(
        select(Answer.id).join(Response).where(Response.survey_id == survey.id).limit(1)
    )
    response = db.session.scalar(
        select(Response.id).where(Response.survey_id == survey.id).limit(1)
    )
    return {
        "answer_id": answer,
        "response_id": response,
        "area": "all",
        "survey_id": survey.id,
        "question_id": survey.questions[0].id,
        "channel_id": channel.id,
        "area_id": buurt.id,
        "code": channel.code,
        "lang": survey.languages[-1],  # a language the survey offers besides Dutch
    }


def _officer_rules():
    rules = [r for r in current_app.url_map.iter_rules() if r.rule.startswith("/officer/")]
    # Signing out last, so it does not end the session the other checks use.
    return sorted(rules, key=lambda r: (r.endpoint == "accounts.logout", r.rule))


def _url(rule, samples: dict, missing_ids: bool) -> str:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif missing_ids and name.endswith("_id"):
            values[name] = MISSING
        elif name in samples:
            values[name] = samples[name]
        else:
            pytest.fail(f"{rule.rule}: add a realistic sample for <{name}> to _samples()")
    return rule.build(values, append_unknown=False)[1]


def _requests(samples):
    """(endpoint, method, url, allowed roles) for every officer route and method."""
    for rule in _officer_rules():
        if rule.endpoint in PUBLIC:
            continue
        view = current_app.view_functions[rule.endpoint]
        roles = getattr(view, "allowed_roles", None)
        assert roles is not None, f"{rule.endpoint} ({rule.rule}) lacks @roles_required"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            # A POST by a role that may use it must not change the shared demo: unknown ids.
            url = _url(rule, samples, missing_ids=method != "GET")
            yield rule.endpoint, method, url, roles


def _goes_to_login(result) -> bool:
    return result.status_code in (302, 303) and "/officer/login" in result.location


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_officer_route_admits_exactly_its_roles(demo, sign_in, role):
    client = demo.test_client()
    if role:
        sign_in(client, role)
    problems, checked = [], 0
    for endpoint, method, url, roles in _requests(_samples()):
        checked += 1
        try:
            result = client.open(url, method=method, data={})
        except Exception as exc:  # noqa: BLE001 - report every broken route, not only the first
            problems.append(f"{method} {url} ({endpoint}) as {role}: {exc!r}")
            db.session.rollback()
            continue
        if role is None:
            ok, expected = _goes_to_login(result), "a redirect to the sign-in page"
        elif role not in roles:
            ok, expected = result.status_code == 403, "403"
        elif endpoint == "accounts.logout":
            ok, expected = result.status_code == 303, "303 to the sign-in page"
        else:  # past the gate; a 404 for a missing id or a 4xx for an empty form is fine
            ok = result.status_code not in (401, 403) and result.status_code < 500
            ok, expected = ok and not _goes_to_login(result), "past the gate"
        if not ok:
            problems.append(
                f"{method} {url} ({endpoint}) as {role}: {result.status_code}, expected {expected}"
            )
    assert checked > 20
    assert not problems, "\n".join(problems)


def test_the_sign_in_page_is_open_to_everyone(demo_client):
    result = demo_client.get("/officer/login")
    assert result.status_code == 200
    assert 'name="email"' in result.get_data(as_text=True)


def _set_last_seen(client, when) -> OfficerSession:
    with client.session_transaction() as session:
        record = db.session.get(OfficerSession, session["_user_id"])
    record.last_seen_at = when
    db.session.commit()
    return record


def test_a_session_idle_too_long_is_signed_out(demo, sign_in):
    client = demo.test_client()
    sign_in(client, "editor")
    assert client.get("/officer/").status_code == 200
    with client.session_transaction() as session:
        assert session.permanent
    _set_last_seen(client, utcnow() - demo.permanent_session_lifetime - timedelta(seconds=5))
    result = client.get("/officer/areas")
    assert _goes_to_login(result)
    assert "next=/officer/areas" in result.location
    assert client.get("/officer/").status_code == 302  # really signed out, not only redirected


def test_an_active_session_is_refreshed_on_every_request(demo, sign_in):
    client = demo.test_client()
    sign_in(client, "analyst")
    record = _set_last_seen(client, utcnow() - timedelta(seconds=60))
    client.get("/officer/")
    db.session.refresh(record)
    assert utcnow() - record.last_seen_at < timedelta(seconds=5)
    with client.session_transaction() as session:
        assert session.permanent


def test_sign_in_returns_to_the_page_asked_for_but_never_elsewhere(demo, sign_in):
    from survey.features.accounts.service import create_officer

    create_officer("terug@voorbeeldstad.nl", "correct horse battery", "editor")
    form = {"email": "terug@voorbeeldstad.nl", "password": "correct horse battery"}
    client = demo.test_client()
    result = client.post("/officer/login?next=/officer/areas", data=form)
    assert result.location.endswith("/officer/areas")
    for bad in ("https://evil.example/officer/", "//evil.example/", "/officer/\\\\evil"):
        client = demo.test_client()
        result = client.post(f"/officer/login?next={bad}", data=form)
        assert result.location.endswith("/officer/"), bad


def test_sign_out_ends_the_session(demo, sign_in):
    client = demo.test_client()
    sign_in(client, "coordinator")
    assert client.post("/officer/logout").status_code == 303
    assert _goes_to_login(client.get("/officer/"))

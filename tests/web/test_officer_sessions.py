"""Server-side officer sessions: sign-out ends a copied cookie, 12 h at most, idle timeout
that background polls do not extend, disabling ends sessions, one answer for every refusal."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from survey.extensions import db
from survey.features.accounts import service as officers
from survey.models import Officer, OfficerSession, Survey
from survey.models._types import utcnow

PASSWORD = "correct horse battery"


def _survey() -> Survey:
    survey = Survey(slug="sessie-peiling", status="open", title={"nl": "Peiling"})
    db.session.add(survey)
    db.session.commit()
    return survey


def _sign_in(client, email: str = "sessie@voorbeeldstad.nl", role: str = "analyst") -> Officer:
    officer = officers.find_officer(email) or officers.create_officer(email, PASSWORD, role)
    result = client.post("/officer/login", data={"email": email, "password": PASSWORD})
    assert result.status_code == 303, result.get_data(as_text=True)
    return officer


def _records(officer_id: int) -> list[OfficerSession]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(OfficerSession).where(OfficerSession.officer_id == officer_id))
    )


def _to_login(result) -> bool:
    return result.status_code in (302, 303) and "/officer/login" in result.location


def _cookie(client) -> str:
    return client.get_cookie("session").value


def test_the_cookie_holds_only_the_session_record_id(app, client):
    officer = _sign_in(client)
    [record] = _records(officer.id)
    with client.session_transaction() as session:
        assert session["_user_id"] == record.id
        assert str(officer.id) != record.id and len(record.id) >= 40
    assert record.ended_at is None and record.created_at is not None


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, client):
    survey = _survey()
    _sign_in(client)
    export = f"/officer/surveys/{survey.id}/export.csv"
    assert client.get(export).status_code == 200
    copied = _cookie(client)
    assert client.post("/officer/logout").status_code == 303

    thief = app.test_client()
    thief.set_cookie("session", copied)
    page = thief.get("/officer/")
    assert _to_login(page)
    assert _to_login(thief.get(export))
    assert thief.get(export).status_code != 200
    htmx = thief.get(f"/officer/surveys/{survey.id}/dashboard", headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert "/officer/login" in htmx.headers["HX-Redirect"]
    # The sign-in page itself still opens for the replayed cookie.
    fresh = app.test_client()
    fresh.set_cookie("session", copied)
    assert fresh.get(page.location).status_code == 200


def test_a_session_ends_after_the_absolute_lifetime_even_when_active(app, client):
    officer = _sign_in(client)
    assert app.config["OFFICER_SESSION_MAX_HOURS"] == 12
    [record] = _records(officer.id)
    record.created_at = utcnow() - timedelta(hours=11, minutes=55)
    record.last_seen_at = utcnow()
    db.session.commit()
    assert client.get("/officer/").status_code == 200  # still inside the 12 hours

    record.created_at = utcnow() - timedelta(hours=12, minutes=1)
    record.last_seen_at = utcnow()  # active a moment ago: makes no difference
    db.session.commit()
    result = client.get("/officer/areas")
    assert _to_login(result)
    assert _records(officer.id)[0].ended_at is not None
    assert "lang ingelogd" in client.get(result.location).get_data(as_text=True)
    assert _to_login(client.get("/officer/"))


def test_the_dashboard_poll_says_it_is_background(app, client):
    survey = _survey()
    _sign_in(client)
    page = client.get(f"/officer/surveys/{survey.id}/dashboard").get_data(as_text=True)
    assert 'hx-trigger="every' in page
    assert 'hx-headers=\'{"X-Background": "1"}\'' in page


def test_a_background_poll_does_not_extend_the_idle_timeout(app, client):
    survey = _survey()
    officer = _sign_in(client)
    idle = app.permanent_session_lifetime
    poll = f"/officer/surveys/{survey.id}/dashboard"
    headers = {"HX-Request": "true", "X-Background": "1"}
    [record] = _records(officer.id)
    before = utcnow() - idle + timedelta(minutes=2)  # two minutes left
    record.last_seen_at = before
    db.session.commit()

    assert client.get(poll, headers=headers).status_code == 200  # still signed in
    assert _records(officer.id)[0].last_seen_at == before  # but not counted as activity

    record = _records(officer.id)[0]
    record.last_seen_at = utcnow() - idle - timedelta(seconds=5)
    db.session.commit()
    result = client.get(poll, headers=headers)
    assert result.status_code == 401 and "/officer/login" in result.headers["HX-Redirect"]
    assert _to_login(client.get("/officer/"))


def test_an_officers_own_request_extends_the_idle_timeout(app, client):
    officer = _sign_in(client, role="editor")
    idle = app.permanent_session_lifetime
    [record] = _records(officer.id)
    record.last_seen_at = utcnow() - idle + timedelta(minutes=2)
    db.session.commit()
    assert client.get("/officer/areas").status_code == 200
    assert utcnow() - _records(officer.id)[0].last_seen_at < timedelta(seconds=30)

    record = _records(officer.id)[0]
    record.last_seen_at = utcnow() - idle - timedelta(seconds=5)
    db.session.commit()
    result = client.get("/officer/areas")
    assert _to_login(result) and "next=/officer/areas" in result.location
    assert "niet actief" in client.get(result.location).get_data(as_text=True)


def test_disabling_an_account_ends_all_its_sessions_at_once(app, client):
    officer = _sign_in(client)
    laptop = app.test_client()
    _sign_in(laptop)
    assert len([r for r in _records(officer.id) if r.ended_at is None]) == 2
    assert client.get("/officer/").status_code == 200

    officers.set_active(db.session.get(Officer, officer.id), False, None)
    assert all(r.ended_at is not None for r in _records(officer.id))
    assert _to_login(client.get("/officer/"))
    assert _to_login(laptop.get("/officer/"))

    officers.set_active(db.session.get(Officer, officer.id), True, None)
    assert _to_login(client.get("/officer/"))  # enabling again does not revive a session


def test_unknown_wrong_password_and_locked_get_the_same_answer(app, client):
    officers.create_officer("slot@voorbeeldstad.nl", PASSWORD, "editor")

    def attempt(email: str, password: str):
        result = client.post("/officer/login", data={"email": email, "password": password})
        return result.status_code, _error(result.get_data(as_text=True))

    unknown = attempt("niemand@voorbeeldstad.nl", "fout")
    wrong = attempt("slot@voorbeeldstad.nl", "fout")
    officer = officers.find_officer("slot@voorbeeldstad.nl")
    officer.locked_until = utcnow() + timedelta(minutes=10)  # as after many failures
    db.session.commit()
    locked = attempt("slot@voorbeeldstad.nl", PASSWORD)
    locked_wrong = attempt("slot@voorbeeldstad.nl", "fout")
    assert unknown == wrong == locked == locked_wrong
    assert unknown[0] == 401 and "klopt niet" in unknown[1]
    assert '<p class="error" role="alert">E-mailadres of wachtwoord klopt niet.</p>' in locked[1]
    assert "seconden" not in locked[1] and "pogingen" not in locked[1]


def _error(page: str) -> str:
    """The page without the e-mail address typed in (which the form shows again)."""
    return re.sub(r'(name="email"[^>]*value=)"[^"]*"', r"\1", page)


def test_the_cli_disables_an_account_and_ends_its_sessions(app, client):
    officer = _sign_in(client)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["officer", "disable", "sessie@voorbeeldstad.nl"])
    assert result.exit_code == 0, result.output
    assert _to_login(client.get("/officer/"))
    assert all(r.ended_at is not None for r in _records(officer.id))
    assert runner.invoke(args=["officer", "enable", "sessie@voorbeeldstad.nl"]).exit_code == 0
    _sign_in(client)
    assert runner.invoke(args=["officer", "disable", "niemand@x.nl"]).exit_code != 0


def test_the_cli_refuses_a_short_or_common_password(app):
    runner = app.test_cli_runner()
    for bad in ("kort", "wachtwoord123"):
        result = runner.invoke(
            args=["officer", "create", "cli@voorbeeldstad.nl", "--password", bad]
        )
        assert result.exit_code != 0 and officers.find_officer("cli@voorbeeldstad.nl") is None
    good = runner.invoke(
        args=["officer", "create", "cli@voorbeeldstad.nl", "--password", "een goede lange zin"]
    )
    assert good.exit_code == 0, good.output

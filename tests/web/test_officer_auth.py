"""Officer sign-in: correct and wrong passwords, slow-down, sign-out."""

from __future__ import annotations

from datetime import timedelta

from survey.extensions import db
from survey.features.accounts.service import create_officer, find_officer
from survey.models._types import utcnow


def test_sign_in_and_out(app, client):
    create_officer("anna@voorbeeldstad.nl", "een lang wachtwoord", "editor")
    assert client.get("/officer/").status_code == 302
    result = client.post(
        "/officer/login", data={"email": "Anna@voorbeeldstad.nl", "password": "een lang wachtwoord"}
    )
    assert result.status_code == 303
    assert client.get("/officer/").status_code == 200
    assert client.post("/officer/logout").status_code == 303
    assert client.get("/officer/").status_code == 302


def test_wrong_password_is_refused_and_repeated_failures_slow_down(app, client):
    create_officer("bob@voorbeeldstad.nl", "een lang wachtwoord", "analyst")
    codes = [
        client.post(
            "/officer/login", data={"email": "bob@voorbeeldstad.nl", "password": "fout"}
        ).status_code
        for _ in range(6)
    ]
    assert codes == [401] * 6  # a lock gets the same answer: it tells nothing about the e-mail
    officer = find_officer("bob@voorbeeldstad.nl")
    assert officer.failed_logins >= 4 and officer.locked_until is not None
    # Even the right password waits until the lock has passed.
    officer.locked_until = utcnow() + timedelta(minutes=5)
    db.session.commit()
    result = client.post(
        "/officer/login", data={"email": "bob@voorbeeldstad.nl", "password": "een lang wachtwoord"}
    )
    assert result.status_code == 401
    assert "klopt niet" in result.get_data(as_text=True)


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(app, client):
    result = client.post("/officer/login", data={"email": "niemand@x.nl", "password": "x"})
    assert result.status_code == 401
    assert "klopt niet" in result.get_data(as_text=True)


def test_sign_in_fixture_gives_the_role(app, client, sign_in):
    officer = sign_in(client, "coordinator")
    assert officer.role == "coordinator"
    assert client.get("/officer/").status_code == 200


def test_the_opinions_tab_shows_only_for_swipe_decks(demo, demo_client, sign_in):
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import Survey

    sign_in(demo_client, "analyst")
    ids = dict(db.session.execute(select(Survey.slug, Survey.id)).all())
    needs = demo_client.get(f"/officer/surveys/{ids['demo-peiling']}/dashboard")
    swipe = demo_client.get(f"/officer/surveys/{ids['demo-swipe']}/dashboard")
    assert needs.status_code == swipe.status_code == 200
    assert "Meningen" not in needs.get_data(as_text=True)
    assert "Meningen" in swipe.get_data(as_text=True)

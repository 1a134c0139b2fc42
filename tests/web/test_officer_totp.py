"""The optional second factor (TOTP): set up with a code, asked after the password, a code
works once, wrong codes count as failed sign-ins, an admin can remove it."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from sqlalchemy import select

from survey.extensions import db
from survey.features.accounts import service as officers
from survey.models import AuditEvent, Officer
from survey.models._types import utcnow

PASSWORD = "correct horse battery"
EMAIL = "twee@voorbeeldstad.nl"


def _code(secret: str, steps_ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(utcnow().timestamp()) // totp.interval + steps_ahead)


def _password_step(client, email: str = EMAIL):
    return client.post("/officer/login", data={"email": email, "password": PASSWORD})


def _enabled(app) -> tuple[object, str]:
    """A signed-in client of an officer who switched the second factor on; and the secret."""
    officers.create_officer(EMAIL, PASSWORD, "editor")
    client = app.test_client()
    assert _password_step(client).status_code == 303
    page = client.get("/officer/tweestaps").get_data(as_text=True)
    assert "data:image/svg+xml;base64," in page  # the QR code
    secret = page.split('<code id="totp-secret">')[1].split("<")[0]
    assert client.post("/officer/tweestaps", data={"code": _code(secret)}).status_code == 303
    db.session.expire_all()
    assert officers.find_officer(EMAIL).totp_secret == secret
    return client, secret


def test_switching_on_needs_a_right_code(app):
    officers.create_officer(EMAIL, PASSWORD, "editor")
    client = app.test_client()
    _password_step(client)
    page = client.get("/officer/tweestaps").get_data(as_text=True)
    secret = page.split('<code id="totp-secret">')[1].split("<")[0]
    assert client.get("/officer/tweestaps").get_data(as_text=True).count(secret) == 1  # kept
    wrong = str((int(_code(secret)) + 1) % 1_000_000).zfill(6)
    result = client.post("/officer/tweestaps", data={"code": wrong})
    if result.status_code == 422:  # a neighbouring step's code might match by chance
        assert "code klopt niet" in result.get_data(as_text=True)
    assert client.post("/officer/tweestaps", data={"code": _code(secret)}).status_code == 303
    db.session.expire_all()
    assert officers.find_officer(EMAIL).totp_secret == secret
    assert "staat aan" in client.get("/officer/tweestaps").get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert "totp_enable" in actions


def test_sign_in_asks_for_a_code_after_the_password_and_a_code_works_once(app):
    _, secret = _enabled(app)
    client = app.test_client()
    result = _password_step(client)
    assert result.status_code == 303 and "/officer/login/code" in result.location
    assert client.get("/officer/").status_code == 302  # not signed in yet
    bad = client.post("/officer/login/code", data={"code": "12345"})
    assert bad.status_code == 401 and "code klopt niet" in bad.get_data(as_text=True)

    code = _code(secret, 1)  # the next step's code: used at once, so not used before
    assert client.post("/officer/login/code", data={"code": code}).status_code == 303
    assert client.get("/officer/").status_code == 200

    replay = app.test_client()
    _password_step(replay)
    again = replay.post("/officer/login/code", data={"code": code})
    assert again.status_code == 401  # the same code is not accepted twice
    assert replay.get("/officer/").status_code == 302


def test_the_code_step_without_a_right_password_sends_to_sign_in(app):
    _enabled(app)
    client = app.test_client()
    result = client.post("/officer/login/code", data={"code": "123456"})
    assert result.status_code == 303 and result.location.endswith("/officer/login")
    wrong = client.post("/officer/login", data={"email": EMAIL, "password": "fout"})
    assert wrong.status_code == 401


def test_wrong_codes_count_as_failed_sign_ins(app):
    _, secret = _enabled(app)
    client = app.test_client()
    _password_step(client)
    for _ in range(4):
        assert client.post("/officer/login/code", data={"code": "99999x"}).status_code == 401
    officer = officers.find_officer(EMAIL)
    assert officer.failed_logins == 4 and officer.locked_until > utcnow()
    officer.locked_until = utcnow() + timedelta(minutes=5)  # as after more failures
    db.session.commit()
    # While locked even a right code is refused.
    locked = client.post("/officer/login/code", data={"code": _code(secret, 1)})
    assert locked.status_code == 401


def test_an_admin_removes_a_lost_second_factor(app, sign_in):
    mine, _ = _enabled(app)
    admin = app.test_client()
    sign_in(admin, "admin")
    officer_id = officers.find_officer(EMAIL).id
    assert "met tweestapsverificatie" in admin.get("/officer/medewerkers").get_data(as_text=True)
    result = admin.post(f"/officer/medewerkers/{officer_id}/tweestaps-uit")
    assert result.status_code == 303
    db.session.expire_all()
    assert db.session.get(Officer, officer_id).totp_secret is None
    ended = mine.get("/officer/")  # its sessions ended
    assert ended.status_code == 303 and "/officer/login" in ended.location
    client = app.test_client()
    assert _password_step(client).location.endswith("/officer/")  # no code asked any more


def test_an_admin_makes_the_second_factor_required_for_admins(app, sign_in):
    admin = app.test_client()
    me = sign_in(admin, "admin")
    editor = app.test_client()
    sign_in(editor, "editor")
    page = admin.get("/officer/medewerkers").get_data(as_text=True)
    assert "Beheerders moeten tweestapsverificatie gebruiken" in page
    assert (
        admin.post("/officer/medewerkers/tweestaps-verplicht", data={"required": "y"}).status_code
        == 303
    )
    # The admin without a second factor sets it up before going on; an editor goes on.
    blocked = admin.get("/officer/")
    assert blocked.status_code == 303 and blocked.headers["Location"].endswith("/officer/tweestaps")
    assert admin.get("/officer/medewerkers").status_code == 303
    assert editor.get("/officer/").status_code == 200
    assert editor.post("/officer/medewerkers/tweestaps-verplicht", data={}).status_code == 403
    page = admin.get("/officer/tweestaps").get_data(as_text=True)
    assert "Beheerders gebruiken tweestapsverificatie" in page
    secret = page.split('<code id="totp-secret">')[1].split("<")[0]
    assert admin.post("/officer/tweestaps", data={"code": _code(secret)}).status_code == 303
    assert admin.get("/officer/").status_code == 200
    assert admin.post("/officer/medewerkers/tweestaps-verplicht", data={}).status_code == 303
    events = db.session.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.action == "require_totp_for_admins", AuditEvent.officer_id == me.id
        )
    ).all()
    assert events == [{"required": True}, {"required": False}]
    assert officers.totp_required_for_admins() is False

"""Medewerkers (admins only): roles, disabling, a forced new password, invitations by mail;
an officer's own password; the password rules."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from survey.core import outbox
from survey.extensions import db
from survey.features.accounts import service as officers
from survey.models import AuditEvent, Officer, OfficerInvite, OfficerSession
from survey.models._types import utcnow
from tests.web.test_mail import smtp  # noqa: F401 - the real SMTP server fixture

PASSWORD = "correct horse battery"
BASE = "http://127.0.0.1:5000"


def _client_of(app, email: str, role: str = "editor", password: str = PASSWORD):
    if not officers.find_officer(email):
        officers.create_officer(email, password, role)
    client = app.test_client()
    result = client.post("/officer/login", data={"email": email, "password": password})
    assert result.status_code == 303, result.get_data(as_text=True)
    return client


def _to_login(result) -> bool:
    return result.status_code in (302, 303) and "/officer/login" in result.location


def _audited(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_only_admins_open_medewerkers_and_see_its_link(app, sign_in):
    editor = app.test_client()
    sign_in(editor, "editor")
    assert editor.get("/officer/medewerkers").status_code == 403
    assert editor.post("/officer/medewerkers/uitnodigen", data={}).status_code == 403
    assert "Medewerkers" not in editor.get("/officer/").get_data(as_text=True)

    admin = app.test_client()
    sign_in(admin, "admin")
    page = admin.get("/officer/medewerkers")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Redacteur" in text and "Actief" in text
    assert 'href="/officer/medewerkers"' in admin.get("/officer/").get_data(as_text=True)


def test_an_admin_changes_a_role_and_it_is_audited(app, sign_in):
    admin = app.test_client()
    boss = sign_in(admin, "admin")
    anna = officers.create_officer("anna@voorbeeldstad.nl", PASSWORD, "editor")
    result = admin.post(f"/officer/medewerkers/{anna.id}/rol", data={"role": "analyst"})
    assert result.status_code == 303
    db.session.expire_all()
    assert db.session.get(Officer, anna.id).role == "analyst"
    [event] = _audited("officer_role")
    assert event.officer_id == boss.id and event.target == "anna@voorbeeldstad.nl"
    assert event.detail == {"before": "editor", "after": "analyst"}

    bad = admin.post(f"/officer/medewerkers/{anna.id}/rol", data={"role": "koning"})
    assert bad.status_code == 422
    own = admin.post(f"/officer/medewerkers/{boss.id}/rol", data={"role": "editor"})
    assert own.status_code == 422 and "eigen account" in own.get_data(as_text=True)
    assert admin.post("/officer/medewerkers/999999/rol", data={"role": "editor"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Officer, boss.id).role == "admin"


def test_disabling_ends_the_sessions_and_refuses_sign_in(app, sign_in):
    admin = app.test_client()
    sign_in(admin, "admin")
    bob = _client_of(app, "bob@voorbeeldstad.nl")
    bob_id = officers.find_officer("bob@voorbeeldstad.nl").id
    assert bob.get("/officer/").status_code == 200

    assert admin.post(f"/officer/medewerkers/{bob_id}/uitschakelen").status_code == 303
    assert _to_login(bob.get("/officer/"))
    open_sessions = select(func.count()).where(
        OfficerSession.officer_id == bob_id, OfficerSession.ended_at.is_(None)
    )
    assert db.session.scalar(open_sessions) == 0
    again = app.test_client().post(
        "/officer/login", data={"email": "bob@voorbeeldstad.nl", "password": PASSWORD}
    )
    assert again.status_code == 401
    assert "Uitgeschakeld" in admin.get("/officer/medewerkers").get_data(as_text=True)
    assert len(_audited("officer_disable")) == 1

    assert admin.post(f"/officer/medewerkers/{bob_id}/inschakelen").status_code == 303
    _client_of(app, "bob@voorbeeldstad.nl")  # signs in again


def test_a_forced_reset_makes_the_officer_choose_a_new_password(app, sign_in):
    admin = app.test_client()
    sign_in(admin, "admin")
    cas = _client_of(app, "cas@voorbeeldstad.nl")
    cas_id = officers.find_officer("cas@voorbeeldstad.nl").id
    assert admin.post(f"/officer/medewerkers/{cas_id}/nieuw-wachtwoord").status_code == 303
    assert _to_login(cas.get("/officer/"))  # the running session ended

    cas = app.test_client()
    result = cas.post(
        "/officer/login", data={"email": "cas@voorbeeldstad.nl", "password": PASSWORD}
    )
    assert result.location.endswith("/officer/wachtwoord")
    blocked = cas.get("/officer/")
    assert blocked.status_code == 303 and blocked.location.endswith("/officer/wachtwoord")
    new = "een heel nieuw wachtwoord"
    form = {"current": PASSWORD, "password": new, "confirm": new}
    assert cas.post("/officer/wachtwoord", data=form).status_code == 303
    assert cas.get("/officer/").status_code == 200
    db.session.expire_all()
    assert db.session.get(Officer, cas_id).must_change_password is False


def test_an_officer_changes_their_own_password(app):
    mine = _client_of(app, "dirk@voorbeeldstad.nl")
    other_device = _client_of(app, "dirk@voorbeeldstad.nl")
    page = mine.get("/officer/wachtwoord")
    assert page.status_code == 200 and "Wachtwoord wijzigen" in page.get_data(as_text=True)
    new = "mijn nieuwe lange zin"

    wrong = mine.post(
        "/officer/wachtwoord", data={"current": "niet goed", "password": new, "confirm": new}
    )
    assert wrong.status_code == 422 and "huidige wachtwoord klopt niet" in wrong.get_data(
        as_text=True
    )
    differ = mine.post(
        "/officer/wachtwoord", data={"current": PASSWORD, "password": new, "confirm": new + "x"}
    )
    assert differ.status_code == 422 and "niet gelijk" in differ.get_data(as_text=True)

    done = mine.post(
        "/officer/wachtwoord", data={"current": PASSWORD, "password": new, "confirm": new}
    )
    assert done.status_code == 303
    assert mine.get("/officer/").status_code == 200  # this browser stays signed in
    assert _to_login(other_device.get("/officer/"))  # every other session ended
    assert len(_audited("password_change")) == 1
    _client_of(app, "dirk@voorbeeldstad.nl", password=new)


def test_short_and_common_passwords_are_refused_in_dutch(app):
    client = _client_of(app, "eva@voorbeeldstad.nl")
    for bad, message in (
        ("kort123", "minstens 12 tekens"),
        ("wachtwoord123", "veel mensen"),
        ("Password1234", "veel mensen"),
    ):
        result = client.post(
            "/officer/wachtwoord", data={"current": PASSWORD, "password": bad, "confirm": bad}
        )
        assert result.status_code == 422, bad
        assert message in result.get_data(as_text=True), bad
    assert officers.verify_password(officers.find_officer("eva@voorbeeldstad.nl"), PASSWORD)
    assert len(officers._common_passwords()) >= 200


def _invite_link(sink) -> str:
    body = sink.messages[-1].get_content()
    return body.split(BASE, 1)[1].split()[0]


def test_an_invitation_mail_has_a_link_that_works_once(app, sign_in, smtp):  # noqa: F811
    sink, config = smtp()
    admin = app.test_client()
    sign_in(admin, "admin")
    result = admin.post(
        "/officer/medewerkers/uitnodigen",
        data={"email": "Nieuw@Voorbeeldstad.nl", "role": "analyst"},
    )
    assert result.status_code == 303
    assert "nieuw@voorbeeldstad.nl" in admin.get("/officer/medewerkers").get_data(as_text=True)
    assert outbox.send_due(config) == {"sent": 1, "failed": 0}
    message = sink.messages[-1]
    assert message["To"] == "nieuw@voorbeeldstad.nl"
    path = _invite_link(sink)
    assert path.startswith("/uitnodiging/")
    token = path.rsplit("/", 1)[1]
    invite = db.session.scalar(select(OfficerInvite))
    assert token not in invite.token_hash and len(invite.token_hash) == 64  # only a hash kept
    assert timedelta(hours=71) < invite.expires_at - invite.created_at <= timedelta(hours=72)

    invitee = app.test_client()
    assert invitee.get(path).status_code == 200  # opening it uses nothing up
    common = invitee.post(path, data={"password": "qwertyuiop123", "confirm": "qwertyuiop123"})
    assert common.status_code == 422 and "veel mensen" in common.get_data(as_text=True)
    chosen = "ons buurthuis aan de gracht"
    done = invitee.post(path, data={"password": chosen, "confirm": chosen})
    assert done.status_code == 303
    assert invitee.get("/officer/").status_code == 200  # signed in as the new officer
    officer = officers.find_officer("nieuw@voorbeeldstad.nl")
    assert officer.role == "analyst"
    assert len(_audited("officer_invite")) == 1 and len(_audited("officer_invite_accepted")) == 1

    again = app.test_client().post(
        path, data={"password": "nog een ander wachtwoord", "confirm": "nog een ander wachtwoord"}
    )
    assert again.status_code == 404 and "werkt niet meer" in again.get_data(as_text=True)
    assert app.test_client().get(path).status_code == 404
    assert officers.verify_password(officer, chosen)
    _client_of(app, "nieuw@voorbeeldstad.nl", password=chosen)


def test_an_expired_or_unknown_invitation_link_is_refused(app, sign_in, smtp):  # noqa: F811
    sink, config = smtp()
    admin = app.test_client()
    sign_in(admin, "admin")
    admin.post(
        "/officer/medewerkers/uitnodigen", data={"email": "laat@voorbeeldstad.nl", "role": "editor"}
    )
    outbox.send_due(config)
    path = _invite_link(sink)
    invite = db.session.scalar(select(OfficerInvite))
    invite.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().get("/uitnodiging/verzonnen").status_code == 404
    assert officers.find_officer("laat@voorbeeldstad.nl") is None


def test_inviting_an_existing_officer_or_a_bad_address_is_refused(app, sign_in):
    admin = app.test_client()
    sign_in(admin, "admin")
    officers.create_officer("er@voorbeeldstad.nl", PASSWORD, "editor")
    taken = admin.post(
        "/officer/medewerkers/uitnodigen", data={"email": "er@voorbeeldstad.nl", "role": "editor"}
    )
    assert taken.status_code == 422 and "al een medewerker" in taken.get_data(as_text=True)
    bad = admin.post(
        "/officer/medewerkers/uitnodigen", data={"email": "geen adres", "role": "editor"}
    )
    assert bad.status_code == 422 and "klopt niet" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(OfficerInvite.id))) == 0

"""Volunteers: the offer after the survey, their own page, the coordinator's list, erasure."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from survey.extensions import db
from survey.features.retention import service as retention
from survey.features.volunteers import service as volunteering
from survey.models import AuditEvent, Outbox, Survey, Volunteer
from survey.models._types import utcnow


@pytest.fixture
def humans(demo):
    """Forms posted by the test client count as a person's (no minimum reading time)."""
    before = demo.config.get("HUMAN_MIN_SECONDS")
    demo.config["HUMAN_MIN_SECONDS"] = 0
    yield
    demo.config["HUMAN_MIN_SECONDS"] = before


def _offer(client, **fields) -> tuple[int, str]:
    data = {
        "name": "Anna de Boer",
        "email": f"anna-{uuid.uuid4().hex[:6]}@example.org",
        "themes": ["groen", "spelen"],
        "availability": "1to4",
        "buurt": "BU09990202",
        "note": "Ik heb een aanhanger.",
        "consent": "yes",
        **fields,
    }
    result = client.post("/s/demo-peiling/meehelpen", data=data)
    return result.status_code, result.headers.get("Location", "") or result.get_data(as_text=True)


def test_the_offer_shows_the_expectations_first_and_no_response_link(demo, demo_client):
    html = demo_client.get("/s/demo-peiling/meehelpen?buurt=BU09990202").get_data(as_text=True)
    assert html.index("Sanne de Vries") < html.index('name="name"')
    assert "12 maanden" in html and 'name="consent"' in html
    assert 'value="BU09990202" selected' in html
    hidden = re.findall(r'<input type="hidden" name="([^"]+)"', html)
    assert set(hidden) <= {"csrf_token", "screen_token"}
    assert "response" not in hidden


def test_volunteering_stores_the_details_apart_and_queues_a_confirmation(demo, demo_client, humans):
    status, location = _offer(demo_client, note='=HYPERLINK("http://x")')
    assert status == 303 and location.startswith("/v/")
    token = location.split("/v/")[1].split("?")[0]
    person = volunteering.find_volunteer(token)
    assert person.name == "Anna de Boer" and person.area.name == "Molenwijk"
    assert person.themes == ["groen", "spelen"] and person.status == "nieuw"
    assert len(token) >= 40
    mail = db.session.scalar(select(Outbox).where(Outbox.to_addr == person.email))
    assert f"/v/{token}" in mail.body and "Sanne de Vries" in mail.body


def test_the_confirmation_carries_no_text_the_sender_wrote(demo, demo_client, humans):
    """Anyone can type someone else's address: the mail must not carry their words to it."""
    bait = "Win een prijs op http://example.net/x"
    status, _location = _offer(demo_client, name=bait, note=bait, email="doelwit@example.org")
    assert status == 303
    mail = db.session.scalar(select(Outbox).where(Outbox.to_addr == "doelwit@example.org"))
    assert "example.net" not in mail.body and "Win een prijs" not in mail.body
    assert "Was jij dit niet?" in mail.body


def test_one_address_gets_at_most_three_confirmations_a_day(demo, demo_client, humans):
    """A script offering help 20 times with one victim's address (in upper and lower case, and
    following the survey too) sends that address three confirmations, not twenty; the offers
    themselves are kept."""
    victim = f"slachtoffer-{uuid.uuid4().hex[:6]}@example.org"
    for i in range(20):
        status, _location = _offer(demo_client, email=victim.upper() if i % 2 else victim)
        assert status == 303
    assert demo_client.post("/r/demo-peiling/volgen", data={"email": victim}).status_code == 303
    mails = db.session.scalars(select(Outbox).where(func.lower(Outbox.to_addr) == victim)).all()
    assert len(mails) == 3
    offers = select(func.count(Volunteer.id)).where(func.lower(Volunteer.email) == victim)
    assert db.session.scalar(offers) == 20


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": ""}, "naam"),
        ({"email": "", "phone": ""}, "telefoonnummer"),
        ({"email": "niet-een-adres"}, "e-mailadres klopt niet"),
        ({"consent": ""}, "vinkje"),
        ({"buurt": "BU00000000"}, "buurt uit de lijst"),
    ],
)
def test_a_wrong_offer_gets_a_clear_message_and_stores_nothing(
    demo, demo_client, humans, fields, field
):
    count = len(db.session.scalars(select(Volunteer.id)).all())
    status, html = _offer(demo_client, **fields)
    assert status == 422 and field in html.lower()
    assert len(db.session.scalars(select(Volunteer.id)).all()) == count


def test_a_phone_number_is_enough(demo, demo_client, humans):
    status, location = _offer(demo_client, email="", phone="06 12345678")
    assert status == 303
    page = demo_client.get(location).get_data(as_text=True)
    assert "Bewaar de link van deze pagina" in page


def test_the_volunteer_changes_and_erases_their_details(demo, demo_client, humans):
    _status, location = _offer(demo_client)
    token = location.split("/v/")[1].split("?")[0]
    person_id = volunteering.find_volunteer(token).id
    changed = demo_client.post(
        f"/v/{token}", data={"name": "Anna B.", "phone": "06 87654321", "availability": "gt4"}
    )
    assert changed.status_code == 200 and "opgeslagen" in changed.get_data(as_text=True)
    db.session.expire_all()
    person = db.session.get(Volunteer, person_id)
    assert person.name == "Anna B." and person.email is None and person.availability == "gt4"
    erased = demo_client.post(f"/v/{token}/wissen")
    assert erased.status_code == 303 and erased.headers["Location"].endswith("/v/gewist")
    db.session.expire_all()
    assert db.session.get(Volunteer, person_id) is None
    assert db.session.scalar(select(Outbox).where(Outbox.key.contains(token[:16]))) is None
    assert demo_client.get(f"/v/{token}").status_code == 404


def test_an_unknown_manage_link_is_404(demo, demo_client):
    assert demo_client.get("/v/not-a-real-token").status_code == 404


@pytest.mark.parametrize(
    "role, status", [("coordinator", 200), ("admin", 200), ("editor", 403), ("analyst", 403)]
)
def test_only_coordinators_see_the_list(demo, demo_client, sign_in, role, status):
    sign_in(demo_client, role)
    assert demo_client.get("/officer/volunteers").status_code == status
    assert demo_client.get("/officer/volunteers.csv").status_code == status


def test_the_list_filters_changes_status_and_is_audited(demo, demo_client, sign_in):
    officer = sign_in(demo_client, "coordinator")
    page = demo_client.get("/officer/volunteers?theme=veiligheid").get_data(as_text=True)
    assert "Kees Bakker" in page and "Fatma Yilmaz" not in page
    wijk_noord = db.session.scalar(
        select(Volunteer).where(Volunteer.name == "Fatma Yilmaz")
    ).area.parent
    page = demo_client.get(f"/officer/volunteers?area={wijk_noord.id}").get_data(as_text=True)
    assert "Fatma Yilmaz" in page and "Kees Bakker" not in page
    kees = db.session.scalar(select(Volunteer).where(Volunteer.name == "Kees Bakker"))
    result = demo_client.post(
        f"/officer/volunteers/{kees.id}", data={"status": "benaderd", "notes": "Gebeld op dinsdag"}
    )
    assert result.status_code == 303
    db.session.expire_all()
    assert kees.status == "benaderd" and kees.coordinator_notes == "Gebeld op dinsdag"
    assert (
        demo_client.post(f"/officer/volunteers/{kees.id}", data={"status": "weg"}).status_code
        == 303
    )
    db.session.expire_all()
    assert kees.status == "benaderd"
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.officer_id == officer.id)
    ).all()
    assert actions.count("volunteers_viewed") == 2 and "volunteer_changed" in actions


def test_the_export_is_safe_from_formulas_and_holds_no_response(demo, demo_client, sign_in, humans):
    _offer(demo_client, name="=cmd|' /C calc'!A0", note="+31 6 1234")
    officer = sign_in(demo_client, "coordinator")
    result = demo_client.get("/officer/volunteers.csv")
    assert result.status_code == 200 and result.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(result.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    header = rows[0]
    assert not any(
        "respons" in h or "reactie" in h or "uuid" in h or "antwoord" in h for h in header
    )
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'+31 6 1234" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
    audit = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.officer_id == officer.id, AuditEvent.action == "volunteers_exported"
        )
    )
    assert audit is not None and audit.detail["count"] == len(rows) - 1


def test_no_table_links_a_volunteer_or_follower_to_a_response(app):
    inspector = inspect(db.engine)
    for table in ("volunteer", "subscription", "outbox"):
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert not targets & {"response", "answer"}, table
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert not {c for c in columns if "response" in c or c in ("uuid", "answer_id")}, table
    for table in ("response", "answer"):
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert not targets & {"volunteer", "subscription", "outbox"}, table


def test_details_are_erased_after_the_retention_period(app, monkeypatch):
    monkeypatch.setitem(app.config, "VOLUNTEER_RETENTION_DAYS", 365)
    survey = Survey(slug="oud", status="closed", closes_at=utcnow() - timedelta(days=400))
    recent = Survey(slug="recent", status="closed", closes_at=utcnow() - timedelta(days=10))
    db.session.add_all([survey, recent])
    db.session.flush()
    for s in (survey, recent):
        db.session.add(
            Volunteer(survey_id=s.id, name="X", email="x@example.org", erase_token=uuid.uuid4().hex)
        )
    db.session.commit()
    assert retention.run_retention()["volunteers"] == 1
    assert [v.survey.slug for v in db.session.scalars(select(Volunteer))] == ["recent"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention_run"))
    assert event.detail["volunteers"] == 1


def test_volunteers_of_a_survey_closed_with_the_button_are_erased_after_the_retention(
    app, client, sign_in, monkeypatch
):
    monkeypatch.setitem(app.config, "VOLUNTEER_RETENTION_DAYS", 0)
    sign_in(client, "editor")
    survey = Survey(slug="knop", status="open", title={"nl": "Knop"})
    db.session.add(survey)
    db.session.flush()
    db.session.add(
        Volunteer(survey_id=survey.id, name="Y", email="y@example.org", erase_token="t" * 40)
    )
    db.session.commit()
    assert client.post(f"/officer/surveys/{survey.id}/close").status_code == 303
    assert retention.run_retention(now=utcnow() + timedelta(seconds=1))["volunteers"] == 1
    assert db.session.scalar(select(func.count(Volunteer.id))) == 0


def test_the_old_purge_command_is_gone_in_favour_of_retention_run(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["volunteers", "purge"]).exit_code != 0
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0 and "volunteers erased: 0" in result.output

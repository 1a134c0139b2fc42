"""Retention: `flask --app app retention run` erases what the consent texts promise, on time."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import Date, func, inspect, select

from survey.extensions import db
from survey.features.retention import service as retention
from survey.models import (
    Answer,
    AuditEvent,
    Outbox,
    Question,
    Response,
    Subscription,
    Survey,
    Volunteer,
)
from survey.models._types import utcnow, utctoday


def _survey(slug: str, **fields) -> Survey:
    survey = Survey(slug=slug, title={"nl": slug}, **fields)
    db.session.add(survey)
    db.session.flush()
    return survey


def _answered(survey: Survey) -> tuple[Answer, Answer]:
    """One response with an open answer and a choice answer."""
    text = Question(survey_id=survey.id, code="idee", type="text", position=1)
    choice = Question(survey_id=survey.id, code="groen", type="single", position=2)
    response = Response(uuid=str(uuid.uuid4()), survey_id=survey.id)
    db.session.add_all([text, choice, response])
    db.session.flush()
    open_answer = Answer(response_id=response.id, question_id=text.id, value="Bel me: 0612345678")
    choice_answer = Answer(response_id=response.id, question_id=choice.id, value="ja")
    db.session.add_all([open_answer, choice_answer])
    return open_answer, choice_answer


def _volunteer(survey: Survey) -> None:
    db.session.add(
        Volunteer(
            survey_id=survey.id, name="Kees", email="k@example.org", erase_token=uuid.uuid4().hex
        )
    )


def test_closing_by_the_button_then_retention_run_erases_the_volunteers(
    app, client, sign_in, monkeypatch
):
    monkeypatch.setitem(app.config, "VOLUNTEER_RETENTION_DAYS", 0)
    sign_in(client, "editor")
    survey = _survey("knop", status="open")
    _volunteer(survey)
    db.session.commit()
    assert client.post(f"/officer/surveys/{survey.id}/close").status_code == 303
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).closes_at is not None
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "volunteers erased: 1 (term 0 days)" in result.output
    assert db.session.scalar(select(func.count(Volunteer.id))) == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention_run"))
    assert event.detail["volunteers"] == 1


def test_open_text_is_erased_and_choice_answers_stay(app, monkeypatch):
    monkeypatch.setitem(app.config, "OPEN_TEXT_RETENTION_DAYS", 30)
    old = _survey("oud", status="closed", closes_at=utcnow() - timedelta(days=31))
    recent = _survey("recent", status="closed", closes_at=utcnow() - timedelta(days=5))
    old_open, old_choice = _answered(old)
    recent_open, _ = _answered(recent)
    statement = Question(
        survey_id=old.id,
        code="r1",
        type="statement",
        text={"nl": "Mijn buurman Jan maakt herrie"},
        settings={"author": "resident"},
    )
    db.session.add(statement)
    db.session.commit()
    counts = retention.run_retention()
    assert counts["open_answers"] == 1 and counts["statements"] == 1
    db.session.expire_all()
    assert db.session.get(Answer, old_open.id).value is None
    assert db.session.get(Answer, old_choice.id).value == "ja"
    assert db.session.get(Answer, recent_open.id).value == "Bel me: 0612345678"
    assert "Jan" not in db.session.get(Question, statement.id).text["nl"]
    assert retention.run_retention()["open_answers"] == 0  # nothing twice


def test_old_mails_unconfirmed_follows_and_audit_events_go_fresh_ones_stay(app):
    survey = _survey("mail", status="open")
    now = utcnow()
    long_ago = now - timedelta(days=400)
    for key, sent in (("old", now - timedelta(days=31)), ("new", now - timedelta(days=1))):
        db.session.add(
            Outbox(key=key, to_addr="a@example.org", subject="s", body="b", sent_at=sent)
        )
    for token, created, confirmed in (
        ("stale", utctoday() - timedelta(days=8), None),
        ("fresh", utctoday() - timedelta(days=2), None),
        ("kept", utctoday() - timedelta(days=30), utctoday() - timedelta(days=29)),
    ):
        db.session.add(
            Subscription(
                survey_id=survey.id,
                email=f"{token}@example.org",
                confirm_token=token,
                unsubscribe_token=token + "-u",
                created_at=created,
                confirmed_at=confirmed,
            )
        )
    db.session.add_all(
        [
            AuditEvent(action="old", created_at=long_ago),
            AuditEvent(action="new", created_at=now - timedelta(days=2)),
        ]
    )
    db.session.commit()
    counts = retention.run_retention()
    assert (counts["mails"], counts["follows"], counts["audit_events"]) == (1, 1, 1)
    assert list(db.session.scalars(select(Outbox.key))) == ["new"]
    assert sorted(db.session.scalars(select(Subscription.confirm_token))) == ["fresh", "kept"]
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert actions == {"new", "retention_run"}


def test_a_surveys_shorter_term_wins(app, monkeypatch):
    monkeypatch.setitem(app.config, "VOLUNTEER_RETENTION_DAYS", 365)
    closed = utcnow() - timedelta(days=20)
    own = _survey("kort", status="closed", closes_at=closed, volunteer_retention_days=14)
    default = _survey("lang", status="closed", closes_at=closed)
    _volunteer(own)
    _volunteer(default)
    db.session.commit()
    assert retention.run_retention()["volunteers"] == 1
    assert [v.survey.slug for v in db.session.scalars(select(Volunteer))] == ["lang"]
    assert own.term("volunteer", 365) == 14 and own.term("volunteer", 7) == 7


def test_the_settings_form_refuses_a_longer_term(app, client, sign_in, monkeypatch):
    monkeypatch.setitem(app.config, "OPEN_TEXT_RETENTION_DAYS", 180)
    sign_in(client, "editor")
    survey = _survey("instellingen", status="draft")
    db.session.commit()
    form = {"languages": ["nl"], "title_nl": "T", "min_group_size": "10"}
    refused = client.post(
        f"/officer/surveys/{survey.id}/settings", data={**form, "open_text_retention_days": "200"}
    )
    assert refused.status_code == 422
    assert "hoogstens 180 dagen" in refused.get_data(as_text=True)
    saved = client.post(
        f"/officer/surveys/{survey.id}/settings", data={**form, "open_text_retention_days": "0"}
    )
    assert saved.status_code == 303
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).open_text_retention_days == 0


def test_surveys_close_by_themselves_after_their_closing_date(app):
    past = _survey("voorbij", status="open", closes_at=utcnow() - timedelta(days=2))
    today = _survey("vandaag", status="open", closes_at=utcnow().replace(hour=0, minute=0))
    db.session.commit()
    assert retention.run_retention()["closed"] == 1
    db.session.expire_all()
    assert db.session.get(Survey, past.id).status == "closed"
    assert db.session.get(Survey, today.id).status == "open"  # open "tot en met" today


def test_consent_and_sign_up_are_stored_as_a_day(app):
    inspector = inspect(db.engine)
    for table, column in (
        ("volunteer", "consent_at"),
        ("volunteer", "created_at"),
        ("subscription", "confirmed_at"),
        ("subscription", "created_at"),
    ):
        kind = {c["name"]: c["type"] for c in inspector.get_columns(table)}[column]
        assert isinstance(kind, Date), (table, column, kind)
    survey = _survey("dag", status="open")
    _volunteer(survey)
    db.session.commit()
    db.session.expire_all()
    volunteer = db.session.scalar(select(Volunteer))
    assert type(volunteer.consent_at) is date and type(volunteer.created_at) is date


def test_an_officer_erases_one_answer_on_request(app, client, sign_in):
    officer = sign_in(client, "editor")
    survey = _survey("verzoek", status="open")
    open_answer, choice_answer = _answered(survey)
    db.session.commit()
    url = f"/officer/surveys/{survey.id}/answers/{open_answer.id}/erase"
    page = client.get(url)
    assert page.status_code == 200 and "Ja, wis dit antwoord" in page.get_data(as_text=True)
    assert db.session.get(Answer, open_answer.id) is not None  # the page alone erases nothing
    assert client.post(url).status_code == 303
    db.session.expire_all()
    assert db.session.get(Answer, open_answer.id) is None
    assert db.session.get(Answer, choice_answer.id) is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase_answer"))
    assert event.officer_id == officer.id and event.detail["answer"] == open_answer.id
    assert "0612345678" not in str(event.detail)


def test_an_officer_erases_one_response_on_request(app, client, sign_in):
    sign_in(client, "admin")
    survey = _survey("heel", status="open")
    open_answer, _ = _answered(survey)
    db.session.commit()
    response_id = open_answer.response_id
    listing = client.get(f"/officer/surveys/{survey.id}/responses").get_data(as_text=True)
    assert f"/responses/{response_id}/erase" in listing
    url = f"/officer/surveys/{survey.id}/responses/{response_id}/erase"
    assert "Ja, wis deze reactie" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 303
    db.session.expire_all()
    assert db.session.get(Response, response_id) is None
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase_response"))
    assert event.detail == {"response": response_id, "answers": 2}


def test_an_analyst_may_not_erase(app, client, sign_in):
    sign_in(client, "analyst")
    survey = _survey("analist", status="open")
    open_answer, _ = _answered(survey)
    db.session.commit()
    base = f"/officer/surveys/{survey.id}"
    for url in (
        f"{base}/answers/{open_answer.id}/erase",
        f"{base}/responses/{open_answer.response_id}/erase",
    ):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert db.session.scalar(select(func.count(Answer.id))) == 2
    assert f"/responses/{open_answer.response_id}/erase" not in client.get(
        f"{base}/responses"
    ).get_data(as_text=True)


def test_an_answer_of_another_survey_is_not_found(app, client, sign_in):
    sign_in(client, "editor")
    one, other = _survey("een", status="open"), _survey("ander", status="open")
    open_answer, _ = _answered(other)
    db.session.commit()
    assert (
        client.post(f"/officer/surveys/{one.id}/answers/{open_answer.id}/erase").status_code == 404
    )
    assert (
        client.post(
            f"/officer/surveys/{one.id}/responses/{open_answer.response_id}/erase"
        ).status_code
        == 404
    )


def test_the_hash_of_a_responses_address_is_forgotten_after_its_term(app):
    survey = _survey("hash", status="open")
    now = utcnow()
    for key, started in (("a" * 64, now - timedelta(days=31)), ("b" * 64, now - timedelta(days=2))):
        db.session.add(
            Response(
                uuid=str(uuid.uuid4()),
                survey_id=survey.id,
                client_key=key,
                started_at=started,
                updated_at=started,
            )
        )
    db.session.commit()
    assert retention.run_retention()["client_keys"] == 1
    keys = db.session.scalars(select(Response.client_key).order_by(Response.started_at)).all()
    assert keys == [None, "b" * 64]

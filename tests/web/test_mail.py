"""Mail through a real SMTP server (aiosmtpd) in the test: delivery, retries, never twice."""

from __future__ import annotations

import socket
import uuid
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from survey.core import outbox
from survey.extensions import db
from survey.features.accounts import service as officers
from survey.features.feedback import service as feedback
from survey.models import Channel, Outbox, Subscription, Survey, Update
from survey.models._types import utcnow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An SMTP server that keeps what it receives, or refuses every recipient."""

    def __init__(self, refuse: bool = False):
        self.messages = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    """start(refuse=False) runs a real SMTP server on a free port; returns (sink, config)."""
    running = []

    def start(refuse: bool = False, port: int | None = None):
        sink = Sink(refuse)
        controller = Controller(sink, hostname="127.0.0.1", port=port or free_port())
        controller.start()
        running.append(controller)
        return sink, mail_config(controller.port)

    yield start
    for controller in running:
        controller.stop()


def mail_config(port: int) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": False,
        "MAIL_FROM": "peiling@voorbeeldstad.nl",
    }


def _queue(key: str = "") -> Outbox:
    key = key or f"test:{uuid.uuid4().hex}"
    outbox.queue_mail(key, "bewoner@example.org", "Onderwerp", "Hallo!")
    db.session.commit()
    return db.session.scalar(select(Outbox).where(Outbox.key == key))


def test_a_queued_mail_is_delivered_once(app, smtp):
    sink, config = smtp()
    row = _queue()
    assert outbox.send_due(config) == {"sent": 1, "failed": 0}
    assert outbox.send_due(config) == {"sent": 0, "failed": 0}
    assert len(sink.messages) == 1
    message = sink.messages[0]
    assert message["To"] == "bewoner@example.org" and message.get_content().strip() == "Hallo!"
    db.session.refresh(row)
    assert row.sent_at is not None and row.attempts == 1 and row.last_error is None


def test_queueing_the_same_key_twice_sends_one_mail(app, smtp):
    sink, config = smtp()
    _queue("same-key")
    _queue("same-key")
    outbox.send_due(config)
    assert len(sink.messages) == 1


@pytest.mark.parametrize("trouble", ["server down", "recipient refused"])
def test_a_failed_delivery_is_retried_later_with_back_off(app, smtp, trouble):
    if trouble == "server down":
        sink, config = None, mail_config(free_port())
    else:
        sink, config = smtp(refuse=True)
    row = _queue()
    assert outbox.send_due(config) == {"sent": 0, "failed": 1}
    db.session.refresh(row)
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    first_wait = row.next_attempt_at - utcnow()
    assert first_wait > timedelta(seconds=30)
    assert outbox.send_due(config) == {"sent": 0, "failed": 0}  # not yet due

    assert outbox.send_due(config, now=row.next_attempt_at) == {"sent": 0, "failed": 1}
    db.session.refresh(row)
    assert row.attempts == 2 and row.next_attempt_at - utcnow() > first_wait  # waits longer

    good, config = smtp()
    assert outbox.send_due(config, now=row.next_attempt_at) == {"sent": 1, "failed": 0}
    assert len(good.messages) == 1
    assert sink is None or sink.messages == []


def test_a_mail_left_in_flight_by_a_crashed_sender_is_not_sent_again(app, smtp):
    sink, config = smtp()
    row = _queue()
    assert outbox._claim(row.id, utcnow())  # a sender claimed it, then died before recording
    assert outbox.send_due(config, now=utcnow() + timedelta(days=2)) == {"sent": 0, "failed": 0}
    assert sink.messages == []
    assert [r.id for r in outbox.stuck()] == [row.id]
    assert outbox.requeue(row.id)  # a person checked the mail log
    assert outbox.send_due(config)["sent"] == 1 and len(sink.messages) == 1


def test_two_senders_cannot_both_claim_a_mail(app):
    row = _queue()
    now = utcnow()
    assert outbox._claim(row.id, now) is True
    assert outbox._claim(row.id, now) is False


def _survey_with_channel() -> Survey:
    survey = Survey(slug=f"m-{uuid.uuid4().hex[:6]}", status="open", title={"nl": "Peiling"})
    db.session.add(survey)
    db.session.flush()
    db.session.add(Channel(code=f"c-{uuid.uuid4().hex[:6]}", survey_id=survey.id, label="web"))
    db.session.commit()
    return survey


def test_follow_confirm_update_mail_and_unsubscribe(app, client, smtp):
    sink, config = smtp()
    survey = _survey_with_channel()
    code = survey.channels[0].code
    officer = officers.create_officer(
        "redactie@voorbeeldstad.nl", "correct horse battery", "editor"
    )
    app.config["HUMAN_MIN_SECONDS"], before = 0, app.config.get("HUMAN_MIN_SECONDS")
    try:
        assert (
            client.post(f"/r/{code}/volgen", data={"email": "Volger@Example.org"}).status_code
            == 303
        )
        assert (
            client.post(f"/r/{code}/volgen", data={"email": "volger@example.org"}).status_code
            == 303
        )
        assert client.post(f"/r/{code}/volgen", data={"email": "geen-adres"}).status_code == 422
    finally:
        app.config["HUMAN_MIN_SECONDS"] = before
    assert db.session.scalar(select(func.count(Subscription.id))) == 1

    update = Update(survey_id=survey.id, status="gepland", heard="Meer groen", doing="Bomen")
    db.session.add(update)
    db.session.commit()
    assert feedback.publish_update(update, officer) == 0  # not confirmed yet: no mail

    outbox.send_due(config)
    confirm = sink.messages[-1]
    body = confirm.get_content()
    confirm_path = body.split("http://127.0.0.1:5000", 2)[1].split()[0]
    assert confirm_path.startswith("/volgen/") and "/volgen/stop/" in body
    assert client.get(confirm_path).status_code == 200  # a mail scanner opening it confirms nothing
    assert db.session.scalar(select(Subscription.confirmed_at)) is None
    assert client.post(confirm_path).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(Subscription.confirmed_at)) is not None

    assert feedback.publish_update(update, officer) == 1
    assert feedback.publish_update(update, officer) == 1  # publishing again queues nothing new
    outbox.send_due(config)
    news = [m for m in sink.messages if "Meer groen" in m.get_content()]
    assert len(news) == 1
    stop_path = news[0].get_content().split("http://127.0.0.1:5000/volgen/stop/")[1].split()[0]

    second = Update(survey_id=survey.id, status="bezig", heard="Meer licht", published_at=None)
    db.session.add(second)
    db.session.commit()
    assert client.post(f"/volgen/stop/{stop_path}").status_code == 200
    assert db.session.scalar(select(func.count(Subscription.id))) == 0
    assert feedback.publish_update(second, officer) == 0
    assert outbox.send_due(config) == {"sent": 0, "failed": 0}
    assert client.get(f"/volgen/stop/{stop_path}").status_code == 404

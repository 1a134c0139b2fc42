"""A resident finishes the survey, volunteers, gets the mail, and erases the details again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey.core import outbox
from survey.extensions import db
from survey.models import Response
from tests.web.test_mail import Sink, free_port

NAME = "Priya Ramdin"


@pytest.fixture
def mail_server(live_app, base_url):
    """A real SMTP server; the live app's mail settings and public address point at it."""
    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    keys = ("MAIL_SERVER", "MAIL_PORT", "PUBLIC_BASE_URL")
    before = {k: live_app.config[k] for k in keys}
    live_app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, PUBLIC_BASE_URL=base_url
    )
    yield sink
    live_app.config.update(before)
    controller.stop()


def _finish_survey(page, base_url, live_app):
    """Answer the first screen, then let the service complete the response."""
    page.goto(f"{base_url}/s/demo-peiling")
    page.get_by_role("button", name="Begin").click()
    page.locator("#f-area").select_option(label="Molenwijk")
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).not_to_contain_text("buurt woon")
    cookie = next(c for c in page.context.cookies() if c["name"].startswith("bp_r"))
    with live_app.app_context():
        response = db.session.scalar(select(Response).where(Response.uuid == cookie["value"]))
        response.completed_at = response.started_at
        db.session.commit()
    page.goto(f"{base_url}/s/demo-peiling/klaar")


def _coordinator_sees(browser, base_url, assert_accessible, check: bool) -> bool:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    officer = context.new_page()
    officer.goto(f"{base_url}/officer/login")
    officer.get_by_label("E-mailadres").fill("beheer@voorbeeldstad.nl")
    officer.get_by_label("Wachtwoord").fill("voorbeeld-demo")
    officer.get_by_role("button", name="Inloggen").click()
    officer.goto(f"{base_url}/officer/volunteers")
    expect(officer.get_by_role("heading", level=1)).to_have_text("Vrijwilligers")
    if check:
        assert_accessible(officer, "volunteer list")
    seen = officer.get_by_role("rowheader", name=re.compile(NAME)).count() > 0
    context.close()
    return seen


def test_volunteer_confirms_by_mail_and_erases(
    page, browser, base_url, live_app, mail_server, assert_accessible
):
    _finish_survey(page, base_url, live_app)
    expect(page.get_by_role("heading", name="Zo antwoordden anderen")).to_be_visible()
    page.get_by_role("link", name="Ja, ik wil meehelpen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Meehelpen in je buurt")
    assert_accessible(page, "volunteer form")
    page.get_by_label("Je naam").fill(NAME)
    page.get_by_label("E-mailadres").fill("priya@example.org")
    page.get_by_label("Groen").check()
    page.get_by_label("1 tot 4 uur per maand").check()
    page.get_by_label(re.compile("Ik vind het goed")).check()
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("status")).to_contain_text("Bedankt voor je aanmelding")
    assert_accessible(page, "manage page")

    with live_app.app_context():
        assert outbox.send_due(live_app.config)["sent"] >= 1
    mail = next(m for m in mail_server.messages if m["To"] == "priya@example.org")
    manage_url = re.search(rf"{re.escape(base_url)}/v/\S+", mail.get_content()).group(0)
    assert _coordinator_sees(browser, base_url, assert_accessible, check=True)

    page.goto(manage_url)
    expect(page.get_by_label("Je naam")).to_have_value(NAME)
    page.get_by_role("button", name="Wis mijn gegevens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je gegevens zijn gewist")
    assert not _coordinator_sees(browser, base_url, assert_accessible, check=False)
    assert page.goto(manage_url).status == 404

    page.goto(f"{base_url}/r/demo-peiling")
    expect(page.get_by_role("heading", name="Wat we doen")).to_be_visible()
    assert_accessible(page, "public results")

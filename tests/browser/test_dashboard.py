"""An officer on a laptop: channel and dashboard pages pass axe; the dashboard updates itself."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.features.answering import service as answering
from survey.features.demo.service import demo_officer
from survey.features.results import public
from survey.models import Survey


@pytest.fixture
def officer_page(browser, base_url):
    """A laptop-sized window, signed in as the demo officer (CSRF on, as in production)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nl-NL", base_url=base_url
    )
    page = context.new_page()
    page.goto("/officer/login")
    email, password = demo_officer()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/officer/")
    yield page
    context.close()


def _survey_id(live_app) -> int:
    with live_app.app_context():
        return db.session.scalar(select(Survey.id).where(Survey.slug == "demo-peiling"))


def test_channel_dashboard_and_review_pages_are_accessible(
    officer_page, live_app, assert_accessible
):
    page = officer_page
    survey_id = _survey_id(live_app)
    page.goto(f"/officer/surveys/{survey_id}/channels")
    expect(page.get_by_role("cell", name="Poster bibliotheek")).to_be_visible()
    assert_accessible(page, "channels")
    page.get_by_label("Naam").fill("Poster sporthal")
    page.get_by_role("button", name="Toegangspunt maken").click()
    expect(page.get_by_role("link", name="Poster sporthal", exact=True)).to_be_visible()

    page.goto(f"/officer/surveys/{survey_id}/dashboard")
    expect(page.get_by_role("heading", name="Per buurt")).to_be_visible()
    assert_accessible(page, "dashboard")
    page.get_by_label("Toegangspunt", exact=True).select_option(label="Poster bibliotheek")
    page.get_by_role("button", name="Filters toepassen").click()
    expect(page.locator("#table-channel tbody tr")).to_have_count(1)

    page.goto(f"/officer/surveys/{survey_id}/open-answers")
    assert_accessible(page, "open answers")


def test_the_dashboard_shows_a_new_response_without_a_reload(officer_page, live_app):
    page = officer_page
    page.goto(f"/officer/surveys/{_survey_id(live_app)}/dashboard")
    started = page.locator("#total-started")
    before = int(started.inner_text())
    page.evaluate("window.notReloaded = true")
    with live_app.app_context():
        channel = public.find_channel("demo-bieb")
        answering.start_response(channel, str(uuid.uuid4()), "nl")
    expect(started).to_have_text(str(before + 1), timeout=15_000)
    assert page.evaluate("window.notReloaded === true")


def test_the_update_form_with_its_translations_is_accessible(
    officer_page, live_app, assert_accessible
):
    page = officer_page
    page.goto(f"/officer/surveys/{_survey_id(live_app)}/updates")
    page.locator("summary", has_text="Vertalingen").click()
    expect(page.locator("#u-heard_tr")).to_be_visible()
    assert_accessible(page, "updates with translations")

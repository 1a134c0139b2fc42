"""An officer on a laptop: the dashboard's buurt map, with its table beside it, passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.features.demo.service import demo_officer
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


def test_the_dashboard_map_and_its_table_are_accessible(officer_page, live_app, assert_accessible):
    page = officer_page
    with live_app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == "demo-peiling"))
    page.goto(f"/officer/surveys/{survey_id}/dashboard")
    expect(page.get_by_role("img", name="Kaart: reacties per 1.000 inwoners")).to_be_visible()
    assert page.locator("#dashboard-map path").count() == 7
    assert_accessible(page, "dashboard with map")
    expect(page.locator("#dashboard-map-table tbody tr")).to_have_count(7)

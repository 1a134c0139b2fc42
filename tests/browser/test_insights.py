"""An analyst on a laptop makes the profile model, reads the demo's insights and adds a note."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Survey


def _signed_in(browser, live_app, base_url, width: int, height: int):
    """The demo survey's id, and a page of the demo's admin signed in at this viewport."""
    with live_app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == "demo-peiling"))
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{base_url}/officer/login")
    page.fill("#email", "beheer@voorbeeldstad.nl")
    page.fill("#password", "voorbeeld-demo")
    page.get_by_role("button", name="Inloggen").click()
    return survey_id, context, page


def test_analyst_fits_reads_and_notes(browser, live_app, base_url, assert_accessible):
    survey_id, context, page = _signed_in(browser, live_app, base_url, 1280, 900)
    page.goto(f"{base_url}/officer/surveys/{survey_id}/insights")
    page.get_by_role("button", name="Maak het model").click()
    expect(page.get_by_role("status").first).to_contain_text("Model versie 1 is klaar")
    expect(
        page.get_by_role("heading", name="Een model om nieuwsgierig van te worden")
    ).to_be_visible()
    molenwijk = page.locator("section.insight-area", has=page.locator("h3", has_text="Molenwijk"))
    expect(molenwijk.locator("table.insight-mix tbody tr")).to_have_count(9)
    expect(molenwijk.locator("ol.insight-advice li").first).to_contain_text("Past bij")
    page.get_by_text("Kartrekkers", exact=True).last.click()  # open a profile's details
    assert_accessible(page, "Inzichten")
    molenwijk.get_by_label("Jouw notitie over Molenwijk").fill(
        "Veel jonge gezinnen sinds de nieuwbouw."
    )
    molenwijk.get_by_role("button", name="Notitie bewaren").click()
    expect(page.get_by_role("status").first).to_contain_text("bewaard")
    expect(
        page.locator("section.insight-area", has=page.locator("h3", has_text="Molenwijk"))
    ).to_contain_text("Veel jonge gezinnen sinds de nieuwbouw.")
    context.close()


def test_analyst_reads_the_weighted_figures_on_a_phone(
    browser, live_app, base_url, assert_accessible
):
    survey_id, context, page = _signed_in(browser, live_app, base_url, 390, 844)
    page.goto(f"{base_url}/officer/surveys/{survey_id}/dashboard")
    page.get_by_role("link", name="Gewogen cijfers: naar leeftijd en huishouden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gewogen cijfers")
    expect(page.locator("#effective-n")).not_to_be_empty()
    expect(page.get_by_role("columnheader", name="Gewogen").first).to_be_visible()
    assert_accessible(page, "Gewogen cijfers")
    page.get_by_role("link", name="Terug naar het dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard")
    context.close()

"""The officer home on a phone and on a laptop: a card per survey, no sideways scrolling,
every figure a link, and no axe-core violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from survey.features.demo.service import demo_officer


def _sign_in(page) -> None:
    page.goto("/officer/login")
    email, password = demo_officer()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/officer/")


@pytest.mark.parametrize("size", [None, {"width": 1280, "height": 900}], ids=["phone", "laptop"])
def test_the_officer_home_tells_the_state_of_each_survey(
    browser, browser_context_args, base_url, assert_accessible, size
):
    args = {**browser_context_args, "base_url": base_url}
    if size:
        args = {"viewport": size, "locale": "nl-NL", "base_url": base_url}
    context = browser.new_context(**args)
    page = context.new_page()
    try:
        _sign_in(page)
        cards = page.locator(".home-card")
        expect(cards.first).to_be_visible()
        assert cards.count() >= 2  # the demo's needs survey and swipe survey
        first = cards.first
        expect(first.get_by_text("Nog te beoordelen")).to_be_visible()
        expect(first.get_by_text("Nieuwe vrijwilligers (laatste 7 dagen)")).to_be_visible()
        expect(page.get_by_text("meeste te doen", exact=False)).to_be_visible()
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, "the home scrolls sideways"
        assert_accessible(page, f"officer home ({'laptop' if size else 'phone'})")
        first.locator(".home-queue a").click()
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text("Open antwoorden")
    finally:
        context.close()

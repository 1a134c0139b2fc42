"""An officer types Dutch in the builder and sees the B1 check beside it; the statement page."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def laptop(browser, base_url):
    context = browser.new_context(viewport=LAPTOP, locale="nl-NL", base_url=base_url)
    yield context.new_page()
    context.close()


def _sign_in(page):
    page.goto("/officer/login")
    page.get_by_label("E-mailadres").fill("beheer@voorbeeldstad.nl")
    page.get_by_label("Wachtwoord").fill("voorbeeld-demo")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peilingen")


def test_typing_officialese_shows_the_plain_word_beside_it(laptop, assert_accessible):
    page = laptop
    _sign_in(page)
    page.get_by_role("link", name="Nieuwe peiling").click()
    page.get_by_label("Leeg: een behoeftepeiling").check()
    page.get_by_label("Titel", exact=True).fill(f"Taal {uuid.uuid4().hex[:6]}")
    page.get_by_role("button", name="Peiling maken").click()
    form = page.locator("form.add-question")
    form.get_by_label("Soort vraag").select_option(label="Open vraag")
    form.get_by_label("De vraag (Nederlands)").fill("Wat wil je kwijt?")
    form.get_by_role("button", name="Toevoegen").click()
    check = page.locator("form.qform .plain-check")
    expect(check).to_contain_text("alles is eenvoudig genoeg")

    page.locator("form.qform input[name=text_nl]").fill(
        "Wat wil je middels dit formulier inzake de buurt kwijt?"
    )
    expect(check).to_contain_text("Ambtelijk: „middels”. Schrijf liever: met, door.")
    expect(check).to_contain_text("Ambtelijk: „inzake”. Schrijf liever: over.")
    assert_accessible(page, "builder with the B1 check")

    page.locator("form.qform").get_by_role("button", name="Opslaan").click()
    expect(page.locator("form.qform")).to_have_count(0)
    expect(page.locator(".qitem .plain-check")).to_contain_text("2 punten")


def test_the_statement_is_reachable_from_the_footer_and_accessible(
    page, base_url, assert_accessible
):
    page.goto(f"{base_url}/s/demo-peiling")
    page.get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    expect(page.locator("main")).to_contain_text("voldoet gedeeltelijk")
    assert_accessible(page, "accessibility statement")

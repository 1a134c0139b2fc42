"""An officer builds and publishes a survey on a laptop; a resident answers it on a phone."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.features.accounts import service as officers
from survey.features.channels import service as channels
from survey.models import Survey

LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def laptop(browser, base_url):
    context = browser.new_context(viewport=LAPTOP, locale="nl-NL", base_url=base_url)
    yield context.new_page()
    context.close()


def _sign_in(page, assert_accessible):
    page.goto("/officer/login")
    assert_accessible(page, "login")
    page.get_by_label("E-mailadres").fill("beheer@voorbeeldstad.nl")
    page.get_by_label("Wachtwoord").fill("voorbeeld-demo")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peilingen")


def _add_question(page, kind: str, text: str):
    form = page.locator("form.add-question")
    form.get_by_label("Soort vraag").select_option(label=kind)
    form.get_by_label("De vraag (Nederlands)").fill(text)
    form.get_by_role("button", name="Toevoegen").click()
    # htmx swaps the list; the new question opens for editing in place.
    expect(page.locator("form.qform input[name=text_nl]")).to_have_value(text)


def test_build_publish_answer_and_count(laptop, page, base_url, live_app, assert_accessible):
    title = f"Honden in de buurt {uuid.uuid4().hex[:6]}"
    _sign_in(laptop, assert_accessible)
    laptop.get_by_role("link", name="Nieuwe peiling").click()
    laptop.get_by_label("Leeg: een behoeftepeiling").check()
    laptop.get_by_label("Titel", exact=True).fill(title)
    laptop.get_by_role("button", name="Peiling maken").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text(title)

    _add_question(laptop, "Ja of nee", "Heb je een hond?")
    laptop.locator("form.qform").get_by_role("button", name="Opslaan").click()
    expect(laptop.locator("form.qform")).to_have_count(0)
    _add_question(laptop, "Open vraag", "Hoe heet je hond?")
    editing = laptop.locator("form.qform")
    expect(laptop.locator("#preview")).to_contain_text("Hoe heet je hond?")
    editing.get_by_label("Vraag in het English").fill("What is your dog's name?")
    condition = editing.locator("fieldset.condition")
    condition.get_by_label("Eerdere vraag").select_option(index=1)
    condition.get_by_label("Ja").check()  # appears when htmx has loaded the answers
    assert_accessible(laptop, "builder while editing")
    editing.get_by_role("button", name="Opslaan").click()
    expect(laptop.locator(".qcond")).to_contain_text("Alleen als")
    laptop.get_by_role("button", name="Publiceren").click()
    expect(laptop.locator(".status-bar .badge")).to_have_text("Open")
    assert_accessible(laptop, "builder")

    with live_app.app_context(), live_app.test_request_context():
        survey = db.session.scalar(select(Survey).where(Survey.title["nl"].as_string() == title))
        officer = officers.find_officer("beheer@voorbeeldstad.nl")
        code = channels.create_channel(
            survey, officer, "Poster hondenuitlaatplek", "poster", ""
        ).code
        codes = [q.code for q in survey.questions]
        assert survey.questions[1].show_if == {"question": codes[0], "in": ["yes"]}

    # A resident on a phone: the condition shows the second question after "Ja".
    page.goto(f"{base_url}/s/{code}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("button", name="Begin").click()
    expect(page.locator("h1")).to_have_text("Heb je een hond?")
    page.get_by_text("Ja", exact=True).click()
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).to_have_text("Hoe heet je hond?")
    page.locator("textarea").fill("Bobbie")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bedankt")

    laptop.reload()
    expect(laptop.locator("#response-count")).to_have_text("1 reactie")

    laptop.get_by_role("link", name="Gebieden").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Gebieden")
    expect(laptop.locator(".tree")).to_contain_text(re.compile("Molenwijk"))
    assert_accessible(laptop, "areas")


def test_the_short_module_at_creation_and_the_add_module_button(laptop, assert_accessible):
    _sign_in(laptop, assert_accessible)
    laptop.goto("/officer/surveys/new")
    laptop.get_by_label("Sjabloon: Behoeftepeiling buurt").check()
    laptop.get_by_label("Korte module (5 vragen)").check()
    assert_accessible(laptop, "new survey with the module choice")
    laptop.get_by_role("button", name="Peiling maken").click()
    expect(laptop.locator(".qlist li")).to_have_count(
        len(_template_questions()) + 5 + 3, timeout=5000
    )
    expect(laptop.locator("#questions")).to_contain_text("Hoe oud ben je?")
    expect(laptop.locator("form.add-module")).to_have_count(0)  # it has the module already

    laptop.goto("/officer/surveys/new")
    laptop.get_by_label("Leeg: een behoeftepeiling").check()
    laptop.get_by_label("Titel", exact=True).fill(f"Later {uuid.uuid4().hex[:6]}")
    laptop.get_by_role("button", name="Peiling maken").click()
    module = laptop.locator("form.add-module")
    expect(module).to_be_visible()
    assert_accessible(laptop, "questions page with the add-module button")
    module.get_by_role("button", name="Korte module (5 vragen)").click()  # htmx swaps the list
    expect(laptop.locator(".qlist li")).to_have_count(8)
    expect(laptop.locator("form.add-module")).to_have_count(0)
    expect(laptop.locator("#questions")).to_contain_text("Heb je een koophuis of een huurhuis?")


def _template_questions() -> list:
    from survey.features.builder.service import shipped_templates

    return next(t for t in shipped_templates() if t["key"] == "behoeftepeiling")["questions"]

"""A phone goes through the demo swipe deck by gesture, by buttons and by keys; the results."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.features.swipe import service as swipe
from survey.models import Question, Response, Survey

DECK = 10  # statements in the demo deck


def _begin(page, base_url):
    page.goto(f"{base_url}/s/demo-swipe")
    page.get_by_role("button", name="Begin").click()
    expect(page.locator(".progress p")).to_have_text(f"Uitspraak 1 van {DECK}")


def _next_card(page, number):
    if number < DECK:
        expect(page.locator(".progress p")).to_have_text(f"Uitspraak {number + 1} van {DECK}")
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("Klaar! Zo stemden anderen")


def _drag(page, dx):
    box = page.locator("[data-card]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + 4, steps=4)
    page.mouse.move(x + dx, y + 8, steps=4)
    page.mouse.up()


def _votes(live_app):
    """The values of the latest web response's votes, in deck order."""
    with live_app.app_context():
        response = db.session.scalars(
            select(Response).where(Response.source == "web").order_by(Response.id.desc())
        ).first()
        answers = sorted(response.answers, key=lambda a: a.question.position)
        return [a.value for a in answers], response.completed_at is not None


def test_deck_by_gesture(page, base_url, live_app, assert_accessible):
    _begin(page, base_url)
    expect(page.locator("[data-swipe-help]")).to_be_visible()  # JS is on: the gesture is explained
    assert_accessible(page, "swipe card")
    _drag(page, 30)  # too short: the card springs back, nothing is stored
    expect(page.locator(".progress p")).to_have_text(f"Uitspraak 1 van {DECK}")
    for number in range(1, DECK + 1):
        _drag(page, 220 if number % 2 else -220)
        _next_card(page, number)
    assert _votes(live_app) == (["agree", "disagree"] * (DECK // 2), True)


def test_deck_by_buttons_then_the_results(page, base_url, live_app, assert_accessible):
    _begin(page, base_url)
    names = ["Eens", "Oneens", "Sla over"]
    for number in range(1, DECK + 1):
        page.get_by_role("button", name=names[number % 3], exact=True).click()
        _next_card(page, number)
    values = {"Eens": "agree", "Oneens": "disagree", "Sla over": "skip"}
    assert _votes(live_app) == ([values[names[n % 3]] for n in range(1, DECK + 1)], True)

    expect(page.locator(".tally")).to_have_count(DECK)
    expect(page.locator(".tally-figures").first).to_have_text(
        # A count under the minimum group size (or one that gives it away) reads "te weinig".
        re.compile(
            r"Eens (\d+%|te weinig) · Oneens (\d+%|te weinig) · Sla over (\d+%|te weinig)"
            r"\s+\(\d+ stemmen\)"
        )
    )
    expect(page.get_by_text("Ik ben 16 of ouder")).to_be_visible()
    expect(page.locator("input[type=email]")).to_have_count(0)
    assert_accessible(page, "swipe results")

    page.get_by_label("Schrijf je eigen uitspraak").fill("De skatebaan moet langer open")
    page.get_by_role("button", name="Stuur je uitspraak").click()
    expect(page.get_by_role("status")).to_contain_text("kijken eerst naar je uitspraak")
    page.get_by_label("Ik ben 16 of ouder").check()
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_label("Ik ben 16 of ouder")).to_have_count(0)
    assert_accessible(page, "swipe results after 16+")
    with live_app.app_context():
        added = db.session.scalar(
            select(Question).where(Question.review == "pending").order_by(Question.id.desc())
        )
        assert added.text_in("nl") == "De skatebaan moet langer open"


def test_deck_by_keys_with_reduced_motion(page, base_url, live_app):
    page.emulate_media(reduced_motion="reduce")
    _begin(page, base_url)
    keys = ["ArrowRight", "ArrowLeft", "ArrowDown"]
    for number in range(1, DECK + 1):
        page.keyboard.press(keys[number % 3])
        _next_card(page, number)
    values = {"ArrowRight": "agree", "ArrowLeft": "disagree", "ArrowDown": "skip"}
    assert _votes(live_app) == ([values[keys[n % 3]] for n in range(1, DECK + 1)], True)


def test_officer_sees_groups_and_reviews_a_statement(
    browser, base_url, live_app, assert_accessible
):
    with live_app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-swipe"))
        resident = Response(uuid=str(uuid.uuid4()), survey_id=survey.id, lang="nl")
        db.session.add(resident)
        db.session.flush()
        swipe.add_statement(survey, resident, "Er moet een plek komen om te sporten", "nl")
        survey_id = survey.id
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{base_url}/officer/login")
    page.get_by_label("E-mailadres").fill("beheer@voorbeeldstad.nl")
    page.get_by_label("Wachtwoord").fill("voorbeeld-demo")
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"{base_url}/officer/surveys/{survey_id}/opinions")
    expect(page.get_by_role("heading", name="Meningsgroepen")).to_be_visible()
    expect(page.get_by_role("img", name="Deelnemers als punten")).to_be_visible()
    assert_accessible(page, "officer opinions")
    item = page.locator(".opinion-moderation li", has_text="Er moet een plek komen om te sporten")
    item.get_by_role("button", name="Afwijzen").click()
    expect(page.get_by_role("status")).to_have_text("Uitspraak afgewezen.")
    expect(item).to_have_count(0)
    context.close()

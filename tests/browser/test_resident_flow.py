"""A phone answers the demo survey: every question type, with and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Response
from tests.browser.resident import fill_question

ANY_STEP = "form.question, form[action$='/verdieping'], h1:text('Bedankt')"


def _answer_screen(page):
    """Fill in whatever the current question asks, like a resident would."""
    form = page.locator("form.question")
    fill_question(form)
    form.get_by_role("button", name="Volgende").click()


def _walk(page, check=None, deeper=True) -> list[str]:
    """Answer every screen until the thank-you page; return the questions seen."""
    seen = []
    for _ in range(40):
        page.wait_for_selector(ANY_STEP)
        if page.locator("h1:text('Bedankt voor je antwoorden!')").count():
            break
        if page.locator("form.question").count() == 0:
            if check:
                check(page, "verdieping")
            page.get_by_role("button", name="Ja" if deeper else "Nee").click()
            expect(page.locator("h1")).not_to_contain_text("Nog")
            continue
        heading = page.locator("h1").inner_text()
        if check:
            check(page, heading)
        seen.append(heading)
        _answer_screen(page)
        expect(page.locator("h1")).not_to_have_text(heading)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor je antwoorden!")
    return seen


def _latest_web_response(live_app):
    with live_app.app_context():
        response = db.session.scalars(
            select(Response).where(Response.source == "web").order_by(Response.id.desc())
        ).first()
        return response, {a.question.code: a.value for a in response.answers}


def test_phone_answers_every_question_and_is_thanked(page, base_url, live_app, assert_accessible):
    page.goto(f"{base_url}/s/demo-peiling")
    expect(page.get_by_role("heading", level=1)).to_contain_text("buurt")
    assert_accessible(page, "intro")
    page.get_by_role("button", name="Begin").click()
    seen = _walk(page, check=assert_accessible)
    assert_accessible(page, "done")
    assert "Waar spelen de kinderen het liefst?" in seen  # the show-if branch was taken
    assert len(seen) >= 19

    response, answers = _latest_web_response(live_app)
    assert response.completed_at is not None and response.layer == "deeper"
    assert answers["themes"] == ["groen"] and answers["idee"] == "Meer bankjes in het park"
    assert answers["plannen"] == ["bomen", "verlichting", "drempels"] and answers["jaren"] == 12
    assert answers["buurt"]["area"] == "BU09990202" and answers["channels"] == ["online"]
    assert answers["influence"] == 0 and answers["woonplezier"] == 1


@pytest.fixture
def no_js_page(browser, playwright):
    context = browser.new_context(
        **playwright.devices["Pixel 7"], java_script_enabled=False, locale="nl-NL"
    )
    yield context.new_page()
    context.close()


def test_the_same_flow_works_without_javascript(no_js_page, base_url, live_app):
    page = no_js_page
    page.goto(f"{base_url}/s/demo-peiling")
    page.get_by_role("button", name="Begin").click()
    seen = _walk(page, deeper=False)
    assert len(seen) == 10  # the two-minute core: short module and the over-jou questions
    response, answers = _latest_web_response(live_app)
    assert response.completed_at is not None and response.layer == "core"
    assert "plannen" not in answers and "idee" not in answers
    assert answers["age_band"] == "15-24" and answers["household"] == "children"


def test_back_changes_an_answer_and_resume_continues(page, base_url, live_app):
    page.goto(f"{base_url}/s/demo-peiling")
    page.get_by_role("button", name="Begin").click()
    page.locator("#f-area").select_option(label="Oude Haven")
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).to_have_text("Wat is voor jou het belangrijkst in je buurt?")
    page.get_by_label("Spelen").check()
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).to_have_text("Veel familie of vrienden van mij wonen dichtbij.")

    page.get_by_role("link", name="Vorige").click()  # the page's own back link
    expect(page.get_by_label("Spelen")).to_be_checked()
    page.get_by_label("Spelen").uncheck()
    page.get_by_label("Verkeer").check()
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).to_have_text("Veel familie of vrienden van mij wonen dichtbij.")
    page.go_back()  # the browser's own back button
    expect(page.locator("h1")).to_have_text("Wat is voor jou het belangrijkst in je buurt?")
    expect(page.get_by_label("Verkeer")).to_be_checked()

    _, answers = _latest_web_response(live_app)
    assert answers["themes"] == ["verkeer"]

    # Close the page; coming back on the same phone continues at the first open question.
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(f"{base_url}/s/demo-peiling")
    again.get_by_role("link", name="Ga verder waar je was").click()
    expect(again.locator("h1")).to_have_text("Veel familie of vrienden van mij wonen dichtbij.")


def test_language_switch_to_arabic_and_back(page, base_url, assert_accessible):
    page.goto(f"{base_url}/s/demo-peiling")
    page.get_by_role("button", name="Begin").click()
    expect(page.locator("#f-area")).to_be_visible()
    page.get_by_role("link", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert "/v/buurt" in page.url
    expect(page.get_by_role("button", name="التالي")).to_be_visible()  # "Volgende" in Arabic
    assert_accessible(page, "arabic question")
    page.get_by_role("link", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("button", name="Volgende")).to_be_visible()


def test_an_error_is_announced_and_nothing_is_stored(page, base_url, live_app, assert_accessible):
    page.goto(f"{base_url}/s/demo-peiling")
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("button", name="Volgende").click()  # the buurt question is required
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Deze vraag moet je beantwoorden.")
    assert_accessible(page, "error")
    _, answers = _latest_web_response(live_app)
    assert answers == {}


def test_one_request_per_answer_and_the_pushed_addresses_hold(page, base_url, live_app):
    """With htmx an answer is one POST that brings the next screen; the addresses it pushes are
    the real step addresses: back, forward, a reload and a language switch show those steps."""
    page.goto(f"{base_url}/s/demo-peiling")
    page.get_by_role("button", name="Begin").click()
    expect(page.locator("#f-area")).to_be_visible()
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url)) if "/s/" in r.url else None)
    headings, urls = [page.locator("h1").inner_text()], [page.url]
    for _ in range(3):
        requests.clear()
        _answer_screen(page)
        expect(page.locator("h1")).not_to_have_text(headings[-1])
        page.wait_for_load_state("networkidle")
        assert requests == [("POST", urls[-1])], requests  # one round trip, no GET after it
        headings.append(page.locator("h1").inner_text())
        urls.append(page.url)
    assert len(set(urls)) == 4 and all("/s/demo-peiling/v/" in url for url in urls)

    page.go_back()
    expect(page.locator("h1")).to_have_text(headings[2])
    assert page.url == urls[2]
    page.go_forward()
    expect(page.locator("h1")).to_have_text(headings[3])
    assert page.url == urls[3]
    page.reload()  # a whole page from the server at the pushed address
    expect(page.locator("h1")).to_have_text(headings[3])
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.startswith(urls[3] + "?lang=en")
    page.get_by_role("link", name="Nederlands").click()
    expect(page.locator("h1")).to_have_text(headings[3])
    _, answers = _latest_web_response(live_app)
    assert len(answers) == 3

"""A phone answers the demo's needs survey in Turkish, Polish and Arabic: every question
screen asks its question in that language, and Arabic reads right to left. Every Arabic screen
passes axe (right to left is where a layout breaks), the first screens in Turkish and Polish."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Survey

STEP = "form.question, form.actions[action$='/verdieping'], h1"


def _texts(live_app, lang: str) -> tuple[dict, str, str]:
    """The needs survey's question texts in `lang` and in Dutch, its title, and the done
    screen's heading, as the app would show them in `lang`."""
    with live_app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
        questions = {q.text[lang]: q.text["nl"] for q in survey.questions}
        with live_app.test_request_context(), force_locale(lang):
            done = gettext("Bedankt voor je antwoorden!")
        return questions, survey.title[lang], done


def _fill(form) -> None:
    """Answer a question whatever its language (the demo's buurt names stay Dutch)."""
    if form.locator("#f-area").count():
        form.locator("#f-area").select_option(label="Molenwijk")
    elif form.locator("select[name=rank1]").count():
        for i in (1, 2, 3):
            form.locator(f"select[name=rank{i}]").select_option(index=i)
    elif form.locator("textarea").count():
        form.locator("textarea").fill("Park")
    elif form.locator("input[type=number]").count():
        form.locator("input[type=number]").fill("12")
    else:
        form.locator("label.option").first.click()


@pytest.mark.parametrize("lang", ["tr", "pl", "ar"])
def test_the_needs_survey_is_asked_in_the_residents_language(
    page, base_url, live_app, assert_accessible, lang
):
    questions, title, done = _texts(live_app, lang)
    page.goto(f"{base_url}/s/demo-peiling?lang={lang}")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page, f"intro {lang}")
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("h1").first).not_to_have_text(title)
    seen = []
    for _ in range(40):
        page.wait_for_selector(STEP)
        heading = page.locator("h1").first.inner_text().strip()
        if heading == done:
            break
        if page.locator("form.actions[action$='/verdieping']").count():  # the verdieping?
            page.locator("form.actions button[value=yes]").click()
            expect(page.locator("h1").first).not_to_have_text(heading)
            continue
        assert heading in questions, f"not a {lang} question: {heading}"
        assert heading != questions[heading]  # not the Dutch text
        expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        if lang == "ar" or len(seen) < 3:  # every screen right to left, the first in the others
            assert_accessible(page, f"{lang}: {heading}")
        seen.append(heading)
        form = page.locator("form.question")
        _fill(form)
        form.locator("button.primary").click()
        expect(page.locator("h1").first).not_to_have_text(heading)
    expect(page.get_by_role("heading", level=1)).to_have_text(done)
    assert len(seen) >= 19 and len(set(seen)) == len(seen)

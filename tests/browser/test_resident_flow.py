"""A phone answers the demo survey from the QR address to the thank-you page."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Response


def _answer_screen(page):
    """Fill in whatever the current question asks, like a resident would."""
    form = page.locator("form.question")
    if form.locator("#f-area").count():
        form.locator("#f-area").select_option(label="Molenwijk")
    elif form.locator("select[name=rank1]").count():
        for i, label in enumerate(["Meer bomen", "Betere verlichting", "Minder hard rijden"], 1):
            form.locator(f"select[name=rank{i}]").select_option(label=label)
    elif form.locator("textarea").count():
        form.locator("textarea").fill("Meer bankjes in het park")
    elif form.locator("input[type=number]").count():
        form.locator("input[type=number]").fill("12")
    else:
        form.locator("label.option").first.click()
    form.get_by_role("button", name="Volgende").click()


def test_phone_answers_every_question_and_is_thanked(page, base_url, live_app, assert_accessible):
    page.goto(f"{base_url}/s/demo-peiling")
    expect(page.get_by_role("heading", level=1)).to_contain_text("buurt")
    assert_accessible(page, "intro")
    page.get_by_role("button", name="Begin").click()
    seen = []
    for _ in range(40):
        page.wait_for_selector("form.question, form[action$='/verdieping'], h1:text('Bedankt')")
        if page.locator("form.question").count() == 0:
            if page.locator("form[action$='/verdieping']").count():
                assert_accessible(page, "verdieping")
                page.get_by_role("button", name="Ja").click()
                expect(page.locator("form[action$='/verdieping']")).to_have_count(0)
                continue
            break
        heading = page.locator("h1").inner_text()
        if len(seen) < 3:
            assert_accessible(page, heading)
        seen.append(heading)
        _answer_screen(page)
        expect(page.locator("h1")).not_to_have_text(heading)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor je antwoorden!")
    assert_accessible(page, "done")
    assert len(seen) >= 15

    with live_app.app_context():
        responses = db.session.scalars(
            select(Response)
            .where(Response.source == "web", Response.layer == "deeper")
            .order_by(Response.id.desc())
        ).all()
        latest = responses[0]
        codes = {a.question.code for a in latest.answers}
        assert latest.completed_at is not None
        assert {"buurt", "themes", "idee", "plannen", "jaren", "attachment", "channels"} <= codes
        assert latest.area.name == "Molenwijk"

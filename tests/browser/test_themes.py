"""An officer on a laptop: the themes on Open antwoorden pass axe and can be renamed in place."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, Question, Response, Survey
from survey.models._types import utcnow
from survey.profiling.synthetic_texts import planted_answers
from tests.browser.test_dashboard import officer_page  # noqa: F401 - the signed-in fixture


def _add_open_answers(live_app) -> int:
    """Sixty open answers about four topics on the demo survey (beside its own); its id."""
    with live_app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
        idee = db.session.scalar(
            select(Question).where(Question.survey_id == survey.id, Question.code == "idee")
        )
        for _i, _topic, text in planted_answers(4, 15, seed=5):
            response = Response(uuid=str(uuid.uuid4()), survey_id=survey.id, completed_at=utcnow())
            response.answers.append(Answer(question_id=idee.id, value=text))
            db.session.add(response)
        db.session.commit()
        return survey.id


def test_the_themes_are_accessible_and_renamed_in_place(officer_page, live_app, assert_accessible):  # noqa: F811
    page = officer_page
    survey_id = _add_open_answers(live_app)
    page.goto(f"/officer/surveys/{survey_id}/open-answers")
    expect(page.get_by_role("heading", name="Thema’s", exact=True)).to_be_visible()
    themes = page.locator("li.theme")
    expect(themes.first).to_be_visible()
    assert themes.count() >= 4  # the planted four, beside the demo's own open answers
    assert_accessible(page, "open answers with themes")
    first = themes.first
    first.get_by_label("Naam van het thema").fill("Groen in de buurt")
    page.evaluate("window.notReloaded = true")
    first.get_by_role("button", name="Naam bewaren").click()
    expect(page.get_by_role("heading", name="Groen in de buurt")).to_be_visible()
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the themes only
    assert_accessible(page, "themes after a rename")

"""An officer on a laptop: the dashboard's buurt map, with its table beside it, passes axe."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Survey
from tests.browser.test_dashboard import officer_page  # noqa: F401 - the signed-in fixture


def test_the_dashboard_map_and_its_table_are_accessible(officer_page, live_app, assert_accessible):  # noqa: F811
    page = officer_page
    with live_app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == "demo-peiling"))
    page.goto(f"/officer/surveys/{survey_id}/dashboard")
    expect(page.get_by_role("img", name="Kaart: reacties per 1.000 inwoners")).to_be_visible()
    assert page.locator("#dashboard-map path").count() == 7
    assert_accessible(page, "dashboard with map")
    expect(page.locator("#dashboard-map-table tbody tr")).to_have_count(7)

"""An officer looks at the dashboard's charts, opens a chart's table (it stays open while the
figures refresh themselves), and the page passes axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_dashboard import _survey_id, officer_page  # noqa: F401 (a fixture)


def test_the_charts_are_images_with_their_tables_one_click_away(
    officer_page,  # noqa: F811
    live_app,
    assert_accessible,
):
    page = officer_page
    page.goto(f"/officer/surveys/{_survey_id(live_app)}/dashboard")
    days = page.locator("section", has=page.get_by_role("heading", name="Per dag"))
    expect(days.get_by_role("img", name="Reacties per dag")).to_be_visible()
    funnel = page.get_by_role("img", name="Van scan tot afgerond, per toegangspunt")
    expect(funnel).to_be_visible()
    expect(page.locator("svg.chart[id^=bars-]").first).to_be_visible()
    expect(days.locator("#table-day")).to_be_hidden()
    days.get_by_text("Tabel met de cijfers").click()
    expect(days.locator("#table-day")).to_be_visible()
    swapped = "new Promise(r => document.addEventListener('htmx:afterSwap', r, {once: true}))"
    page.evaluate(swapped)  # the fresh figures come in, and the opened table stays open
    expect(page.locator("#table-day")).to_be_visible()
    assert_accessible(page, "dashboard with charts")

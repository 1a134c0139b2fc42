"""After the demo deck a phone shows the opinion groups as an accessible picture with a text
alternative; axe-core checks that screen."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_swipe import DECK, _begin


def test_the_groups_after_the_deck(page, base_url, live_app, assert_accessible):
    _begin(page, base_url)
    for number in range(1, DECK + 1):  # agree with the first half, disagree with the rest
        name = "Eens" if number <= DECK // 2 else "Oneens"
        page.get_by_role("button", name=name, exact=True).click()
        if number < DECK:
            expect(page.locator(".progress p")).to_have_text(f"Uitspraak {number + 1} van {DECK}")
    section = page.get_by_role("region", name="Groepen die ongeveer hetzelfde stemmen")
    expect(section).to_be_visible(timeout=30_000)  # a busy test machine clusters slowly
    picture = section.get_by_role("img", name="De groepen als stipjes")
    expect(picture).to_be_visible()
    expect(picture).to_have_attribute("aria-labelledby", "groups-map-title groups-map-desc")
    expect(section.locator(".group-list > li")).not_to_have_count(0)
    expect(section.locator(".own-group-note")).to_be_visible()
    assert_accessible(page, "swipe groups")

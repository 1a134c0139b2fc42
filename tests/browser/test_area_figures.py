"""Kerncijfers in the browser: Gebieden shows the demo's CBS figures, a bad file is refused with
its lines, a good one is read (CSRF on, as in production), and the page passes axe."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_dashboard import officer_page  # noqa: F401 - the signed-in admin

DEMO_FIGURES = (
    Path(__file__).resolve().parents[2] / "survey/features/demo/voorbeeldstad_kerncijfers.csv"
)


def test_figures_are_shown_refused_by_line_and_read(officer_page, assert_accessible, tmp_path):  # noqa: F811
    page = officer_page
    page.get_by_role("link", name="Gebieden").click()
    expect(page.locator(".area-row", has_text="Oude Haven")).to_contain_text(
        "CBS 2024 1840 inwoners, 35% is 65 of ouder"
    )
    bad = tmp_path / "kerncijfers.csv"
    bad.write_text("WijkenEnBuurten;AantalInwoners_6\nGM0999;15100\nBU09990101;veel\n")
    page.locator("#figures-file").set_input_files(bad)
    page.get_by_role("button", name="Kerncijfers inlezen").click()
    expect(page.get_by_role("alert")).to_contain_text("Het bestand is niet ingelezen")
    expect(page.locator(".errors")).to_contain_text("Regel 3: in kolom AantalInwoners_6")
    assert_accessible(page, "gebieden, geweigerd bestand")

    page.locator("#figures-file").set_input_files(DEMO_FIGURES)
    page.get_by_role("button", name="Kerncijfers inlezen").click()
    expect(page.get_by_role("status").first).to_contain_text("Kerncijfers 2024: 11 gebieden")
    assert_accessible(page, "gebieden")

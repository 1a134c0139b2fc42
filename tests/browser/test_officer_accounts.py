"""An admin in the browser: Medewerkers, Wachtwoord wijzigen and Tweestapsverificatie pass axe,
and an invitation is sent from the page (CSRF on, as in production)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_dashboard import officer_page  # noqa: F401 - the signed-in admin


def test_account_pages_are_accessible_and_an_invitation_goes_out(
    officer_page,  # noqa: F811
    assert_accessible,
):
    page = officer_page
    page.get_by_role("link", name="Medewerkers").click()
    expect(page.get_by_role("heading", name="Medewerkers", exact=True)).to_be_visible()
    assert_accessible(page, "medewerkers")
    page.locator("#invite-email").fill("browser-uitnodiging@voorbeeldstad.nl")
    page.locator("#invite-role").select_option("analyst")
    page.get_by_role("button", name="Uitnodiging sturen").click()
    expect(page.locator("#invites")).to_contain_text("browser-uitnodiging@voorbeeldstad.nl")

    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("heading", name="Wachtwoord wijzigen")).to_be_visible()
    assert_accessible(page, "wachtwoord")

    page.get_by_role("link", name="Tweestapsverificatie").click()
    expect(page.locator("#totp-secret")).to_be_visible()
    assert_accessible(page, "tweestaps")

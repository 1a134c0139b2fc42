"""The second factor in the browser: switched on with a code from the app, then asked for at
sign-in after the password (CSRF on, as in production)."""

from __future__ import annotations

import time

import pyotp
from playwright.sync_api import expect

from survey.extensions import db
from survey.features.accounts.service import create_officer

EMAIL, PASSWORD = "tweestaps-browser@voorbeeldstad.nl", "lange zin met woorden 42"


def _code(secret: str, steps_ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(time.time()) // totp.interval + steps_ahead)


def test_an_officer_switches_totp_on_and_signs_in_with_a_code(browser, base_url, live_app):
    with live_app.app_context():
        create_officer(EMAIL, PASSWORD, "editor")
        db.session.remove()
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nl-NL", base_url=base_url
    )
    page = context.new_page()

    def sign_in():
        page.goto("/officer/login")
        page.get_by_label("E-mailadres").fill(EMAIL)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()

    sign_in()
    page.wait_for_url("**/officer/")
    page.get_by_role("link", name="Tweestapsverificatie").click()
    secret = "".join(page.locator("#totp-secret").inner_text().split())
    page.get_by_label("Code uit je app").fill("000000" if _code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    page.get_by_label("Code uit je app").fill(_code(secret))
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    expect(page.locator("main")).to_contain_text("Tweestapsverificatie staat aan")
    page.get_by_role("button", name="Uitloggen").click()

    sign_in()  # the password alone is not enough now
    page.wait_for_url("**/officer/login/code")
    page.get_by_label("Code", exact=True).fill(_code(secret, 1))  # a fresh code, the next step
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/officer/")
    expect(page.get_by_text(EMAIL)).to_be_visible()
    context.close()

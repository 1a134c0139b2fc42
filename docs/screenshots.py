"""The README's screenshots, made again: `.venv/bin/python docs/screenshots.py`.

Builds a fresh SQLite database in a temporary folder with the migrations, loads the demo
Voorbeeldstad (and fits its profile model, as `flask demo` does), serves it on a free port
from a thread, and drives Debian's Chromium with Playwright: the resident survey on a phone
(390×844), the officer's dashboard, its buurt map and Open antwoorden on a laptop (1280×900).
The PNGs go into docs/screenshots/. Fixed viewports, reduced motion, the page's network idle
before each picture: two runs on one machine gave byte for byte the same files (another
machine's Chromium or fonts may shift a pixel). The dashboard is taken first, on the demo's
own responses.

Open antwoorden shows the themes of the demo's own open answers (every third synthetic
resident answered "Wat zou je buurt beter maken?").
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from survey import create_app  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.features.demo.service import demo_officer, fit_demo_model, load_demo  # noqa: E402
from survey.models import Survey  # noqa: E402
from tests.browser.resident import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
SLUG = "demo-peiling"


def build_app(tmp: Path):
    """The demo on a fresh SQLite database in `tmp`, as `make run` sets it up."""
    app = create_app(
        {
            "SECRET_KEY": "screenshots",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'screenshots.sqlite3'}",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_demo()
        fit_demo_model()
    return app


def _settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")


def _to_top(page, element) -> None:
    """Scroll so that `element` (a locator) stands 16 pixels below the top of the window."""
    element.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 16)")
    _settle(page)


def resident(browser, base_url: str) -> None:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="nl-NL",
        reduced_motion="reduce",
        base_url=base_url,
    )
    page = context.new_page()
    page.goto(f"/s/{SLUG}")
    _settle(page)
    page.screenshot(path=OUT / "resident-intro.png")
    page.get_by_role("button", name="Begin").click()
    # Pass the buurt question: the next one asks what matters, with options to tick.
    page.locator("form.question #f-area").select_option(label="Molenwijk")
    heading = page.locator("h1").inner_text()
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).not_to_have_text(heading)
    page.locator("form.question label.option").first.click()
    _settle(page)
    page.screenshot(path=OUT / "resident-question.png")
    context.close()


def officer(browser, base_url: str, app, survey_id: int) -> None:
    context = browser.new_context(
        viewport=LAPTOP, locale="nl-NL", reduced_motion="reduce", base_url=base_url
    )
    page = context.new_page()
    page.goto("/officer/login")
    email, password = demo_officer()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/officer/")

    page.goto(f"/officer/surveys/{survey_id}/dashboard")
    expect(page.get_by_role("img", name="Reacties per dag")).to_be_visible()
    _settle(page)
    # Below the filters, the map and the funnel: the answers per question, after the buurt.
    _to_top(page, page.locator("section.dash-chart").nth(1))
    page.screenshot(path=OUT / "dashboard.png")
    area_map = page.locator("section[aria-labelledby=map-heading]")
    expect(area_map.get_by_role("img", name="Kaart: reacties per 1.000 inwoners")).to_be_visible()
    _to_top(page, area_map)
    box = area_map.bounding_box()  # with a margin of white around the map and its table
    margin = 16
    page.screenshot(
        path=OUT / "dashboard-map.png",
        clip={
            "x": box["x"] - margin,
            "y": box["y"] - margin,
            "width": box["width"] + 2 * margin,
            "height": box["height"] + 2 * margin,
        },
    )

    page.goto(f"/officer/surveys/{survey_id}/open-answers")
    expect(page.get_by_role("heading", name="Thema’s", exact=True)).to_be_visible()
    expect(page.locator("li.theme").first).to_be_visible()
    _settle(page)
    _to_top(page, page.locator("h3[id^=themes-title-]").first)
    page.screenshot(path=OUT / "themes.png")
    context.close()


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        with app.app_context():
            survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == SLUG))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base_url = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                # The dashboard first: its counts are the demo's own, before the open
                # answers added for the themes and the response the phone starts.
                officer(browser, base_url, app, survey_id)
                resident(browser, base_url)
                browser.close()
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()
    for path in sorted(OUT.glob("*.png")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

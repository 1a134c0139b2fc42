"""The README's screenshots, made again: `.venv/bin/python docs/screenshots.py`.

Builds a fresh SQLite database in a temporary folder with the migrations, loads the demo
Voorbeeldstad (and fits its profile model, as `flask demo` does), serves it on a free port
from a thread, and drives Debian's Chromium with Playwright: the resident survey on a phone
(390×844), the officer's dashboard, its buurt map and Open antwoorden on a laptop (1280×900).
The PNGs go into docs/screenshots/. Fixed viewports, reduced motion, the page's network idle
before each picture: two runs on one machine gave byte for byte the same files (another
machine's Chromium or fonts may shift a pixel). The dashboard is taken first, on the demo's
own responses.

The demo has no open answers of its own, so this script adds forty to its open question
("Wat zou je buurt beter maken?") before Open antwoorden is shown: short Dutch sentences
about four topics, so that the picture shows themes as an officer would see them.
"""

from __future__ import annotations

import logging
import random
import sys
import tempfile
import threading
import uuid
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
from survey.models import Answer, Question, Response, Survey  # noqa: E402
from survey.models._types import utcnow  # noqa: E402
from tests.browser.resident import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
SLUG = "demo-peiling"

# What residents might write under "Wat zou je buurt beter maken?": ten per topic.
OPEN_ANSWERS = [
    "Meer bomen, het is nu erg kaal en stenig.",
    "Een groter park met bankjes in de schaduw.",
    "Meer groen en bloemen langs de weg.",
    "Minder tegels, meer planten en gras in de buurt.",
    "Bomen planten op het plein, dat geeft schaduw in de zomer.",
    "Het park beter onderhouden, het gras is vaak te lang.",
    "Meer bankjes in het park voor ouderen.",
    "Geveltuinen en meer groen bij de huizen.",
    "Een natuurlijke speelplek in het park met bomen.",
    "Meer bloemen en struiken, dat is goed voor vogels en bijen.",
    "Auto's rijden veel te hard in onze straat, drempels graag.",
    "Een veilig fietspad naar school.",
    "Minder hard rijden bij de school, een zebrapad erbij.",
    "Parkeren is een probleem, auto's staan op de stoep.",
    "Drempels tegen het harde rijden.",
    "Het kruispunt is gevaarlijk voor fietsers.",
    "Een zebrapad bij de supermarkt om veilig over te steken.",
    "Minder auto's in de wijk en meer ruimte voor fietsers.",
    "Er wordt te hard gereden, zeker 's avonds.",
    "Betere fietspaden, nu fiets je tussen de auto's.",
    "Een speeltuin voor kleine kinderen in de buurt.",
    "Een trapveld waar de jeugd kan voetballen.",
    "De speeltuin is oud, nieuwe schommels en een glijbaan graag.",
    "Meer speelplekken voor kinderen, er is nu bijna niets.",
    "Een skatebaan voor de jeugd.",
    "Een zandbak en een klimrek voor de kinderen.",
    "Een veilige speelplek waar ouders kunnen zitten.",
    "Iets voor de jeugd, een trapveld of een skatebaan.",
    "Speeltoestellen voor kinderen met een beperking.",
    "Een speeltuin dichtbij, de kinderen moeten nu ver lopen.",
    "Meer verlichting, het is 's avonds erg donker.",
    "Een lantaarnpaal bij het fietspad, nu is het donker en eng.",
    "Betere verlichting in het park zodat het veilig voelt.",
    "Meer licht in de steeg achter de huizen.",
    "Het is donker bij de bushalte, meer verlichting graag.",
    "Vaker de wijkagent op straat, dan voelt het veiliger.",
    "Meer verlichting bij de garages tegen inbraak.",
    "Ik voel me 's avonds niet veilig, het is te donker.",
    "Lantaarnpalen die het doen, er zijn er veel kapot.",
    "Licht in het park en bij de speeltuin, 's avonds is het donker.",
]


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


def _add_open_answers() -> None:
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    idee = db.session.scalar(
        select(Question).where(Question.survey_id == survey.id, Question.code == "idee")
    )
    rng = random.Random(18)
    for text in rng.sample(OPEN_ANSWERS, len(OPEN_ANSWERS)):
        response = Response(uuid=str(uuid.uuid4()), survey_id=survey.id, completed_at=utcnow())
        response.answers.append(Answer(question_id=idee.id, value=text))
        db.session.add(response)
    db.session.commit()


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

    with app.app_context():
        _add_open_answers()
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

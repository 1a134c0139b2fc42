"""Weight: the bytes a phone receives for a cold QR scan and for each next question.

    .venv/bin/python bench/weight_bench.py

Serves the demo municipality (SQLite in a temporary folder) from this process, opens it in
Debian's Chromium with a phone profile (Pixel 7) and an empty cache, and counts what every
response brought over the wire: compressed body plus headers (Playwright's Request.sizes()),
including what the service worker fetches itself. Budgets: a cold scan up to the first
question at most 40 KB, each next question at most 5 KB (1 KB = 1000 bytes).
tests/browser/test_pwa.py asserts the same budgets with the same Meter.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/ is on the path, the repository is not
    sys.path.insert(0, str(ROOT))

from tests.browser.resident import CHROMIUM, CHROMIUM_ARGS, fill_question  # noqa: E402

COLD_BUDGET = 40_000
NEXT_BUDGET = 5_000
SCREEN = "form.question, form.deck, form[action$='/verdieping'], h1:text('Bedankt')"


@dataclass(frozen=True)
class Transfer:
    method: str
    path: str
    status: int
    size: int  # body as received (compressed) + response headers
    by_worker: bool  # fetched by the service worker itself

    @property
    def background(self) -> bool:
        """Fetched to keep the survey for offline use, not to show the first screen."""
        keep = self.path in ("/sw.js", "/offline") or self.path.endswith("/offline.json")
        return keep or (self.by_worker and self.path.startswith("/static/"))


class Meter:
    """Counts every finished response in a browser context, from the page and its worker."""

    def __init__(self, context):
        self.rows: list[Transfer] = []
        context.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        response = request.response()
        if response is None or response.from_service_worker:
            return  # answered by the worker: its own fetch, if any, is counted separately
        sizes = request.sizes()
        self.rows.append(
            Transfer(
                request.method,
                urlsplit(request.url).path,
                response.status,
                sizes["responseBodySize"] + sizes["responseHeadersSize"],
                request.service_worker is not None,
            )
        )

    def settle(self, page, path: str, tries: int = 40) -> None:
        """Wait until a response for `path` has been counted (events arrive a little later)."""
        for _ in range(tries):
            if any(r.path == path for r in self.rows):
                return
            page.wait_for_timeout(50)

    def take(self) -> list[Transfer]:
        rows, self.rows = self.rows, []
        return rows


def total(rows) -> int:
    return sum(r.size for r in rows)


def cold_scan(context, base_url: str, code: str):
    """Open /s/<code> with an empty cache and go to the first question."""
    meter = Meter(context)
    page = context.new_page()
    page.goto(f"{base_url}/s/{code}")
    page.wait_for_selector("html[data-offline=ready]", timeout=15000)
    meter.settle(page, f"/s/{code}/offline.json")
    page.locator("form[action$='/start'] button").click()
    page.wait_for_selector("form.question, form.deck")
    meter.settle(page, f"/s/{code}/start")  # with htmx the POST brings the first question
    rows = meter.take()
    return page, meter, [r for r in rows if not r.background], [r for r in rows if r.background]


def answer_screen(page) -> None:
    """Answer whatever the current screen asks, like a resident would."""
    form = page.locator("form.question, form.deck")
    if form.locator("button[value=agree]").count():
        form.locator("button[value=agree]").first.click()
        return
    fill_question(form)
    form.locator("button.primary").click()


def next_questions(page, meter, steps: int) -> list[int]:
    """The bytes of each answer-and-next-question round trip, for up to `steps` questions."""
    sizes = []
    for _ in range(steps):
        if page.locator("form.question, form.deck").count() == 0:
            break
        before = page.url
        answer_screen(page)
        page.wait_for_url(lambda url, before=before: url != before)
        page.wait_for_selector(SCREEN)
        meter.settle(page, urlsplit(before).path)  # the answer's POST brings the next screen
        sizes.append(total(meter.take()))
    return sizes


class WireCounter:
    """WSGI middleware: the bytes the server wrote (status line, headers, body), a cross-check."""

    def __init__(self, app):
        self.app = app
        self.sent = 0

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
            self.sent += len(head) + 2
            return start_response(status, headers, exc_info)

        body = self.app(environ, start)
        try:
            for chunk in body:
                self.sent += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()

    def take(self) -> int:
        sent, self.sent = self.sent, 0
        return sent


def serve_demo(folder: Path):
    """The demo app on SQLite, served on a free port from a daemon thread."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from survey import create_app
    from survey.features.demo.service import load_demo

    app = create_app(
        {
            "SECRET_KEY": "weight-bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "RATELIMIT_ENABLED": False,
            "HUMAN_MIN_SECONDS": 0.01,
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_demo()
    counter = WireCounter(app.wsgi_app)
    app.wsgi_app = counter
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}", counter


def _kb(size: int) -> str:
    return f"{size / 1000:5.1f} KB"


def report(code: str, first, background, nexts, server_sent: int) -> None:
    print(f"\n/s/{code}")
    print(f"  cold scan to the first screen: {_kb(total(first))} in {len(first)} responses")
    for r in sorted(first, key=lambda r: -r.size):
        print(f"    {_kb(r.size)}  {r.status} {r.method} {r.path}")
    print(
        f"  kept for offline afterwards:   {_kb(total(background))} in {len(background)} responses"
    )
    for r in sorted(background, key=lambda r: -r.size):
        print(f"    {_kb(r.size)}  {r.status} {r.method} {r.path}")
    print(
        f"  next question ({len(nexts)} steps): max {_kb(max(nexts))}, "
        f"median {_kb(int(statistics.median(nexts)))}"
    )
    print(f"  cross-check, all the server wrote for this visit: {_kb(server_sent)}")


def main() -> int:
    os.chdir(ROOT)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server, base_url, counter = serve_demo(Path(tmp))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"Chromium {browser.version}, Pixel 7 profile, empty cache; budgets 40 KB and 5 KB")
        worst = 0.0
        for code, steps in (("demo-peiling", 15), ("demo-swipe", 8)):
            context = browser.new_context(**playwright.devices["Pixel 7"], locale="nl-NL")
            counter.take()
            page, meter, first, background = cold_scan(context, base_url, code)
            nexts = next_questions(page, meter, steps)
            report(code, first, background, nexts, counter.take())
            worst = max(worst, total(first) / COLD_BUDGET, max(nexts) / NEXT_BUDGET)
            context.close()
        browser.close()
        server.shutdown()
    print(f"\nworst use of a budget: {worst:.0%}")
    return 0 if worst <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())

"""A real Chromium (Debian's) driving the app served from this test process."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from survey import create_app
from survey.extensions import db
from tests.browser.resident import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it from Debian")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, playwright):
    return {**browser_context_args, **playwright.devices["Pixel 7"], "locale": "nl-NL"}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The demo app on SQLite, served on a free port for the whole browser session."""
    tmp = tmp_path_factory.mktemp("browser")
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "TESTING": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'live.sqlite3'}",
            "RATELIMIT_ENABLED": False,
            # Playwright answers faster than a person: keep the guard on, with a tiny minimum.
            "HUMAN_MIN_SECONDS": 0.01,
            # One browser on one address walks many responses (tested in test_stuffing.py).
            "RESPONSES_PER_ADDRESS_PER_DAY": 1_000_000,
            "BURST_STARTS": 1_000_000,
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        from survey.features.demo.service import load_demo

        load_demo()
    # The screen after a swipe deck clusters the votes: load scikit-learn now, not while a
    # test waits for that screen (importing it takes seconds on a busy machine).
    import sklearn.cluster  # noqa: F401

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app):
    return live_app.config["LIVE_URL"]


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it with npm")
    return AXE.read_text()


@pytest.fixture
def assert_accessible(axe_source):
    """Run axe-core (WCAG 2.2 AA rules) on the page and fail with a readable list."""

    def check(page, label=""):
        page.evaluate(axe_source)
        result = page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})"
        )
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + json.dumps([n["target"] for n in v["nodes"]][:5])
            for v in result["violations"]
        ]
        assert not problems, f"axe on {label or page.url}:\n" + "\n".join(problems)

    return check

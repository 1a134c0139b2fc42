"""Installable and light: Chromium's own checks, and the bytes a cold QR scan costs."""

from __future__ import annotations

import json

from bench.weight_bench import COLD_BUDGET, NEXT_BUDGET, cold_scan, next_questions, total
from tests.browser.resident import CHROMIUM, CHROMIUM_ARGS


def test_manifest_is_linked_the_worker_controls_the_page_and_the_app_installs(
    playwright, base_url, tmp_path
):
    # A persistent profile: Chromium never offers to install from an incognito context.
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        **{k: v for k, v in playwright.devices["Pixel 7"].items() if k != "default_browser_type"},
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{base_url}/s/demo-peiling")
    page.wait_for_selector("html[data-offline=ready]", timeout=15000)
    worker = page.evaluate(
        "navigator.serviceWorker.getRegistration().then(r => "
        "[navigator.serviceWorker.controller.scriptURL, r.scope])"
    )
    assert worker == [f"{base_url}/sw.js", f"{base_url}/"]

    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == f"{base_url}/manifest.webmanifest"
    assert manifest["errors"] == []
    data = json.loads(manifest["data"])
    assert data["display"] == "standalone" and data["start_url"] == "/app"
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    context.close()


def test_cold_scan_and_next_questions_stay_within_their_byte_budgets(browser, playwright, base_url):
    context = browser.new_context(**playwright.devices["Pixel 7"], locale="nl-NL")
    page, meter, first, background = cold_scan(context, base_url, "demo-peiling")
    paths = {r.path for r in first}
    assert {"/s/demo-peiling", "/static/js/htmx-2.0.11.min.js", "/s/demo-peiling/start"} <= paths
    assert "/s/demo-peiling/v/buurt" not in paths  # the start's POST brought the first question
    assert any(r.path.endswith("/offline.json") for r in background)  # counted apart
    assert total(first) <= COLD_BUDGET, sorted((r.size, r.path) for r in first)

    steps = next_questions(page, meter, 4)
    assert len(steps) == 4 and all(size > 0 for size in steps)
    assert max(steps) <= NEXT_BUDGET, steps
    context.close()

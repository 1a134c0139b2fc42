"""What browser tests and benchmarks share: the system Chromium, and a resident's answers."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def fill_question(form) -> None:
    """Fill in the demo question shown in `form` as a resident would (no submit)."""
    if form.locator("#f-area").count():
        form.locator("#f-area").select_option(label="Molenwijk")
    elif form.locator("select[name=rank1]").count():
        for i, label in enumerate(["Meer bomen", "Betere verlichting", "Minder hard rijden"], 1):
            form.locator(f"select[name=rank{i}]").select_option(label=label)
    elif form.locator("textarea").count():
        form.locator("textarea").fill("Meer bankjes in het park")
    elif form.locator("input[type=number]").count():
        form.locator("input[type=number]").fill("12")
    else:
        form.locator("label.option").first.click()

"""`flask --app app demo`: the demo municipality Voorbeeldstad."""

from __future__ import annotations

import click
from flask import current_app

from survey.features.demo import service as demo


@click.command("demo")
def load_demo() -> None:
    """Load the demo municipality Voorbeeldstad (safe to run again)."""
    # A password everyone can read in the README opens no production server.
    production = current_app.config["PRODUCTION"]
    counts = demo.load_demo(with_officer=not production)
    model = demo.fit_demo_model()
    email, password = demo.demo_officer()
    officer = (
        "No demo officer in production: add one with `flask --app app officer create`."
        if production
        else f"Officer: {email} / {password}"
    )
    click.echo(
        "Voorbeeldstad is ready: http://127.0.0.1:5000/s/demo-peiling "
        f"({counts['needs_responses']} new needs responses, {counts['swipe_responses']} new swipe "
        f"responses). {officer}"
    )
    if model is not None:
        click.echo(f"Profile model version {model.version} fitted on {model.n} responses.")

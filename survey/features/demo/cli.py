"""`flask --app app demo`: the demo municipality Voorbeeldstad."""

from __future__ import annotations

import click

from survey.features.demo import service as demo


@click.command("demo")
def load_demo() -> None:
    """Load the demo municipality Voorbeeldstad (safe to run again)."""
    counts = demo.load_demo()
    email, password = demo.demo_officer()
    click.echo(
        "Voorbeeldstad is ready: http://127.0.0.1:5000/s/demo-peiling "
        f"({counts['needs_responses']} new needs responses, {counts['swipe_responses']} new swipe "
        f"responses). Officer: {email} / {password}"
    )

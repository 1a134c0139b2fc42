"""Commands: `flask --app app demo`, `flask --app app officer create ...`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from survey.cli_backup import backup
from survey.cli_opinions import opinions
from survey.cli_profiles import profiles_cli
from survey.cli_responses import responses_cli
from survey.models import ROLES
from survey.services import demo, officers

officer_cli = AppGroup("officer", help="Manage officer accounts.")


@officer_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@click.option("--name", default="")
@click.password_option(prompt="Password", confirmation_prompt=True)
def create_officer(email: str, role: str, name: str, password: str) -> None:
    """Create an officer; asks for the password."""
    if officers.find_officer(email):
        raise click.ClickException(f"an officer with e-mail {email} exists already")
    try:
        officers.create_officer(email, password, role, name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Officer {email} created with role {role}.")


@click.command("demo")
def load_demo() -> None:
    """Load the demo municipality Voorbeeldstad (safe to run again)."""
    counts = demo.load_demo()
    click.echo(
        "Voorbeeldstad is ready: http://127.0.0.1:5000/s/demo-peiling "
        f"({counts['needs_responses']} new needs responses, {counts['swipe_responses']} new swipe "
        f"responses). Officer: {demo.DEMO_OFFICER[0]} / {demo.DEMO_OFFICER[1]}"
    )


def init_app(app: Flask) -> None:
    from survey.cli_feedback import outbox_cli, volunteers_cli

    app.cli.add_command(outbox_cli)
    app.cli.add_command(volunteers_cli)
    app.cli.add_command(officer_cli)
    app.cli.add_command(load_demo)
    app.cli.add_command(backup)
    app.cli.add_command(responses_cli)
    app.cli.add_command(profiles_cli)
    app.cli.add_command(opinions)

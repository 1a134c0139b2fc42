"""`flask --app app officer create EMAIL --role ROLE`: officer accounts."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from survey.features.accounts import service as officers
from survey.models import ROLES

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


def _officer_or_fail(email: str):
    officer = officers.find_officer(email)
    if officer is None:
        raise click.ClickException(f"no officer with e-mail {email}")
    return officer


@officer_cli.command("disable")
@click.argument("email")
def disable_officer(email: str) -> None:
    """Disable an account; every session of it ends at once."""
    officers.set_active(_officer_or_fail(email), False, None)
    click.echo(f"Officer {email} disabled; all sessions ended.")


@officer_cli.command("enable")
@click.argument("email")
def enable_officer(email: str) -> None:
    """Enable a disabled account again."""
    officers.set_active(_officer_or_fail(email), True, None)
    click.echo(f"Officer {email} enabled.")

"""`flask --app app volunteers purge`: erase volunteers' details after the retention period."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from survey.features.volunteers import service as volunteering

volunteers_cli = AppGroup("volunteers", help="Volunteers' contact details.")


@volunteers_cli.command("purge")
def purge() -> None:
    """Erase volunteers whose survey closed more than VOLUNTEER_RETENTION_DAYS ago."""
    days = current_app.config["VOLUNTEER_RETENTION_DAYS"]
    erased = volunteering.purge_expired(days)
    click.echo(f"{erased} volunteer(s) erased (retention {days} days after the survey closed).")

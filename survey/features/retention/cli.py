"""`flask --app app retention run`: close surveys past their date, erase what is past its term.

Run it once a day from cron, e.g.
`15 3 * * * cd /srv/buurtpeiling && .venv/bin/flask --app app retention run`.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from survey.features.retention import service as retention

retention_cli = AppGroup("retention", help="Erase personal data after its retention term.")


@retention_cli.command("run")
def run_command() -> None:
    """Close surveys past their closing date and erase or delete what is past its term."""
    counts = retention.run_retention()
    for kind, label, setting in retention.KINDS:
        term = f" (term {current_app.config[setting]} days)" if setting else ""
        click.echo(f"{label}: {counts[kind]}{term}")

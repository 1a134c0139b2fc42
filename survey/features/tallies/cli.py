"""`flask --app app tallies check|rebuild [--survey SLUG]`: recount the running tallies.

`check` recounts from the raw answers and lists every difference (exit 1 when there is one);
`rebuild` replaces the tallies by the recount, after a bulk load, a restore or an upgrade.
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from survey.features.tallies import recount
from survey.features.tallies.keys import COLUMNS_SHOWN

tallies_cli = AppGroup("tallies", help="Check or rebuild the running tallies.")
SURVEY = click.option("--survey", "slug", default=None, help="Only this survey (its slug).")
SHOWN = 20  # differences printed per survey


def _chosen(slug):
    chosen = recount.surveys(slug)
    if slug is not None and not chosen:
        click.echo(f"No survey with slug {slug!r}.", err=True)
        sys.exit(2)
    return chosen


@tallies_cli.command("check")
@SURVEY
def check_command(slug: str | None) -> None:
    """Recount from the answers; report every difference and exit 1 when there is one."""
    wrong = 0
    for survey in _chosen(slug):
        found = recount.differences(survey)
        wrong += len(found)
        click.echo(f"{survey.slug}: {'OK' if not found else f'{len(found)} differences'}")
        for key, kept, counted in found[:SHOWN]:
            pairs = zip(COLUMNS_SHOWN, key, strict=True)
            where = ", ".join(f"{name}={value}" for name, value in pairs)
            click.echo(f"  {where}: tally {kept}, answers {counted}")
    if wrong:
        sys.exit(1)


@tallies_cli.command("rebuild")
@SURVEY
def rebuild_command(slug: str | None) -> None:
    """Replace the tallies by a recount from the answers."""
    for survey in _chosen(slug):
        click.echo(f"{survey.slug}: {recount.rebuild(survey)} rows")

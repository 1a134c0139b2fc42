"""Commands: `flask --app app outbox send|stuck|requeue` and `flask --app app volunteers purge`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from survey.services import outbox, volunteering

outbox_cli = AppGroup("outbox", help="Send the queued mail.")
volunteers_cli = AppGroup("volunteers", help="Volunteers' contact details.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most mails to try in this run.")
def send(limit: int) -> None:
    """Send the mails that are due; failures are retried later with back-off."""
    config = current_app.config
    counts = outbox.send_due(config, limit=limit)
    click.echo(
        f"{counts['sent']} sent, {counts['failed']} failed (retried later) "
        f"via {config['MAIL_SERVER']}:{config['MAIL_PORT']}."
    )
    if stuck := outbox.stuck():
        click.echo(
            f"{len(stuck)} mail(s) were being sent when a sender stopped: see `outbox stuck`.",
            err=True,
        )


@outbox_cli.command("stuck")
def show_stuck() -> None:
    """List mails whose delivery is unknown (a sender stopped halfway); they are not retried."""
    for row in outbox.stuck():
        click.echo(f"{row.id}\t{row.key}\tattempt {row.attempts}\tqueued {row.created_at:%Y-%m-%d}")


@outbox_cli.command("requeue")
@click.argument("row_id", type=int)
def requeue(row_id: int) -> None:
    """Send a stuck or given-up mail again (check the mail server's log first)."""
    if not outbox.requeue(row_id):
        raise click.ClickException(f"no unsent mail with id {row_id}")
    click.echo(f"Mail {row_id} will be sent on the next `outbox send`.")


@volunteers_cli.command("purge")
def purge() -> None:
    """Erase volunteers whose survey closed more than VOLUNTEER_RETENTION_DAYS ago."""
    days = current_app.config["VOLUNTEER_RETENTION_DAYS"]
    erased = volunteering.purge_expired(days)
    click.echo(f"{erased} volunteer(s) erased (retention {days} days after the survey closed).")

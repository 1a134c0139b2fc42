"""Commands of the app as a whole: `flask --app app outbox send|stuck|requeue`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from survey.core import outbox

outbox_cli = AppGroup("outbox", help="Send the queued mail.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most mails to try in this run.")
def send_command(limit: int) -> None:
    """Send the mails that are due; failures are retried later with back-off."""
    config = current_app.config
    counts = outbox.send_due(config, limit=limit)
    click.echo(
        f"{counts['sent']} sent, {counts['failed']} failed (retried later) "
        f"via {config['MAIL_SERVER']}:{config['MAIL_PORT']}."
    )
    if waiting := outbox.stuck():
        click.echo(
            f"{len(waiting)} mail(s) were being sent when a sender stopped: see `outbox stuck`.",
            err=True,
        )


@outbox_cli.command("stuck")
def stuck_command() -> None:
    """List mails whose delivery is unknown (a sender stopped halfway); they are not retried."""
    for row in outbox.stuck():
        click.echo(f"{row.id}\t{row.key}\tattempt {row.attempts}\tqueued {row.created_at:%Y-%m-%d}")


@outbox_cli.command("requeue")
@click.argument("row_id", type=int)
def requeue_command(row_id: int) -> None:
    """Send a stuck or given-up mail again (check the mail server's log first)."""
    if not outbox.requeue(row_id):
        raise click.ClickException(f"no unsent mail with id {row_id}")
    click.echo(f"Mail {row_id} will be sent on the next `outbox send`.")

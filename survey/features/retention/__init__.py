"""Retention: the scheduled erasure of personal data after its term (`retention run`)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.retention import cli

    app.cli.add_command(cli.retention_cli)

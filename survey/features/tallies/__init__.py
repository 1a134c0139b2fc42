"""Lopende tellingen: running tallies that every figure reads (`tallies check|rebuild`)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.tallies import cli

    app.cli.add_command(cli.tallies_cli)

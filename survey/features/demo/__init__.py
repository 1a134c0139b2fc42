"""The demo municipality Voorbeeldstad: `flask demo`."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.demo import cli

    app.cli.add_command(cli.load_demo)

"""Inzichten: engagement profiles per area and channel, gaps, advice, notes and the area report."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.insights import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.profiles_cli)

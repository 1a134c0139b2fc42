"""Volunteers: the offer to help, the volunteer's own page, the coordinator's list, erasure."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.volunteers import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.volunteers_cli)

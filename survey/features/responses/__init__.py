"""Responses and the dashboard: live figures, the table, open answers, exports, paper import."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.responses import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.responses_cli)
    app.cli.add_command(cli.themes_command)

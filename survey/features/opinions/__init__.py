"""Meningen: the votes of a swipe deck, opinion groups, and the review of residents' statements."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.opinions import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.opinions)

"""Officer accounts: sign-in and sign-out, idle sessions, `flask officer create`."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.accounts import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.officer_cli)

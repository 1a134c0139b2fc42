"""Officer accounts: sign-in and sign-out, server-side sessions, `flask officer create`."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.extensions import login
    from survey.features.accounts import cli, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.invites_bp)
    login.user_loader(views.load_officer)
    login.unauthorized_handler(views.sign_in_needed)
    app.cli.add_command(cli.officer_cli)

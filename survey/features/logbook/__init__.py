"""Logboek: the audit log, for admins."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.logbook import views

    app.register_blueprint(views.bp)

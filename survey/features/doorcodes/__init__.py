"""Deurcodes: one-per-household codes on door flyers, each usable once."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.doorcodes import views

    app.register_blueprint(views.bp)

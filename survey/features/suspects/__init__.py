"""Verdachte reacties: responses over the daily cap of an address, or in a burst."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.suspects import views

    app.register_blueprint(views.bp)

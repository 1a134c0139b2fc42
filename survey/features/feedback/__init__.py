"""Terugkoppeling ("jullie zeiden, wij deden"): updates, their publication and the poster."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.feedback import views

    app.register_blueprint(views.bp)

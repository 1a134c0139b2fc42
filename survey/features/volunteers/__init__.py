"""Volunteers: the offer to help, the volunteer's own page, the coordinator's list.
Their erasure after the retention term is part of `flask --app app retention run`."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.volunteers import views

    app.register_blueprint(views.bp)

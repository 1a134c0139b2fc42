"""Answering a survey: a QR scan opens it, one question per screen, the verdieping, the end."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.answering import views

    app.register_blueprint(views.bp)

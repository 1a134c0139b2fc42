"""Swipe decks for young people: cards of statements, how others voted, statements of one's own."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.swipe import views

    app.register_blueprint(views.bp)

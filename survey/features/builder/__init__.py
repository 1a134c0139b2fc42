"""The survey builder: surveys from a template or from scratch, questions, settings, publishing."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.builder import views

    app.register_blueprint(views.bp)

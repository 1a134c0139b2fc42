"""Public results: how everyone answered, small groups hidden, and the updates as a timeline."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.results import views

    app.register_blueprint(views.bp)

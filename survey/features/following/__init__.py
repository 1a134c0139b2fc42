"""Following a survey: residents who want to hear about updates (double opt-in)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.following import views

    app.register_blueprint(views.bp)

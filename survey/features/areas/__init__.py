"""Gebieden: the gemeente / wijk / buurt tree, edited in place and imported from a CSV."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.areas import views

    app.register_blueprint(views.bp)

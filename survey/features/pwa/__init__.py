"""The progressive web app: manifest, service worker, offline page, surveys kept for offline."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.pwa import views

    app.register_blueprint(views.bp)

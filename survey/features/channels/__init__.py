"""Toegangspunten: one QR code per channel, posters and flyers, and the funnel per channel."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.channels import views

    app.register_blueprint(views.bp)

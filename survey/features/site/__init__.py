"""The site as a whole: the privacy statement and the health check for load balancers."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.site import views

    app.register_blueprint(views.bp)

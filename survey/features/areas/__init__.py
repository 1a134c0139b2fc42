"""Gebieden: the gemeente / wijk / buurt tree, edited in place and imported from a CSV, with
the CBS figures of each area (`areas figures import`)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.areas import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.areas_cli)

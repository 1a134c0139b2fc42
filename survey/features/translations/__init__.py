"""Vertalingen: a survey's texts per language as a PO file for translators, read back with a
report by line number, and how complete each offered language is."""

from flask import Flask


def init_app(app: Flask) -> None:
    from survey.features.translations import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.translations_cli)

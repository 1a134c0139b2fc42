"""Buurtpeiling: create_app() builds the Flask application."""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration layers, extensions, core, features."""
    from survey import config
    from survey.core import database, pdf

    sys.excepthook = database.excepthook
    app = Flask(
        __name__,
        root_path=str(ROOT),
        instance_path=str(ROOT / "instance"),
        static_folder="static",
        template_folder="templates",
    )
    Path(app.instance_path).mkdir(exist_ok=True)
    app.config.from_mapping(config.from_environment(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    config.check(app.config)
    pdf.check_fonts(app.config["PDF_FONT_DIR"])

    database.check_url(app.config["SQLALCHEMY_DATABASE_URI"])
    _init_extensions(app)
    _init_core(app)

    from survey import features

    features.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from survey import models  # noqa: F401 - every model registered before the migrations
    from survey.core import database
    from survey.extensions import compress, csrf, db, limiter, login, migrate

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    login.init_app(app)
    login.login_view = "accounts.login"  # the accounts feature sets the user loader


def _init_core(app: Flask) -> None:
    from werkzeug.routing import IntegerConverter

    from survey.core import access, backup, cli, database, errors, i18n, security

    class RowId(IntegerConverter):
        """<int:...> in a URL: an id no larger than the database's integer ids (else 404)."""

        def __init__(self, map, fixed_digits=0, min=None, max=database.MAX_ID, signed=False):
            super().__init__(map, fixed_digits, min, max, signed)

    app.url_map.converters["int"] = RowId  # before the routes are added
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    access.init_app(app)
    app.cli.add_command(cli.outbox_cli)
    app.cli.add_command(backup.backup)

"""The one user-error type, and error pages: a clear message in the user's language, never a
stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from survey.core import htmx
from survey.extensions import db


class UserError(ValueError):
    """Something the user can put right: a message in their language, the form field it is
    about (if any), and a code for callers that act on the kind of problem.

    `message` may be a lazy string: it is turned into text when read, in the request's language.
    """

    def __init__(self, message, field: str | None = None, code: str | None = None):
        super().__init__(code or str(message))
        self._message = message
        self.field = field
        self.code = code

    @property
    def message(self) -> str:
        return str(self._message)

    def __str__(self) -> str:
        return self.message


def _page(message: str, status: int):
    template = "_error.html" if htmx.is_htmx() else "error.html"
    body = render_template(template, message=message, status=status, fragment=htmx.is_htmx())
    return body, status


def error_page(message: str, status: int):
    """The error page with a message of the caller's own (a body and a status)."""
    return _page(message, status)


def init_app(app: Flask) -> None:
    messages = {
        400: lambda: _("Dit verzoek begrijpen we niet."),
        403: lambda: _("Je hebt geen toegang tot deze pagina."),
        404: lambda: _(
            "Deze pagina bestaat niet. Controleer het adres of scan de QR-code opnieuw."
        ),
        405: lambda: _("Dit verzoek begrijpen we niet."),
        413: lambda: _("Wat je stuurde is te groot."),
        429: lambda: _("Even rustig aan: te veel verzoeken. Probeer het zo nog eens."),
    }

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(
            _("Deze pagina was verlopen. Laad de pagina opnieuw en probeer het nog eens."), 400
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code in messages:
            return _page(messages[error.code](), error.code)
        return error

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def database_away(error):
        db.session.rollback()
        app.logger.warning(
            "database unavailable on %s: %s", request.path, getattr(error, "orig", error)
        )
        body, status = _page(_("Het lukt nu even niet. Probeer het zo nog eens."), 503)
        return body, status, {"Retry-After": "5"}

    @app.errorhandler(InternalServerError)
    def unexpected(error):
        # Flask logs the original exception; the person sees a calm page, nothing of the code.
        db.session.rollback()
        return _page(_("Er ging bij ons iets mis. Probeer het zo nog eens."), 500)

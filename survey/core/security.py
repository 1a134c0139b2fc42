"""Security headers on every response, officer sessions that expire when idle, proxies."""

from __future__ import annotations

from flask import Flask, Response, abort, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from survey.core import limits

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def private(response: Response) -> Response:
    """Pages with personal data or their secret links: never cached, never referred."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def init_app(app: Flask) -> None:
    if proxies := app.config.get("TRUSTED_PROXIES"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    limits.init_app(app)

    @app.before_request
    def refuse_nul_in_url():
        # No code or token holds a NUL byte, and PostgreSQL refuses one in a query: not found.
        if any("\x00" in str(v) for v in (request.view_args or {}).values()):
            abort(404)

    @app.after_request
    def idle_expiry(response):
        # A signed-in officer's session is permanent, so PERMANENT_SESSION_LIFETIME ends it
        # after that long without a request (Flask renews the cookie on every request).
        if "_user_id" in session and not session.permanent:
            session.permanent = True
        return response

    @app.after_request
    def buffer_static_files(response):
        # Read small static files into memory so Flask-Compress compresses them as a whole
        # and the file is closed by the response (its streaming path leaves the file open).
        if request.endpoint == "static" and response.direct_passthrough:
            response.direct_passthrough = False
            response.make_sequence()
        return response

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if app.config["PRODUCTION"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.path.startswith("/officer/"):
            # Officer pages show answers and contact details: no browser or proxy keeps a copy.
            headers.setdefault("Cache-Control", "no-store")
        return response

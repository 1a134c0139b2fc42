"""Progressive web app: the manifest (the service worker arrives with the offline work)."""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for

bp = Blueprint("pwa", __name__)


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest."""
    icon = url_for("static", filename="icons/icon.svg")
    response = jsonify(
        name="Buurtpeiling",
        short_name="Buurtpeiling",
        start_url="/",
        display="standalone",
        background_color="#ffffff",
        theme_color="#1b5e7a",
        lang="nl",
        icons=[{"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/health")
def health():
    """For load balancers: the app answers and can reach its database."""
    from survey.extensions import db

    db.session.execute(db.text("SELECT 1"))
    return jsonify(status="ok")

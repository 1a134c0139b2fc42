"""Pages of the site as a whole: privacy and accessibility statements, the health check."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, render_template

from survey.core.database import reachable

bp = Blueprint("site", __name__, template_folder="templates")


@bp.get("/privacy")
def privacy():
    """The full privacy statement."""
    return render_template("site/privacy.html")


@bp.get("/toegankelijkheid")
def accessibility():
    """The accessibility statement, after the model of digitoegankelijk.nl."""
    checked = date.fromisoformat(current_app.config["ACCESSIBILITY_DATE"])
    return render_template("site/accessibility.html", checked=checked)


@bp.get("/health")
def health():
    """For load balancers: 200 when the app can reach its database, else 503."""
    if reachable():
        response = jsonify(status="ok")
    else:
        response = jsonify(status="database unreachable")
        response.status_code = 503
    response.headers["Cache-Control"] = "no-store"
    return response

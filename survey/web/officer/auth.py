"""Sign-in, sign-out and the overview of surveys."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required, login_user, logout_user
from sqlalchemy import select

from survey.extensions import db, limiter
from survey.models import Survey
from survey.services import officers
from survey.web.officer import add_nav, bp, roles_required


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    """Sign in with e-mail and password."""
    if request.method == "POST":
        try:
            officer = officers.authenticate(
                request.form.get("email", ""), request.form.get("password", "")
            )
        except officers.SignInRefused as refused:
            message = (
                _("Te veel pogingen. Probeer het over %(s)s seconden opnieuw.", s=refused.wait)
                if refused.wait
                else _("E-mailadres of wachtwoord klopt niet.")
            )
            return render_template(
                "officer/login.html", error=message
            ), 429 if refused.wait else 401
        login_user(officer)
        return redirect(url_for("officer.index"), code=303)
    return render_template("officer/login.html")


@bp.post("/logout")
@login_required
def logout():
    """Sign out."""
    logout_user()
    flash(_("Je bent uitgelogd."))
    return redirect(url_for("officer.login"), code=303)


add_nav("officer.index", _l("Peilingen"), 10)


@bp.get("/")
@roles_required("editor", "analyst", "coordinator")
def index():
    """The surveys of the municipality."""
    surveys = db.session.scalars(select(Survey).order_by(Survey.created_at.desc())).all()
    return render_template("officer/index.html", surveys=surveys)

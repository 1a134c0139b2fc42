"""Sign-in, sign-out and the overview of surveys."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from survey import limits
from survey.extensions import db
from survey.models import ROLES, Survey
from survey.services import officers
from survey.web.officer import add_nav, bp, roles_required

SEEN_KEY = "officer_seen"  # when the officer last did something (seconds since the epoch)


@bp.before_request
def expire_idle_session():
    """Sign out an officer who was idle longer than PERMANENT_SESSION_LIFETIME."""
    if not current_user.is_authenticated or "_user_id" not in session:
        return None
    idle = current_app.permanent_session_lifetime.total_seconds()
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int | float) or time.time() - seen > idle:
        logout_user()
        session.pop(SEEN_KEY, None)
        flash(_("Je was een tijd niet actief. Log opnieuw in."))
        return redirect(url_for("officer.login", next=request.full_path.rstrip("?")), code=303)
    session.permanent = True  # the cookie's lifetime restarts with every request
    session[SEEN_KEY] = int(time.time())
    return None


def _safe_next(target: str | None) -> str:
    """Only a path inside the officer workspace, never another site."""
    if target and target.startswith("/officer/") and "//" not in target and "\\" not in target:
        return target
    return url_for("officer.index")


@bp.route("/login", methods=["GET", "POST"])
@limits.sign_in
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
        session.clear()  # no state carried over from before sign-in
        login_user(officer)
        session.permanent = True
        session[SEEN_KEY] = int(time.time())
        return redirect(_safe_next(request.args.get("next")), code=303)
    return render_template("officer/login.html")


@bp.post("/logout")
@roles_required(*ROLES)
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

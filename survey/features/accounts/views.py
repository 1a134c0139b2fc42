"""Officer accounts: sign-in, sign-out, and sessions that end when idle."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from survey.core import limits
from survey.core.access import roles_required
from survey.core.errors import UserError
from survey.core.forms import refuse
from survey.features.accounts import service as officers
from survey.features.accounts.forms import SignInForm
from survey.models import ROLES

bp = Blueprint("accounts", __name__, url_prefix="/officer", template_folder="templates")

SEEN_KEY = "officer_seen"  # when the officer last did something (seconds since the epoch)


@bp.before_app_request
def expire_idle_session():
    """Sign out an officer who was idle longer than PERMANENT_SESSION_LIFETIME."""
    if not request.path.startswith("/officer/"):
        return None
    if not current_user.is_authenticated or "_user_id" not in session:
        return None
    idle = current_app.permanent_session_lifetime.total_seconds()
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int | float) or time.time() - seen > idle:
        logout_user()
        session.pop(SEEN_KEY, None)
        flash(_("Je was een tijd niet actief. Log opnieuw in."))
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")), code=303)
    session.permanent = True  # the cookie's lifetime restarts with every request
    session[SEEN_KEY] = int(time.time())
    return None


def _safe_next(target: str | None) -> str:
    """Only a path inside the officer workspace, never another site."""
    if target and target.startswith("/officer/") and "//" not in target and "\\" not in target:
        return target
    return url_for("builder.index")


def _start_session(officer) -> None:
    session.clear()  # no state carried over from before sign-in
    login_user(officer)
    session.permanent = True
    session[SEEN_KEY] = int(time.time())


def _login_page(form: SignInForm, status: int = 200):
    return render_template("accounts/login.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limits.sign_in
def login():
    """Sign in with e-mail and password."""
    form = SignInForm()
    if not form.validate_on_submit():
        return _login_page(form, 422 if form.is_submitted() else 200)
    try:
        officer = officers.authenticate(form.email.data, form.password.data)
    except UserError as refused:
        refuse(form, refused)
        return _login_page(form, 429 if refused.code == "locked" else 401)
    _start_session(officer)
    return redirect(_safe_next(request.args.get("next")), code=303)


@bp.post("/logout")
@roles_required(*ROLES)
def logout():
    """Sign out."""
    logout_user()
    flash(_("Je bent uitgelogd."))
    return redirect(url_for("accounts.login"), code=303)

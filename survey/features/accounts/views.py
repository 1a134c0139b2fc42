"""Officer accounts: sign-in, sign-out, and server-side sessions that end when idle or old."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from survey.core import limits
from survey.core.access import roles_required
from survey.core.errors import UserError
from survey.core.forms import refuse
from survey.core.htmx import is_htmx, vary
from survey.features.accounts import service as officers
from survey.features.accounts.forms import SignInForm
from survey.models import ROLES

bp = Blueprint("accounts", __name__, url_prefix="/officer", template_folder="templates")

BACKGROUND_HEADER = "X-Background"  # "1" on a poll the officer did not ask for (no activity)


def _lifetimes() -> tuple[timedelta, timedelta]:
    """(idle timeout, absolute lifetime) of an officer session."""
    hours = current_app.config.get("OFFICER_SESSION_MAX_HOURS", 12)
    return current_app.permanent_session_lifetime, timedelta(hours=hours)


def load_officer(token: str):
    """Flask-Login's user loader: the cookie's session id, checked against its record."""
    officer = g.get("session_officer")
    if officer is not None and officer.session_token == token:
        return officer
    return officers.load_session(token, *_lifetimes())


def to_sign_in(code: int = 303):
    """The sign-in page for a full page; for htmx a 401 that sends the browser there."""
    target = url_for("accounts.login", next=request.full_path.rstrip("?"))
    if is_htmx():
        response = make_response(_("Log opnieuw in."), 401)
        response.headers["HX-Redirect"] = target
        return vary(response)
    return redirect(target, code=code)


def sign_in_needed():
    """Flask-Login's unauthorized handler: not signed in (any more)."""
    return to_sign_in(302)


@bp.before_app_request
def check_officer_session():
    """Sign out a session that was ended, idle longer than PERMANENT_SESSION_LIFETIME or older
    than OFFICER_SESSION_MAX_HOURS; background polls (X-Background: 1) are no activity."""
    if not request.path.startswith("/officer/") or "_user_id" not in session:
        return None
    background = request.headers.get(BACKGROUND_HEADER) == "1"
    officer, problem = officers.check_session(session["_user_id"], *_lifetimes(), background)
    if officer is None:
        logout_user()
        session.clear()
        if problem == "idle":
            flash(_("Je was een tijd niet actief. Log opnieuw in."))
        elif problem == "too_old":
            flash(_("Je bent lang ingelogd geweest. Log opnieuw in."))
        if request.endpoint == "accounts.login":
            return None
        return to_sign_in()
    g.session_officer = officer
    session.permanent = True  # the cookie's lifetime restarts with every request
    return None


def _safe_next(target: str | None) -> str:
    """Only a path inside the officer workspace, never another site."""
    if target and target.startswith("/officer/") and "//" not in target and "\\" not in target:
        return target
    return url_for("builder.index")


def _start_session(officer) -> None:
    session.clear()  # no state carried over from before sign-in
    officers.start_session(officer)  # officer.get_id() is now the new record's id
    login_user(officer)
    session.permanent = True


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
        return _login_page(form, 401)
    _start_session(officer)
    return redirect(_safe_next(request.args.get("next")), code=303)


@bp.post("/logout")
@roles_required(*ROLES)
def logout():
    """Sign out: the session record ends, so a copied cookie no longer works."""
    officers.end_session(session.get("_user_id"))
    logout_user()
    session.clear()
    flash(_("Je bent uitgelogd."))
    return redirect(url_for("accounts.login"), code=303)

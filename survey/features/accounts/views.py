"""Officer accounts: sign-in, sign-out, and server-side sessions that end when idle or old."""

from __future__ import annotations

import base64
import time
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
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
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from survey.core import limits
from survey.core.access import add_nav, roles_required
from survey.core.errors import UserError
from survey.core.forms import refuse
from survey.core.htmx import is_htmx, vary
from survey.core.qr import qr_svg
from survey.features.accounts import service as officers
from survey.features.accounts.forms import (
    ROLE_LABELS,
    ActionForm,
    ChangePasswordForm,
    CodeForm,
    InviteForm,
    NewPasswordForm,
    RequireTotpForm,
    RoleForm,
    SignInForm,
)
from survey.models import ROLES

bp = Blueprint("accounts", __name__, url_prefix="/officer", template_folder="templates")
invites_bp = Blueprint("invites", __name__, template_folder="templates")  # the link in the mail

add_nav("accounts.officers", _l("Medewerkers"), 90)
# Pages an officer who must choose a new password can still open.
WHILE_RESETTING = {"accounts.change_password", "accounts.logout", "accounts.login"}
WHILE_SETTING_UP = {"accounts.second_factor", "accounts.logout", "accounts.login", "static"}
PENDING_KEY = "officer_second_step"  # (officer id, when) between password and code
PENDING_SECONDS = 300
SETUP_KEY = "totp_setup"  # the secret being set up, until a code confirms it

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
    # Whoever a previous request in the same app context was (the tests share one) is no one.
    g.pop("_login_user", None)
    g.pop("session_officer", None)
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
    if officer.must_change_password and request.endpoint not in WHILE_RESETTING:
        return redirect(url_for("accounts.change_password"), code=303)
    if request.endpoint not in WHILE_SETTING_UP and officers.must_set_up_totp(officer):
        flash(_("Beheerders gebruiken tweestapsverificatie. Zet het eerst aan."))
        return redirect(url_for("accounts.second_factor"), code=303)
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
    if officer.totp_secret:  # the password was right; the code from the app comes next
        session.clear()
        session[PENDING_KEY] = [officer.id, int(time.time())]
        return redirect(url_for("accounts.login_code", next=request.args.get("next")), code=303)
    return _signed_in(officer)


def _signed_in(officer):
    _start_session(officer)
    if officer.must_change_password:
        flash(_("Kies eerst een nieuw wachtwoord."))
        return redirect(url_for("accounts.change_password"), code=303)
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


@bp.route("/wachtwoord", methods=["GET", "POST"])
@roles_required(*ROLES)
def change_password():
    """Wachtwoord wijzigen: the officer's own password, the current one first."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            record = officers.change_password(current_user, form.current.data, form.password.data)
        except UserError as refused:
            refuse(form, refused)
        else:
            # Every other session ended; this browser goes on in the new one.
            session["_user_id"] = record.id
            flash(_("Je wachtwoord is gewijzigd. Je bent overal anders uitgelogd."))
            return redirect(url_for("builder.index"), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status


def _officers_page(invite_form: InviteForm | None = None, status: int = 200, error=None):
    return render_template(
        "accounts/officers.html",
        officers=officers.list_officers(),
        invites=officers.pending_invites(),
        invite_form=invite_form or InviteForm(formdata=None),
        role_labels=ROLE_LABELS,
        roles=ROLES,
        error=error,
        totp_required=officers.totp_required_for_admins(),
    ), status


@bp.get("/medewerkers", endpoint="officers")
@roles_required("admin")
def officers_index():
    """Medewerkers: every officer with role and status; invite a new one."""
    return _officers_page()


def _officer_or_404(officer_id: int):
    officer = officers.get_officer(officer_id)
    if officer is None:
        abort(404)
    return officer


def _act(form, action):
    """Run an admin's change on another officer; back to the list, or the list with the error."""
    if not form.validate_on_submit():
        return _officers_page(status=422, error=next(iter(form.errors.values()), [""])[0])
    try:
        action()
    except UserError as refused:
        return _officers_page(status=422, error=refused.message)
    flash(_("Opgeslagen."))
    return redirect(url_for("accounts.officers"), code=303)


@bp.post("/medewerkers/tweestaps-verplicht")
@roles_required("admin")
def require_totp():
    """Make a second factor required for admins, or optional again."""
    form = RequireTotpForm()
    return _act(form, lambda: officers.require_totp_for_admins(current_user, form.required.data))


@bp.post("/medewerkers/<int:officer_id>/rol")
@roles_required("admin")
def officer_role(officer_id: int):
    officer = _officer_or_404(officer_id)
    form = RoleForm()
    return _act(form, lambda: officers.set_role(officer, form.role.data, current_user))


@bp.post("/medewerkers/<int:officer_id>/uitschakelen")
@roles_required("admin")
def officer_disable(officer_id: int):
    officer = _officer_or_404(officer_id)
    return _act(ActionForm(), lambda: officers.set_status(officer, False, current_user))


@bp.post("/medewerkers/<int:officer_id>/inschakelen")
@roles_required("admin")
def officer_enable(officer_id: int):
    officer = _officer_or_404(officer_id)
    return _act(ActionForm(), lambda: officers.set_status(officer, True, current_user))


@bp.post("/medewerkers/<int:officer_id>/nieuw-wachtwoord")
@roles_required("admin")
def officer_reset(officer_id: int):
    officer = _officer_or_404(officer_id)
    return _act(ActionForm(), lambda: officers.force_password_reset(officer, current_user))


@bp.post("/medewerkers/uitnodigen")
@roles_required("admin")
def officer_invite():
    form = InviteForm()
    if not form.validate_on_submit():
        return _officers_page(form, 422)
    try:
        officers.invite_officer(form.email.data, form.role.data, current_user)
    except UserError as refused:
        refuse(form, refused)
        return _officers_page(form, 422)
    flash(_("De uitnodiging is verstuurd naar %(email)s.", email=form.email.data))
    return redirect(url_for("accounts.officers"), code=303)


@invites_bp.route("/uitnodiging/<token>", methods=["GET", "POST"], endpoint="accept")
def accept_invite(token: str):
    """The link in an invitation mail: choose a password, once (opening it uses nothing up)."""
    invite = officers.find_invite(token)
    if invite is None:
        message = _("Deze uitnodiging werkt niet meer. Vraag een nieuwe.")
        return render_template("accounts/invite_gone.html", message=message), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            officer = officers.accept_invite(token, form.password.data)
        except UserError as refused:
            if refused.code == "gone":
                return render_template("accounts/invite_gone.html", message=refused.message), 404
            refuse(form, refused)
        else:
            _start_session(officer)
            flash(_("Welkom! Je account is klaar."))
            return redirect(url_for("builder.index"), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/invite.html", form=form, invite=invite), status


@bp.route("/login/code", methods=["GET", "POST"])
@limits.sign_in
def login_code():
    """The second step of signing in, for an officer with a second factor."""
    pending = session.get(PENDING_KEY)
    if not (
        isinstance(pending, list)
        and len(pending) == 2
        and time.time() - pending[1] < PENDING_SECONDS
    ):
        session.pop(PENDING_KEY, None)
        return redirect(url_for("accounts.login", next=request.args.get("next")), code=303)
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/login_code.html", form=form), (
            422 if form.is_submitted() else 200
        )
    try:
        officer = officers.verify_second_factor(pending[0], form.code.data)
    except UserError as refused:
        refuse(form, refused)
        return render_template("accounts/login_code.html", form=form), 401
    return _signed_in(officer)


@bp.route("/tweestaps", methods=["GET", "POST"])
@roles_required(*ROLES)
def second_factor():
    """Tweestapsverificatie: switch the code from an authenticator app on or off."""
    form = CodeForm()
    enabled = bool(current_user.totp_secret)
    secret = None
    if not enabled:
        secret = session.get(SETUP_KEY)
        if not isinstance(secret, str) or not secret:
            secret = session[SETUP_KEY] = officers.new_totp_secret()
    if form.validate_on_submit():
        try:
            if enabled:
                officers.disable_totp(current_user, form.code.data)
                flash(_("Tweestapsverificatie staat uit."))
            else:
                officers.enable_totp(current_user, secret, form.code.data)
                session.pop(SETUP_KEY, None)
                flash(
                    _("Tweestapsverificatie staat aan. Bij inloggen vragen we voortaan een code.")
                )
        except UserError as refused:
            refuse(form, refused)
        else:
            return redirect(url_for("accounts.second_factor"), code=303)
    qr = None
    uri = None
    if secret:
        uri = officers.totp_uri(secret, current_user.email)
        qr = "data:image/svg+xml;base64," + base64.b64encode(qr_svg(uri)).decode()
    status = 422 if form.is_submitted() else 200
    return render_template(
        "accounts/second_factor.html", form=form, enabled=enabled, secret=secret, qr=qr, uri=uri
    ), status


@bp.post("/medewerkers/<int:officer_id>/tweestaps-uit")
@roles_required("admin")
def officer_remove_totp(officer_id: int):
    officer = _officer_or_404(officer_id)
    return _act(ActionForm(), lambda: officers.remove_totp(officer, current_user))

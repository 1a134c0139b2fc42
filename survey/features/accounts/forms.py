"""The sign-in form, and the forms of account management and passwords."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp

from survey.core.forms import Form, strip, too_long
from survey.models import ROLES


class SignInForm(Form):
    email = StringField(
        filters=[strip],
        validators=[
            InputRequired(_l("Vul je e-mailadres in.")),
            Length(max=254, message=too_long(254)),
        ],
    )
    password = PasswordField(
        validators=[
            InputRequired(_l("Vul je wachtwoord in.")),
            Length(max=1024, message=too_long(1024)),
        ]
    )


ROLE_LABELS = {
    "admin": _l("Beheerder"),
    "editor": _l("Redacteur"),
    "analyst": _l("Analist"),
    "coordinator": _l("Coördinator"),
}


def _role_field():
    return SelectField(choices=ROLES, invalid_choice_message=_l("Kies een rol uit de lijst."))


def _new_password():
    return PasswordField(
        validators=[
            InputRequired(_l("Vul een nieuw wachtwoord in.")),
            Length(max=1024, message=too_long(1024)),
        ]
    )


def _repeat():
    return PasswordField(
        validators=[
            InputRequired(_l("Vul het nieuwe wachtwoord nog een keer in.")),
            EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ]
    )


class ActionForm(Form):
    """A button that changes something (only the CSRF token)."""


class RequireTotpForm(Form):
    required = BooleanField(_l("Beheerders moeten tweestapsverificatie gebruiken"))


class RoleForm(Form):
    role = _role_field()


class InviteForm(Form):
    email = StringField(
        filters=[strip],
        validators=[
            InputRequired(_l("Vul een e-mailadres in.")),
            Length(max=254, message=too_long(254)),
            Regexp(
                r"[^@\s]+@[^@\s]+\.[^@\s]+\Z",
                message=_l("Dit e-mailadres klopt niet. Bijvoorbeeld: naam@voorbeeld.nl"),
            ),
        ],
    )
    role = _role_field()


class NewPasswordForm(Form):
    password = _new_password()
    confirm = _repeat()


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        validators=[
            InputRequired(_l("Vul je huidige wachtwoord in.")),
            Length(max=1024, message=too_long(1024)),
        ]
    )


class CodeForm(Form):
    """The six digits from the authenticator app."""

    code = StringField(
        filters=[strip],
        validators=[
            InputRequired(_l("Vul de code uit je app in.")),
            Length(max=20, message=too_long(20)),
        ],
    )

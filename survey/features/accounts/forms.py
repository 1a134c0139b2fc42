"""The sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from survey.core.forms import Form, strip, too_long


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

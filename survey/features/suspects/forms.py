"""The decision on a burst of suspect responses: accept or keep out."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, Length

from survey.core.forms import Form
from survey.features.suspects.service import DECISIONS


class DecisionForm(Form):
    burst = HiddenField(validators=[DataRequired(), Length(max=120)])
    decision = SelectField(
        choices=DECISIONS, invalid_choice_message=_l("Kies meetellen of niet meetellen.")
    )

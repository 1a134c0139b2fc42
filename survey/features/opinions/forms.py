"""The moderation of a resident's statement: approve or reject; confirm or clear the personal
data found in it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from survey.core.forms import Form
from survey.features.opinions.service import REVIEWS
from survey.models import PERSONAL_DATA_DECISIONS


class ReviewForm(Form):
    decision = SelectField(
        choices=REVIEWS, invalid_choice_message=_l("Kies goedkeuren of afwijzen.")
    )


class PersonalDataForm(Form):
    decision = SelectField(
        choices=PERSONAL_DATA_DECISIONS,
        invalid_choice_message=_l("Kies of de persoonsgegevens kloppen."),
    )

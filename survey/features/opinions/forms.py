"""The moderation of a resident's statement: approve or reject."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from survey.core.forms import Form
from survey.features.opinions.service import REVIEWS


class ReviewForm(Form):
    decision = SelectField(
        choices=REVIEWS, invalid_choice_message=_l("Kies goedkeuren of afwijzen.")
    )

"""The moderation of an open answer and the officer's look at personal data found in it.
The paper import uses core.forms.UploadForm."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField

from survey.core.forms import Form
from survey.features.responses.service import MODERATION_STATES
from survey.models import PERSONAL_DATA_DECISIONS


class _ReturningForm(Form):
    next = HiddenField()  # the list to go back to without JavaScript

    def back(self, survey_id: int) -> str | None:
        """The page to go back to, if it is one of this survey's."""
        target = self.next.data or ""
        return target if target.startswith(f"/officer/surveys/{survey_id}/") else None


class ModerationForm(_ReturningForm):
    state = SelectField(
        choices=MODERATION_STATES, invalid_choice_message=_l("Kies wat er met dit antwoord moet.")
    )


class PersonalDataForm(_ReturningForm):
    decision = SelectField(
        choices=PERSONAL_DATA_DECISIONS,
        invalid_choice_message=_l("Kies of de persoonsgegevens kloppen."),
    )


class EraseForm(Form):
    """The confirmation of an erasure; `next` is the list to go back to."""

    next = HiddenField()

    def back(self, survey_id: int) -> str | None:
        target = self.next.data or ""
        return target if target.startswith(f"/officer/surveys/{survey_id}/") else None

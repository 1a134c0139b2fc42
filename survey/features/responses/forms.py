"""The moderation of an open answer and the officer's look at personal data found in it.
The paper import uses core.forms.UploadForm."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from survey.core.database import MAX_ID
from survey.core.forms import Form, strip, too_long
from survey.features.responses.service import MODERATION_STATES
from survey.features.responses.themes import FLAGS
from survey.models import PERSONAL_DATA_DECISIONS, THEME_NAME_MAX
from survey.profiling.themes import MAX_K, MIN_K


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


class ThemeNameForm(Form):
    name = StringField(
        filters=[strip],
        validators=[
            DataRequired(_l("Geef het thema een naam.")),
            Length(max=THEME_NAME_MAX, message=too_long(THEME_NAME_MAX)),
        ],
    )


class ThemeFlagForm(Form):
    flag = SelectField(choices=FLAGS, invalid_choice_message=_l("Kies wat er met dit thema moet."))


MERGE_MESSAGE = _l("Kies een thema om mee samen te voegen.")


class ThemeMergeForm(Form):
    into = IntegerField(
        validators=[
            InputRequired(MERGE_MESSAGE),
            NumberRange(min=1, max=MAX_ID, message=MERGE_MESSAGE),
        ],
        invalid_value_message=MERGE_MESSAGE,
    )


K_MESSAGE = _l("Kies een aantal thema's van %(low)s tot en met %(high)s.", low=MIN_K, high=MAX_K)


class ThemeCountForm(Form):
    """The number of themes of an open question; empty: let the computer choose."""

    k = IntegerField(
        validators=[Optional(), NumberRange(min=MIN_K, max=MAX_K, message=K_MESSAGE)],
        invalid_value_message=K_MESSAGE,
    )

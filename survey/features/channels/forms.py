"""The form of a channel: its name, kind, area, cap and print language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from survey.core.forms import Form, prefilled, record_id, strip
from survey.models import CHANNEL_KINDS

CAP_MESSAGE = _l("Vul een getal in van 1 tot en met 2000, of laat het leeg.")


class ChannelForm(Form):
    label = StringField(
        filters=[strip],
        validators=[
            DataRequired(_l("Geef het toegangspunt een naam, bijvoorbeeld 'Poster bibliotheek'.")),
            Length(max=120, message=_l("De naam is te lang. Gebruik maximaal 120 tekens.")),
        ],
    )
    kind = SelectField(
        choices=CHANNEL_KINDS,
        default="poster",
        invalid_choice_message=_l("Kies een soort toegangspunt uit de lijst."),
    )
    area = record_id(_l("Kies een gebied uit de lijst."))
    # A school or event channel: how many responses from one address a day count.
    daily_cap = IntegerField(
        validators=[Optional(), NumberRange(1, 2000, CAP_MESSAGE)],
        invalid_value_message=CAP_MESSAGE,
    )

    # The language its poster and flyer are printed in; the service checks the survey has it.
    lang = StringField(filters=[strip], validators=[Optional(), Length(max=5)])

    @classmethod
    def of(cls, channel) -> ChannelForm:
        """The form with what was posted, else the channel as it is."""
        data = {
            "label": channel.label,
            "kind": channel.kind,
            "area": channel.area_id,
            "daily_cap": channel.daily_cap,
            "lang": channel.lang or "",
        }
        return prefilled(cls, data)

    def values(self) -> dict:
        return {
            "label": self.label.data,
            "kind": self.kind.data,
            "area_id": self.area.data,
            "daily_cap": self.daily_cap.data,
            "lang": self.lang.data or None,
        }

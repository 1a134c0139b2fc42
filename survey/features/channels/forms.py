"""The form of a channel: its name, kind and area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from survey.core.forms import Form, prefilled, record_id, strip
from survey.models import CHANNEL_KINDS


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

    @classmethod
    def of(cls, channel) -> ChannelForm:
        """The form with what was posted, else the channel as it is."""
        data = {"label": channel.label, "kind": channel.kind, "area": channel.area_id}
        return prefilled(cls, data)

    def values(self) -> dict:
        return {"label": self.label.data, "kind": self.kind.data, "area_id": self.area.data}

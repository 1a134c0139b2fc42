"""The forms of an area: add one, edit one, read its CBS figures. The area CSV import uses
core.forms.UploadForm."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from survey.core.forms import Form, UploadForm, prefilled, record_id, strip, too_long
from survey.features.areas.figures import YEARS
from survey.models import LEVELS


class AreaForm(Form):
    """Name, CBS code and postcodes; the code's shape and the postcodes are checked by the
    service, with the same rules as the CSV import."""

    name = StringField(
        filters=[strip],
        validators=[
            DataRequired(_l("Geef het gebied een naam.")),
            Length(max=120, message=too_long(120)),
        ],
    )
    cbs_code = StringField(
        filters=[strip, str.upper], validators=[Length(max=12, message=too_long(12))]
    )
    postcodes = StringField(filters=[strip], validators=[Length(max=2000, message=too_long(2000))])

    @classmethod
    def of(cls, area) -> AreaForm:
        """The form with what was posted, else the area as it is."""
        postcodes = " ".join(area.postcodes or [])
        return prefilled(
            cls, {"name": area.name, "cbs_code": area.cbs_code, "postcodes": postcodes}
        )

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "code": self.cbs_code.data,
            "postcodes": self.postcodes.data,
        }


class NewAreaForm(AreaForm):
    level = SelectField(
        choices=LEVELS, default="buurt", invalid_choice_message=_l("Kies gemeente, wijk of buurt.")
    )
    parent_id = record_id(_l("Kies onder welk gebied dit gebied valt."))

    def values(self) -> dict:
        return {**super().values(), "level": self.level.data, "parent_id": self.parent_id.data}


class FiguresForm(UploadForm):
    """A CBS "Kerncijfers wijken en buurten" CSV, and the year of its figures when the file
    has no Perioden column (a table of the open data portal holds one year, named in its title)."""

    year = IntegerField(
        validators=[
            Optional(),
            NumberRange(min=min(YEARS), max=max(YEARS), message=_l("Vul een jaar in, zoals 2024.")),
        ],
        invalid_value_message=_l("Vul een jaar in, zoals 2024."),
    )


class BoundariesForm(Form):
    """A GeoJSON file of buurt and wijk boundaries (the CBS wijk- en buurtkaart)."""

    file = FileField(validators=[FileRequired(_l("Kies eerst een GeoJSON-bestand."))])

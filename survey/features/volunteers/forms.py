"""The volunteer's form (the offer to help, their own page) and the coordinator's change."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from survey.core.forms import Form, KnownChoices, prefilled, strip
from survey.features.volunteers.service import AVAILABILITY, MAX_NOTE, Details
from survey.models import VOLUNTEER_STATUSES

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[0-9 ()\-]{8,25}")
NAME = _l("Vul je naam in (hoogstens 120 tekens).")


class VolunteerForm(Form):
    name = StringField(
        filters=[strip], validators=[DataRequired(NAME), Length(max=120, message=NAME)]
    )
    email = StringField(filters=[strip, str.lower])
    phone = StringField(filters=[strip])
    buurt = StringField(filters=[strip])  # a CBS code; the service finds the buurt
    themes = KnownChoices()  # a theme the survey no longer has is dropped
    availability = SelectField(
        choices=["", *AVAILABILITY],
        default="",
        filters=[lambda value: value or ""],
        invalid_choice_message=_l("Kies hoeveel tijd je hebt."),
    )
    note = TextAreaField(
        filters=[strip],
        validators=[
            Length(max=MAX_NOTE, message=_l("Je opmerking is te lang (hoogstens 1000 tekens)."))
        ],
    )

    def __init__(self, survey, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes.choices = list(survey.themes or [])

    @classmethod
    def of(cls, volunteer) -> VolunteerForm:
        """The form with what was posted, else the volunteer's details as stored."""
        data = {
            "name": volunteer.name,
            "email": volunteer.email or "",
            "phone": volunteer.phone or "",
            "buurt": volunteer.area.cbs_code if volunteer.area else "",
            "themes": list(volunteer.themes or []),
            "availability": volunteer.availability,
            "note": volunteer.note,
        }
        return prefilled(cls, data, survey=volunteer.survey)

    def validate_email(self, field) -> None:
        if field.data and (len(field.data) > 254 or not EMAIL.fullmatch(field.data)):
            raise ValidationError(_l("Dit e-mailadres klopt niet. Bijvoorbeeld: naam@voorbeeld.nl"))
        if not field.data and not self.phone.data:
            raise ValidationError(_l("Vul een e-mailadres of een telefoonnummer in."))

    def validate_phone(self, field) -> None:
        if field.data and not PHONE.fullmatch(field.data):
            raise ValidationError(_l("Dit telefoonnummer klopt niet. Bijvoorbeeld: 06 12345678"))

    def details(self) -> Details:
        names = ("name", "email", "phone", "themes", "availability", "note", "buurt")
        consent = "consent" in self._fields and bool(self["consent"].data)
        return Details(**{name: self[name].data for name in names}, consent=consent)


class NewVolunteerForm(VolunteerForm):
    """The offer to help: the same details, and the consent to keep them."""

    consent = BooleanField(
        validators=[
            DataRequired(_l("Zet een vinkje als je het goed vindt dat we je gegevens bewaren."))
        ],
    )


class CoordinatorForm(Form):
    status = SelectField(
        choices=VOLUNTEER_STATUSES, invalid_choice_message=_l("Kies een geldige status.")
    )
    notes = TextAreaField(
        filters=[lambda value: value or ""],
        validators=[Length(max=5000, message=_l("De notitie is te lang (hoogstens 5000 tekens)."))],
    )

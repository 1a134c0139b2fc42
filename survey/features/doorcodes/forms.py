"""The forms of the door codes page: how many codes to make, and whether to ask for one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from survey.core.forms import Form
from survey.features.doorcodes.service import MAX_PER_BATCH


class MakeCodesForm(Form):
    count = IntegerField(
        _l("Aantal codes (één per huishouden)"),
        validators=[
            InputRequired(_l("Vul in hoeveel codes je wilt maken.")),
            NumberRange(
                1,
                MAX_PER_BATCH,
                _l("Kies een aantal van 1 tot en met %(max)s.", max=MAX_PER_BATCH),
            ),
        ],
    )


class RequireForm(Form):
    required = BooleanField(_l("Vraag een deurcode voordat iemand begint"))

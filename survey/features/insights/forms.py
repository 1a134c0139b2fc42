"""The form of an officer's note on an area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from survey.core.forms import Form, strip

MAX_NOTE = 2000


class NoteForm(Form):
    text = TextAreaField(
        filters=[strip],
        validators=[
            DataRequired(_l("Schrijf eerst een notitie.")),
            Length(max=MAX_NOTE, message=_l("Een notitie mag hoogstens 2000 tekens zijn.")),
        ],
    )

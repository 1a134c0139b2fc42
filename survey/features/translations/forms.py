"""The upload of a translated PO file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from survey.core.forms import Form


class PoUploadForm(Form):
    """One PO file with the translations of one language."""

    file = FileField(validators=[FileRequired(_l("Kies eerst een PO-bestand."))])

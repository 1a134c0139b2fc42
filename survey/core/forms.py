"""Officer forms: Flask-WTF forms with Dutch messages, and the one place where a service's
UserError is put on the form field it is about."""

from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from flask_wtf.form import SUBMIT_METHODS
from wtforms import IntegerField, SelectMultipleField
from wtforms.validators import NumberRange, Optional

from survey.core.database import MAX_ID
from survey.core.errors import UserError

# NUL and other control characters (tab and newlines are text): PostgreSQL refuses NUL, and
# nobody means to type the others.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNREADABLE = _l("Hier staat een teken dat we niet kunnen bewaren. Typ de tekst opnieuw.")


def strip(value: str | None) -> str:
    """A text field's filter: no spaces around it, and "" when the field was not sent."""
    return (value or "").strip()


def too_long(limit: int):
    return _l("Dit is te lang. Gebruik hoogstens %(n)s tekens.", n=limit)


class Form(FlaskForm):
    """Every officer form: CSRF as set for the app, and no text with control characters."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            values = field.data if isinstance(field.data, list) else [field.data]
            if any(isinstance(v, str) and CONTROL.search(v) for v in values):
                field.errors = [*field.errors, UNREADABLE]
                valid = False
        return valid


class UploadForm(Form):
    """One CSV file to read in (areas, paper forms)."""

    file = FileField(validators=[FileRequired(_l("Kies eerst een CSV-bestand."))])


def record_id(message, **kwargs) -> IntegerField:
    """A choice of a stored record by its id (may be empty); the service checks it exists."""
    check = NumberRange(min=1, max=MAX_ID, message=message)  # beyond: no database integer
    return IntegerField(validators=[Optional(), check], invalid_value_message=message, **kwargs)


class KnownChoices(SelectMultipleField):
    """Checkboxes whose values outside the choices are dropped, not refused (a stale page)."""

    def pre_validate(self, form) -> None:
        known = {str(c if isinstance(c, str) else c[0]) for c in self.choices or []}
        self.data = [value for value in self.data or [] if value in known]


def prefilled(form_class, data: dict, **kwargs):
    """A form with what was posted, or (on GET) with `data`, the values stored now."""
    if request.method in SUBMIT_METHODS:
        return form_class(**kwargs)
    return form_class(data=data, **kwargs)


def refuse(form, error: UserError) -> None:
    """Put a service's UserError on its field of the form, or on the form when it names none."""
    field = form._fields.get(error.field) if error.field else None
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = [*field.errors, error.message]


def messages(form) -> dict[str, str]:
    """The first message per field, and the form's own under "form"."""
    found = {name: str(field.errors[0]) for name, field in form._fields.items() if field.errors}
    if form.form_errors:
        found["form"] = " ".join(str(m) for m in form.form_errors)
    return found


def summary(form) -> str:
    """All messages of the form in one line, for a page that shows them above a small form."""
    found = [str(m) for m in form.form_errors]
    found += [str(m) for field in form for m in field.errors]
    return " ".join(found)

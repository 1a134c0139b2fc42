"""The form of an update: what we heard, what we do and what not (in Dutch and, optionally, in
the survey's other languages), its area and themes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from survey.config import LANGUAGES
from survey.core.forms import Form, KnownChoices, prefilled, record_id, strip
from survey.models import UPDATE_STATUSES

MAX_TEXT = 4000
TOO_LONG = _l("Deze tekst is te lang (hoogstens 4000 tekens).")
TEXTS = ("heard", "doing", "not_doing")
OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != "nl"]


def _text(*validators) -> TextAreaField:
    return TextAreaField(
        filters=[strip], validators=[*validators, Length(max=MAX_TEXT, message=TOO_LONG)]
    )


class UpdateForm(Form):
    update_id = record_id(_l("Deze terugkoppeling bestaat niet."))
    status = SelectField(
        choices=UPDATE_STATUSES, default="gehoord", invalid_choice_message=_l("Kies een status.")
    )
    heard = _text(DataRequired(_l("Schrijf op wat jullie hoorden.")))
    doing = _text()
    not_doing = _text()
    area_id = record_id(_l("Kies een gebied uit de lijst."))
    themes = KnownChoices()  # a theme the survey no longer has is dropped
    publish = HiddenField()  # "1": publish at once

    def __init__(self, survey, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes.choices = list(survey.themes or [])
        self.languages = [lang for lang in OTHER_LANGUAGES if lang in (survey.languages or [])]

    @classmethod
    def of(cls, survey, update=None) -> UpdateForm:
        """The form with what was posted, else the update being edited (or a new one)."""
        names = ("status", "heard", "doing", "not_doing", "area_id", "themes")
        data = {name: getattr(update, name) for name in names} if update else {}
        for lang, texts in ((update.translations or {}) if update else {}).items():
            data.update({f"{name}_{lang}": text for name, text in texts.items()})
        return prefilled(cls, data, survey=survey)

    def validate_not_doing(self, field) -> None:
        if self.status.data == "niet" and not field.data:
            raise ValidationError(_l("Leg uit waarom jullie dit niet doen."))

    def values(self) -> dict:
        names = ("status", "heard", "doing", "not_doing", "area_id", "themes")
        texts = {
            lang: {name: self[f"{name}_{lang}"].data for name in TEXTS} for lang in self.languages
        }
        translations = {lang: {k: v for k, v in t.items() if v} for lang, t in texts.items()}
        return {
            **{name: self[name].data for name in names},
            "translations": {lang: t for lang, t in translations.items() if t},
        }


for _lang in OTHER_LANGUAGES:  # optional heard / doing / not_doing per other language
    for _name in TEXTS:
        setattr(UpdateForm, f"{_name}_{_lang}", _text())
del _lang, _name

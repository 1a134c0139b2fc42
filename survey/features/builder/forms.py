"""The builder's forms: a new survey, its settings (texts per language), a new question.

The edit form of a question, with its option rows that come and go, keeps its own reader
(questions.read_draft): a WTForms form would have to be rebuilt for every row action.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from survey.config import LANGUAGES
from survey.core.forms import Form, KnownChoices, prefilled, record_id, strip, too_long
from survey.models import LAYERS, QUESTION_TYPES

TEMPLATE = "template:"  # a start value "template:<key>" starts from a shipped template
MAX_TEXT = 4000


class NewSurveyForm(Form):
    start = RadioField(
        default="needs",
        filters=[lambda value: value or "needs"],
        invalid_choice_message=_l("Kies een soort peiling."),
    )
    title = StringField(filters=[strip], validators=[Length(max=200, message=too_long(200))])
    module = RadioField(
        default="",
        choices=["", "full", "short", "none"],
        invalid_choice_message=_l("Kies de volledige module, de korte module of geen module."),
    )

    def __init__(self, templates: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.start.choices = ["needs", "swipe", *(TEMPLATE + t["key"] for t in templates)]

    def validate_title(self, field) -> None:
        if not field.data and not (self.start.data or "").startswith(TEMPLATE):
            raise ValidationError(_l("Geef de peiling een titel."))

    def values(self) -> dict:
        start = self.start.data
        template = start.removeprefix(TEMPLATE) if start.startswith(TEMPLATE) else ""
        return {
            "title": self.title.data,
            "kind": start,
            "template": template,
            "module": self.module.data,
        }


class ModuleForm(Form):
    """Add the engagement module to a survey: the full one or the short one."""

    variant = RadioField(
        choices=["full", "short"],
        invalid_choice_message=_l("Kies de volledige module of de korte module."),
    )

    def values(self) -> dict:
        return {"short": self.variant.data == "short"}


def _date(label) -> DateField:
    message = _l("%(label)s is geen geldige datum.", label=label)
    return DateField(validators=[Optional()], invalid_value_message=message)


def _term(label) -> IntegerField:
    """A survey's own retention term in days: empty for the municipality's, 0 for at once."""
    return IntegerField(
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("%(label)s is 0 of meer dagen.", label=label)),
        ],
        invalid_value_message=_l("%(label)s is een heel aantal dagen.", label=label),
    )


def _not_longer(field, setting: str) -> None:
    """A survey may keep personal data shorter than the municipality, never longer."""
    limit = current_app.config[setting]
    if field.data is not None and field.data > limit:
        raise ValidationError(
            _l(
                "Deze peiling mag gegevens niet langer bewaren dan de gemeente: kies hoogstens "
                "%(days)s dagen, of laat het veld leeg.",
                days=limit,
            )
        )


class SettingsForm(Form):
    """Languages, texts per language (title_nl, intro_nl, expectations_nl, ...), the rest."""

    languages = KnownChoices(choices=LANGUAGES)
    organisation = StringField(filters=[strip], validators=[Length(max=120, message=too_long(120))])
    themes = StringField(filters=[strip], validators=[Length(max=1000, message=too_long(1000))])
    min_group_size = IntegerField(
        validators=[NumberRange(5, 1000, _l("De minimale groepsgrootte ligt tussen 5 en 1000."))],
        invalid_value_message=_l("De minimale groepsgrootte is een heel getal."),
    )
    opens_at = _date(_l("De startdatum"))
    closes_at = _date(_l("De einddatum"))
    area_id = record_id(_l("Dit gebied bestaat niet."))
    volunteer_retention_days = _term(_l("De bewaartermijn voor vrijwilligers"))
    open_text_retention_days = _term(_l("De bewaartermijn voor open antwoorden"))

    @classmethod
    def of(cls, survey) -> SettingsForm:
        """The form with what was posted, else the survey's settings as they are."""
        data = {
            "languages": list(survey.languages),
            "organisation": survey.organisation,
            "themes": ", ".join(survey.themes or []),
            "min_group_size": survey.min_group_size,
            "opens_at": survey.opens_at.date() if survey.opens_at else None,
            "closes_at": survey.closes_at.date() if survey.closes_at else None,
            "area_id": survey.area_id,
            "volunteer_retention_days": survey.volunteer_retention_days,
            "open_text_retention_days": survey.open_text_retention_days,
        }
        for prefix in ("title", "intro", "expectations"):
            for lang, text in (getattr(survey, prefix) or {}).items():
                data[f"{prefix}_{lang}"] = text
        return prefilled(cls, data)

    def validate_languages(self, field) -> None:
        if "nl" not in field.data:
            raise ValidationError(_l("Nederlands moet altijd een van de talen zijn."))

    def validate_title_nl(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Geef de peiling een Nederlandse titel."))

    def validate_closes_at(self, field) -> None:
        if self.opens_at.data and field.data and field.data < self.opens_at.data:
            raise ValidationError(_l("De einddatum ligt voor de startdatum."))

    def validate_volunteer_retention_days(self, field) -> None:
        _not_longer(field, "VOLUNTEER_RETENTION_DAYS")

    def validate_open_text_retention_days(self, field) -> None:
        _not_longer(field, "OPEN_TEXT_RETENTION_DAYS")

    def values(self) -> dict:
        languages = [lang for lang in LANGUAGES if lang in self.languages.data]
        texts = {
            prefix: {lang: self[f"{prefix}_{lang}"].data for lang in languages}
            for prefix in ("title", "intro", "expectations")
        }
        names = (
            "organisation",
            "themes",
            "min_group_size",
            "opens_at",
            "closes_at",
            "area_id",
            "volunteer_retention_days",
            "open_text_retention_days",
        )
        return {
            "languages": languages,
            **{prefix: {k: v for k, v in t.items() if v} for prefix, t in texts.items()},
            **{name: self[name].data for name in names},
        }


for _lang in LANGUAGES:  # one title, intro and expectations field per language
    setattr(
        SettingsForm,
        f"title_{_lang}",
        StringField(filters=[strip], validators=[Length(max=200, message=too_long(200))]),
    )
    for _prefix in ("intro", "expectations"):
        setattr(
            SettingsForm,
            f"{_prefix}_{_lang}",
            TextAreaField(
                filters=[strip], validators=[Length(max=MAX_TEXT, message=too_long(MAX_TEXT))]
            ),
        )
del _lang, _prefix


class NewQuestionForm(Form):
    type = SelectField(choices=QUESTION_TYPES, invalid_choice_message=_l("Kies een soort vraag."))
    text = StringField(
        filters=[strip],
        validators=[
            DataRequired(_l("Schrijf de vraag op.")),
            Length(max=500, message=too_long(500)),
        ],
    )
    layer = SelectField(
        choices=LAYERS,
        default="core",
        invalid_choice_message=_l("Kies een laag: kern of verdieping."),
    )

    def values(self) -> dict:
        return {"qtype": self.type.data, "text": self.text.data, "layer": self.layer.data}

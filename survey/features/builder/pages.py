"""What the builder's pages share: labels, the template context, and the page-or-fragment reply."""

from __future__ import annotations

from flask import make_response, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from survey.core import htmx
from survey.core.i18n import current_lang, text_direction
from survey.features.answering import service as answering
from survey.features.builder import engagement, plain
from survey.features.builder import questions as editing
from survey.features.builder import service as builder
from survey.models import Survey

TYPE_LABELS = {
    "single": _l("Eén keuze"),
    "multiple": _l("Meer keuzes"),
    "scale": _l("Schaal"),
    "text": _l("Open vraag"),
    "number": _l("Getal"),
    "yesno": _l("Ja of nee"),
    "ranking": _l("Volgorde"),
    "area": _l("Buurt of postcode"),
    "statement": _l("Stelling (swipe)"),
}
SETTING_LABELS = {
    "max": _l("Maximum"),
    "min": _l("Minimum"),
    "maxlength": _l("Maximaal aantal tekens"),
    "pick": _l("Aantal keuzes"),
}


def template_context() -> dict:
    """What every builder template may use."""
    return {
        "type_labels": TYPE_LABELS,
        "setting_labels": SETTING_LABELS,
        "option_types": builder.OPTION_TYPES,
        "condition_choices": builder.condition_choices,
        "condition_values": builder.condition_values,
        "editable_settings": builder.SETTINGS,
        "question_checks": plain.question_checks,
        "survey_checks": plain.survey_checks,
        "plain_points": plain.open_points,
    }


def builder_context(survey: Survey, **extra) -> dict:
    total, completed = builder.response_count(survey)
    questions = sorted(survey.questions, key=builder.order_key)
    current = extra.pop("current", None) or (questions[0] if questions else None)
    context = {
        "survey": survey,
        "questions": questions,
        "answers": editing.answer_counts(survey),
        "responses": total,
        "completed": completed,
        "types": editing.allowed_types(survey),
        "current": current,
        "buurten": answering.buurten(survey),
        "module_missing": survey.kind == "needs" and not engagement.has_module(survey),
        "preview_lang": preview_language(survey),
        **extra,
    }
    context["preview_html"] = phone_preview(context)
    return context


def preview_language(survey: Survey) -> str:
    """The language the phone preview shows: ?preview_lang= when the survey offers it."""
    asked = request.values.get("preview_lang", "")
    return asked if asked in (survey.languages or []) else current_lang()


def phone_preview(context: dict, oob: bool = False) -> str:
    """The phone preview as a resident who chose the preview's language sees it."""
    lang = context.get("preview_lang") or preview_language(context["survey"])
    with force_locale(lang):
        shown = {**context, "oob": oob, "lang": lang, "dir": text_direction(lang)}
        return render_template("builder/_question_preview.html", **shown)


def page_or_fragment(
    survey, fragment: str, status: int = 200, anchor: str = "", stay: bool = False, **context
):
    """htmx gets the fragment; a plain form POST goes back to the builder (303) or shows it."""
    if htmx.is_htmx():
        follow = "current" in context  # the phone preview follows the question worked on
        context = builder_context(survey, **context)
        body = render_template(fragment, **context)
        if follow:
            body += phone_preview(context, oob=True)
        return htmx.vary(make_response(body, status))
    if status < 400 and not stay:
        return htmx.see_other(url_for("builder.show", survey_id=survey.id) + anchor)
    page = render_template("builder/builder.html", **builder_context(survey, **context))
    return htmx.vary(make_response(page, status))

"""Vertalingen: per offered language how complete it is, the PO file to download, and the
upload of a translated one with its report."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core.access import add_survey_tab, roles_required
from survey.core.errors import UserError
from survey.core.forms import refuse
from survey.extensions import db
from survey.features.translations import service as translating
from survey.features.translations.forms import PoUploadForm
from survey.models import Survey

bp = Blueprint("translations", __name__, url_prefix="/officer", template_folder="templates")
EDITORS = ("editor",)

add_survey_tab("translations.index", _l("Vertalingen"), 27)


def _page(survey: Survey, status: int = 200, **context):
    context.setdefault("form", PoUploadForm(formdata=None))
    body = render_template(
        "translations/translations.html",
        survey=survey,
        rows=translating.overview(survey),
        **context,
    )
    return body, status


def _offered(survey_id: int, lang: str) -> Survey:
    survey = db.get_or_404(Survey, survey_id)
    if lang == translating.SOURCE or lang not in (survey.languages or []):
        abort(404)
    return survey


@bp.get("/surveys/<int:survey_id>/translations")
@roles_required(*EDITORS)
def index(survey_id: int):
    """How complete each offered language is, with a download and an upload per language."""
    return _page(db.get_or_404(Survey, survey_id))


@bp.get("/surveys/<int:survey_id>/translations/<lang>.po")
@roles_required(*EDITORS)
def download(survey_id: int, lang: str):
    """The survey's texts for one language as a PO file."""
    survey = _offered(survey_id, lang)
    name = f"{survey.slug}-{lang}.po"
    return Response(
        translating.export_po(survey, lang),
        mimetype="text/x-gettext-translation",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/surveys/<int:survey_id>/translations/<lang>")
@roles_required(*EDITORS)
def upload(survey_id: int, lang: str):
    """Read a translated PO file; show what was read and, by line number, what was not."""
    survey = _offered(survey_id, lang)
    form = PoUploadForm()
    report = None
    if form.validate():
        try:
            report = translating.import_po(current_user, survey, lang, form.file.data.read())
        except UserError as exc:
            refuse(form, exc)
    if form.errors or report is None:
        return _page(survey, 422, form=form, failed=lang)
    return _page(survey, 422 if report.errors else 200, report=report)

"""Inzichten: profile mixes per area and channel, gaps, advice, notes, and a printable report."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.core.access import add_survey_tab, roles_required
from survey.core.errors import UserError
from survey.core.forms import refuse, summary
from survey.core.i18n import current_lang, printout, printout_language
from survey.extensions import db
from survey.features.insights import maps as insights_maps
from survey.features.insights import pdf as insights_pdf
from survey.features.insights import report as insights_report
from survey.features.insights import service as insights
from survey.features.insights.forms import NoteForm
from survey.models import Survey

bp = Blueprint("insights", __name__, url_prefix="/officer", template_folder="templates")
ANALYSTS = ("analyst", "editor")

add_survey_tab("insights.show", _l("Inzichten"), 60)
ITEM_LABELS = {
    "attachment": _l("Voelt zich verbonden met de buurt"),
    "local_network": _l("Familie of vrienden dichtbij"),
    "trust": _l("Vertrouwt de gemeente"),
    "heard": _l("Er gebeurt iets met mijn mening"),
    "knows_way": _l("Weet de weg bij de gemeente"),
    "think_along": _l("Denkt graag mee"),
    "hands_on": _l("Helpt graag zelf mee"),
    "influence": _l("Gewenste invloed (0 tot 5)"),
    "time": _l("Tijd per maand (0 tot 3)"),
    "online": _l("Kanaal: website of e-mail"),
    "social": _l("Kanaal: sociale media"),
    "print": _l("Kanaal: brief, krant of poster"),
    "in_person": _l("Kanaal: persoonlijk"),
}
LEVEL_LABELS = {
    "gemeente": _l("gemeente"),
    "wijk": _l("wijk"),
    "buurt": _l("buurt"),
    "peiling": _l("hele peiling"),
}


def _report(survey: Survey, lang: str | None = None) -> tuple[dict | None, str | None]:
    try:
        return insights_report.build_report(survey, lang or current_lang()), None
    except UserError as exc:
        return None, str(exc)


@bp.get("/surveys/<int:survey_id>/insights")
@roles_required(*ANALYSTS)
def show(survey_id: int):
    """Which kinds of residents each area has, which were reached, and what reaches the rest."""
    survey = db.get_or_404(Survey, survey_id)
    report, problem = _report(survey)
    area_ids = [a["id"] for a in report["areas"] if a["id"]] if report else []
    return render_template(
        "insights/insights.html",
        survey=survey,
        report=report,
        problem=problem,
        notes=insights.notes_by_area(area_ids),
        gap_map=insights_maps.gap_map(report) if report else None,
        item_labels=ITEM_LABELS,
        level_labels=LEVEL_LABELS,
        stability_explained=insights_report.stability_note(),
        mix_chart=insights_report.mix_chart,
    )


@bp.post("/surveys/<int:survey_id>/insights/fit")
@roles_required(*ANALYSTS)
def fit(survey_id: int):
    """Fit the model again on all responses so far."""
    survey = db.get_or_404(Survey, survey_id)
    try:
        stored = insights.fit_model([survey], current_user)
        flash(
            _(
                "Model versie %(v)s is klaar, gemaakt met %(n)s reacties.",
                v=stored.version,
                n=stored.n,
            )
        )
    except UserError as exc:
        flash(str(exc))
    return redirect(url_for("insights.show", survey_id=survey.id), code=303)


@bp.post("/surveys/<int:survey_id>/insights/areas/<int:area_id>/notes")
@roles_required(*ANALYSTS)
def add_note(survey_id: int, area_id: int):
    """Add the officer's own knowledge of an area beside the figures."""
    survey = db.get_or_404(Survey, survey_id)
    form = NoteForm()
    if form.validate():
        try:
            insights.add_note(area_id, current_user, form.text.data)
            flash(_("Je notitie is bewaard."))
        except UserError as exc:
            refuse(form, exc)
    if form.errors:
        flash(summary(form))  # shown on the page after the redirect, as before
    target = url_for("insights.show", survey_id=survey.id, _anchor=f"gebied-{area_id}")
    return redirect(target, code=303)


@bp.get("/surveys/<int:survey_id>/insights/areas/<area>.pdf")
@printout
@roles_required(*ANALYSTS)
def area_pdf(survey_id: int, area: str):
    """A printable report of one area, for a workshop; in ?lang=, one of the survey's."""
    survey = db.get_or_404(Survey, survey_id)
    lang = printout_language(survey.languages)
    with force_locale(lang):
        return _area_pdf(survey, area, lang)


def _area_pdf(survey: Survey, area: str, lang: str):
    report, problem = _report(survey, lang)
    row = (
        next((a for a in report["areas"] if str(a["id"] or "all") == area), None)
        if report
        else None
    )
    if row is None:
        abort(404)
    notes = insights.notes_by_area([row["id"]]).get(row["id"], []) if row["id"] else []
    pdf = insights_pdf.area_report(survey, report, row, notes, lang)
    name = f"inzichten-{row['area']}.pdf".replace(" ", "-")
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f"inline; filename={name}"}
    )

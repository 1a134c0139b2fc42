"""Verdachte reacties: the review of responses over the daily cap or in a burst."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from survey.core import htmx
from survey.core.access import add_survey_tab, roles_required
from survey.extensions import db
from survey.features.suspects import service as suspects
from survey.features.suspects.forms import DecisionForm
from survey.models import Survey

bp = Blueprint("suspects", __name__, url_prefix="/officer", template_folder="templates")

add_survey_tab("suspects.show", _l("Verdachte reacties"), 45)


@bp.get("/surveys/<int:survey_id>/verdacht")
@roles_required("analyst")
def show(survey_id: int):
    """Suspect responses by burst: when, through which channel, how many, how alike."""
    survey = db.get_or_404(Survey, survey_id)
    return render_template("suspects/show.html", survey=survey, bursts=suspects.bursts(survey))


@bp.post("/surveys/<int:survey_id>/verdacht")
@roles_required("analyst")
def decide(survey_id: int):
    """Accept a burst (it counts from now on) or keep it out of the figures."""
    survey = db.get_or_404(Survey, survey_id)
    form = DecisionForm()
    if not form.validate():
        abort(400)  # only the two buttons send a decision
    count = suspects.decide_burst(survey, current_user, form.burst.data, form.decision.data)
    if form.decision.data == "accept":
        flash(ngettext("%(num)s reactie telt nu mee.", "%(num)s reacties tellen nu mee.", count))
    else:
        flash(_("Deze reacties tellen niet mee."))
    return htmx.see_other(url_for("suspects.show", survey_id=survey.id))

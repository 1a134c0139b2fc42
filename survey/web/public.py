"""Public pages: results and updates per survey, the privacy statement."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from survey.services import answering
from survey.services.results import survey_summary

bp = Blueprint("public", __name__)


@bp.get("/r/<code>")
def results(code: str):
    """Aggregated results of a survey, small groups hidden."""
    channel = answering.find_channel(code)
    if channel is None or channel.survey.status == "draft":
        abort(404)
    summary = survey_summary(channel.survey)
    return render_template(
        "public/results.html", channel=channel, survey=channel.survey, summary=summary
    )


@bp.get("/privacy")
def privacy():
    """The full privacy statement."""
    return render_template("public/privacy.html")

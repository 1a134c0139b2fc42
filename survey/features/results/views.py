"""Public results of a survey, small groups hidden, and the updates as a timeline."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from survey.core.i18n import current_lang
from survey.features.results import public
from survey.features.results import service as results

bp = Blueprint("results", __name__, template_folder="templates")


def channel_or_404(code: str):
    """The channel of a public page; a draft survey has none yet."""
    channel = public.find_channel(code)
    if channel is None or channel.survey.status == "draft":
        abort(404)
    return channel


@bp.get("/r/<code>")
def show(code: str):
    """Aggregated results of a survey, small groups hidden, and the updates as a timeline."""
    channel = channel_or_404(code)
    survey = channel.survey
    return render_template(
        "results/results.html",
        channel=channel,
        survey=survey,
        local=public.local_news(channel, current_lang()),
        summary=results.survey_summary(survey),
        results=results.survey_results(survey, current_lang()),
        updates=public.timeline(survey),
        status_labels=public.STATUS_LABELS,
    )

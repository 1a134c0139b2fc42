"""Figures for public pages and dashboards, computed with SQL aggregates."""

from __future__ import annotations

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Response, Survey


def survey_summary(survey: Survey) -> dict:
    """Counts of responses; a count below the minimum group size is hidden (None)."""
    total, completed = db.session.execute(
        select(func.count(Response.id), func.count(Response.completed_at)).where(
            Response.survey_id == survey.id
        )
    ).one()
    return {
        "responses": total if total >= survey.min_group_size else None,
        "completed": completed if completed >= survey.min_group_size else None,
    }

"""Logboek: the audit log, for admins only."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from flask_babel import lazy_gettext as _l

from survey.core.access import add_nav, roles_required
from survey.core.database import parse_id
from survey.core.security import private
from survey.features.logbook import service as logbook

bp = Blueprint("logbook", __name__, url_prefix="/officer", template_folder="templates")

add_nav("logbook.index", _l("Logboek"), 95)


@bp.get("/logboek")
@roles_required()  # admins only
def index():
    """Who did what, newest first, filtered by officer, kind of event, subject and days."""
    filters = logbook.LogFilters.from_args(request.args)
    page = logbook.events(filters, parse_id(request.args.get("page", "1")) or 1)
    html = render_template(
        "logbook/index.html",
        filters=filters,
        page=page,
        label=logbook.label,
        **logbook.choices(),
    )
    return private(make_response(html))

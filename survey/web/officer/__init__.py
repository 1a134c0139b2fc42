"""Officer workspace: one blueprint, one module per area of work."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, abort, current_app
from flask_login import current_user, login_required

bp = Blueprint("officer", __name__, url_prefix="/officer")


@dataclass(frozen=True)
class Link:
    endpoint: str  # "officer.<view>"
    label: object  # a lazy_gettext string
    order: int
    kinds: tuple[str, ...] | None = None  # survey kinds the tab applies to; None: all


NAV: list[Link] = []  # the top navigation of the workspace
SURVEY_TABS: list[Link] = []  # the tabs of one survey's pages; their views take survey_id


def add_nav(endpoint: str, label, order: int) -> None:
    """Put a page in the workspace's top navigation (each view module adds its own)."""
    NAV.append(Link(endpoint, label, order))


def add_survey_tab(endpoint: str, label, order: int, kinds: tuple[str, ...] | None = None) -> None:
    """Put a page among a survey's tabs (for some survey kinds only); its view takes `survey_id`."""
    SURVEY_TABS.append(Link(endpoint, label, order, kinds))


def _allowed(link: Link) -> bool:
    view = current_app.view_functions.get(link.endpoint)
    roles = getattr(view, "allowed_roles", None)
    return view is not None and (roles is None or current_user.role in roles)


@bp.app_context_processor
def officer_navigation():
    def visible(links, survey=None):
        if not current_user.is_authenticated:
            return []
        return [
            link
            for link in sorted(links, key=lambda x: x.order)
            if _allowed(link) and (survey is None or not link.kinds or survey.kind in link.kinds)
        ]

    return {
        "officer_nav": lambda: visible(NAV),
        "survey_tabs": lambda survey=None: visible(SURVEY_TABS, survey),
    }


def roles_required(*roles: str):
    """Allow a view to signed-in officers with one of these roles (admin always)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role != "admin" and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles) | {"admin"}
        return wrapped

    return decorator


# The view modules register their routes on `bp` when imported.
from survey.web.officer import (  # noqa: E402, F401
    areas,
    auth,
    channels,
    dashboard,
    insights,
    opinions,
    responses,
    surveys,
    updates,
    volunteers,
)

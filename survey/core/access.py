"""Who may see what in the officer workspace: roles per view, and the navigation built from them.

Each officer view declares its roles with `roles_required`; the navigation, the survey tabs,
the `may()` check in templates and the access tests all read that one declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import Flask, abort, current_app
from flask_login import current_user, login_required


@dataclass(frozen=True)
class Link:
    endpoint: str  # "<feature>.<view>"
    label: object  # a lazy_gettext string
    order: int
    kinds: tuple[str, ...] | None = None  # survey kinds the tab applies to; None: all


NAV: list[Link] = []  # the top navigation of the workspace
SURVEY_TABS: list[Link] = []  # the tabs of one survey's pages; their views take survey_id


def add_nav(endpoint: str, label, order: int) -> None:
    """Put a page in the workspace's top navigation (each feature adds its own)."""
    NAV.append(Link(endpoint, label, order))


def add_survey_tab(endpoint: str, label, order: int, kinds: tuple[str, ...] | None = None) -> None:
    """Put a page among a survey's tabs (for some survey kinds only); its view takes `survey_id`."""
    SURVEY_TABS.append(Link(endpoint, label, order, kinds))


def roles_required(*roles: str):
    """Allow a view to signed-in officers with one of these roles (admin always)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not has_role(wrapped.allowed_roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles) | {"admin"}
        return wrapped

    return decorator


def has_role(roles) -> bool:
    """Whether the signed-in officer has one of these roles."""
    return current_user.is_authenticated and current_user.role in roles


def may(endpoint: str) -> bool:
    """May the signed-in officer use this view (the roles of its roles_required)?"""
    view = current_app.view_functions.get(endpoint)
    roles = getattr(view, "allowed_roles", None)
    if view is None or not current_user.is_authenticated:
        return False
    return roles is None or has_role(roles)


def _visible(links: list[Link], survey=None) -> list[Link]:
    return [
        link
        for link in sorted(links, key=lambda x: x.order)
        if may(link.endpoint) and (survey is None or not link.kinds or survey.kind in link.kinds)
    ]


def init_app(app: Flask) -> None:
    @app.context_processor
    def officer_navigation():
        return {
            "officer_nav": lambda: _visible(NAV),
            "survey_tabs": lambda survey=None: _visible(SURVEY_TABS, survey),
            "may": may,
        }

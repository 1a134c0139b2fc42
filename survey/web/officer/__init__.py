"""Officer workspace: one blueprint, one module per area of work."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("officer", __name__, url_prefix="/officer")


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
from survey.web.officer import auth  # noqa: E402, F401

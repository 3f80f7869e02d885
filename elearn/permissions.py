"""Who may do what: role checks for views and record scoping for queries."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from .models import Role


def role_required(*roles: Role) -> Callable:
    """Allow the view only to logged-in users holding one of ``roles`` (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated or not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def own_or_404(record: Any, owner_id: int | None) -> Any:
    """Return ``record`` only if it belongs to the current user; a stranger gets 404, not a hint."""
    if record is None or owner_id != current_user.id:
        abort(404)
    return record

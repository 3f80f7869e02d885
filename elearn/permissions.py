"""Who may do what: role checks for views and record scoping for queries.

Every refusal of a signed-in employee is written to the security log: someone opening pages of
another role, or other people's records, is what an investigation looks for.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort, current_app, request
from flask_login import current_user

from .models import Role, SecurityKind
from .services import security_log


def role_required(*roles: Role) -> Callable:
    """Allow the view only to logged-in users holding one of ``roles`` (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated or not current_user.has_role(*roles):
                refuse(403, "役割がない")
            return view(*args, **kwargs)

        return wrapped

    return decorator


class Owned(Protocol):
    """A record of one employee's: an attempt, a completion, a self-check response."""

    @property
    def employee_id(self) -> int: ...


OwnedRecord = TypeVar("OwnedRecord", bound=Owned)


def own_or_404(record: OwnedRecord | None) -> OwnedRecord:
    """``record`` if it exists and is the current user's; 404 otherwise, so a stranger learns nothing."""
    if record is None:
        abort(404)
    if record.employee_id != current_user.id:
        refuse(404, f"ほかの職員の記録（{type(record).__name__}）")
    return record


def own_or_role_or_404(record: OwnedRecord | None, *roles: Role) -> OwnedRecord:
    """``record`` if it is the current user's or the user holds one of ``roles``; 404 otherwise."""
    if record is not None and current_user.has_role(*roles):
        return record
    return own_or_404(record)


def refuse(status: int, why: str) -> None:
    """Abort with ``status``, and log the refusal when someone signed in was refused."""
    if current_user.is_authenticated:
        security_log.log(
            SecurityKind.ACCESS_REFUSED,
            address=request.remote_addr,
            employee=current_user._get_current_object(),
            detail=f"{request.method} {request.path[:200]}: {why}",
        )
    abort(status)


def may_publish(user: Any) -> bool:
    """Whether ``user`` may publish and roll back content: the roles of ELEARN_PUBLISH_ROLES."""
    allowed = current_app.config.get("PUBLISH_ROLES", ("trainer",))
    return bool(user.is_authenticated and user.has_role(*(Role(role) for role in allowed)))


def publisher_required(view: Callable) -> Callable:
    """Allow the view only to those who may publish (403 otherwise): trainers, and HR if the city chose."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any):
        if not may_publish(current_user):
            refuse(403, "公開の権限がない")
        return view(*args, **kwargs)

    return wrapped

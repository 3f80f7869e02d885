"""HR's pages (人事担当): dashboard and records, roster, assignments, accounts, audit trail.

The blueprint is split by feature into the modules imported at the bottom; each registers its views
on ``bp``. Every page is HR's alone.
"""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from ..models import Role
from ..permissions import role_required
from ..services.audit import Actor

bp = Blueprint("hr", __name__, template_folder="templates")


@bp.before_request
@role_required(Role.HR)
def restrict_to_hr() -> None:
    """Every page of this blueprint is HR's alone."""


def actor() -> Actor:
    return Actor.of(current_user)


from . import accounts, assignments, audit, exemptions, record_files, records, reminders, roster, security  # noqa: E402, F401  (they register their views)

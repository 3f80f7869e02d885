"""Trial mode (試行): a trainer or HR takes a course on the learners' own pages, drafts included.

Which courses the signed-in user is trying is kept in their session, so the learner pages need no extra
parameter in every link. Trial attempts are filed under TRIAL_YEAR and flagged ``trial``; nothing else
is recorded (no lesson read, no completion, no certificate).
"""

from __future__ import annotations

from flask import session
from flask_login import current_user

from .models import Role

TRIAL_ROLES = (Role.TRAINER, Role.HR)  # the people who preview content (elearn/author)
SESSION_KEY = "trial_courses"


def may_try() -> bool:
    return current_user.is_authenticated and current_user.has_role(*TRIAL_ROLES)


def in_trial(key: str) -> bool:
    """Whether the current user is trying the course with this key (and still may)."""
    return may_try() and key in session.get(SESSION_KEY, [])


def begin_trial(key: str) -> None:
    keys = [k for k in session.get(SESSION_KEY, []) if k != key]
    session[SESSION_KEY] = [*keys, key]


def end_trial(key: str) -> None:
    session[SESSION_KEY] = [k for k in session.get(SESSION_KEY, []) if k != key]

"""SQLAlchemy models, one module per area."""

from .content import (
    Course,
    CourseVersion,
    Lesson,
    Scenario,
    ScenarioChoice,
    ScenarioVersion,
    SelfCheck,
    SelfCheckVersion,
)
from .learning import Attempt, AttemptQuestion, LessonView, SelfCheckResponse
from .people import ROLE_LABELS, Department, Employee, Role
from .records import Assignment, Completion

__all__ = [
    "ROLE_LABELS",
    "Assignment",
    "Attempt",
    "AttemptQuestion",
    "Completion",
    "Course",
    "CourseVersion",
    "Department",
    "Employee",
    "Lesson",
    "LessonView",
    "Role",
    "Scenario",
    "ScenarioChoice",
    "ScenarioVersion",
    "SelfCheck",
    "SelfCheckResponse",
    "SelfCheckVersion",
]

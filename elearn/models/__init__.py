"""SQLAlchemy models, one module per area."""

from .content import Course, CourseVersion, Lesson, Scenario, ScenarioChoice, ScenarioVersion
from .learning import Attempt, AttemptQuestion
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
    "Role",
    "Scenario",
    "ScenarioChoice",
    "ScenarioVersion",
]

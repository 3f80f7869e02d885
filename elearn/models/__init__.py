"""SQLAlchemy models, one module per area."""

from .accounts import ActivationCode
from .audit import AuditAction, AuditEvent
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
from .logins import LoginAttempt
from .people import Department, Employee, Role, RosterUpload
from .records import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    Attendance,
    Completion,
    CompletionMethod,
    Exemption,
    ExemptionReason,
    RecordUpload,
)

__all__ = [
    "ActivationCode",
    "Assignment",
    "AssignmentRule",
    "AssignmentScope",
    "Attempt",
    "AttemptQuestion",
    "Attendance",
    "AuditAction",
    "AuditEvent",
    "Completion",
    "CompletionMethod",
    "Course",
    "CourseVersion",
    "Department",
    "Employee",
    "Exemption",
    "ExemptionReason",
    "Lesson",
    "LessonView",
    "LoginAttempt",
    "RecordUpload",
    "Role",
    "RosterUpload",
    "Scenario",
    "ScenarioChoice",
    "ScenarioVersion",
    "SelfCheck",
    "SelfCheckResponse",
    "SelfCheckVersion",
]

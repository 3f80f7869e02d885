"""SQLAlchemy models, one module per area."""

from .accounts import ActivationCode
from .audit import AuditAction, AuditEvent
from .content import (
    ContentUpload,
    Course,
    CourseVersion,
    Lesson,
    PolicyVersion,
    Scenario,
    ScenarioChoice,
    ScenarioVersion,
    SelfCheck,
    SelfCheckVersion,
)
from .learning import TRIAL_YEAR, Attempt, AttemptQuestion, LessonView, SelfCheckResponse
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
from .reminders import MailKind, MailState, MailTemplate, ReminderMail, ReminderRules
from .security import SecurityEvent, SecurityKind
from .sessions import SessionEnd, UserSession

__all__ = [
    "TRIAL_YEAR",
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
    "ContentUpload",
    "Course",
    "CourseVersion",
    "Department",
    "Employee",
    "Exemption",
    "ExemptionReason",
    "Lesson",
    "LessonView",
    "LoginAttempt",
    "MailKind",
    "MailState",
    "MailTemplate",
    "PolicyVersion",
    "RecordUpload",
    "ReminderMail",
    "ReminderRules",
    "Role",
    "RosterUpload",
    "Scenario",
    "ScenarioChoice",
    "ScenarioVersion",
    "SecurityEvent",
    "SecurityKind",
    "SelfCheck",
    "SelfCheckResponse",
    "SelfCheckVersion",
    "SessionEnd",
    "UserSession",
]

"""The year's record as a file: the columns of the download in their fixed order, streamed.

The rows come from the report's one query (services/reports.py), the same as the pages'.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from ..database import streamed
from ..extensions import db
from ..fiscal import JST
from ..models import AssignmentScope, CompletionMethod, Role
from . import audit
from .exports import Export, ExportFormat, SheetLayout
from .progress import Status
from .reports import ACTIVE, ReportFilter, completion_query, current_courses, enrolment_text, exemption_text

# The file is an official record: in Japanese, whatever the language of the page it is downloaded from.
# The order of the columns is fixed (README, "The completion report"); new ones go at the end.
COMPLETION_HEADER = (
    "年度",
    "職員番号",
    "氏名",
    "氏名カナ",
    "所属",
    "現所属",
    "役割",
    "雇用区分",
    "在籍",
    "割当",
    "コース",
    "コース版",
    "受講期限",
    "状態",
    "修了日",
    "修了方法",
    "得点",
    "受験回数",
    "レッスン既読",
    "修了証番号",
    "免除理由",
)
# Where HR's eye goes first; the others get a width from their header.
COLUMN_WIDTHS = {
    "氏名": 16,
    "氏名カナ": 18,
    "所属": 18,
    "現所属": 18,
    "コース": 34,
    "免除理由": 24,
    "修了証番号": 17,
}
INDIVIDUAL = "個別"
# How an assignment came: a rule's scope ("all" is the required training of everyone), or by name.
ASSIGNED_BY = {
    AssignmentScope.ALL.value: "必修",
    AssignmentScope.DEPARTMENT.value: AssignmentScope.DEPARTMENT.japanese,
    AssignmentScope.ROLE.value: AssignmentScope.ROLE.japanese,
    AssignmentScope.EMPLOYMENT_TYPE.value: AssignmentScope.EMPLOYMENT_TYPE.japanese,
    None: INDIVIDUAL,
}
ROLE_NAMES = {r.value: r.japanese for r in Role}
METHOD_NAMES = {m.value: m.japanese for m in CompletionMethod}


def completion_table(report: ReportFilter) -> Iterator[tuple]:
    """The rows of the download (COMPLETION_HEADER), streamed as plain tuples: no object per row.

    Dates are dates (the XLSX writes date cells, the CSV YYYY-MM-DD), counts are numbers."""
    courses = current_courses()
    year = report.year
    statuses = (Status.COMPLETED, Status.EXEMPT, Status.IN_PROGRESS, Status.NOT_STARTED)
    completed, exempt, doing, waiting = (status.japanese for status in statuses)
    query = completion_query(report).execution_options(yield_per=2000)
    # Core execution: the columns come back as they are, without the ORM's per-row bookkeeping.
    for row in streamed(db.session.connection().execute(query)):
        (no, name, kana, department, current, role, employment, active, deactivated, scope, course_id,
         version, due, completed_on, method, score, count, submitted, read, code, reason, reason_text,
         started) = row  # fmt: skip
        title, lessons = courses[course_id]
        head = (
            year, no, name, kana or "", department or current, current, ROLE_NAMES.get(role, role),
            employment or "", ACTIVE if active else enrolment_text(active, deactivated),
            ASSIGNED_BY.get(scope, INDIVIDUAL), title, version or "", due or "",
        )  # fmt: skip
        lessons_read = f"{min(read, lessons)}/{lessons}"
        if completed_on is not None:
            yield (*head, completed, date.fromisoformat(completed_on), METHOD_NAMES[method],
                   "" if score is None else score, count, lessons_read, code, "")  # fmt: skip
        else:
            status = exempt if reason is not None else doing if started else waiting
            exemption = exemption_text(reason, reason_text)
            yield (*head, status, "", "", "", submitted, lessons_read, "", exemption)


def export_completions(actor: audit.Actor, report: ReportFilter, fmt: ExportFormat) -> Export:
    """The completion report as a file (COMPLETION_HEADER), its export recorded on the audit trail first."""
    audit.record_export(
        actor, f"{report.year}年度の修了状況", fmt, report="completions", filters=report.as_args()
    )
    made = datetime.now(UTC).astimezone(JST).date()
    return Export(
        fmt,
        f"completions-{report.year}",
        COMPLETION_HEADER,
        completion_table(report),
        SheetLayout(f"{report.year}年度 研修修了記録（{made.isoformat()} 作成）", COLUMN_WIDTHS),
    )

"""The year's record as a file: the columns of the download in their fixed order, streamed.

The rows come from the report's joins (services/reports.py), the same as the pages'. Every column is
computed by the database (names, 在籍, n/N, the formula quote of the CSV), so that a CSV of 300,000
rows is written as the query returns it, with no Python work per row; only the XLSX turns the
completion date into a date cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, literal, type_coerce

from ..database import streamed
from ..extensions import db
from ..fiscal import JST
from ..models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    Completion,
    CompletionMethod,
    Department,
    Employee,
    Exemption,
    Role,
)
from . import audit
from .exports import FORMULA_STARTS, Export, ExportFormat, SheetLayout, safe_cell
from .progress import Status
from .reports import (
    ACTIVE,
    INACTIVE,
    REASON_NAMES,
    ReportFilter,
    completed_version,
    current_courses,
    japan_date,
    lessons_read_count,
    record_department,
    record_query,
    smaller,
    started_condition,
    submitted_count,
)

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
    "割当取消",
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
ASSIGNED_BY_RULE = {
    AssignmentScope.ALL.value: "必修",
    AssignmentScope.DEPARTMENT.value: AssignmentScope.DEPARTMENT.japanese,
    AssignmentScope.ROLE.value: AssignmentScope.ROLE.japanese,
    AssignmentScope.EMPLOYMENT_TYPE.value: AssignmentScope.EMPLOYMENT_TYPE.japanese,
}
ROLE_NAMES = {r.value: r.japanese for r in Role}
METHOD_NAMES = {m.value: m.japanese for m in CompletionMethod}


WITHDRAWN = "取消"
COMPLETED_AT = COMPLETION_HEADER.index("修了日")


def formula_safe(text: ColumnElement) -> ColumnElement:
    """The text with a leading quote when it begins like a formula (exports.safe_cell, in SQL)."""
    return case((func.substr(text, 1, 1).in_(sorted(FORMULA_STARTS)), literal("'") + text), else_=text)


def in_brackets(before: str, text: ColumnElement) -> ColumnElement:
    # NULL inside makes the whole NULL: no brackets when there is nothing to put in them.
    return literal(before) + literal("（") + text + literal("）")


def _enrolment() -> ColumnElement:
    """在籍 (reports.enrolment_text): 在籍, or 無効 with the date of deactivation if known."""
    inactive = func.coalesce(in_brackets(INACTIVE, japan_date(Employee.deactivated_at)), INACTIVE)
    return case((Employee.active.is_(True), ACTIVE), else_=inactive)


def _exemption() -> ColumnElement:
    """免除理由 (reports.exemption_text): the kind of reason, and HR's words if any; only when no
    completion wins over the exemption."""
    kind = case(REASON_NAMES, value=Exemption.reason)
    words = in_brackets("", func.nullif(Exemption.reason_text, ""))
    return case((and_(Completion.id.is_(None), Exemption.id.is_not(None)), kind + func.coalesce(words, "")))


def _lessons_read(year: int, lessons: dict[int, int]) -> ColumnElement:
    """レッスン既読 as n/N: lessons read this year (at most the course's number) out of the current
    version's number."""
    of = case(lessons, value=Assignment.course_id, else_=0)
    read = smaller(lessons_read_count(year), of)
    return cast(read, String) + literal("/") + cast(of, String)


def export_query(report: ReportFilter, csv: bool) -> Select:
    """The download's rows (COMPLETION_HEADER) as the database computes them. For the CSV, the text
    columns that come from people (names, departments, 雇用区分, titles) carry the formula quote and
    the due date is the stored text; for the XLSX they are as stored (the sheet marks text as text)."""
    safe = formula_safe if csv else (lambda text: text)
    courses = current_courses()
    titles = {course_id: safe_cell(title) if csv else title for course_id, (title, _n) in courses.items()}
    year = report.year
    withdrawn = japan_date(AssignmentRule.withdrawn_at)
    status = (Status.COMPLETED, Status.EXEMPT, Status.IN_PROGRESS, Status.NOT_STARTED)
    completed, exempt, doing, waiting = (s.japanese for s in status)
    return record_query(
        report,
        literal(year),
        safe(Employee.employee_no),
        safe(Employee.name),
        safe(Employee.name_kana),
        safe(func.coalesce(record_department.c.name, Department.name)),
        safe(Department.name),
        case(ROLE_NAMES, value=Employee.role, else_=Employee.role),
        safe(Employee.employment_type),
        _enrolment(),
        case(ASSIGNED_BY_RULE, value=AssignmentRule.scope, else_=INDIVIDUAL),
        case(titles, value=Assignment.course_id),
        completed_version.c.version,
        type_coerce(Assignment.due_date, String) if csv else Assignment.due_date,
        case(
            (Completion.id.is_not(None), completed),
            (Exemption.id.is_not(None), exempt),
            (started_condition(year), doing),
            else_=waiting,
        ),
        japan_date(Completion.completed_at),
        case(METHOD_NAMES, value=Completion.method),
        Completion.score,
        case((Completion.id.is_not(None), Completion.attempts_count), else_=submitted_count(year)),
        _lessons_read(year, {course_id: n for course_id, (_title, n) in courses.items()}),
        Completion.certificate_code,
        _exemption(),
        in_brackets(WITHDRAWN, withdrawn),
    ).execution_options(yield_per=2000)


def _rows(query: Select) -> Iterator:
    # Core execution: the columns come back as they are, without the ORM's per-row bookkeeping.
    return streamed(db.session.connection().execute(query))


def csv_rows(report: ReportFilter) -> Iterator:
    """The CSV's rows, written as they come (the query quotes formulas; NULL is an empty cell).

    A generator, so that the query runs when the download starts streaming: run before, PostgreSQL's
    server-side cursor would not survive the commits of the request's end (the session's)."""
    yield from _rows(export_query(report, csv=True))


def completion_table(report: ReportFilter) -> Iterator[tuple]:
    """The rows of the download (COMPLETION_HEADER) with typed cells, for the XLSX: dates as dates
    (date cells), counts as numbers, empty cells as empty text."""
    for row in _rows(export_query(report, csv=False)):
        cells = ["" if value is None else value for value in row]
        if cells[COMPLETED_AT]:
            cells[COMPLETED_AT] = date.fromisoformat(cells[COMPLETED_AT])
        yield tuple(cells)


def export_completions(actor: audit.Actor, report: ReportFilter, fmt: ExportFormat) -> Export:
    """The completion report as a file (COMPLETION_HEADER), its export recorded on the audit trail first."""
    audit.record_export(
        actor, f"{report.year}年度の修了状況", fmt, report="completions", filters=report.as_args()
    )
    made = datetime.now(UTC).astimezone(JST).date()
    name = f"completions-{report.year}"
    if fmt is ExportFormat.CSV:
        return Export(fmt, name, COMPLETION_HEADER, csv_rows(report), formula_safe=True)
    return Export(
        fmt,
        name,
        COMPLETION_HEADER,
        completion_table(report),
        SheetLayout(f"{report.year}年度 研修修了記録（{made.isoformat()} 作成）", COLUMN_WIDTHS),
    )

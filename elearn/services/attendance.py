"""In-person sessions (集合研修): staff without a PC are trained in a room, and HR records who came.

Each attendance row makes a completion of the course for the fiscal year of the session's date,
with 修了方法 集合研修 and no score. Attendance and completion are both append-only (the database
refuses updates and deletes) and the import is audited. The CSV (職員番号, コース, 実施日, 研修名,
optional 講師, 備考) is planned in full before anything is written, all or nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select

from ..database import transaction
from ..extensions import db
from ..fiscal import JST, current_fiscal_year, fiscal_year_of
from ..i18n import N_
from ..models import Attendance, AuditAction, Completion, CompletionMethod, Course, Employee
from . import audit
from .assignments import record_department
from .exemptions import ImportRefused, course_lookup, employees_by_number, person_and_course
from .record_csv import LineError, normalise_employee_no, parse_day, read_table

REQUIRED = ("職員番号", "コース", "実施日", "研修名")
OPTIONAL = ("講師", "備考")
LIMITS = {"研修名": 200, "講師": 100, "備考": 500}
SESSION_TIME = time(12, 0)  # the completion's moment: noon in Japan on the day, so its date is the day


@dataclass(frozen=True)
class PlannedAttendance:
    line: int
    employee_id: int
    employee_no: str
    name: str
    course_id: int
    course: str
    held_on: date
    session_name: str
    instructor: str | None
    note: str | None

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.held_on)


@dataclass
class AttendancePlan:
    rows: list[PlannedAttendance] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    preview_header = (
        N_("行"), N_("職員番号"), N_("氏名"), N_("年度"), N_("コース"),
        N_("実施日"), N_("研修名"), N_("講師"), N_("備考"),
    )  # fmt: skip

    def preview_rows(self) -> Iterable[tuple[object, ...]]:
        for r in self.rows:
            yield (
                r.line,
                r.employee_no,
                r.name,
                r.fiscal_year,
                r.course,
                r.held_on.isoformat(),
                r.session_name,
                r.instructor or "",
                r.note or "",
            )

    def digest(self) -> str:
        canonical = [
            [r.employee_no, r.course_id, r.held_on.isoformat(), r.session_name, r.instructor, r.note]
            for r in self.rows
        ]
        return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()


def _completed(employee_ids: Iterable[int]) -> dict[tuple[int, int, int], date]:
    """Completions of these employees, by employee, course and year, with their date in Japan."""
    ids = sorted(set(employee_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            Completion.employee_id, Completion.course_id, Completion.fiscal_year, Completion.completed_at
        ).where(Completion.employee_id.in_(ids))
    )
    return {(e, c, y): at.astimezone(JST).date() for e, c, y, at in rows}


def plan_attendance(data: bytes, today: date | None = None) -> AttendancePlan:
    """Check every row against the file and the database; write nothing."""
    today = today or datetime.now(JST).date()
    table = read_table(data, REQUIRED, OPTIONAL)
    plan = AttendancePlan(errors=list(table.errors))
    courses = course_lookup()
    people = employees_by_number(normalise_employee_no(v["職員番号"]) for _, v in table.rows)
    done = _completed(e.id for e in people.values())
    seen: dict[tuple[int, int, int], int] = {}
    for line, values in table.rows:
        problems: list[str] = []
        planned = _plan_row(line, values, courses, people, today, problems)
        if planned is not None and not problems:
            key = (planned.employee_id, planned.course_id, planned.fiscal_year)
            if key in seen:
                problems.append(f"{seen[key]}行目と同じ職員・コース・年度です")
            elif key in done:
                problems.append(
                    f"{planned.employee_no} はこのコースを{planned.fiscal_year}年度にすでに修了しています"
                    f"（{done[key].isoformat()}）"
                )
            else:
                seen[key] = line
                plan.rows.append(planned)
        plan.errors.extend(LineError(line, p) for p in problems)
    plan.errors.sort(key=lambda e: e.line)
    return plan


def _plan_row(
    line: int,
    values: dict[str, str],
    courses: dict[str, tuple[int, str]],
    people: dict[str, Employee],
    today: date,
    problems: list[str],
) -> PlannedAttendance | None:
    employee, course = person_and_course(values, courses, people, problems)
    held_on = parse_day(values["実施日"])
    if held_on is None:
        problems.append(f"実施日は 2026-06-15 の形で書いてください: {values['実施日'] or '(空欄)'}")
    elif held_on > today:
        problems.append(f"実施日が未来の日付です: {held_on.isoformat()}")
    if not values["研修名"]:
        problems.append("研修名がありません")
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            problems.append(f"{column}が長すぎます（{limit}文字まで）")
    if problems or employee is None or course is None or held_on is None:
        return None
    return PlannedAttendance(
        line,
        employee.id,
        employee.employee_no,
        employee.name,
        course[0],
        course[1],
        held_on,
        values["研修名"],
        values.get("講師") or None,
        values.get("備考") or None,
    )


def _record(row: PlannedAttendance, actor: audit.Actor, source: str) -> None:
    attendance = Attendance(
        employee_id=row.employee_id,
        course_id=row.course_id,
        fiscal_year=row.fiscal_year,
        held_on=row.held_on,
        session_name=row.session_name,
        instructor=row.instructor,
        note=row.note,
        recorded_by_id=actor.employee_id,
        source=source[:300],
    )
    db.session.add(attendance)
    db.session.flush()
    course = db.session.get(Course, row.course_id)
    db.session.add(
        Completion(
            employee_id=row.employee_id,
            course_id=row.course_id,
            course_version_id=course.current.id,
            fiscal_year=row.fiscal_year,
            attempt_id=None,
            attendance_id=attendance.id,
            method=CompletionMethod.IN_PERSON.value,
            completed_at=datetime.combine(row.held_on, SESSION_TIME, JST),
            score=None,
            attempts_count=0,
        )
    )
    record_department(row.employee_id, row.course_id, row.fiscal_year)


def import_attendance(
    data: bytes, actor: audit.Actor, *, expected_digest: str | None = None, source: str = ""
) -> int:
    """Record every row and its completion in one transaction with one audit event; nothing on any error."""
    with transaction():
        plan = plan_attendance(data)
        if plan.errors:
            raise ImportRefused("このファイルには誤りがあるため取り込めません。")
        if expected_digest is not None and plan.digest() != expected_digest:
            raise ImportRefused("プレビューの後に記録が変わりました。もう一度内容を確認してください。")
        for row in plan.rows:
            _record(row, actor, source)
        years = sorted({r.fiscal_year for r in plan.rows})
        audit.record(
            actor,
            AuditAction.ATTENDANCE,
            f"集合研修の出席を取り込みました（{len(plan.rows)}件、修了として記録）",
            source=source,
            years=years or [current_fiscal_year()],
            attended=[
                f"{r.employee_no} {r.held_on.isoformat()} {r.course} {r.session_name}" for r in plan.rows
            ],
        )
    return len(plan.rows)

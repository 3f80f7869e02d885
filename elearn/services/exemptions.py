"""Exemptions (免除): HR decides that an employee need not take a course in a fiscal year.

An exempt assignment shows 免除 everywhere and is left out of completion rates. Exemptions are
never deleted: withdrawing one records who, when and why, and the assignment counts again.
One person at a time (the employee's page, ``elearn exempt add``) or a CSV (職員番号, コース, 年度,
理由) planned in full before anything is written, all or nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from ..database import transaction, utcnow
from ..extensions import db
from ..i18n import N_
from ..models import Assignment, AuditAction, Completion, Course, Employee, Exemption, ExemptionReason
from . import audit
from .catalog import active_courses
from .record_csv import LineError, normalise_employee_no, read_table

COLUMNS = ("職員番号", "コース", "年度", "理由")
REASON_HELP = "、".join(r.japanese for r in ExemptionReason)
_REASONS = {**{r.japanese: r for r in ExemptionReason}, **{r.value: r for r in ExemptionReason}}
_SEPARATORS = " 　:：（）()、,・-"


class ExemptionError(ValueError):
    """The exemption cannot be made or withdrawn; the message is for HR."""


def parse_reason(text: str) -> tuple[ExemptionReason, str | None]:
    """「育児休業」, 「その他：派遣先の研修で代替」, 「休職（4月から）」: the kind, and the rest as
    HR's words. その他 needs words of its own."""
    text = text.strip()
    for name in sorted(_REASONS, key=len, reverse=True):  # 派遣・出向 before any shorter prefix
        if text.startswith(name):
            rest = text[len(name) :].strip(_SEPARATORS) or None
            reason = _REASONS[name]
            if reason is ExemptionReason.OTHER and not rest:
                raise ExemptionError(
                    "理由が「その他」のときは、内容も書いてください（例: その他：海外派遣）。"
                )
            if rest and len(rest) > 200:
                raise ExemptionError("理由が長すぎます（200文字まで）。")
            return reason, rest
    raise ExemptionError(f"理由は {REASON_HELP} のどれかで始めてください: {text or '(空欄)'}")


def _refusal(employee: Employee, course_id: int, year: int) -> str | None:
    """Why this employee cannot be exempted from the course in that year, or None."""
    assigned = db.session.scalar(
        select(Assignment.id).where(
            Assignment.employee_id == employee.id,
            Assignment.course_id == course_id,
            Assignment.fiscal_year == year,
        )
    )
    if assigned is None:
        return f"{employee.employee_no} にはこの年度・コースの割当がありません"
    if standing(employee.id, course_id, year) is not None:
        return f"{employee.employee_no} はこの年度・コースをすでに免除されています"
    done = db.session.scalar(
        select(Completion.id).where(
            Completion.employee_id == employee.id,
            Completion.course_id == course_id,
            Completion.fiscal_year == year,
        )
    )
    if done is not None:
        return f"{employee.employee_no} はこの年度・コースをすでに修了しています"
    return None


def standing(employee_id: int, course_id: int, year: int) -> Exemption | None:
    return db.session.scalar(
        select(Exemption).where(
            Exemption.employee_id == employee_id,
            Exemption.course_id == course_id,
            Exemption.fiscal_year == year,
            Exemption.withdrawn_at.is_(None),
        )
    )


def _add(
    employee: Employee,
    course_id: int,
    year: int,
    reason: ExemptionReason,
    text: str | None,
    actor: audit.Actor,
) -> Exemption:
    exemption = Exemption(
        employee_id=employee.id,
        course_id=course_id,
        fiscal_year=year,
        reason=reason.value,
        reason_text=text,
        created_by_id=actor.employee_id,
        created_by_label=actor.label,
    )
    db.session.add(exemption)
    return exemption


def exempt(employee: Employee, course: Course, year: int, reason_text: str, actor: audit.Actor) -> Exemption:
    """Exempt one employee, with the audit event, in one transaction."""
    reason, text = parse_reason(reason_text)
    with transaction():
        if refusal := _refusal(employee, course.id, year):
            raise ExemptionError(refusal + "。")
        exemption = _add(employee, course.id, year, reason, text, actor)
        audit.record(
            actor,
            AuditAction.EXEMPTION,
            f"{employee.employee_no} {employee.name} を{year}年度「{course.current.title}」から免除しました"
            f"（{exemption.reason_label}）",
            employee=employee.employee_no,
            course=course.key,
            year=year,
            reason=exemption.reason_label,
        )
    return exemption


def withdraw(exemption: Exemption, why: str, actor: audit.Actor) -> Exemption:
    """Withdraw a standing exemption, with a reason: the assignment is required again."""
    why = why.strip()
    if not why:
        raise ExemptionError("取り消す理由を書いてください。")
    if len(why) > 200:
        raise ExemptionError("取り消す理由が長すぎます（200文字まで）。")
    with transaction():
        if exemption.withdrawn_at is not None:
            raise ExemptionError("この免除はすでに取り消されています。")
        exemption.withdrawn_at = utcnow()
        exemption.withdrawn_by_id = actor.employee_id
        exemption.withdrawn_by_label = actor.label
        exemption.withdrawal_reason = why
        employee = exemption.employee
        audit.record(
            actor,
            AuditAction.EXEMPTION_WITHDRAWN,
            f"{employee.employee_no} {employee.name} の{exemption.fiscal_year}年度"
            f"「{exemption.course.current.title}」の免除を取り消しました（{why}）",
            employee=employee.employee_no,
            course=exemption.course.key,
            year=exemption.fiscal_year,
            reason=why,
        )
    return exemption


def exemptions_of(employee: Employee) -> list[Exemption]:
    """Every exemption of the employee, withdrawn ones too, newest year first."""
    return list(
        db.session.scalars(
            select(Exemption)
            .where(Exemption.employee_id == employee.id)
            .order_by(Exemption.fiscal_year.desc(), Exemption.created_at.desc())
        )
    )


# --- the CSV: planned in full, then imported all or nothing --------------------------------------


@dataclass(frozen=True)
class PlannedExemption:
    line: int
    employee_id: int
    employee_no: str
    name: str
    course_id: int
    course: str
    year: int
    reason: ExemptionReason
    reason_text: str | None

    @property
    def reason_label(self) -> str:
        kind = self.reason.japanese
        return f"{kind}（{self.reason_text}）" if self.reason_text else kind


@dataclass
class ExemptionPlan:
    rows: list[PlannedExemption] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    preview_header = (N_("行"), N_("職員番号"), N_("氏名"), N_("年度"), N_("コース"), N_("理由"))

    def preview_rows(self) -> Iterable[tuple[object, ...]]:
        for r in self.rows:
            yield (r.line, r.employee_no, r.name, r.year, r.course, r.reason_label)

    def digest(self) -> str:
        canonical = [[r.employee_no, r.course_id, r.year, r.reason.value, r.reason_text] for r in self.rows]
        return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()


def course_lookup() -> dict[str, tuple[int, str]]:
    """Courses by key and by current title, as HR may write either: id and title."""
    found: dict[str, tuple[int, str]] = {}
    for course, version in active_courses():
        found[course.key] = found[version.title] = (course.id, version.title)
    return found


def employees_by_number(numbers: Iterable[str]) -> dict[str, Employee]:
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    return {
        e.employee_no: e for e in db.session.scalars(select(Employee).where(Employee.employee_no.in_(wanted)))
    }


def person_and_course(
    values: dict[str, str],
    courses: dict[str, tuple[int, str]],
    people: dict[str, Employee],
    problems: list[str],
) -> tuple[Employee | None, tuple[int, str] | None]:
    """The row's 職員番号 and コース looked up, each miss added to ``problems``."""
    number = normalise_employee_no(values["職員番号"])
    employee = people.get(number)
    if employee is None:
        problems.append(f"職員番号 {number or '(空欄)'} の職員はいません")
    course = courses.get(values["コース"])
    if course is None:
        problems.append(
            f"コース「{values['コース'] or '(空欄)'}」はありません（コースのキーか題名を書いてください）"
        )
    return employee, course


_YEAR = re.compile(r"^[0-9]{4}$")


def plan_exemptions(data: bytes) -> ExemptionPlan:
    """Check every row against the file and the database; write nothing."""
    table = read_table(data, COLUMNS)
    plan = ExemptionPlan(errors=list(table.errors))
    courses = course_lookup()
    people = employees_by_number(normalise_employee_no(v["職員番号"]) for _, v in table.rows)
    seen: dict[tuple[str, int, int], int] = {}
    for line, values in table.rows:
        problems: list[str] = []
        planned = _plan_row(line, values, courses, people, seen, problems)
        plan.errors.extend(LineError(line, p) for p in problems)
        if planned is not None and not problems:
            plan.rows.append(planned)
    plan.errors.sort(key=lambda e: e.line)
    return plan


def _plan_row(
    line: int,
    values: dict[str, str],
    courses: dict[str, tuple[int, str]],
    people: dict[str, Employee],
    seen: dict[tuple[str, int, int], int],
    problems: list[str],
) -> PlannedExemption | None:
    employee, course = person_and_course(values, courses, people, problems)
    year_text = values["年度"].removesuffix("年度")
    if not _YEAR.match(year_text):
        problems.append(f"年度は西暦4桁で書いてください（例: 2026）: {values['年度'] or '(空欄)'}")
    try:
        reason, text = parse_reason(values["理由"])
    except ExemptionError as exc:
        problems.append(str(exc).rstrip("。"))
    if problems or employee is None or course is None:
        return None
    year = int(year_text)
    key = (employee.employee_no, course[0], year)
    if key in seen:
        problems.append(f"{seen[key]}行目と同じ職員・コース・年度です")
        return None
    seen[key] = line
    if refusal := _refusal(employee, course[0], year):
        problems.append(refusal)
        return None
    return PlannedExemption(
        line, employee.id, employee.employee_no, employee.name, course[0], course[1], year, reason, text
    )


class ImportRefused(ValueError):
    """The file cannot be imported as it stands; the message is for HR."""


def import_exemptions(
    data: bytes, actor: audit.Actor, *, expected_digest: str | None = None, source: str = ""
) -> int:
    """Exempt every row of the file in one transaction with one audit event; nothing on any error."""
    with transaction():
        plan = plan_exemptions(data)
        if plan.errors:
            raise ImportRefused("このファイルには誤りがあるため取り込めません。")
        if expected_digest is not None and plan.digest() != expected_digest:
            raise ImportRefused("プレビューの後に記録が変わりました。もう一度内容を確認してください。")
        people = {
            e.id: e
            for e in db.session.scalars(
                select(Employee).where(Employee.id.in_([r.employee_id for r in plan.rows]))
            )
        }
        for row in plan.rows:
            _add(people[row.employee_id], row.course_id, row.year, row.reason, row.reason_text, actor)
        audit.record(
            actor,
            AuditAction.EXEMPTION,
            f"免除を取り込みました（{len(plan.rows)}件）",
            source=source,
            exempted=[f"{r.employee_no} {r.year} {r.course} {r.reason_label}" for r in plan.rows],
        )
    return len(plan.rows)

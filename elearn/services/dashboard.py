"""HR's dashboard: completion per department and course for a fiscal year, from one GROUP BY query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select

from ..extensions import db
from ..models import Assignment, Completion, Department, Employee
from .reports import ReportFilter, assignments_query, course_titles, started_condition


@dataclass(frozen=True)
class Tally:
    """Counts of assignments; the rate is the share completed."""

    assigned: int = 0
    completed: int = 0
    in_progress: int = 0

    @property
    def not_started(self) -> int:
        return self.assigned - self.completed - self.in_progress

    @property
    def rate(self) -> float:
        return 100 * self.completed / self.assigned if self.assigned else 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.assigned + other.assigned,
            self.completed + other.completed,
            self.in_progress + other.in_progress,
        )


@dataclass(frozen=True)
class Cell:
    department_id: int
    department: str
    course_id: int
    course: str
    tally: Tally


@dataclass(frozen=True)
class Line:
    """A row of a summary: a department or a course with its total."""

    id: int
    name: str
    tally: Tally


@dataclass
class Dashboard:
    cells: list[Cell]
    departments: list[Line]
    courses: list[Line]
    total: Tally


def cells_query(report: ReportFilter) -> Select:
    """The dashboard's one aggregate: per department and course, assigned, completed, in progress."""
    started = started_condition(report.year)
    return assignments_query(
        ReportFilter(report.year, report.department_id, report.course_id),
        Employee.department_id,
        Assignment.course_id,
        func.count(),
        func.count(Completion.id),
        func.count().filter(and_(Completion.id.is_(None), started)),
    ).group_by(Employee.department_id, Assignment.course_id)


def completion_cells(report: ReportFilter) -> list[Cell]:
    """One row per department and course with assignments; the status filter does not apply here."""
    counts = db.session.execute(cells_query(report)).all()
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    titles = course_titles()
    cells = [
        Cell(department_id, names[department_id], course_id, titles[course_id], Tally(assigned, done, doing))
        for department_id, course_id, assigned, done, doing in counts
    ]
    cells.sort(key=lambda c: (c.department, c.course))
    return cells


def dashboard(report: ReportFilter) -> Dashboard:
    cells = completion_cells(report)
    by_department: dict[tuple[str, int], Tally] = defaultdict(Tally)
    by_course: dict[tuple[str, int], Tally] = defaultdict(Tally)
    for cell in cells:
        by_department[cell.department, cell.department_id] += cell.tally
        by_course[cell.course, cell.course_id] += cell.tally
    return Dashboard(
        cells=cells,
        departments=[Line(i, name, t) for (name, i), t in sorted(by_department.items())],
        courses=[Line(i, name, t) for (name, i), t in sorted(by_course.items())],
        total=sum((c.tally for c in cells), Tally()),
    )

"""HR's dashboard: completion per department and course for a fiscal year, from one GROUP BY query.

The query reads every assignment of the year: too much to do again for every HR user's request, so
its result is kept per process and served again until the records change (services/data_stamp.py;
the figures are in docs/benchmarks.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, and_, func, select

from ..extensions import db
from ..models import Assignment, Completion, CompletionMethod, Department, Employee, Exemption
from .data_stamp import records_stamp
from .deadlines import DueState, due_condition, japan_today
from .reports import ReportFilter, assignments_query, course_titles, exempt_condition, started_condition

CACHED_DASHBOARDS = 64  # filters kept per process: years × departments × courses actually asked for


@dataclass(frozen=True)
class Tally:
    """Counts of assignments; the rate is the share completed of those not exempt."""

    assigned: int = 0
    completed: int = 0
    in_progress: int = 0
    exempt: int = 0  # exempt and not completed
    overdue: int = 0  # unfinished, not exempt and past the due date
    due_soon: int = 0  # unfinished, not exempt and due within the report's soon_days
    in_person: int = 0  # of the completed: by attendance at a 集合研修

    @property
    def required(self) -> int:
        """The assignments the rate is taken of: exempt ones are left out."""
        return self.assigned - self.exempt

    @property
    def not_started(self) -> int:
        return self.assigned - self.completed - self.in_progress - self.exempt

    @property
    def rate(self) -> float:
        return 100 * self.completed / self.required if self.required else 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.assigned + other.assigned,
            self.completed + other.completed,
            self.in_progress + other.in_progress,
            self.exempt + other.exempt,
            self.overdue + other.overdue,
            self.due_soon + other.due_soon,
            self.in_person + other.in_person,
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


@dataclass(frozen=True)
class Headcount:
    """People, not assignments: those with an assignment, and those who completed every one of them."""

    department_id: int
    department: str
    people: int
    all_completed: int

    @property
    def rate(self) -> float:
        return 100 * self.all_completed / self.people if self.people else 0.0


@dataclass(frozen=True)
class Dashboard:
    """Shared between requests once computed, hence immutable."""

    cells: tuple[Cell, ...]
    departments: tuple[Line, ...]
    courses: tuple[Line, ...]
    total: Tally
    headcounts: tuple[Headcount, ...] = ()


def cells_query(report: ReportFilter) -> Select:
    """The dashboard's one aggregate: per department of record and course, assigned, completed, in
    progress, exempt."""
    started = started_condition(report.year)
    today = japan_today()
    return assignments_query(
        ReportFilter(report.year, report.department_id, report.course_id, enrolment=report.enrolment),
        Assignment.department_id,
        Assignment.course_id,
        func.count(),
        func.count(Completion.id),
        func.count().filter(and_(Completion.id.is_(None), Exemption.id.is_(None), started)),
        func.count().filter(exempt_condition()),
        func.count().filter(
            and_(Exemption.id.is_(None), due_condition(DueState.OVERDUE, today, report.soon_days))
        ),
        func.count().filter(
            and_(Exemption.id.is_(None), due_condition(DueState.DUE_SOON, today, report.soon_days))
        ),
        func.count().filter(Completion.method == CompletionMethod.IN_PERSON.value),
    ).group_by(Assignment.department_id, Assignment.course_id)


def completion_cells(report: ReportFilter) -> list[Cell]:
    """One row per department and course with assignments; the status filter does not apply here."""
    counts = db.session.execute(cells_query(report)).all()
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    rank = department_ranks()
    titles = course_titles()
    cells = [
        Cell(department_id, names[department_id], course_id, titles[course_id], Tally(*tally))
        for department_id, course_id, *tally in counts
    ]
    cells.sort(key=lambda c: (rank[c.department_id], c.course))
    return cells


def headcounts(report: ReportFilter) -> list[Headcount]:
    """Per department, the people with assignments and those who completed all of theirs; one
    GROUP BY over a per-person GROUP BY, in department order."""
    per_person = (
        assignments_query(
            ReportFilter(report.year, report.department_id, report.course_id, enrolment=report.enrolment),
            Employee.department_id.label("department_id"),
            func.count().label("assigned"),
            func.count(Completion.id).label("completed"),
        )
        .group_by(Employee.department_id, Employee.id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            per_person.c.department_id,
            func.count(),
            func.count().filter(per_person.c.completed == per_person.c.assigned),
        ).group_by(per_person.c.department_id)
    ).all()
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    rank = department_ranks()
    found = [Headcount(d, names[d], people, done) for d, people, done in rows]
    return sorted(found, key=lambda h: rank[h.department_id])


def department_ranks() -> dict[int, int]:
    """Each department's place in the city's order (Department.ordering)."""
    ordered = db.session.scalars(select(Department.id).order_by(*Department.ordering()))
    return {department_id: place for place, department_id in enumerate(ordered)}


class DashboardCache:
    """The latest dashboards computed by this process, each with the records stamp it was computed
    under; least recently used dropped first."""

    def __init__(self, size: int = CACHED_DASHBOARDS) -> None:
        self.size = size
        self.entries: OrderedDict[tuple, tuple[tuple, Dashboard]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, stamp: tuple) -> Dashboard | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != stamp:
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple, stamp: tuple, board: Dashboard) -> None:
        with self.lock:
            self.entries[key] = (stamp, board)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def dashboard(report: ReportFilter) -> Dashboard:
    """The dashboard for the filter (its status does not apply), computed again only when a commit
    since the last time could have changed it."""
    # Per app, not per module: each app has its own database (tests run many side by side).
    cache = current_app.extensions.setdefault("elearn.dashboards", DashboardCache())
    # The day belongs to the key: 期限超過 changes at midnight without any commit.
    key = (
        report.year,
        report.department_id,
        report.course_id,
        report.enrolment,
        report.soon_days,
        japan_today(),
    )
    stamp = records_stamp()  # read first: a commit landing during the computation only makes it recompute
    board = cache.get(key, stamp)
    if board is None:
        board = compute_dashboard(report)
        cache.put(key, stamp, board)
    return board


def compute_dashboard(report: ReportFilter) -> Dashboard:
    cells = completion_cells(report)
    by_department: dict[tuple[str, int], Tally] = defaultdict(Tally)
    by_course: dict[tuple[str, int], Tally] = defaultdict(Tally)
    for cell in cells:  # cells come in department order, and dicts keep the order keys arrive in
        by_department[cell.department, cell.department_id] += cell.tally
        by_course[cell.course, cell.course_id] += cell.tally
    return Dashboard(
        cells=tuple(cells),
        departments=tuple(Line(i, name, t) for (name, i), t in by_department.items()),
        courses=tuple(Line(i, name, t) for (name, i), t in sorted(by_course.items())),
        total=sum((c.tally for c in cells), Tally()),
        headcounts=tuple(headcounts(report)),
    )

"""A synthetic organisation's rows, built batch by batch and written in bulk (bench/generate.py)."""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bench.bulk_writer import BulkWriter
from bench.names import EMPLOYMENT_TYPES, FAMILY_NAMES, GIVEN_NAMES, department_names

BENCH_PASSWORD = "bench-pass-2026"  # published: the organisation is synthetic
EMPLOYEES_PER_BATCH = 2000

# Columns written in bulk, in the order of the rows built below.
EMPLOYEE_COLUMNS = [
    "id",
    "employee_no",
    "name",
    "name_kana",
    "department_id",
    "role",
    "employment_type",
    "password_hash",
    "active",
    "deactivated_at",
    "created_at",
    "updated_at",
]
ASSIGNMENT_COLUMNS = (
    "fiscal_year", "course_id", "employee_id", "due_date", "assigned_at", "rule_id", "department_id"
)  # fmt: skip
COMPLETION_COLUMNS = [
    "employee_id",
    "course_id",
    "course_version_id",
    "fiscal_year",
    "attempt_id",
    "completed_at",
    "score",
    "attempts_count",
    "certificate_code",
]
ATTEMPT_COLUMNS = [
    "id",
    "employee_id",
    "course_id",
    "course_version_id",
    "fiscal_year",
    "number",
    "started_at",
    "submitted_at",
    "correct_count",
    "score",
    "passed",
]
QUESTION_COLUMNS = [
    "id",
    "attempt_id",
    "position",
    "scenario_version_id",
    "choice_order",
    "selected",
    "answered_at",
    "correct",
]


@dataclass(frozen=True)
class Outcome:
    """What an employee did with one assigned course, and how often it happens."""

    name: str
    share: float
    failed_first: int  # submitted failing attempts
    passed: bool
    open_attempt: bool


OUTCOMES = (
    Outcome("passed first time", 0.58, 0, True, False),
    Outcome("failed, then passed", 0.12, 1, True, False),
    Outcome("failed twice, then passed", 0.01, 2, True, False),
    Outcome("failed, not passed yet", 0.04, 1, False, False),
    Outcome("quiz in progress", 0.06, 0, False, True),
    Outcome("failed, retaking", 0.02, 1, False, True),
    Outcome("not started", 0.17, 0, False, False),
)


@dataclass(frozen=True)
class CourseInfo:
    id: int
    key: str
    version_id: int
    pass_mark: int
    lesson_slugs: tuple[str, ...]
    draws: tuple[tuple[int, ...], ...]  # scenario version ids of quizzes drawn by the course's rules


@dataclass(frozen=True)
class ChoiceInfo:
    ids: tuple[int, ...]
    correct: frozenset[int]


def department_count(employees: int) -> int:
    """About the square root of the staff, between 50 and 300: a small town to a large city."""
    return max(50, min(300, round(math.sqrt(employees))))


def password_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(BENCH_PASSWORD)


class OrganisationBuilder:
    """Makes the rows of one organisation, batch by batch, with ids given here (the tables start empty)."""

    def __init__(
        self,
        writer: BulkWriter,
        employees: int,
        year: int,
        courses: list[CourseInfo],
        choices: dict[int, ChoiceInfo],
        rng: random.Random,
        now: datetime,
    ) -> None:
        self.writer = writer
        self.employees = employees
        self.year = year
        self.courses = courses
        self.choices = choices
        self.rng = rng
        self.year_start = datetime(year, 4, 1, tzinfo=UTC)
        self.year_end = min(now, datetime(year + 1, 3, 31, tzinfo=UTC)) - timedelta(hours=2)
        self.created = writer.timestamp(self.year_start - timedelta(days=30))
        self.next_attempt_id = 1
        self.next_question_id = 1
        self.certificate_codes: set[str] = set()
        self.rule_ids: dict[int, int] = {}
        self.departments: list[int] = []  # by employee id - 1
        self.due_date = date(year, 12, 28).isoformat()
        self.outcome_weights = [o.share for o in OUTCOMES]

    # Departments, employees and rules

    def write_departments(self) -> list[int]:
        """The departments; returns each employee's department id (uneven sizes, as in a city)."""
        names = department_names(department_count(self.employees))
        self.writer.write(
            "departments",
            ("id", "name", "created_at"),
            [(i, name, self.created) for i, name in enumerate(names, start=1)],
        )
        weights = [self.rng.lognormvariate(0, 0.6) for _ in names]
        members = list(range(1, len(names) + 1))  # one employee in each, at least
        members += self.rng.choices(range(1, len(names) + 1), weights=weights, k=self.employees - len(names))
        self.rng.shuffle(members)
        return members

    def write_employees(self, departments: list[int]) -> None:
        self.departments = departments  # an assignment's department of record is its employee's
        digest = password_hash()
        managed: set[int] = set()
        hr = self.rng.sample(range(1, self.employees + 1), k=min(5, self.employees))
        trainers = self.rng.sample(range(1, self.employees + 1), k=min(5, self.employees))
        batch = []
        types = [name for name, _ in EMPLOYMENT_TYPES]
        type_weights = [share for _, share in EMPLOYMENT_TYPES]
        for employee_id, department_id in enumerate(departments, start=1):
            family, family_kana = self.rng.choice(FAMILY_NAMES)
            given, given_kana = self.rng.choice(GIVEN_NAMES)
            if employee_id in hr:
                role = "hr"
            elif employee_id in trainers:
                role = "trainer"
            elif department_id not in managed:
                role = "manager"
                managed.add(department_id)
            else:
                role = "manager" if self.rng.random() < 0.03 else "employee"
            active = self.rng.random() >= 0.02 or role != "employee"
            batch.append(
                (
                    employee_id,
                    f"{employee_id:07d}",
                    f"{family} {given}",
                    f"{family_kana} {given_kana}",
                    department_id,
                    role,
                    self.rng.choices(types, weights=type_weights)[0],
                    digest,
                    self.writer.boolean(active),
                    None if active else self.writer.timestamp(self.year_start + timedelta(days=60)),
                    self.created,
                    self.created,
                )
            )
        self.writer.write("employees", EMPLOYEE_COLUMNS, batch)

    def write_rules(self) -> None:
        stamp = self.writer.timestamp(self.year_start)
        rows = []
        for rule_id, course in enumerate(self.courses, start=1):
            self.rule_ids[course.id] = rule_id
            rows.append((rule_id, self.year, course.id, "all", self.due_date, stamp))
        self.writer.write(
            "assignment_rules", ("id", "fiscal_year", "course_id", "scope", "due_date", "created_at"), rows
        )

    # Training records

    def moment(self) -> datetime:
        """A time during office hours (09:00 to 17:00 in Japan) on a day of the fiscal year so far."""
        days = max((self.year_end - self.year_start).days, 1)
        day = self.year_start + timedelta(days=self.rng.randrange(days))
        return day + timedelta(seconds=self.rng.randrange(8 * 3600))  # 00:00 UTC is 09:00 in Japan

    def write_records(self) -> None:
        for first in range(1, self.employees + 1, EMPLOYEES_PER_BATCH):
            last = min(first + EMPLOYEES_PER_BATCH, self.employees + 1)
            self.write_batch(range(first, last))

    def write_batch(self, employee_ids: range) -> None:
        assignments, attempts, questions, completions, views = [], [], [], [], []
        assigned = self.writer.timestamp(self.year_start)
        for employee_id in employee_ids:
            for course in self.courses:
                assignments.append(
                    (
                        self.year,
                        course.id,
                        employee_id,
                        self.due_date,
                        assigned,
                        self.rule_ids[course.id],
                        self.departments[employee_id - 1],
                    )
                )
                outcome = self.rng.choices(OUTCOMES, weights=self.outcome_weights)[0]
                if outcome.name == "not started":
                    continue
                started = self.moment()
                read = course.lesson_slugs
                if not (outcome.passed or outcome.failed_first):
                    read = read[: self.rng.randrange(len(read) + 1)]
                views.extend(
                    (employee_id, course.id, self.year, slug, self.writer.timestamp(started)) for slug in read
                )
                number = 0
                for _ in range(outcome.failed_first):
                    number += 1
                    started = self.add_attempt(
                        attempts, questions, employee_id, course, number, started, False
                    )
                if outcome.passed:
                    number += 1
                    attempt_id = self.next_attempt_id
                    submitted = self.add_attempt(
                        attempts, questions, employee_id, course, number, started, True
                    )
                    score = attempts[-1][8]
                    completions.append(
                        (
                            employee_id,
                            course.id,
                            course.version_id,
                            self.year,
                            attempt_id,
                            self.writer.timestamp(submitted),
                            score,
                            number,
                            self.certificate_code(),
                        )
                    )
                elif outcome.open_attempt:
                    number += 1
                    self.add_open_attempt(attempts, questions, employee_id, course, number, started)
        self.writer.write(
            "assignments",
            ASSIGNMENT_COLUMNS,
            assignments,
        )
        self.write_attempts(attempts, questions)
        self.writer.write("completions", COMPLETION_COLUMNS, completions)
        self.writer.write(
            "lesson_views",
            ("employee_id", "course_id", "fiscal_year", "lesson_slug", "first_viewed_at"),
            views,
        )
        self.writer.commit()

    def write_attempts(self, attempts: list[tuple], questions: list[tuple]) -> None:
        self.writer.write("attempts", ATTEMPT_COLUMNS, attempts)
        self.writer.write("attempt_questions", QUESTION_COLUMNS, questions)

    def add_attempt(
        self,
        attempts: list[tuple],
        questions: list[tuple],
        employee_id: int,
        course: CourseInfo,
        number: int,
        started: datetime,
        passing: bool,
    ) -> datetime:
        """A submitted attempt with every question answered; returns when it was submitted."""
        attempt_id, drawn = self.new_attempt(course)
        total = len(drawn)
        needed = math.ceil(total * course.pass_mark / 100)
        right = self.rng.randint(needed, total) if passing else self.rng.randint(0, needed - 1)
        correct_positions = set(self.rng.sample(range(total), right))
        submitted = started + timedelta(minutes=self.rng.randint(5, 30))
        for position, version_id in enumerate(drawn):
            answered = started + (submitted - started) * (position + 1) / (total + 1)
            questions.append(
                self.question_row(
                    attempt_id, position, version_id, answered, position in correct_positions, True
                )
            )
        score = round(100 * right / total)
        result = (self.writer.timestamp(submitted), right, score, self.writer.boolean(passing))
        attempts.append(self.attempt_row(attempt_id, employee_id, course, number, started, result))
        return submitted + timedelta(days=self.rng.randint(0, 3))

    def add_open_attempt(
        self,
        attempts: list[tuple],
        questions: list[tuple],
        employee_id: int,
        course: CourseInfo,
        number: int,
        started: datetime,
        answered_count: int | None = None,
    ) -> int:
        """An attempt in progress: the first few questions answered (all, if ``answered_count`` says so)."""
        attempt_id, drawn = self.new_attempt(course)
        if answered_count is None:
            answered_count = self.rng.randrange(len(drawn))
        for position, version_id in enumerate(drawn):
            answered = started + timedelta(minutes=position + 1) if position < answered_count else None
            questions.append(
                self.question_row(attempt_id, position, version_id, answered, self.rng.random() < 0.8, False)
            )
        attempts.append(self.attempt_row(attempt_id, employee_id, course, number, started))
        return attempt_id

    def new_attempt(self, course: CourseInfo) -> tuple[int, tuple[int, ...]]:
        """The next attempt id, and the scenario versions drawn for it by the course's rules."""
        attempt_id = self.next_attempt_id
        self.next_attempt_id += 1
        return attempt_id, self.rng.choice(course.draws)

    def attempt_row(
        self,
        attempt_id: int,
        employee_id: int,
        course: CourseInfo,
        number: int,
        started: datetime,
        result: tuple = (None, None, None, None),  # submitted at, correct count, score, passed
    ) -> tuple:
        """A row of ATTEMPT_COLUMNS; an attempt in progress has no result yet."""
        return (
            attempt_id,
            employee_id,
            course.id,
            course.version_id,
            self.year,
            number,
            self.writer.timestamp(started),
            *result,
        )

    def question_row(
        self,
        attempt_id: int,
        position: int,
        version_id: int,
        answered: datetime | None,
        right: bool,
        submitted: bool,
    ) -> tuple:
        """One drawn question; the answer given (right or wrong) if ``answered``, scored if ``submitted``."""
        choice = self.choices[version_id]
        order = list(choice.ids)
        self.rng.shuffle(order)
        selected = None
        if answered is not None:
            wrong = [i for i in choice.ids if i not in choice.correct]
            chosen = sorted(choice.correct) if right or not wrong else [self.rng.choice(wrong)]
            selected = json.dumps(chosen)
        question_id = self.next_question_id
        self.next_question_id += 1
        return (
            question_id,
            attempt_id,
            position,
            version_id,
            json.dumps(order),
            selected,
            None if answered is None else self.writer.timestamp(answered),
            self.writer.boolean(right) if submitted else None,
        )

    def certificate_code(self) -> str:
        from elearn.models.records import CODE_ALPHABET

        while True:
            chars = "".join(self.rng.choices(CODE_ALPHABET, k=13))
            code = "-".join((chars[0:4], chars[4:8], chars[8:13]))
            if code not in self.certificate_codes:
                self.certificate_codes.add(code)
                return code

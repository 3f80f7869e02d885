"""What must hold in the training records whatever happened to the server: the database's own check
(SQLite) and consistency queries over attempts, answers and completions (both databases)."""

from __future__ import annotations

from sqlalchemy import text

from elearn.extensions import db

# Each query counts rows that break a rule; every count must be 0.
RULES = {
    "completion without its attempt, or with an attempt that is not a submitted pass of the same "
    "employee, course and year": """
        SELECT count(*) FROM completions c LEFT JOIN attempts a ON a.id = c.attempt_id
        WHERE a.id IS NULL OR a.submitted_at IS NULL OR a.passed IS NOT TRUE
           OR a.employee_id != c.employee_id OR a.course_id != c.course_id
           OR a.fiscal_year != c.fiscal_year OR a.score != c.score""",
    "submitted attempt without its score": """
        SELECT count(*) FROM attempts
        WHERE submitted_at IS NOT NULL AND (score IS NULL OR correct_count IS NULL OR passed IS NULL)""",
    "open attempt with a score": """
        SELECT count(*) FROM attempts
        WHERE submitted_at IS NULL
          AND (score IS NOT NULL OR correct_count IS NOT NULL OR passed IS NOT NULL)""",
    "submitted attempt with an unmarked or unanswered question": """
        SELECT count(*) FROM attempt_questions q JOIN attempts a ON a.id = q.attempt_id
        WHERE a.submitted_at IS NOT NULL AND (q.correct IS NULL OR q.selected IS NULL)""",
    "attempt whose correct count is not its questions marked correct": """
        SELECT count(*) FROM attempts a
        WHERE a.submitted_at IS NOT NULL AND a.correct_count != (
            SELECT count(*) FROM attempt_questions q WHERE q.attempt_id = a.id AND q.correct IS TRUE)""",
    "attempt without questions": """
        SELECT count(*) FROM attempts a
        WHERE NOT EXISTS (SELECT 1 FROM attempt_questions q WHERE q.attempt_id = a.id)""",
    "question without its attempt": """
        SELECT count(*) FROM attempt_questions q LEFT JOIN attempts a ON a.id = q.attempt_id
        WHERE a.id IS NULL""",
    "passed attempt whose employee, course and year have no completion": """
        SELECT count(*) FROM attempts a
        WHERE a.passed IS TRUE AND NOT EXISTS (
            SELECT 1 FROM completions c WHERE c.employee_id = a.employee_id
              AND c.course_id = a.course_id AND c.fiscal_year = a.fiscal_year)""",
    "completion that is not the first pass of the year": """
        SELECT count(*) FROM completions c JOIN attempts a ON a.id = c.attempt_id
        WHERE EXISTS (
            SELECT 1 FROM attempts earlier
            WHERE earlier.employee_id = a.employee_id AND earlier.course_id = a.course_id
              AND earlier.fiscal_year = a.fiscal_year AND earlier.passed IS TRUE
              AND earlier.number < a.number)""",
    "attempt numbers of an employee, course and year not 1, 2, 3, …": """
        SELECT count(*) FROM (
            SELECT employee_id, course_id, fiscal_year FROM attempts
            GROUP BY employee_id, course_id, fiscal_year
            HAVING max(number) != count(*) OR min(number) != 1) gaps""",
}


def inconsistencies() -> dict[str, int]:
    """Rule -> offending rows, for the rules that are broken (empty when all hold)."""
    db.session.rollback()
    counts = {rule: db.session.scalar(text(query)) for rule, query in RULES.items()}
    return {rule: count for rule, count in counts.items() if count}


def database_check() -> list[str]:
    """SQLite's own integrity and foreign key checks; PostgreSQL keeps no such file to check."""
    if db.engine.dialect.name != "sqlite":
        return []
    with db.engine.connect() as connection:
        integrity = [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]
        foreign_keys = [str(tuple(row)) for row in connection.execute(text("PRAGMA foreign_key_check"))]
    return [line for line in integrity if line != "ok"] + foreign_keys

"""The checked-in migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import select, text

from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.models import Course, CourseVersion
from elearn.services.sync import sync_content
from tests.conftest import running_app

NOW = {"now": "2026-04-01 00:00:00.000000"}


def test_models_and_migrations_agree(migrated_template):
    with running_app(migrated_template), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_course_versions_synced_before_the_completion_rules_keep_the_old_rules(dbs):
    """0006: a version synced before has completion=quiz, the quiz open before the lessons and the
    full review (what its attempts were taken under); the next sync's version has the front matter's."""
    url = dbs.create("before-0006")
    with running_app(url):
        upgrade(revision="0005")
        db.session.execute(text("INSERT INTO courses (key, created_at) VALUES ('kihon-houshin', :now)"), NOW)
        # No id given: PostgreSQL's sequence must stay ahead of the rows the sync adds next.
        course_id = db.session.scalar(text("SELECT id FROM courses WHERE key = 'kihon-houshin'"))
        db.session.execute(
            text(
                "INSERT INTO course_versions (course_id, version, content_hash, title, summary, audience,"
                " pass_mark, quiz_rules, intro_html, created_at)"
                " VALUES (:course, 1, 'old', '基本方針を理解する', '', 'all', 80, :rules, '', :now)"
            ),
            {
                **NOW,
                "course": course_id,
                "rules": '{"questions": 10, "pool": {}, "minimum": {}, "fixed": [], "max_attempts": 0}',
            },
        )
        db.session.commit()
        upgrade()
        sync_content(PROJECT_ROOT)
        rules = db.session.execute(
            select(
                CourseVersion.version,
                CourseVersion.completion,
                CourseVersion.quiz_after_lessons,
                CourseVersion.review,
            )
            .join(Course)
            .where(Course.key == "kihon-houshin")
            .order_by(CourseVersion.version)
        ).all()
        assert [tuple(r) for r in rules] == [
            (1, "quiz", False, "always"),
            (2, "lessons_and_quiz", True, "after_pass"),
        ]
        if db.engine.dialect.name == "sqlite":  # adding columns must not have rebuilt completions
            triggers = db.session.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'completions'")
            ).all()
            assert {"completions_no_delete", "completions_no_update"} <= set(triggers)


def test_employee_numbers_typed_in_lower_case_before_are_upper_cased_unless_taken(dbs):
    from flask_migrate import upgrade
    from sqlalchemy import text

    url = dbs.create("lower-case-numbers")
    try:
        with running_app(url):
            upgrade(revision="0005")
            db.session.execute(
                text("INSERT INTO departments (name, created_at) VALUES ('市民課', '2026-01-01')")
            )
            for number in ("d0009", "e0001", "E0001"):
                db.session.execute(
                    text(
                        "INSERT INTO employees (employee_no, name, department_id, role, active,"
                        " created_at, updated_at)"
                        " VALUES (:no, '旧 番号', 1, 'employee', true, '2026-01-01', '2026-01-01')"
                    ),
                    {"no": number},
                )
            db.session.commit()
            upgrade()
            numbers = set(db.session.scalars(text("SELECT employee_no FROM employees")))
        assert numbers == {"D0009", "e0001", "E0001"}  # e0001 stays: E0001 is someone else
    finally:
        dbs.drop(url)

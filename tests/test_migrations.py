"""The checked-in migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from elearn.extensions import db
from tests.conftest import running_app


def test_models_and_migrations_agree(migrated_template):
    with running_app(migrated_template), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


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

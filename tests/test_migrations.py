"""The checked-in migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from elearn.extensions import db
from tests.conftest import make_app


def test_models_and_migrations_agree(migrated_template):
    app = make_app(migrated_template)
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()

"""The migrations build exactly the tables of store/ (nothing forgotten in a migration), on
SQLite and PostgreSQL, and the audit log refuses changes at the database level."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from jixiao.store.migrate import current
from jixiao.store.migrate import head
from jixiao.store.schema import Base


def test_the_migrated_database_has_exactly_the_tables_of_the_code(database):
    assert current(database) == head()
    with database.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_the_audit_log_is_append_only_in_the_database(database):
    with database.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, action, object_type, object_id) "
                          "VALUES (CURRENT_TIMESTAMP, 'x', 'document', '1')"))
    for statement in ("UPDATE audit_log SET action = 'y'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), database.engine.begin() as conn:
            conn.execute(text(statement))
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT action FROM audit_log")).scalars().all() == ["x"]

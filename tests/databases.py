"""Databases for storage, service and API tests: SQLite always, PostgreSQL when
``JIXIAO_TEST_PG_URL`` is set (``make test`` sets it when 127.0.0.1:5432 answers).

Each test gets a fresh database copied from one migrated template (a file copy on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL), so tests never see each other's rows and the
append-only audit log needs no cleaning.
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text

from jixiao.store.db import Database
from jixiao.store.db import normalise_url
from jixiao.store.migrate import upgrade

PG_URL = os.environ.get("JIXIAO_TEST_PG_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def pg_admin():
    return create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")


def pg_url(name: str) -> str:
    base = normalise_url(PG_URL)
    return base.rsplit("/", 1)[0] + "/" + name


def create_pg_database(name: str, template: str | None = None) -> str:
    engine = pg_admin()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    engine.dispose()
    return pg_url(name)


def drop_pg_database(name: str) -> None:
    engine = pg_admin()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "template.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template():
    if not PG_URL:
        yield None
        return
    name = f"jixiao_tmpl_{os.getpid()}"
    drop_pg_database(name)
    db = Database(create_pg_database(name))
    upgrade(db)
    db.dispose()
    yield name
    drop_pg_database(name)


def fresh_database(backend: str, tmp_path, sqlite_template, pg_template):
    """(Database, cleanup) of a new migrated database on ``backend``."""
    if backend == "sqlite":
        path = tmp_path / f"jixiao-{uuid.uuid4().hex[:8]}.db"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
        return db, db.dispose
    name = f"jixiao_t_{uuid.uuid4().hex[:12]}"
    db = Database(create_pg_database(name, pg_template))

    def cleanup():
        db.dispose()
        drop_pg_database(name)

    return db, cleanup


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path, sqlite_template, pg_template):
    db, cleanup = fresh_database(request.param, tmp_path, sqlite_template, pg_template)
    yield db
    cleanup()

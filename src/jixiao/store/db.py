"""The database URL, the engine and sessions (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from jixiao.store import sums


def data_dir() -> Path:
    """``$JIXIAO_DATA_DIR`` or ``./var``: the SQLite database and anything else kept on disk."""
    return Path(os.environ.get("JIXIAO_DATA_DIR") or "var")


def database_url() -> str:
    """``$JIXIAO_DATABASE_URL``, or a SQLite file in the data folder."""
    url = os.environ.get("JIXIAO_DATABASE_URL")
    if url:
        return normalise_url(url)
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / 'jixiao.db').resolve()}"


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (the driver jixiao installs)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_sqlite(url_or_engine: str | Engine) -> bool:
    url = url_or_engine if isinstance(url_or_engine, str) else str(url_or_engine.url)
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers go on while one writer writes; foreign keys are off by default in SQLite;
    # a writer waits up to 30 s for the lock instead of failing at once (twenty importers at once)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn) -> None:
    # a writing transaction takes the write lock when it starts (BEGIN IMMEDIATE): two writers
    # never both read and then fail to upgrade their lock (SQLite's "database is locked"); a
    # reading one (session(write=False)) does not lock out the writers (WAL)
    write = conn.get_execution_options().get("jixiao_write", True)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = normalise_url(url) if url else database_url()
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # dsum(x): exact sums of Decimal text (SQLite's own sum is a float; store/sums.py)
        event.listen(engine, "connect", sums.register)
        # pysqlite's own transaction handling is switched off so that BEGIN IMMEDIATE is ours
        event.listen(engine, "connect", lambda c, _r: setattr(c, "isolation_level", None))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


class Database:
    """One engine and its session factory: what the CLI, the API and the jobs share."""

    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or make_engine(url)
        self.url = str(self.engine.url.render_as_string(hide_password=False))
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error.
        ``write=False`` for a transaction that only reads (on SQLite it takes no write lock)."""
        with self.sessions() as session, session.begin():
            session.connection(execution_options={"jixiao_write": write})
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

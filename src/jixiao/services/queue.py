"""The multi-machine job runner: procrastinate, a job queue kept in the same PostgreSQL database
(``JIXIAO_JOBS=procrastinate``; why this one: docs/jobs.md).

* Enqueue: ``submit`` inserts the job row and defers the procrastinate job on the *same*
  connection, in the same transaction (procrastinate's ``configure(connection=…)``): both are
  committed together or not at all, and procrastinate's NOTIFY wakes a worker at commit.
* Run: ``jixiao worker`` (:func:`run_worker`) on any machine that reaches the database; the
  task is synchronous, procrastinate runs it in a thread of its asyncio worker. Progress is
  written to the ``jobs`` table by :func:`jixiao.services.jobs.run_job`, the same as in-process.
* A worker that dies (``kill -9``, a lost machine) stops sending heartbeats; after
  ``$JIXIAO_WORKER_STALLED`` seconds (60) without one, its jobs are *stalled*: every worker looks
  for them when it starts and then every minute (a periodic task), puts the job row back to
  排队中 and retries the queue entry; the job starts again from its first file (what was imported
  is found already there, nothing is imported twice).
* Schema: procrastinate's own tables and functions (``procrastinate_*``), installed by
  :func:`ensure_schema` when missing (the worker and the first submit call it; an advisory lock
  keeps two processes from installing it at once).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading

from sqlalchemy import text
from sqlalchemy.orm import Session

from jixiao.services.errors import Invalid
from jixiao.store.db import Database
from jixiao.store.db import is_sqlite

log = logging.getLogger(__name__)

QUEUE = "jixiao"
TASK = "jixiao.run_job"
RECOVER = "jixiao.recover_stalled"
_SCHEMA_LOCK = 7_461_022_801  # pg_advisory_xact_lock key: installing procrastinate's schema


def conninfo(database: Database) -> str:
    """The libpq URL of ``database`` (procrastinate opens its own psycopg pool in the worker)."""
    if is_sqlite(database.engine):
        raise Invalid("JIXIAO_JOBS=procrastinate 需要 PostgreSQL 数据库（设置 JIXIAO_DATABASE_URL=postgresql://…）；"
                      "SQLite 请用默认的进程内任务（JIXIAO_JOBS=thread）", code="queue_needs_postgresql")
    return database.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run_task(context, job_id: str) -> str:
    from jixiao.services.jobs import run_job

    return run_job(context.additional_context["jixiao_db"], job_id)


def heartbeat_seconds() -> float:
    return float(os.environ.get("JIXIAO_WORKER_HEARTBEAT") or 10)


def stalled_seconds() -> float:
    """A worker without a heartbeat for this long is gone: its jobs are run again."""
    return float(os.environ.get("JIXIAO_WORKER_STALLED") or 60)


async def recover_stalled(app, database: Database) -> list[str]:
    """Put the jobs of dead workers back in the queue; returns their ids."""
    from jixiao.services.jobs import requeue

    recovered = []
    stalled = await app.job_manager.get_stalled_jobs(queue=QUEUE, task_name=TASK,
                                                      seconds_since_heartbeat=stalled_seconds())
    for entry in stalled:
        job_id = str(entry.task_kwargs.get("job_id"))
        await asyncio.to_thread(requeue, database, job_id, "工作进程中断，任务重新排队")
        await app.job_manager.retry_job(entry)
        log.warning("job %s of a stalled worker put back in the queue", job_id)
        recovered.append(job_id)
    return recovered


async def _recover_task(context, timestamp: int) -> None:
    await recover_stalled(context.app, context.additional_context["jixiao_db"])


def make_app(dsn: str | None = None):
    """A procrastinate App with jixiao's tasks. Without ``dsn`` it can only defer on a
    connection it is given (what ``submit`` does: no pool of its own in the server)."""
    import procrastinate

    connector = procrastinate.PsycopgConnector(conninfo=dsn) if dsn else procrastinate.PsycopgConnector()
    app = procrastinate.App(connector=connector)
    app.task(name=TASK, queue=QUEUE, pass_context=True)(_run_task)
    recover = app.task(name=RECOVER, queue=QUEUE, pass_context=True, queueing_lock=RECOVER)(_recover_task)
    app.periodic(cron="* * * * *", periodic_id="stalled")(recover)
    return app


def schema_installed(database: Database) -> bool:
    with database.engine.connect() as conn:
        return conn.scalar(text("SELECT to_regclass('procrastinate_jobs')")) is not None


def ensure_schema(database: Database) -> bool:
    """Install procrastinate's schema when it is missing; True if it was installed now."""
    from procrastinate.schema import SchemaManager

    conninfo(database)
    with database.engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        if conn.scalar(text("SELECT to_regclass('procrastinate_jobs')")) is not None:
            return False
        # psycopg runs a script of several statements when it is given no parameters
        conn.connection.driver_connection.execute(SchemaManager.get_schema())
        return True


class ProcrastinateRunner:
    name = "procrastinate"

    def __init__(self) -> None:
        self._app = None
        self._ready: set[str] = set()
        self._lock = threading.Lock()

    def check(self, database: Database) -> None:
        url = conninfo(database)
        with self._lock:
            if url not in self._ready:
                ensure_schema(database)
                self._ready.add(url)

    def enqueue(self, session: Session, database: Database, job_id: str) -> None:
        with self._lock:
            if self._app is None:
                self._app = make_app()
        connection = session.connection().connection.driver_connection
        self._app.tasks[TASK].configure(connection=connection).defer(job_id=job_id)

    def started(self, database: Database, job_id: str) -> None:
        pass  # a worker takes it (woken by the NOTIFY sent when the transaction committed)

    def shutdown(self, wait: bool = True) -> None:
        pass  # nothing runs in this process


def run_worker(database: Database, *, concurrency: int = 2, wait: bool = True, name: str | None = None,
               install_signal_handlers: bool = True) -> None:
    """Run jobs until stopped (SIGINT/SIGTERM: running jobs finish first), or with
    ``wait=False`` until the queue is empty."""
    ensure_schema(database)
    app = make_app(conninfo(database))

    async def main() -> None:
        async with app.open_async():
            await recover_stalled(app, database)
            await app.run_worker_async(
                queues=[QUEUE], concurrency=concurrency, wait=wait, name=name,
                additional_context={"jixiao_db": database}, delete_jobs="successful",
                install_signal_handlers=install_signal_handlers, update_heartbeat_interval=heartbeat_seconds(),
                stalled_worker_timeout=stalled_seconds())

    asyncio.run(main())

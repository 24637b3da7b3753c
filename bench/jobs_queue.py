"""The two job runners side by side, on a fresh PostgreSQL database (docs/jobs.md):

* **submit**: ``jobs.submit`` of an import job of one uploaded file (the job row, the bytes, the
  audit entry — and for procrastinate the queue entry — in one transaction), ms per call;
* **pickup**: from ``submit`` returning to the job leaving 排队中 (the thread pool's hand-off, or
  procrastinate's NOTIFY reaching a ``jixiao worker`` process and its fetch), ms;
* **end to end**: from ``submit`` to 已完成 for the one-file import (seed 004), ms.

    python bench/jobs_queue.py [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--jobs 40]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from jixiao.services import jobs  # noqa: E402
from jixiao.services import orgs  # noqa: E402
from jixiao.services.context import Ctx  # noqa: E402
from jixiao.store.db import Database  # noqa: E402
from jixiao.store.db import normalise_url  # noqa: E402
from jixiao.store.migrate import upgrade  # noqa: E402

SEED = next((REPO / "tests" / "data" / "seeds").glob("004_*.txt"))


def _admin(url: str):
    return create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")


def _quantiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"p50 {statistics.median(values):6.1f}  p95 {p95:6.1f}  max {values[-1]:6.1f}"


def _run(database: Database, n: int) -> dict[str, list[float]]:
    ctx = Ctx(database)
    data = SEED.read_bytes()
    submit, pickup, total = [], [], []
    for i in range(n):
        # distinct bytes per job (a trailing line): each one is a real import, not "already there"
        body = data + f"\n# {i} {uuid.uuid4()}\n".encode()
        t0 = time.perf_counter()
        job = jobs.submit(ctx, "import", {"org": "43", "year": 2023, "files": [(f"{i}.txt", body)]})
        t1 = time.perf_counter()
        started = None
        while True:
            state = jobs.get_job(ctx, job["id"])["state"]
            now = time.perf_counter()
            if started is None and state != "queued":
                started = now
            if state in ("done", "failed"):
                break
            time.sleep(0.001)
        assert state == "done", jobs.get_job(ctx, job["id"])
        submit.append((t1 - t0) * 1000)
        pickup.append((started - t1) * 1000)
        total.append((now - t0) * 1000)
    return {"submit": submit, "pickup": pickup, "end to end": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("JIXIAO_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--jobs", type=int, default=40)
    args = parser.parse_args()
    name = f"jixiao_bench_jobs_{os.getpid()}"
    admin = _admin(args.pg)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = normalise_url(args.pg).rsplit("/", 1)[0] + "/" + name
    database = Database(url)
    worker = None
    try:
        upgrade(database)
        with database.session() as s:
            orgs.add_org(s, name="湖南省财政厅", level="region", code="43")
        print(f"{args.jobs} import jobs of one file each, one after the other (ms)")
        os.environ["JIXIAO_JOBS"] = "thread"
        for label, values in _run(database, args.jobs).items():
            print(f"  thread         {label:<11} {_quantiles(values)}")
        jobs.shutdown()
        os.environ["JIXIAO_JOBS"] = "procrastinate"
        env = {**os.environ, "JIXIAO_DATABASE_URL": url}
        from jixiao.services import queue

        queue.ensure_schema(database)
        worker = subprocess.Popen([sys.executable, "-m", "jixiao.cli", "worker", "-c", "1"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)  # the worker's start (imports, pool, LISTEN)
        for label, values in _run(database, args.jobs).items():
            print(f"  procrastinate  {label:<11} {_quantiles(values)}")
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(60)
        database.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

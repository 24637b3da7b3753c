"""API latency under load: 20 concurrent clients against a database of 20,000 projects.

``python bench/api_load.py --pg postgresql://postgres@127.0.0.1:5432/postgres`` (part of ``make
bench``). It fills a PostgreSQL database ``jixiao_bench_api`` once (``bench/service_import.py``'s
``build``: 2,000 documents of 13 target sets over 200 departments, 20,000 projects; kept between
runs unless ``--rebuild``), starts ``jixiao serve --workers 2`` on it, logs in as a finance
reviewer of the region (so every query is scoped, as a real user's is), then 20 client threads
each send ``--requests`` requests to each endpoint in turn, and stop:

* list: ``GET /api/v1/documents?year=2023&limit=20&offset=…`` (a random page of the current
  versions: the copies of one department are versions of one series, so 200 are current)
* document: ``GET /api/v1/documents/{id}`` (a random document: the parse JSON of seed 001)
* findings: ``GET /api/v1/documents/{id}/findings?limit=50``

Prints p50 / p95 / p99 in milliseconds per endpoint and the requests per second, then one JSON
line. The load and the server share this machine's cores: the figures include that contention.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from service_import import build  # noqa: E402

from jixiao.services import auth  # noqa: E402
from jixiao.services import users  # noqa: E402
from jixiao.services.context import Ctx  # noqa: E402
from jixiao.store import schema as db  # noqa: E402
from jixiao.store.db import Database  # noqa: E402
from jixiao.store.db import normalise_url  # noqa: E402
from jixiao.store.migrate import upgrade  # noqa: E402

NAME = "jixiao_bench_api"


def database(server: str, copies: int, rebuild: bool) -> Database:
    url = normalise_url(server).rsplit("/", 1)[0] + "/" + NAME
    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": NAME}).scalar()
        if rebuild and exists:
            conn.execute(text(f'DROP DATABASE "{NAME}" WITH (FORCE)'))
            exists = False
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{NAME}"'))
    admin.dispose()
    db_ = Database(url)
    upgrade(db_)
    with db_.session(write=False) as s:
        have = s.scalar(select(func.count()).select_from(db.Document))
    if have < copies:
        if have:
            raise SystemExit(f"{NAME} holds {have} documents, fewer than {copies}: run with --rebuild")
        print(f"filling {NAME} with {copies} documents …", file=sys.stderr)
        print(json.dumps(build(db_, copies, report_every=200)), file=sys.stderr)
    return db_


def user(db_: Database) -> tuple[str, str]:
    """The finance reviewer the load logs in as: created once, a new password on every run."""
    with db_.session() as s:
        existing = s.scalar(select(db.User).where(db.User.username == "bench"))
        if existing is not None:
            password = users.generate_password()
            existing.password_hash = auth.hash_password(password)
            return "bench", password
    _, password = users.add_user(Ctx(db_), "bench", role="finance_reviewer", org="BENCH")
    return "bench", password


def serve(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "JIXIAO_DATABASE_URL": url}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "jixiao"), "serve", "--port", str(port),
                             "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def measure(base: str, client_options, path, clients: int, requests: int) -> dict:
    """``clients`` threads, each with its own ``httpx.Client(base_url=base, **client_options(i))``,
    send ``requests`` GETs of ``path(i, k, rng)`` back to back; latency percentiles and rate."""
    times: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        rng = random.Random(i)
        with httpx.Client(base_url=base, timeout=60, **client_options(i)) as c:
            for k in range(requests):
                start = time.perf_counter()
                resp = c.get(path(i, k, rng))
                spent = time.perf_counter() - start
                with lock:
                    times.append(spent)
                    if resp.status_code != 200:
                        errors.append(resp.status_code)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    q = statistics.quantiles(times, n=100)
    return {"requests": len(times), "errors": len(errors), "p50_ms": round(q[49] * 1000, 1),
            "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "per_s": round(len(times) / wall, 1)}


def load(base: str, token: str, ids: list[int], total: int, clients: int, requests: int) -> dict:
    endpoints = {
        "list": lambda i, k, r: f"/api/v1/documents?year=2023&limit=20&offset={r.randrange(0, max(total - 20, 1))}",
        "document": lambda i, k, r: f"/api/v1/documents/{r.choice(ids)}",
        "findings": lambda i, k, r: f"/api/v1/documents/{r.choice(ids)}/findings?limit=50",
    }
    bearer = {"headers": {"Authorization": f"Bearer {token}"}}
    out = {}
    for name, path in endpoints.items():
        r = out[name] = measure(base, lambda i: bearer, path, clients, requests)
        print(f"{name:9s} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  "
              f"{r['per_s']:6.1f} 请求/秒  （{r['requests']} 次，{clients} 个并发客户端，失败 {r['errors']}）")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--copies", type=int, default=2000, help="documents of seed 001 (13 target sets each)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=50, help="per client and endpoint")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    db_ = database(args.pg, args.copies, args.rebuild)
    with db_.session(write=False) as s:
        ids = list(s.scalars(select(db.Document.id)))
        projects = s.scalar(select(func.count()).select_from(db.TargetSet).where(db.TargetSet.project.is_not(None)))
    username, password = user(db_)
    proc = serve(db_.url, args.port)
    try:
        base = f"http://127.0.0.1:{args.port}"
        token = httpx.post(f"{base}/api/v1/login", json={"username": username, "password": password}).json()["token"]
        listed = httpx.get(f"{base}/api/v1/documents?year=2023&limit=1",
                           headers={"Authorization": f"Bearer {token}"}).json()["total"]  # current versions
        print(f"数据库：{len(ids)} 个文档，{projects} 个项目（PostgreSQL）；服务：2 个进程")
        out = load(base, token, ids, listed, args.clients, args.requests)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        db_.dispose()
    print(json.dumps({"api_load": {"documents": len(ids), "projects": projects, **out}}, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Server time of every web page on the 20,000-project database, in this process, one client.

``python bench/web_pages.py --pg postgresql://postgres@127.0.0.1:5432/postgres`` (part of ``make
bench``): the database of ``bench/api_load.py`` (``jixiao_bench_api``: 2,000 documents of 13
target sets, 20,000 projects; filled once by its ``database``), the app of
``jixiao serve`` (``jixiao.server:create_app``) called in this process through Starlette's
``TestClient``, logged in by the login page as a finance reviewer of the region (``bench_web``,
the user of ``bench/web_render.py --pages``) and, for 管理 and the editing pages, as an
administrator of the region (``bench_web_admin``). Each page is requested ``--runs`` times (a
document page over ``--runs`` different documents, after one first visit each that reads the
original file again and is reported apart as ``文档（首次）``). Printed per page: p50 / p95 of
the time of the answer (wall) and of the CPU time this process spent on it (the database's own
CPU is not in it; the wall is), the SQL statements per request and the page's size, then one
JSON line. ``--profile PATH`` prints cProfile's top functions (by cumulative time) for one page,
``--sql PATH`` the statements one request of it runs, with their times.

The monitoring and operational-data pages (绩效运行监控 …) need approved targets documents and a
round; made once through the services and kept in the database (later runs reuse them): seed 002
(沅江, a 绩效目标申报 of 7 target sets) copied 3,000 times over the 200 departments, approved (as
``bench/monitoring_round.py`` fills its database; the document pages above are still timed on
the 2,000 budget disclosures, the lists count both), a round of the region (``BENCH``) at
2023-06-30 (``monitoring.open_round``: 21,000 监控表), one 监控表 filled (spent 0, an indicator at
0: red), a 整改 task opened on it, a source of 政务大厅办件 records (``tests/opdata_records.py``:
2,000 records of 2023 over 20 departments, the sheet's among them) saved and imported, the metric 政务大厅办件量 defined
over it and bound to an indicator of that 监控表; then ANALYZE of the tables written (the bench's
server runs without autovacuum).

The aim (issue 9): server time p95 per page < 150 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))  # tests/opdata_records.py

AIM_MS = 150


def _user(db_, username: str, role: str) -> str:
    """The user ``username`` of the bench region with a new password (created once)."""
    from sqlalchemy import select

    from jixiao.services import auth
    from jixiao.services import users
    from jixiao.services.context import Ctx
    from jixiao.store import schema as db

    password = f"{username}-{random.randrange(10**9)}"
    with db_.session() as s:
        found = s.scalar(select(db.User).where(db.User.username == username))
        if found is not None:
            found.password_hash, found.active, found.role = auth.hash_password(password), True, role
    if found is None:
        users.add_user(Ctx(db_), username, role=role, org="BENCH", password=password)
    return password


class Counter:
    """SQL statements run on the engine (and their times, when ``keep``)."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.n = 0
        self.keep = False
        self.statements: list[tuple[float, str]] = []
        self._start: dict[int, float] = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.n += 1
        self._start[id(cursor)] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        started = self._start.pop(id(cursor), None)
        if self.keep and started is not None:
            self.statements.append(((time.perf_counter() - started) * 1000, " ".join(statement.split())[:240]))


def _ids(db_) -> dict:
    from sqlalchemy import func
    from sqlalchemy import select

    from jixiao.store import schema as db

    with db_.session(write=False) as s:
        # the budget disclosures of api_load.py (not the targets documents the monitoring round is of)
        docs = list(s.scalars(select(db.Document.id).where(db.Document.kind != "targets").order_by(db.Document.id)))
        target_set = s.scalar(select(db.TargetSet.id).where(db.TargetSet.project.is_not(None))
                              .order_by(db.TargetSet.id).limit(1))
        projects = s.scalar(select(func.count()).select_from(db.TargetSet)
                            .join(db.Document, db.Document.id == db.TargetSet.document_id)
                            .where(db.TargetSet.project.is_not(None), db.Document.kind != "targets"))
    random.Random(7).shuffle(docs)
    return {"documents": docs, "target_set": target_set, "projects": projects}


MONITORING_AS_OF = "2023-06-30"
TARGETS_COPIES = 3000  # approved targets documents of seed 002 (7 target sets each): 21,000 监控表
OPDATA_SOURCE = "政务大厅办件"
OPDATA_METRIC = "政务大厅办件量"
ANALYZED = ("documents", "doc_tables", "target_sets", "indicators", "monitoring_sheets", "monitoring_entries",
            "rectification_tasks", "op_records", "orgs")


def _targets(db_, copies: int) -> int:
    """Seed 002 (沅江, a targets document of 7 target sets) imported once under the first bench
    department, then copied ``copies`` times over the 200 departments, every copy approved and
    its own series (multi-row INSERTs, as ``bench/monitoring_round.py`` fills its database);
    returns the target sets added."""
    from monitoring_round import _columns
    from sqlalchemy import insert
    from sqlalchemy import select

    from jixiao.services import imports
    from jixiao.services.context import Ctx
    from jixiao.store import schema as db

    with db_.session(write=False) as s:
        departments = list(s.scalars(select(db.Org.id).where(db.Org.level == "department", db.Org.code.like("D%"))
                                     .order_by(db.Org.code)))
        first_code = s.get(db.Org, departments[0]).code
    seed = next((REPO / "tests" / "data" / "seeds").glob("002_*.txt"))
    first = imports.import_path(Ctx(db_), seed, org=first_code, year=2023)
    with db_.session() as s:
        doc = s.get(db.Document, first["id"])
        doc.state = "approved"
        tables = s.scalars(select(db.DocTable).where(db.DocTable.document_id == doc.id)).all()
        sets = s.scalars(select(db.TargetSet).where(db.TargetSet.document_id == doc.id)).all()
        indicators = {ts.id: s.scalars(select(db.Indicator).where(db.Indicator.target_set_id == ts.id)).all()
                      for ts in sets}
        D, T, TS, IND = (x.__table__ for x in (db.Document, db.DocTable, db.TargetSet, db.Indicator))
        for start in range(1, copies, 500):
            n = min(500, copies - start)
            shas = [hashlib.sha256(f"bench-targets-{start + i}".encode()).hexdigest() for i in range(n)]
            s.execute(insert(db.SourceFile.__table__), [
                {"sha256": h, "name": "b.txt", "format": "txt", "size": 1, "content": b"b", "uploaded_at": doc.created_at}
                for h in shas])
            doc_ids = s.execute(insert(D).returning(D.c.id, sort_by_parameter_order=True), [
                _columns(doc, skip=("id", "parsed"), series=f"bench-targets-{start + i}", source_sha256=h, parsed={},
                         org_id=departments[(start + i) % len(departments)])
                for i, h in enumerate(shas)]).scalars().all()
            table_rows = [(d, t) for d in doc_ids for t in tables]
            table_ids = s.execute(insert(T).returning(T.c.id, sort_by_parameter_order=True), [
                _columns(t, document_id=d) for d, t in table_rows]).scalars().all()
            table_of = {(d, t.id): new for (d, t), new in zip(table_rows, table_ids, strict=True)}
            set_rows = [(d, ts) for d in doc_ids for ts in sets]
            set_ids = s.execute(insert(TS).returning(TS.c.id, sort_by_parameter_order=True), [
                _columns(ts, document_id=d, table_id=table_of[(d, ts.table_id)]) for d, ts in set_rows]).scalars().all()
            s.execute(insert(IND), [_columns(ind, target_set_id=new)
                                    for (d, ts), new in zip(set_rows, set_ids, strict=True)
                                    for ind in indicators[ts.id]])
    return copies * len(sets)


def monitoring(db_) -> dict:
    """The round, its filled 监控表, the 整改 task and the operational-data source the monitoring
    pages are timed on (made once, through the services; see the module's docstring)."""
    from datetime import date

    from sqlalchemy import func
    from sqlalchemy import select
    from sqlalchemy import text
    from tests.opdata_records import MAPPINGS
    from tests.opdata_records import METRICS
    from tests.opdata_records import generate
    from tests.opdata_records import write_csv

    from jixiao.services import monitoring as mo
    from jixiao.services import operational_data as od
    from jixiao.services import rectification
    from jixiao.services.context import Ctx
    from jixiao.store import schema as db

    ctx = Ctx(db_)
    with db_.session(write=False) as s:
        region = s.scalar(select(db.Org).where(db.Org.code == "BENCH"))
        round_id = s.scalar(select(db.MonitoringRound.id).where(
            db.MonitoringRound.org_id == region.id, db.MonitoringRound.as_of == date.fromisoformat(MONITORING_AS_OF)))
        have = s.scalar(select(func.count()).select_from(db.Document).where(db.Document.kind == "targets"))
    if round_id is None and not have:
        started = time.perf_counter()
        sets = _targets(db_, TARGETS_COPIES)
        print(f"（已加入 {TARGETS_COPIES} 个已审核的绩效目标申报，{sets} 个绩效目标，"
              f"{time.perf_counter() - started:.1f} 秒）", file=sys.stderr)
    if round_id is None:
        started = time.perf_counter()
        round_id = mo.open_round(ctx, org="BENCH", year=2023, as_of=MONITORING_AS_OF)["id"]
        print(f"（已开启监控轮次 {round_id}，{time.perf_counter() - started:.1f} 秒）", file=sys.stderr)
    with db_.session(write=False) as s:
        sheet_id = s.scalar(select(db.RectificationTask.sheet_id).join(
            db.MonitoringSheet, db.MonitoringSheet.id == db.RectificationTask.sheet_id)
            .where(db.MonitoringSheet.round_id == round_id).order_by(db.RectificationTask.id).limit(1))
        source_id = s.scalar(select(db.OpSource.id).where(db.OpSource.org_id == region.id,
                                                           db.OpSource.name == OPDATA_SOURCE))
        units = list(s.scalars(select(db.Org.code).where(db.Org.level == "department", db.Org.code.like("D%"))
                               .order_by(db.Org.code).limit(20)))
    if sheet_id is None:
        whole = mo.get_round(ctx, round_id)
        sheet_id = whole["sheets"][len(whole["sheets"]) // 2]["id"]
        sheet = mo.get_sheet(ctx, sheet_id)
        first = str(sheet["entries"][0]["indicator_id"])
        mo.fill_sheet(ctx, sheet_id, {"spent": "0", "entries": {first: {"to_date": "0", "expected": "0"}}})
        rectification.open_task(ctx, sheet_id, owner="bench_web", deadline="2023-09-30")
    if source_id is None:
        with db_.session(write=False) as s:  # the records name the filled sheet's department among them
            own = s.scalar(select(db.Org.code).join(db.MonitoringSheet, db.MonitoringSheet.org_id == db.Org.id)
                           .where(db.MonitoringSheet.id == sheet_id))
        units = sorted({*units[:19], own})
        source_id = od.save_source(ctx, org="BENCH", name=OPDATA_SOURCE, mapping=MAPPINGS[OPDATA_SOURCE])["id"]
        with tempfile.TemporaryDirectory() as tmp:
            path = write_csv(Path(tmp) / "办件.csv", OPDATA_SOURCE,
                             generate(OPDATA_SOURCE, 2000, units, seed=5, start=date(2023, 1, 1),
                                      end=date(2023, 12, 31)))
            od.import_records(ctx, source_id, path)
        metric = od.save_metric(ctx, org="BENCH", name=OPDATA_METRIC, source=source_id,
                                definition=METRICS[OPDATA_METRIC][1])
        bound = next(e for e in mo.get_sheet(ctx, sheet_id)["entries"] if e["kind"] == "quantitative")
        od.bind_indicator(ctx, bound["indicator_id"], metric["id"])
        with db_.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # the planner's statistics of what was added, as autovacuum would gather them (it is
            # off on the bench's server): without them PostgreSQL guesses one row per table
            for table in ANALYZED:
                conn.execute(text(f"ANALYZE {table}"))
    with db_.session(write=False) as s:
        dept = s.scalar(select(db.MonitoringSheet.org_id).where(db.MonitoringSheet.id == sheet_id))
    return {"round": round_id, "sheet": sheet_id, "source": source_id, "dept": dept}


def autovacuum(db_) -> list[str]:
    """What autovacuum would have done by now (the bench's server runs without it): VACUUM
    (ANALYZE) of a table whose inserted or dead rows since its last vacuum pass autovacuum's
    default thresholds (1,000 + 20 % inserted, 50 + 20 % dead: the visibility map index-only
    scans need), else ANALYZE of one whose changed rows pass 50 + 10 %; returns the tables done.
    Every run, before timing: a no-op when nothing changed (api_load.py's tables, findings among
    them, were otherwise never vacuumed nor analyzed)."""
    from sqlalchemy import text

    done = []
    with db_.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        rows = conn.execute(text(
            "SELECT s.relname, greatest(c.reltuples, 0), s.n_ins_since_vacuum, s.n_dead_tup, s.n_mod_since_analyze "
            "FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid ORDER BY s.relname")).all()
        for name, tuples, inserted, dead, changed in rows:
            if inserted > 1000 + 0.2 * tuples or dead > 50 + 0.2 * tuples:
                conn.execute(text(f'VACUUM (ANALYZE) "{name}"'))
                done.append(name)
            elif changed > 50 + 0.1 * tuples:
                conn.execute(text(f'ANALYZE "{name}"'))
                done.append(name)
    return done


def pages(ids: dict) -> list[tuple[str, str, object]]:
    """(label, login, path or path(k)) of every page."""
    docs = ids["documents"]
    ts = ids["target_set"]
    mo = ids["monitoring"]
    return [
        ("登录", None, "/login"),
        ("修改密码", "reviewer", "/password"),
        ("工作台", "reviewer", "/"),
        ("单位与年度", "reviewer", "/orgs"),
        ("上传", "reviewer", "/upload"),
        ("文档", "reviewer", lambda k: f"/documents/{docs[k % len(docs)]}"),
        ("文档·审核发现", "reviewer", lambda k: f"/documents/{docs[k % len(docs)]}/findings?severity=error"),
        ("审核", "reviewer", lambda k: f"/documents/{docs[k % len(docs)]}/review"),
        ("绩效目标编辑", "admin", f"/target-sets/{ts}/edit"),
        ("绩效自评", "admin", f"/target-sets/{ts}/self-evaluation"),
        ("自评列表", "reviewer", "/self-evaluations"),
        ("审核发现", "reviewer", "/findings"),
        ("总览", "reviewer", "/dashboard"),
        ("规则", "reviewer", "/rules"),
        ("管理·用户", "admin", "/admin/users"),
        ("管理·单位", "admin", "/admin/orgs"),
        ("管理·日志", "admin", "/admin/audit"),
        ("绩效运行监控", "reviewer", "/monitoring"),
        ("监控轮次", "reviewer", f"/monitoring/rounds/{mo['round']}"),
        ("监控轮次·部门", "reviewer", f"/monitoring/rounds/{mo['round']}?dept={mo['dept']}"),
        ("监控表", "reviewer", f"/monitoring/sheets/{mo['sheet']}"),
        ("整改", "reviewer", "/rectification"),
        ("预警阈值", "reviewer", "/monitoring/profiles"),
        ("业务数据", "reviewer", "/opdata"),
        ("业务数据·数据源", "reviewer", f"/opdata/sources/{mo['source']}"),
        ("定义取数口径", "admin", f"/opdata/metrics/new?source={mo['source']}"),
    ]


def _profiled(work) -> pstats.Stats:
    """cProfile of what the app's worker threads run while ``work()`` runs (the routes and their
    dependencies: FastAPI runs them through ``run_in_threadpool``, outside the calling thread)."""
    import fastapi.dependencies.utils
    import fastapi.routing

    original = fastapi.routing.run_in_threadpool
    profiles: list[cProfile.Profile] = []

    def call(func, *args, **kwargs):
        prof = cProfile.Profile(time.thread_time)  # CPU time: other processes share the cores
        profiles.append(prof)
        return prof.runcall(func, *args, **kwargs)

    async def in_threadpool(func, *args, **kwargs):
        return await original(call, func, *args, **kwargs)

    fastapi.routing.run_in_threadpool = fastapi.dependencies.utils.run_in_threadpool = in_threadpool
    try:
        work()
    finally:
        fastapi.routing.run_in_threadpool = fastapi.dependencies.utils.run_in_threadpool = original
    stats = pstats.Stats(profiles[0])
    for prof in profiles[1:]:
        stats.add(prof)
    return stats


def _quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run(pg: str, copies: int, runs: int, only: str | None, profile: str | None, sql: str | None) -> dict:
    from api_load import database
    from fastapi.testclient import TestClient

    from jixiao.server import create_app

    db_ = database(pg, copies, False)
    logins = {"reviewer": ("bench_web", _user(db_, "bench_web", "finance_reviewer")),
              "admin": ("bench_web_admin", _user(db_, "bench_web_admin", "admin"))}
    ids = _ids(db_) | {"monitoring": monitoring(db_)}
    started = time.perf_counter()
    if vacuumed := autovacuum(db_):
        print(f"（VACUUM/ANALYZE：{'、'.join(vacuumed)}，{time.perf_counter() - started:.1f} 秒）", file=sys.stderr)
    counter = Counter(db_.engine)
    out: dict = {"documents": len(ids["documents"]), "projects": ids["projects"], "runs": runs, "pages": {}}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JIXIAO_DATA_DIR"] = tmp  # the caches start empty
        app = create_app(db_)
        clients = {None: TestClient(app, raise_server_exceptions=True)}
        clients[None].__enter__()  # the app's lifespan runs, as under uvicorn (its start tunes the collector)
        for role, (username, password) in logins.items():
            c = clients[role] = TestClient(app, raise_server_exceptions=True)
            r = c.post("/login", data={"username": username, "password": password}, follow_redirects=False)
            assert r.status_code == 303 and "jixiao_session" in c.cookies, r.status_code
        print(f"数据库：{len(ids['documents'])} 个文档，{ids['projects']} 个项目（PostgreSQL）；"
              f"每页 {runs} 次，本进程内（TestClient），一个客户端")
        print(f"{'页面':14s}{'p50 ms':>9s}{'p95 ms':>9s}{'CPU p50':>9s}{'CPU p95':>9s}{'SQL/次':>8s}{'KB':>7s}")

        def get(client, path: str) -> tuple[float, float, int, int]:
            n0 = counter.n
            w0, c0 = time.perf_counter(), time.process_time()
            r = client.get(path, follow_redirects=False)
            w1, c1 = time.perf_counter(), time.process_time()
            if r.status_code != 200:
                raise SystemExit(f"{path}: HTTP {r.status_code}")
            return (w1 - w0) * 1000, (c1 - c0) * 1000, counter.n - n0, len(r.content)

        def report(label: str, samples: list[tuple[float, float, int, int]]) -> None:
            wall = [s[0] for s in samples]
            cpu = [s[1] for s in samples]
            row = {"p50_ms": round(_quantile(wall, 50), 1), "p95_ms": round(_quantile(wall, 95), 1),
                   "cpu_p50_ms": round(_quantile(cpu, 50), 1), "cpu_p95_ms": round(_quantile(cpu, 95), 1),
                   "sql": round(statistics.mean(s[2] for s in samples), 1),
                   "kb": round(statistics.mean(s[3] for s in samples) / 1024, 1)}
            out["pages"][label] = row
            flag = "" if row["p95_ms"] < AIM_MS else "  ✗"
            print(f"{label:{14 - sum(1 for ch in label if ord(ch) > 0x2E80)}s}{row['p50_ms']:9.1f}{row['p95_ms']:9.1f}"
                  f"{row['cpu_p50_ms']:9.1f}{row['cpu_p95_ms']:9.1f}{row['sql']:8.1f}{row['kb']:7.1f}{flag}",
                  flush=True)

        for label, role, path in pages(ids):
            if only and only not in (label, path if isinstance(path, str) else label):
                continue
            client = clients[role]
            at = (lambda k, path=path: path(k)) if callable(path) else (lambda k, path=path: path)
            if profile is not None or sql is not None:
                get(client, at(0))  # warm
                if sql is not None:
                    counter.statements, counter.keep = [], True
                    get(client, at(0))
                    counter.keep = False
                    print(f"{label}: {len(counter.statements)} 条 SQL，共 {sum(t for t, _ in counter.statements):.1f} ms")
                    for t, text in counter.statements:
                        print(f"  {t:7.2f} ms  {text}")
                if profile is not None:
                    stats = _profiled(lambda client=client, at=at: [get(client, at(k)) for k in range(runs)])
                    stats.sort_stats("cumulative").print_stats(45)
                    stats.sort_stats("tottime").print_stats(25)
                continue
            if callable(path):
                report(label + "（首次）", [get(client, at(k)) for k in range(runs)])
                report(label, [get(client, at(k)) for k in range(runs)])
            else:
                get(client, at(0))  # the first request warms the templates and caches
                report(label, [get(client, at(k)) for k in range(runs)])
        for role, c in clients.items():
            if role is None:
                c.__exit__(None, None, None)
            c.close()
        os.environ.pop("JIXIAO_DATA_DIR", None)
    db_.dispose()
    worst = max(out["pages"].items(), key=lambda kv: kv[1]["p95_ms"], default=None)
    if worst:
        print(f"最慢：{worst[0]} p95 {worst[1]['p95_ms']} ms（目标 < {AIM_MS} ms）")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--copies", type=int, default=2000, help="documents the database must hold (api_load.py)")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--page", help="only this page (its label or path)")
    ap.add_argument("--profile", action="store_true", help="cProfile of --page instead of the table")
    ap.add_argument("--sql", action="store_true", help="the statements of one request of --page")
    args = ap.parse_args()
    out = run(args.pg, args.copies, args.runs, args.page, "" if args.profile else None, "" if args.sql else None)
    if not (args.profile or args.sql):
        print(json.dumps({"web_pages": out}, ensure_ascii=False))


if __name__ == "__main__":
    main()

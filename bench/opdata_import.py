"""Operational data at scale (``make bench``): 1,000,000 政务大厅办件 records imported from one CSV
through the service (``operational_data.import_records``: stream, map, check every row, insert in
one transaction), then aggregated (a count, a ratio of two filtered counts by 办结日期, both over
the year, and the ratio per unit by GROUP BY), on SQLite and PostgreSQL.

Figures per database: import records/s and seconds with the process's CPU seconds beside them
(the machine is shared; on SQLite the database's work is in the process, on PostgreSQL it is the
server's), the seconds spent writing the records (the transaction that holds SQLite's write
lock), the process's peak memory (``ru_maxrss``; each database runs in its own process, the CSV is
written beforehand by the parent) and its resident size before the import; aggregation seconds
and CPU seconds per query, and the peak memory after them.

    python bench/opdata_import.py [--records 1000000] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from tests.opdata_records import MAPPINGS  # noqa: E402
from tests.opdata_records import METRICS  # noqa: E402
from tests.opdata_records import generate  # noqa: E402
from tests.opdata_records import write_csv  # noqa: E402

from jixiao.services import operational_data as od  # noqa: E402
from jixiao.services import orgs  # noqa: E402
from jixiao.services.context import Ctx  # noqa: E402
from jixiao.store.db import Database  # noqa: E402
from jixiao.store.db import normalise_url  # noqa: E402
from jixiao.store.migrate import upgrade  # noqa: E402

SOURCE = "政务大厅办件"
UNITS = [f"服务中心{i:02d}" for i in range(20)]
PG_NAME = os.environ.get("JIXIAO_BENCH_PG_DB", "jixiao_bench_opdata")  # another name when two run at once


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1024 / 1024


def _fresh(url: str | None, folder: Path) -> Database:
    if url is None:
        db = Database(f"sqlite:///{folder / 'opdata.db'}")
    else:
        admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
        admin.dispose()
        db = Database(normalise_url(url).rsplit("/", 1)[0] + "/" + PG_NAME)
    upgrade(db)
    return db


def _timed(fn):
    """(result, wall seconds); the process's CPU seconds of the last call in ``CPU[0]``."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    CPU[0] = time.process_time() - c0
    return result, time.perf_counter() - t0


CPU = [0.0]


def run_one(csv_path: Path, url: str | None, records: int) -> dict:
    """Import and aggregate on one database (in this process: its peak memory is the figure)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = _fresh(url, Path(tmp))
        with db.session() as s:
            region = orgs.add_org(s, name="基准市财政局", level="region", code="BR")
            for name in UNITS:
                orgs.add_org(s, name=name, level="unit", parent=region)
        ctx = Ctx(db)
        od.save_source(ctx, org="BR", name=SOURCE, mapping=MAPPINGS[SOURCE])
        for name in ("政务大厅办件量", "办结件数", "按时办结率"):
            od.save_metric(ctx, org="BR", name=name, source=SOURCE, definition=METRICS[name][1])
        writing = [0.0, 0.0]  # wall and CPU seconds in the records' INSERT/COPY: what holds SQLite's write lock
        from jixiao.services import opdata_sources

        insert = opdata_sources.insert_records

        def timed_insert(session, *args):
            t0, c0 = time.perf_counter(), time.process_time()
            insert(session, *args)
            writing[0] += time.perf_counter() - t0
            writing[1] += time.process_time() - c0

        opdata_sources.insert_records = timed_insert
        before = _rss_mb()
        summary, seconds = _timed(lambda: od.import_records(ctx, SOURCE, csv_path))
        import_cpu = CPU[0]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert summary["rows"] == records, summary
        year = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
        count, t_count = _timed(lambda: od.metric_by_unit(ctx, "政务大厅办件量", **year))
        count_cpu = CPU[0]
        ratio, t_ratio = _timed(lambda: od.metric_by_unit(ctx, "按时办结率", **year))
        ratio_cpu = CPU[0]
        from jixiao.monitoring import metrics as mx
        from jixiao.monitoring import records as rx
        from jixiao.services import opdata_sql
        from jixiao.store import schema as sdb

        with db.session(write=False) as s:
            src = s.query(sdb.OpSource).one()
            mapping, _ = rx.parse_mapping(src.mapping)
            metrics = {n: mx.parse_metric(n, METRICS[n][1])[0] for n in ("政务大厅办件量", "办结件数", "按时办结率")}
            aggs, t_all = _timed(lambda: opdata_sql.aggregate(s, src.id, mapping, metrics, date_from=date(2026, 1, 1),
                                                              date_to=date(2026, 12, 31)))
            all_cpu = CPU[0]
            half, t_half = _timed(lambda: opdata_sql.aggregate(s, src.id, mapping, {"n": metrics["政务大厅办件量"]},
                                                               date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)))
        assert sum(i["records"] for i in count["items"]) == records == aggs["政务大厅办件量"].records
        assert sum(i["records"] for i in ratio["items"]) == aggs["按时办结率"].records
        db.dispose()
        if url is not None:
            admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
            admin.dispose()
    return {"records": records, "import_s": round(seconds, 2), "records_per_s": round(records / seconds),
            "import_cpu_s": round(import_cpu, 2), "write_s": round(writing[0], 2), "write_cpu_s": round(writing[1], 2), "aggregate_three_metrics_cpu_s": round(all_cpu, 3),
            "count_half_year_s": round(t_half, 3), "half_year_records": half["n"].records,
            "peak_rss_mb": round(peak, 1), "rss_before_import_mb": round(before, 1),
            "aggregate_three_metrics_s": round(t_all, 3), "count_by_unit_s": round(t_count, 3),
            "ratio_by_unit_s": round(t_ratio, 3), "count_by_unit_cpu_s": round(count_cpu, 3),
            "ratio_by_unit_cpu_s": round(ratio_cpu, 3), "peak_rss_after_aggregation_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--pg", help="PostgreSQL server URL (postgresql://postgres@127.0.0.1:5432/postgres)")
    ap.add_argument("--one", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.csv), args.pg if args.one == "postgresql" else None, args.records)))
        return
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "办件.csv", SOURCE, generate(SOURCE, args.records, UNITS, seed=11))
        size = path.stat().st_size / 1024 / 1024
        for label in ["sqlite"] + (["postgresql"] if args.pg else []):
            cmd = [sys.executable, __file__, "--one", label, "--csv", str(path), "--records", str(args.records)]
            if args.pg:
                cmd += ["--pg", args.pg]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode:
                sys.stderr.write(done.stderr)
                raise SystemExit(f"{label}: failed")
            r = out[label] = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{label:10s} 导入 {r['records']:,} 条（CSV {size:.0f} MB）{r['import_s']:7.1f} 秒 = "
                  f"{r['records_per_s']:,} 条/秒（本进程 CPU {r['import_cpu_s']:.0f} 秒；写入记录 {r['write_s']:.1f} 秒，CPU {r['write_cpu_s']:.1f} 秒），峰值内存 {r['peak_rss_mb']:.0f} MB（导入前 {r['rss_before_import_mb']:.0f} MB）；"
                  f"汇总：三个指标 {r['aggregate_three_metrics_s']:.2f} 秒（CPU {r['aggregate_three_metrics_cpu_s']:.2f}），"
                  f"上半年计数 {r['count_half_year_s']:.2f} 秒，按单位计数 {r['count_by_unit_s']:.2f} 秒（CPU "
                  f"{r['count_by_unit_cpu_s']:.2f}），按单位比率 {r['ratio_by_unit_s']:.2f} 秒（CPU "
                  f"{r['ratio_by_unit_cpu_s']:.2f}）；汇总后峰值内存 {r['peak_rss_after_aggregation_mb']:.0f} MB")
    print(json.dumps({"opdata_import": out}, ensure_ascii=False))


if __name__ == "__main__":
    main()

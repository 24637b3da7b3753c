"""A monitoring round over many approved target sets (``make bench``): seed 002 (沅江, 7 target
sets, 9–12 indicators each) imported once and its document copied ``--docs`` times as approved
documents (multi-row INSERTs), then timed through the services: ``open_round`` (a 监控表 and its
entries for every set), ``get_round`` (every sheet, the red/amber/green by department),
``fill_sheet`` and ``get_sheet`` of one 监控表, ``export_report`` of it (XLSX). SQLite in a
temporary directory, or PostgreSQL with ``--pg URL`` (a database is created and dropped).
Output: a table, then one JSON line."""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _database(pg: str | None, folder: Path):
    from jixiao.store.db import Database
    from jixiao.store.db import normalise_url
    from jixiao.store.migrate import upgrade

    if pg:
        name = f"jixiao_bench_monitoring_{uuid.uuid4().hex[:8]}"
        admin = create_engine(normalise_url(pg), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = normalise_url(pg).rsplit("/", 1)[0] + "/" + name

        def drop():
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        url, drop = f"sqlite:///{folder / 'bench.db'}", (lambda: None)
    db = Database(url)
    upgrade(db)
    return db, drop


def _columns(row, skip=("id",), **values) -> dict:
    data = {c.key: getattr(row, c.key) for c in type(row).__table__.columns if c.key not in skip}
    data.update(values)
    return data


def _fill(db, docs: int) -> tuple[int, int]:
    """Seed 002 imported under a region → department, then copied ``docs`` times, approved."""
    from jixiao.services import imports
    from jixiao.services import orgs
    from jixiao.services.context import Ctx
    from jixiao.store import schema as s

    with db.session() as session:
        region = orgs.add_org(session, name="基准财政局", level="region", code="BR")
        orgs.add_org(session, name="基准部门", level="department", parent=region, code="BD")
    seed = next((REPO / "tests" / "data" / "seeds").glob("002_*.txt"))
    first = imports.import_path(Ctx(db), seed, org="BD", year=2023)
    with db.session() as session:
        doc = session.get(s.Document, first["id"])
        doc.state = "approved"
        tables = session.scalars(select(s.DocTable).where(s.DocTable.document_id == doc.id)).all()
        sets = session.scalars(select(s.TargetSet).where(s.TargetSet.document_id == doc.id)).all()
        indicators = {ts.id: session.scalars(select(s.Indicator).where(s.Indicator.target_set_id == ts.id)).all()
                      for ts in sets}
        D, T, TS, IND = (x.__table__ for x in (s.Document, s.DocTable, s.TargetSet, s.Indicator))
        for start in range(0, docs, 500):
            n = min(500, docs - start)
            shas = [hashlib.sha256(f"bench{start + i}".encode()).hexdigest() for i in range(n)]
            session.execute(insert(s.SourceFile.__table__), [
                {"sha256": h, "name": "b.txt", "format": "txt", "size": 1, "content": b"b", "uploaded_at": doc.created_at}
                for h in shas])
            doc_ids = session.execute(insert(D).returning(D.c.id, sort_by_parameter_order=True), [
                _columns(doc, skip=("id", "parsed"), series=f"bench{start + i}", source_sha256=h, parsed={})
                for i, h in enumerate(shas)]).scalars().all()
            table_rows = [(d, t) for d in doc_ids for t in tables]
            table_ids = session.execute(insert(T).returning(T.c.id, sort_by_parameter_order=True), [
                _columns(t, document_id=d) for d, t in table_rows]).scalars().all()
            table_of = {(d, t.id): new for (d, t), new in zip(table_rows, table_ids, strict=True)}
            set_rows = [(d, ts) for d in doc_ids for ts in sets]
            set_ids = session.execute(insert(TS).returning(TS.c.id, sort_by_parameter_order=True), [
                _columns(ts, document_id=d, table_id=table_of[(d, ts.table_id)]) for d, ts in set_rows]).scalars().all()
            session.execute(insert(IND), [_columns(ind, target_set_id=new)
                                        for (d, ts), new in zip(set_rows, set_ids, strict=True)
                                        for ind in indicators[ts.id]])
        total_sets = session.scalar(select(text("count(*)")).select_from(TS))
        total_inds = session.scalar(select(text("count(*)")).select_from(IND))
    return total_sets, total_inds


def _timed(label: str, results: dict, call):
    start = time.perf_counter()
    value = call()
    results[label] = round(time.perf_counter() - start, 3)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=3000, help="copies of seed 002 (7 target sets each)")
    parser.add_argument("--pg", help="PostgreSQL URL (a database is created and dropped)")
    args = parser.parse_args()

    from jixiao.services import monitoring
    from jixiao.services.context import Ctx

    with tempfile.TemporaryDirectory() as folder:
        db, drop = _database(args.pg, Path(folder))
        try:
            results: dict = {"backend": "postgresql" if args.pg else "sqlite", "docs": args.docs}
            sets, inds = _timed("build_s", results, lambda: _fill(db, args.docs))
            results.update(target_sets=sets, indicators=inds)
            ctx = Ctx(db)
            r = _timed("open_round_s", results,
                       lambda: monitoring.open_round(ctx, org="BR", year=2023, as_of="2023-06-30"))
            whole = _timed("get_round_s", results, lambda: monitoring.get_round(ctx, r["id"]))
            sheet_id = whole["sheets"][len(whole["sheets"]) // 2]["id"]
            sheet = monitoring.get_sheet(ctx, sheet_id)
            entry = str(sheet["entries"][0]["indicator_id"])
            _timed("fill_sheet_s", results, lambda: monitoring.fill_sheet(
                ctx, sheet_id, {"spent": "10", "entries": {entry: {"to_date": "1", "expected": "2"}}}))
            _timed("get_sheet_s", results, lambda: monitoring.get_sheet(ctx, sheet_id))
            _timed("export_sheet_xlsx_s", results, lambda: monitoring.export_report(ctx, r["id"], "xlsx",
                                                                                   sheet_id=sheet_id))
            results["sheets"] = r["sheets"]
            results["sheets_per_s_open"] = round(r["sheets"] / results["open_round_s"])
            results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        finally:
            db.dispose()
            drop()
    print(f"monitoring round ({results['backend']}): {results['sheets']:,} 监控表 of {results['target_sets']:,} "
          f"target sets, {results['indicators']:,} indicators")
    for key in ("open_round_s", "get_round_s", "fill_sheet_s", "get_sheet_s", "export_sheet_xlsx_s"):
        print(f"  {key:<22} {results[key]:>8.3f}")
    print(f"  {'sheets/s (open)':<22} {results['sheets_per_s_open']:>8,}   max RSS {results['max_rss_mb']} MB")
    print(json.dumps({"monitoring_round": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Import throughput into SQLite and PostgreSQL, and the database of 20,000 projects the API
load test runs against (``make bench``).

Two figures per database:

* **import**: the whole use case (read → parse → check → store in one transaction) of the seed
  documents and the real Shanghai PDFs and Shenzhen workbooks, each file made distinct by a
  trailing byte so that none is skipped as already imported; documents/s, one process.
* **store**: only the transaction (rows of the document, its tables, target sets, indicators,
  budget rows, findings, the original bytes and the audit entry) of an already parsed seed 001
  (13 target sets, 10 tables); documents/s and target sets/s, one process.

``--build N`` fills the database with N copies of seed 001 whose projects are renamed per copy
(so that every copy is its own series, as 2,000 documents of 10 distinct projects each would be)
spread over 200 departments: ``--build 2000`` gives 26,000 target sets of which 20,000 projects.

    python bench/service_import.py [--pg URL] [--rounds 3]
    python bench/service_import.py --build 2000 --url URL
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from jixiao.services import imports  # noqa: E402
from jixiao.services import orgs  # noqa: E402
from jixiao.services.context import Ctx  # noqa: E402
from jixiao.store.db import Database  # noqa: E402
from jixiao.store.db import normalise_url  # noqa: E402
from jixiao.store.migrate import upgrade  # noqa: E402

FILES = [
    *sorted((REPO / "tests/data/seeds").glob("*.txt")),
    *sorted((REPO / "tests/data/real").glob("sh_putuo_*_budget.pdf")),
    *sorted((REPO / "tests/data/real").glob("gd_shenzhen_*set[13]*.xlsx")),
]


def fresh(url: str | None, folder: Path, name: str) -> Database:
    if url is None:
        db = Database(f"sqlite:///{folder / (name + '.db')}")
    else:
        admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        db = Database(normalise_url(url).rsplit("/", 1)[0] + "/" + name)
    upgrade(db)
    return db


def departments(db: Database, n: int) -> list[str]:
    with db.session() as s:
        region = orgs.add_org(s, name="基准地区", level="region", code="BENCH")
        for i in range(n):
            orgs.add_org(s, name=f"基准部门{i:03d}", level="department", parent=region, code=f"D{i:03d}")
    return [f"D{i:03d}" for i in range(n)]


def bench_import(db: Database, rounds: int) -> dict:
    codes = departments(db, 1)
    ctx = Ctx(db)
    datas = [(p.name, p.read_bytes()) for p in FILES]
    start = time.perf_counter()
    n = 0
    for r in range(rounds):
        for name, data in datas:
            year = 2023 if "gd_shenzhen" in name or name.startswith("003") else None
            imports.import_bytes(ctx, data + b"\n" * (r + 1) if name.endswith(".txt") else data + b"\0" * (r + 1),
                                 name, org=codes[0], year=year or 2023)
            n += 1
    seconds = time.perf_counter() - start
    return {"documents": n, "seconds": round(seconds, 2), "documents_per_s": round(n / seconds, 2)}


def renamed(prepared: imports.Prepared, i: int) -> imports.Prepared:
    """Seed 001 with every project renamed for copy ``i`` (distinct bytes, its own series)."""
    doc = prepared.document
    tables = []
    for t in doc.tables:
        if hasattr(t, "target_sets"):
            sets = tuple(dataclasses.replace(s, project=f"{s.project}（{i}）" if s.project else s.project,
                                             unit=f"{s.unit}（{i}）" if s.unit and not s.project else s.unit)
                         for s in t.target_sets)
            t = dataclasses.replace(t, target_sets=sets)
        tables.append(t)
    data = prepared.data + f"\n{i}".encode()
    return dataclasses.replace(prepared, data=data, sha256=imports.hashlib.sha256(data).hexdigest(), raw=None,
                               document=dataclasses.replace(doc, tables=tuple(tables)))


def build(db: Database, copies: int, *, report_every: int = 0) -> dict:
    codes = departments(db, 200)
    seed = REPO / "tests/data/seeds/001_c182bc71c99e727c.txt"
    base = imports.prepare(seed.read_bytes(), seed.name)
    per_copy = sum(len(getattr(t, "target_sets", ())) for t in base.document.tables)
    ctx = Ctx(db)
    start = time.perf_counter()
    for i in range(copies):
        imports.store_prepared(ctx, renamed(base, i), org=codes[i % len(codes)], year=2023)
        if report_every and (i + 1) % report_every == 0:
            print(f"  {i + 1}/{copies} …", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    return {"documents": copies, "target_sets": copies * per_copy, "seconds": round(seconds, 2),
            "documents_per_s": round(copies / seconds, 2), "target_sets_per_s": round(copies * per_copy / seconds, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", help="PostgreSQL server URL (postgresql://postgres@127.0.0.1:5432/postgres)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--store", type=int, default=100, help="documents for the store-only figure")
    ap.add_argument("--build", type=int, help="fill the database at --url with this many copies of seed 001")
    ap.add_argument("--url", help="the database to fill (--build)")
    args = ap.parse_args()
    if args.build:
        db = Database(args.url)
        upgrade(db)
        print(json.dumps(build(db, args.build, report_every=200), ensure_ascii=False))
        return
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("sqlite", None)] + ([("postgresql", args.pg)] if args.pg else [])
        for label, url in backends:
            db = fresh(url, Path(tmp), "jixiao_bench_import")
            imp = bench_import(db, args.rounds)
            db.dispose()
            db = fresh(url, Path(tmp), "jixiao_bench_store")
            store = build(db, args.store)
            db.dispose()
            out[label] = {"import": imp, "store": store}
            print(f"{label:10s} import {imp['documents_per_s']:6.2f} 文档/秒（{imp['documents']} 个，"
                  f"读取+解析+审核+入库）  store {store['documents_per_s']:6.2f} 文档/秒 = "
                  f"{store['target_sets_per_s']:7.1f} 目标集/秒（仅入库）")
    print(json.dumps({"service_import": out}, ensure_ascii=False))


if __name__ == "__main__":
    main()

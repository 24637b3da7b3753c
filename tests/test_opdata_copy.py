"""Records written by the database's fast path store exactly what the rows say: PostgreSQL's
``COPY … FROM STDIN`` (text format) and SQLite's ``executemany`` give back the same values —
texts with tabs, line breaks, backslashes, quotes and a literal ``\\N``, exact numbers (summed as
Decimal), dates in every accepted form, 是/否, and NULL for an empty optional cell. A failure
inside the write (the database refusing a record after some were sent) leaves nothing stored."""

from __future__ import annotations

import csv
import io
import itertools
import sqlite3
import uuid
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from alembic import command
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from jixiao.monitoring import records as rx
from jixiao.services import operational_data as od
from jixiao.store import schema as db
from jixiao.store.activity import AuditEntry
from jixiao.store.db import Database
from jixiao.store.migrate import alembic_config
from jixiao.store.migrate import upgrade
from jixiao.store.operations import RECORD_COLUMNS
from jixiao.store.operations import insert_records
from tests.databases import BACKENDS
from tests.databases import create_pg_database
from tests.databases import drop_pg_database
from tests.flow_setup import region

MAPPING = {"date": "日期", "unit": "单位", "fields": [
    {"name": "甲", "column": "甲", "type": "text"}, {"name": "乙", "column": "乙", "type": "text"},
    {"name": "丙", "column": "丙", "type": "text"}, {"name": "丁", "column": "丁", "type": "text"},
    {"name": "金额", "column": "金额", "type": "number"}, {"name": "时长", "column": "时长", "type": "number"},
    {"name": "是一", "column": "是一", "type": "bool"}, {"name": "是二", "column": "是二", "type": "bool"},
    {"name": "是三", "column": "是三", "type": "bool"},
    {"name": "起", "column": "起", "type": "date"}, {"name": "止", "column": "止", "type": "date"},
]}
HEADER = ["日期", "单位", "甲", "乙", "丙", "丁", "金额", "时长", "是一", "是二", "是三", "起", "止"]
UNITS = {"第一服务中心": "U1", "第二服务中心": "U2", "D": "D"}
ODD = ["\t", "\n", "\\", "\\N", '"', "'", ",", "\\t", "好", "a", " ", "\r\n", "|", "\x7f"]

_texts = st.lists(st.sampled_from(ODD), max_size=8).map("".join)
_numbers = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4, allow_nan=False)
_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
_day_forms = st.sampled_from(["{:%Y-%m-%d}", "{:%Y/%m/%d}", "{d.year}年{d.month}月{d.day}日", "{:%Y%m%d}",
                              "{:%Y.%m.%d} 08:30"])
_row = st.fixed_dictionaries({
    "日期": st.tuples(_days, _day_forms), "单位": st.sampled_from(list(UNITS)),
    "texts": st.lists(_texts, min_size=4, max_size=4), "numbers": st.lists(st.none() | _numbers, min_size=2, max_size=2),
    "bools": st.lists(st.sampled_from([None, "是", "否", "Y", "0", "√"]), min_size=3, max_size=3),
    "dates": st.lists(st.none() | _days, min_size=2, max_size=2),
})
_BOOLS = {"是": True, "Y": True, "√": True, "否": False, "0": False}
_REFUSED = (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError)
_regions: dict[int, object] = {}
_names = itertools.count(1)


def _printed(day: date, form: str) -> str:
    return form.format(day, d=day)


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([_printed(*r["日期"]), r["单位"], *r["texts"],
                         *("" if n is None else str(n) for n in r["numbers"]),
                         *("" if b is None else b for b in r["bools"]),
                         *("" if d is None else d.isoformat() for d in r["dates"])])
    return out.getvalue().encode()


def _expected(rows: list[dict], org_ids: dict[str, int]) -> list[tuple]:
    """Each row as it must be stored: (day, org, t1–t4, n1–n2, b1–b3, d1–d2), worked out here
    from the values written (texts stripped, an empty cell NULL, numbers in 1/10,000)."""
    return [(r["日期"][0], org_ids[UNITS[r["单位"]]], *(t.strip() or None for t in r["texts"]),
             *(None if n is None else int(n.scaleb(4)) for n in r["numbers"]),
             *(None if b is None else _BOOLS[b] for b in r["bools"]), *r["dates"]) for r in rows]


def _stored(database, import_id: int) -> list[tuple]:
    names = ["day", "org_id", *rx.slot_columns()]
    with database.session(write=False) as s:
        t = db.OpRecord.__table__
        result = s.execute(select(*(t.c[n] for n in names)).where(t.c.import_id == import_id).order_by(t.c.line))
        return [tuple(row) for row in result]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_row, min_size=1, max_size=30))
def test_the_fast_path_stores_exactly_what_the_rows_say(database, rows):
    if id(database) not in _regions:  # one region per database: the examples share it
        _regions.clear()
        _regions[id(database)] = region(database)
    ctx = _regions[id(database)].ctx("finance")
    name = f"字符{next(_names)}"  # a source per example: its sum holds this example's rows only
    od.save_source(ctx, org="R", name=name, mapping=MAPPING)
    od.save_metric(ctx, org="R", name=f"{name}金额", source=name, definition={"kind": "sum", "field": "金额"})
    with database.session(write=False) as s:
        org_ids = {o.code: o.id for o in s.scalars(select(db.Org).where(db.Org.code.in_(UNITS.values())))}
    data = _csv(rows)
    imported = od.import_records(ctx, name, data, filename="字符.csv")
    assert imported["rows"] == len(rows)
    assert _stored(database, imported["id"]) == _expected(rows, org_ids)
    days = [row["日期"][0] for row in rows]
    assert (imported["first_day"], imported["last_day"]) == (min(days).isoformat(), max(days).isoformat())
    total = od.metric_by_unit(ctx, f"{name}金额", date_from="2000-01-01", date_to="2099-12-31")
    summed = sum((Decimal(i["value"]) for i in total["items"]), Decimal(0))
    assert summed == sum((row["numbers"][0] or Decimal(0) for row in rows), Decimal(0))


def test_a_failure_inside_the_write_leaves_nothing_stored(database):
    """The database refuses a record after thousands were sent (the key of the first one again:
    source, day, import, line): the import row, the records before it and the audit entry of the
    same transaction are all gone, and the next import goes through."""
    r = region(database)
    ctx = r.ctx("finance")
    od.save_source(ctx, org="R", name="字符", mapping=MAPPING)
    with database.session(write=False) as s:
        source_id = s.scalar(select(db.OpSource.id).where(db.OpSource.name == "字符"))
        org_id = s.scalar(select(db.Org.id).where(db.Org.code == "U1"))
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
    columns = tuple(c for c in RECORD_COLUMNS if c != "import_id")
    good = {**dict.fromkeys(columns), "source_id": source_id, "day": date(2026, 3, 5), "org_id": org_id,
            "t1": "a\tb\\c"}

    def batches():
        yield [tuple({**good, "line": n}[c] for c in columns) for n in range(2, 5002)]
        yield [tuple({**good, "line": 5002}[c] for c in columns), tuple({**good, "line": 2}[c] for c in columns)]

    with pytest.raises(_REFUSED):
        with database.session() as s:
            imp = db.OpImport(source_id=source_id, filename="坏.csv", sha256="0" * 64, mapping=MAPPING, rows=5001)
            s.add(imp)
            s.flush()
            insert_records(s, imp.id, columns, batches())  # psycopg raises when the COPY ends, sqlite3 at the row
    with database.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(db.OpRecord)) == 0
        assert s.scalar(select(func.count()).select_from(db.OpImport)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits
    ok = od.import_records(ctx, "字符", _csv([{"日期": (date(2026, 3, 5), "{:%Y-%m-%d}"), "单位": "D",
                                               "texts": ["a\tb", "", "\\N", "x"], "numbers": [Decimal("1.5"), None],
                                               "bools": [None, "是", "否"], "dates": [None, date(2026, 3, 6)]}]))
    assert ok["rows"] == 1
    assert _stored(database, ok["id"])[0][2:] == ("a\tb", None, "\\N", "x", 15000, None, None, True, False, None,
                                                  date(2026, 3, 6))


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_0008_keeps_the_records_and_drops_only_their_foreign_keys(backend, tmp_path):
    """A database holding records at 0007 goes to 0008 with its records (SQLite rebuilds the
    table) and without op_records' three foreign keys; down to 0007 they are back, records kept."""
    if backend == "sqlite":
        database, cleanup = Database(f"sqlite:///{tmp_path / 'm.db'}"), None
    else:
        name = f"jixiao_t_{uuid.uuid4().hex[:12]}"
        database, cleanup = Database(create_pg_database(name)), name
    try:
        upgrade(database, "0007")
        r = region(database)
        od.save_source(r.ctx("finance"), org="R", name="字符", mapping=MAPPING)
        with database.session() as s:
            source_id = s.scalar(select(db.OpSource.id))
            org_id = s.scalar(select(db.Org.id).where(db.Org.code == "U2"))
            imp = db.OpImport(source_id=source_id, filename="a.csv", sha256="1" * 64, mapping=MAPPING, rows=1)
            s.add(imp)
            s.flush()
            row = {"source_id": source_id, "day": date(2026, 5, 1), "import_id": imp.id, "line": 2, "org_id": org_id,
                   "t1": "甲\t乙\\丙", "n1": 15000, "b1": True, "d2": date(2026, 5, 2)}
            s.execute(db.OpRecord.__table__.insert(), [row])

        def keys():
            return {fk["referred_table"] for fk in inspect(database.engine).get_foreign_keys("op_records")}

        def records():
            with database.session(write=False) as s:
                return [tuple(x) for x in s.execute(select(db.OpRecord.__table__))]

        before = records()
        assert keys() == {"op_sources", "op_imports", "orgs"} and len(before) == 1
        upgrade(database)
        assert keys() == set() and records() == before
        config = alembic_config(database.url)
        with database.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0007")
        assert keys() == {"op_sources", "op_imports", "orgs"} and records() == before
    finally:
        database.dispose()
        if cleanup:
            drop_pg_database(cleanup)

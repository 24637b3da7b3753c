"""Twenty importers at once, and an importer killed with SIGKILL in the middle of its
transaction: nothing lost, nothing duplicated, no partial document (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services.context import Ctx
from jixiao.store import schema as db
from tests.conftest import seed

REPO = Path(__file__).resolve().parents[1]


def _setup(database) -> Ctx:
    with database.session() as s:
        region = orgs.add_org(s, name="湖南省财政厅", level="region", code="43")
        orgs.add_org(s, name="株洲市渌口区行政审批服务局", level="department", parent=region, code="A1")
    return Ctx(database)


def _variant(i: int) -> bytes:
    """Seed 000 with a different 培训场次 target: a corrected file of the same series."""
    original = seed("000").read_text(encoding="utf-8")
    return original.replace("培训场次\t≥\t20", f"培训场次\t≥\t{20 + i}", 1).encode("utf-8")


def _assert_complete(database) -> list[db.Document]:
    """Every stored document has all its tables, findings, source bytes and its audit entry."""
    with database.session(write=False) as s:
        docs = s.scalars(select(db.Document).order_by(db.Document.id)).all()
        for d in docs:
            tables = s.scalar(select(func.count()).select_from(db.DocTable).where(db.DocTable.document_id == d.id))
            assert tables == len(d.parsed["tables"]) > 0
            findings = s.scalar(select(func.count()).select_from(db.Finding).where(db.Finding.document_id == d.id))
            assert findings == d.n_error + d.n_warning + d.n_info
            assert s.get(db.SourceFile, d.source_sha256) is not None
            audited = s.scalar(select(func.count()).select_from(db.AuditEntry).where(
                db.AuditEntry.object_type == "document", db.AuditEntry.object_id == str(d.id)))
            assert audited == 1
        referenced = {d.source_sha256 for d in docs}
        assert set(s.scalars(select(db.SourceFile.sha256))) == referenced  # no orphan bytes
        return docs


def test_twenty_importers_at_once(database):
    ctx = _setup(database)
    # 20 clients: 10 send the same file, 10 send ten different corrections of it
    payloads = [_variant(0)] * 10 + [_variant(i) for i in range(1, 11)]

    def one(data: bytes) -> dict:
        return imports.import_bytes(ctx, data, "targets.txt", org="A1", year=2026)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, payloads))
    same = {r["id"] for r in results[:10]}
    assert len(same) == 1 and sum(r["created"] for r in results[:10]) == 1
    docs = _assert_complete(database)
    assert len(docs) == 11  # nothing lost, nothing duplicated
    assert sorted(d.version for d in docs) == list(range(1, 12))  # every version number once
    assert sum(d.is_current for d in docs) == 1


IMPORTER = """
import sys
from jixiao.services import imports
from jixiao.services.context import Ctx
from jixiao.store.db import Database
db = Database(sys.argv[1])
data = open(sys.argv[2], "rb").read()
for i in range(1000):
    imports.import_bytes(Ctx(db), data + b"\\n" * (i + 1), "disclosure.txt", org="A1", year=2023)
"""


def _documents(database) -> int:
    with database.session(write=False) as s:
        return s.scalar(select(func.count()).select_from(db.Document))


def _in_transaction(database, pid: int) -> bool:
    """Whether the importer holds an open write transaction right now."""
    if database.url.startswith("sqlite"):
        path = database.url.split("///", 1)[1]
        conn = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True  # the write lock is held: the importer is inside its transaction
        finally:
            conn.close()
    with database.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'jixiao-killed' "
            "AND backend_xid IS NOT NULL")).scalar())  # it has written in its open transaction


def test_kill_9_in_the_middle_of_an_import_leaves_no_partial_document(database):
    _setup(database)
    url = database.url
    if not url.startswith("sqlite"):
        url += ("&" if "?" in url else "?") + "application_name=jixiao-killed"
    kills = 0
    for _round in range(3):
        proc = subprocess.Popen([sys.executable, "-c", IMPORTER, url, str(seed("001"))], cwd=REPO,
                                env={**os.environ, "PYTHONPATH": str(REPO / "src")})
        deadline = time.monotonic() + 90
        before = _documents(database)
        try:
            # let the importer commit at least one document, then kill it inside the next one
            while time.monotonic() < deadline and proc.poll() is None and _documents(database) == before:
                time.sleep(0.01)
            while time.monotonic() < deadline and proc.poll() is None:
                if _in_transaction(database, proc.pid):
                    os.kill(proc.pid, signal.SIGKILL)
                    kills += 1
                    break
                time.sleep(0.002)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        assert proc.returncode == -signal.SIGKILL
    assert kills == 3  # each time the importer was killed inside its transaction
    docs = _assert_complete(database)
    assert len(docs) >= 3  # the commits before each kill are all there
    with database.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(db.DocTable)) == sum(len(d.parsed["tables"]) for d in docs)
    # the database is usable afterwards: the next import gets the next version number
    result = imports.import_bytes(Ctx(database), seed("001").read_bytes() + b"\n" * 5000, "disclosure.txt",
                                  org="A1", year=2023)
    assert result["version"] == len(docs) + 1

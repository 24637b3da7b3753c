"""Background jobs: imports of folders and uploads, batch checks, progress, scope, the in-process
runner's shutdown, and the procrastinate runner end to end with a real worker process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from jixiao.services import jobs
from jixiao.services import orgs
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.store import schema as db
from tests.conftest import SEED_FILES
from tests.conftest import seed
from tests.jobs_env import jobs_env  # noqa: F401 (autouse)

ROOT = Path(__file__).parents[1]


def _region(database) -> dict:
    """湖南省财政厅 (43) → 长沙市行政审批服务局 (152), 株洲市渌口区行政审批服务局 (201); one user each."""
    with database.session() as s:
        region = orgs.add_org(s, name="湖南省财政厅", level="region", code="43")
        a = orgs.add_org(s, name="长沙市行政审批服务局", level="department", parent=region, code="152")
        b = orgs.add_org(s, name="株洲市渌口区行政审批服务局", level="department", parent=region, code="201")
        actors = {}
        for key, org, role in (("finance", region, "finance_reviewer"), ("a", a, "department_manager"),
                               ("b", b, "department_manager"), ("auditor_a", a, "auditor")):
            user = db.User(username=f"user_{key}", password_hash="-", role=role, org_id=org.id)
            s.add(user)
            s.flush()
            actors[key] = Actor(user.id, user.username, role, org.id, org.path)
    return actors


def _folder(tmp_path, name: str, files: list[Path]) -> Path:
    folder = tmp_path / "import" / name
    (folder / "子目录").mkdir(parents=True)
    for i, path in enumerate(files):
        shutil.copy(path, (folder / "子目录" if i % 2 else folder) / path.name)
    (folder / ".hidden.txt").write_text("隐藏文件不导入", encoding="utf-8")
    return folder


def _wait(ctx: Ctx, job_id: str, timeout: float = 120) -> tuple[dict, list[tuple]]:
    """Poll the job until it ends; returns the last state and every distinct (state, done, total, current)."""
    seen: list[tuple] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = jobs.get_job(ctx, job_id)
        snapshot = (job["state"], job["done"], job["total"], job["current"])
        if not seen or seen[-1] != snapshot:
            seen.append(snapshot)
        if job["state"] in ("done", "failed"):
            return job, seen
        time.sleep(0.005)
    raise AssertionError(f"job {job_id} did not end in {timeout}s: {seen[-3:]}")


def _count(database, table) -> int:
    with database.session(write=False) as s:
        return s.scalar(select(func.count()).select_from(table))


def test_an_import_job_of_a_folder_reports_progress_file_by_file(database, tmp_path):
    actors = _region(database)
    _folder(tmp_path, "seeds", SEED_FILES)
    ctx = Ctx(database, actors["finance"])
    job = jobs.submit(ctx, "import", {"folder": "seeds", "org": "43", "year": 2023})
    assert job["state"] in ("queued", "running", "done") and job["kind"] == "import"
    final, seen = _wait(ctx, job["id"])

    assert final["state"] == "done" and final["error"] is None, final
    assert final["done"] == final["total"] == len(SEED_FILES)
    dones = [done for _state, done, _total, _current in seen]
    assert dones == sorted(dones), seen  # progress only goes forward
    running = [s for s in seen if s[0] == "running"]
    assert running and all(s[2] == len(SEED_FILES) for s in running if s[1] > 0)
    names = {p.name for p in SEED_FILES} | {f"子目录/{p.name}" for p in SEED_FILES}
    assert any(s[3] in names for s in running), seen  # current names the file being imported
    assert len({s[1] for s in seen}) >= 3, seen  # seen part-way, not only before and after
    files = final["result"]["files"]
    assert [f["status"] for f in files] == ["created"] * len(SEED_FILES)
    assert {f["name"] for f in files} <= names and "子目录/001_c182bc71c99e727c.txt" in {f["name"] for f in files}
    assert final["result"]["counts"] == {"created": len(SEED_FILES)} and final["result"]["failures"] == []
    assert _count(database, db.Document) == len(SEED_FILES)
    with database.session(write=False) as s:
        stored = s.scalars(select(db.Document.name)).all()
        assert sorted(stored) == sorted(p.name for p in SEED_FILES)  # the file's own name, not its path
        actions = s.scalars(select(db.AuditEntry.action)).all()
        assert actions.count("job.submit") == 1 and actions.count("document.import") == len(SEED_FILES)


def test_a_bad_file_in_the_folder_is_listed_with_its_reason_and_the_others_are_imported(database, tmp_path):
    actors = _region(database)
    folder = _folder(tmp_path, "mixed", [seed("001"), seed("002"), seed("004")])
    (folder / "子目录" / "损坏的文件.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with open(folder / "巨大.pdf", "wb") as big:  # sparse: 101 MB by its size, refused before reading
        big.truncate(101 * 1024 * 1024)
    ctx = Ctx(database, actors["a"])
    job = jobs.submit(ctx, "import", {"folder": str(folder), "org": "152", "year": "2023"})
    final, _ = _wait(ctx, job["id"])

    assert final["state"] == "done" and final["done"] == final["total"] == 5
    result = final["result"]
    assert result["counts"] == {"created": 3, "failed": 2}
    reasons = {f["name"]: f["reason"] for f in result["failures"]}
    assert sorted(reasons) == ["子目录/损坏的文件.docx", "巨大.pdf"]
    assert "损坏的文件.docx" in reasons["子目录/损坏的文件.docx"] and "文件已损坏" in reasons["子目录/损坏的文件.docx"]
    assert "文件大小 101.0 MB 超过上限" in reasons["巨大.pdf"]
    assert _count(database, db.Document) == 3


def test_an_import_job_of_uploaded_files_keeps_the_bytes_and_imports_each_once(database):
    actors = _region(database)
    ctx = Ctx(database, actors["a"])
    data = seed("001").read_bytes()
    job = jobs.submit(ctx, "import", {"org": "152", "files": [
        {"name": "预算公开.txt", "data": data}, ("again.txt", data), {"name": "空.txt", "data": b""}]})
    assert job["total"] == 3
    assert _count(database, db.SourceFile) == 2  # stored when submitted: a worker elsewhere reads them
    final, _ = _wait(ctx, job["id"])
    statuses = [(f["name"], f["status"]) for f in final["result"]["files"]]
    assert statuses == [("预算公开.txt", "created"), ("again.txt", "existing"), ("空.txt", "failed")]
    assert final["result"]["files"][0]["id"] == final["result"]["files"][1]["id"]
    assert final["result"]["failures"][0]["reason"]
    assert _count(database, db.Document) == 1


def test_a_check_job_counts_findings_per_file_and_stores_nothing(database, tmp_path):
    actors = _region(database)
    ctx = Ctx(database, actors["finance"])
    imported = jobs.submit(ctx, "import", {"org": "43", "year": 2023,
                                           "files": [(p.name, p.read_bytes()) for p in SEED_FILES[:3]]})
    done, _ = _wait(ctx, imported["id"])
    ids = [f["id"] for f in done["result"]["files"]]
    documents, audit = _count(database, db.Document), _count(database, db.AuditEntry)

    check = jobs.submit(ctx, "check", {"documents": ids})
    final, _ = _wait(ctx, check["id"])
    assert final["state"] == "done" and final["done"] == 3
    for row, stored in zip(final["result"]["files"], done["result"]["files"]):
        assert row["document_id"] == stored["id"] and row["status"] == "checked"
        assert row["stored_findings"] == stored["findings"]
        assert sum(row["codes"].values()) == sum(row["findings"].values()) > 0
        with database.session(write=False) as s:  # what the import found besides (org-created, year-differs)
            codes = s.scalars(select(db.Finding.code).where(db.Finding.document_id == stored["id"])).all()
        assert all(codes.count(code) >= n for code, n in row["codes"].items()), (row["codes"], codes)
        assert all(row["findings"][k] <= stored["findings"][k] for k in row["findings"])
    assert final["result"]["findings"]["error"] == sum(f["findings"]["error"] for f in done["result"]["files"])
    assert _count(database, db.Document) == documents
    assert _count(database, db.AuditEntry) == audit + 1  # the submission only

    folder = _folder(tmp_path, "check", [seed("004")])
    by_folder = jobs.submit(Ctx(database, actors["auditor_a"]), "check", {"folder": folder.name})
    final, _ = _wait(ctx, by_folder["id"])
    (row,) = final["result"]["files"]
    assert row["kind"] == "targets" and row["document_id"] is None and sum(row["findings"].values()) > 0


def test_a_user_sees_only_the_jobs_of_their_scope(database):
    actors = _region(database)
    ctx_a, ctx_b = Ctx(database, actors["a"]), Ctx(database, actors["b"])
    job = jobs.submit(ctx_a, "import", {"org": "152", "files": [("x.txt", seed("004").read_bytes())]})
    done, _ = _wait(ctx_a, job["id"])
    document_id = done["result"]["files"][0]["id"]

    assert jobs.get_job(Ctx(database, actors["finance"]), job["id"])["id"] == job["id"]  # the region above
    assert jobs.get_job(Ctx(database, actors["auditor_a"]), job["id"])["state"] == "done"
    with pytest.raises(NotFound) as caught:
        jobs.get_job(ctx_b, job["id"])
    assert caught.value.status == 404 and "任务" in caught.value.message
    with pytest.raises(NotFound):
        jobs.get_job(ctx_a, "00000000-0000-0000-0000-000000000000")
    assert jobs.list_jobs(ctx_b) == {"items": [], "total": 0}
    assert [j["id"] for j in jobs.list_jobs(ctx_a)["items"]] == [job["id"]]
    assert jobs.list_jobs(Ctx(database))["total"] == 1  # the command line (SYSTEM) sees everything
    with pytest.raises(NotFound):  # nor may B import into A's organisation
        jobs.submit(ctx_b, "import", {"org": "152", "files": [("x.txt", b"x")]})
    with pytest.raises(NotFound):  # nor check A's documents
        jobs.submit(ctx_b, "check", {"documents": [document_id]})


def test_submit_refuses_what_it_cannot_run(database, tmp_path):
    actors = _region(database)
    ctx = Ctx(database, actors["a"])
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    cases = [
        ("export", {"org": "152"}, "invalid_kind"),
        ("import", {"org": "152"}, "invalid_source"),
        ("import", {"org": "152", "folder": str(outside)}, "folder_outside"),
        ("import", {"org": "152", "folder": "../elsewhere"}, "folder_outside"),
        ("import", {"org": "152", "folder": "没有这个目录"}, "folder_not_found"),
        ("import", {"org": "152", "files": [("a.txt", b"a")], "year": "二〇二三"}, "invalid"),
    ]
    for kind, params, code in cases:
        with pytest.raises(Invalid) as caught:
            jobs.submit(ctx, kind, params)
        assert caught.value.code == code, (kind, params, caught.value.message)
    from jixiao.services.errors import Forbidden

    with pytest.raises(Forbidden):
        jobs.submit(Ctx(database, actors["auditor_a"]), "import", {"org": "152", "files": [("a.txt", b"a")]})
    assert _count(database, db.Job) == 0 and _count(database, db.SourceFile) == 0


def test_the_thread_runner_stops_cleanly(database, tmp_path, monkeypatch):
    actors = _region(database)
    ctx = Ctx(database, actors["finance"])
    runner = jobs.ThreadRunner(workers=1)
    monkeypatch.setitem(jobs._runners, "thread", runner)
    _folder(tmp_path, "many", SEED_FILES)
    for i in range(3):  # the same files again: each is read, parsed and found already stored
        shutil.copytree(tmp_path / "import" / "many", tmp_path / "import" / "many" / f"copy{i}",
                        ignore=shutil.ignore_patterns("copy*"))
    first = jobs.submit(ctx, "import", {"folder": "many", "org": "43", "year": 2023})
    second = jobs.submit(ctx, "import", {"folder": "many", "org": "43", "year": 2023})
    assert runner.running
    deadline = time.monotonic() + 60
    while jobs.get_job(ctx, first["id"])["done"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    runner.shutdown(wait=True)
    assert not runner.running and not [t for t in threading.enumerate() if t.name.startswith("jixiao-job")]

    one, two = jobs.get_job(ctx, first["id"]), jobs.get_job(ctx, second["id"])
    assert one["state"] == "failed" and "服务停止" in one["error"] and 1 <= one["done"] < one["total"] == 20
    assert len(one["result"]["files"]) == one["done"] and one["current"] is None
    assert two["state"] == "failed" and "未开始" in two["error"] and two["done"] == 0
    # a later job starts the pool again, and finishes what the interrupted one left
    third = jobs.submit(ctx, "import", {"folder": "many", "org": "43", "year": 2023})
    final, _ = _wait(ctx, third["id"])
    assert final["state"] == "done" and final["result"]["counts"]["created"] == len(SEED_FILES) - sum(
        f["status"] == "created" for f in one["result"]["files"])


def _worker(database, tmp_path, **env) -> subprocess.Popen:
    env = {**os.environ, "JIXIAO_DATABASE_URL": database.url, "JIXIAO_JOBS": "procrastinate",
           "JIXIAO_IMPORT_DIR": str(tmp_path / "import"), "PYTHONPATH": str(ROOT), **env}
    return subprocess.Popen([sys.executable, "-m", "jixiao.cli", "worker", "--concurrency", "2", "--name", "test"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_the_procrastinate_runner_runs_jobs_in_a_worker_process(database, tmp_path, monkeypatch):
    actors = _region(database)
    ctx = Ctx(database, actors["finance"])
    monkeypatch.setenv("JIXIAO_JOBS", "procrastinate")
    if database.url.startswith("sqlite"):  # the queue lives in PostgreSQL: SQLite is refused, clearly
        with pytest.raises(Invalid) as caught:
            jobs.submit(ctx, "import", {"org": "43", "files": [("a.txt", seed("001").read_bytes())]})
        assert caught.value.code == "queue_needs_postgresql" and "PostgreSQL" in caught.value.message
        assert _count(database, db.Job) == 0
        return

    from jixiao.services import queue

    # the job row and the queue entry are one transaction: a rolled back submission leaves neither
    queue.ensure_schema(database)
    with pytest.raises(RuntimeError), database.session() as s:
        s.add(db.Job(id="rolled-back", kind="import", params={}))
        s.flush()
        queue.ProcrastinateRunner().enqueue(s, database, "rolled-back")
        raise RuntimeError("abandon")
    with database.session(write=False) as s:
        assert s.scalar(text("SELECT count(*) FROM procrastinate_jobs")) == 0

    _folder(tmp_path, "seeds", SEED_FILES)
    job = jobs.submit(ctx, "import", {"folder": "seeds", "org": "43", "year": 2023})
    upload = jobs.submit(ctx, "import", {"org": "43", "year": 2023, "files": [("上传.txt", seed("000").read_bytes())]})
    with database.session(write=False) as s:
        queued = s.execute(text("SELECT task_name, queue_name, status, args FROM procrastinate_jobs ORDER BY id")).all()
    assert [(r[0], r[1], r[2], r[3]["job_id"]) for r in queued] == [
        ("jixiao.run_job", "jixiao", "todo", job["id"]), ("jixiao.run_job", "jixiao", "todo", upload["id"])]
    assert jobs.get_job(ctx, job["id"])["state"] == "queued"  # no thread of this process runs it

    worker = _worker(database, tmp_path)
    try:
        final, seen = _wait(ctx, job["id"])
        other, _ = _wait(ctx, upload["id"])
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    assert "已停止" in output

    assert final["state"] == "done" and final["done"] == final["total"] == len(SEED_FILES), final
    assert [s[1] for s in seen] == sorted(s[1] for s in seen) and any(s[0] == "running" for s in seen), seen
    assert other["state"] == "done" and other["result"]["files"][0]["name"] == "上传.txt"
    # 000 is in both: whichever ran it first created it, the other found it
    statuses = [f["status"] for f in final["result"]["files"]] + [other["result"]["files"][0]["status"]]
    assert statuses.count("created") == len(SEED_FILES) and statuses.count("existing") == 1
    assert _count(database, db.Document) == len(SEED_FILES)
    with database.session(write=False) as s:
        left = s.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'jixiao.run_job'"))
        assert left == 0  # done jobs are deleted


def test_the_job_of_a_killed_worker_runs_again_on_another(database, tmp_path, monkeypatch):
    if database.url.startswith("sqlite"):  # no queue on SQLite: the worker says so and exits 2
        worker = _worker(database, tmp_path)
        output, _ = worker.communicate(timeout=60)
        assert worker.returncode == 2 and "需要 PostgreSQL" in output, output
        return
    actors = _region(database)
    ctx = Ctx(database, actors["finance"])
    monkeypatch.setenv("JIXIAO_JOBS", "procrastinate")
    _folder(tmp_path, "many", SEED_FILES)
    for i in range(3):
        shutil.copytree(tmp_path / "import" / "many", tmp_path / "import" / "many" / f"copy{i}",
                        ignore=shutil.ignore_patterns("copy*"))
    job = jobs.submit(ctx, "import", {"folder": "many", "org": "43", "year": 2023})
    quick = {"JIXIAO_WORKER_HEARTBEAT": "0.5", "JIXIAO_WORKER_STALLED": "2"}
    first = _worker(database, tmp_path, **quick)
    try:
        deadline = time.monotonic() + 60
        while jobs.get_job(ctx, job["id"])["done"] < 1:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.01)
    finally:
        first.kill()  # SIGKILL: no clean stop, the job is left running
        first.communicate(timeout=30)
    left = jobs.get_job(ctx, job["id"])
    assert left["state"] == "running" and 1 <= left["done"] < left["total"] == 20
    time.sleep(3)  # its heartbeat is now older than JIXIAO_WORKER_STALLED

    second = _worker(database, tmp_path, **quick)
    try:
        final, seen = _wait(ctx, job["id"])
    finally:
        second.send_signal(signal.SIGTERM)
        output, _ = second.communicate(timeout=60)
    assert second.returncode == 0, output
    assert final["state"] == "done" and final["done"] == 20 and final["error"] is None, final
    assert ("queued", 0, 20, None) in seen or seen[0][0] == "running"
    counts = final["result"]["counts"]
    assert counts.get("failed", 0) == 0 and counts["created"] + counts["existing"] == 20
    assert _count(database, db.Document) == len(SEED_FILES)  # nothing imported twice

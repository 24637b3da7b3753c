"""Jobs of the in-process runner whose server process is gone: a real process killed with SIGKILL in
the middle of a folder leaves its job 失败 with what it finished (read by get_job, list_jobs, the
server's start), the file it imported stays; the jobs of a live process — this machine or another —
are never touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from jixiao.api.app import create_app
from jixiao.services import job_owner
from jixiao.services import jobs
from jixiao.services import orgs
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.store import schema as db
from jixiao.store.base import utcnow
from tests.conftest import SEED_FILES
from tests.jobs_env import jobs_env  # noqa: F401 (autouse)

ROOT = Path(__file__).parents[1]

# a server process's job threads, as `jixiao serve` runs them: two import jobs of one folder on one
# job thread (the second waits, 排队中); the first job's second file never ends, so the process can
# be killed while it is 进行中 with exactly one file imported
SERVER = """
import os, sys, threading
from jixiao.services import jobs
from jixiao.services.context import SYSTEM, Ctx
from jixiao.store.db import Database

database = Database(os.environ["JIXIAO_DATABASE_URL"])
real, calls = jobs._import_one, []

def import_one(ctx, item, params):
    calls.append(item.name)
    if len(calls) == 2:
        print("second file", flush=True)
        threading.Event().wait()
    return real(ctx, item, params)

jobs._import_one = import_one
ctx = Ctx(database, SYSTEM)
for _ in range(2):
    print(jobs.submit(ctx, "import", {"folder": sys.argv[1], "org": "43", "year": 2023})["id"], flush=True)
threading.Event().wait()
"""


def _region(database) -> Ctx:
    with database.session() as s:
        region = orgs.add_org(s, name="湖南省财政厅", level="region", code="43")
        user = db.User(username="finance", password_hash="-", role="finance_reviewer", org_id=region.id)
        s.add(user)
        s.flush()
        return Ctx(database, Actor(user.id, user.username, user.role, region.id, region.path))


def _documents(database) -> int:
    with database.session(write=False) as s:
        return s.scalar(select(func.count()).select_from(db.Document))


def _state(database, job_id) -> str:
    with database.session(write=False) as s:
        return s.scalar(select(db.Job.state).where(db.Job.id == job_id))


def _heartbeat(database, job_id):
    with database.session(write=False) as s:
        return s.scalar(select(db.Job.heartbeat_at).where(db.Job.id == job_id))


def test_a_killed_server_process_leaves_its_jobs_failed_with_what_they_finished(database, tmp_path):
    ctx = _region(database)
    folder = tmp_path / "import" / "three"
    folder.mkdir()
    for path in SEED_FILES[:3]:
        shutil.copy(path, folder / path.name)
    env = {**os.environ, "JIXIAO_DATABASE_URL": database.url, "JIXIAO_IMPORT_DIR": str(tmp_path / "import"),
           "PYTHONPATH": str(ROOT), "JIXIAO_JOB_THREADS": "1", "JIXIAO_JOB_HEARTBEAT": "0.2"}
    server = subprocess.Popen([sys.executable, "-c", SERVER, "three"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        running, queued = server.stdout.readline().strip(), server.stdout.readline().strip()
        assert server.stdout.readline() == "second file\n", (running, queued)

        # the other process is alive: its jobs are read as they are, by any way of reading them
        job = jobs.get_job(ctx, running)
        assert (job["state"], job["done"], job["total"], job["error"]) == ("running", 1, 3, None), job
        assert jobs.get_job(ctx, queued)["state"] == "queued"
        assert {j["id"]: j["state"] for j in jobs.list_jobs(ctx)["items"]} == {running: "running", queued: "queued"}
        assert jobs.recover(database) == []
        with TestClient(create_app(database)):  # a server starting beside it looks, and leaves them
            pass
        assert jobs.get_job(ctx, running)["state"] == "running"
        # and its heartbeat goes on while the file runs (what another machine judges it by)
        before = _heartbeat(database, running)
        deadline = time.monotonic() + 60
        while _heartbeat(database, running) == before:
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.05)
        with database.session(write=False) as s:
            row = s.get(db.Job, running)
            assert (row.owner_host, row.owner_pid) == (job_owner.me().host, server.pid)
            assert row.owner_boot != job_owner.me().boot
    finally:
        server.kill()  # SIGKILL: no clean stop
        server.communicate(timeout=30)
    assert server.returncode == -9
    assert _state(database, running) == "running" and _state(database, queued) == "queued"  # nobody looked yet

    one = jobs.get_job(ctx, running)  # reading the job (the 上传 page, GET /api/v1/jobs/{id}) fails it
    assert one["state"] == "failed" and one["state_label"] == "失败" and one["current"] is None
    assert one["error"] == ("服务在任务进行中停止，已完成 1/3 个文件（已导入的保留）；"
                            "请重新提交其余文件（已导入的文件不会重复导入）")
    assert (one["done"], one["total"]) == (1, 3)
    assert _state(database, queued) == "queued"  # get_job looked at its job only
    with TestClient(create_app(database)):  # a server starting looks at every job
        assert _state(database, queued) == "failed"
    two = jobs.list_jobs(ctx, state="failed")["items"]
    assert {j["id"]: j["error"] for j in two}[queued] == "服务在任务开始前停止，任务未开始；请重新提交"
    assert _documents(database) == 1  # the file imported before the kill stays

    # submitted again, the rest is imported and the first file found
    again = jobs.submit(ctx, "import", {"folder": "three", "org": "43", "year": 2023})
    deadline = time.monotonic() + 120
    while (final := jobs.get_job(ctx, again["id"]))["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert final["state"] == "done" and final["result"]["counts"] == {"existing": 1, "created": 2}, final
    assert _documents(database) == 3


def _gone_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()  # ended and reaped
    return process.pid


def _job(database, ctx, name: str, *, state="running", runner="thread", beat=None, **owner) -> str:
    with database.session() as s:
        s.add(db.Job(id=name, kind="import", state=state, done=2, total=5, org_id=ctx.actor.org_id,
                     params={"runner": runner, "folder": "x", "org": "43"}, heartbeat_at=beat, **owner))
    return name


def test_only_the_jobs_of_processes_that_are_gone_are_failed(database, monkeypatch):
    ctx = _region(database)
    me = job_owner.me()
    machine = me.boot.rsplit("/", 2)[0]
    parent = os.getppid()
    parent_started = job_owner._started(parent)
    now = utcnow()
    live = {
        # another machine whose heartbeat is recent
        "remote-live": {"owner_host": "另一台服务器", "owner_pid": 4242, "owner_boot": "k/1/99/abc", "beat": now},
        # a live process of this machine (this test's parent), started when the row says
        "local-live": {"owner_host": me.host, "owner_pid": parent,
                       "owner_boot": f"{machine}/{parent_started}/feed", "beat": now - timedelta(days=1)},
        # this process itself
        "mine": {**me.values(), "beat": now - timedelta(days=1)},
        # the queue's jobs are the queue's business (queue.py requeues them)
        "queue": {"owner_host": me.host, "owner_pid": _gone_pid(), "owner_boot": f"{machine}/1/dead",
                  "runner": "procrastinate"},
        # a row without an owner (written before the owner was recorded) updated just now
        "legacy-fresh": {},
    }
    gone = {
        "remote-stale": {"owner_host": "另一台服务器", "owner_pid": 4242, "owner_boot": "k/1/99/abc",
                         "beat": now - timedelta(seconds=301)},
        "local-dead": {"owner_host": me.host, "owner_pid": _gone_pid(), "owner_boot": f"{machine}/1/dead",
                       "beat": now},
        # this pid, another boot: a restarted container's server gets the same pid again
        "restarted": {"owner_host": me.host, "owner_pid": me.pid, "owner_boot": f"{machine}/1/older", "beat": now},
        "legacy-old": {},
    }
    if parent_started:  # the pid is alive but is a process started at another time: it was reused
        gone["reused"] = {"owner_host": me.host, "owner_pid": parent,
                          "owner_boot": f"{machine}/{int(parent_started) + 1}/feed", "beat": now}
    for name, owner in {**live, **gone}.items():
        owner = dict(owner)
        _job(database, ctx, name, runner=owner.pop("runner", "thread"), beat=owner.pop("beat", None), **owner)
    with database.session() as s:
        s.execute(update(db.Job).where(db.Job.id == "legacy-old").values(updated_at=now - timedelta(hours=1)))

    assert jobs.get_job(ctx, "restarted")["state"] == "failed"  # read one by one
    assert jobs.get_job(ctx, "mine")["state"] == "running"
    states = {j["id"]: (j["state"], j["error"]) for j in jobs.list_jobs(ctx)["items"]}  # or as a list
    for name in live:
        assert states[name] == ("running", None), name
    for name in gone:
        assert states[name] == ("failed", "服务在任务进行中停止，已完成 2/5 个文件（已导入的保留）；"
                                          "请重新提交其余文件（已导入的文件不会重复导入）"), name

    # the window for other machines is JIXIAO_JOB_STALLED; a queued job of a process that is gone
    monkeypatch.setenv("JIXIAO_JOB_STALLED", "10")
    _job(database, ctx, "remote-queued", state="queued", beat=now - timedelta(seconds=11),
         owner_host="另一台服务器", owner_pid=1, owner_boot="k/1/99/abc")
    assert jobs.recover(database) == ["remote-queued"]
    assert jobs.get_job(ctx, "remote-queued")["error"] == "服务在任务开始前停止，任务未开始；请重新提交"
    assert jobs.get_job(ctx, "remote-live")["state"] == "running"

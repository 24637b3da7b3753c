"""Deadlines: set by an organisation for everything under it, the nearest one above decides;
the command line; the 工作台 shows them (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from jixiao.services import deadlines
from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services import users
from jixiao.services.context import SYSTEM
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.store import schema as db
from tests.conftest import seed


@pytest.fixture
def tree(database):
    ctx = Ctx(database, SYSTEM)
    orgs.create_org(ctx, name="某市财政局", level="region", code="R1")
    orgs.create_org(ctx, name="教育局", level="department", parent="R1", code="D1")
    orgs.create_org(ctx, name="第一中学", level="unit", parent="D1", code="U1")
    orgs.create_org(ctx, name="卫生局", level="department", parent="R1", code="D2")
    return database


def _actor(database, code: str, role: str) -> Actor:
    with database.session(write=False) as s:
        org = s.scalar(select(db.Org).where(db.Org.code == code))
    return Actor(None, f"{role}@{code}", role, org.id, org.path)


def test_the_nearest_organisation_above_decides(tree):
    ctx = Ctx(tree, SYSTEM)
    deadlines.set_deadline(ctx, org="R1", year=2026, process="targets", due="2026-03-31")
    deadlines.set_deadline(ctx, org="R1", year=2026, process="self_evaluation", due="2027-04-30")
    deadlines.set_deadline(ctx, org="D1", year=2026, process="targets", due="2026-03-15")  # earlier for 教育局
    school = Ctx(tree, _actor(tree, "U1", "unit_filer"))
    got = {d["process"]: d for d in deadlines.for_actor(school, 2026, today=date(2026, 3, 10))}
    assert got["targets"]["due"] == "2026-03-15" and got["targets"]["set_by_org"] == "教育局"
    assert got["targets"]["days_left"] == 5 and not got["targets"]["overdue"]
    assert got["self_evaluation"]["due"] == "2027-04-30" and "disclosure" not in got
    health = Ctx(tree, _actor(tree, "D2", "department_manager"))
    assert {d["process"]: d["due"] for d in deadlines.for_actor(health, 2026)}["targets"] == "2026-03-31"
    late = deadlines.for_actor(school, 2026, today=date(2026, 4, 1))[0]
    assert late["overdue"] and late["days_left"] == -17
    assert deadlines.for_actor(school, 2025) == []
    with tree.session(write=False) as s:
        entries = s.scalars(select(db.AuditEntry).where(db.AuditEntry.action == "deadline.set")).all()
    assert len(entries) == 3 and entries[-1].after == {"due": "2026-03-15"}


def test_a_document_gets_the_deadline_of_its_process(tree):
    ctx = Ctx(tree, SYSTEM)
    deadlines.set_deadline(ctx, org="D1", year=2026, process="targets", due="2026-03-31")
    imported = imports.import_path(ctx, seed("000"), org="U1", year=2026)
    items = [{"org": imported["org"], "year": 2026, "kind": imported["kind"]},
             {"org": imported["org"], "year": 2026, "kind": "budget_disclosure"}]
    deadlines.for_documents(ctx, items, today=date(2026, 3, 30))
    assert items[0]["deadline"] == {"due": "2026-03-31", "days_left": 1, "overdue": False}
    assert items[1]["deadline"] is None  # no deadline set for 预算公开审核


def test_deadlines_of_many_documents_at_once_are_each_ones_own(tree):
    ctx = Ctx(tree, SYSTEM)
    deadlines.set_deadline(ctx, org="R1", year=2026, process="targets", due="2026-04-30")
    deadlines.set_deadline(ctx, org="D1", year=2026, process="targets", due="2026-03-31")  # nearer for D1, U1
    deadlines.set_deadline(ctx, org="U1", year=2025, process="targets", due="2025-03-15")
    deadlines.set_deadline(ctx, org="D2", year=2026, process="disclosure", due="2026-02-28")
    with tree.session(write=False) as s:
        ids = {code: s.scalar(select(db.Org.id).where(db.Org.code == code)) for code in ("R1", "D1", "U1", "D2")}
    items = [{"org": {"id": ids[code]}, "year": year, "kind": kind}
             for code in ("U1", "D1", "D2", "R1") for year in (2025, 2026, None)
             for kind in ("targets", "budget_disclosure")]
    deadlines.for_documents(ctx, items, today=date(2026, 3, 30))
    for item in items:
        alone = {k: v for k, v in item.items() if k != "deadline"}
        deadlines.for_documents(ctx, [alone], today=date(2026, 3, 30))
        assert item["deadline"] == alone["deadline"], item
    due = {(i["org"]["id"], i["year"], i["kind"]): i["deadline"] and i["deadline"]["due"] for i in items}
    assert due[(ids["U1"], 2026, "targets")] == "2026-03-31" and due[(ids["D2"], 2026, "targets")] == "2026-04-30"
    assert due[(ids["U1"], 2025, "targets")] == "2025-03-15" and due[(ids["D1"], 2025, "targets")] is None
    assert due[(ids["D2"], 2026, "budget_disclosure")] == "2026-02-28" and due[(ids["U1"], None, "targets")] is None


def test_who_may_set_a_deadline_and_what_is_refused(tree):
    school = Ctx(tree, _actor(tree, "U1", "unit_filer"))
    with pytest.raises(Forbidden):
        deadlines.set_deadline(school, org="U1", year=2026, process="targets", due="2026-03-31")
    education = Ctx(tree, _actor(tree, "D1", "department_manager"))
    deadlines.set_deadline(education, org="U1", year=2026, process="targets", due="2026-03-20")
    with pytest.raises(NotFound):  # another department's: not in scope
        deadlines.set_deadline(education, org="D2", year=2026, process="targets", due="2026-03-20")
    with pytest.raises(Invalid, match="年-月-日"):
        deadlines.set_deadline(education, org="U1", year=2026, process="targets", due="3月31日")
    with pytest.raises(Invalid, match="未知的流程"):
        deadlines.set_deadline(education, org="U1", year=2026, process="budget", due="2026-03-31")
    deadlines.set_deadline(education, org="U1", year=2026, process="targets", due=None)  # removed
    assert deadlines.list_deadlines(education, year=2026) == []


def test_the_command_line_sets_and_lists(tree, monkeypatch):
    from jixiao.cli import app

    monkeypatch.setenv("JIXIAO_DATABASE_URL", tree.url)
    runner = CliRunner()
    result = runner.invoke(app, ["deadline", "set", "R1", "2026", "targets", "2026-03-31"])
    assert result.exit_code == 0, result.output
    assert "某市财政局 2026 年度绩效目标申报：截止日期为 2026-03-31" in result.output
    listed = runner.invoke(app, ["deadline", "list", "--year", "2026", "--org", "U1"])
    assert listed.exit_code == 0 and "某市财政局  绩效目标申报  2026-03-31" in listed.output
    bad = runner.invoke(app, ["deadline", "set", "R1", "2026", "targets", "明年"])
    assert bad.exit_code == 1 and "年-月-日" in bad.output


def test_the_workbench_shows_the_deadlines(tree):
    from jixiao.server import create_app

    ctx = Ctx(tree, SYSTEM)
    deadlines.set_deadline(ctx, org="R1", year=2026, process="targets", due="2026-03-31")
    imports.import_path(ctx, seed("000"), org="U1", year=2026)
    users.add_user(ctx, "filer", role="unit_filer", org="U1", password="filer-password-1")
    client = TestClient(create_app(tree), raise_server_exceptions=False)
    r = client.post("/login", data={"username": "filer", "password": "filer-password-1", "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/?year=2026").text
    strip = re.search(r'<section class="deadlines".*?</section>', page, re.S).group(0)
    assert "绩效目标申报 2026-03-31" in strip and "data-process=\"targets\"" in strip
    assert "2026-03-31（逾期）" in page or "2026-03-31</span>" in page  # the draft's row names its deadline

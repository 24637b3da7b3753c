"""The 绩效自评 page read only, without a browser: a role that may read the document but not fill
the form in (只读 auditor) sees the stored self-evaluation's scores, total and grade, with no input
and no save; "尚未自评" before anything is stored; a user of another organisation gets 404. On
SQLite, and on PostgreSQL when JIXIAO_TEST_PG_URL is set."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jixiao.services import editing
from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services import selfevals
from jixiao.services import users
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.store import schema as db
from tests.conftest import seed

# seed 000's 整体 indicators in order (tests/test_services_selfevals.py: with 551.20 spent, 84.14 良)
ACTUALS = ["560", "3513.14", "18", "12", "96%", "100", "达成", "部分达成", "未达成", "90"]


def _client(database) -> TestClient:
    from jixiao.server import create_app

    return TestClient(create_app(database), raise_server_exceptions=False)


def _login(client: TestClient, username: str, password: str) -> None:
    r = client.post("/login", data={"username": username, "password": password, "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def _setup(database) -> int:
    """A region with two departments, seed 000 filed under a unit of the first: its 整体 target set's id."""
    ctx = Ctx(database, SYSTEM)
    orgs.create_org(ctx, name="某市财政局", level="region", code="R1")
    orgs.create_org(ctx, name="教育局", level="department", parent="R1", code="D1")
    orgs.create_org(ctx, name="第一中学", level="unit", parent="D1", code="U1")
    orgs.create_org(ctx, name="卫生局", level="department", parent="R1", code="D2")
    users.add_user(ctx, "reader", role="auditor", org="R1", password="reader-password-1")
    users.add_user(ctx, "other", role="auditor", org="D2", password="other-password-1")
    users.add_user(ctx, "filer", role="unit_filer", org="U1", password="filer-password-1")
    doc = imports.import_bytes(ctx, seed("000").read_bytes(), "第一中学_2026_绩效目标表.txt", org="U1",
                               year=2026)["id"]
    with database.session(write=False) as s:
        return s.scalar(select(db.TargetSet.id).where(db.TargetSet.document_id == doc)
                        .order_by(db.TargetSet.position).limit(1))


def test_an_auditor_reads_the_stored_self_evaluation_and_another_organisation_gets_404(database):
    ts_id = _setup(database)
    ctx = Ctx(database, SYSTEM)
    url = f"/target-sets/{ts_id}/self-evaluation"
    reader = _client(database)
    _login(reader, "reader", "reader-password-1")
    # nothing stored yet: said so, no form
    r = reader.get(url)
    assert r.status_code == 200 and "尚未自评" in r.text
    # stored: the scores, the budget block, the total and the grade, read only
    ids = [i["id"] for i in editing.get_target_set(ctx, ts_id)["indicators"]]
    stored = selfevals.score_self_evaluation(ctx, ts_id, dict(zip(ids, ACTUALS, strict=True)),
                                             execution={"spent": "551.20"})
    assert (stored["total"], stored["grade"]) == ("84.14", "良")
    r = reader.get(url)
    assert r.status_code == 200
    page = r.text
    assert re.search(r'id="se-total" data-total="84\.14">84\.14<', page)
    assert 'data-grade="良"' in page
    third = next(s for s in stored["scores"] if s["indicator_id"] == ids[2])
    assert re.search(rf'id="score-{ids[2]}" class="se-score" data-score="{third["score"]}"', page)
    assert html.escape(third["explanation"], quote=False) in page and html.escape(third["method"]) in page
    assert '<strong id="exec-rate">94.99%</strong>' in page
    assert "尚未自评" not in page
    # no form: no text field, no textarea, no save, no preview
    assert not re.search(r'<input(?![^>]*type="hidden")', page)
    assert "<textarea" not in page and "se-save" not in page and "/preview" not in page
    # the filer still gets the form
    filer = _client(database)
    _login(filer, "filer", "filer-password-1")
    r = filer.get(url)
    assert r.status_code == 200 and f'id="actual-{ids[2]}"' in r.text and 'id="se-save"' in r.text
    # another department's user: the target set does not exist for it
    other = _client(database)
    _login(other, "other", "other-password-1")
    r = other.get(url)
    assert r.status_code == 404 and "页面不存在" in r.text

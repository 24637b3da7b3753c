"""`make run`'s monitoring demo (services/demo_monitoring.py): 沅江's 2023 targets approved through the
workflow, a round at 2023-06-30, three sheets filled so the pages show 红, 黄, 绿 and the rest 未填报."""

from __future__ import annotations

from sqlalchemy import select

from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.services.demo import create_demo
from jixiao.services.demo_monitoring import create_demo_monitoring
from jixiao.store import schema as db
from tests.conftest import seed
from tests.databases import database  # noqa: F401

DATA = seed("000").parents[1]


def test_demo_round_shows_every_level_and_runs_once(database):  # noqa: F811
    create_demo(database, DATA)
    round_ = create_demo_monitoring(database)
    assert round_["as_of"] == "2023-06-30" and round_["state"] == "open"
    levels = [s["level"] for s in round_["sheets"]]
    assert levels[:3] == ["red", "amber", "green"]
    assert levels[3:] and set(levels[3:]) == {"unfilled"}
    with database.session(write=False) as s:
        org = s.scalar(select(db.Org).where(db.Org.code == "HN-YJ"))
        states = s.scalars(select(db.Document.state).where(db.Document.org_id == org.id,
                                                           db.Document.year == 2023)).all()
        entries = s.scalars(select(db.AuditEntry.action).where(db.AuditEntry.action.like("workflow.%"))).all()
    assert states == ["approved"]
    assert len(entries) == 3  # 提交, 部门审核通过, 财政审核通过: through the workflow, audited
    assert create_demo_monitoring(database) is None  # again: nothing to do
    from jixiao.services import monitoring

    assert len(monitoring.list_rounds(Ctx(database, SYSTEM), year=2023)["items"]) == 1

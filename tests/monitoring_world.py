"""The demo region (services/demo.py) with its 2023 targets approved through the workflow, for the
monitoring tests (services, CLI, API): 湖南 (HN) → 沅江 (HN-YJ, 7 target sets) and 石峰 (HN-SF, 2),
a department manager for each, the demo's finance reviewer, auditor and 长沙's manager."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from jixiao.services import workflow
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.demo import create_demo
from jixiao.store import schema as db
from tests.conftest import seed

D = Decimal
DATA = seed("000").parents[1]  # tests/data: seeds/ and real/, as `make run` files them


def actor(database, username: str, role: str, org_code: str) -> Actor:
    with database.session() as s:
        org = s.scalar(select(db.Org).where(db.Org.code == org_code))
        user = s.scalar(select(db.User).where(db.User.username == username))
        if user is None:
            user = db.User(username=username, password_hash="x", role=role, org_id=org.id)
            s.add(user)
            s.flush()
        return Actor(user_id=user.id, username=username, role=role, org_id=org.id, org_path=org.path)


def approve(database, document_id: int, dept: Actor, finance: Actor) -> None:
    """提交 (explaining every open error finding) → 部门审核通过 → 财政审核通过."""
    with database.session(write=False) as s:
        errors = s.scalars(select(db.Finding.id).where(db.Finding.document_id == document_id,
                                                       db.Finding.severity == "error")).all()
    workflow.transition(Ctx(database, dept), document_id, "submit", explanations=dict.fromkeys(errors, "已核实"))
    workflow.transition(Ctx(database, dept), document_id, "approve")
    assert workflow.transition(Ctx(database, finance), document_id, "approve")["state"] == "approved"


def hunan_region(database):
    create_demo(database, DATA)
    who = {
        "finance": actor(database, "caizheng", "finance_reviewer", "HN"),
        "yj": actor(database, "yj_dept", "department_manager", "HN-YJ"),
        "sf": actor(database, "sf_dept", "department_manager", "HN-SF"),
        "auditor": actor(database, "shenji", "auditor", "HN"),
        "changsha": actor(database, "bumen", "department_manager", "152"),
    }
    with database.session(write=False) as s:
        docs = {s.get(db.Org, d.org_id).code: d.id for d in s.scalars(
            select(db.Document).where(db.Document.kind == "targets", db.Document.year == 2023))}
    approve(database, docs["HN-YJ"], who["yj"], who["finance"])
    approve(database, docs["HN-SF"], who["sf"], who["finance"])
    return database, who, docs


def ctx(database, a: Actor) -> Ctx:
    return Ctx(database, a)


def quantitative_forward(sheet: dict) -> list[dict]:
    return [e for e in sheet["entries"] if e["kind"] == "quantitative" and e["target_text"]
            and not e["target_text"].lstrip().startswith(("≤", "<", "＜"))]



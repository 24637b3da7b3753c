"""The demo region (services/demo.py) made ready for the monitoring pages' tests: 沅江 and 石峰's
2023 targets approved through the workflow, users with known passwords in 沅江 (a 部门管理 and a
单位填报) and in 石峰, operational data for 沅江: a source 政务大厅办件 with generated records
(tests/opdata_records.py) and the metric 政务大厅办件量."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select

from jixiao.services import operational_data
from jixiao.services import users
from jixiao.services import workflow
from jixiao.services.context import SYSTEM
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.store import schema as db
from tests.opdata_records import MAPPINGS
from tests.opdata_records import columns
from tests.opdata_records import generate

PASSWORDS = {"yj_dept": "yj-dept-password-1", "yj_filer": "yj-filer-password-1", "sf_dept": "sf-dept-password-1",
             "fin": "fin-password-12345"}
SOURCE = "政务大厅办件"


def _actor(database, username: str) -> Actor:
    with database.session(write=False) as s:
        user = s.scalar(select(db.User).where(db.User.username == username))
        org = s.get(db.Org, user.org_id)
        return Actor(user_id=user.id, username=user.username, role=user.role, org_id=org.id, org_path=org.path)


def approve(database, document_id: int, dept: Actor, finance: Actor) -> None:
    """提交 (explaining every open error finding) → 部门审核通过 → 财政审核通过."""
    with database.session(write=False) as s:
        errors = s.scalars(select(db.Finding.id).where(db.Finding.document_id == document_id,
                                                       db.Finding.severity == "error")).all()
    workflow.transition(Ctx(database, dept), document_id, "submit", explanations=dict.fromkeys(errors, "已核实"))
    workflow.transition(Ctx(database, dept), document_id, "approve")
    workflow.transition(Ctx(database, finance), document_id, "approve")


def records_csv(n: int, unit: str, *, seed: int = 7, year: int = 2023) -> bytes:
    """``n`` 办件 records of ``unit`` spread over the first half of ``year``, as a CSV."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(SOURCE))
    writer.writeheader()
    writer.writerows(generate(SOURCE, n, [unit], seed=seed, start=date(year, 1, 1), end=date(year, 6, 30)))
    return out.getvalue().encode()


def prepare(database) -> dict:
    """Approve, add the users, define the source and the metric; returns the documents by org code."""
    ctx = Ctx(database, SYSTEM)
    users.add_user(ctx, "yj_dept", role="department_manager", org="HN-YJ", password=PASSWORDS["yj_dept"])
    users.add_user(ctx, "yj_filer", role="unit_filer", org="HN-YJ", password=PASSWORDS["yj_filer"])
    users.add_user(ctx, "sf_dept", role="department_manager", org="HN-SF", password=PASSWORDS["sf_dept"])
    users.add_user(ctx, "fin", role="finance_reviewer", org="HN", password=PASSWORDS["fin"])
    with database.session(write=False) as s:
        docs = {s.get(db.Org, d.org_id).code: d.id for d in s.scalars(
            select(db.Document).where(db.Document.kind == "targets", db.Document.year == 2023))}
    finance = _actor(database, "fin")
    approve(database, docs["HN-YJ"], _actor(database, "yj_dept"), finance)
    approve(database, docs["HN-SF"], _actor(database, "sf_dept"), finance)
    operational_data.save_source(ctx, org="HN-YJ", name=SOURCE, mapping=MAPPINGS[SOURCE])
    operational_data.save_metric(ctx, org="HN-YJ", name="政务大厅办件量", source=f"HN-YJ/{SOURCE}",
                                 definition={"kind": "count", "unit": "件"})
    return docs

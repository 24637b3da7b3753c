"""The demo region's monitoring, for ``make run`` (``jixiao demo``): 沅江's 2023 targets approved
through the workflow, a round at 2023-06-30 over them, and a few 监控表 filled so that the pages show
red, amber, green and 未填报. Run again, it does nothing (the round exists).

Not part of ``create_demo``: the tests build their own rounds on the demo region."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from jixiao.services import monitoring
from jixiao.services import workflow
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.store import schema as db

ORG, YEAR, AS_OF = "HN-YJ", 2023, "2023-06-30"
REGION = "HN"
# share of each filled sheet's budget spent by the round's date (time progress is 49.59%):
# 红 (more than 20 points behind), 黄 (10–20 behind), 绿; the sheets after these stay 未填报
SPENT = (Decimal("0.25"), Decimal("0.36"), Decimal("0.52"))


def create_demo_monitoring(database) -> dict | None:
    """Approve the demo's 2023 target document of 沅江 and open and partly fill a round.
    Returns the round (``monitoring.get_round``), or None when there was nothing to do."""
    ctx = Ctx(database, SYSTEM)
    with database.session(write=False) as session:
        org = session.scalar(select(db.Org).where(db.Org.code == ORG))
        if org is None:
            return None
        if session.scalar(select(db.MonitoringRound.id).where(db.MonitoringRound.year == YEAR)) is not None:
            return None
        docs = session.scalars(select(db.Document).where(
            db.Document.kind == "targets", db.Document.year == YEAR, db.Document.org_id == org.id,
            db.Document.is_current.is_(True))).all()
        todo = [(d.id, d.state) for d in docs]
    for document_id, state in todo:
        if state == "draft":
            with database.session(write=False) as session:
                errors = session.scalars(select(db.Finding.id).where(
                    db.Finding.document_id == document_id, db.Finding.severity == "error")).all()
            workflow.transition(ctx, document_id, "submit", explanations=dict.fromkeys(errors, "演示：已核实"))
            state = "submitted"
        while state in ("submitted", "dept_approved"):
            state = workflow.transition(ctx, document_id, "approve")["state"]
    opened = monitoring.open_round(ctx, org=REGION, year=YEAR, as_of=AS_OF)
    round_ = monitoring.get_round(ctx, opened["id"])
    for share, sheet in zip(SPENT, round_["sheets"]):
        budget = Decimal(sheet["budget"]) if sheet.get("budget") else None
        if not budget:
            continue
        changes = {"spent": str((budget * share).quantize(Decimal("0.01")))}
        if share < Decimal("0.4"):
            changes["execution_reason"] = "演示：部分采购合同下半年签订，资金按合同进度支付"
        monitoring.fill_sheet(ctx, sheet["id"], changes)
    return monitoring.get_round(ctx, opened["id"])

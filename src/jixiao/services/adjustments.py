"""目标调整: a new version of an approved targets document, edited and approved through the normal
workflow; the old version and its targets stay (read only, ``is_current`` false).

:func:`start_adjustment` (``targets.adjust``) copies the current, approved (已批复 / 已公开) document
as its next version in 草稿: the tables, target sets and indicators as they stand, the parse JSON.
Its source file is the adjustment request itself (a short UTF-8 text naming the original version
and the reason): the original bytes belong to the original version (one document per bytes). The
new version is then edited with ``services.editing`` and moves through ``services.workflow``
(提交 → 部门审核 → 财政审核) like any targets document; once 已批复, new monitoring rounds (and
``monitoring.add_sheets``) take its target sets. Findings of the original file are not copied:
each edit reviews the edited set again.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from jixiao.services import audit
from jixiao.services import policy
from jixiao.services import workflow
from jixiao.services.context import Ctx
from jixiao.services.editing import _load
from jixiao.services.editing import _text
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.store import schema as db

APPROVED = ("approved", "published")


def _copy(row, skip: tuple[str, ...] = ("id",), **values):
    model = type(row)
    data = {c.key: getattr(row, c.key) for c in model.__table__.columns if c.key not in skip}
    data.update(values)
    return model(**data)


def adjustment_json(session: Session, a: db.TargetAdjustment) -> dict:
    old, new = session.get(db.Document, a.from_document_id), session.get(db.Document, a.to_document_id)
    return {"id": a.id, "sheet_id": a.sheet_id, "reason": a.reason,
            "from_document": {"id": old.id, "version": old.version, "state": old.state,
                              "state_label": workflow.state_label(old.state), "is_current": old.is_current},
            "to_document": {"id": new.id, "version": new.version, "state": new.state,
                            "state_label": workflow.state_label(new.state), "is_current": new.is_current},
            "target_sets": {str(k): v for k, v in set_map(session, old.id, new.id).items()},
            "created_at": a.created_at.isoformat() if a.created_at else None}


def _places(session: Session, document_id: int) -> list[tuple[tuple[int, int], int]]:
    """((table position, set position), target set id) of a document's target sets."""
    rows = session.execute(select(db.DocTable.position, db.TargetSet.position, db.TargetSet.id)
                           .join(db.DocTable, db.DocTable.id == db.TargetSet.table_id)
                           .where(db.TargetSet.document_id == document_id)).all()
    return [((t, p), ident) for t, p, ident in rows]


def set_map(session: Session, old_id: int, new_id: int) -> dict[int, int]:
    """Old target set id → new one, by place in the document (the copy keeps the places)."""
    new = dict(_places(session, new_id))
    return {ident: new[place] for place, ident in _places(session, old_id) if place in new}


def start_adjustment(ctx: Ctx, target_set_id: int, *, reason: str, sheet_id: int | None = None) -> dict:
    """Copy the approved document of ``target_set_id`` as its next version (草稿) for a 目标调整
    with ``reason`` (required); ``sheet_id``: the 监控表 that asked for it. Returns the adjustment
    with ``target_sets`` {old id: new id} and the new document."""
    reason = _text(reason)
    if not reason:
        raise Invalid("目标调整须说明原因", code="reason_required")
    policy.require(ctx.actor, "targets.adjust")  # the target set is named in the request, not the address
    with ctx.db.session() as session:
        ts, doc, _table = _load(session, ctx, target_set_id, lock=True)
        if not doc.is_current:
            raise Conflict(f"“{doc.name}”第 {doc.version} 版已有更新版本，请在当前版本上调整", code="not_current")
        if doc.state not in APPROVED:
            raise Conflict(f"只有已批复的绩效目标才需要调整（当前状态：{workflow.state_label(doc.state)}；"
                           "草稿或已退回的可直接修改）", code="not_approved")
        if sheet_id is not None:
            sheet = session.get(db.MonitoringSheet, int(sheet_id))
            if sheet is None or sheet.document_id != doc.id:
                raise Invalid(f"监控表 {sheet_id} 不属于该绩效目标", code="sheet_mismatch")
        version = (session.scalar(select(func.max(db.Document.version)).where(
            db.Document.org_id == doc.org_id, db.Document.year == doc.year, db.Document.series == doc.series)) or 0) + 1
        note = (f"绩效目标调整申请\n原文档：{doc.name}（第 {doc.version} 版，{workflow.state_label(doc.state)}）\n"
                f"调整后为第 {version} 版\n调整原因：{reason}\n申请人：{ctx.actor.username}\n").encode()
        sha = hashlib.sha256(note).hexdigest()
        name = f"{doc.name}（目标调整 第{version}版）"
        if session.get(db.SourceFile, sha) is None:
            session.add(db.SourceFile(sha256=sha, name=f"{name}.txt", format="txt", size=len(note), content=note,
                                      uploaded_by=ctx.actor.user_id))
        session.execute(update(db.Document).where(
            db.Document.org_id == doc.org_id, db.Document.year == doc.year, db.Document.series == doc.series,
            db.Document.is_current.is_(True)).values(is_current=False, row_version=db.Document.row_version + 1)
            .execution_options(synchronize_session=False))
        parsed = session.scalar(select(db.Document.parsed).where(db.Document.id == doc.id))
        new = db.Document(org_id=doc.org_id, year=doc.year, kind=doc.kind, series=doc.series, version=version,
                          is_current=True, source_sha256=sha, name=name, format="txt", title=doc.title,
                          parsed=parsed, state="draft", created_by=ctx.actor.user_id)
        session.add(new)
        session.flush()
        tables = {}
        for table in session.scalars(select(db.DocTable).where(db.DocTable.document_id == doc.id)
                                     .order_by(db.DocTable.position)):
            copy = _copy(table, document_id=new.id)
            session.add(copy)
            session.flush()
            tables[table.id] = copy.id
            for row in session.scalars(select(db.BudgetRow).where(db.BudgetRow.table_id == table.id)):
                session.add(_copy(row, table_id=copy.id))
        for old_set in session.scalars(select(db.TargetSet).where(db.TargetSet.document_id == doc.id)
                                       .order_by(db.TargetSet.position)):
            copy = _copy(old_set, skip=("id", "row_version", "updated_at"), document_id=new.id,
                         table_id=tables[old_set.table_id])
            session.add(copy)
            session.flush()
            for ind in session.scalars(select(db.Indicator).where(db.Indicator.target_set_id == old_set.id)):
                session.add(_copy(ind, target_set_id=copy.id))
        for model in (db.Section, db.StatedAmount):
            for row in session.scalars(select(model).where(model.document_id == doc.id)):
                session.add(_copy(row, document_id=new.id))
        adjustment = db.TargetAdjustment(sheet_id=None if sheet_id is None else int(sheet_id), org_id=doc.org_id,
                                         from_document_id=doc.id, to_document_id=new.id, reason=reason,
                                         created_by=ctx.actor.user_id)
        session.add(adjustment)
        session.flush()
        audit.record(session, ctx.actor, "targets.adjust", "document", new.id, org_id=doc.org_id,
                     before={"document": doc.id, "version": doc.version, "state": doc.state},
                     after={"document": new.id, "version": version, "state": "draft"}, comment=reason)
        return adjustment_json(session, adjustment)


def get_adjustment(ctx: Ctx, adjustment_id: int) -> dict:
    with ctx.db.session(write=False) as session:
        a = session.get(db.TargetAdjustment, int(adjustment_id)) if str(adjustment_id).isdigit() else None
        org = session.get(db.Org, a.org_id) if a else None
        if a is None or not policy.sees(ctx.actor, org.path):
            raise not_found("目标调整", adjustment_id)
        policy.require(ctx.actor, "document.read")
        return adjustment_json(session, a)


def list_adjustments(ctx: Ctx, *, document_id: int | None = None) -> dict:
    """The 目标调整 in the actor's scope (of a document, from or to), newest first."""
    policy.require(ctx.actor, "document.read")
    with ctx.db.session(write=False) as session:
        stmt = select(db.TargetAdjustment).join(db.Org, db.Org.id == db.TargetAdjustment.org_id)
        if document_id is not None:
            ident = int(document_id)
            stmt = stmt.where((db.TargetAdjustment.from_document_id == ident)
                              | (db.TargetAdjustment.to_document_id == ident))
        stmt = policy.scoped(stmt, ctx.actor, db.Org.path).order_by(db.TargetAdjustment.id.desc())
        items = [adjustment_json(session, a) for a in session.scalars(stmt)]
    return {"items": items, "total": len(items)}

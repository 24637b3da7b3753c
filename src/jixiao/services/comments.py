"""The review's notes on a document, kept in the append-only audit log (no table of their own):

* :func:`comment` — a free comment on any row of a document (an indicator's location, a
  finding's, or the document as a whole): an audit entry ``document.comment`` on the document
  (``after`` = location, text, what the row is); :func:`list_comments` reads them back;
* :func:`workflow_history` — the document's steps (提交 / 通过 / 退回 …) with their comments and
  the explanations given at submission;
* :func:`changes_since_return` — what the unit changed in the document's target sets since the
  last 退回 (or since the import when it was never returned): the edit entries folded into one
  difference per indicator and field (first value before → last value after; a value changed and
  changed back is no change).
"""

from __future__ import annotations

from sqlalchemy import select

from jixiao.services import audit
from jixiao.services import documents
from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.editing import FIELD_LABELS
from jixiao.services.errors import Invalid
from jixiao.store import schema as db

MAX_COMMENT = 2000
SET_LABELS = {"unit_code": "单位编码", "unit": "单位名称", "project": "项目名称", "project_code": "项目编码",
              "goal": "年度绩效目标", "period_goal": "中长期目标", "functions": "部门职能", "category": "项目类别",
              "period": "实施期", "parent_fund": "上级资金", "amounts": "资金", "amounts_unit": "金额单位"}
SKIPPED = ("indicator_id", "row_version", "findings", "id", "position", "location", "op", "value", "unit", "kind",
           "note", "date")


def comment(ctx: Ctx, document_id, location: str | None, text: str, subject: str | None = None) -> dict:
    """Add a comment on a row of the document (``location`` as stored; empty: the whole document;
    ``subject``: what the row is, e.g. 产出指标/数量指标/培训场次). Needs ``finding.review``."""
    text = (text or "").strip()
    if not text:
        raise Invalid("批注内容不能为空", code="comment_required")
    if len(text) > MAX_COMMENT:
        raise Invalid(f"批注不能超过 {MAX_COMMENT} 字", code="comment_too_long")
    with ctx.db.session() as session:
        doc, _org = documents.load(session, ctx, document_id)
        policy.require(ctx.actor, "finding.review")
        after = {"location": (location or "").strip() or None, "subject": (subject or "").strip() or None, "text": text}
        audit.record(session, ctx.actor, "document.comment", "document", doc.id, org_id=doc.org_id, after=after,
                     comment=text)
        session.flush()
        entry = session.scalars(select(db.AuditEntry).where(
            db.AuditEntry.object_type == "document", db.AuditEntry.object_id == str(doc.id),
            db.AuditEntry.action == "document.comment").order_by(db.AuditEntry.id.desc()).limit(1)).one()
        return _comment_json(entry)


def _comment_json(e: db.AuditEntry) -> dict:
    after = e.after or {}
    return {"id": e.id, "at": e.at.isoformat(), "user": e.username, "location": after.get("location"),
            "subject": after.get("subject"), "text": after.get("text") or e.comment}


def _entries(session, doc: db.Document, actions: tuple[str, ...] | None = None, prefix: str | None = None):
    stmt = select(db.AuditEntry).where(db.AuditEntry.object_type == "document",
                                       db.AuditEntry.object_id == str(doc.id))
    if actions:
        stmt = stmt.where(db.AuditEntry.action.in_(actions))
    if prefix:
        stmt = stmt.where(db.AuditEntry.action.startswith(prefix))
    return session.scalars(stmt.order_by(db.AuditEntry.id)).all()


def list_comments(ctx: Ctx, document_id) -> dict:
    """The comments on a document, oldest first, and by location (``by_location``)."""
    with ctx.db.session(write=False) as session:
        doc, _org = documents.load(session, ctx, document_id)
        items = [_comment_json(e) for e in _entries(session, doc, ("document.comment",))]
    by_location: dict[str, list[dict]] = {}
    for c in items:
        by_location.setdefault(c["location"] or "", []).append(c)
    return {"items": items, "total": len(items), "by_location": by_location}


def workflow_history(ctx: Ctx, document_id) -> dict:
    """The document's workflow steps, oldest first: who, when, the step, the comment, the
    explanations given at submission (finding id → text)."""
    with ctx.db.session(write=False) as session:
        doc, _org = documents.load(session, ctx, document_id)
        items = []
        for e in _entries(session, doc, prefix="workflow."):
            after, before = e.after or {}, e.before or {}
            items.append({"id": e.id, "at": e.at.isoformat(), "user": e.username, "action": e.action.removeprefix("workflow."),
                          "step": after.get("step"), "from": before.get("state_label"), "to": after.get("state_label"),
                          "comment": e.comment, "explanations": after.get("explanations") or {}})
    return {"items": items, "total": len(items)}


def _set_label(ts: db.TargetSet) -> str:
    return f"项目“{ts.project}”" if ts.project else f"单位“{ts.unit or ''}”（整体）"


def _indicator_label(values: dict) -> str:
    parts = [values.get("level1"), values.get("level2"), values.get("name")]
    return "/".join(p for p in parts if p)


def changes_since_return(ctx: Ctx, document_id) -> dict:
    """``{"since": the last 退回 (at, user, comment) or None, "items": [{"target_set", "indicator",
    "status" (changed/added/removed/reordered/set), "fields": [{"field", "label", "before",
    "after"}], "at", "user"}]}`` — the edits of the document's target sets after the last 退回."""
    with ctx.db.session(write=False) as session:
        doc, _org = documents.load(session, ctx, document_id)
        returns = _entries(session, doc, ("workflow.return",))
        since = returns[-1] if returns else None
        set_ids = [str(i) for i in session.scalars(select(db.TargetSet.id).where(db.TargetSet.document_id == doc.id))]
        stmt = select(db.AuditEntry).where(db.AuditEntry.object_type == "target_set",
                                           db.AuditEntry.object_id.in_(set_ids))
        if since is not None:
            stmt = stmt.where(db.AuditEntry.id > since.id)
        entries = session.scalars(stmt.order_by(db.AuditEntry.id)).all() if set_ids else []
        # the sets and their indicators only when there are edits to name (most documents have none)
        sets = {str(ts.id): ts for ts in session.scalars(
            select(db.TargetSet).where(db.TargetSet.document_id == doc.id))} if entries else {}
        names = {i.id: i for i in session.scalars(select(db.Indicator).where(
            db.Indicator.target_set_id.in_([int(k) for k in sets]))).all()} if sets else {}
        folded: dict[tuple, dict] = {}
        order: list[tuple] = []

        def slot(key: tuple, base: dict) -> dict:
            if key not in folded:
                folded[key] = base
                order.append(key)
            return folded[key]

        for e in entries:
            ts = sets[e.object_id]
            before, after = e.before or {}, e.after or {}
            common = {"target_set": _set_label(ts), "target_set_id": ts.id, "at": e.at.isoformat(), "user": e.username}
            if e.action == "indicator.update":
                ident = after.get("indicator_id")
                current = names.get(ident)
                label = _indicator_label({"level1": current.level1, "level2": current.level2, "name": current.name}
                                         if current else {**before, **after})
                item = slot(("ind", ident), {**common, "indicator": label, "status": "changed", "fields": {}})
                item.update(at=common["at"], user=common["user"])
                for key in after:
                    if key in SKIPPED:
                        continue
                    first = item["fields"].get(key, [before.get(key), None])[0]
                    item["fields"][key] = [first, after.get(key)]
            elif e.action in ("indicator.add", "indicator.delete"):
                values = (after if e.action == "indicator.add" else before).get("indicator") or {}
                ident = values.get("id")
                key = ("ind", ident)
                if e.action == "indicator.delete" and key in folded and folded[key]["status"] == "added":
                    folded.pop(key)
                    order.remove(key)
                    continue
                fields = {k: ([None, values.get(k)] if e.action == "indicator.add" else [values.get(k), None])
                          for k in ("level1", "level2", "name", "op_text", "target_text", "unit_text", "weight")
                          if values.get(k) not in (None, "")}
                slot(key, {**common, "indicator": _indicator_label(values), "fields": {}})
                folded[key].update(status="added" if e.action == "indicator.add" else "removed", fields=fields, **common)
            elif e.action == "indicator.reorder":
                slot(("order", ts.id), {**common, "indicator": "", "status": "reordered", "fields": {}}).update(common)
            elif e.action == "target_set.update":
                item = slot(("set", ts.id), {**common, "indicator": "", "status": "set", "fields": {}})
                item.update(at=common["at"], user=common["user"])
                for key in after:
                    if key in SKIPPED:
                        continue
                    first = item["fields"].get(key, [before.get(key), None])[0]
                    item["fields"][key] = [first, after.get(key)]
            elif e.action == "indicators.replace":
                slot(("replace", e.id), {**common, "indicator": "（整表保存）", "status": "replaced", "fields": {}})
        items = []
        for key in order:
            item = folded[key]
            fields = [{"field": k, "label": FIELD_LABELS.get(k) or SET_LABELS.get(k, k), "before": v[0], "after": v[1]}
                      for k, v in item["fields"].items() if v[0] != v[1]]
            if item["status"] in ("changed", "set") and not fields:
                continue  # changed and changed back
            items.append({**item, "fields": fields})
        return {"since": None if since is None else {"at": since.at.isoformat(), "user": since.username,
                                                     "comment": since.comment, "step": (since.after or {}).get("step")},
                "items": items}

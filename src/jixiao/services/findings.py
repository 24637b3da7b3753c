"""Findings of stored documents: lists with filters and pages, and their review status
(待处理 / 已整改 / 不予采纳 + reason + who), every change in the audit log."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import aliased

from jixiao.services import audit
from jixiao.services import documents
from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.store import schema as db
from jixiao.store.base import utcnow

STATUSES = {"open": "待处理", "fixed": "已整改", "rejected": "不予采纳"}
SEVERITIES = ("error", "warning", "info")


def status_label(status: str) -> str:
    return STATUSES.get(status, status)


def finding_json(f: db.Finding, status_by: str | None = None) -> dict:
    return {
        "id": f.id, "document_id": f.document_id, "target_set_id": f.target_set_id, "code": f.code,
        "severity": f.severity, "message": f.message, "location": f.location, "subject": f.subject,
        "expected": f.expected, "actual": f.actual,
        "status": f.status, "status_label": status_label(f.status), "reason": f.reason,
        "status_by": status_by, "status_by_id": f.status_by,
        "status_at": f.status_at.isoformat() if f.status_at else None,
    }


def list_findings(ctx: Ctx, *, document_id=None, year=None, org=None, code=None, severity=None, status=None,
                  current_only: bool = True, limit: int = 100, offset: int = 0) -> dict:
    """``{"items": [finding], "total": n}``. With ``document_id`` the findings of that document
    (any version, 404 outside the actor's scope) in their order; else those of the documents in
    scope (current versions unless ``current_only=False``) filtered by year, organisation
    (subtree), code, severity and status (comma-separated lists allowed)."""
    policy.require(ctx.actor, "document.read")
    limit, offset = documents.page(limit, offset, default=100)
    statuses = documents.split_values(status)
    if bad := [s for s in statuses if s not in STATUSES]:
        raise Invalid(f"未知的处理状态：{'、'.join(bad)}（可选：{'、'.join(STATUSES)}）", code="invalid_status")
    with ctx.db.session(write=False) as session:
        by = aliased(db.User)
        stmt = select(db.Finding, by.username).join(db.Document, db.Document.id == db.Finding.document_id)
        if document_id is None and (ctx.actor.org_path != "/" or org not in (None, "")):
            stmt = stmt.join(db.Org, db.Org.id == db.Document.org_id)  # scope and the org filter need the tree
        if document_id is not None:
            doc, _org = documents.load(session, ctx, document_id)
            stmt = stmt.where(db.Finding.document_id == doc.id)
            order = (db.Finding.id,)
        else:
            stmt = documents.filtered(stmt, session, ctx, year=year, org=org, current_only=current_only)
            order = (db.Finding.document_id.desc(), db.Finding.id)
        if codes := documents.split_values(code):
            stmt = stmt.where(db.Finding.code.in_(codes))
        if severities := documents.split_values(severity):
            if bad := [s for s in severities if s not in SEVERITIES]:
                raise Invalid(f"未知的严重程度：{'、'.join(bad)}（可选：error、warning、info）", code="invalid_severity")
            stmt = stmt.where(db.Finding.severity.in_(severities))
        if statuses:
            stmt = stmt.where(db.Finding.status.in_(statuses))
        total = session.scalar(stmt.with_only_columns(func.count(db.Finding.id)))
        stmt = stmt.outerjoin(by, by.id == db.Finding.status_by)  # who set the status: the page only
        rows = session.execute(stmt.order_by(*order).limit(limit).offset(offset)).all()
        items = [finding_json(f, username) for f, username in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def set_finding_status(ctx: Ctx, finding_id, status: str, reason: str | None = None) -> dict:
    """Set a finding's review status: ``open`` 待处理, ``fixed`` 已整改, ``rejected`` 不予采纳 (needs a
    reason). Records who and when, and an audit entry with before → after."""
    if status not in STATUSES:
        raise Invalid(f"未知的处理状态：{status}（可选：{'、'.join(STATUSES)}）", code="invalid_status")
    reason = (reason or "").strip() or None
    with ctx.db.session() as session:
        try:
            ident = int(finding_id)
        except (TypeError, ValueError):
            raise not_found("审核发现", finding_id) from None
        finding = session.get(db.Finding, ident)
        if finding is None:
            raise not_found("审核发现", finding_id)
        doc, _org = documents.load(session, ctx, finding.document_id)
        policy.require(ctx.actor, "finding.review")
        if status == "rejected" and not reason:
            raise Invalid("不予采纳时必须说明理由", code="reason_required")
        before = {"status": finding.status, "reason": finding.reason}
        finding.status = status
        if reason is not None or status == "open":
            finding.reason = reason
        finding.status_by = ctx.actor.user_id
        finding.status_at = utcnow()
        session.flush()
        audit.record(session, ctx.actor, "finding.status", "finding", finding.id, org_id=doc.org_id, before=before,
                     after={"status": finding.status, "reason": finding.reason, "code": finding.code,
                            "document_id": doc.id}, comment=reason)
        return finding_json(finding, ctx.actor.username if ctx.actor.user_id is not None else None)

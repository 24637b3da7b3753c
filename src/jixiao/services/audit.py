"""The append-only audit log: every transition and every edit, who, when, before → after."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.services import policy
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.store import schema as db


def _jsonable(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def record(session: Session, actor: Actor, action: str, object_type: str, object_id: object, *, org_id: int | None = None,
           before: Mapping | None = None, after: Mapping | None = None, comment: str | None = None) -> None:
    """Append one entry (in the caller's transaction: it lands with the change or not at all)."""
    session.add(db.AuditEntry(
        user_id=actor.user_id, username=actor.username, org_id=org_id, action=action,
        object_type=object_type, object_id=str(object_id), before=_jsonable(before) if before else None,
        after=_jsonable(after) if after else None, comment=comment,
    ))


def entry_json(e: db.AuditEntry) -> dict:
    return {"id": e.id, "at": e.at.isoformat(), "user": e.username, "action": e.action,
            "object_type": e.object_type, "object_id": e.object_id, "before": e.before, "after": e.after,
            "comment": e.comment}


def list_entries(ctx: Ctx, *, object: str | None = None, limit: int = 100, offset: int = 0) -> dict:
    """Entries the actor may see, newest first. ``object`` is ``type:id`` (``document:12``) or a type."""
    policy.require(ctx.actor, "audit.read")
    stmt = select(db.AuditEntry).outerjoin(db.Org, db.Org.id == db.AuditEntry.org_id)
    if ctx.actor.org_path != "/":
        stmt = stmt.where(db.Org.path.startswith(ctx.actor.org_path, autoescape=True))
    if object:
        kind, _, ident = object.partition(":")
        stmt = stmt.where(db.AuditEntry.object_type == kind)
        if ident:
            stmt = stmt.where(db.AuditEntry.object_id == ident)
    with ctx.db.session(write=False) as session:
        total = session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = session.scalars(stmt.order_by(db.AuditEntry.id.desc()).limit(limit).offset(offset)).all()
        return {"items": [entry_json(e) for e in rows], "total": total}

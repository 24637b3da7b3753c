"""Organisations: the tree 财政局（地区）→ 部门 → 单位, found by 单位编码 or name."""

from __future__ import annotations

from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.services import audit
from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.store import schema as db

LEVEL_LABELS = {"region": "地区（财政局）", "department": "部门", "unit": "单位"}
CHILD_LEVEL = {"region": "department", "department": "unit", "unit": "unit"}


def org_json(org: db.Org) -> dict:
    return {"id": org.id, "code": org.code, "name": org.name, "level": org.level, "parent_id": org.parent_id}


def add_org(session: Session, *, name: str, level: str, parent: db.Org | None = None,
            code: str | None = None) -> db.Org:
    """Insert an organisation under ``parent`` and give it its path (no authorisation: callers decide)."""
    if level not in db.ORG_LEVELS:
        raise Invalid(f"未知的单位层级：{level}（可选：{', '.join(db.ORG_LEVELS)}）")
    name = name.strip()
    if not name:
        raise Invalid("单位名称不能为空")
    org = db.Org(name=name, level=level, parent_id=parent.id if parent else None, code=code or None)
    session.add(org)
    session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    return org


def create_org(ctx: Ctx, *, name: str, level: str, parent: str | None = None, code: str | None = None) -> dict:
    """``jixiao org add`` and the API: a new organisation under ``parent`` (code or name)."""
    policy.require(ctx.actor, "user.manage")
    with ctx.db.session() as session:
        parent_org = resolve(session, ctx, parent) if parent else None
        if parent_org is None and ctx.actor.org_path != "/":
            raise Invalid("请指明上级单位")
        if code and session.scalar(select(db.Org).where(db.Org.code == code)):
            raise Invalid(f"单位编码 {code} 已被使用")
        org = add_org(session, name=name, level=level, parent=parent_org, code=code)
        audit.record(session, ctx.actor, "org.create", "org", org.id, org_id=org.id, after=org_json(org))
        return org_json(org)


def resolve(session: Session, ctx: Ctx, ident: str | int) -> db.Org:
    """The organisation named by id, 单位编码 or exact name, within the actor's scope (else 404)."""
    ident = str(ident).strip()
    stmt = select(db.Org).where(or_(db.Org.code == ident, db.Org.name == ident))
    found = session.scalars(policy.scoped(stmt, ctx.actor, db.Org.path)).all()
    if not found and ident.isdigit():
        org = session.get(db.Org, int(ident))
        found = [org] if org is not None and policy.sees(ctx.actor, org.path) else []
    by_code = [o for o in found if o.code == ident]
    if by_code:
        return by_code[0]
    if len(found) == 1:
        return found[0]
    if not found:
        raise not_found("单位", ident)
    raise Invalid(f"名称“{ident}”对应多个单位，请用单位编码：" + "、".join(f"{o.code or o.id}" for o in found))


def list_orgs(ctx: Ctx) -> dict:
    policy.require(ctx.actor, "document.read")
    with ctx.db.session(write=False) as session:
        stmt = policy.scoped(select(db.Org), ctx.actor, db.Org.path).order_by(db.Org.path)
        items = [org_json(o) for o in session.scalars(stmt)]
    return {"items": items, "total": len(items)}


def subtree(session: Session, root: db.Org) -> list[db.Org]:
    return list(session.scalars(select(db.Org).where(db.Org.path.startswith(root.path, autoescape=True))))

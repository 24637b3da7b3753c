"""Who may be named the owner (整改责任人) of a 整改 task of a 监控表: the active users whose
organisation covers the sheet's and whose role may close a task (``rectification.close``), so
that a finance reviewer picks a person instead of typing a user name."""

from __future__ import annotations

from sqlalchemy import select

from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.monitoring import _load_sheet
from jixiao.store import schema as db


def task_owners(ctx: Ctx, sheet_id: int) -> list[dict]:
    """``[{username, display_name, role_label, org}]``, nearest organisation first
    (``rectification.open``; the sheet must be in the actor's scope, else 404)."""
    with ctx.db.session(write=False) as session:
        _sheet, _r, org = _load_sheet(session, ctx, sheet_id)
        policy.require(ctx.actor, "rectification.open")
        rows = session.execute(select(db.User, db.Org).join(db.Org, db.Org.id == db.User.org_id)
                               .where(db.User.active.is_(True))).all()
        fit = [(u, o) for u, o in rows if org.path.startswith(o.path)
               and "rectification.close" in policy.GRANTS.get(u.role, ())]
        fit.sort(key=lambda uo: (-len(uo[1].path), uo[0].username))
        return [{"username": u.username, "display_name": u.display_name or u.username,
                 "role_label": policy.role_label(u.role), "org": o.name} for u, o in fit]

"""整改 tasks: opened from a red or amber item of a 监控表, with an owner and a deadline; closed only
with the measure taken.

* Opening (``rectification.open``) names the sheet and the item: an indicator (``indicator_id``)
  or the sheet's money (no indicator); the item must carry a 红 or 黄 warning in the sheet's last
  evaluation (else 422 — a green item needs no 整改). One open task per item: a second is 409.
  The owner is a user who sees the sheet's organisation; the deadline a date.
* Closing (``rectification.close``) needs the measure taken (整改措施, non-empty) — 422 without it.
* Every step is audited (object ``rectification_task:ID``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.monitoring.profiles import LEVEL_LABELS
from jixiao.services import audit
from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.documents import page
from jixiao.services.editing import _text
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.services.monitoring import _label
from jixiao.services.monitoring import _load_sheet
from jixiao.store import schema as db
from jixiao.store.base import utcnow

STATES = {"open": "整改中", "closed": "已完成"}


def _rows(session: Session, stmt, more=None) -> list[dict]:
    """The tasks ``stmt`` (over :func:`_joined`) selects, as :func:`task_json` gives them: their
    sheet, target set, round, organisation and indicator come with them (one statement), the owners
    and their organisations in one more — two statements however many tasks. ``more(task, round)``
    gives keys to add to each."""
    rows = session.execute(stmt).all()
    ids = {t.owner_id for t, *_ in rows if t.owner_id}
    names = {t.owner for t, *_ in rows}  # owner_of falls back on the user name
    users: dict = {}
    if ids or names:
        found = session.execute(select(db.User, db.Org).outerjoin(db.Org, db.Org.id == db.User.org_id).where(
            or_(db.User.id.in_(ids), db.User.username.in_(names)))).all()
        users = {("id", u.id): (u, o) for u, o in found} | {("name", u.username): (u, o) for u, o in found}
    out = []
    for t, r, ts, org, indicator in rows:
        user, user_org = users.get(("id", t.owner_id)) or users.get(("name", t.owner)) or (None, None)
        out.append(_json(t, r, ts, org, indicator, _owner(t, user, user_org)) | (more(t, r) if more else {}))
    return out


def _owner(t: db.RectificationTask, user: db.User | None, org: db.Org | None) -> dict:
    """As ``monitoring.owner_of``, from the user and organisation loaded."""
    if user is None:
        return {"owner_name": t.owner, "owner_org": None, "owner_label": t.owner}
    name = (user.display_name or "").strip() or user.username
    return {"owner_name": name, "owner_org": org.name if org else None,
            "owner_label": f"{name}（{org.name}）" if org else name}


def _joined():
    """Tasks with their round, target set, organisation and indicator (none for the money item)."""
    T, S = db.RectificationTask, db.MonitoringSheet
    return (select(T, db.MonitoringRound, db.TargetSet, db.Org, db.Indicator)
            .join(S, S.id == T.sheet_id).join(db.MonitoringRound, db.MonitoringRound.id == S.round_id)
            .join(db.TargetSet, db.TargetSet.id == S.target_set_id).join(db.Org, db.Org.id == T.org_id)
            .outerjoin(db.Indicator, db.Indicator.id == T.indicator_id))


def _json(t: db.RectificationTask, r: db.MonitoringRound, ts: db.TargetSet, org: db.Org,
          indicator: db.Indicator | None, owner: dict) -> dict:
    return {
        "id": t.id, "sheet_id": t.sheet_id, "round": {"id": r.id, "title": r.title, "as_of": r.as_of.isoformat()},
        "org": {"id": org.id, "name": org.name, "code": org.code}, "target_set": {"id": ts.id, "label": _label(ts)},
        "indicator": None if indicator is None else {"id": indicator.id, "name": indicator.name,
                                                     "target_text": indicator.target_text},
        "item": indicator.name if indicator else "资金执行",
        "code": t.code, "level": t.level, "level_label": LEVEL_LABELS.get(t.level, t.level),
        "description": t.description, "owner": t.owner, "owner_id": t.owner_id,
        **owner, "deadline": t.deadline.isoformat(),
        "overdue": t.state == "open" and t.deadline < date.today(),
        "state": t.state, "state_label": STATES[t.state], "measure": t.measure,
        "opened_at": t.opened_at.isoformat() if t.opened_at else None,
        "closed_at": t.closed_at.isoformat() if t.closed_at else None,
    }


def task_json(session: Session, t: db.RectificationTask) -> dict:
    return _rows(session, _joined().where(db.RectificationTask.id == t.id))[0]


def _deadline(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(f"整改期限须为 YYYY-MM-DD：{value}") from None


def open_task(ctx: Ctx, sheet_id: int, *, owner: str, deadline: str | date, indicator_id: int | None = None,
              description: str | None = None) -> dict:
    """Open a 整改 task for a red/amber item of a 监控表 (see the module notes)."""
    policy.require(ctx.actor, "rectification.open")  # the sheet is named in the request, not the address
    with ctx.db.session() as session:
        sheet, r, org = _load_sheet(session, ctx, sheet_id, lock=True)
        key = None if indicator_id in (None, "") else int(indicator_id)
        flagged = [w for w in (sheet.warnings or []) if w.get("indicator") == key and w["level"] in ("red", "amber")]
        if not flagged:
            what = f"指标 {key}" if key is not None else "资金执行"
            raise Invalid(f"{what}在本监控表中没有红色或黄色预警，无需整改", code="not_flagged")
        worst = "red" if any(w["level"] == "red" for w in flagged) else "amber"
        if session.scalar(select(db.RectificationTask.id).where(
                db.RectificationTask.sheet_id == sheet.id, db.RectificationTask.state == "open",
                db.RectificationTask.indicator_id.is_(None) if key is None else db.RectificationTask.indicator_id == key)):
            raise Conflict("该项已有未完成的整改任务", code="task_exists")
        user = session.scalar(select(db.User).where(db.User.username == str(owner).strip(), db.User.active.is_(True)))
        user_org = session.get(db.Org, user.org_id) if user else None
        if user is None or user_org is None or not (org.path.startswith(user_org.path)):
            raise Invalid(f"整改责任人“{owner}”不存在或不负责 {org.name}", code="unknown_owner")
        if not _text(description):
            description = "；".join(w["message"] for w in flagged)
        task = db.RectificationTask(sheet_id=sheet.id, org_id=org.id, indicator_id=key, code=flagged[0]["code"],
                                    level=worst, description=_text(description), owner_id=user.id,
                                    owner=user.username, deadline=_deadline(deadline), state="open",
                                    opened_by=ctx.actor.user_id)
        session.add(task)
        session.flush()
        audit.record(session, ctx.actor, "rectification.open", "rectification_task", task.id, org_id=org.id,
                     after={"sheet": sheet.id, "indicator": key, "level": worst, "owner": user.username,
                            "deadline": task.deadline})
        return task_json(session, task)


def _load(session: Session, ctx: Ctx, task_id) -> db.RectificationTask:
    try:
        ident = int(task_id)
    except (TypeError, ValueError):
        raise not_found("整改任务", task_id) from None
    task = session.get(db.RectificationTask, ident)
    org = session.get(db.Org, task.org_id) if task else None
    if task is None or not policy.sees(ctx.actor, org.path):
        raise not_found("整改任务", task_id)
    policy.require(ctx.actor, "document.read")
    return task


def get_task(ctx: Ctx, task_id: int) -> dict:
    with ctx.db.session(write=False) as session:
        return task_json(session, _load(session, ctx, task_id))


def close_task(ctx: Ctx, task_id: int, *, measure: str) -> dict:
    """Close a task with the measure taken (整改措施; required)."""
    measure = _text(measure)
    with ctx.db.session() as session:
        task = _load(session, ctx, task_id)
        policy.require(ctx.actor, "rectification.close")
        if task.state != "open":
            raise Conflict("整改任务已完成", code="task_closed")
        if not measure:
            raise Invalid("完成整改须填写已采取的整改措施", code="measure_required")
        task.state, task.measure, task.closed_by, task.closed_at = "closed", measure, ctx.actor.user_id, utcnow()
        audit.record(session, ctx.actor, "rectification.close", "rectification_task", task.id, org_id=task.org_id,
                     before={"state": "open"}, after={"state": "closed", "measure": measure})
        return task_json(session, task)


def _scoped(ctx: Ctx, stmt, *, round_id=None, state=None, owner=None, year=None):
    T = db.RectificationTask
    if round_id not in (None, ""):
        stmt = stmt.where(db.MonitoringRound.id == int(round_id))
    if year is not None:
        stmt = stmt.where(db.MonitoringRound.year == int(year))
    if state:
        stmt = stmt.where(T.state == state)
    if owner:
        stmt = stmt.where(T.owner == owner)
    return policy.scoped(stmt, ctx.actor, db.Org.path)


def list_tasks(ctx: Ctx, *, round_id: int | str | None = None, state: str | None = None,
               owner: str | None = None, year: int | None = None, limit: int | str | None = None,
               offset: int | str | None = None) -> dict:
    """The 整改 tasks in the actor's scope (of a round, of the rounds of a year, by state, by
    owner), open first, by deadline; all of them, or (``limit``, ``offset``) one page, with the
    ``total``. A constant number of statements however many tasks (:func:`_rows`)."""
    policy.require(ctx.actor, "document.read")
    if state not in (None, "", *STATES):
        raise Invalid(f"状态须为 {' / '.join(STATES)}")
    paged = limit not in (None, "")
    if paged:
        limit, offset = page(limit, offset)
    T = db.RectificationTask
    filters = {"round_id": round_id, "state": state, "owner": owner, "year": year}
    with ctx.db.session(write=False) as session:
        stmt = _scoped(ctx, _joined(), **filters).order_by(T.state.desc(), T.deadline, T.id)
        if paged:
            stmt = stmt.limit(limit).offset(offset)
        items = _rows(session, stmt)
        if not paged:
            return {"items": items, "total": len(items)}
        counted = _scoped(ctx, select(func.count(T.id)).select_from(T).join(
            db.MonitoringSheet, db.MonitoringSheet.id == T.sheet_id).join(
            db.MonitoringRound, db.MonitoringRound.id == db.MonitoringSheet.round_id).join(
            db.Org, db.Org.id == T.org_id), **filters)
        total = session.scalar(counted)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def open_in_other_years(ctx: Ctx, year: int | None) -> list[dict]:
    """The actor's open 整改 tasks (in scope) of rounds of other years than ``year``, by year:
    ``[{"year", "count", "overdue"}]`` (newest year first; empty when every year is shown), so that
    a page of one year says a last year's open task is still there. One statement."""
    policy.require(ctx.actor, "document.read")
    if year is None:
        return []
    T = db.RectificationTask
    overdue = func.sum(case((T.deadline < date.today(), 1), else_=0))
    stmt = (select(db.MonitoringRound.year, func.count(T.id), overdue).select_from(T)
            .join(db.MonitoringSheet, db.MonitoringSheet.id == T.sheet_id)
            .join(db.MonitoringRound, db.MonitoringRound.id == db.MonitoringSheet.round_id)
            .join(db.Org, db.Org.id == T.org_id)
            .where(T.state == "open", db.MonitoringRound.year != int(year)))
    stmt = policy.scoped(stmt, ctx.actor, db.Org.path).group_by(db.MonitoringRound.year).order_by(
        db.MonitoringRound.year.desc())
    with ctx.db.session(write=False) as session:
        return [{"year": y, "count": n, "overdue": int(late or 0)} for y, n, late in session.execute(stmt)]


def waiting(ctx: Ctx, *, limit: int = 8, today: date | None = None) -> dict:
    """For the 工作台: the open 整改 tasks in the actor's scope, of every year (a task of last
    year's round stays until closed) — the actor's own first, then by deadline; ``limit`` of them
    with ``days_left`` and ``year``, the ``total``, how many are the actor's (``mine``) and overdue."""
    policy.require(ctx.actor, "document.read")
    today = today or date.today()
    T = db.RectificationTask
    own = case((T.owner_id == ctx.actor.user_id, 0), else_=1)
    with ctx.db.session(write=False) as session:
        stmt = _scoped(ctx, _joined(), state="open").order_by(own, T.deadline, T.id).limit(limit)
        items = _rows(session, stmt, lambda t, r: {
            "year": r.year, "days_left": (t.deadline - today).days, "overdue": t.deadline < today,
            "mine": t.owner_id == ctx.actor.user_id})
        base = (select(func.count(T.id), func.sum(case((T.owner_id == ctx.actor.user_id, 1), else_=0)),
                       func.sum(case((T.deadline < today, 1), else_=0))).select_from(T)
                .join(db.Org, db.Org.id == T.org_id).where(T.state == "open"))
        total, mine, overdue = session.execute(policy.scoped(base, ctx.actor, db.Org.path)).one()
    return {"items": items, "total": total or 0, "mine": int(mine or 0), "overdue": int(overdue or 0)}

"""Deadlines: when 绩效目标申报, 绩效自评 and 预算公开审核 of a year are due. A finance bureau (or a
department, for its units) sets them for everything under it; a document's deadline is the one
set by the nearest organisation above it (its own included)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.services import audit
from jixiao.services import orgs
from jixiao.services import policy
from jixiao.services import workflow
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.store import schema as db
from jixiao.store.base import utcnow


def _ancestors(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise Invalid(f"日期应写作 年-月-日（如 2026-03-31）：{text}") from None


def set_deadline(ctx: Ctx, *, org: str, year: int, process: str, due: str | None) -> dict:
    """Set (or with ``due`` None remove) the deadline of ``process`` in ``year`` for ``org`` and
    everything under it. Permission ``deadline.manage``; audited."""
    if process not in workflow.PROCESSES:
        raise Invalid(f"未知的流程：{process}（可选：{', '.join(workflow.PROCESSES)}）")
    day = _parse_day(due) if due else None
    with ctx.db.session() as session:
        target = orgs.resolve(session, ctx, org)
        policy.require(ctx.actor, "deadline.manage")
        row = session.scalar(select(db.Deadline).where(db.Deadline.org_id == target.id, db.Deadline.year == year,
                                                       db.Deadline.process == process))
        before = {"due": row.due.isoformat()} if row else None
        if day is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(db.Deadline(org_id=target.id, year=year, process=process, due=day,
                                    set_by=ctx.actor.user_id))
        else:
            row.due, row.set_by, row.set_at = day, ctx.actor.user_id, utcnow()
        audit.record(session, ctx.actor, "deadline.set", "deadline", f"{target.id}:{year}:{process}",
                     org_id=target.id, before=before, after={"due": day.isoformat()} if day else None,
                     comment=f"{target.name} {year} 年度{workflow.PROCESSES[process][0]}")
    return {"org": orgs.org_json(target), "year": year, "process": process,
            "due": day.isoformat() if day else None}


def _nearest(session: Session, path: str, year: int) -> dict[str, tuple[date, str]]:
    """{process: (due, the setting organisation's name)} from the nearest organisation above."""
    return _nearest_each(session, [(path, year)])[(path, year)]


def _nearest_each(session: Session, keys: list[tuple[str, int]]) -> dict[tuple[str, int], dict[str, tuple[date, str]]]:
    """:func:`_nearest` of several (path, year), in one query."""
    chains = {key: _ancestors(key[0]) for key in keys}
    wanted = {org_id for chain in chains.values() for org_id in chain}
    rows = session.execute(select(db.Deadline, db.Org.name).join(db.Org, db.Org.id == db.Deadline.org_id)
                           .where(db.Deadline.org_id.in_(wanted), db.Deadline.year.in_({y for _p, y in keys}))
                           ).all() if keys else []
    out = {}
    for key, chain in chains.items():
        depth = {org_id: i for i, org_id in enumerate(chain)}
        best: dict[str, tuple[int, date, str]] = {}
        for row, name in rows:
            if row.year != key[1] or row.org_id not in depth:
                continue
            d = depth[row.org_id]
            if row.process not in best or d > best[row.process][0]:
                best[row.process] = (d, row.due, name)
        out[key] = {p: (due, name) for p, (_, due, name) in best.items()}
    return out


def for_actor(ctx: Ctx, year: int | None, *, today: date | None = None) -> list[dict]:
    """The deadlines that apply to the actor's organisation in ``year``, one per process:
    ``{"process", "label", "due", "days_left", "overdue", "set_by_org"}`` (empty without a year)."""
    policy.require(ctx.actor, "document.read")
    if year is None:
        return []
    today = today or date.today()
    with ctx.db.session(write=False) as session:
        found = _nearest(session, ctx.actor.org_path, int(year))
    out = []
    for process, (label, _kinds) in workflow.PROCESSES.items():
        if process in found:
            due, name = found[process]
            out.append({"process": process, "label": label, "due": due.isoformat(),
                        "days_left": (due - today).days, "overdue": due < today, "set_by_org": name})
    return out


def for_documents(ctx: Ctx, items: list[dict], *, today: date | None = None) -> None:
    """Add ``deadline`` ({"due", "days_left", "overdue"} or None) to document summaries (each with
    its ``org`` id, ``year`` and ``kind``), from the nearest organisation above each."""
    today = today or date.today()
    with ctx.db.session(write=False) as session:
        paths = {o.id: o.path for o in session.scalars(
            select(db.Org).where(db.Org.id.in_({d["org"]["id"] for d in items})))}
        keys = {(paths.get(d["org"]["id"], "/"), d.get("year")) for d in items}
        found = _nearest_each(session, sorted(k for k in keys if k[1]))  # one query for them all
        for d in items:
            process = workflow.process_of(d.get("kind"))
            key = (paths.get(d["org"]["id"], "/"), d.get("year"))
            hit = found.get(key, {}).get(process) if process else None
            d["deadline"] = None if hit is None else {
                "due": hit[0].isoformat(), "days_left": (hit[0] - today).days, "overdue": hit[0] < today}


def list_deadlines(ctx: Ctx, *, year: int, org: str | None = None) -> list[dict]:
    """Deadlines set in ``year``: every one the actor sees, or (``org``) those that apply to it."""
    policy.require(ctx.actor, "document.read")
    with ctx.db.session(write=False) as session:
        stmt = (select(db.Deadline, db.Org).join(db.Org, db.Org.id == db.Deadline.org_id)
                .where(db.Deadline.year == year).order_by(db.Org.path, db.Deadline.process))
        if org:
            target = orgs.resolve(session, ctx, org)
            stmt = stmt.where(db.Deadline.org_id.in_(_ancestors(target.path)))
        else:
            stmt = policy.scoped(stmt, ctx.actor, db.Org.path)
        rows = session.execute(stmt).all()
    return [{"org": orgs.org_json(o), "year": d.year, "process": d.process,
             "label": workflow.PROCESSES[d.process][0], "due": d.due.isoformat()} for d, o in rows]

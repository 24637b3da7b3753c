"""What the web's overview pages read in one query each: the years that have documents, and the
organisation tree with the documents of each unit counted by state and findings.

Both are limited to the actor's scope (``policy.scoped``) and need ``document.read``.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from jixiao.services import documents
from jixiao.services import orgs
from jixiao.services import policy
from jixiao.services import workflow
from jixiao.services.context import Ctx
from jixiao.store import schema as db


def years(ctx: Ctx) -> list[int]:
    """The fiscal years of the current documents the actor sees, newest first."""
    policy.require(ctx.actor, "document.read")
    stmt = (select(db.Document.year).join(db.Org, db.Org.id == db.Document.org_id)
            .where(db.Document.is_current.is_(True), db.Document.year.is_not(None)).distinct())
    with ctx.db.session(write=False) as session:
        found = session.scalars(policy.scoped(stmt, ctx.actor, db.Org.path)).all()
    return sorted((y for y in found if y is not None), reverse=True)


def org_tree(ctx: Ctx, *, year=None, q: str | None = None, counts: bool = True) -> dict:
    """The organisations in the actor's scope in tree order, each with ``depth`` (0 for the top
    of the scope), ``level_label``, and its own current documents (of ``year`` when given)
    counted: ``documents`` (total), ``states`` {state: n}, ``findings`` {"error", "warning",
    "info"} (sums of the documents' counts). ``q`` keeps the organisations whose name or code
    contains it, with their ancestors (so the tree still reads as a tree); ``matched`` says which.
    ``counts=False``: the tree alone, for a list to choose from (the documents are not counted:
    every count is 0)."""
    policy.require(ctx.actor, "document.read")
    y = documents.as_year(year)
    q = (q or "").strip()
    with ctx.db.session(write=False) as session:
        all_orgs = session.scalars(policy.scoped(select(db.Org), ctx.actor, db.Org.path).order_by(db.Org.path)).all()
        stmt = (select(db.Document.org_id, db.Document.state, func.count(), func.sum(db.Document.n_error),
                       func.sum(db.Document.n_warning), func.sum(db.Document.n_info))
                .join(db.Org, db.Org.id == db.Document.org_id).where(db.Document.is_current.is_(True))
                .group_by(db.Document.org_id, db.Document.state))
        if y is not None:
            stmt = stmt.where(db.Document.year == y)
        counts = session.execute(policy.scoped(stmt, ctx.actor, db.Org.path)).all() if counts else []
    per_org: dict[int, dict] = {}
    for org_id, state, n, n_error, n_warning, n_info in counts:
        entry = per_org.setdefault(org_id, {"documents": 0, "states": {},
                                            "findings": {"error": 0, "warning": 0, "info": 0}})
        entry["documents"] += n
        entry["states"][state] = entry["states"].get(state, 0) + n
        for key, value in (("error", n_error), ("warning", n_warning), ("info", n_info)):
            entry["findings"][key] += int(value or 0)
    # tree order: by the chain of names from the top (paths order by id, which is import order)
    by_id = {o.id: o for o in all_orgs}

    def chain(org: db.Org) -> tuple:
        ids = [int(part) for part in org.path.strip("/").split("/") if part]
        return tuple((by_id[i].name if i in by_id else "", i) for i in ids)

    ordered = sorted(all_orgs, key=chain)
    top = min((o.path.count("/") for o in ordered), default=0)
    needle = q.lower()
    matched = {o.id for o in ordered if not needle or needle in o.name.lower() or needle in (o.code or "").lower()}
    keep = set(matched)
    if needle:
        for o in ordered:
            if o.id in matched:
                keep.update(int(part) for part in o.path.strip("/").split("/") if part)
    items = []
    for o in ordered:
        if o.id not in keep:
            continue
        own = per_org.get(o.id, {"documents": 0, "states": {}, "findings": {"error": 0, "warning": 0, "info": 0}})
        items.append(orgs.org_json(o) | {
            "depth": o.path.count("/") - top, "level_label": orgs.LEVEL_LABELS.get(o.level, o.level),
            "matched": o.id in matched, **own,
            "state_labels": {s: workflow.state_label(s) for s in own["states"]},
        })
    return {"items": items, "total": len(items), "matched": len(matched) if needle else len(items)}

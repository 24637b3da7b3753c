"""What the 绩效目标编辑 page shows beside the table (the edits themselves are :mod:`editing`'s):

* :func:`weight_total` — the 分值 total of a set's indicators and whether it is complete: 100,
  or 100 less the 预算执行率 points (the default profile's 10) that the 自评 adds;
* :func:`row_findings` — the set's findings by the indicator row they point at (the same row of
  the source: ``file:29``, ``file:Sheet!B7`` ~ ``file:Sheet!D7``, ``file:p3:t1r5c2`` ~ ``…t1r5``),
  and those that point at no indicator (the set's header, its amounts);
* :func:`suggest_indicators` — 三级指标 names for a 二级指标, drawn from the indicators stored in
  the actor's scope (the organisation's earlier years, its other units), ranked by how often
  they are used and how close they are to what is typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation
from difflib import SequenceMatcher

from sqlalchemy import func
from sqlalchemy import select

from jixiao.scoring.methods import DEFAULT_PROFILE
from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.errors import not_found
from jixiao.store import schema as db

HUNDRED = Decimal(100)
EXECUTION_WEIGHT = DEFAULT_PROFILE.execution_weight  # 预算执行率, scored in the 自评 beside the indicators
SUGGESTIONS = 10


def _number(value: object) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def weight_total(indicators: Iterable[Mapping]) -> dict:
    """``{"total", "filled", "blank", "ok", "state", "text"}`` for indicators with a ``weight``
    (Decimal or its text). ``state``: ``ok`` (100, or 90 + 预算执行率 10), ``wrong`` (any other
    total), ``empty`` (no 分值 filled in at all: the template has none, the 自评 splits the
    default weights)."""
    weights = [_number(i.get("weight")) for i in indicators]
    filled = [w for w in weights if w is not None]
    total = sum(filled, Decimal(0))
    room = HUNDRED - EXECUTION_WEIGHT
    out = {"total": _plain(total), "filled": len(filled), "blank": len(weights) - len(filled),
           "execution": _plain(EXECUTION_WEIGHT)}
    if not filled:
        return out | {"ok": False, "state": "empty",
                      "text": f"尚未填写分值（应合计 100，或 {_plain(room)} + 预算执行率 {_plain(EXECUTION_WEIGHT)}）"}
    if total == HUNDRED:
        return out | {"ok": True, "state": "ok", "text": "分值合计 100"}
    if total == room:
        return out | {"ok": True, "state": "ok",
                      "text": f"分值合计 {_plain(room)} + 预算执行率 {_plain(EXECUTION_WEIGHT)} = 100"}
    gap = (HUNDRED if total > room else room) - total
    hint = f"还差 {_plain(gap)} 分" if gap > 0 else f"多出 {_plain(-gap)} 分"
    return out | {"ok": False, "state": "wrong",
                  "text": f"分值合计 {_plain(total)}，应为 100（或 {_plain(room)} + 预算执行率 {_plain(EXECUTION_WEIGHT)}），{hint}"}


_CELL = re.compile(r"!([A-Z]+)(\d+)$")
_PDF_CELL = re.compile(r"(t\d+r\d+)c\d+$")


def row_key(location: str | None) -> str:
    """A location reduced to its row: the cell's column is dropped."""
    text = location or ""
    text = _CELL.sub(lambda m: f"!{m.group(2)}", text)
    return _PDF_CELL.sub(lambda m: m.group(1), text)


def row_findings(target_set: Mapping) -> tuple[dict[int, list[dict]], list[dict]]:
    """The findings of a target set's JSON (``editing.get_target_set``) by indicator id, and
    those of no indicator row. Two indicators printed on one row (never in practice) share."""
    rows: dict[str, list[int]] = {}
    for ind in target_set.get("indicators", []):
        rows.setdefault(row_key(ind.get("location")), []).append(ind["id"])
    by_indicator: dict[int, list[dict]] = {}
    other = []
    for f in target_set.get("findings", []):
        ids = rows.get(row_key(f.get("location")))
        if ids:
            for ident in ids:
                by_indicator.setdefault(ident, []).append(f)
        else:
            other.append(f)
    return by_indicator, other


def _similarity(name: str, typed: str) -> float:
    if not typed:
        return 0.0
    if typed in name:
        return 1.0 + len(typed) / max(len(name), 1)
    return SequenceMatcher(None, typed, name).ratio()


def suggest_indicators(ctx: Ctx, target_set_id, level2: str | None, q: str | None = None,
                       limit: int = SUGGESTIONS) -> dict:
    """三级指标 names used under the same 二级指标 in the actor's scope (other target sets than
    this one: the organisation's earlier years, its other units), each with how often it is used
    and its most common 指标值 and 度量单位: ``{"items": [{"name", "count", "target_text",
    "unit_text", "op_text"}], "level2"}``, best first (frequency, then closeness to ``q``).
    Names the set already has are left out."""
    policy.require(ctx.actor, "document.read")
    level2 = (level2 or "").strip()
    typed = (q or "").strip()
    try:
        ts_id = int(target_set_id)
    except (TypeError, ValueError):
        raise not_found("绩效目标", target_set_id) from None
    with ctx.db.session(write=False) as session:
        row = session.execute(select(db.TargetSet.id, db.Org.path).join(db.Document, db.Document.id == db.TargetSet.document_id)
                              .join(db.Org, db.Org.id == db.Document.org_id).where(db.TargetSet.id == ts_id)).first()
        if row is None or not policy.sees(ctx.actor, row[1]):
            raise not_found("绩效目标", target_set_id)
        if not level2:
            return {"items": [], "level2": level2}
        own = set(session.scalars(select(db.Indicator.name).where(db.Indicator.target_set_id == ts_id)))
        base = (select(db.Indicator.name, func.count(db.Indicator.id).label("n"))
                .join(db.TargetSet, db.TargetSet.id == db.Indicator.target_set_id)
                .join(db.Document, db.Document.id == db.TargetSet.document_id)
                .join(db.Org, db.Org.id == db.Document.org_id)
                .where(db.Indicator.level2 == level2, db.Indicator.target_set_id != ts_id, db.Indicator.name != ""))
        base = policy.scoped(base, ctx.actor, db.Org.path).group_by(db.Indicator.name)
        counts = dict(session.execute(base.order_by(func.count(db.Indicator.id).desc()).limit(300)).all())
        if typed:
            pattern = "%" + typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            counts.update(session.execute(base.where(db.Indicator.name.like(pattern, escape="\\")).limit(100)).all())
        names = [n for n in counts if n not in own]
        if typed:  # what is typed narrows the list (when anything is close to it)
            names = [n for n in names if _similarity(n, typed) >= 0.3] or names
        top = max((counts[n] for n in names), default=1)
        ranked = sorted(names, key=lambda n: (-(_similarity(n, typed) * 2 + counts[n] / top), n))[:limit]
        items = []
        for name in ranked:
            example = session.execute(
                policy.scoped(select(db.Indicator.op_text, db.Indicator.target_text, db.Indicator.unit_text,
                                     func.count(db.Indicator.id))
                              .join(db.TargetSet, db.TargetSet.id == db.Indicator.target_set_id)
                              .join(db.Document, db.Document.id == db.TargetSet.document_id)
                              .join(db.Org, db.Org.id == db.Document.org_id)
                              .where(db.Indicator.level2 == level2, db.Indicator.name == name), ctx.actor, db.Org.path)
                .group_by(db.Indicator.op_text, db.Indicator.target_text, db.Indicator.unit_text)
                .order_by(func.count(db.Indicator.id).desc()).limit(1)).first()
            items.append({"name": name, "count": counts[name], "op_text": example[0] if example else None,
                          "target_text": example[1] if example else None,
                          "unit_text": example[2] if example else None})
    return {"items": items, "level2": level2}

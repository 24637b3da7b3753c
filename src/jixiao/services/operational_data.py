"""Operational data → actuals (issue 11 part 4): data sources and their saved column mapping,
imports of their records (all or nothing; both in ``opdata_sources.py``, re-exported here), metrics
defined as data, indicators bound to a metric, the bound values of a date range with the records
behind each, and values typed by hand over a bound one (a reason, and the audit log).

For monitoring and the self-evaluation: :func:`values_for_indicators` (in the caller's session,
no permission check) and :func:`bound_values` (a target set's, for a user); see docs/monitoring.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from decimal import InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.findings import Finding
from jixiao.monitoring import metrics as mx
from jixiao.monitoring import records as rx
from jixiao.services import audit
from jixiao.services import editing
from jixiao.services import opdata_sql
from jixiao.services import orgs
from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.services.opdata_sources import MAX_LISTED  # noqa: F401 - the import policy's figure
from jixiao.services.opdata_sources import delete_import  # noqa: F401 - re-exported use cases
from jixiao.services.opdata_sources import findings_json as _findings
from jixiao.services.opdata_sources import get_source  # noqa: F401
from jixiao.services.opdata_sources import import_json  # noqa: F401
from jixiao.services.opdata_sources import import_records  # noqa: F401
from jixiao.services.opdata_sources import list_sources  # noqa: F401
from jixiao.services.opdata_sources import mapping_of as _mapping
from jixiao.services.opdata_sources import resolve_source as _source
from jixiao.services.opdata_sources import save_source  # noqa: F401
from jixiao.services.opdata_sources import source_json  # noqa: F401
from jixiao.services.opdata_sources import visible as _visible
from jixiao.store import schema as db


def _s(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _day(text: str | date, what: str) -> date:
    if isinstance(text, date):
        return text
    day = rx.parse_day(text)
    if day is None:
        raise Invalid(f"{what}应为日期（如 2026-06-30）：{text}")
    return day


def _period(date_from, date_to) -> tuple[date, date]:
    start, end = _day(date_from, "起始日期"), _day(date_to, "截止日期")
    if end < start:
        raise Invalid(f"截止日期 {end} 早于起始日期 {start}")
    return start, end


# ---- metrics -------------------------------------------------------------------------------------

def metric_json(metric: db.OpMetric, source: db.OpSource, org: db.Org | None = None) -> dict:
    parsed, _ = mx.parse_metric(metric.name, metric.definition)
    return {"id": metric.id, "name": metric.name, "org": orgs.org_json(org) if org else {"id": metric.org_id},
            "source": {"id": source.id, "name": source.name}, "kind": parsed.kind, "kind_label": mx.KINDS[parsed.kind],
            "unit": parsed.unit, "definition": parsed.as_dict(), "formula": mx.formula(parsed, source.name)}


def save_metric(ctx: Ctx, *, org: str, name: str, source: int | str, definition: dict) -> dict:
    """Create or change the metric ``name`` of ``org`` over ``source``'s records (checked against
    the source's mapping). Permission ``opdata.define``; audited."""
    parsed, findings = mx.parse_metric(name, definition)
    with ctx.db.session() as session:
        policy.require(ctx.actor, "opdata.define")
        owner = orgs.resolve(session, ctx, org)
        src, _src_org = _source(session, ctx, source)
        if parsed is not None:
            findings = mx.check_metric(parsed, _mapping(src))
        if findings:
            raise Invalid("指标口径不正确：" + "；".join(f.message for f in findings), code="opdata_metric_invalid",
                          detail={"findings": _findings(findings)})
        row = session.scalar(select(db.OpMetric).where(db.OpMetric.org_id == owner.id, db.OpMetric.name == parsed.name))
        before = {"source": row.source_id, "definition": row.definition} if row else None
        if row is None:
            row = db.OpMetric(org_id=owner.id, name=parsed.name, created_by=ctx.actor.user_id)
            session.add(row)
        row.source_id, row.definition = src.id, parsed.as_dict()
        session.flush()
        out = metric_json(row, src, owner)
        audit.record(session, ctx.actor, "opdata.metric.save", "op_metric", row.id, org_id=owner.id, before=before,
                     after={"source": src.id, "definition": row.definition}, comment=out["formula"])
        return out


def preview_metric(ctx: Ctx, *, name: str, source: int | str, definition: dict) -> dict:
    """What :func:`save_metric` would store, nothing stored: ``{formula, unit, kind_label, problems}``
    (``formula`` None and the reasons in ``problems`` when the definition is not valid for the
    source's mapping). ``document.read`` and the source in scope: the formula previewed while typing."""
    policy.require(ctx.actor, "document.read")
    with ctx.db.session(write=False) as session:
        src, _src_org = _source(session, ctx, source)
        parsed, findings = mx.parse_metric(name, definition)
        if parsed is not None:
            findings = mx.check_metric(parsed, _mapping(src))
        if parsed is None or findings:
            return {"formula": None, "unit": None, "kind_label": None, "problems": [f.message for f in findings]}
        return {"formula": mx.formula(parsed, src.name), "unit": parsed.unit, "kind_label": mx.KINDS[parsed.kind],
                "problems": []}


def _metric(session: Session, ctx: Ctx, ident: int | str) -> tuple[db.OpMetric, db.OpSource, db.Org]:
    text = str(ident).strip()
    stmt = (select(db.OpMetric, db.OpSource, db.Org).join(db.OpSource, db.OpSource.id == db.OpMetric.source_id)
            .join(db.Org, db.Org.id == db.OpMetric.org_id))
    stmt = stmt.where(db.OpMetric.id == int(text)) if text.isdigit() else stmt.where(db.OpMetric.name == text)
    rows = [r for r in session.execute(stmt).all() if _visible(ctx.actor, r[2])]
    if not rows:
        raise not_found("指标口径", ident)
    if len(rows) > 1:  # the nearest organisation's definition wins
        rows.sort(key=lambda r: len(r[2].path), reverse=True)
    return rows[0][0], rows[0][1], rows[0][2]


def list_metrics(ctx: Ctx) -> dict:
    policy.require(ctx.actor, "document.read")
    with ctx.db.session(write=False) as session:
        rows = session.execute(select(db.OpMetric, db.OpSource, db.Org)
                               .join(db.OpSource, db.OpSource.id == db.OpMetric.source_id)
                               .join(db.Org, db.Org.id == db.OpMetric.org_id).order_by(db.Org.path, db.OpMetric.name))
        items = [metric_json(m, s, o) for m, s, o in rows if _visible(ctx.actor, o)]
    return {"items": items, "total": len(items)}


def metric_by_unit(ctx: Ctx, metric: int | str, *, date_from, date_to) -> dict:
    """A metric's value per unit in the date range (GROUP BY unit), for the units the actor sees."""
    start, end = _period(date_from, date_to)
    policy.require(ctx.actor, "document.read")
    with ctx.db.session(write=False) as session:
        row, src, _org = _metric(session, ctx, metric)
        parsed, _ = mx.parse_metric(row.name, row.definition)
        scope = None if ctx.actor.org_path == "/" else ctx.actor.org_path
        by_unit = opdata_sql.aggregate_by_unit(session, src.id, _mapping(src), parsed, date_from=start, date_to=end,
                                               scope_path=scope)
        names = {o.id: o for o in session.scalars(select(db.Org).where(db.Org.id.in_(list(by_unit))))}
    items = []
    for org_id, agg in sorted(by_unit.items(), key=lambda kv: names[kv[0]].path):
        value, findings = mx.value(parsed, agg, period=f"{start}至{end}")
        items.append({"org": orgs.org_json(names[org_id]), "value": _s(value), "records": agg.records,
                      "findings": _findings(findings)})
    return {"metric": row.name, "formula": mx.formula(parsed, src.name), "unit": parsed.unit,
            "from": start.isoformat(), "to": end.isoformat(), "items": items}


# ---- bindings, values and overrides -----------------------------------------------------------

def _indicator(session: Session, ctx: Ctx, indicator_id: int) -> tuple[db.Indicator, db.Document, db.Org]:
    try:
        ind = session.get(db.Indicator, int(indicator_id))
    except (TypeError, ValueError):
        ind = None
    if ind is None:
        raise not_found("指标", indicator_id)
    _ts, doc, _table = editing._load(session, ctx, ind.target_set_id)
    return ind, doc, session.get(db.Org, doc.org_id)


def bind_indicator(ctx: Ctx, indicator_id: int, metric: int | str | None, *, scope: str | None = None) -> dict:
    """Bind an indicator to a metric (its value then comes from the records of ``scope``, by default
    the organisation of the indicator's document, and those under it); ``metric`` None unbinds.
    Permission ``opdata.define``; audited."""
    with ctx.db.session() as session:
        ind, doc, org = _indicator(session, ctx, indicator_id)
        policy.require(ctx.actor, "opdata.define")
        current = session.scalar(select(db.OpBinding).where(db.OpBinding.indicator_id == ind.id))
        before = {"metric": current.metric_id, "scope": current.scope_org_id} if current else None
        if metric is None:
            if current is not None:
                session.delete(current)
            after, out = None, {"indicator_id": ind.id, "metric": None}
        else:
            row, src, _morg = _metric(session, ctx, metric)
            scope_org = orgs.resolve(session, ctx, scope) if scope else org
            if current is None:
                current = db.OpBinding(indicator_id=ind.id)
                session.add(current)
            current.metric_id, current.scope_org_id, current.bound_by = row.id, scope_org.id, ctx.actor.user_id
            parsed, _ = mx.parse_metric(row.name, row.definition)
            after = {"metric": row.id, "scope": scope_org.id}
            out = {"indicator_id": ind.id, "indicator": ind.name, "metric": row.name, "metric_id": row.id,
                   "formula": mx.formula(parsed, src.name), "unit": parsed.unit, "scope": orgs.org_json(scope_org)}
        audit.record(session, ctx.actor, "opdata.bind", "indicator", ind.id, org_id=doc.org_id, before=before,
                     after=after, comment=f"指标「{ind.name}」" + (f"绑定「{out['metric']}」" if metric else "取消绑定"))
        return out


@dataclass(frozen=True, slots=True)
class BoundValue:
    """A bound indicator's value over a date range: ``value`` is what to use (the one typed by
    hand when there is one, else the computed one), ``computed`` what the records give,
    ``records`` how many records are behind it (a ratio: its denominator)."""

    indicator_id: int
    metric: str
    formula: str
    unit: str
    value: Decimal | None
    computed: Decimal | None
    records: int
    override: dict | None
    findings: tuple[Finding, ...] = ()

    def as_dict(self) -> dict:
        return {"indicator_id": self.indicator_id, "metric": self.metric, "formula": self.formula, "unit": self.unit,
                "value": _s(self.value), "computed": _s(self.computed), "records": self.records,
                "source": "manual" if self.override else "data", "override": self.override,
                "findings": _findings(list(self.findings))}


def bound_units(session: Session, indicator_ids: list[int]) -> dict[int, str]:
    """The unit of the bound ones among ``indicator_ids`` (their metric's: 件, %, 人次 …), without
    counting: what a value typed from the data is in when the text carries no unit."""
    rows = session.execute(select(db.OpBinding.indicator_id, db.OpMetric.name, db.OpMetric.definition)
                           .join(db.OpMetric, db.OpMetric.id == db.OpBinding.metric_id)
                           .where(db.OpBinding.indicator_id.in_(list(indicator_ids)))).all()
    out = {}
    for indicator_id, name, definition in rows:
        metric = mx.parse_metric(name, definition)[0]
        if metric is not None and metric.unit:
            out[indicator_id] = metric.unit
    return out


def values_for_indicators(session: Session, indicator_ids: list[int], date_from: date,
                          date_to: date) -> dict[int, BoundValue]:
    """The bound ones among ``indicator_ids`` → their value over [date_from, date_to] (both days
    included), counted in SQL: one SELECT per source and scope. No permission check: for services
    (monitoring, self-evaluation) that checked the target set already, in their own session."""
    rows = session.execute(
        select(db.OpBinding, db.OpMetric, db.OpSource, db.Org)
        .join(db.OpMetric, db.OpMetric.id == db.OpBinding.metric_id)
        .join(db.OpSource, db.OpSource.id == db.OpMetric.source_id)
        .join(db.Org, db.Org.id == db.OpBinding.scope_org_id)
        .where(db.OpBinding.indicator_id.in_(list(indicator_ids)))).all()
    groups: dict[tuple[int, str], list] = defaultdict(list)
    sources = {}
    for binding, metric, source, scope in rows:
        groups[(source.id, scope.path)].append((binding, metric))
        sources[source.id] = source
    overrides = {o.indicator_id: o for o in session.scalars(
        select(db.OpOverride).where(db.OpOverride.indicator_id.in_(list(indicator_ids)),
                                    db.OpOverride.date_from == date_from, db.OpOverride.date_to == date_to))}
    period = f"{date_from.isoformat()}至{date_to.isoformat()}"
    out = {}
    for (source_id, path), members in groups.items():
        source = sources[source_id]
        mapping = _mapping(source)
        parsed = {str(b.indicator_id): mx.parse_metric(m.name, m.definition)[0] for b, m in members}
        aggs = opdata_sql.aggregate(session, source_id, mapping, parsed, date_from=date_from, date_to=date_to,
                                    scope_path=path)
        for binding, _m in members:
            metric = parsed[str(binding.indicator_id)]
            computed, findings = mx.value(metric, aggs[str(binding.indicator_id)], period=period)
            o = overrides.get(binding.indicator_id)
            override = None if o is None else {"value": _s(o.value), "reason": o.reason, "computed": _s(o.computed),
                                               "typed_at": o.typed_at.isoformat()}
            out[binding.indicator_id] = BoundValue(binding.indicator_id, metric.name, mx.formula(metric, source.name),
                                                   metric.unit, o.value if o else computed, computed,
                                                   aggs[str(binding.indicator_id)].records, override, tuple(findings))
    return out


def bound_values(ctx: Ctx, target_set_id: int, *, date_from, date_to) -> dict:
    """A target set's bound indicators with their values over the date range (see BoundValue)."""
    start, end = _period(date_from, date_to)
    with ctx.db.session(write=False) as session:
        ts, _doc, _table = editing._load(session, ctx, target_set_id)
        policy.require(ctx.actor, "document.read")
        inds = editing._indicators(session, ts)
        values = values_for_indicators(session, [i.id for i in inds], start, end)
    items = [{"indicator": {"id": i.id, "name": i.name, "level1": i.level1, "level2": i.level2,
                            "target_text": i.target_text}, **values[i.id].as_dict()} for i in inds if i.id in values]
    return {"target_set_id": ts.id, "from": start.isoformat(), "to": end.isoformat(), "items": items,
            "total": len(items)}


def values_of_target_set(ctx: Ctx, target_set_id: int, *, date_from, date_to) -> dict[int, BoundValue]:
    """A target set's bound indicators → their value over the date range (:class:`BoundValue`), as
    :func:`bound_values` without the indicators' own fields: the scope and the indicators' ids in
    one query, then :func:`values_for_indicators` — four statements where ``bound_values`` runs
    nine (the 监控表 page asks on every view and every preview)."""
    start, end = _period(date_from, date_to)
    try:
        ident = int(target_set_id)
    except (TypeError, ValueError):
        raise not_found("绩效目标", target_set_id) from None
    with ctx.db.session(write=False) as session:
        rows = session.execute(select(db.Org.path, db.Indicator.id).select_from(db.TargetSet)
                               .join(db.Document, db.Document.id == db.TargetSet.document_id)
                               .join(db.Org, db.Org.id == db.Document.org_id)
                               .outerjoin(db.Indicator, db.Indicator.target_set_id == db.TargetSet.id)
                               .where(db.TargetSet.id == ident)).all()
        if not rows or not policy.sees(ctx.actor, rows[0].path):
            raise not_found("绩效目标", target_set_id)
        policy.require(ctx.actor, "document.read")
        return values_for_indicators(session, [r.id for r in rows if r.id is not None], start, end)


def override_value(ctx: Ctx, indicator_id: int, *, date_from, date_to, value: str | None, reason: str = "") -> dict:
    """Type a value by hand over a bound indicator's computed one for a date range; the reason is
    required; ``value`` None removes it (the computed value applies again). Permission
    ``opdata.override``; audited with the computed value beside the typed one."""
    start, end = _period(date_from, date_to)
    reason = (reason or "").strip()
    number = None
    if value is not None:
        try:
            number = Decimal(str(value).strip().removesuffix("%").replace(",", ""))
        except InvalidOperation:
            raise Invalid(f"填写的值不是数值：{value}") from None
        if not number.is_finite():
            raise Invalid(f"填写的值不是数值：{value}")
        if not reason:
            raise Invalid("手工填写已绑定业务数据的指标值须说明原因", code="reason_required")
    with ctx.db.session() as session:
        ind, doc, _org = _indicator(session, ctx, indicator_id)
        policy.require(ctx.actor, "opdata.override")
        bound = values_for_indicators(session, [ind.id], start, end).get(ind.id)
        if bound is None:
            raise Invalid(f"指标「{ind.name}」未绑定业务数据，直接填写实际值即可", code="not_bound")
        row = session.scalar(select(db.OpOverride).where(db.OpOverride.indicator_id == ind.id,
                                                         db.OpOverride.date_from == start, db.OpOverride.date_to == end))
        before = {"value": row.value, "reason": row.reason} if row else {"computed": bound.computed,
                                                                          "records": bound.records}
        if number is None:
            if row is not None:
                session.delete(row)
            after = None
        else:
            if row is None:
                row = db.OpOverride(indicator_id=ind.id, date_from=start, date_to=end)
                session.add(row)
            row.value, row.reason, row.computed, row.records = number, reason, bound.computed, bound.records
            row.typed_by = ctx.actor.user_id
            after = {"value": number, "reason": reason, "computed": bound.computed, "records": bound.records}
        audit.record(session, ctx.actor, "opdata.override", "indicator", ind.id, org_id=doc.org_id, before=before,
                     after=after, comment=reason or "取消手工填写，恢复按业务数据计算")
        session.flush()
        return values_for_indicators(session, [ind.id], start, end)[ind.id].as_dict()

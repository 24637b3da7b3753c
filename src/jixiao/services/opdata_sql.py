"""Metrics counted in SQL: one SELECT per data source and scope, each metric a few filtered
aggregates (``count(*) FILTER (WHERE …)``, ``sum(…) FILTER (WHERE …)``), optionally grouped by
unit. No row is brought into Python: a million records are counted by the database.

Conditions of ``monitoring/metrics.py`` become expressions on the record's typed slots through
the source's mapping (``monitoring/records.py``). ``ne`` means *is distinct from*: a record with
the field empty is counted as 不为「X」, as a person reading the export would count it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy.orm import Session

from jixiao.monitoring.metrics import Aggregate
from jixiao.monitoring.metrics import Condition
from jixiao.monitoring.metrics import Metric
from jixiao.monitoring.records import DATE_FIELD
from jixiao.monitoring.records import Mapping
from jixiao.monitoring.records import parse_bool
from jixiao.monitoring.records import parse_number
from jixiao.store import schema as db

R = db.OpRecord.__table__.c


def _typed(values: Sequence[str], kind: str) -> list:
    if kind == "number":
        return [parse_number(v) for v in values]
    if kind == "bool":
        return [parse_bool(v) for v in values]
    return list(values)


def condition(c: Condition, mapping: Mapping):
    """The SQL expression of one condition (the metric was checked against the mapping)."""
    f = mapping.field(c.field)
    column = R[f.slot]
    values = _typed(c.values, f.type)
    if c.op == "eq":
        return column == values[0]
    if c.op == "ne":
        return column.is_distinct_from(values[0])
    if c.op == "in":
        return column.in_(values)
    if c.op == "true":
        return column.is_(True)
    if c.op == "false":
        return column.is_(False)
    if c.op == "present":
        return column.is_not(None)
    return column.is_(None)


def date_column(metric: Metric, mapping: Mapping):
    return R.day if metric.date_field == DATE_FIELD else R[mapping.field(metric.date_field).slot]


def _columns(metric: Metric, mapping: Mapping, date_from: date, date_to: date, key: str) -> list:
    when = date_column(metric, mapping)
    base = and_(when >= date_from, when <= date_to, *(condition(c, mapping) for c in metric.where))
    cols = [func.count().filter(base).label(f"{key}_records")]
    if metric.kind == "ratio":
        num = and_(base, *(condition(c, mapping) for c in metric.numerator))
        cols.append(func.count().filter(num).label(f"{key}_numerator"))
    if metric.kind == "sum":
        cols.append(func.sum(R[mapping.field(metric.field).slot]).filter(base).label(f"{key}_total"))
    return cols


def _aggregate(row, key: str) -> Aggregate:
    m = row._mapping
    return Aggregate(int(m[f"{key}_records"] or 0), int(m.get(f"{key}_numerator") or 0),
                     int(m.get(f"{key}_total") or 0))


def _scope(scope_path: str | None):
    if scope_path is None:
        return true()
    orgs = select(db.Org.id).where(db.Org.path.startswith(scope_path, autoescape=True))
    return R.org_id.in_(orgs.scalar_subquery())


def aggregate(session: Session, source_id: int, mapping: Mapping, metrics: dict[str, Metric], *,
              date_from: date, date_to: date, scope_path: str | None = None) -> dict[str, Aggregate]:
    """{key: Aggregate} of every metric (of one source) over the records of the organisations
    under ``scope_path`` (None: all) in the date range, in one SELECT."""
    if not metrics:
        return {}
    cols = [c for key, m in metrics.items() for c in _columns(m, mapping, date_from, date_to, key)]
    stmt = select(*cols).select_from(db.OpRecord.__table__).where(R.source_id == source_id, _scope(scope_path))
    if all(m.date_field == DATE_FIELD for m in metrics.values()):  # the (source, day) index does the range
        stmt = stmt.where(R.day >= date_from, R.day <= date_to)
    row = session.execute(stmt).one()
    return {key: _aggregate(row, key) for key in metrics}


def aggregate_by_unit(session: Session, source_id: int, mapping: Mapping, metric: Metric, *, date_from: date,
                      date_to: date, scope_path: str | None = None) -> dict[int, Aggregate]:
    """{organisation id: Aggregate} of one metric, GROUP BY the record's unit."""
    cols = _columns(metric, mapping, date_from, date_to, "m")
    stmt = (select(R.org_id, *cols).select_from(db.OpRecord.__table__)
            .where(R.source_id == source_id, _scope(scope_path)).group_by(R.org_id))
    if metric.date_field == DATE_FIELD:
        stmt = stmt.where(R.day >= date_from, R.day <= date_to)
    return {row.org_id: _aggregate(row, "m") for row in session.execute(stmt)}

"""Operational data → actuals (issue 11 part 4): data sources and their saved column mapping,
imports of their records (all or nothing), metrics defined as data, indicators bound to a
metric, the bound values of a date range with the records behind each, and values typed by hand
over a bound one (a reason, and the audit log).

Import policy: every row of the file is checked; if any cannot be mapped (a bad date, a required
field empty, an unknown unit, a value of the wrong type) **nothing is stored** and the import is
refused with the number of rows in error and the first ``MAX_LISTED`` errors, each with its row
number and reason (``Invalid``, code ``opdata_rows_invalid``, ``detail``). The same file (by
SHA-256) is refused a second time for the same source.

For monitoring and the self-evaluation: :func:`values_for_indicators` (in the caller's session,
no permission check) and :func:`bound_values` (a target set's, for a user); see docs/monitoring.md.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from decimal import InvalidOperation
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.monitoring import metrics as mx
from jixiao.monitoring import records as rx
from jixiao.services import audit
from jixiao.services import editing
from jixiao.services import opdata_sql
from jixiao.services import orgs
from jixiao.services import policy
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Conflict
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.store import schema as db
from jixiao.store.operations import RECORD_COLUMNS
from jixiao.store.operations import insert_records

MAX_LISTED = 200  # row errors listed when an import is refused (all are counted)
BATCH = 5000
_by_day = itemgetter(RECORD_COLUMNS.index("day"))
HEADER_SEARCH = 10  # rows looked through for the header (the rows above it are titles)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _findings(findings: list[Finding]) -> list[dict]:
    return [f.as_dict() for f in findings]


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


# ---- sources ------------------------------------------------------------------------------------

def _mapping(source: db.OpSource) -> rx.Mapping:
    mapping, _ = rx.parse_mapping(source.mapping)
    return mapping


def source_json(source: db.OpSource, org: db.Org | None = None) -> dict:
    mapping = _mapping(source)
    return {"id": source.id, "name": source.name, "description": source.description,
            "org": orgs.org_json(org) if org else {"id": source.org_id}, "mapping": mapping.as_dict(),
            "columns": mapping.describe()}


def _visible(actor: Actor, org: db.Org) -> bool:
    """A source or a metric of ``org`` is visible inside its subtree and to those above it."""
    return policy.sees(actor, org.path) or actor.org_path.startswith(org.path)


def _source(session: Session, ctx: Ctx, ident: int | str) -> tuple[db.OpSource, db.Org]:
    """A source by id, or ``单位/名称``, visible to the actor (else 404)."""
    text = str(ident).strip()
    if text.isdigit():
        found = session.execute(select(db.OpSource, db.Org).join(db.Org, db.Org.id == db.OpSource.org_id)
                                .where(db.OpSource.id == int(text))).first()
    else:
        org_part, _, name = text.rpartition("/")
        stmt = (select(db.OpSource, db.Org).join(db.Org, db.Org.id == db.OpSource.org_id)
                .where(db.OpSource.name == name))
        if org_part:
            stmt = stmt.where(or_(db.Org.code == org_part, db.Org.name == org_part))
        rows = [r for r in session.execute(stmt).all() if _visible(ctx.actor, r[1])]
        if len(rows) > 1:
            raise Invalid(f"数据源“{name}”不止一个，请写作 单位/名称 或用编号")
        found = rows[0] if rows else None
    if found is None or not _visible(ctx.actor, found[1]):
        raise not_found("数据源", ident)
    return found[0], found[1]


def save_source(ctx: Ctx, *, org: str, name: str, mapping: dict, description: str = "") -> dict:
    """Create or change the source ``name`` of ``org`` with its column mapping (validated: a date
    column, a unit column, typed fields). Permission ``opdata.define``; audited."""
    name = (name or "").strip()
    if not name:
        raise Invalid("数据源须有名称")
    with ctx.db.session() as session:
        policy.require(ctx.actor, "opdata.define")
        owner = orgs.resolve(session, ctx, org)
        source = session.scalar(select(db.OpSource).where(db.OpSource.org_id == owner.id, db.OpSource.name == name))
        before = {"mapping": source.mapping} if source else None
        held = source is not None and session.scalar(select(db.OpImport.id).where(db.OpImport.source_id == source.id)
                                                     .limit(1)) is not None
        parsed, findings = rx.parse_mapping(mapping, previous=_mapping(source) if held else None)
        if parsed is None:
            raise Invalid("字段映射不正确：" + "；".join(f.message.removeprefix("字段映射：") for f in findings),
                          code="opdata_mapping_invalid", detail={"findings": _findings(findings)})
        if source is None:
            source = db.OpSource(org_id=owner.id, name=name, created_by=ctx.actor.user_id)
            session.add(source)
        elif source.mapping != parsed.as_dict() and session.scalar(
                select(db.OpMetric.id).where(db.OpMetric.source_id == source.id).limit(1)):
            _check_metrics_still_fit(session, source, parsed)
        source.mapping, source.description = parsed.as_dict(), description or source.description or ""
        session.flush()
        audit.record(session, ctx.actor, "opdata.source.save", "op_source", source.id, org_id=owner.id,
                     before=before, after={"mapping": source.mapping}, comment=f"{owner.name} 数据源「{name}」")
        return source_json(source, owner)


def _check_metrics_still_fit(session: Session, source: db.OpSource, mapping: rx.Mapping) -> None:
    wrong = []
    for metric in session.scalars(select(db.OpMetric).where(db.OpMetric.source_id == source.id)):
        parsed, _ = mx.parse_metric(metric.name, metric.definition)
        wrong += [f.message for f in mx.check_metric(parsed, mapping)]
    if wrong:
        raise Invalid("改动后的映射与已定义的指标口径不符：" + "；".join(wrong), code="opdata_mapping_invalid")


def list_sources(ctx: Ctx) -> dict:
    policy.require(ctx.actor, "document.read")
    with ctx.db.session(write=False) as session:
        rows = session.execute(select(db.OpSource, db.Org).join(db.Org, db.Org.id == db.OpSource.org_id)
                               .order_by(db.Org.path, db.OpSource.name)).all()
        items = [source_json(s, o) for s, o in rows if _visible(ctx.actor, o)]
    return {"items": items, "total": len(items)}


def get_source(ctx: Ctx, source: int | str) -> dict:
    with ctx.db.session(write=False) as session:
        row, org = _source(session, ctx, source)
        policy.require(ctx.actor, "document.read")
        out = source_json(row, org)
        imports = session.scalars(select(db.OpImport).where(db.OpImport.source_id == row.id)
                                  .order_by(db.OpImport.id.desc())).all()
        out["imports"] = [import_json(i) for i in imports]
        return out


# ---- imports -------------------------------------------------------------------------------------

def import_json(i: db.OpImport) -> dict:
    return {"id": i.id, "source_id": i.source_id, "filename": i.filename, "rows": i.rows, "sha256": i.sha256,
            "first_day": i.first_day.isoformat() if i.first_day else None,
            "last_day": i.last_day.isoformat() if i.last_day else None, "imported_at": i.imported_at.isoformat()}


def _units(session: Session, owner: db.Org) -> dict[str, int]:
    """Every name and code a unit under ``owner`` (itself included) may be given by → its id.
    A name two units share is left out (the row must give the code)."""
    names: dict[str, list[int]] = defaultdict(list)
    out = {}
    for org in orgs.subtree(session, owner):
        names[org.name].append(org.id)
        if org.code:
            out[org.code] = org.id
    out.update({n: ids[0] for n, ids in names.items() if len(ids) == 1 and n not in out})
    out[str(owner.id)] = owner.id
    return out


def _refuse(message: str, code: str, findings: list[Finding], **detail) -> Invalid:
    return Invalid(message, code=code, detail={**detail, "errors": _findings(findings[:MAX_LISTED])})


def import_records(ctx: Ctx, source: int | str, file: str | Path | bytes | BinaryIO, *, filename: str | None = None,
                   encoding: str | None = None, sheet: str | None = None) -> dict:
    """Import a file of records into ``source`` with its saved mapping: every row, or none (see
    the module's policy). Permission ``opdata.import``; audited. Returns the import's summary.

    Two steps, so that a file is checked without holding the database's write lock (SQLite has
    one): every row is read and converted first, the records spooled to a temporary file; only a
    file without errors is then written, in one transaction."""
    from jixiao.readers.rows import open_rows

    name = filename or (Path(file).name if isinstance(file, str | Path) else "upload")
    with ctx.db.session(write=False) as session:
        row, owner = _source(session, ctx, source)
        policy.require(ctx.actor, "opdata.import")
        if not policy.sees(ctx.actor, owner.path):  # those under a source's organisation see it, not fill it
            raise Forbidden(f"数据源「{row.name}」属于{owner.name}，只能由其本单位或上级导入", code="forbidden")
        source_id, source_name, owner_id, mapping_dict = row.id, row.name, owner.id, row.mapping
        mapper = rx.RowMapper(_mapping(row), _units(session, owner), file=name, scope=owner.name)
    rows, findings = open_rows(file, name, encoding=encoding, sheet=sheet)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if rows is None or errors:
        raise _refuse(f"{name} 无法读取：" + "；".join(f.message for f in errors), "opdata_unreadable", errors)
    _refuse_duplicate(ctx, source_id, source_name, rows.sha256, name)
    with tempfile.TemporaryFile() as spool:
        checked = _check_rows(mapper, rows, name, source_id, spool)
        spool.seek(0)
        with ctx.db.session() as session:
            current = session.get(db.OpSource, source_id)
            if current is None or current.mapping != mapping_dict:
                raise Conflict(f"数据源「{source_name}」的字段映射在导入期间被修改，请重新导入", code="opdata_mapping_changed")
            imp = db.OpImport(source_id=source_id, filename=name[:400], sha256=rows.sha256, mapping=mapping_dict,
                              rows=checked["rows"], first_day=checked["first"], last_day=checked["last"])
            session.add(imp)
            try:
                session.flush()
            except IntegrityError:  # the same file imported meanwhile by someone else
                raise Conflict(f"{name} 已导入过数据源「{source_name}」（内容相同）", code="opdata_duplicate") from None
            at = RECORD_COLUMNS.index("import_id")
            for _ in range(checked["batches"]):
                batch = pickle.load(spool)  # noqa: S301 - our own temporary file, written just above
                insert_records(session, [r[:at] + (imp.id,) + r[at + 1:] for r in batch])
            summary = import_json(imp)
            audit.record(session, ctx.actor, "opdata.import", "op_import", imp.id, org_id=owner_id,
                         after={"source": source_name, "file": name, "rows": summary["rows"],
                                "first_day": summary["first_day"], "last_day": summary["last_day"]},
                         comment=f"导入业务数据「{source_name}」{summary['rows']} 条")
    summary["encoding"] = rows.encoding
    return summary


def _refuse_duplicate(ctx: Ctx, source_id: int, source_name: str, sha256: str, name: str) -> None:
    with ctx.db.session(write=False) as session:
        if session.scalar(select(db.OpImport.id).where(db.OpImport.source_id == source_id,
                                                       db.OpImport.sha256 == sha256)):
            raise Conflict(f"{name} 已导入过数据源「{source_name}」（内容相同）", code="opdata_duplicate")


def _check_rows(mapper: rx.RowMapper, rows, name: str, source_id: int, spool) -> dict:
    """Read and convert every row; the records go to ``spool`` in pickled batches (their import
    id still 0). Raises the refusal with the row errors; else {rows, first, last, batches}."""
    header = first_row = None
    titles = batches = count = bad_rows = 0
    batch: list[tuple] = []
    listed: list[Finding] = []
    first = last = None
    base = {**dict.fromkeys(rx.slot_columns()), "import_id": 0, "source_id": source_id}
    as_row = itemgetter(*RECORD_COLUMNS)
    for number, cells in rows.rows:
        if not any(c not in (None, "") for c in cells):
            continue
        if header is None:
            titles += 1
            if not mapper.is_header(cells) and titles <= HEADER_SEARCH:
                first_row = first_row or (number, cells)
                continue  # a title above the header, as exports print them
            if not mapper.is_header(cells):
                number, cells = first_row
            header = cells
            missing = mapper.read_header(cells, number)
            if missing:
                raise _refuse(f"{name} 缺少映射所需的列：" + "、".join(mapper.missing_columns),
                              "opdata_columns_missing", missing)
            continue
        count += 1
        record, errors = mapper.convert(cells, number)
        if errors:
            bad_rows += 1
            if len(listed) < MAX_LISTED:
                listed += errors
            continue
        if bad_rows:
            continue  # the import is refused anyway: check the remaining rows, keep nothing
        day = record["day"]
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
        base.update(record)
        batch.append(as_row(base))
        if len(batch) >= BATCH:
            batch.sort(key=_by_day)  # fewer pages touched in the table ordered by (source, day)
            pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
            batches += 1
            batch.clear()
    if rows.errors:
        raise _refuse(f"{name} 无法读取完：" + rows.errors[0].message, "opdata_unreadable", rows.errors)
    if header is None and first_row is not None:  # no row names the date and unit columns
        missing = mapper.read_header(first_row[1], first_row[0])
        raise _refuse(f"{name} 缺少映射所需的列：" + "、".join(mapper.missing_columns), "opdata_columns_missing",
                      missing)
    if header is None:
        raise Invalid(f"{name}：文件中没有表头和数据行", code="opdata_no_rows")
    if bad_rows:
        raise _refuse(f"{name} 有 {bad_rows} 行无法导入（共 {count} 行），整个文件未导入；请改正后重新上传",
                      "opdata_rows_invalid", listed, rows=count, error_rows=bad_rows,
                      listed=min(len(listed), MAX_LISTED))
    if count == 0:
        raise Invalid(f"{name}：表头之下没有数据行", code="opdata_no_rows")
    if batch:
        batch.sort(key=_by_day)
        pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
        batches += 1
    return {"rows": count, "first": first, "last": last, "batches": batches}


def delete_import(ctx: Ctx, import_id: int) -> dict:
    """Remove an import and all its records (a wrong or corrected file: upload the corrected one
    after). Permission ``opdata.import`` on the source's organisation; audited."""
    with ctx.db.session() as session:
        imp = session.get(db.OpImport, int(import_id))
        if imp is None:
            raise not_found("导入批次", import_id)
        source, owner = _source(session, ctx, imp.source_id)
        policy.require(ctx.actor, "opdata.import")
        if not policy.sees(ctx.actor, owner.path):
            raise Forbidden(f"数据源「{source.name}」属于{owner.name}，只能由其本单位或上级删除导入", code="forbidden")
        out = import_json(imp)
        session.execute(delete(db.OpRecord).where(db.OpRecord.source_id == source.id,
                                                  db.OpRecord.import_id == imp.id))
        session.delete(imp)
        audit.record(session, ctx.actor, "opdata.import.delete", "op_import", imp.id, org_id=owner.id,
                     before={"source": source.name, "file": out["filename"], "rows": out["rows"]},
                     comment=f"删除业务数据「{source.name}」的导入 {out['filename']}（{out['rows']} 条）")
    return out


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

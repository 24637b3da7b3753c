"""Operational data sources and their imports (issue 11 part 4): a source's saved column
mapping, and the import of a file of records with it — all or nothing.

Import policy: every row of the file is checked; if any cannot be mapped (a bad date, a required
field empty, an unknown unit, a value of the wrong type) **nothing is stored** and the import is
refused with the number of rows in error and the first ``MAX_LISTED`` errors, each with its row
number and reason (``Invalid``, code ``opdata_rows_invalid``, ``detail``). The rows are checked
before anything is written (the records spooled to a temporary file), so a refused file never
holds the write lock. The same file (by SHA-256) is refused a second time for the same source.
The functions are re-exported by ``services/operational_data.py``.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import defaultdict
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

SPOOLED = tuple(c for c in RECORD_COLUMNS if c != "import_id")  # a record as spooled: its import given when written

MAX_LISTED = 200  # row errors listed when an import is refused (all are counted)
BATCH = 5000
_by_day = itemgetter(SPOOLED.index("day"))
HEADER_SEARCH = 10  # rows looked through for the header (the rows above it are titles)



def findings_json(findings: list[Finding]) -> list[dict]:
    return [f.as_dict() for f in findings]


# ---- sources ------------------------------------------------------------------------------------

def mapping_of(source: db.OpSource) -> rx.Mapping:
    """The source's saved mapping (valid: it was checked when saved)."""
    mapping, _ = rx.parse_mapping(source.mapping)
    return mapping


def source_json(source: db.OpSource, org: db.Org | None = None) -> dict:
    mapping = mapping_of(source)
    return {"id": source.id, "name": source.name, "description": source.description,
            "org": orgs.org_json(org) if org else {"id": source.org_id}, "mapping": mapping.as_dict(),
            "columns": mapping.describe()}


def visible(actor: Actor, org: db.Org) -> bool:
    """A source or a metric of ``org`` is visible inside its subtree and to those above it."""
    return policy.sees(actor, org.path) or actor.org_path.startswith(org.path)


def resolve_source(session: Session, ctx: Ctx, ident: int | str) -> tuple[db.OpSource, db.Org]:
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
        rows = [r for r in session.execute(stmt).all() if visible(ctx.actor, r[1])]
        if len(rows) > 1:
            raise Invalid(f"数据源“{name}”不止一个，请写作 单位/名称 或用编号")
        found = rows[0] if rows else None
    if found is None or not visible(ctx.actor, found[1]):
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
        parsed, findings = rx.parse_mapping(mapping, previous=mapping_of(source) if held else None)
        if parsed is None:
            raise Invalid("字段映射不正确：" + "；".join(f.message.removeprefix("字段映射：") for f in findings),
                          code="opdata_mapping_invalid", detail={"findings": findings_json(findings)})
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
        items = [source_json(s, o) for s, o in rows if visible(ctx.actor, o)]
    return {"items": items, "total": len(items)}


def get_source(ctx: Ctx, source: int | str) -> dict:
    with ctx.db.session(write=False) as session:
        row, org = resolve_source(session, ctx, source)
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
    return Invalid(message, code=code, detail={**detail, "errors": findings_json(findings[:MAX_LISTED])})


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
        row, owner = resolve_source(session, ctx, source)
        policy.require(ctx.actor, "opdata.import")
        if not policy.sees(ctx.actor, owner.path):  # those under a source's organisation see it, not fill it
            raise Forbidden(f"数据源「{row.name}」属于{owner.name}，只能由其本单位或上级导入", code="forbidden")
        source_id, source_name, owner_id, mapping_dict = row.id, row.name, owner.id, row.mapping
        mapper = rx.RowMapper(mapping_of(row), _units(session, owner), file=name, scope=owner.name)
    rows, findings = open_rows(file, name, encoding=encoding, sheet=sheet, is_header=mapper.is_header)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if rows is None or errors:
        raise _refuse(f"{name} 无法读取：" + "；".join(f.message for f in errors), "opdata_unreadable", errors)
    with rows, tempfile.TemporaryFile() as spool:  # the file is closed as soon as it is read or refused
        _refuse_duplicate(ctx, source_id, source_name, rows.sha256, name)
        checked = _check_rows(mapper, rows, name, source_id, spool)
        rows.close()
        spool.seek(0)
        with ctx.db.session() as session:
            # the records' references are checked here, once (op_records has no per-row foreign
            # keys): the source and the organisations named, read FOR KEY SHARE so that they stay
            current = session.scalar(select(db.OpSource).where(db.OpSource.id == source_id)
                                     .with_for_update(key_share=True))
            named = set(session.scalars(select(db.Org.id).where(db.Org.id.in_(checked["orgs"]))
                                        .with_for_update(key_share=True)))
            if named != checked["orgs"]:
                raise Conflict(f"{name} 所列单位在导入期间被删除，请重新导入", code="opdata_units_changed")
            if current is None or current.mapping != mapping_dict:
                raise Conflict(f"数据源「{source_name}」的字段映射在导入期间被修改，请重新导入", code="opdata_mapping_changed")
            imp = db.OpImport(source_id=source_id, filename=name[:400], sha256=rows.sha256, mapping=mapping_dict,
                              rows=checked["rows"], first_day=checked["first"], last_day=checked["last"])
            session.add(imp)
            try:
                session.flush()
            except IntegrityError:  # the same file imported meanwhile by someone else
                raise Conflict(f"{name} 已导入过数据源「{source_name}」（内容相同）", code="opdata_duplicate") from None
            batches = (pickle.load(spool) for _ in range(checked["batches"]))  # noqa: S301 - our own file, above
            insert_records(session, imp.id, SPOOLED, batches)
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
    make_row = None
    at_day, at_org = SPOOLED.index("day"), SPOOLED.index("org_id")
    org_ids: set[int] = set()
    for number, cells in rows.rows:
        if not any(cells) and all(c is None or c == "" for c in cells):  # any(): the quick test (0 is a value)
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
            make_row = mapper.row_maker(SPOOLED, {"source_id": source_id})
            continue
        count += 1
        record = make_row(cells, number)
        if record is None:
            _, errors = mapper.convert(cells, number)  # the reasons, with the row
            bad_rows += 1
            if len(listed) < MAX_LISTED:
                listed += errors
            continue
        if bad_rows:
            continue  # the import is refused anyway: check the remaining rows, keep nothing
        day = record[at_day]
        if first is None or day < first:
            first = day
        if last is None or day > last:
            last = day
        org_ids.add(record[at_org])
        batch.append(record)
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
    return {"rows": count, "first": first, "last": last, "batches": batches, "orgs": org_ids}


def delete_import(ctx: Ctx, import_id: int) -> dict:
    """Remove an import and all its records (a wrong or corrected file: upload the corrected one
    after). Permission ``opdata.import`` on the source's organisation; audited."""
    with ctx.db.session() as session:
        imp = session.get(db.OpImport, int(import_id))
        if imp is None:
            raise not_found("导入批次", import_id)
        source, owner = resolve_source(session, ctx, imp.source_id)
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

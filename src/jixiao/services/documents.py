"""Reading stored documents: lists with filters and pages, one document in the parse JSON
contract, its versions, the indicator-level difference between two versions, the original file.

Every query is limited to the actor's scope (``policy.scoped`` on the organisation's path); a
document outside it is "not found" (404), never "forbidden".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import undefer

from jixiao.services import orgs
from jixiao.services import policy
from jixiao.services import workflow
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.services.exports import export_rows  # noqa: F401  (the API exports lists from here too)
from jixiao.store import schema as db

MAX_LIMIT = 1000


def org_ref(org: db.Org) -> dict:
    return {"id": org.id, "code": org.code, "name": org.name}


def findings_counts(doc: db.Document) -> dict:
    return {"error": doc.n_error, "warning": doc.n_warning, "info": doc.n_info}


def doc_summary(doc: db.Document, org: db.Org) -> dict:
    return {
        "id": doc.id, "name": doc.name, "kind": doc.kind, "series": doc.series, "version": doc.version,
        "is_current": doc.is_current, "year": doc.year, "state": doc.state,
        "state_label": workflow.state_label(doc.state), "org": org_ref(org), "findings": findings_counts(doc),
        "created_at": doc.created_at.isoformat(), "updated_at": doc.updated_at.isoformat(),
        "row_version": doc.row_version,
    }


def page(limit: int | str | None, offset: int | str | None, default: int = 50) -> tuple[int, int]:
    """Checked paging parameters (limit 1 … 1000, offset ≥ 0)."""
    try:
        limit = default if limit is None else int(limit)
        offset = 0 if offset is None else int(offset)
    except (TypeError, ValueError):
        raise Invalid("分页参数必须是整数", code="invalid_page") from None
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise Invalid(f"分页参数超出范围：limit 应为 1–{MAX_LIMIT}，offset 不能为负", code="invalid_page")
    return limit, offset


def as_year(year) -> int | None:
    if year is None or year == "":
        return None
    try:
        return int(year)
    except (TypeError, ValueError):
        raise Invalid(f"年度应为数字：{year}", code="invalid_year") from None


def split_values(value: str | Iterable[str] | None) -> list[str]:
    """A filter value: one, a comma-separated list, or a list."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v and v.strip()]


def filtered(stmt: Select, session: Session, ctx: Ctx, *, year=None, org=None, kind=None, state=None,
             code=None, severity=None, current_only: bool = False) -> Select:
    """``stmt`` (over db.Document joined with db.Org) limited to the actor's scope and the filters."""
    stmt = policy.scoped(stmt, ctx.actor, db.Org.path)
    if (y := as_year(year)) is not None:
        stmt = stmt.where(db.Document.year == y)
    if org not in (None, ""):
        root = orgs.resolve(session, ctx, org)
        stmt = stmt.where(db.Org.path.startswith(root.path, autoescape=True))
    if kinds := split_values(kind):
        stmt = stmt.where(db.Document.kind.in_(kinds))
    if states := split_values(state):
        unknown = [s for s in states if s not in workflow.STATES]
        if unknown:
            raise Invalid(f"未知的状态：{'、'.join(unknown)}（可选：{'、'.join(workflow.STATES)}）", code="invalid_state")
        stmt = stmt.where(db.Document.state.in_(states))
    codes, severities = split_values(code), split_values(severity)
    bad = [s for s in severities if s not in ("error", "warning", "info")]
    if bad:
        raise Invalid(f"未知的严重程度：{'、'.join(bad)}（可选：error、warning、info）", code="invalid_severity")
    if severities and not codes:  # the document's own counts say it (kept by import and by editing)
        counts = {"error": db.Document.n_error, "warning": db.Document.n_warning, "info": db.Document.n_info}
        stmt = stmt.where(or_(*(counts[s] > 0 for s in severities)))
    elif codes:
        # IN (not a correlated EXISTS): SQLite then reads the findings once, not once per document
        having = select(db.Finding.document_id)
        if codes:
            having = having.where(db.Finding.code.in_(codes))
        if severities:
            having = having.where(db.Finding.severity.in_(severities))
        stmt = stmt.where(db.Document.id.in_(having))
    if current_only:
        stmt = stmt.where(db.Document.is_current.is_(True))
    return stmt


def list_documents(ctx: Ctx, *, year=None, org=None, kind=None, state=None, code=None, severity=None,
                   current_only: bool = True, limit: int = 50, offset: int = 0) -> dict:
    """``{"items": [doc_summary], "total": n}``, newest first. ``org`` (code, name or id) includes
    its subtree; ``code``/``severity``: documents having such a finding; ``kind``/``state``/``code``
    may be comma-separated lists."""
    policy.require(ctx.actor, "document.read")
    limit, offset = page(limit, offset)
    with ctx.db.session(write=False) as session:
        base = select(db.Document.id).join(db.Org, db.Org.id == db.Document.org_id)
        base = filtered(base, session, ctx, year=year, org=org, kind=kind, state=state, code=code,
                        severity=severity, current_only=current_only)
        total = session.scalar(select(func.count()).select_from(base.subquery()))
        stmt = (select(db.Document, db.Org).join(db.Org, db.Org.id == db.Document.org_id)
                .where(db.Document.id.in_(base.order_by(db.Document.id.desc()).limit(limit).offset(offset)
                                          .scalar_subquery()))
                .order_by(db.Document.id.desc()))
        items = [doc_summary(d, o) for d, o in session.execute(stmt)]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def load(session: Session, ctx: Ctx, document_id, *, parsed: bool = False) -> tuple[db.Document, db.Org]:
    """The document and its organisation, if the actor sees it (else 404)."""
    try:
        ident = int(document_id)
    except (TypeError, ValueError):
        raise not_found("文档", document_id) from None
    stmt = select(db.Document, db.Org).join(db.Org, db.Org.id == db.Document.org_id).where(db.Document.id == ident)
    if parsed:
        stmt = stmt.options(undefer(db.Document.parsed))
    row = session.execute(stmt).first()
    if row is None or not policy.sees(ctx.actor, row[1].path):
        raise not_found("文档", document_id)
    policy.require(ctx.actor, "document.read")
    return row[0], row[1]


def _versions(session: Session, doc: db.Document) -> list[dict]:
    rows = session.scalars(select(db.Document).where(
        db.Document.org_id == doc.org_id, db.Document.year == doc.year, db.Document.series == doc.series)
        .order_by(db.Document.version)).all()
    return [{"id": d.id, "version": d.version, "created_at": d.created_at.isoformat(), "is_current": d.is_current,
             "state": d.state, "state_label": workflow.state_label(d.state), "name": d.name,
             "findings": findings_counts(d)} for d in rows]


def _target_set_refs(session: Session, doc: db.Document) -> list[dict]:
    rows = session.execute(
        select(db.TargetSet, db.DocTable.position).join(db.DocTable, db.DocTable.id == db.TargetSet.table_id)
        .where(db.TargetSet.document_id == doc.id).order_by(db.DocTable.position, db.TargetSet.position)).all()
    return [{"id": ts.id, "table": table_pos, "position": ts.position, "unit": ts.unit, "project": ts.project,
             "row_version": ts.row_version} for ts, table_pos in rows]


def get_document(ctx: Ctx, document_id, *, parsed: bool = True) -> dict:
    """The parse JSON contract of the document (``jixiao parse --json`` names) with its id,
    version, state, organisation (``org``; the name as printed is ``org_text``), series, finding
    counts (``findings``; the list is ``findings.list_findings``), versions, its target sets' ids
    (``target_set_refs``, for editing), the process it follows and the actions the actor may take.
    ``parsed=False``: these facts alone, without the parse JSON (not read: a page that does not
    draw the document's content)."""
    with ctx.db.session(write=False) as session:
        doc, org = load(session, ctx, document_id, parsed=parsed)
        out = dict(doc.parsed or {}) if parsed else {}
        if parsed:
            out["org_text"] = out.get("org")
        out.update({
            "id": doc.id, "name": doc.name, "title": doc.title, "format": doc.format, "kind": doc.kind,
            "year": doc.year, "series": doc.series, "version": doc.version, "is_current": doc.is_current,
            "state": doc.state, "state_label": workflow.state_label(doc.state), "org": org_ref(org),
            "findings": findings_counts(doc), "versions": _versions(session, doc),
            "target_set_refs": _target_set_refs(session, doc), "process": workflow.process_label(doc.kind),
            "editable": workflow.editable(doc.state), "allowed": workflow.allowed_actions(ctx.actor, doc),
            "sha256": doc.source_sha256, "created_at": doc.created_at.isoformat(),
            "updated_at": doc.updated_at.isoformat(), "row_version": doc.row_version,
        })
        return out


def document_versions(ctx: Ctx, document_id) -> dict:
    """Every version of the document's series (same organisation, year and series), oldest first."""
    with ctx.db.session(write=False) as session:
        doc, _org = load(session, ctx, document_id)
        items = _versions(session, doc)
    return {"items": items, "total": len(items)}


def source_file(ctx: Ctx, document_id) -> tuple[str, bytes, str]:
    """The original file of a document: (name as imported, bytes, format)."""
    with ctx.db.session(write=False) as session:
        doc, _org = load(session, ctx, document_id)
        source = session.scalar(select(db.SourceFile).options(undefer(db.SourceFile.content))
                                .where(db.SourceFile.sha256 == doc.source_sha256))
        return doc.name, bytes(source.content), doc.format or source.format


# ---- the difference between two versions ---------------------------------------------------

TARGET_SET_FIELDS = ("unit_code", "unit", "project", "project_code", "amounts", "amounts_unit", "goal",
                     "period_goal", "functions", "category", "period", "parent_fund")
INDICATOR_FIELDS = ("target_text", "op", "value", "unit", "kind", "explanation", "scoring", "weight", "standard",
                    "remark")


def _plain(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _same(a, b) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b and format(a, "f") == format(b, "f")
    return a == b


def _keyed(items: list, key) -> dict:
    """``items`` by (key, occurrence): the n-th item with a key pairs with the n-th in the other version."""
    seen: Counter = Counter()
    out = {}
    for item in items:
        k = key(item)
        seen[k] += 1
        out[(k, seen[k])] = item
    return out


def _set_key(ts: db.TargetSet) -> str:
    if ts.project:
        return ts.project
    return f"{ts.unit or ''}（整体）"


def _target_sets(session: Session, doc: db.Document) -> dict:
    sets = session.execute(
        select(db.TargetSet).join(db.DocTable, db.DocTable.id == db.TargetSet.table_id)
        .where(db.TargetSet.document_id == doc.id).order_by(db.DocTable.position, db.TargetSet.position)
    ).scalars().all()
    indicators: dict[int, list[db.Indicator]] = {ts.id: [] for ts in sets}
    if sets:
        for ind in session.scalars(select(db.Indicator).where(db.Indicator.target_set_id.in_(list(indicators)))
                                   .order_by(db.Indicator.target_set_id, db.Indicator.position)):
            indicators[ind.target_set_id].append(ind)
    return {k: (ts, indicators[ts.id]) for k, ts in _keyed(list(sets), _set_key).items()}


def _changes(old, new, fields) -> dict:
    out = {}
    for name in fields:
        a = getattr(old, name) if old is not None else None
        b = getattr(new, name) if new is not None else None
        if not _same(a, b):
            out[name] = [_plain(a), _plain(b)]
    return out


def _indicator_diff(old: list[db.Indicator], new: list[db.Indicator]) -> list[dict]:
    def key(i):
        return (i.level1 or "", i.level2 or "", i.name)

    a, b = _keyed(old, key), _keyed(new, key)
    out = []
    for k in [*a, *(k for k in b if k not in a)]:
        before, after = a.get(k), b.get(k)
        changes = _changes(before, after, INDICATOR_FIELDS)
        if before is not None and after is not None and not changes:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        changes = {f: v for f, v in changes.items() if v != [None, None]}
        out.append({"key": list(k[0]), "status": status, "changes": changes})
    return out


def diff_versions(ctx: Ctx, old_id, new_id) -> dict:
    """The indicator-level difference between two versions of one series: target sets added,
    removed or changed (their own fields in ``changes``), and in each the indicators (keyed by
    一级 / 二级 / 三级指标 name) added, removed or changed with ``{field: [before, after]}``."""
    with ctx.db.session(write=False) as session:
        old, _o = load(session, ctx, old_id)
        new, _n = load(session, ctx, new_id)
        if (old.org_id, old.year, old.series) != (new.org_id, new.year, new.series):
            raise Invalid("只能比较同一单位、同一年度、同一类文档的两个版本", code="not_versions")
        a, b = _target_sets(session, old), _target_sets(session, new)
        target_sets = []
        for k in [*a, *(k for k in b if k not in a)]:
            (ts_a, inds_a), (ts_b, inds_b) = a.get(k, (None, [])), b.get(k, (None, []))
            changes = {f: v for f, v in _changes(ts_a, ts_b, TARGET_SET_FIELDS).items() if v != [None, None]}
            indicators = _indicator_diff(inds_a, inds_b)
            if ts_a is not None and ts_b is not None and not changes and not indicators:
                continue
            status = "added" if ts_a is None else "removed" if ts_b is None else "changed"
            target_sets.append({"key": k[0], "status": status, "changes": changes, "indicators": indicators})
        return {"old": {"id": old.id, "version": old.version}, "new": {"id": new.id, "version": new.version},
                "target_sets": target_sets}

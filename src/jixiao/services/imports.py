"""Import: read → parse → check → store, one file in one transaction (``jixiao import``, the API,
the web and the jobs all call :func:`import_bytes`).

* Idempotent: the same bytes for the same organisation (or one under it) and year are one document.
* A corrected file of the same unit, year and series is the next version; the old version and
  its findings stay (``documents.diff_versions`` compares them indicator by indicator).
* All or nothing: reading and parsing happen before the transaction opens; the rows of a
  document, its findings and its audit entry are written in one transaction, so a failure (or
  ``kill -9``) leaves nothing behind. A concurrent importer of the same bytes or the same series
  makes the unique constraints fail; the import then looks again (the other one's document, or
  the next version number).
* The organisation is the one the document names, found by 单位编码 or name under the given
  organisation; an unknown one is created under it; an ambiguous one is a finding.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.findings import make
from jixiao.model.document import Document as ParsedDocument
from jixiao.model.source import Location
from jixiao.services import audit
from jixiao.services import orgs
from jixiao.services import policy
from jixiao.services import target_findings
from jixiao.services.context import Ctx
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.services.errors import TooLarge
from jixiao.store import content
from jixiao.store import schema as db

SCOPED_SERIES = ("budget_disclosure", "final_accounts")  # 部门 and 单位 disclosures are two series


@dataclass
class Prepared:
    """A file read, parsed and checked, before anything is stored."""

    name: str
    data: bytes
    sha256: str
    format: str | None
    document: ParsedDocument | None
    findings: list[Finding] = field(default_factory=list)
    # what the reader gave for ``data`` (the 文档 page's paragraphs are kept from it when the
    # document is stored); a copy with other bytes must drop it (``raw=None``)
    raw: object | None = field(default=None, repr=False, compare=False)

    @property
    def problem(self) -> str | None:
        if self.document is not None:
            return None
        errors = [f.message for f in self.findings if f.severity == Severity.ERROR]
        return errors[0] if errors else f"{self.name}：无法读取"


def prepare(data: bytes, name: str) -> Prepared:
    """Read, parse and check (pure; no database). A file that cannot be read has no document."""
    from jixiao.parse.document import parse_document
    from jixiao.readers.files import read_bytes_detected
    from jixiao.rules import run as run_rules

    sha = hashlib.sha256(data).hexdigest()
    raw, found, fmt = read_bytes_detected(data, name)
    if raw is None:
        return Prepared(name, data, sha, fmt, None, list(found))
    doc, parsed = parse_document(raw)
    findings = [*found, *parsed, *run_rules(doc)]
    return Prepared(name, data, sha, fmt, doc, findings, raw=raw)


def check_size(name: str, size: int | None) -> None:
    """Refuse a file over the readers' size limit before its bytes are read (an upload is only
    spooled to disk until then): TooLarge (413) with the readers' message."""
    from jixiao.readers import safety

    if size is None:
        return
    found = safety.check_size(size, name, limit=safety.MAX_FILE_BYTES)
    if found:
        raise TooLarge(found[0].message)


def import_bytes(ctx: Ctx, data: bytes, name: str, *, org: str, year: int | None = None) -> dict:
    """Import one file's bytes. Returns ``{"id", "kind", "version", "created", "org", "year",
    "findings": {"error", "warning", "info"}}``; ``created`` is False when the same bytes were
    already there (the existing document is returned)."""
    policy.require(ctx.actor, "document.import")
    prepared = prepare(data, name)
    return store_prepared(ctx, prepared, org=org, year=year)


def import_path(ctx: Ctx, path: str | Path, *, org: str, year: int | None = None) -> dict:
    path = Path(path)
    return import_bytes(ctx, path.read_bytes(), path.name, org=org, year=year)


def store_prepared(ctx: Ctx, prepared: Prepared, *, org: str, year: int | None) -> dict:
    policy.require(ctx.actor, "document.import")
    if prepared.document is None:
        raise Invalid(prepared.problem or prepared.name, code="unreadable")
    for _attempt in range(8):
        try:
            with ctx.db.session() as session:
                result = _store(session, ctx, prepared, org, year)
        except IntegrityError:
            continue  # another importer stored the same bytes or took the version number: look again
        if result["created"] and prepared.raw is not None:
            from jixiao.services import document_view

            document_view.keep_raw(prepared.name, prepared.sha256, prepared.raw)  # its first view reads nothing
        return result
    raise Conflict(f"{prepared.name}：同时导入的请求过多，请稍后重试")


def _store(session: Session, ctx: Ctx, prepared: Prepared, org_ident: str, year: int | None) -> dict:
    doc = prepared.document
    given = orgs.resolve(session, ctx, org_ident)
    # imports into one organisation take turns (a row lock on PostgreSQL; SQLite's write lock
    # already serialises writers): the same bytes, a version number or a new unit are decided once
    session.execute(select(db.Org.id).where(db.Org.id == given.id).with_for_update())
    extra: list[Finding] = []
    where = Location(file=prepared.name)
    if year is None:
        year = doc.year
        if year is None:
            raise Invalid(f"{prepared.name}：文件未写明年度，请指定年度（--year）")
    elif doc.year is not None and doc.year != year:
        extra.append(make("year-differs", where, file=prepared.name, found=doc.year, given=year))

    existing = session.scalar(
        select(db.Document).join(db.Org, db.Org.id == db.Document.org_id)
        .where(db.Document.source_sha256 == prepared.sha256, db.Document.year == year,
               db.Org.path.startswith(given.path, autoescape=True))
    )
    if existing is not None:
        return _result(session, existing, created=False)

    target, found = _match_org(session, given, doc, prepared.name)
    extra.extend(found)
    kind = doc.kind or "unknown"
    parsed = _parsed_json(doc, prepared.name)
    series = _series(session, doc, parsed, kind, target.id, year)
    version = (session.scalar(select(func.max(db.Document.version)).where(
        db.Document.org_id == target.id, db.Document.year == year, db.Document.series == series)) or 0) + 1
    session.execute(update(db.Document).where(
        db.Document.org_id == target.id, db.Document.year == year, db.Document.series == series,
        db.Document.is_current.is_(True)).values(is_current=False, row_version=db.Document.row_version + 1)
        .execution_options(synchronize_session=False))
    _source_file(session, ctx, prepared)
    _fiscal_year(session, year)
    findings = sorted([*prepared.findings, *extra], key=Finding.sort_key)
    row = db.Document(
        org_id=target.id, year=year, kind=kind, series=series, version=version, is_current=True,
        source_sha256=prepared.sha256, name=prepared.name, format=prepared.format or "",
        title=_title(doc), parsed=parsed, state="draft",
        created_by=ctx.actor.user_id, **_counts(findings),
    )
    session.add(row)
    session.flush()
    sets = _content(session, row, doc)
    rows = finding_rows(row.id, findings, prepared.name)
    target_findings.attribute(rows, sets)
    _insert(session, db.Finding, rows)
    audit.record(session, ctx.actor, "document.import", "document", row.id, org_id=target.id,
                 after={"name": prepared.name, "sha256": prepared.sha256, "kind": kind, "series": series,
                        "version": version, "year": year, "org": target.name, **_counts(findings)})
    return _result(session, row, created=True)


def _series(session: Session, doc: ParsedDocument, parsed: dict, kind: str, org_id: int, year: int) -> str:
    """Which earlier document this one corrects. A disclosure: the 部门 or the 单位 one of the
    unit and year. Target tables and 自评表: a unit files one per project (or a set of projects),
    so a file corrects the current document of the same kind whose projects it mostly shares
    (at least half of the smaller set); a file of other projects starts a series of its own."""
    if kind in SCOPED_SERIES:
        from jixiao.rules.narrative_text import document_kind

        scope, _ = document_kind(doc)
        return f"{kind}:{scope or '部门'}"
    keys = project_keys(parsed)
    if not keys:
        return kind
    best: tuple[float, str] | None = None
    current = session.execute(select(db.Document.id, db.Document.series).where(
        db.Document.org_id == org_id, db.Document.year == year, db.Document.kind == kind,
        db.Document.is_current.is_(True))).all()
    for doc_id, series in current:
        theirs = project_keys(session.scalar(select(db.Document.parsed).where(db.Document.id == doc_id)) or {})
        if not theirs:
            continue
        share = len(keys & theirs) / min(len(keys), len(theirs))
        if share >= 0.5 and (best is None or share > best[0]):
            best = (share, series)
    if best:
        return best[1]
    digest = hashlib.sha256("\x1f".join(sorted(keys)).encode("utf-8")).hexdigest()[:12]
    return f"{kind}:{digest}"


def project_keys(parsed: dict) -> set[str]:
    """The projects (or, for 整体 targets, the units) a parsed document's forms are about."""
    keys = set()
    for table in parsed.get("tables", []):
        for ts in table.get("target_sets", []):
            key = ts.get("project_code") or ts.get("project") or ts.get("unit_code") or ts.get("unit")
            if key:
                keys.add(re.sub(r"\s+", "", key))
        project = table.get("project")
        if isinstance(project, dict) and project.get("text"):
            keys.add(re.sub(r"\s+", "", project["text"]))
    return keys


def _title(doc: ParsedDocument) -> str | None:
    for p in doc.paragraphs[:5]:
        if p.text.strip():
            return p.text.strip()[:400]
    return doc.tables[0].title[:400] if doc.tables else None


def _parsed_json(doc: ParsedDocument, name: str) -> dict:
    from jixiao.render.document_json import document_json

    out = document_json(doc, name, [])
    out.pop("findings", None)
    return out


def _counts(findings: list[Finding]) -> dict[str, int]:
    counts = {"n_error": 0, "n_warning": 0, "n_info": 0}
    for f in findings:
        counts[f"n_{f.severity.value}"] += 1
    return counts


def fingerprint(f: Finding) -> str:
    key = "\x1f".join((f.code, str(f.location or ""), f.subject or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def finding_rows(document_id: int, findings: list[Finding], name: str) -> list[db.Finding]:
    return [
        db.Finding(document_id=document_id, code=f.code, severity=f.severity.value, message=f.message,
                   location=str(f.location) if f.location else name, subject=f.subject, expected=f.expected,
                   actual=f.actual, source_text=f.source_text, fingerprint=fingerprint(f), status="open")
        for f in findings
    ]


def _content(session: Session, row: db.Document, doc: ParsedDocument) -> list[tuple[db.TargetSet, list]]:
    """Store the tables, target sets, indicators, budget rows, sections and stated amounts: one
    multi-row INSERT per table of the database (ids come back in order), not a round trip per
    row. Returns the target sets (their ``id`` set) with their indicators."""
    pairs = content.content_rows(doc)
    stored: list[tuple[db.TargetSet, list]] = []
    if pairs:
        table_ids = _insert(session, db.DocTable, [t for t, _ in pairs], returning=True, document_id=row.id)
        sets, budget = [], []
        for table_id, (_, children) in zip(table_ids, pairs):
            for child in children:
                (sets if isinstance(child, db.TargetSet) else budget).append((table_id, child))
        if sets:
            set_ids = _insert(session, db.TargetSet, [c for _, c in sets], returning=True, document_id=row.id,
                              per_row=[{"table_id": t} for t, _ in sets])
            for set_id, (_, ts) in zip(set_ids, sets):
                ts.id = set_id
                stored.append((ts, ts.indicator_rows))
            indicators = [(ts.id, ind) for ts, inds in stored for ind in inds]
            _insert(session, db.Indicator, [i for _, i in indicators],
                    per_row=[{"target_set_id": s} for s, _ in indicators])
        if budget:
            _insert(session, db.BudgetRow, [b for _, b in budget], per_row=[{"table_id": t} for t, _ in budget])
    sections, amounts = content.narrative_rows(doc)
    _insert(session, db.Section, sections, document_id=row.id)
    _insert(session, db.StatedAmount, amounts, document_id=row.id)
    return stored


def _row_values(obj, columns, fixed: dict, extra: dict | None) -> dict:
    values = {}
    for column in columns:
        value = getattr(obj, column.key, None)
        if value is None and column.default is not None:
            value = column.default.arg(None) if column.default.is_callable else column.default.arg
        values[column.key] = value
    values.update(fixed)
    if extra:
        values.update(extra)
    return values


def _insert(session: Session, model, objects: list, *, returning: bool = False,
            per_row: list[dict] | None = None, **fixed) -> list[int]:
    """One INSERT of many rows built from transient ORM objects (their Python defaults applied)."""
    if not objects:
        return []
    columns = [c for c in model.__table__.columns if c.key != "id"]
    rows = [_row_values(o, columns, fixed, per_row[i] if per_row else None) for i, o in enumerate(objects)]
    table = model.__table__
    conn = session.connection()  # Core: batched multi-row VALUES, not the ORM's per-row path
    if returning:
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(conn.execute(stmt, rows).scalars())
    conn.execute(insert(table), rows)
    return []


def _fiscal_year(session: Session, year: int) -> None:
    """The year is registered with the first document of it (the year switcher lists these)."""
    if session.get(db.FiscalYear, year) is not None:
        return
    try:
        with session.begin_nested():
            session.add(db.FiscalYear(year=year, label=f"{year}年度"))
    except IntegrityError:
        pass  # registered meanwhile by another import


def _source_file(session: Session, ctx: Ctx, prepared: Prepared) -> None:
    if session.get(db.SourceFile, prepared.sha256) is not None:
        return
    try:
        with session.begin_nested():
            session.add(db.SourceFile(sha256=prepared.sha256, name=prepared.name, format=prepared.format or "",
                                      size=len(prepared.data), content=prepared.data,
                                      uploaded_by=ctx.actor.user_id))
    except IntegrityError:
        pass  # the same bytes stored meanwhile by another import: kept once


def _names(doc: ParsedDocument) -> tuple[str | None, str | None]:
    """The name and 单位编码 of the organisation the document is about."""
    name = doc.org
    code = None
    for o in doc.orgs:
        if o.name == name and o.code:
            code = o.code
    return name, code


def _match_org(session: Session, given: db.Org, doc: ParsedDocument, file: str) -> tuple[db.Org, list[Finding]]:
    name, code = _names(doc)
    where = Location(file=file)
    if doc.kind in (None, "template") or not name or name == given.name or (code and code == given.code):
        return given, []
    under = select(db.Org).where(db.Org.path.startswith(given.path, autoescape=True), db.Org.id != given.id)
    if code:
        by_code = session.scalar(under.where(db.Org.code == code))
        if by_code is not None:
            return by_code, []
    by_name = session.scalars(under.where(db.Org.name == name)).all()
    if len(by_name) == 1:
        return by_name[0], []
    if len(by_name) > 1:
        candidates = "、".join(o.code or str(o.id) for o in by_name)
        return given, [make("org-ambiguous", where, file=file, name=name, candidates=candidates, org=given.name)]
    elsewhere = session.scalar(select(db.Org).where(db.Org.name == name).limit(1))
    if given.level == "unit" or elsewhere is not None:
        return given, [make("org-differs", where, file=file, name=name, org=given.name)]
    if code and session.scalar(select(db.Org).where(db.Org.code == code)) is not None:
        code = None  # the code belongs to an organisation outside this one: not taken again
    created = orgs.add_org(session, name=name, level=orgs.CHILD_LEVEL[given.level], parent=given, code=code)
    return created, [make("org-created", where, file=file, name=name, parent=given.name)]


def _result(session: Session, row: db.Document, *, created: bool) -> dict:
    org = session.get(db.Org, row.org_id)
    return {"id": row.id, "kind": row.kind, "series": row.series, "version": row.version, "created": created,
            "year": row.year, "org": {"id": org.id, "code": org.code, "name": org.name}, "name": row.name,
            "findings": {"error": row.n_error, "warning": row.n_warning, "info": row.n_info}}

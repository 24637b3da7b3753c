"""Editing target sets and their indicators (绩效目标), with the rules run on every save.

* **Optimistic concurrency.** Every target set carries ``row_version`` (its ETag). Each edit
  names the version it was made against (``expected_version``); a save against an older one is
  refused with :class:`Conflict` (409) whose ``detail`` is the current target set, findings
  included, so that nothing is overwritten silently. Every successful edit bumps the version by
  one. The edit takes the document's row and then the target set's row for update (PostgreSQL
  ``SELECT … FOR UPDATE``; SQLite writers are serialised by ``BEGIN IMMEDIATE``), so two
  editors are ordered: the second sees the first's version and gets the conflict.
* **Printed text first.** An indicator's target is edited as printed (``target_text`` with the
  layout's ``op_text`` 指标值类型 and ``unit_text`` 度量单位 cells); ``op``, ``value``, ``unit``,
  ``kind``, ``note`` and ``date`` are re-parsed from them by :func:`jixiao.parse.values.parse_value`,
  exactly as the import does. A client may send the parsed fields back (a read, modify, write
  round trip): when the printed value changed they are replaced by what it parses to; when it did
  not, a parsed field that disagrees with it is refused (it cannot be changed on its own).
* **Rules on every save.** The target rules (profile ``targets``) run on the stored target set
  alone (``store.content.target_set_model`` + ``target_document``), before and after the edit.
  The set's stored findings are then brought up to date so that a finding's review status
  (已整改 / 不予采纳 and the reason) is kept: a stored finding the single-set review produced
  before the edit and still produces keeps its row — id, status, reason, who and when, its
  history in the audit log (``finding:ID``) and the comments on its location — and is updated in
  place (severity, message, subject, expected, actual, fingerprint); one it no longer produces is
  deleted; a new one is added, open. "Still produces" is decided in two passes:

  1. *Same fingerprint* (sha256 of code, location, subject; :func:`jixiao.services.imports.fingerprint`).
     Several findings of one fingerprint (``indicator-field-missing`` for 指标值类型 and for
     计量单位 share their row's subject) are paired by what they say — the message with the
     subject taken out, ``expected``, ``actual`` — then in order.
  2. *Same row, new subject.* An indicator finding's subject is ``<set>/<一级>/<二级>/<三级>``
     and the set's label is its project (单位, 专项) name, so renaming an indicator, its 一级 or
     二级, or the project / unit changes the fingerprint of every finding on the row (on the set).
     A stored finding left over from pass 1 and a new one of the **same code at the same
     location** are the same finding when they say the same apart from the subject (first), or
     else when they quote the same ``expected`` / ``actual`` and no other finding of that code
     and location left over on either side does. The location is the row's in the source file,
     or ``<file>:新增指标<id>`` for an indicator added by an edit, so it names the row whatever
     its name. Consequences: a rename that fixes a finding (a 三级 name holding two indicators,
     a doubled word, a name too long) removes it, since the rules no longer produce it; a
     rename that fixes one doubled word and brings another (``actual`` 培训培训 → 会议会议) is a
     new, open finding; a name still too long after a rename (message: another length, same
     ``expected``/``actual``) keeps its status. A rename and a new value in one save that
     change a finding's ``actual`` (``vague-target`` 提升 → 有效) make it a new finding.

  Stored findings the single-set review cannot see — the parser's notes about the file,
  comparisons across tables (project sums against the unit, budget tables, narrative sections) —
  are kept as imported, subject included: a single set cannot confirm or refute them. The
  document's counts (``n_error`` …) are recounted, and its parse JSON (``Document.parsed``) gets
  the edited set.
* **No carry-over between versions.** A corrected file imported as a new version of the
  document (:mod:`jixiao.services.imports`) gets its own findings, all open; the older version
  keeps its findings and their statuses. Nothing is matched across versions (by fingerprint or
  otherwise), so a row renamed in the new file raises no question of matching either.
* **Which findings are a set's.** Findings are stored per document; ``Finding.target_set_id``
  (migration 0002) says which target set one is about. The import fills it by location
  (:mod:`jixiao.services.target_findings`); findings an edit creates get the edited set's id;
  an unattributed stored finding with the fingerprint of one of the set's review findings is
  adopted by the set (no duplicate).
* **Only drafts.** Editing needs the permission ``document.edit``, the current version of the
  document and a state in which it is editable (草稿 / 已退回, ``workflow.editable``); otherwise
  409. Every edit is written to the audit log (object ``target_set:ID``) with before and after.
* An indicator added by an edit has no place in the source file: its location is
  ``<file>:新增指标<id>``, which keeps its findings' fingerprints stable across later edits.
"""

from __future__ import annotations

from collections import Counter
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation

from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jixiao.findings import Finding
from jixiao.model.money import Unit
from jixiao.model.targets import AMOUNT_FIELDS
from jixiao.services import audit
from jixiao.services import policy
from jixiao.services import workflow
from jixiao.services.context import Ctx
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.services.imports import fingerprint
from jixiao.store import content
from jixiao.store import schema as db
from jixiao.store.base import utcnow

STATUS_LABELS = {"open": "待处理", "fixed": "已整改", "rejected": "不予采纳"}

SET_TEXT_FIELDS = ("unit_code", "unit", "project", "project_code", "goal", "period_goal", "functions", "category",
                   "period", "parent_fund")
SET_FIELDS = (*SET_TEXT_FIELDS, "amounts", "amounts_unit")
# read-only in a target set's JSON: accepted back when unchanged
SET_READ_ONLY = ("id", "document_id", "table_id", "position", "row_version", "etag", "location", "indicators",
                 "findings", "updated_at", "table", "document", "superior", "period_total", "editable")

INDICATOR_TEXT_FIELDS = ("level1", "level2", "name", "target_text", "op_text", "unit_text", "explanation",
                         "scoring", "standard", "remark")
INDICATOR_FIELDS = (*INDICATOR_TEXT_FIELDS, "weight")
PARSED_FIELDS = ("op", "value", "unit", "kind", "note", "date")  # re-parsed from the printed text
INDICATOR_READ_ONLY = ("id", "position", "location", "target_set_id")

FIELD_LABELS = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target_text": "指标值",
                "op_text": "指标值类型", "unit_text": "度量单位", "explanation": "指标值说明", "scoring": "评（扣）分标准",
                "standard": "绩效标准", "remark": "备注", "weight": "分值（权重）", "op": "比较符", "value": "指标数值",
                "unit": "计量单位", "kind": "指标值种类", "note": "指标值附注", "date": "期限"}


# ---- JSON ---------------------------------------------------------------------------------------

def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def indicator_json(row: db.Indicator) -> dict:
    return {"id": row.id, "position": row.position, "level1": row.level1, "level2": row.level2, "name": row.name,
            "target_text": row.target_text, "op_text": row.op_text, "unit_text": row.unit_text, "op": row.op,
            "value": _dec(row.value), "unit": row.unit, "kind": row.kind, "note": row.note, "date": row.date,
            "explanation": row.explanation, "scoring": row.scoring, "weight": _dec(row.weight),
            "standard": row.standard, "remark": row.remark, "location": row.location}


def finding_json(f: db.Finding) -> dict:
    return {"id": f.id, "document_id": f.document_id, "target_set_id": f.target_set_id, "code": f.code,
            "severity": f.severity, "message": f.message, "location": f.location, "subject": f.subject,
            "expected": f.expected, "actual": f.actual, "status": f.status,
            "status_label": STATUS_LABELS.get(f.status, f.status), "reason": f.reason, "status_by": f.status_by,
            "status_at": f.status_at.isoformat() if f.status_at else None}


def _finding_order(f: db.Finding) -> tuple:
    rank = {"error": 0, "warning": 1, "info": 2}.get(f.severity, 3)
    return (content.parse_location(f.location).sort_key(), rank, f.code, f.subject or "", f.id or 0)


def _set_json(session: Session, ts: db.TargetSet, doc: db.Document, table: db.DocTable,
              indicators: list[db.Indicator] | None = None, findings: list[db.Finding] | None = None) -> dict:
    """The set's JSON; ``indicators`` (in order) and ``findings`` when already read."""
    if indicators is None:
        indicators = _indicators(session, ts)
    if findings is None:
        findings = session.scalars(select(db.Finding).where(db.Finding.target_set_id == ts.id)).all()
    extra = ts.extra or {}
    return {
        "id": ts.id, "document_id": ts.document_id, "table_id": ts.table_id, "position": ts.position,
        "row_version": ts.row_version, "etag": f'"{ts.row_version}"',
        **{k: getattr(ts, k) for k in SET_TEXT_FIELDS},
        "amounts": dict(ts.amounts or {}), "amounts_unit": ts.amounts_unit,
        "superior": extra.get("superior"), "period_total": extra.get("period_total"),
        "location": ts.location, "updated_at": ts.updated_at.isoformat() if ts.updated_at else None,
        "table": {"id": table.id, "kind": table.kind, "title": table.title},
        "document": {"id": doc.id, "name": doc.name, "kind": doc.kind, "version": doc.version, "state": doc.state,
                     "state_label": workflow.state_label(doc.state), "is_current": doc.is_current},
        "editable": _is_editable(doc),
        "indicators": [indicator_json(i) for i in indicators],
        "findings": [finding_json(f) for f in sorted(findings, key=_finding_order)],
    }


# ---- loading and checks -------------------------------------------------------------------------

def _indicators(session: Session, ts: db.TargetSet) -> list[db.Indicator]:
    return list(session.scalars(select(db.Indicator).where(db.Indicator.target_set_id == ts.id)
                                .order_by(db.Indicator.position, db.Indicator.id)))


def _load(session: Session, ctx: Ctx, ts_id: int, *, lock: bool = False):
    """(target set, document, table) in the actor's scope, else 404. ``lock``: the document's row
    and then the target set's row are taken for update (one order everywhere: no deadlock)."""
    try:
        ts_id = int(ts_id)
    except (TypeError, ValueError):
        raise not_found("绩效目标", ts_id) from None
    doc_id = session.scalar(select(db.TargetSet.document_id).where(db.TargetSet.id == ts_id))
    if doc_id is None:
        raise not_found("绩效目标", ts_id)
    stmt = select(db.Document).where(db.Document.id == doc_id)
    doc = session.scalars(stmt.with_for_update() if lock else stmt).one()
    org = session.get(db.Org, doc.org_id)
    if org is None or not policy.sees(ctx.actor, org.path):
        raise not_found("绩效目标", ts_id)
    stmt = select(db.TargetSet).where(db.TargetSet.id == ts_id).execution_options(populate_existing=True)
    ts = session.scalars(stmt.with_for_update() if lock else stmt).one()
    table = session.get(db.DocTable, ts.table_id)
    return ts, doc, table


def _is_editable(doc: db.Document) -> bool:
    return bool(doc.is_current) and workflow.editable(doc.state)


def _check_editable(doc: db.Document) -> None:
    if not doc.is_current:
        raise Conflict(f"文档“{doc.name}”第 {doc.version} 版已有更新版本，旧版本不能修改，请修改当前版本",
                       code="not_current", detail={"document_id": doc.id, "version": doc.version})
    if not workflow.editable(doc.state):
        label = workflow.state_label(doc.state)
        raise Conflict(f"已提交的文档不能修改（当前状态：{label}；只有草稿或已退回的文档可以修改）",
                       code="not_editable", detail={"document_id": doc.id, "state": doc.state, "state_label": label})


# ---- reading ------------------------------------------------------------------------------------

def get_target_set(ctx: Ctx, id: int) -> dict:
    """A target set with its indicators (in order), its findings and its version (``row_version``,
    ``etag``)."""
    with ctx.db.session(write=False) as session:
        ts, doc, table = _load(session, ctx, id)
        policy.require(ctx.actor, "document.read")
        return _set_json(session, ts, doc, table)


def get_target_sets(ctx: Ctx, ids: list[int]) -> list[dict]:
    """Several target sets, each as :func:`get_target_set` gives it, in the order of ``ids``, read
    in six queries whatever their number (the 审核 page draws every set of a document); 404 when
    one is unknown or outside the actor's scope."""
    try:
        ids = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise not_found("绩效目标", ids) from None
    if not ids:
        return []
    with ctx.db.session(write=False) as session:
        sets = {ts.id: ts for ts in session.scalars(select(db.TargetSet).where(db.TargetSet.id.in_(ids)))}
        docs = {d.id: d for d in session.scalars(
            select(db.Document).where(db.Document.id.in_({ts.document_id for ts in sets.values()})))}
        orgs = {o.id: o for o in session.scalars(select(db.Org).where(db.Org.id.in_({d.org_id for d in docs.values()})))}
        for ts_id in ids:
            ts = sets.get(ts_id)
            org = orgs.get(docs[ts.document_id].org_id) if ts is not None else None
            if org is None or not policy.sees(ctx.actor, org.path):
                raise not_found("绩效目标", ts_id)
        policy.require(ctx.actor, "document.read")
        tables = {t.id: t for t in session.scalars(
            select(db.DocTable).where(db.DocTable.id.in_({ts.table_id for ts in sets.values()})))}
        indicators: dict[int, list[db.Indicator]] = defaultdict(list)
        for row in session.scalars(select(db.Indicator).where(db.Indicator.target_set_id.in_(ids))
                                   .order_by(db.Indicator.position, db.Indicator.id)):
            indicators[row.target_set_id].append(row)
        findings: dict[int, list[db.Finding]] = defaultdict(list)
        for row in session.scalars(select(db.Finding).where(db.Finding.target_set_id.in_(ids))):
            findings[row.target_set_id].append(row)
        return [_set_json(session, sets[i], docs[sets[i].document_id], tables[sets[i].table_id], indicators[i],
                          findings[i]) for i in ids]


# ---- the review of one target set ---------------------------------------------------------------

def review(ts: db.TargetSet, indicators: list[db.Indicator], doc: db.Document, table: db.DocTable) -> list[Finding]:
    """The target rules on the stored set alone."""
    from jixiao.rules import Context
    from jixiao.rules import run

    model = content.target_set_model(ts, indicators)
    document = content.target_document(table, model, source=doc.name, year=table.year or doc.year, org=table.org)
    return run(document, Context(profile="targets"))


def _gist(message: str | None, subject: str | None, expected: str | None, actual: str | None) -> tuple:
    """What a finding says apart from naming its row: the message with the subject taken out,
    ``expected`` and ``actual`` (every target message starts with ``{subject}：``)."""
    text = message or ""
    if subject:
        text = text.replace(subject, "\x1f")
    return (text, expected, actual)


def _row_gist(row: db.Finding) -> tuple:
    return _gist(row.message, row.subject, row.expected, row.actual)


def _new_gist(item: tuple[str, Finding]) -> tuple:
    f = item[1]
    return _gist(f.message, f.subject, f.expected, f.actual)


def _pair(rows: list[db.Finding], items: list[tuple[str, Finding]], row_key: Callable, item_key: Callable, *,
          unique: bool = False) -> tuple[list[tuple[db.Finding, tuple[str, Finding]]], list, list]:
    """Stored rows paired one to one with fresh ``(fingerprint, finding)`` items of equal key, in
    order; ``unique``: only a key that exactly one row and one item have. Returns (pairs, rows
    left, items left)."""
    waiting: dict[object, list[int]] = defaultdict(list)
    for n, item in enumerate(items):
        waiting[item_key(item)].append(n)
    row_keys = [row_key(row) for row in rows]
    rows_per_key = Counter(row_keys)
    pairs, rows_left, taken = [], [], set()
    for row, key in zip(rows, row_keys, strict=True):
        free = waiting.get(key)
        if free and (not unique or (len(free) == 1 and rows_per_key[key] == 1)):
            n = free.pop(0)
            taken.add(n)
            pairs.append((row, items[n]))
        else:
            rows_left.append(row)
    return pairs, rows_left, [item for n, item in enumerate(items) if n not in taken]


def _store_findings(session: Session, ts: db.TargetSet, doc: db.Document, before: list[Finding],
                    after: list[Finding]) -> None:
    """Bring the set's stored findings up to date (see the module notes): statuses kept by
    fingerprint, and across a change of the row's subject (a renamed indicator, 一级/二级, project
    or unit) by code and location."""
    managed = {fingerprint(f) for f in before}
    fresh = [(fingerprint(f), f) for f in after]
    known = managed | {fp for fp, _ in fresh}
    stored = session.scalars(
        select(db.Finding).where(db.Finding.document_id == doc.id, or_(
            db.Finding.target_set_id == ts.id,
            db.Finding.target_set_id.is_(None) & db.Finding.fingerprint.in_(known) if known else false(),
        )).order_by(db.Finding.id)).all()

    # 1. the same fingerprint: what the finding says decides between several, then their order
    rows_by: dict[str, list[db.Finding]] = defaultdict(list)
    for row in stored:
        rows_by[row.fingerprint].append(row)
    fresh_by: dict[str, list[tuple[str, Finding]]] = defaultdict(list)
    for item in fresh:
        fresh_by[item[0]].append(item)
    pairs, gone, new = [], [], []
    for fp in dict.fromkeys([*fresh_by, *rows_by]):
        same, rows_left, items_left = _pair(rows_by.get(fp, []), fresh_by.get(fp, []), _row_gist, _new_gist)
        more, rows_left, items_left = _pair(rows_left, items_left, lambda _: 0, lambda _: 0)
        pairs += same + more
        gone += [row for row in rows_left if row.fingerprint in managed and row.target_set_id == ts.id]
        new += items_left

    # 2. the row's subject changed: one finding of the same code at the same location, gone and
    #    come back under the new subject, saying the same (message apart from the subject,
    #    expected, actual), else quoting the same (expected, actual) when no other one does
    def place_of_row(row: db.Finding) -> tuple:
        return (row.code, row.location)

    def place_of_new(item: tuple[str, Finding]) -> tuple:
        f = item[1]
        return (f.code, str(f.location) if f.location else doc.name)

    gone_at: dict[tuple, list[db.Finding]] = defaultdict(list)
    for row in gone:
        gone_at[place_of_row(row)].append(row)
    new_at: dict[tuple, list[tuple[str, Finding]]] = defaultdict(list)
    for item in new:
        new_at[place_of_new(item)].append(item)
    gone, new = [], []
    for place in dict.fromkeys([*new_at, *gone_at]):
        same, rows_left, items_left = _pair(gone_at.get(place, []), new_at.get(place, []), _row_gist, _new_gist)
        quoted, rows_left, items_left = _pair(rows_left, items_left, lambda r: (r.expected, r.actual),
                                              lambda i: (i[1].expected, i[1].actual), unique=True)
        pairs += same + quoted
        gone += rows_left
        new += items_left

    for row, (fp, f) in pairs:
        row.target_set_id, row.fingerprint = ts.id, fp
        row.severity, row.message, row.subject = f.severity.value, f.message, f.subject
        row.expected, row.actual, row.source_text = f.expected, f.actual, f.source_text
    for row in gone:
        session.delete(row)
    for fp, f in new:
        session.add(db.Finding(
            document_id=doc.id, target_set_id=ts.id, code=f.code, severity=f.severity.value, message=f.message,
            location=str(f.location) if f.location else doc.name, subject=f.subject, expected=f.expected,
            actual=f.actual, source_text=f.source_text, fingerprint=fp, status="open"))
    session.flush()
    counts = dict(session.execute(select(db.Finding.severity, func.count()).where(db.Finding.document_id == doc.id)
                                  .group_by(db.Finding.severity)).all())
    doc.n_error, doc.n_warning, doc.n_info = (counts.get(s, 0) for s in ("error", "warning", "info"))


def _update_parsed(session: Session, ts: db.TargetSet, indicators: list[db.Indicator], doc: db.Document,
                   table: db.DocTable) -> None:
    """Put the edited set into the document's parse JSON (what ``get_document`` shows)."""
    from jixiao.render.document_json import target_set_json

    parsed = doc.parsed or {}
    tables = list(parsed.get("tables") or [])
    if table.position >= len(tables):
        return
    shown = dict(tables[table.position])
    sets = list(shown.get("target_sets") or [])
    if ts.position >= len(sets):
        return
    sets[ts.position] = target_set_json(content.target_set_model(ts, indicators))
    shown["target_sets"] = sets
    tables[table.position] = shown
    doc.parsed = {**parsed, "tables": tables}


# ---- the edit transaction -----------------------------------------------------------------------

Change = Callable[[Session, db.TargetSet, db.Document, list[db.Indicator]], tuple[dict, dict]]


def _edit(ctx: Ctx, ts_id: int, expected_version: int | None, action: str, change: Change,
          comment: str | None = None) -> dict:
    """One edit in one transaction: load and lock, check scope, permission, state and version,
    apply ``change`` (which returns the audit's before/after), review, store, audit."""
    if expected_version is None or isinstance(expected_version, bool):
        raise Invalid("缺少版本号：请先读取绩效目标，并在保存时提供其版本号（row_version 或 If-Match）",
                      code="version_required")
    try:
        expected = int(str(expected_version).strip().strip('"').removeprefix("W/").strip('"'))
    except ValueError:
        raise Invalid(f"版本号无效：{expected_version}", code="version_required") from None
    try:
        with ctx.db.session() as session:
            ts, doc, table = _load(session, ctx, ts_id, lock=True)
            policy.require(ctx.actor, "document.edit")
            _check_editable(doc)
            if ts.row_version != expected:
                raise _conflict(ts.row_version, expected, _set_json(session, ts, doc, table))
            indicators = _indicators(session, ts)
            before_findings = review(ts, indicators, doc, table)
            old_version = ts.row_version
            before, after = change(session, ts, doc, indicators)
            ts.updated_at = utcnow()  # the version column moves on (SQLAlchemy version_id_col)
            session.flush()
            indicators = _indicators(session, ts)
            _store_findings(session, ts, doc, before_findings, review(ts, indicators, doc, table))
            _update_parsed(session, ts, indicators, doc, table)
            doc.updated_at = utcnow()
            session.flush()
            result = _set_json(session, ts, doc, table)
            audit.record(session, ctx.actor, action, "target_set", ts.id, org_id=doc.org_id,
                         before={**before, "row_version": old_version},
                         after={**after, "row_version": ts.row_version,
                                "findings": {"error": doc.n_error, "warning": doc.n_warning, "info": doc.n_info}},
                         comment=comment)
            return result
    except StaleDataError:
        # a concurrent save got there first (only reachable without row locks): the current state
        current = get_target_set(ctx, ts_id)
        if current["row_version"] == expected:  # the document's row moved, not the set's
            raise Conflict("同一文档正在被他人同时保存，请重试", code="conflict", detail=current) from None
        raise _conflict(current["row_version"], expected, current) from None


def _conflict(current: int, expected: int, state: dict) -> Conflict:
    return Conflict(f"绩效目标已被他人修改（当前版本 {current}，您修改的是版本 {expected}），请刷新后在最新内容上重新修改",
                    code="conflict", detail=state)


# ---- values from the client ---------------------------------------------------------------------

def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _decimal(value: object, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Invalid(f"{label}应为数字：{value}")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise Invalid(f"{label}应为数字：{value}") from None
    if not number.is_finite():
        raise Invalid(f"{label}应为数字：{value}")
    return number


def _unknown(data: Mapping, allowed: tuple[str, ...], what: str) -> None:
    extra = [k for k in data if k not in allowed]
    if extra:
        raise Invalid(f"{what}没有这些字段：{', '.join(map(str, extra))}", code="unknown_field",
                      detail={"fields": extra})


def _apply_indicator(row: db.Indicator, data: Mapping) -> None:
    """Set the printed fields given in ``data`` and re-parse the target value."""
    from jixiao.parse.values import parse_value

    _unknown(data, (*INDICATOR_FIELDS, *PARSED_FIELDS, *INDICATOR_READ_ONLY), "指标")
    printed = (row.target_text, row.op_text, row.unit_text)
    for key in INDICATOR_TEXT_FIELDS:
        if key in data:
            setattr(row, key, _text(data[key]) or ("" if key in ("target_text", "name") else None))
    if "weight" in data:
        row.weight = _decimal(data["weight"], FIELD_LABELS["weight"])
    if not row.name:
        raise Invalid("三级指标名称不能为空", code="invalid_indicator")
    target = parse_value(row.target_text or "", op_text=row.op_text, unit_text=row.unit_text)
    row.target_text, row.kind, row.op, row.value, row.unit = (target.text, target.kind.value, target.op,
                                                              target.value, target.unit)
    row.note, row.date, row.op_text, row.unit_text = target.note, target.date, target.op_text, target.unit_text
    if (row.target_text, row.op_text, row.unit_text) != printed:
        return  # the printed value changed: what it parses to replaces the parsed fields sent along
    for key in PARSED_FIELDS:
        if key in data and not _same(key, data[key], getattr(row, key)):
            raise Invalid(f"{FIELD_LABELS[key]}由指标值文本解析得出（“{row.target_text}”→ {getattr(row, key)}），"
                          f"不能单独修改；请修改指标值（target_text）、指标值类型或度量单位",
                          code="derived_field", detail={"field": key, "parsed": _dec(row.value) if key == "value"
                                                        else getattr(row, key)})


def _same(key: str, given: object, parsed: object) -> bool:
    if key == "value":
        try:
            return _decimal(given, "") == parsed
        except Invalid:
            return False
    return _text(given) == _text(parsed)


def _renumber(indicators: list[db.Indicator]) -> None:
    for n, ind in enumerate(indicators):
        if ind.position != n:
            ind.position = n


def _locate_new(row: db.Indicator, doc: db.Document) -> None:
    row.location = f"{doc.name}:新增指标{row.id}"


def _find(indicators: list[db.Indicator], ind_id: object) -> db.Indicator:
    for ind in indicators:
        if str(ind.id) == str(ind_id):
            return ind
    raise not_found("指标", ind_id)


def _set_fields(ts: db.TargetSet) -> dict:
    return {**{k: getattr(ts, k) for k in SET_TEXT_FIELDS}, "amounts": dict(ts.amounts or {}),
            "amounts_unit": ts.amounts_unit}


# ---- the edits ----------------------------------------------------------------------------------

def _reprint(ts: db.TargetSet, amounts: Mapping[str, str | None]) -> None:
    """The amount cells as printed (``extra["texts"]``, which the rules read) now print the edited
    amounts; a cleared amount is no longer printed. Other header cells keep only their place."""
    extra = dict(ts.extra or {})
    texts = []
    for name, text, where in extra.get("texts", []):
        if name in amounts:
            if amounts[name] is None:
                continue
            text = amounts[name]
        texts.append([name, text, where])
    if "texts" in extra:
        extra["texts"] = texts
        ts.extra = extra


def update_target_set(ctx: Ctx, id: int, changes: Mapping, *, expected_version: int | None) -> dict:
    """Change a target set's own fields (names, goals, 资金 amounts as Decimal text, their unit)."""
    changes = dict(changes)
    changes.pop("row_version", None)

    def change(session, ts, doc, indicators):
        _unknown(changes, (*SET_FIELDS, *SET_READ_ONLY), "绩效目标")
        old = _set_fields(ts)
        for key in SET_TEXT_FIELDS:
            if key in changes:
                setattr(ts, key, _text(changes[key]))
        if "amounts" in changes:
            given = changes["amounts"] or {}
            if not isinstance(given, Mapping):
                raise Invalid("amounts 应为 {字段: 金额}")
            _unknown(given, AMOUNT_FIELDS, "资金")
            amounts = dict(ts.amounts or {})
            for key, value in given.items():
                amounts[key] = _dec(_decimal(value, f"资金（{key}）"))
            ts.amounts = amounts
            _reprint(ts, {k: amounts[k] for k in given})
        if "amounts_unit" in changes:
            unit = _text(changes["amounts_unit"]) or Unit.WANYUAN.value
            if unit not in {u.value for u in Unit}:
                raise Invalid(f"金额单位应为 元 或 万元：{unit}")
            ts.amounts_unit = unit
        new = _set_fields(ts)
        before = {k: v for k, v in old.items() if new[k] != v}
        after = {k: new[k] for k in before}
        return before, after

    return _edit(ctx, id, expected_version, "target_set.update", change)


def add_indicator(ctx: Ctx, ts_id: int, data: Mapping, *, expected_version: int | None) -> dict:
    """Add an indicator (at ``data["position"]``, else at the end); returns the target set."""
    data = dict(data)
    position = data.pop("position", None)

    def change(session, ts, doc, indicators):
        row = db.Indicator(target_set_id=ts.id, position=len(indicators), name="", target_text="", kind="empty",
                           location="")
        _apply_indicator(row, {k: v for k, v in data.items() if k not in INDICATOR_READ_ONLY})
        session.add(row)
        session.flush()
        _locate_new(row, doc)
        at = len(indicators) if position is None else _position(position, len(indicators))
        indicators.insert(at, row)
        _renumber(indicators)
        return {}, {"indicator": indicator_json(row)}

    return _edit(ctx, ts_id, expected_version, "indicator.add", change)


def _position(value: object, size: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise Invalid(f"位置应为整数：{value}") from None
    return max(0, min(n, size))


def update_indicator(ctx: Ctx, ts_id: int, ind_id: int, data: Mapping, *, expected_version: int | None) -> dict:
    """Change an indicator's printed fields; its target value is re-parsed."""
    data = dict(data)

    def change(session, ts, doc, indicators):
        row = _find(indicators, ind_id)
        if "position" in data and str(data["position"]) != str(row.position):
            raise Invalid("调整指标顺序请用排序（reorder_indicators）", code="use_reorder")
        old = indicator_json(row)
        _apply_indicator(row, data)
        new = indicator_json(row)
        changed = [k for k in new if new[k] != old[k]]
        return ({"indicator_id": row.id, **{k: old[k] for k in changed}},
                {"indicator_id": row.id, **{k: new[k] for k in changed}})

    return _edit(ctx, ts_id, expected_version, "indicator.update", change)


def delete_indicator(ctx: Ctx, ts_id: int, ind_id: int, *, expected_version: int | None) -> dict:
    def change(session, ts, doc, indicators):
        row = _find(indicators, ind_id)
        old = indicator_json(row)
        indicators.remove(row)
        session.delete(row)
        _renumber(indicators)
        return {"indicator": old}, {}

    return _edit(ctx, ts_id, expected_version, "indicator.delete", change)


def reorder_indicators(ctx: Ctx, ts_id: int, order: list[int], *, expected_version: int | None) -> dict:
    """Put the indicators in ``order`` (every indicator id of the set, each once)."""
    order = list(order or [])

    def change(session, ts, doc, indicators):
        ids = [i.id for i in indicators]
        try:
            wanted = [int(i) for i in order]
        except (TypeError, ValueError):
            raise Invalid("排序应为指标编号的列表") from None
        if sorted(wanted) != sorted(ids):
            raise Invalid("排序须恰好列出本目标的全部指标各一次", code="invalid_order",
                          detail={"indicators": ids, "given": wanted})
        by_id = {i.id: i for i in indicators}
        _renumber([by_id[i] for i in wanted])
        return {"order": ids}, {"order": wanted}

    return _edit(ctx, ts_id, expected_version, "indicator.reorder", change)



def move_indicator(ctx: Ctx, ts_id: int, ind_id: int, step: int, *, expected_version: int | None) -> dict:
    """Move one indicator ``step`` places up (negative) or down; at either end it stays."""
    order = [i["id"] for i in get_target_set(ctx, ts_id)["indicators"]]
    if ind_id in order:
        at = order.index(ind_id)
        to = at + step
        if 0 <= to < len(order):
            order[at], order[to] = order[to], order[at]
    return reorder_indicators(ctx, ts_id, order, expected_version=expected_version)

def replace_indicators(ctx: Ctx, ts_id: int, items: list[Mapping], *, expected_version: int | None) -> dict:
    """Save the whole indicator list at once (a table editor's save): items with an ``id`` update
    that indicator, items without one are added, indicators not listed are deleted; the list's
    order is the new order."""
    items = [dict(i) for i in items or []]

    def change(session, ts, doc, indicators):
        before = {"indicators": [indicator_json(i) for i in indicators]}
        by_id = {i.id: i for i in indicators}
        seen: set[int] = set()
        ordered, added = [], []
        for item in items:
            ident = item.get("id")
            if ident is not None:
                row = by_id.get(int(ident)) if str(ident).isdigit() else None
                if row is None or row.id in seen:
                    raise not_found("指标", ident)
                seen.add(row.id)
                _apply_indicator(row, {k: v for k, v in item.items() if k != "position"})
            else:
                row = db.Indicator(target_set_id=ts.id, position=len(indicators) + len(added), name="",
                                   target_text="", kind="empty", location="")
                _apply_indicator(row, {k: v for k, v in item.items() if k not in INDICATOR_READ_ONLY})
                session.add(row)
                added.append(row)
            ordered.append(row)
        session.flush()
        for row in added:
            _locate_new(row, doc)
        removed = [i for i in indicators if i.id not in seen]
        for row in removed:
            session.delete(row)
        _renumber(ordered)
        return before, {"indicators": [indicator_json(i) for i in ordered]}

    return _edit(ctx, ts_id, expected_version, "indicators.replace", change)

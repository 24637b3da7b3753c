"""Official documents out of the stored data: one function per kind, each returning
``(file name, media type, bytes)`` in the format asked for (``xlsx``, ``docx`` or ``pdf``).

* :func:`target_table` — the 绩效目标表 of a document (all its target tables) or of one target set;
* :func:`selfeval_table` — the 自评表 of a target set's self-evaluation, or of a document's;
* :func:`selfeval_report` — the 部门整体支出绩效自评报告 of a document;
* :func:`disclosure_package` — the 预算公开 package of a document's budget tables;
* :func:`review_opinion` — the 审核意见书 of one document or several;

Each gathers what is stored through the store (``store.content`` turns rows back into the model),
checks that the actor may read it (``documents.load``: 404 outside the actor's scope, 403 without
``document.read``; reading a document is enough to export it), calls the ``write/`` builder of the
kind and ``write.formats.write``. Exports change nothing, so, like the list exports, they write no
audit entry. An unknown format, or a kind that does not apply to the document (a 预算公开 package
of a document without budget tables), is refused with ``Invalid`` (422) and a Chinese message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.services import documents
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.store import content
from jixiao.store import schema as db

FORMATS = ("xlsx", "docx", "pdf")
TARGET_KINDS = ("department_targets", "project_targets", "special_fund_targets")
MAX_DOCUMENTS = 200  # one 审核意见书 of at most this many documents


def check_format(fmt: str | None) -> str:
    """``fmt`` if it is one this module writes, else Invalid (422) naming the choices."""
    fmt = (fmt or "").strip().lower().lstrip(".")
    if fmt not in FORMATS:
        raise Invalid(f"不支持的导出格式：{fmt or '（空）'}（可选：{'、'.join(FORMATS)}）", code="invalid_format")
    return fmt


def safe_name(text: str) -> str:
    """A file name without characters a file system or a browser refuses."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "导出"


def written(doc, fmt: str, stem: str) -> tuple[str, str, bytes]:
    from jixiao.services.errors import Unavailable
    from jixiao.write import formats
    from jixiao.write.pdf import PdfError

    try:
        data = formats.write(doc, fmt)
    except PdfError as exc:  # LibreOffice missing or failing: the server's problem, said in Chinese
        raise Unavailable(f"无法生成 PDF：{exc}", code="pdf_failed") from None
    return f"{safe_name(stem)}{formats.SUFFIXES[fmt]}", formats.MEDIA_TYPES[fmt], data


# ---- 绩效目标表 ---------------------------------------------------------------------------------

def _target_tables(session: Session, doc: db.Document, target_set_id: int | None, *, summaries: bool = False):
    """The document's stored target tables as the model (``TargetTable``), in their order; with
    ``target_set_id`` only that set, in its table; ``summaries``: with the document's
    专项资金绩效目标汇总表 (a ``special_fund_summary`` budget table) in its place among them."""
    from jixiao.model.targets import TargetTable

    stmt = (select(db.DocTable, db.TargetSet).join(db.TargetSet, db.TargetSet.table_id == db.DocTable.id)
            .where(db.DocTable.document_id == doc.id).order_by(db.DocTable.position, db.TargetSet.position))
    if target_set_id is not None:
        stmt = stmt.where(db.TargetSet.id == target_set_id)
    rows = session.execute(stmt).all()
    indicators: dict[int, list[db.Indicator]] = {ts.id: [] for _t, ts in rows}
    if indicators:
        for ind in session.scalars(select(db.Indicator).where(db.Indicator.target_set_id.in_(list(indicators)))
                                   .order_by(db.Indicator.target_set_id, db.Indicator.position)):
            indicators[ind.target_set_id].append(ind)
    tables: dict[int, tuple[db.DocTable, list]] = {}
    for table, ts in rows:
        tables.setdefault(table.id, (table, []))[1].append(content.target_set_model(ts, indicators[ts.id]))
    out = [(t.position, TargetTable(kind=t.kind, title=t.title, location=content.parse_location(t.location),
                                    year=t.year or doc.year, org=t.org, layout=t.layout, target_sets=tuple(sets)))
           for t, sets in tables.values()]
    if summaries:
        found = session.scalars(select(db.DocTable).where(db.DocTable.document_id == doc.id,
                                                          db.DocTable.kind.in_(SUMMARY_KINDS))).all()
        budget_rows: dict[int, list[db.BudgetRow]] = {t.id: [] for t in found}
        if budget_rows:
            for r in session.scalars(select(db.BudgetRow).where(db.BudgetRow.table_id.in_(list(budget_rows)))):
                budget_rows[r.table_id].append(r)
        out += [(t.position, content.budget_table_model(t, budget_rows[t.id])) for t in found]
    return [t for _position, t in sorted(out, key=lambda pt: pt[0])]


SUMMARY_KINDS = ("special_fund_summary",)


def _document_of(session, ctx: Ctx, document_id, target_set_id):
    """The document (and its organisation) asked for, or the one holding ``target_set_id`` when given."""
    if target_set_id is not None:
        ts = session.get(db.TargetSet, _int(target_set_id, "绩效目标"))
        if ts is None:
            from jixiao.services.errors import not_found

            raise not_found("绩效目标", target_set_id)
        document_id = ts.document_id
    return documents.load(session, ctx, document_id)


def target_table(ctx: Ctx, document_id, fmt: str, *, target_set_id: int | None = None) -> tuple[str, str, bytes]:
    """The 绩效目标表 of a stored document (every target table it holds, in the layout of its kind),
    or of one of its target sets (``target_set_id``), as ``fmt``."""
    fmt = check_format(fmt)
    with ctx.db.session(write=False) as session:
        doc, org = _document_of(session, ctx, document_id, target_set_id)
        # a whole document: the 专项资金绩效目标汇总表 goes with its 支出方向 forms
        tables = _target_tables(session, doc, None if target_set_id is None else int(target_set_id),
                                summaries=target_set_id is None)
    if not tables:
        raise Invalid(f"文档“{doc.name}”中没有绩效目标表，无法导出绩效目标表", code="not_applicable")
    out = build_target_tables(tables)
    label = tables[0].target_sets[0].project if target_set_id is not None else None
    stem = f"{doc.year or ''}{label or org.name}_{out.title or '绩效目标表'}"
    return written(out, fmt, stem)


def build_target_tables(tables):
    """Every target table built in the layout ``write.targets.target_layout`` picks for it (its kind,
    the printed style it was read in, the variant that leaves nothing unprinted), and a
    专项资金绩效目标汇总表 (a ``special_fund_summary`` budget table) in its own, as one document
    (their parts in order)."""
    from jixiao.model.budget import BudgetTable
    from jixiao.write.layout import OutputDocument
    from jixiao.write.layouts import LayoutError
    from jixiao.write.layouts import load_layout
    from jixiao.write.targets import build_special_fund_summary
    from jixiao.write.targets import build_target_table
    from jixiao.write.targets import target_layout

    built = []
    try:
        for t in tables:
            if isinstance(t, BudgetTable):
                built.append(build_special_fund_summary(t, load_layout(t.kind)))
            else:
                built.append(build_target_table(t, target_layout(t)))
    except LayoutError as exc:
        raise Invalid(str(exc), code="no_layout") from None
    if len(built) == 1:
        return built[0]
    same = len({b.title for b in built}) == 1
    return OutputDocument(title=built[0].title if same else "绩效目标表",
                          parts=_unique_parts([p for b in built for p in b.parts]), kind=built[0].kind,
                          layout_id=built[0].layout_id)


def _unique_parts(parts):
    """Parts with unique names (a workbook's sheets must be): a repeated name gets ~2, ~3 …"""
    from dataclasses import replace

    taken: set[str] = set()
    out = []
    for part in parts:
        name, k = part.name, 2
        while name in taken:
            suffix = f"~{k}"
            name, k = part.name[:31 - len(suffix)] + suffix, k + 1
        taken.add(name)
        out.append(part if name == part.name else replace(part, name=name))
    return tuple(out)


def _int(value, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        from jixiao.services.errors import not_found

        raise not_found(what, value) from None


# ---- 自评表 and 自评报告 ---------------------------------------------------------------------------

def _scorecard(ctx: Ctx, *, target_set_id=None, document_id=None):
    """(Scorecard, document row, org row) of the stored self-evaluations: of one target set, or of
    every scored target set of a document (in the document's order; the profile of the first)."""
    from jixiao.findings import Finding
    from jixiao.selfeval.scorecard import Scorecard
    from jixiao.services import selfevals
    from jixiao.services.errors import NotFound

    with ctx.db.session(write=False) as session:
        doc, org = _document_of(session, ctx, document_id, target_set_id)
        stmt = (select(db.TargetSet.id).join(db.DocTable, db.DocTable.id == db.TargetSet.table_id)
                .where(db.TargetSet.document_id == doc.id,
                       db.TargetSet.id.in_(select(db.SelfEvaluation.target_set_id)))
                .order_by(db.DocTable.position, db.TargetSet.position))
        ids = [int(target_set_id)] if target_set_id is not None else list(session.scalars(stmt))
    if not ids:
        raise Invalid(f"文档“{doc.name}”尚未自评，无法导出自评表或自评报告", code="not_scored")
    cards, source, profile = [], doc.name, None
    for ident in ids:
        try:
            card, document, _ts, _doc, scoring = selfevals._stored_card(ctx, ident)
        except NotFound as exc:
            raise Invalid(exc.message + "，无法导出自评表或自评报告", code="not_scored") from None
        cards.append(card)
        source, profile = document.source, profile or scoring
    findings = tuple(sorted((f for c in cards for f in c.findings), key=Finding.sort_key))
    return Scorecard(source, profile, tuple(cards), findings), doc, org


def selfeval_table(ctx: Ctx, fmt: str, *, target_set_id=None, document_id=None) -> tuple[str, str, bytes]:
    """The 自评表 of a target set's stored self-evaluation, or of every scored set of a document."""
    from jixiao.write.selfeval_table import build_selfeval_table

    fmt = check_format(fmt)
    card, doc, org = _scorecard(ctx, target_set_id=target_set_id, document_id=document_id)
    label = card.sets[0].entry.label if target_set_id is not None else org.name
    return written(build_selfeval_table(card), fmt, f"{doc.year or ''}{label}_自评表")


def report_format(fmt: str) -> str:
    fmt = check_format(fmt)
    if fmt == "xlsx":
        raise Invalid("自评报告是文字报告，只能导出为 docx 或 pdf", code="invalid_format")
    return fmt


def selfeval_report(ctx: Ctx, document_id, fmt: str) -> tuple[str, str, bytes]:
    """The 部门整体支出绩效自评报告 of a document whose 部门整体 target set has been self-evaluated
    (its projects: the document's other scored sets)."""
    from jixiao.write.selfeval_report import build_selfeval_report

    fmt = report_format(fmt)
    card, doc, org = _scorecard(ctx, document_id=document_id)
    try:
        out = build_selfeval_report(card)
    except ValueError as exc:  # no 部门整体 set scored
        raise Invalid(str(exc), code="not_applicable") from None
    return written(out, fmt, out.title or f"{doc.year or ''}{org.name}_自评报告")


# ---- 预算公开 package ------------------------------------------------------------------------

PROVINCES = {"hunan": 2023, "shanghai": 2025}  # the disclosure layouts there are, by province
TOPICS_PREVIOUS = ("income", "spending", "fiscal_income", "fiscal_spending", "general_budget", "gov_fund",
                   "state_capital", "sangong", "abroad", "reception", "vehicle", "vehicle_purchase",
                   "vehicle_operation")


def _budget_tables(session: Session, doc: db.Document) -> list:
    tables = session.scalars(select(db.DocTable).where(db.DocTable.document_id == doc.id)
                             .order_by(db.DocTable.position)).all()
    budget = [t for t in tables if t.kind not in TARGET_KINDS]
    rows: dict[int, list[db.BudgetRow]] = {t.id: [] for t in budget}
    if rows:
        for r in session.scalars(select(db.BudgetRow).where(db.BudgetRow.table_id.in_(list(rows)))):
            rows[r.table_id].append(r)
    return [content.budget_table_model(t, rows[t.id]) for t in budget if rows[t.id]]


def _previous_figures(session: Session, doc: db.Document) -> dict:
    """The year before's figures (万元, by topic) from the organisation's stored budget tables of that
    year (its current documents), so the 说明 states the changes; {} when none is stored."""
    before = session.scalars(select(db.Document).where(
        db.Document.org_id == doc.org_id, db.Document.year == doc.year - 1, db.Document.is_current.is_(True))
        .order_by(db.Document.id.desc())).all()
    for other in before:
        tables = _budget_tables(session, other)
        if tables:
            return previous_figures(tables)
    return {}


def previous_figures(tables) -> dict:
    """The figures of the year before's budget tables the 说明 compares with (万元, by topic)."""
    from jixiao.write.disclosure_text import Figures

    figures = Figures(list(tables))
    out = {k: figures.values[k] for k in TOPICS_PREVIOUS if k in figures.values}
    if figures.has("running_costs") or figures.has("public"):
        out["operating_costs"] = figures.operating_costs()
    return out


def province_of(tables, province: str | None) -> str:
    """The layout the tables are in: ``province`` when named, else Shanghai when a table only
    Shanghai's 九张表 has is there (国有资本经营预算支出表), else Hunan."""
    if province is not None:
        if province not in PROVINCES:
            raise Invalid(f"没有该地区的预算公开格式：{province}（可选：{'、'.join(PROVINCES)}）", code="invalid_layout")
        return province
    return "shanghai" if any(t.kind == "state_capital_expenditure" for t in tables) else "hunan"


def not_final(kind: str | None, name: str) -> None:
    """A 部门决算's tables hold the year's actuals: no 预算公开 package is written from them."""
    if kind == "final_accounts":
        raise Invalid(f"“{name}”是部门决算，其表格是决算数，不能生成预算公开文件", code="not_applicable")


def _variant(province: str, tables) -> str:
    """Shanghai's 单位预算 (tables titled 预算单位…) is a variant of its 部门预算 layout."""
    if province == "shanghai" and any("预算单位" in (t.title or "") or "单位预算" in (t.title or "") for t in tables):
        return "unit"
    return ""


def region_of(org: str) -> str:
    """The district an organisation's name starts with (上海市普陀区人民政府办公室 → 上海市普陀区), the
    Shanghai title's {region}; "" when the name does not start with one."""
    m = re.match(r"^(\S{2,3}?市\S{1,4}?区)", org or "")
    return m.group(1) if m else ""


def disclosure_layout(province: str, tables, name: str):
    """The province's package layout, when the tables are the package's (not a 决算's, say)."""
    from jixiao.write.disclosure import load_disclosure_layout

    layout = load_disclosure_layout(province, PROVINCES[province], _variant(province, tables))
    if not any(layout.table(t.kind) is not None for t in tables):
        names = "、".join(t.name for t in layout.tables[:3])
        raise Invalid(f"“{name}”中没有预算公开的表格（如{names}），无法生成预算公开文件", code="not_applicable")
    return layout


def disclosure_package(ctx: Ctx, document_id, fmt: str, *, province: str | None = None) -> tuple[str, str, bytes]:
    """The 预算公开 package of a stored document's budget tables: DOCX and PDF the whole package (说明
    generated from the tables, then every table of the layout, its target tables included where the
    layout has them); XLSX the tables alone, a sheet each. The year before's figures come from the
    organisation's stored documents of that year, when there are any."""
    from jixiao.write.disclosure import DisclosureInfo
    from jixiao.write.disclosure import build_disclosure_package

    fmt = check_format(fmt)
    with ctx.db.session(write=False) as session:
        doc, org = documents.load(session, ctx, document_id)
        not_final(doc.kind, doc.name)
        tables = _budget_tables(session, doc)
        if not tables:
            raise Invalid(f"文档“{doc.name}”中没有预算表，无法生成预算公开文件", code="not_applicable")
        targets = _target_tables(session, doc, None)
        previous = _previous_figures(session, doc)
    province = province_of(tables, province)
    name = next((t.org for t in tables if t.org), None) or org.name
    info = DisclosureInfo(org=name, year=doc.year, previous=previous, region=region_of(name))
    layout = disclosure_layout(province, tables, doc.name)
    try:
        out = build_disclosure_package(tables, info, layout, targets=targets, tables_only=fmt == "xlsx")
    except ValueError as exc:  # a table the layout has no place for: its amounts cannot be left out
        raise Invalid(str(exc), code="not_applicable") from None
    return written(out, fmt, f"{doc.year}{name}_{out.title or '部门预算公开'}")


# ---- 审核意见书 ---------------------------------------------------------------------------------

def _opinions(session: Session, doc: db.Document) -> tuple[dict[str, list[str]], dict[int, str]]:
    """(comments by location, the unit's latest explanation by finding id) of a document, from the
    audit log: reviewers' comments on rows, and the explanations given at each submission."""
    entries = session.scalars(select(db.AuditEntry).where(
        db.AuditEntry.object_type == "document", db.AuditEntry.object_id == str(doc.id),
        db.AuditEntry.action.in_(("document.comment", "workflow.submit"))).order_by(db.AuditEntry.id)).all()
    comments: dict[str, list[str]] = {}
    explained: dict[int, str] = {}
    for e in entries:
        after = e.after or {}
        if e.action == "document.comment":
            text = after.get("text") or e.comment
            if text:
                comments.setdefault(after.get("location") or "", []).append(f"{text}（{e.username}）")
        else:
            for fid, text in (after.get("explanations") or {}).items():
                explained[int(fid)] = text
    return comments, explained


def reviewed_document(session: Session, doc: db.Document, org: db.Org):
    """A stored document's findings as the 审核意见书 builder takes them: the reviewer's opinion
    from the finding's status (已整改 / 不予采纳 and the reason given) and the comments on its row;
    the unit's response from the explanations it gave at submission (or a reason kept while the
    finding is still open)."""
    from jixiao.findings import Finding
    from jixiao.findings import Severity
    from jixiao.services.findings import status_label
    from jixiao.write.review_opinion import ReviewedDocument
    from jixiao.write.review_opinion import ReviewItem

    comments, explained = _opinions(session, doc)
    items = []
    for f in session.scalars(select(db.Finding).where(db.Finding.document_id == doc.id).order_by(db.Finding.id)):
        opinion = []
        if f.status != "open":
            opinion.append(status_label(f.status) + (f"：{f.reason}" if f.reason else ""))
        opinion.extend(comments.get(f.location or "", []))
        response = explained.get(f.id) or (f.reason if f.status == "open" and f.reason else "")
        finding = Finding(f.code, Severity(f.severity), f.message,
                          content.parse_location(f.location) if f.location else None,
                          subject=f.subject, expected=f.expected, actual=f.actual)
        items.append(ReviewItem(finding, "；".join(opinion), response or ""))
    return ReviewedDocument(name=doc.name, items=tuple(items), org=org.name, year=doc.year, version=doc.version)


def review_opinion(ctx: Ctx, document_ids: Sequence, fmt: str) -> tuple[str, str, bytes]:
    """The 审核意见书 of one stored document or several (a summary first, then one part each), as ``fmt``."""
    from jixiao.write.review_opinion import build_review_opinion

    fmt = check_format(fmt)
    ids = list(dict.fromkeys(document_ids))
    if not ids:
        raise Invalid("请指定要出具审核意见书的文档", code="no_documents")
    if len(ids) > MAX_DOCUMENTS:
        raise Invalid(f"一份审核意见书最多包含 {MAX_DOCUMENTS} 个文档（指定了 {len(ids)} 个）", code="too_many_documents")
    with ctx.db.session(write=False) as session:
        reviewed = []
        for ident in ids:
            doc, org = documents.load(session, ctx, ident)
            reviewed.append(reviewed_document(session, doc, org))
    out = build_review_opinion(reviewed)
    first = reviewed[0]
    stem = (f"{first.year or ''}{first.org or ''}_{first.name.rsplit('.', 1)[0]}_审核意见书" if len(reviewed) == 1
            else f"审核意见书_{len(reviewed)}个文件")
    return written(out, fmt, stem)

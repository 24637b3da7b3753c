"""The document parser: segments a RawDocument and dispatches each table to its parser."""

from __future__ import annotations

import re

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import MONITORING_KINDS
from jixiao.model.document import RECORD_KINDS
from jixiao.model.document import SELFEVAL_KINDS
from jixiao.model.document import TARGET_KINDS
from jixiao.model.document import Document
from jixiao.model.org import Org
from jixiao.model.targets import TargetTable
from jixiao.parse.merged import as_printed
from jixiao.parse.segment import group
from jixiao.parse.segment import segment
from jixiao.parse.template import is_blank_outline
from jixiao.parse.template import is_blank_template
from jixiao.parse.template import markers
from jixiao.parse.text import norm
from jixiao.readers.grid import RawDocument


def parse_document(raw: RawDocument) -> tuple[Document, list[Finding]]:
    """Parse every table and the narrative of one document."""
    from jixiao.parse.budget_tables import parse_budget_table
    from jixiao.parse.narrative import read_narrative
    from jixiao.parse.selfeval_table import parse_selfeval_tables
    from jixiao.parse.target_tables import parse_target_table

    findings: list[Finding] = []
    raw = as_printed(raw)  # a merged cell is read once, where it starts (parse/merged.py)
    narrative, segments = segment(raw)
    tables = []
    records: list = []
    for pages in group(segments):
        if pages[0].kind in RECORD_KINDS:
            records.extend(pages)
            continue
        if pages[0].kind in SELFEVAL_KINDS:
            forms, found = parse_selfeval_tables(pages)
            tables.extend(forms)
            findings.extend(found)
            continue
        if pages[0].kind in TARGET_KINDS or pages[0].kind in MONITORING_KINDS:
            table, found = parse_target_table(pages[0].kind, pages)
        else:
            table, found = parse_budget_table(pages[0].kind, pages)
        tables.append(table)
        findings.extend(found)
    if records:
        titles = "、".join(dict.fromkeys(p.title for p in records))
        findings.append(make("form-sheets-not-read", records[0].location, file=raw.source, titles=titles))
    sections, amounts, paragraphs, found = read_narrative(narrative, raw.source)
    findings.extend(found)
    if not tables and not sections:
        findings.append(make("no-table-found", None, file=raw.source))
    years = [t.year for t in tables if t.year] + [s.year for s in segments if s.year]
    orgs = [t.org for t in tables if t.org]
    kind = _document_kind(tables, sections)
    if is_blank_template(tables, narrative):  # nothing filled in: one finding, nothing imported (parse/template.py)
        kind = "template"
        findings.append(_template_finding(raw.source, tables, narrative))
    elif is_blank_outline(tables, sections, amounts):  # a report outline with headings only
        kind = "template"
        findings.append(_outline_finding(raw.source, sections, narrative))
    org_list = _orgs(orgs[0] if orgs else None, tables)
    doc = Document(
        source=raw.source,
        tables=tuple(tables),
        sections=tuple(sections),
        amounts=tuple(amounts),
        kind=kind,
        year=years[0] if years else None,
        org=orgs[0] if orgs else None,
        orgs=org_list,
        paragraphs=tuple(paragraphs),
    )
    return doc, sorted(findings, key=Finding.sort_key)


def _template_finding(source: str, tables, narrative) -> Finding:
    titles = list(dict.fromkeys(re.sub(r"^(19|20)\d{2}年(度)?", "", t.title) for t in tables))  # 2026年 once is enough
    shown = "、".join(titles[:10]) + (f" 等 {len(titles)} 张" if len(titles) > 10 else "")
    found = markers(narrative)[:4]
    placeholders = f"，正文为占位文字（{'、'.join(found)}）" if found else ""
    return make("template-unfilled", tables[0].location, file=source, count=len(tables), tables=shown,
                markers=placeholders)


def _outline_finding(source: str, sections, narrative) -> Finding:
    shown = "、".join(f"{s.number}、{s.title}" if s.number else s.title for s in sections[:3])
    shown += " 等" if len(sections) > 3 else ""
    found = markers(narrative)[:4]
    placeholders = f"，标题中有占位文字（{'、'.join(found)}）" if found else ""
    return make("outline-unfilled", sections[0].location, file=source, count=len(sections), sections=shown,
                markers=placeholders)


def _document_kind(tables, sections) -> str | None:
    kinds = {t.kind for t in tables}
    if kinds and kinds <= set(SELFEVAL_KINDS):  # 自评表 alone, or attached to a 自评报告
        return "self_evaluation_report" if sections else "self_evaluation_table"
    forms = {*TARGET_KINDS, *MONITORING_KINDS, *SELFEVAL_KINDS, "special_fund_summary"}
    if kinds - forms:
        from jixiao.parse.final_layout import is_final

        budget = [t for t in tables if t.kind not in forms]
        if sum(is_final(t.title) for t in budget) * 2 > len(budget):
            return "final_accounts"  # 部门决算: its tables are titled …决算表
        return "budget_disclosure"  # a project-library export (目标表 + 监控表 + 自评表) is a set of forms
    if kinds:
        return "targets"
    if sections:
        titles = [norm(s.title) for s in sections]
        if any("决算" in t for t in titles) and not any("自评" in t or "绩效评价" in t for t in titles):
            return "final_accounts"  # a 部门决算说明 without its tables: not a 自评报告
        return "self_evaluation_report"
    return None


def _orgs(department: str | None, tables) -> tuple[Org, ...]:
    """The department and its units: from target sets (单位编码 + 单位) and 三公 rows, in order.

    The department's own 本级 unit shares its name and is listed when it has a code (seed 001:
    152001); a unit name the department's name ends with (a project form's 预算部门
    行政审批服务局) is the department itself.
    """
    found: dict[tuple[str, str], Org] = {}
    dept = norm(department) if department else ""
    if department and tables:
        found[("department", dept)] = Org(department, "department", tables[0].location)

    def add(name: str, location, code: str | None) -> None:
        key = norm(name)
        if dept and dept.endswith(key) and not code:
            return
        known = found.get(("unit", key))
        if known is None:
            found[("unit", key)] = Org(name, "unit", location, code=code)
        elif code and known.code is None:
            found[("unit", key)] = Org(known.name, "unit", known.location, code=code)

    for table in tables:
        if isinstance(table, TargetTable):
            for sub in table.subtotals:
                if sub.unit_code:
                    add(sub.label, sub.location, sub.unit_code)
            for s in table.target_sets:
                if s.unit:
                    add(s.unit, s.location, s.unit_code)
        elif table.kind == "three_public":
            for row in table.rows:
                if row.name and row.name != "合计":
                    add(row.name, row.location, None)
    return tuple(found.values())

"""The document parser: segments a RawDocument and dispatches each table to its parser."""

from __future__ import annotations

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import TARGET_KINDS
from jixiao.model.document import Document
from jixiao.parse.segment import group
from jixiao.parse.segment import segment
from jixiao.readers.grid import RawDocument


def parse_document(raw: RawDocument) -> tuple[Document, list[Finding]]:
    """Parse every table and the narrative of one document."""
    from jixiao.parse.budget_tables import parse_budget_table
    from jixiao.parse.narrative import parse_narrative
    from jixiao.parse.target_tables import parse_target_table

    findings: list[Finding] = []
    narrative, segments = segment(raw)
    tables = []
    for pages in group(segments):
        if pages[0].kind in TARGET_KINDS:
            table, found = parse_target_table(pages[0].kind, pages)
        else:
            table, found = parse_budget_table(pages[0].kind, pages)
        tables.append(table)
        findings.extend(found)
    sections, amounts, found = parse_narrative(narrative, raw.source)
    findings.extend(found)
    if not tables and not sections:
        findings.append(make("no-table-found", None, file=raw.source))
    years = [t.year for t in tables if t.year] + [s.year for s in segments if s.year]
    orgs = [t.org for t in tables if t.org]
    kind = _document_kind(tables, sections)
    doc = Document(
        source=raw.source,
        tables=tuple(tables),
        sections=tuple(sections),
        amounts=tuple(amounts),
        kind=kind,
        year=years[0] if years else None,
        org=orgs[0] if orgs else None,
    )
    return doc, sorted(findings, key=Finding.sort_key)


def _document_kind(tables, sections) -> str | None:
    kinds = {t.kind for t in tables}
    if kinds - set(TARGET_KINDS) - {"special_fund_summary"}:
        return "budget_disclosure"
    if kinds:
        return "targets"
    if sections:
        return "self_evaluation_report"
    return None

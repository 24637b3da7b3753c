"""The 预算公开 packages the tests write: the budget tables of seed 001 (Hunan 2023) and of the Shanghai
2025 PDF as parsed, with the ``DisclosureInfo`` each published document gives (the previous year's
figures are the ones their 说明 state: seed 001 "收入较去年减少199.05万元" → 上年 5,272.13 万元).

``package_text(doc)`` prints an OutputDocument as the text reader reads a document (a paragraph a line,
a table row a line of tab-separated cells, a cell merged across columns in each of them as text exports
of the Shanghai PDFs print it, one merged down only in its first row as seed 001 prints it), so the builder's output can be parsed and checked without a writer.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from jixiao.model.budget import BudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.targets import TargetTable
from jixiao.pipeline import parse_file
from jixiao.write.disclosure import DisclosureInfo
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Table
from tests.conftest import DATA
from tests.conftest import seed

D = Decimal
SHANGHAI_PDF = DATA / "real" / "sh_putuo_govoffice_2025_dept_budget.pdf"
UNIT_PDF = DATA / "real" / "sh_putuo_govoffice_2025_unit_budget.pdf"  # the same office's 单位预算
WANLI_PDF = DATA / "real" / "sh_putuo_wanli_street_2024_dept_budget.pdf"  # a street office and its sub-units, 2024

HUNAN_INFO = {
    "units": ("长沙市行政审批服务局本级", "长沙市政务服务中心", "长沙市12345政务热线中心"),
    "previous": {"income": D("5272.13"), "spending": D("5272.13"), "operating_costs": D("252.64"), "sangong": D("16.20")},
    "procurement": (D("37.78"), D("0"), D("2030.85")), "meetings": D("16.3"), "training": D("52.5"),
}
SHANGHAI_INFO = {
    "region": "上海市普陀区",
    "units": ("上海市普陀区人民政府办公室本部",),
    "previous": {"fiscal_income": D("11491.20"), "fiscal_spending": D("11491.20"), "general_budget": D("11491.20"),
              "gov_fund": D(0), "state_capital": D(0), "sangong": D("867.50"), "abroad": D("839"),
              "reception": D("28.50"), "vehicle": D(0), "vehicle_purchase": D(0), "vehicle_operation": D(0),
              "operating_costs": D("213.28")},
    "procurement": (D(0), D(0), D(34)), "procurement_sme": (D(34), D(34)), "performance": (11, D(6626)),
}


@cache
def source(province: str):
    """(budget tables, target tables, info) of the published package of ``province``."""
    if province == "hunan":
        doc, _ = parse_file(seed("001"))
        info = DisclosureInfo(org=doc.org, year=doc.year, **HUNAN_INFO)
    elif province == "wanli":  # no previous year's figures: no change sentences
        doc, _ = parse_file(WANLI_PDF)
        info = DisclosureInfo(org=doc.org, year=doc.year, region="上海市普陀区")
    else:  # shanghai, shanghai-unit
        doc, _ = parse_file(UNIT_PDF if province == "shanghai-unit" else SHANGHAI_PDF)
        info = DisclosureInfo(org=doc.org, year=doc.year, **SHANGHAI_INFO)
    budget = tuple(t for t in doc.tables if isinstance(t, BudgetTable))
    targets = tuple(t for t in doc.tables if isinstance(t, TargetTable))
    return budget, targets, info


@cache
def source_errors(province: str) -> frozenset[str]:
    """The error codes check finds on the published document itself (its own content's problems)."""
    from jixiao.findings import Severity
    from jixiao.rules import run

    doc, found = parse_file({"hunan": seed("001"), "shanghai-unit": UNIT_PDF}.get(province, SHANGHAI_PDF))
    return frozenset(f.code for f in [*found, *run(doc)] if f.severity is Severity.ERROR)


def package_text(doc: OutputDocument) -> str:
    lines: list[str] = []
    for part in doc.parts:
        for block in part.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                grid = [[""] * len(block.columns) for _ in block.rows]
                for r, row in enumerate(block.rows):
                    for c, cell in enumerate(row):
                        if cell is None:
                            continue
                        for j in range(cell.colspan):
                            grid[r][c + j] = cell.text
                lines += ["\t".join(row) for row in grid]
            lines.append("")
    return "\n".join(lines)


def row_key(row: BudgetRow) -> tuple:
    """What a row says: side, code, name (no spaces), total and every filled value."""
    values = tuple((k, v) for k, v in row.values if v is not None)
    return row.side, row.code, "".join(row.name.split()), row.total, values


def table_content(table: BudgetTable) -> list[tuple]:
    """The rows a table holds, each side in order: without a template's ``0 0 0`` placeholder row, nor
    a 合计 row without any amount (an empty table's)."""
    rows = [r for r in table.rows if not (r.code and set(r.code) == {"0"})
            and not (r.name == "合计" and r.total is None and not any(v is not None for _, v in r.values))]
    keys = [row_key(r) for r in rows]
    return sorted(keys, key=lambda k: k[0] or "") if any(r.side for r in rows) else keys

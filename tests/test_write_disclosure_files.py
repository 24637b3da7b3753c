"""The 预算公开 package as files: DOCX and PDF (说明 and tables), XLSX (the tables, a sheet each), in the
Hunan 2023 and Shanghai 2025 layouts, written from the tables of seed 001 and of the Shanghai 2025 PDF.
Read back by jixiao's own readers they give the same tables and check finds no sum, text-table or change
error; layout facts are read from the files; the PDF pages are rendered to PNG beside the real
document's pages (``$JIXIAO_SCREENSHOTS/documents/``)."""

from __future__ import annotations

import math
from functools import cache

import pytest

from jixiao.findings import Severity
from jixiao.model.budget import BudgetTable
from jixiao.readers.grid import Row
from jixiao.rules import run
from jixiao.rules.disclosure import TABLES
from jixiao.write.disclosure import build_disclosure_package
from jixiao.write.disclosure import load_disclosure_layout
from jixiao.write.disclosure_tables import header_rows
from jixiao.write.formats import write
from jixiao.write.layout import Table
from jixiao.write.xlsx import display_width
from tests.disclosure_data import SHANGHAI_PDF
from tests.disclosure_data import source
from tests.disclosure_data import source_errors
from tests.disclosure_data import table_content
from tests.test_write_disclosure import ARITHMETIC
from tests.test_write_disclosure import LAYOUTS as ALL_LAYOUTS
from tests.write_helpers import compact
from tests.write_helpers import docx_facts
from tests.write_helpers import pdf_fonts
from tests.write_helpers import pdf_pages
from tests.write_helpers import pdf_text
from tests.write_helpers import read_back
from tests.write_helpers import render_png
from tests.write_helpers import to_pdf
from tests.write_helpers import xlsx_facts

LAYOUTS = {k: v for k, v in ALL_LAYOUTS.items() if k in ("hunan", "shanghai")}  # the 单位预算 variant: as blocks
CASES = [(p, f) for p in LAYOUTS for f in ("docx", "xlsx", "pdf")]


def _package(province: str, tables_only: bool = False):
    """``hunan+targets``: seed 001's package with its tables 9 and 10."""
    province, _, with_targets = province.partition("+")
    tables, targets, info = source(province)
    return build_disclosure_package(tables, info, load_disclosure_layout(*ALL_LAYOUTS[province]), tables_only=tables_only,
                                    targets=targets if with_targets else ())


@pytest.fixture(scope="module")
def files():
    """Every (province, format) written once: LibreOffice makes each PDF (seconds)."""
    cache_: dict[tuple[str, str], bytes] = {}

    def get(province: str, fmt: str) -> bytes:
        if (province, fmt) not in cache_:
            cache_[(province, fmt)] = write(_package(province, tables_only=fmt == "xlsx"), fmt)
        return cache_[(province, fmt)]

    return get


@cache
def _read(data: bytes, name: str):
    _raw, doc, found = read_back(data, name)
    return doc, [*found, *run(doc)]


@pytest.mark.parametrize(("province", "fmt"), CASES)
def test_read_back_gives_the_same_tables(files, province, fmt):
    tables, _targets, info = source(province)
    doc, _ = _read(files(province, fmt), f"{province}.{fmt}")
    assert doc.kind == "budget_disclosure" and doc.year == info.year and doc.org == info.org
    back = {t.kind: t for t in doc.tables if isinstance(t, BudgetTable)}
    assert set(back) == {t.kind for t in tables}
    for t in tables:
        assert back[t.kind].unit == t.unit, t.kind
        assert table_content(back[t.kind]) == table_content(t), t.kind


@pytest.mark.parametrize(("province", "fmt"), CASES)
def test_check_finds_no_arithmetic_text_or_change_error(files, province, fmt):
    _doc, findings = _read(files(province, fmt), f"{province}.{fmt}")
    assert not [f.message for f in findings if f.code in ARITHMETIC]
    assert not [f.message for f in findings if f.code in ("row-realigned", "row-ambiguous", "cell-unplaced")]  # read as laid
    errors = {f.code for f in findings if f.severity is Severity.ERROR}
    assert errors <= {"report-fill-empty", "disclosure-table-missing"}, errors
    if fmt != "xlsx":  # the 说明 is there, with the places the department fills
        assert "report-fill-empty" in errors


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_hunan_with_target_tables(files, fmt):
    """The whole Hunan package, tables 9 and 10 included: the ten tables in order, the budget tables as
    written, and no error the seed itself does not have but the places to fill."""
    tables, targets, _info = source("hunan")
    data = files("hunan+targets", fmt)
    doc, findings = _read(data, f"hunan-targets.{fmt}")
    assert [t.kind for t in doc.tables] == [kind for kind, _name in TABLES]
    back = {t.kind: t for t in doc.tables}
    for t in tables:
        assert table_content(back[t.kind]) == table_content(t), t.kind
    if fmt == "pdf":  # the target lists' header rows printed again on each page are no rows
        render_png(data, "disclosure-hunan-targets")
    assert not [f.message for f in findings if f.code in ARITHMETIC or f.code.startswith("disclosure-")]
    for kind in ("project_targets", "department_targets"):
        written = next(t for t in targets if t.kind == kind)
        assert [(s.unit_code, s.unit, s.project, s.amounts, len(s.indicators)) for s in back[kind].target_sets] == [
            (s.unit_code, s.unit, s.project, s.amounts, len(s.indicators)) for s in written.target_sets], kind
    errors = {f.code for f in findings if f.severity is Severity.ERROR}
    assert errors - {"report-fill-empty"} <= source_errors("hunan"), errors - source_errors("hunan")


@pytest.mark.parametrize("province", LAYOUTS)
def test_docx_layout(files, province):
    facts = docx_facts(files(province, "docx"))
    layout = load_disclosure_layout(*LAYOUTS[province])
    assert all((s.width_mm, s.height_mm) in ((210.0, 297.0), (297.0, 210.0)) for s in facts.sections)  # A4
    assert facts.sections[0].orientation == layout.page.orientation
    assert facts.sections[1].orientation == "landscape"  # the tables
    budget = [t for t in layout.tables if t.header]
    assert len(facts.tables) == len(budget)
    for table, tl in zip(facts.tables, budget, strict=True):
        assert table.header_rows == header_rows(tl, layout), tl.name  # repeated on every page
        assert len(table.grid) == len(tl.columns)
    overview = facts.tables[0]
    assert (0, 0, 2) in overview.spans and (0, 2, 2) in overview.spans  # 收入 | 支出 over 项目 + 预算数
    assert {"宋体", "黑体", "仿宋"} <= facts.east_asia_fonts and facts.runs_without_east_asia == 0


@pytest.mark.parametrize("province", LAYOUTS)
def test_xlsx_layout(files, province):
    sheets = xlsx_facts(files(province, "xlsx"))
    layout = load_disclosure_layout(*LAYOUTS[province])
    budget = [t for t in layout.tables if t.header]
    assert [s.name.split(" ", 1)[1] for s in sheets] == [t.name.replace("“", "“") for t in budget]
    for sheet, tl in zip(sheets, budget, strict=True):
        assert sheet.paper == 9 and sheet.orientation == "landscape", sheet.name
        assert sheet.print_title_rows, sheet.name
        first, last = (int(x) for x in sheet.print_title_rows.replace("$", "").split(":"))
        assert last - first + 1 == header_rows(tl, layout), sheet.name
        assert "宋体" in sheet.fonts
    numbers = [v for s in sheets for v in s.cells.values() if isinstance(v, (int, float))]
    assert 91016775.35 in numbers or 5073.08 in numbers  # amounts stay numbers
    if province == "shanghai":
        three = sheets[-1]
        assert {"A3:F3", "G3:G5", "D4:F4"} <= three.merged


@pytest.mark.parametrize("province", LAYOUTS)
def test_pdf_embeds_its_fonts_and_reads_back(files, province):
    pdf = files(province, "pdf")
    fonts = pdf_fonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    text = compact(pdf_text(pdf))
    layout = load_disclosure_layout(*LAYOUTS[province])
    for tl in layout.tables:
        if tl.header:
            assert compact(tl.title.format(year=layout.year)) in text
    assert "【待填写：" in text
    basic = layout.table("basic_expenditure")  # long enough to go on over a page: its header printed again
    label = max((c for row in basic.header for c in row if c not in "<^"), key=len)
    assert text.count(compact(label)) >= 2
    cells = {compact(c.text) for part in _package(province).parts for b in part.blocks if isinstance(b, Table)
             for row in b.rows for c in row if c is not None and c.text.strip()}
    raw, _doc, _found = read_back(pdf, f"{province}.pdf")  # jixiao's PDF reader joins a cell's wrapped lines
    read = {compact(c.text) for line in raw.lines() if isinstance(line, Row) for c in line.cells}
    assert cells and not [c for c in cells if c not in read]  # no cell cut off
    sizes = pdf_pages(pdf)
    assert all(sorted(round(x) for x in size) == [595, 842] for size in sizes)
    pages = render_png(pdf, f"disclosure-{province}")
    assert len(pages) == len(sizes)


@pytest.mark.parametrize("province", LAYOUTS)
def test_xlsx_prints(files, province):
    """The workbook printed by LibreOffice: every sheet on landscape A4 pages, every table title on them."""
    pdf = to_pdf(files(province, "xlsx"), "xlsx")
    sizes = pdf_pages(pdf)
    assert all(w > h for w, h in sizes)
    text = compact(pdf_text(pdf))
    layout = load_disclosure_layout(*LAYOUTS[province])
    assert all(compact(tl.title.format(year=layout.year)) in text for tl in layout.tables if tl.header)
    assert len(render_png(pdf, f"disclosure-{province}-xlsx")) == len(sizes)


def test_unit_budget_docx_reads_back():
    """The 单位预算 variant as DOCX: its 财务收支预算总表 with 人员经费 / 公用经费 / 项目支出 read back as written."""
    tables, _targets, _info = source("shanghai-unit")
    doc, findings = _read(write(_package("shanghai-unit"), "docx"), "unit.docx")
    back = {t.kind: t for t in doc.tables}
    for t in tables:
        assert table_content(back[t.kind]) == table_content(t), t.kind
    assert any(r.value("personnel") for r in back["budget_overview"].rows)
    assert not [f.message for f in findings if f.code in ARITHMETIC]


def test_real_pages_beside_the_generated():
    """The Shanghai document the layout copies, rendered next to the generated pages for a look."""
    pages = render_png(SHANGHAI_PDF.read_bytes(), "disclosure-shanghai-real")
    assert len(pages) == len(pdf_pages(SHANGHAI_PDF.read_bytes()))


@pytest.mark.parametrize("province", LAYOUTS)
def test_xlsx_no_text_cut(files, province):
    """Every cell's text fits its (merged) width on one line, or wraps and its rows are tall enough."""
    import openpyxl.utils.cell as u

    checked = 0
    for sheet in xlsx_facts(files(province, "xlsx")):
        spans = {rng.split(":")[0]: rng.split(":")[1] for rng in sheet.merged}
        for coord, value in sheet.cells.items():
            text = value if isinstance(value, str) else f"{value:,.2f}"
            c0, r0 = u.coordinate_from_string(coord)
            c1, r1 = u.coordinate_from_string(spans.get(coord, coord))
            columns = range(u.column_index_from_string(c0), u.column_index_from_string(c1) + 1)
            width = sum(sheet.widths.get(u.get_column_letter(i), 8.43) for i in columns)
            size = sheet.sizes[coord]
            lines = sum(max(1, math.ceil(display_width(line) * size / 10.5 / (width - 1))) for line in text.split("\n"))
            height = sum(sheet.heights.get(r, 15) for r in range(r0, r1 + 1))
            if lines > 1:
                assert sheet.wrap[coord], (sheet.name, coord, text)
            assert height >= lines * size * 1.2, (sheet.name, coord, text, lines, height)
            checked += 1
    assert checked > 100

"""Target tables out (write/targets.py) in the layouts of the seeds they copy: every seed's target
tables are parsed, written in their layout as XLSX, DOCX and PDF, read back by jixiao's own readers
and parsed again; the target sets (units, projects, amounts, goals, tasks, indicators, placeholders,
expense details) and subtotals must come back the same. Layout facts are read from the files, and
every page is rendered to PNG under $JIXIAO_SCREENSHOTS/documents/."""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.model.targets import FundAmounts
from jixiao.model.targets import TargetTable
from jixiao.pipeline import parse_file
from jixiao.rules import run as run_rules
from jixiao.write.formats import write
from jixiao.write.layout import Table
from jixiao.write.layouts import LAYOUTS
from jixiao.write.layouts import Layout
from jixiao.write.layouts import LayoutError
from jixiao.write.layouts import available_layouts
from jixiao.write.layouts import layout_by_id
from jixiao.write.layouts import layout_files
from jixiao.write.layouts import layout_for
from jixiao.write.layouts import load_layout
from jixiao.write.layouts import parse_layout
from jixiao.write.pdf import convert_all
from jixiao.write.targets import build_special_fund_summary
from jixiao.write.targets import build_target_table
from jixiao.write.targets import summary_from_targets
from jixiao.write.targets import target_layout
from jixiao.write.targets import unprinted
from tests.write_helpers import compact
from tests.write_helpers import cut_cells
from tests.write_helpers import docx_facts
from tests.write_helpers import pdf_fonts
from tests.write_helpers import pdf_pages
from tests.write_helpers import pdf_text
from tests.write_helpers import read_back
from tests.write_helpers import render_png
from tests.write_helpers import xlsx_facts

SEEDS = Path(__file__).parent / "data" / "seeds"
# (seed, kind, layout): every target table of the seeds, in the layout that copies it
CASES = [
    ("000_82772c604d1a37f5", "department_targets", "hunan-2026/department_targets"),
    ("000_82772c604d1a37f5", "project_targets", "hunan-2026/project_targets"),
    ("001_c182bc71c99e727c", "project_targets", "hunan-2023/project_targets-list"),
    ("001_c182bc71c99e727c", "department_targets", "hunan-2023/department_targets-list"),
    ("002_736e426451e9b52c", "department_targets", "hunan-2023/department_targets"),
    ("002_736e426451e9b52c", "project_targets", "hunan-2023/project_targets"),
    ("004_576cc429f8cd71c8", "department_targets", "hunan-2023/department_targets-zhuzhou"),
    ("004_576cc429f8cd71c8", "special_fund_targets", "hunan-2023/special_fund_targets"),
]
SUMMARY = ("004_576cc429f8cd71c8", "special_fund_summary", "hunan-2023/special_fund_summary")
IDS = [layout for _seed, _kind, layout in CASES]
LONG_TEXTS = {"goal", "period_goal", "functions"}
FIELDS = ("unit_code", "unit", "project", "amounts", "goal", "period_goal", "functions", "period", "category",
          "parent_fund", "details_total")


def _source(seed: str, kind: str):
    doc, findings = parse_file(SEEDS / f"{seed}.txt")
    return doc, findings, next(t for t in doc.tables if t.kind == kind)


def _indicators(s) -> Counter:
    return Counter(
        (i.level1, i.level2, i.name, i.target.text, i.target.op, i.target.value, i.target.unit, i.standard,
         i.explanation, i.scoring, i.weight, i.note)
        for i in s.indicators
    )


def _same_sets(written: TargetTable, back: TargetTable, *, pdf: bool = False) -> None:
    assert back.kind == written.kind and back.title == written.title and back.year == written.year
    assert len(back.target_sets) == len(written.target_sets)
    for a, b in zip(written.target_sets, back.target_sets):
        for name in FIELDS:
            x, y = getattr(a, name), getattr(b, name)
            if pdf and name in LONG_TEXTS and x and y:
                # PDF text of a wrapped cell: pdftotext-like reading may move a line's last
                # punctuation mark; every character must still be there
                assert sorted(x) == sorted(y), (name, x, y)
            else:
                assert x == y, (a.project or a.unit, name, x, y)
        assert _indicators(b) == _indicators(a), a.project or a.unit
        assert Counter((p.level1, p.level2, p.text, p.weight) for p in b.placeholders) == Counter(
            (p.level1, p.level2, p.text, p.weight) for p in a.placeholders)
        assert [(t.name, t.content, t.owner) for t in b.tasks] == [(t.name, t.content, t.owner) for t in a.tasks]
        assert [(d.summary, d.detail, d.amount, d.basis) for d in b.details] == [
            (d.summary, d.detail, d.amount, d.basis) for d in a.details]
    assert [(s.label, s.amount, s.unit_code) for s in back.subtotals] == [
        (s.label, s.amount, s.unit_code) for s in written.subtotals]


@pytest.fixture(scope="module")
def built():
    """layout id → (source document, its findings, the table, the OutputDocument, {fmt: bytes})."""
    out = {}
    for seed, kind, layout_id in [*CASES, SUMMARY]:
        doc, findings, table = _source(seed, kind)
        layout = layout_by_id(layout_id)
        if kind == "special_fund_summary":
            document = build_special_fund_summary(table, layout)
        else:
            document = build_target_table(table, layout)
        out[layout_id] = (doc, findings, table, document, {fmt: write(document, fmt) for fmt in ("xlsx", "docx")})
    return out


@pytest.fixture(scope="module")
def pdfs(built):
    """layout id → {"docx": the PDF writer's output, "xlsx": the workbook as LibreOffice prints it}: one
    LibreOffice run for all of them."""
    keys = [(layout_id, fmt) for layout_id in built for fmt in ("docx", "xlsx")]
    converted = convert_all([(built[layout_id][4][fmt], fmt) for layout_id, fmt in keys])
    out: dict[str, dict[str, bytes]] = {}
    for (layout_id, fmt), pdf in zip(keys, converted):
        out.setdefault(layout_id, {})[fmt] = pdf
    return out


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_round_trip(built, case, fmt):
    _seed, kind, layout_id = case
    _doc, _findings, table, _document, files = built[layout_id]
    _raw, back, _ = read_back(files[fmt], f"目标表.{fmt}")
    (again,) = [t for t in back.tables if getattr(t, "kind", None) == kind]
    assert again.layout == layout_by_id(layout_id).style
    _same_sets(table, again)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_round_trip_pdf(built, pdfs, case):
    """The PDF writer's output (DOCX through LibreOffice) read by jixiao's PDF reader: every layout, the
    lists whose two header rows are printed again on every page and the 株洲 form whose 一级/二级 cells
    merged over a page break are printed on the first page only (parse.repeated_header, carried down)."""
    _seed, kind, layout_id = case
    table = built[layout_id][2]
    _raw, back, findings = read_back(pdfs[layout_id]["docx"], "目标表.pdf")
    (again,) = [t for t in back.tables if getattr(t, "kind", None) == kind]
    _same_sets(table, again, pdf=True)
    misread = ("row-unplaced", "amount-unparsed", "row-ambiguous", "row-realigned", "cell-unplaced")
    assert not [f.message for f in findings if f.code in misread]
    if layout_id.endswith(("-list", "-zhuzhou")):  # one table over every page: its header again on each
        pages = len(pdf_pages(pdfs[layout_id]["docx"]))
        assert pages > 1 and [f.code for f in findings].count("header-repeated") == pages - 1


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_summary_round_trip(built, pdfs, fmt):
    _seed, _kind, layout_id = SUMMARY
    _doc, _findings, summary, _document, files = built[layout_id]
    data = pdfs[layout_id]["docx"] if fmt == "pdf" else files[fmt]
    _raw, back, _ = read_back(data, f"汇总表.{fmt}")
    (again,) = [t for t in back.tables if getattr(t, "kind", None) == "special_fund_summary"]

    def rows(t):
        return [(r.name, r.total, r.value("number"), r.value("period_goal"), r.value("annual_goal")) for r in t.rows]

    assert again.title == summary.title
    assert rows(again) == rows(summary)
    assert [r[1] for r in rows(again)] == [Decimal("4")] * 3


def test_summary_from_targets():
    doc, _findings, targets = _source("004_576cc429f8cd71c8", "special_fund_targets")
    derived = summary_from_targets(targets)
    assert derived.title == "2023年区级专项资金绩效目标汇总表"
    assert [(r.name, r.total, r.value("number")) for r in derived.rows] == [
        ("合计", Decimal("4"), None), ("业务性专项", Decimal("4"), "一"), ("业务性专项", Decimal("4"), "1")]
    assert derived.rows[2].value("annual_goal") == targets.target_sets[0].goal


@pytest.mark.parametrize("layout_id", ["hunan-2026/department_targets", "hunan-2023/department_targets",
                                       "hunan-2023/department_targets-zhuzhou", "hunan-2023/department_targets-list"])
def test_every_amount_round_trips(layout_id):
    """The budget block with every breakdown filled (the seeds leave some blank) reads back the same."""
    _doc, _findings, table = _source("000_82772c604d1a37f5", "department_targets")
    amounts = FundAmounts(total=Decimal("580.25"), general_budget=Decimal("500.25"), gov_fund=Decimal("50"),
                          special_account=Decimal("20"), other=Decimal("10"), basic=Decimal("430.25"),
                          project=Decimal("150"))
    layout = layout_by_id(layout_id)
    held = {c.field for r in layout.rows for c in r.cells} | set(layout.extra.get("set_fields", ()))
    if "amounts.special_account" not in held:  # the 株洲 form has no 财政专户 line
        amounts = replace(amounts, special_account=None, other=Decimal("30"))
    s = replace(table.target_sets[0], amounts=amounts, unit_code="152001")
    table = replace(table, target_sets=(s,))
    for fmt in ("xlsx", "docx"):
        _raw, back, _ = read_back(write(build_target_table(table, layout), fmt), f"t.{fmt}")
        (again,) = [t for t in back.tables if getattr(t, "kind", None) == "department_targets"]
        assert again.target_sets[0].amounts == amounts, (fmt, again.target_sets[0].amounts)


def test_empty_table_prints_its_statement():
    _doc, _findings, table = _source("002_736e426451e9b52c", "project_targets")
    empty = replace(table, target_sets=())
    layout = layout_by_id("hunan-2023/project_targets")
    document = build_target_table(empty, layout)
    texts = [b.text for part in document.parts for b in part.blocks if hasattr(b, "text")]
    assert layout.empty in texts and "2023年项目支出绩效目标表" in texts
    raw, _back, _ = read_back(write(document, "docx"), "空表.docx")
    assert any(layout.empty in getattr(line, "text", "") for line in raw.lines())


# ---------------------------------------------------------------- the check


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_check_finds_no_new_error(built, case, fmt):
    """jixiao's check on the written table: no error finding whose code the source did not have."""
    _seed, kind, layout_id = case
    doc, findings, _table, _document, files = built[layout_id]
    source_errors = {f.code for f in [*findings, *run_rules(doc)] if f.severity == "error"}
    _raw, back, parsed = read_back(files[fmt], f"目标表.{fmt}")
    errors = [f for f in [*parsed, *run_rules(back)] if f.severity == "error"]
    assert {f.code for f in errors} <= source_errors, [(f.code, f.message) for f in errors]


# ---------------------------------------------------------------- layout facts


def _tables(document) -> list[Table]:
    return [b for part in document.parts for b in part.blocks if isinstance(b, Table)]


@pytest.mark.parametrize("case", [*CASES, SUMMARY], ids=[*IDS, SUMMARY[2]])
def test_xlsx_layout_facts(built, case):
    _seed, _kind, layout_id = case
    layout = layout_by_id(layout_id)
    document, files = built[layout_id][3], built[layout_id][4]
    sheets = xlsx_facts(files["xlsx"])
    assert len(sheets) == len(document.parts)
    paper = {"A4": 9, "A3": 8}[layout.page.size]
    fonts = {layout.fonts.title.name, layout.fonts.table_header.name, layout.fonts.table_body.name}
    for sheet, part in zip(sheets, document.parts):
        assert (sheet.paper, sheet.orientation) == (paper, layout.page.orientation)
        assert sheet.fit_to_page and sheet.fit_width == 1 and sheet.fit_height == 0
        assert fonts <= sheet.fonts, sheet.fonts
        # the header rows repeated on every page: those of the longest table with header rows
        tables = [b for b in part.blocks if isinstance(b, Table)]
        first = max((t for t in tables if t.header_rows), key=lambda t: len(t.rows) - t.header_rows)
        if layout.style == "form":
            assert first.name == "indicators"  # not the 年度主要任务 or 支出明细 header
        top = 1 + sum(1 for b in part.blocks[: part.blocks.index(first)] if not isinstance(b, Table)) + sum(
            len(t.rows) for t in tables[: tables.index(first)])
        assert sheet.print_title_rows == f"${top}:${top + first.header_rows - 1}"
        # every merge of the document is a merged range of the sheet
        merges = _merges(part)
        assert merges <= sheet.merged, merges - sheet.merged
        assert cut_cells(sheet) == []
        # amounts are numbers, formatted
        numbers = [v for v in sheet.cells.values() if isinstance(v, (int, float))]
        amounts = [c.value for t in tables for row in t.rows for c in row if c is not None and c.value is not None]
        assert len(numbers) == len(amounts) and sorted(numbers) == sorted(float(a) for a in amounts)


def _merges(part) -> set[str]:
    from openpyxl.utils import get_column_letter

    merges, row = set(), 1
    for block in part.blocks:
        if not isinstance(block, Table):
            row += 1
            continue
        for r, cells in enumerate(block.rows):
            for c, cell in enumerate(cells):
                if cell is not None and (cell.rowspan > 1 or cell.colspan > 1):
                    merges.add(f"{get_column_letter(c + 1)}{row + r}:"
                               f"{get_column_letter(c + cell.colspan)}{row + r + cell.rowspan - 1}")
        row += len(block.rows)
    return merges


@pytest.mark.parametrize("case", [*CASES, SUMMARY], ids=[*IDS, SUMMARY[2]])
def test_docx_layout_facts(built, case):
    _seed, _kind, layout_id = case
    layout = layout_by_id(layout_id)
    document, files = built[layout_id][3], built[layout_id][4]
    facts = docx_facts(files["docx"])
    assert len(facts.sections) == len(document.parts)
    width, height = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}[layout.page.size]
    if layout.page.orientation == "landscape":
        width, height = height, width
    for section in facts.sections:
        assert (section.width_mm, section.height_mm, section.orientation) == (width, height, layout.page.orientation)
        assert [f.strip() for f in section.footer_fields] == ["PAGE", "NUMPAGES"]
    tables = _tables(document)
    assert len(facts.tables) == len(tables)
    for written, table in zip(facts.tables, tables):
        assert written.header_rows == table.header_rows and written.cant_split
        spans = {(r, c, cell.colspan) for r, row in enumerate(table.rows) for c, cell in enumerate(row)
                 if cell is not None and cell.colspan > 1}
        assert spans == set(written.spans)
        restarts = {(r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row)
                    if cell is not None and cell.rowspan > 1}
        assert restarts == {(r, c) for r, c, kind in written.vmerges if kind == "restart"}
        assert sum(1 for *_rc, kind in written.vmerges if kind == "continue") == sum(
            (cell.rowspan - 1) for row in table.rows for cell in row if cell is not None)
    assert facts.runs_without_east_asia == 0
    assert {layout.fonts.title.name, layout.fonts.table_header.name, layout.fonts.table_body.name} <= facts.east_asia_fonts


@pytest.mark.parametrize("case", [*CASES, SUMMARY], ids=[*IDS, SUMMARY[2]])
def test_pdf_facts_and_pages(built, pdfs, case):
    """Fonts embedded, CJK among them; every cell's text is found by pdftotext (none is cut); pages in
    the layout's size and orientation; PNG pages saved for a person to look at."""
    _seed, _kind, layout_id = case
    layout = layout_by_id(layout_id)
    document = built[layout_id][3]
    width, height = {"A4": (595.3, 841.9), "A3": (841.9, 1190.6)}[layout.page.size]
    if layout.page.orientation == "landscape":
        width, height = height, width
    for source, pdf in pdfs[layout_id].items():
        fonts = pdf_fonts(pdf)
        assert fonts and all(f["emb"] == "yes" for f in fonts), (source, fonts)
        assert any("CJK" in f["name"] for f in fonts), (source, fonts)
        text = compact(pdf_text(pdf))
        # pdftotext interleaves the lines of wrapped neighbouring cells: every character of every cell
        # must be printed (a cut cell loses some), and every amount and one-line cell is found whole
        printed = Counter(text)
        wanted: Counter = Counter()
        for table in _tables(document):
            for row in table.rows:
                for cell in row:
                    if cell is not None and cell.text:
                        wanted.update(compact(cell.text))
                        if cell.value is not None:
                            assert cell.text in text, (source, cell.text)
        missing = wanted - printed
        missing.pop("-", None)  # pdftotext joins a line ending in a hyphen to the next and drops the hyphen
        assert not missing, (source, missing)
        assert compact(document.parts[0].blocks[0].text) in text
        assert all(p == pytest.approx((width, height), abs=1) for p in pdf_pages(pdf))
        pngs = render_png(pdf, f"targets-{layout_id.replace('/', '-')}-{source}")
        assert pngs and all(p.stat().st_size > 2000 for p in pngs)


def test_indicator_header_repeats_on_every_page(built, pdfs):
    """seed 001's project list runs over many pages: each page starts with its two header rows."""
    pages = pdf_text(pdfs["hunan-2023/project_targets-list"]["docx"]).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 3
    for page in pages:
        assert "单位编码" in page and "评（扣）分标准" in compact(page)


# ---------------------------------------------------------------- layouts


def test_available_layouts():
    layouts = available_layouts()
    for _seed, _kind, layout_id in [*CASES, SUMMARY]:
        assert layout_id in layouts
    layout = load_layout("project_targets", "hunan", 2023)
    assert layout.id == "hunan-2023/project_targets" and layout.kind == "project_targets" and layout.style == "form"
    assert layout.page.orientation == "landscape" and layout.fonts.table_body.name == "宋体"
    assert load_layout("project_targets", variant="list").header_rows == 2


def test_every_layout_file_is_listed_with_the_loader_that_reads_it():
    """available_layouts() is what layout_by_id loads; layout_files() is every description in
    data/layouts, each read by its loader (the 预算公开, 自评表, 自评报告, 审核意见书 ones by their own)."""
    from jixiao.write.disclosure_layout import DisclosureLayout
    from jixiao.write.review_opinion import ReviewLayout
    from jixiao.write.selfeval_layout import ReportLayout
    from jixiao.write.selfeval_layout import TableLayout

    files = layout_files()
    assert [f.id for f in files] == sorted(f"{p.parent.name}/{p.stem}" for p in LAYOUTS.glob("*-*/*.toml"))
    for layout_id in available_layouts():
        assert layout_by_id(layout_id).id == layout_id
    expected = {"disclosure": DisclosureLayout, "review_opinion": ReviewLayout, "selfeval_report": ReportLayout,
                "selfeval_table": TableLayout}
    others = [f for f in files if f.id not in available_layouts()]
    assert {f.kind for f in others} == set(expected)
    assert {"shanghai-2025/disclosure", "shanghai-2025/disclosure-unit", "hunan-2023/disclosure"} <= {f.id for f in others}
    for f in files:
        loaded = f.load()
        assert isinstance(loaded, expected.get(f.kind, Layout)), f.id
        with pytest.raises(LayoutError, match="不是表格版式") if f.kind in expected else nullcontext():
            layout_by_id(f.id)


def test_layout_errors_name_what_is_wrong():
    with pytest.raises(LayoutError, match="没有版式 hunan-1999/project_targets"):
        load_layout("project_targets", "hunan", 1999)
    base = {"title": "{year}年表", "columns": [10, 20], "rows": [{"cells": ["名称", {"field": "project"}]}]}
    assert parse_layout(base, "hunan-2023/project_targets").columns == (Decimal(10), Decimal(20))
    with pytest.raises(LayoutError, match=r"rows\[0\] 占 3 列，表格有 2 列"):
        parse_layout({**base, "rows": [{"cells": ["名称", {"field": "project", "colspan": 2}]}]}, "hunan-2023/x")
    with pytest.raises(LayoutError, match="缺少 columns"):
        parse_layout({"title": "t"}, "hunan-2023/x")
    with pytest.raises(LayoutError, match="未知的键 colspn"):
        parse_layout({**base, "rows": [{"cells": ["名称", {"field": "project", "colspn": 2}]}]}, "hunan-2023/x")
    with pytest.raises(LayoutError, match="fields 与 header 须一一对应"):
        parse_layout({**base, "rows": [{"block": "indicators", "header": ["一级指标", "二级指标"],
                                        "fields": ["level1"]}]}, "hunan-2023/x")
    with pytest.raises(LayoutError, match="orientation"):
        parse_layout({**base, "page": {"orientation": "sideways"}}, "hunan-2023/x")
    # a rowspan from the rows above is counted when the next row tiles the columns
    spanned = {**base, "rows": [{"cells": [{"text": "预算", "rowspan": 2}, "总额"]}, {"cells": ["100"]}]}
    assert len(parse_layout(spanned, "hunan-2023/x").rows) == 2


# ---------------------------------------------------------------- any target set


CATEGORIES = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("成本指标", "经济成本指标"),
              ("效益指标", "社会效益指标"), ("效益指标", "可持续影响指标"), ("满意度指标", "服务对象满意度指标")]
WORDS = ["政务", "大厅", "办件", "培训", "窗口", "群众", "企业", "热线", "回访", "宣传", "审批", "事项", "系统", "设备"]


def _target_sets():
    from hypothesis import strategies as st

    from jixiao.model.indicator import Indicator
    from jixiao.model.indicator import TargetValue
    from jixiao.model.indicator import ValueKind
    from jixiao.model.source import Location
    from jixiao.model.targets import TargetSet

    where = Location("any.txt", 1)
    name = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map("".join)
    target = st.one_of(
        st.tuples(st.sampled_from(["≥", "≤"]), st.integers(1, 99999), st.sampled_from(["%", "件", "人次", "万元"]))
        .map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
        st.sampled_from(["提升", "显著提升", "2023年12月31日前"]),
    )
    indicator = st.builds(lambda cat, n, t: Indicator(cat[0], cat[1], n, TargetValue(t, ValueKind.QUANTITATIVE), where),
                          st.sampled_from(CATEGORIES), name, target)
    cents = st.integers(1, 10**9).map(lambda c: Decimal(c) / 100)
    return st.builds(
        lambda project, total, goal, indicators: TargetSet(
            where, unit="某某市行政审批服务局", project=project + "项目", amounts=FundAmounts(total=total),
            goal=goal, period="1年", indicators=tuple({i.name: i for i in indicators}.values())),
        name, cents, name.map(lambda g: g + "，提升服务水平。"), st.lists(indicator, min_size=1, max_size=30))


def test_any_project_set_round_trips():
    """Generated projects (1–30 indicators in any 一级/二级 order, amounts up to 10 million 万元) written
    as XLSX and DOCX in the 2023 project layout read back with the same names, amounts, goals and
    indicators."""
    from hypothesis import HealthCheck
    from hypothesis import given
    from hypothesis import settings

    layout = layout_by_id("hunan-2023/project_targets")

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_target_sets())
    def check(target_set):
        table = TargetTable("project_targets", "2023年项目支出绩效目标表", target_set.location, year=2023,
                            org="某某市行政审批服务局", target_sets=(target_set,))
        for fmt in ("xlsx", "docx"):
            _raw, back, _ = read_back(write(build_target_table(table, layout), fmt), f"t.{fmt}")
            (again,) = [t for t in back.tables if getattr(t, "kind", None) == "project_targets"]
            (s,) = again.target_sets
            assert (s.project, s.amounts.total, s.goal, s.period) == (
                target_set.project, target_set.amounts.total, target_set.goal, "1年")
            assert Counter((i.level1, i.level2, i.name, i.target.text) for i in s.indicators) == Counter(
                (i.level1, i.level2, i.name, i.target.text) for i in target_set.indicators), fmt

    check()


# ---------------------------------------------------------------- choosing a layout


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_target_layout_is_the_seed_layout(case):
    """Each seed's table is written in the layout that copies it: its year's, its printed style, the
    one that leaves nothing out."""
    seed, kind, layout_id = case
    _doc, _findings, table = _source(seed, kind)
    layout = target_layout(table)
    assert layout.id == layout_id
    assert unprinted(table, layout) == []


def test_unprinted_names_what_a_layout_leaves_out():
    _doc, _findings, table = _source("000_82772c604d1a37f5", "department_targets")
    assert unprinted(table, layout_by_id("hunan-2023/department_targets")) == ["年度主要任务", "指标值说明"]
    _doc, _findings, table = _source("001_c182bc71c99e727c", "project_targets")
    assert unprinted(table, layout_by_id("hunan-2023/project_targets")) == ["单位编码", "指标值说明", "评（扣）分标准", "分值"]
    assert layout_for("project_targets", "hunan", 2025).id == "hunan-2023/project_targets"  # nearest earlier year
    assert layout_for("project_targets", "hunan", 2019).id == "hunan-2023/project_targets"  # else the nearest later
    assert layout_for("project_targets", "hunan", 2023, "list").id == "hunan-2023/project_targets-list"
    assert layout_for("department_targets", "hunan", 2026).id == "hunan-2026/department_targets"
    with pytest.raises(LayoutError, match="没有 tibet 的 project_targets 版式"):
        layout_for("project_targets", "tibet", 2023)

"""Target tables whose merged 一级/二级 cells run over a page break, printed to PDF by LibreOffice and
read back (readers/pdf_layout.py, parse/target_tables.py).

A project with 50 indicators in four 二级 groups is written by jixiao's own writer as XLSX and DOCX in
the form layouts, printed by LibreOffice (Calc for the workbook, Writer for the document, one run), read
by jixiao's PDF reader and parsed: every indicator must come back with its 一级, 二级, 三级 and value.
What LibreOffice does at the break: Calc draws no rule under a merged cell that goes on to the next page
(its side rules end at the table's last rule, which spans the other columns only) and prints the merged
text centred on the whole merge on each page, clipped to the part the page shows (so on one page only
when the centre falls on the other); Writer prints it once, at the top of the merge, and leaves the next
page's part blank. The list layout (one row per indicator, the 单位/项目 columns merged down over a
project's rows) is read over its page breaks too."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from jixiao.model.indicator import Indicator
from jixiao.model.indicator import TargetValue
from jixiao.model.indicator import ValueKind
from jixiao.model.source import Location
from jixiao.model.targets import FundAmounts
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable
from jixiao.write.formats import write
from jixiao.write.layouts import layout_by_id
from jixiao.write.pdf import convert_all
from jixiao.write.targets import build_target_table
from tests.write_helpers import pdf_pages
from tests.write_helpers import read_back

WHERE = Location("generated.txt", line=1)
GROUPS = [("产出指标", "数量指标", 18), ("产出指标", "质量指标", 12), ("效益指标", "社会效益指标", 14),
          ("满意度指标", "服务对象满意度指标", 6)]
LAYOUTS = ["hunan-2023/project_targets", "hunan-2026/project_targets", "hunan-2023/department_targets-zhuzhou",
           "hunan-2023/project_targets-list"]
CASES = [(layout, fmt) for layout in LAYOUTS for fmt in ("xlsx", "docx")]
# the workbook without its print titles: the next page goes on without the indicator header
UNTITLED = [("hunan-2023/department_targets-zhuzhou", "xlsx-untitled"), ("hunan-2023/project_targets", "xlsx-untitled")]


def _set(project: str) -> TargetSet:
    indicators = []
    for level1, level2, count in GROUPS:
        for _ in range(count):
            k = len(indicators) + 1
            indicators.append(Indicator(level1, level2, f"{level2[:2]}第{k}项工作完成数量",
                                        TargetValue(f"≥{k}个", ValueKind.QUANTITATIVE), WHERE))
    return TargetSet(WHERE, unit="某某市行政审批服务局", project=project, amounts=FundAmounts(total=Decimal("123.45")),
                     goal="完成全年审批服务工作，提升服务水平。", period="1年", indicators=tuple(indicators))


def _table(layout_id: str) -> TargetTable:
    projects = ("政务服务项目", "窗口运行项目") if layout_id.endswith("-list") else ("政务服务项目",)
    kind = layout_id.split("/")[1].split("-")[0]
    year = int(layout_id[6:10])
    return TargetTable(kind, f"{year}年项目支出绩效目标表", WHERE, year=year, org="某某市行政审批服务局",
                       target_sets=tuple(_set(p) for p in projects))


def _untitled(data: bytes) -> bytes:
    """The workbook without its defined names (the print titles: the header row repeated on each page)."""
    import re
    import zipfile
    from io import BytesIO

    source, out = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                assert b"_xlnm.Print_Titles" in body
                body = re.sub(rb"<definedNames>.*?</definedNames>", b"", body)
            target.writestr(item, body)
    return out.getvalue()


@pytest.fixture(scope="module")
def printed():
    """(layout, fmt) → (the table written, its PDF as LibreOffice prints the file)."""
    tables = {layout_id: _table(layout_id) for layout_id in LAYOUTS}
    files = []
    for layout_id, fmt in CASES + UNTITLED:
        data = write(build_target_table(tables[layout_id], layout_by_id(layout_id)), fmt.split("-")[0])
        files.append((_untitled(data) if fmt.endswith("-untitled") else data, fmt.split("-")[0]))
    pdfs = convert_all(files)
    return {case: (tables[case[0]], pdf) for case, pdf in zip(CASES + UNTITLED, pdfs)}


def _key(i) -> tuple:
    return (i.level1, i.level2, i.name, i.target.text)


@pytest.mark.parametrize("case", CASES, ids=[f"{layout}-{fmt}" for layout, fmt in CASES])
def test_indicators_come_back_over_the_page_break(printed, case):
    table, pdf = printed[case]
    assert len(pdf_pages(pdf)) >= 2  # the indicator block does cross a page break
    _raw, back, findings = read_back(pdf, "目标表.pdf")
    (again,) = [t for t in back.tables if getattr(t, "kind", None) == table.kind]
    assert len(again.target_sets) == len(table.target_sets)
    if table.kind == "project_targets":  # (the department form prints no project)
        assert [s.project for s in again.target_sets] == [s.project for s in table.target_sets]
    for written, read in zip(table.target_sets, again.target_sets):
        assert Counter(_key(i) for i in read.indicators) == Counter(_key(i) for i in written.indicators), read.project
    codes = [f.code for f in findings]
    assert [c for c in codes if c in ("row-unplaced", "level1-inferred", "cell-unplaced", "level-cell-blank")] == []
    if not case[0].endswith("-list"):
        # the first rows of page 2 print no 一级 (every form) and keep page 1's, said so
        assert "level-carried-over-page" in codes
    if case == ("hunan-2023/department_targets-zhuzhou", "xlsx"):
        # Calc printed 质量指标 on page 2 only: page 1's last rows take it from there
        (found,) = [f for f in findings if f.code == "level-from-next-page"]
        assert "质量指标" in found.message and found.location.page == 1


def test_a_blank_merged_level_cell_inside_a_page_is_reported_not_guessed():
    """The same workbook with its merged 二级 cell 质量指标 emptied (no page break involved): the 12 rows
    keep the 二级 above them, as before, and a warning names the blank cell; nothing is taken from
    elsewhere and no row is dropped."""
    from io import BytesIO

    from openpyxl import load_workbook

    table = _table("hunan-2023/project_targets")
    book = load_workbook(BytesIO(write(build_target_table(table, layout_by_id("hunan-2023/project_targets")), "xlsx")))
    (cell,) = [c for row in book.active.iter_rows() for c in row if c.value == "质量指标"]
    cell.value = None
    out = BytesIO()
    book.save(out)
    _raw, back, findings = read_back(out.getvalue(), "目标表.xlsx")
    (target_set,) = back.tables[0].target_sets
    assert len(target_set.indicators) == 50
    assert [i.level2 for i in target_set.indicators[18:30]] == ["数量指标"] * 12
    blank = [f for f in findings if f.code == "level-cell-blank"]
    assert len(blank) == 1 and "12 行的二级指标" in blank[0].message and "数量指标" in blank[0].message
    assert not [f for f in findings if f.code in ("level-from-next-page", "level-carried-over-page")]


def test_text_a_page_clips_away_is_not_read(printed):
    """Calc's clipped copies of a merged cell's text (centred on the whole merge, on every page it
    crosses) are not read: no 指标 name outside the table, the label column's text once per cell."""
    from jixiao.readers.grid import Grid

    for layout_id in ("hunan-2023/project_targets", "hunan-2023/department_targets-zhuzhou"):
        raw, _back, _findings = read_back(printed[(layout_id, "xlsx")][1], "目标表.pdf")
        outside = [b.text for b in raw.blocks if not isinstance(b, Grid)]
        assert not [t for t in outside if "指标" in t], outside
        cells = [t for b in raw.blocks if isinstance(b, Grid) for row in b.rows for t in row.texts]
        assert "年度绩效指标年度绩效指标" not in cells and "本年度绩效指标本年度绩效指标" not in cells
        assert any(t.endswith("年度绩效指标") for t in cells)


@pytest.mark.parametrize("case", UNTITLED, ids=[layout for layout, _fmt in UNTITLED])
def test_a_page_without_the_header_printed_again(printed, case):
    """Page 2 goes on without the indicator header: the same indicators come back, the blank merged
    二级 cell at page 1's end still takes page 2's first 二级 (株洲), and the row label 年度绩效指标 that
    Calc prints again in page 2's first row is not read as its 一级."""
    table, pdf = printed[case]
    _raw, back, findings = read_back(pdf, "目标表.pdf")
    codes = [f.code for f in findings]
    assert "header-repeated" not in codes
    (target_set,) = back.tables[0].target_sets
    assert Counter(_key(i) for i in target_set.indicators) == Counter(_key(i) for i in table.target_sets[0].indicators)
    assert [c for c in codes if c in ("row-unplaced", "row-ambiguous", "cell-unplaced", "level-cell-blank")] == []
    if case[0].endswith("-zhuzhou"):
        assert "level-from-next-page" in codes

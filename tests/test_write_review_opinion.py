"""The 审核意见书 (write/review_opinion.py): the findings `jixiao check` gives on the seeds, grouped by
severity, written as XLSX, DOCX and PDF and read back — the table's rows by jixiao's own readers,
the layout facts from the files (merged group rows, the header row on every page, East Asian
fonts, A4 landscape, wrapped text), the Chinese from the PDF."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.cli.check import check_file
from jixiao.findings import Severity
from jixiao.readers.grid import Grid
from jixiao.write import formats
from jixiao.write.layout import Table
from jixiao.write.review_opinion import ReviewedDocument
from jixiao.write.review_opinion import ReviewItem
from jixiao.write.review_opinion import build_review_opinion
from jixiao.write.review_opinion import describe
from jixiao.write.review_opinion import load_review_layout
from tests.conftest import seed
from tests.write_helpers import compact
from tests.write_helpers import docx_facts
from tests.write_helpers import pdf_fonts
from tests.write_helpers import pdf_text
from tests.write_helpers import read_back
from tests.write_helpers import render_png
from tests.write_helpers import xlsx_facts

HEADERS = ["序号", "位置", "审核对象", "问题说明", "应为", "实为", "审核意见", "单位反馈"]


def _reviewed(prefix: str, org: str, year: int) -> ReviewedDocument:
    path = seed(prefix)
    findings, problems = check_file(path)
    assert findings and not problems
    # the names of files, as a stored document's locations start with its name
    items = []
    for n, f in enumerate(findings):
        f = replace(f, location=replace(f.location, file=path.name)) if f.location else f
        opinion = "不予采纳：按批复口径填报" if n % 3 == 1 else ""
        response = "已按要求修改" if n % 4 == 2 else ""
        items.append(ReviewItem(f, opinion, response))
    return ReviewedDocument(path.name, tuple(items), org=org, year=year)


@pytest.fixture(scope="module")
def one():
    return _reviewed("000", "株洲市渌口区行政审批服务局", 2026)


@pytest.fixture(scope="module")
def two(one):
    return [one, _reviewed("004", "株洲市石峰区优化营商环境协调事务中心", 2025)]


def _table(part) -> Table:
    (table,) = [b for b in part.blocks if isinstance(b, Table)]
    return table


def _expected_rows(doc: ReviewedDocument) -> list[list[str]]:
    """What the table must hold, worked out here from the findings (not from the builder)."""
    rows = [HEADERS]
    n = 0
    for severity, label in ((Severity.ERROR, "错误"), (Severity.WARNING, "警告"), (Severity.INFO, "提示")):
        group = [i for i in doc.items if i.finding.severity == severity]
        if not group:
            continue
        rows.append([f"{label}（{len(group)} 条）"])
        for item in group:
            n += 1
            f = item.finding
            where = str(f.location).removeprefix(doc.name).lstrip(":")
            message = f.message.removeprefix(f"{f.subject}：") if f.subject else f.message
            rows.append([str(n), describe(where) if where else "全文", f.subject or "", message, f.expected or "",
                         f.actual or "", item.opinion, item.response])
    return rows


def _texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row if c is not None] for row in table.rows]


def test_rows_grouped_by_severity_in_document_order(one):
    out = build_review_opinion([one])
    assert [p.name for p in out.parts] == ["审核意见"] and out.kind == "review_opinion"
    table = _table(out.parts[0])
    assert _texts(table) == _expected_rows(one)
    assert table.header_rows == 1 and len(table.columns) == len(HEADERS)
    groups = [row for row in table.rows if row[1] is None]
    assert [g[0].colspan for g in groups] == [len(HEADERS)] * len(groups)
    paragraphs = [b.text for b in out.parts[0].blocks if not isinstance(b, Table)]
    counts = {s: sum(1 for i in one.items if i.finding.severity == s) for s in Severity}
    assert paragraphs[:4] == [
        "2026年度审核意见书", "被审核单位：株洲市渌口区行政审批服务局", f"审核文件：{one.name}",
        f"共发现问题 {len(one.items)} 条，其中错误 {counts[Severity.ERROR]} 条、警告 {counts[Severity.WARNING]} 条、"
        f"提示 {counts[Severity.INFO]} 条。"]
    assert paragraphs[-2:] == ["审核人：\t审核日期：", "单位负责人（签字）：\t反馈日期："]
    # a location in words: the text reader's line, a workbook's cell, a PDF table's cell
    assert describe("24") == "第24行" and describe("收支总表!B7") == "工作表“收支总表” B7"
    assert describe("p3:t1r5c2") == "第3页 表1第5行第2列" and describe("t2r4c3") == "表2第4行第3列"


def test_several_documents_have_a_summary_first(two):
    out = build_review_opinion(two)
    assert [p.name for p in out.parts] == ["汇总", "1 000_82772c604d1a37f5", "2 004_576cc429f8cd71c8"]
    summary = _texts(_table(out.parts[0]))
    assert summary[0] == ["序号", "文件", "单位", "错误", "警告", "提示", "合计"]
    for n, doc in enumerate(two, start=1):
        by = {s: sum(1 for i in doc.items if i.finding.severity == s) for s in Severity}
        assert summary[n] == [str(n), doc.name, doc.org, str(by[Severity.ERROR]), str(by[Severity.WARNING]),
                              str(by[Severity.INFO]), str(len(doc.items))]
    assert summary[-1][0] == "合计" and summary[-1][-1] == str(sum(len(d.items) for d in two))
    for part, doc in zip(out.parts[1:], two, strict=True):
        assert _texts(_table(part)) == _expected_rows(doc)
    with pytest.raises(ValueError):
        build_review_opinion([])


def _read_rows(data: bytes, name: str) -> list[list[str]]:
    """Every table row and paragraph of the file as jixiao reads it, in order: a row's trailing
    empty cells dropped, a merged row (each slot holds the merge's text) read once, spaces removed
    (the readers drop a space between a number and Chinese)."""
    raw, _doc, _findings = read_back(data, name)
    out = []
    for block in raw.blocks:
        rows = [row.texts for row in block.rows] if isinstance(block, Grid) else [[block.text]]
        for row in rows:
            row = [compact(t) for t in row]
            while row and not row[-1]:
                row.pop()
            out.append(row[:1] if len(set(row)) == 1 else row)
    return out


def _contains(rows: list[list[str]], expected: list[list[str]]) -> bool:
    want = [[compact(t) for t in row] for row in expected]
    for row in want:
        while row and not row[-1]:
            row.pop()
    return any(rows[i:i + len(want)] == want for i in range(len(rows)))


def test_xlsx_round_trip_and_layout(two):
    out = build_review_opinion(two)
    data = formats.write(out, "xlsx")
    rows = _read_rows(data, "审核意见书.xlsx")
    for doc in two:
        assert _contains(rows, _expected_rows(doc)), doc.name
    facts = {s.name: s for s in xlsx_facts(data)}
    assert list(facts) == [p.name for p in out.parts]
    sheet = facts["1 000_82772c604d1a37f5"]
    assert sheet.paper == 9 and sheet.orientation == "landscape"
    assert sheet.print_title_rows  # the header row repeats on every printed page
    header_row = next(int(c[1:]) for c, v in sheet.cells.items() if v == "序号" and c.startswith("A"))
    assert sheet.print_title_rows.endswith(f"${header_row}")
    groups = [c for c, v in sheet.cells.items() if isinstance(v, str) and v.startswith(("错误（", "警告（", "提示（"))]
    assert groups and all(f"{c}:H{c[1:]}" in sheet.merged for c in groups)
    assert {"宋体", "黑体"} <= sheet.fonts
    message = next(c for c, v in sheet.cells.items() if c.startswith("D") and isinstance(v, str) and len(v) > 40)
    assert sheet.wrap[message]


def test_docx_round_trip_and_layout(one):
    out = build_review_opinion([one])
    data = formats.write(out, "docx")
    expected = _expected_rows(one)
    assert _contains(_read_rows(data, "审核意见书.docx"), expected)
    facts = docx_facts(data)
    (table,) = facts.tables
    assert table.header_rows == 1  # w:tblHeader: repeated on every page
    assert table.texts == expected
    group_rows = [r for r, row in enumerate(expected) if len(row) == 1]
    assert [(r, 0, len(HEADERS)) for r in group_rows] == [s for s in table.spans if s[0] in group_rows]
    (section,) = facts.sections
    assert section.orientation == "landscape" and (section.width_mm, section.height_mm) == (297.0, 210.0)
    assert {"宋体", "黑体"} <= facts.east_asia_fonts and facts.runs_without_east_asia == 0


def test_pdf_embeds_fonts_and_reads_back(two):
    layout = load_review_layout()
    out = build_review_opinion(two, layout)
    pdf = formats.write(out, "pdf")
    pages = render_png(pdf, "review_opinion")
    assert len(pages) >= 3
    fonts = pdf_fonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    assert any("CJK" in f["name"] for f in fonts)
    text = compact(pdf_text(pdf))
    assert "审核意见书汇总" in text and "单位负责人（签字）" in text
    # read back by jixiao's PDF reader: every row of every table, the header repeated on each page
    rows = _read_rows(pdf, "审核意见书.pdf")
    for doc in two:
        for row in _expected_rows(doc):
            assert _contains(rows, [row]), row
    # the header row on every page the table runs onto
    table_pages = [compact(p) for p in pdf_text(pdf, layout=True).split("\f") if re.search(r"第\s*\d+\s*行", p)]
    assert len(table_pages) >= 4 and all("序号位置审核对象问题说明" in p for p in table_pages)


@given(page=st.none() | st.integers(1, 999), table=st.none() | st.integers(1, 99), row=st.integers(1, 9999),
       column=st.none() | st.integers(1, 99), paragraph=st.integers(1, 9999), line=st.integers(1, 99999),
       form=st.sampled_from(["table", "paragraph", "line", "sheet"]))
def test_every_location_in_words_keeps_its_numbers(page, table, row, column, paragraph, line, form):
    """Whatever a finding's location holds, the 位置 column states each of its numbers, without the file."""
    from jixiao.findings import Finding
    from jixiao.model.source import Location
    from jixiao.write.review_opinion import place

    name = "目标表.pdf"
    if form == "sheet":
        loc, numbers = Location(name, sheet="收支总表", cell=f"B{row}"), [f"B{row}"]
    elif form == "table" and table is not None:
        loc = Location(name, page=page, table=table, row=row, column=column)
        numbers = [f"第{page}页"] * (page is not None) + [f"表{table}第{row}行"] + [f"第{column}列"] * (column is not None)
    elif form == "paragraph":
        loc, numbers = Location(name, page=page, paragraph=paragraph), [f"第{paragraph}段"]
    else:
        loc, numbers = Location(name, line=line, page=page), [f"第{line}行"]
    text = place(Finding("x", Severity.INFO, "m", loc), name)
    assert name not in text and all(n in text for n in numbers), (str(loc), text)

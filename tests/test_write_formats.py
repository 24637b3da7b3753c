"""The three writers (write/xlsx.py, write/docx.py, write/pdf.py) on one format-neutral document: a
landscape form with a merged two-row header, 一级 cells merged over many rows (the table runs over
several pages), numbers, a 填报单位 | 单位 line, a signature line and a fill place; then a portrait
part of report text. Facts are read from the files written (openpyxl, the DOCX XML, pdffonts,
pdftotext), and the files are read back by jixiao's own readers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.readers.grid import Row
from jixiao.write.formats import FORMATS
from jixiao.write.formats import MEDIA_TYPES
from jixiao.write.formats import SUFFIXES
from jixiao.write.formats import write
from jixiao.write.layout import Cell
from jixiao.write.layout import Column
from jixiao.write.layout import Font
from jixiao.write.layout import Fonts
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Page
from jixiao.write.layout import PageBreak
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table
from tests.write_helpers import compact
from tests.write_helpers import cut_cells
from tests.write_helpers import docx_facts
from tests.write_helpers import pdf_fonts
from tests.write_helpers import pdf_pages
from tests.write_helpers import pdf_text
from tests.write_helpers import read_back
from tests.write_helpers import render_png
from tests.write_helpers import to_pdf
from tests.write_helpers import xlsx_facts

SECOND_LEVELS = ("数量指标", "质量指标", "时效指标", "成本指标")
N = 36  # indicator rows: more than one landscape page


def _indicator(i: int) -> str:
    return f"第{i + 1}项工作任务完成数量" + ("（含线上线下渠道办理的全部政务服务事项）" if i % 5 == 0 else "")


def _table() -> Table:
    h = "header"
    rows: list[tuple[Cell | None, ...]] = [
        (Cell("一级指标", role=h, rowspan=2), Cell("二级指标", role=h, rowspan=2), Cell("三级指标", role=h, rowspan=2),
         Cell("指标值", role=h, colspan=2), None),
        (None, None, None, Cell("目标值", role=h), Cell("预算（万元）", role=h)),
    ]
    per = N // len(SECOND_LEVELS)
    for i in range(N):
        first = Cell("产出指标", role="label", rowspan=N) if i == 0 else None
        second = Cell(SECOND_LEVELS[i // per], role="label", rowspan=per) if i % per == 0 else None
        amount = Decimal(i * 1250) + Decimal("0.35")
        rows.append((first, second, Cell(_indicator(i)), Cell(f"≥{90 + i % 10}%"),
                     Cell(f"{amount:,.2f}", value=amount, role="number")))
    rows.append((Cell("合计", role="total", colspan=4), None, None, None,
                 Cell("787,512.60", value=Decimal("787512.60"), role="total")))
    columns = (Column(Decimal(12)), Column(Decimal(12)), Column(Decimal(60)), Column(Decimal(16)), Column(Decimal(18)))
    return Table(columns=columns, rows=tuple(rows), header_rows=2, name="绩效指标")


FONTS = Fonts(title=Font("方正小标宋简体", Decimal(18)), heading=Font("黑体", Decimal(16)), body=Font("仿宋", Decimal(16)),
              table_header=Font("黑体", Decimal(10)), table_body=Font("宋体", Decimal(10)), small=Font("仿宋", Decimal(12)))
DOC = OutputDocument(
    title="2023年度项目支出绩效目标表",
    kind="test",
    parts=(
        Part("项目支出绩效目标表", blocks=(
            Paragraph("2023年度项目支出绩效目标表", role="title"),
            Paragraph("填报单位：某某市政务服务中心\t单位：万元", role="subtitle"),
            _table(),
            Paragraph("填表人：张三\t联系电话：0731-88888888\t填报日期：2023年1月10日", role="signature"),
        ), page=Page(orientation="landscape", margins_mm=(Decimal(20), Decimal(15), Decimal(20), Decimal(15))),
            fonts=FONTS),
        Part("说明", blocks=(
            Paragraph("一、基本情况", role="heading1"),
            Paragraph("全年预算 787,512.60 万元，执行 700,000.00 万元，执行率 88.89%。" * 3, role="body"),
            PageBreak(),
            Paragraph("【请填写：存在的问题】", role="fill", key="问题"),
        ), fonts=FONTS),
    ),
)
TABLE = DOC.parts[0].blocks[2]


def _filled_rows(table: Table) -> list[list[str]]:
    """The table's texts with merged cells repeated into every slot they cover (as readers fill them)."""
    grid = [[""] * len(table.columns) for _ in table.rows]
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell is not None:
                for rr in range(r, r + cell.rowspan):
                    for cc in range(c, c + cell.colspan):
                        grid[rr][cc] = cell.text
    return grid


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return {fmt: write(DOC, fmt) for fmt in ("xlsx", "docx")}


@pytest.fixture(scope="module")
def pdfs(files) -> dict[str, bytes]:
    """The PDF writer's output, and the XLSX rendered by LibreOffice (each conversion ~1 s)."""
    return {"docx": write(DOC, "pdf"), "xlsx": to_pdf(files["xlsx"], "xlsx")}


def test_formats_table():
    assert FORMATS == ("xlsx", "docx", "pdf")
    assert set(MEDIA_TYPES) == set(SUFFIXES) == set(FORMATS)
    with pytest.raises(ValueError, match="不支持的输出格式"):
        write(DOC, "odt")


def test_files_are_what_they_say(files, pdfs):
    assert files["xlsx"][:2] == b"PK" and files["docx"][:2] == b"PK"
    assert pdfs["docx"][:5] == b"%PDF-"


def test_xlsx_layout_facts(files):
    sheet, notes = xlsx_facts(files["xlsx"])
    assert sheet.name == "项目支出绩效目标表" and notes.name == "说明"
    # title row 1, subtitle row 2 (two halves), table from row 3: header rows 3–4 repeated on every page
    assert sheet.print_title_rows == "$3:$4"
    per = N // len(SECOND_LEVELS)
    expected = {"A1:E1", "A3:A4", "B3:B4", "C3:C4", "D3:E3", f"A5:A{4 + N}", f"A{5 + N}:D{5 + N}"}
    expected |= {f"B{5 + k * per}:B{4 + (k + 1) * per}" for k in range(len(SECOND_LEVELS))}
    assert expected <= sheet.merged
    assert sheet.cells["A1"] == "2023年度项目支出绩效目标表"
    assert sheet.paper == 9 and sheet.orientation == "landscape" and sheet.fit_to_page and sheet.fit_width == 1 and sheet.fit_height == 0
    assert notes.orientation == "portrait"
    assert "&P" in sheet.footer and "&N" in sheet.footer
    assert {"方正小标宋简体", "仿宋", "黑体", "宋体"} <= sheet.fonts
    assert sheet.widths["C"] == pytest.approx(60, abs=1) and sheet.widths["A"] == pytest.approx(12, abs=1)
    # numbers stay numbers, with their format
    assert sheet.cells["E6"] == pytest.approx(1250.35) and sheet.number_formats["E6"] == "#,##0.00"
    assert sheet.cells[f"E{5 + N}"] == pytest.approx(787512.60)


def test_xlsx_no_text_cut(files):
    """Every cell's text fits its merged width on one line, or wraps and its rows are tall enough."""
    sheet = xlsx_facts(files["xlsx"])[0]
    assert len(sheet.cells) > N * 3
    assert cut_cells(sheet) == []


def test_docx_layout_facts(files):
    facts = docx_facts(files["docx"])
    landscape, portrait = facts.sections
    assert (landscape.width_mm, landscape.height_mm, landscape.orientation) == (297.0, 210.0, "landscape")
    assert landscape.margins_mm == (20.0, 15.0, 20.0, 15.0)
    assert (portrait.width_mm, portrait.height_mm, portrait.orientation) == (210.0, 297.0, "portrait")
    for section in facts.sections:
        assert [f.strip() for f in section.footer_fields] == ["PAGE", "NUMPAGES"]
    (table,) = facts.tables
    assert table.header_rows == 2 and table.cant_split
    # grid widths in proportion to the columns, filling the text width (297 − 30 mm)
    assert abs(sum(table.grid) - round(267 * 56.6929)) <= 5
    assert table.grid[2] == pytest.approx(table.grid[0] * 5, rel=0.01)
    assert (0, 3, 2) in table.spans and (2 + N, 0, 4) in table.spans
    assert (0, 0, "restart") in table.vmerges and (1, 0, "continue") in table.vmerges
    assert sum(1 for r, c, kind in table.vmerges if c == 0 and kind == "continue") == 1 + N - 1
    assert table.texts[0] == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert table.texts[2][:3] == ["产出指标", "数量指标", _indicator(0)]
    # every run names its East Asian font
    assert facts.runs_without_east_asia == 0
    assert {"方正小标宋简体", "仿宋", "黑体", "宋体"} <= facts.east_asia_fonts
    paragraphs = dict(facts.paragraphs)
    assert paragraphs["2023年度项目支出绩效目标表"]["jc"] == "center"
    body = next(f for t, f in facts.paragraphs if t.startswith("全年预算"))
    assert body["firstLineChars"] == "200"
    assert paragraphs["【请填写：存在的问题】"]["shd"] == "FFF2CC"


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_read_back_by_jixiao_readers(files, fmt):
    """jixiao's own readers give back every row of the table, merged cells filled."""
    raw, _document, _findings = read_back(files[fmt], f"目标表{SUFFIXES[fmt]}")
    rows = [[t.strip() for t in line.texts] for line in raw.lines() if isinstance(line, Row)]
    width = len(TABLE.columns)
    got = [row[:width] for row in rows if len(row) >= width]
    for want in _filled_rows(TABLE):
        assert want in got, want
    texts = [line.text for line in raw.lines() if not isinstance(line, Row)] + [" ".join(r) for r in rows]
    assert any("2023年度项目支出绩效目标表" in t for t in texts)
    assert any("填报单位：某某市政务服务中心" in t for t in texts)


def test_pdf_fonts_embedded_and_text_read_back(pdfs):
    for source, pdf in pdfs.items():
        fonts = pdf_fonts(pdf)
        assert fonts and all(f["emb"] == "yes" for f in fonts), (source, fonts)
        assert any("CJK" in f["name"] for f in fonts), (source, fonts)
        text = compact(pdf_text(pdf))
        for row in TABLE.rows:
            for cell in row:
                if cell is not None:
                    assert compact(cell.text) in text, (source, cell.text)
        assert "填报单位：某某市政务服务中心" in text and "单位：万元" in text


def test_pdf_pages_and_png(pdfs):
    pages = pdf_pages(pdfs["docx"])
    landscape = [p for p in pages if p[0] > p[1]]
    portrait = [p for p in pages if p[0] < p[1]]
    assert len(landscape) >= 2 and len(portrait) == 2  # the table runs over pages; the PageBreak
    assert landscape[0] == pytest.approx((841.9, 595.3), abs=1)
    # the header rows are printed again on the table's second page
    second = pdf_text(pdfs["docx"]).split("\f")[1]
    assert "一级指标" in second and "预算（万元）" in compact(second)
    for source, pdf in pdfs.items():
        pngs = render_png(pdf, f"write-formats-{source}")
        assert len(pngs) >= 3 and all(p.stat().st_size > 2000 for p in pngs)


def test_cut_cells_finds_cut_text():
    """The no-cut check fails on a sheet where text is cut: no wrap in a narrow column, or wrap on
    with a row too low for its lines (a workbook written by openpyxl, as a careless export would)."""
    import io

    import openpyxl
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    ws = book.active
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 10
    ws["A1"] = "受理、办结全市政务服务事项数量"  # 30 columns wide in a 10-wide column, not wrapped
    ws["B1"] = "市、镇、村三级服务中心覆盖率达到百分之九十五"
    ws["B1"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[1].height = 15  # one line for a text that needs five
    ws["A2"] = "短文字"
    buffer = io.BytesIO()
    book.save(buffer)
    (sheet,) = xlsx_facts(buffer.getvalue())
    assert [coord for coord, _text in cut_cells(sheet)] == ["A1", "B1"]


def test_pdf_without_libreoffice_says_why(monkeypatch):
    from jixiao.write.pdf import PdfError

    monkeypatch.setenv("JIXIAO_SOFFICE", "no-such-soffice")
    with pytest.raises(PdfError, match="本机未安装 LibreOffice"):
        write(DOC, "pdf")


def test_percent_cells_keep_the_ratio():
    """A percent cell's value is the ratio: XLSX stores 0.9550 with 0.00%, jixiao's reader prints 95.50%."""
    table = Table(columns=(Column(Decimal(12)), Column(Decimal(12))), rows=(
        (Cell("预算执行率", role="label"), Cell("95.50%", value=Decimal("0.955"), role="percent")),))
    doc = OutputDocument("t", (Part("执行率", (table,)),))
    data = write(doc, "xlsx")
    (sheet,) = xlsx_facts(data)
    assert sheet.cells["B1"] == pytest.approx(0.955) and sheet.number_formats["B1"] == "0.00%"
    raw, _document, _findings = read_back(data, "执行率.xlsx")
    assert [line.texts for line in raw.lines() if isinstance(line, Row)] == [["预算执行率", "95.50%"]]

"""The PDF reader (readers/pdf.py) on the real Shanghai disclosures and on bad PDFs built here.

tests/data/real/*.txt are these PDFs' text as the retired ``tools/pdf_text.py`` (pdfplumber)
extracted it; the reader must give the same text, line for line (its dump), and the same parsed
document. Bad files are made with real tools: qpdf (encryption, page assembly), PDFium (a
sideways page), Pillow (an image-only "scan" of a rendered page).
"""

from __future__ import annotations

import ctypes
import io
import json
import re
import subprocess
import sys
import types
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from jixiao.findings import Finding
from jixiao.model.budget import BudgetTable
from jixiao.pipeline import parse_file
from jixiao.readers.build import DocBuilder
from jixiao.readers.dump import to_text
from jixiao.readers.files import read_bytes
from jixiao.readers.grid import Grid
from jixiao.readers.grid import Merge
from jixiao.readers.grid import Paragraph
from jixiao.readers.pdf import join_split_rows
from jixiao.readers.pdf import read_pdf
from jixiao.readers.pdf_layout import Char
from jixiao.readers.pdf_layout import Line
from jixiao.readers.pdf_layout import PageLayout
from jixiao.readers.pdf_layout import Table
from jixiao.readers.pdf_layout import dedupe
from jixiao.readers.pdf_layout import join_wrapped_text
from jixiao.readers.pdf_layout import layout
from jixiao.render.document_json import document_json
from jixiao.rules import run
from tests.conftest import DATA

REAL = DATA / "real"
DEPT = "sh_putuo_govoffice_2025_dept_budget"
UNIT = "sh_putuo_govoffice_2025_unit_budget"
WANLI = "sh_putuo_wanli_street_2024_dept_budget"
STEMS = [DEPT, UNIT, WANLI]


@cache
def read(stem: str, lines: bool = False):
    return read_pdf((REAL / f"{stem}.pdf").read_bytes(), f"{stem}.pdf", lines=lines)


@cache
def parsed(stem: str, ext: str):
    path = REAL / f"{stem}.{ext}"
    doc, found = parse_file(path, name=path.name)
    return doc, found, sorted([*found, *run(doc)], key=Finding.sort_key)


def pdf_bytes(stem: str) -> bytes:
    return (REAL / f"{stem}.pdf").read_bytes()


def codes(findings) -> list[str]:
    return [f.code for f in findings]


# ---------------------------------------------------------------- the real documents


@pytest.mark.parametrize("stem", STEMS)
def test_dump_is_the_text_fixture(stem):
    """Same tables, merged cells, wrapped cells, text lines and page breaks as pdfplumber's path:
    read a paragraph per printed line, the dump equals the fixture line for line (the fixture
    keeps trailing empty cells as tabs)."""
    raw, findings = read(stem, lines=True)
    assert findings == []
    fixture = "\n".join(line.rstrip("\t") for line in (REAL / f"{stem}.txt").read_text(encoding="utf-8").split("\n"))
    assert to_text(raw) == fixture


def _without_locations(value):
    if isinstance(value, dict):
        return {k: _without_locations(v) for k, v in value.items() if k not in ("location", "source") and not k.endswith("_location")}
    if isinstance(value, list):
        return [_without_locations(v) for v in value]
    return value


_WHERE = re.compile(r"第 \d+ (行|页)")  # a message naming a place says 第 N 页 for a PDF, 第 N 行 for text


@pytest.mark.parametrize("stem", STEMS)
def test_the_pdf_parses_as_its_text(stem):
    """Read directly (wrapped lines joined into paragraphs), the PDF gives the document and the
    findings its text export gives, locations aside."""
    doc_txt, found_txt, checked_txt = parsed(stem, "txt")
    doc_pdf, found_pdf, checked_pdf = parsed(stem, "pdf")
    assert _without_locations(document_json(doc_pdf, "x", found_pdf)) == _without_locations(
        document_json(doc_txt, "x", found_txt))

    def key(f: Finding):
        return (f.code, _WHERE.sub("第 N 处", f.message), f.subject, f.expected, f.actual)

    assert sorted(key(f) for f in checked_pdf) == sorted(key(f) for f in checked_txt)


def test_locations_name_the_page_table_and_row():
    """Checked by hand against the PDFs: page 11 of the 部门预算 holds 支出预算总表, whose 6th row
    (after three header rows, 201 and 201 03) is 2010301 行政运行 with 110,000.00 项目支出; page 9
    of 万里街道 has item 31 (350.35万元, then 预算安排352.67万元 on its second printed line); page 29
    has the economic codes printed 301 | 2 and 301 | 7 in rows 6 and 7 of its table (one finding
    each)."""
    found = [(str(f.location), f.code) for f in parsed(DEPT, "pdf")[2]]
    assert (f"{DEPT}.pdf:p11:t1r6", "func-code-placement") in found
    assert (f"{DEPT}.pdf:p14:t1r6", "func-code-placement") in found
    (mismatch,) = [f for f in parsed(WANLI, "pdf")[2] if f.code == "text-text-mismatch"]
    assert mismatch.location.page == 9 and str(mismatch.location) == f"{WANLI}.pdf:p9:{mismatch.location.line}"
    codes_at = {str(f.location): f.message for f in parsed(WANLI, "pdf")[2] if "“301 2”" in f.message or "“301 7”" in f.message}
    assert sorted(codes_at) == [f"{WANLI}.pdf:p29:t1r6", f"{WANLI}.pdf:p29:t1r7"]
    assert "“301 2”" in codes_at[f"{WANLI}.pdf:p29:t1r6"]
    raw, _ = read(WANLI)
    (item,) = [p for p in raw.lines() if isinstance(p, Paragraph) and p.location.line == mismatch.location.line]
    assert item.text.startswith("31. “住房保障支出") and "350.35万元" in item.text and "预算安排352.67万元" in item.text


def test_merged_cells_fill_their_slots_and_are_passed():
    raw, _ = read(DEPT)
    (grid,) = [b for b in raw.blocks if isinstance(b, Grid) and b.location.page == 9]
    assert grid.rows[0].texts == ["项目"] * 4 + ["收入预算"] * 5
    assert grid.rows[1].texts[:4] == ["功能分类科目编码"] * 3 + ["功能分类科目名称"]
    assert grid.rows[2].texts[:4] == ["类", "款", "项", "功能分类科目名称"]  # 名称 spans two header rows
    assert {Merge(0, 0, 0, 3), Merge(0, 4, 0, 8), Merge(1, 0, 1, 2), Merge(1, 3, 2, 3)} <= set(grid.merges)
    assert str(grid.rows[3].location) == f"{DEPT}.pdf:p9:t1r4" and grid.rows[3].texts[:4] == ["201", "", "", "一般公共服务支出"]


def test_a_framed_table_of_contents_is_text_and_pages_are_separated():
    raw, _ = read(DEPT)
    page2 = [b for b in raw.blocks if b.location.page == 2]
    assert all(isinstance(b, Paragraph) for b in page2) and page2[0].text == "目 录"
    assert len(page2) == 17
    lines = to_text(raw).split("\n")
    first_of_page = {b.location.page: b.location.line for b in reversed(raw.blocks)}
    assert all(lines[first_of_page[p] - 2] == "" for p in range(2, 23))  # a blank line before every page


def test_a_table_over_two_pages_is_one_table_without_its_repeated_header():
    """一般公共预算支出功能分类预算表 runs over pages 14 and 15; page 15 repeats the header rows."""
    doc, _, _ = parsed(DEPT, "pdf")
    (t,) = [t for t in doc.tables if t.kind == "general_budget_expenditure"]
    assert isinstance(t, BudgetTable)
    assert [r.location.page for r in t.rows] == [14] * 13 + [15] * 8
    assert not [r for r in t.rows if r.name in ("项目", "功能分类科目名称", "类")]
    assert (t.rows[13].code, t.rows[-1].name) == ("21011", "合计")
    raw, _ = read(DEPT)
    page15 = [r for r in raw.lines() if r.location.page == 15]
    assert page15[0].texts[:5] == ["项目"] * 4 + ["一般公共预算支出"]  # it is there, and the parser drops it


@pytest.mark.parametrize("stem", STEMS)
def test_an_empty_table_page_is_that_table_empty(stem):
    doc, _, _ = parsed(stem, "pdf")
    for kind in ("gov_fund_expenditure", "state_capital_expenditure"):
        (t,) = [t for t in doc.tables if t.kind == kind]
        assert [(r.name, r.total) for r in t.rows] == [("合计", None)]
        assert t.empty_statement == "故本表为空表"


@pytest.mark.parametrize("stem", STEMS)
def test_every_title_starts_its_own_table(stem):
    doc, _, _ = parsed(stem, "pdf")
    kinds = [t.kind for t in doc.tables if isinstance(t, BudgetTable)]
    assert len(kinds) == len(set(kinds)) == 9
    for t in doc.tables:
        if isinstance(t, BudgetTable):
            assert t.rows and all(r.location.page >= t.location.page for r in t.rows)


def test_pipeline_reads_a_pdf_by_its_content():
    raw, findings = read_bytes(pdf_bytes(DEPT), "部门预算（无扩展名）")
    assert findings == [] and raw.layout == "pdf" and raw.blocks[0].location.page == 1


# ---------------------------------------------------------------- pages turned and wrapped


def _turned(data: bytes, quarter_turns: int) -> bytes:
    """Page 1 of ``data`` drawn turned by 90° steps (counter-clockwise) on a new page, by PDFium."""
    src = pdfium.PdfDocument(data)
    width, height = src[0].get_size()
    dst = pdfium.PdfDocument.new()
    xobject = pdfium_c.FPDF_NewXObjectFromPage(dst.raw, src.raw, 0)
    form = pdfium_c.FPDF_NewFormObjectFromXObject(xobject)
    matrix, size = {
        1: ((0, 1, -1, 0, height, 0), (height, width)),
        2: ((-1, 0, 0, -1, width, height), (width, height)),
        3: ((0, -1, 1, 0, 0, width), (height, width)),
    }[quarter_turns]
    pdfium_c.FPDFPageObj_Transform(form, *matrix)
    page = dst.new_page(*size)
    pdfium_c.FPDFPage_InsertObject(page.raw, form)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    pdfium_c.FPDF_CloseXObject(xobject)
    out = io.BytesIO()
    dst.save(out)
    return out.getvalue()


def _pages(tmp_path: Path, data: bytes, pages: str) -> bytes:
    """Pages of ``data`` (qpdf page ranges such as "11" or "8-9") as a PDF of their own."""
    src, out = tmp_path / "src.pdf", tmp_path / f"pages-{pages}.pdf"
    src.write_bytes(data)
    subprocess.run(["qpdf", "--empty", "--pages", str(src), pages, "--", str(out)], check=True)
    return out.read_bytes()


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_a_table_printed_sideways_reads_as_upright(tmp_path, turns):
    page = _pages(tmp_path, pdf_bytes(DEPT), "11")
    upright, _ = read_pdf(page, "p.pdf")
    turned, findings = read_pdf(_turned(page, turns), "p.pdf")
    assert findings == [] and to_text(turned) == to_text(upright)
    assert "201\t03\t01\t行政运行\t12,029,501.84\t11,919,501.84\t110,000.00" in to_text(turned)


def test_a_hyphen_ending_a_line_is_kept():
    """PDFium reports a hyphen at the end of a line as a soft-hyphen mark (U+0002, U+FFFE in its
    text); the reader gives the printed "-", as pdfplumber does."""
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    font = pdfium_c.FPDFText_LoadStandardFont(doc.raw, b"Helvetica")
    for text, y in (("score = (rate-", 700), ("60%) / 40%", 688)):
        obj = pdfium_c.FPDFPageObj_CreateTextObj(doc.raw, font, 10.0)
        units = (text + "\0").encode("utf-16-le")
        pdfium_c.FPDFText_SetText(obj, (ctypes.c_ushort * (len(units) // 2)).from_buffer_copy(units))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, y)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    doc.save(out)
    raw, findings = read_pdf(out.getvalue(), "hyphen.pdf", lines=True)
    assert findings == [] and to_text(raw) == "score = (rate-\n60%) / 40%\n"


def test_wrapped_cell_text_is_joined():
    assert join_wrapped_text("政务大", "厅办件") == "政务大厅办件"
    assert join_wrapped_text("152", "001") == "152001"  # a number broken by a narrow column
    assert join_wrapped_text("1,9", "55.") == "1,955."
    assert join_wrapped_text("ISO", "9001") == "ISO 9001"
    assert join_wrapped_text("annual", "report") == "annual report"
    assert join_wrapped_text("90%-", "95%的计8分") == "90%-95%的计8分"
    assert join_wrapped_text("well-", "known") == "well-known"


def _text(text: str, x: float, top: float, size: float = 10) -> list[Char]:
    return [Char(ch, x + i * size, top, x + (i + 1) * size, top + size) for i, ch in enumerate(text)]


def test_overprinted_glyphs_are_read_once():
    """A bold face faked by printing each glyph twice, 0.3 pt apart."""
    plain = _text("合计", 10, 10)
    twice = [c for ch in plain for c in (ch, Char(ch.text, ch.x0 + 0.3, ch.top + 0.2, ch.x1 + 0.3, ch.bottom + 0.2))]
    assert dedupe(twice) == plain
    assert dedupe(_text("00", 10, 10)) == _text("00", 10, 10)  # the same digit side by side is two


def test_a_ruled_grid_with_a_merged_cell():
    """Three columns, three rows; the top row's cell spans all columns, the first column's last two
    rows are one cell: every slot gets its cell's text, the merges are passed, text outside is a line."""
    xs, ys = [100, 200, 300, 400], [100, 130, 160, 190]
    h = [(100, y, 400, y) for y in ys]
    v = [(x, 100, x, 190) for x in xs]
    v[1], v[2] = (200, 130, 200, 190), (300, 130, 300, 190)  # no inner verticals in the top row
    h[2] = (200, 160, 400, 160)  # no line between the last two rows of the first column
    chars = [*_text("收入预算", 110, 110), *_text("财政", 110, 140), *_text("1,234.5", 210, 140, 6),
             *_text("6", 210, 170, 6), *_text("单位：元", 110, 60)]
    page = layout(chars, h, v)
    assert [line.text for line in page.lines] == ["单位：元"]
    (table,) = page.tables
    assert table.rows == [["收入预算"] * 3, ["财政", "1,234.5", ""], ["财政", "6", ""]]
    assert table.merges == [Merge(0, 0, 0, 2), Merge(1, 0, 2, 0)]


def _courier_pdf(pages: list[tuple[list[tuple[float, float, str]], list[tuple[float, float, float, float]]]],
                 size=(400, 300)) -> bytes:
    """A PDF written by PDFium: per page, texts (x, top, text) in Courier 10 pt (6 pt a character)
    and ruled boxes (x0, top, x1, bottom) stroked; coordinates from the top left."""
    doc = pdfium.PdfDocument.new()
    font = pdfium_c.FPDFText_LoadStandardFont(doc.raw, b"Courier")
    width, height = size
    for texts, boxes in pages:
        page = doc.new_page(width, height)
        for x0, top, x1, bottom in boxes:
            rect = pdfium_c.FPDFPageObj_CreateNewRect(x0, height - bottom, x1 - x0, bottom - top)
            pdfium_c.FPDFPath_SetDrawMode(rect, 0, 1)
            pdfium_c.FPDFPage_InsertObject(page.raw, rect)
        for x, top, text in texts:
            obj = pdfium_c.FPDFPageObj_CreateTextObj(doc.raw, font, 10.0)
            units = (text + "\0").encode("utf-16-le")
            pdfium_c.FPDFText_SetText(obj, (ctypes.c_ushort * (len(units) // 2)).from_buffer_copy(units))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, height - top - 8)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_lines_wrapped_at_the_right_margin_are_one_paragraph():
    """A paragraph's lines run to the right margin and go on at the left one; a paragraph begins
    indented, or as a numbered item, and its last line stops short. A word that would not have
    fitted ("2025," after a line ending 12 characters short) is why a line ended."""
    lines = [
        (100, 40, "    The first paragraph starts"), (100, 52, "indented and runs over three"),
        (100, 64, "lines."),
        (100, 84, "    A second one wraps before a"), (100, 96, "long-number-1234567 ends."),
        (100, 116, "1. an item at the left margin."), (100, 128, "2. the next item, also at it."),
    ]
    raw, findings = read_pdf(_courier_pdf([(lines, [])]), "p.pdf")
    assert [p.text for p in raw.lines()] == [
        "The first paragraph starts indented and runs over three lines.",
        "A second one wraps before a long-number-1234567 ends.",
        "1. an item at the left margin.",
        "2. the next item, also at it.",
    ]
    assert [p.text for p in read_pdf(_courier_pdf([(lines, [])]), "p.pdf", lines=True)[0].lines()][:2] == [
        "The first paragraph starts", "indented and runs over three"]


def _split_row_pdf(last_line: str) -> bytes:
    """Page 1 ends with a table whose last row (B) runs to the bottom of the text area; page 2
    begins with the same columns: a row with only the description, then row C."""
    cols = (100, 160, 280)

    def row(top, bottom):
        return [(cols[0], top, cols[1], bottom), (cols[1], top, cols[2], bottom)]

    wrapped = [f"line {i:02d} of text, " for i in range(12)]  # 18 characters each: a full line
    page1 = [(40, 40, "Table 1"), (104, 62, "Item"), (164, 62, "Description"), (104, 82, "A"), (164, 82, "short"),
             (104, 102, "B"), *[(164, 102 + 12 * i, t) for i, t in enumerate([*wrapped, last_line])]]
    boxes1 = [*row(60, 80), *row(80, 100), *row(100, 262)]
    page2 = [(164, 42, "the rest of it."), (104, 66, "C"), (164, 66, "done.")]
    boxes2 = [*row(40, 64), *row(64, 88)]
    return _courier_pdf([(page1, boxes1), (page2, boxes2)])


def test_a_row_split_by_a_page_break_is_one_row():
    raw, findings = read_pdf(_split_row_pdf("the description go"), "split.pdf")
    assert findings == []
    rows = [r for r in raw.lines() if not isinstance(r, Paragraph)]
    assert [r.texts[0] for r in rows] == ["Item", "A", "B", "C"]
    (b,) = [r for r in rows if r.texts[0] == "B"]
    assert b.texts[1].startswith("line 00 of text, line 01") and b.texts[1].endswith("the description go the rest of it.")
    assert str(b.location) == "split.pdf:p1:t1r3" and str(rows[-1].location) == "split.pdf:p2:t1r1"


def test_a_complete_row_before_a_page_break_stays_complete():
    """The same pages, but row B's last line ends short of the cell's edge: page 2's first row is
    a row of its own (its label cell merged with B's, say), not the rest of B."""
    raw, _ = read_pdf(_split_row_pdf("end."), "whole.pdf")
    rows = [r.texts for r in raw.lines() if not isinstance(r, Paragraph)]
    assert rows[2][1].endswith("end.") and rows[3] == ["", "the rest of it."]


# ---------------------------------------------------------------- bad PDFs


def test_a_password_protected_pdf(tmp_path):
    src, out = tmp_path / "in.pdf", tmp_path / "locked.pdf"
    src.write_bytes(pdf_bytes(UNIT))
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", str(src), str(out)], check=True)
    raw, findings = read_bytes(out.read_bytes(), "locked.pdf")
    assert raw is None and codes(findings) == ["file-encrypted"]
    assert findings[0].message == "locked.pdf：文件已加密或设有打开密码（PDF 设有打开密码），请去除密码后重新导入"


def test_a_pdf_restricted_only_by_an_owner_password_is_read(tmp_path):
    src, out = tmp_path / "in.pdf", tmp_path / "restricted.pdf"
    src.write_bytes(pdf_bytes(UNIT))
    subprocess.run(["qpdf", "--encrypt", "", "owner-pw", "256", "--", str(src), str(out)], check=True)
    raw, findings = read_pdf(out.read_bytes(), f"{UNIT}.pdf")
    assert findings == [] and to_text(raw) == to_text(read(UNIT)[0])


@pytest.mark.parametrize("cut", [0.2, 0.9])
def test_a_truncated_pdf(cut):
    data = pdf_bytes(DEPT)
    raw, findings = read_bytes(data[: int(len(data) * cut)], "cut.pdf")
    assert raw is None and codes(findings) == ["file-corrupt"] and findings[0].message.startswith("cut.pdf：文件已损坏")


def test_a_pdf_header_on_garbage():
    raw, findings = read_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40, "garbage.pdf")
    assert raw is None and codes(findings) == ["file-corrupt"]


def test_pages_whose_fonts_are_damaged_are_named():
    """Zeroing 5 KB in the middle of the file destroys the font most pages use: they draw text
    objects but yield no characters. The readable pages are read, the others named."""
    data = bytearray(pdf_bytes(DEPT))
    middle = len(data) // 2
    data[middle : middle + 5000] = bytes(5000)
    raw, findings = read_pdf(bytes(data), "damaged.pdf")
    assert codes(findings) == ["file-part-unreadable"]
    assert findings[0].message == "damaged.pdf：第 3-22 页 无法读取（页面内容损坏或字体缺少文字编码），已跳过"
    assert {b.location.page for b in raw.blocks} == {1, 2}


def _scan(data: bytes, pages: list[int], dpi: int = 60) -> bytes:
    """An image-only PDF of the given pages (rendered by PDFium, written by Pillow): a scan."""
    pdf = pdfium.PdfDocument(data)
    images = [pdf[p - 1].render(scale=dpi / 72).to_pil().convert("RGB") for p in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


@pytest.fixture
def no_ocr(monkeypatch):
    """The OCR extra not installed (its module cannot be imported)."""
    monkeypatch.setitem(sys.modules, "jixiao.readers.ocr", None)


def test_a_scanned_pdf_without_ocr(no_ocr):
    raw, findings = read_bytes(_scan(pdf_bytes(DEPT), [8, 9]), "scan.pdf")
    assert raw is None and codes(findings) == ["file-scanned"]
    assert findings[0].message == "scan.pdf：扫描件，需安装 OCR 组件（pip install jixiao[ocr]）；共 2 页没有文字层"


def _mixed(tmp_path: Path) -> bytes:
    """Pages 8 and 9 of the 部门预算 with text, then page 11 scanned."""
    text, scan = tmp_path / "text.pdf", tmp_path / "scan.pdf"
    text.write_bytes(pdf_bytes(DEPT))
    scan.write_bytes(_scan(pdf_bytes(DEPT), [11]))
    out = tmp_path / "mixed.pdf"
    subprocess.run(["qpdf", "--empty", "--pages", str(text), "8-9", str(scan), "1", "--", str(out)], check=True)
    return out.read_bytes()


def test_a_pdf_with_a_scanned_page_without_ocr(tmp_path, no_ocr):
    raw, findings = read_pdf(_mixed(tmp_path), "mixed.pdf")
    assert codes(findings) == ["file-part-unreadable"]
    assert "第 3 页" in findings[0].message and "pip install jixiao[ocr]" in findings[0].message
    assert {b.location.page for b in raw.blocks} == {1, 2}
    assert raw.blocks[0].text == "2025年部门财务收支预算总表"


class _FakeOcr:
    """Stands in for the OCR engine (jixiao.readers.ocr): records what it is asked to read."""

    def __init__(self):
        self.calls: list[tuple] = []

    def module(self) -> types.ModuleType:
        module = types.ModuleType("jixiao.readers.ocr")
        module.available = lambda: True
        module.ocr_pdf = self.ocr_pdf
        module.OcrReader = lambda data, name: self
        return module

    def ocr_pdf(self, data, name, pages):
        self.calls.append(("ocr_pdf", pages))
        builder = DocBuilder(name, "ocr")
        for page in pages:
            builder.page_break()
            builder.paragraph(f"OCR 第 {page} 页", page=page)
        return builder.build(), []

    def read_page(self, builder, number):
        self.calls.append(("read_page", number))
        builder.paragraph("2025年部门支出预算总表", page=number)
        builder.grid([["类", "款", "项"], ["201", "03", "01"]], page=number, table=1)
        return []

    def summary(self):
        self.calls.append(("summary",))
        return []

    def close(self):
        self.calls.append(("close",))


def test_scanned_pages_go_to_the_ocr_component_in_their_place(tmp_path, monkeypatch):
    fake = _FakeOcr()
    monkeypatch.setitem(sys.modules, "jixiao.readers.ocr", fake.module())
    raw, findings = read_pdf(_mixed(tmp_path), "mixed.pdf")
    assert findings == [] and fake.calls == [("read_page", 3), ("summary",), ("close",)]
    last = raw.blocks[-2:]
    assert [b.location.page for b in last] == [3, 3] and isinstance(last[1], Grid)
    assert str(last[1].rows[1].location) == "mixed.pdf:p3:t1r2"
    assert to_text(raw).split("\n")[last[0].location.line - 2] == ""  # the page break before it

    fake.calls.clear()
    raw, findings = read_pdf(_scan(pdf_bytes(DEPT), [8, 9]), "scan.pdf")
    assert fake.calls == [("ocr_pdf", [1, 2])] and raw.layout == "ocr"


def test_a_pdf_without_pages_or_text():
    empty = pdfium.PdfDocument.new()
    empty.new_page(595, 842)
    out = io.BytesIO()
    empty.save(out)
    raw, findings = read_pdf(out.getvalue(), "blank.pdf")
    assert raw is None and codes(findings) == ["file-empty"]


def test_the_dump_of_a_pdf_is_json_serialisable():
    from jixiao.readers.dump import to_json

    raw, _ = read(DEPT)
    data = to_json(raw)
    assert json.loads(json.dumps(data, ensure_ascii=False))["blocks"][0]["location"] == f"{DEPT}.pdf:p1:1"


# ---------------------------------------------------------------- PDFs printed by LibreOffice


LO_SEEDS = ("000", "001", "002", "003", "004")  # 001: 126 pages of narrow 13-column tables


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory):
    """Seeds written to DOCX (tests/writers, real merges) and printed to PDF by LibreOffice, as a
    department prints its Word tables: rows split by page breaks, paragraphs wrapped into lines."""
    from jixiao.pipeline import read
    from tests.conftest import seed
    from tests.writers.docx import write_docx
    from tests.writers.office import to_pdf

    root = tmp_path_factory.mktemp("seed-pdfs")
    docx = [write_docx(read(seed(p), name=seed(p).name)[0], root / f"{seed(p).stem}.docx") for p in LO_SEEDS]
    return dict(zip(LO_SEEDS, to_pdf(docx, root / "pdf")))


def _comparable(path: Path, name: str):
    doc, found = parse_file(path, name=name)
    assert doc is not None, [f.message for f in found]
    findings = [*found, *run(doc)]
    return _without_locations(document_json(doc, name, found)), sorted(
        (f.code, _WHERE.sub("第 N 处", f.message), f.subject, f.expected, f.actual) for f in findings)


@pytest.mark.parametrize("prefix", LO_SEEDS)
def test_a_seed_printed_to_pdf_parses_like_its_text(prefix, seed_pdfs):
    from tests.conftest import seed

    original = seed(prefix)
    assert _comparable(seed_pdfs[prefix], original.name) == _comparable(original, original.name)


# ---------------------------------------------------------------- rows and words cut by a page break or a narrow column


def _cell_layout(lines: list[str], right: float):
    """A table whose first cell runs from x 100 to ``right`` (2 pt padding), its text in 10 pt
    lines; a second cell beside it."""
    chars = [c for i, text in enumerate(lines) for c in _text(text, 102, 102 + 15 * i)]
    bottom, end = 104 + 15 * len(lines), right + 40
    return layout([*chars, *_text("x", right + 2, 102)], [(100, 100, end, 100), (100, bottom, end, bottom)],
                  [(x, 100, x, bottom) for x in (100, right, end)])


def test_a_latin_word_broken_at_a_narrow_cells_edge_is_joined_without_a_space():
    """A word longer than a narrow column is broken by force: the line runs to the cell's edge
    (the next letter would not have fitted) and no space ends it. With room left, the line
    broke at a space."""
    assert _cell_layout(["长沙AP", "P政务"], 144).tables[0].rows == [["长沙APP政务", "x"]]
    assert _cell_layout(["长沙AP", "P政务"], 160).tables[0].rows == [["长沙AP P政务", "x"]]


def _part(rows, *, top=100.0, bottom=700.0, merges=(), open_=None, lead=None) -> Table:
    """A table's part on a page: two columns at x 100 and 200; ``open_``/``lead`` per row."""
    return Table((100.0, top, 300.0, bottom), [list(r) for r in rows], list(merges), [100.0, 200.0],
                 open_ or [{} for _ in rows], lead or [{} for _ in rows], 10.0)


def _split(before: str, after: str) -> list[list[str]]:
    t1 = _part([["项目", before]], open_=[{1: 0.0}])
    t2 = _part([["", after], ["下一行", "完整"]], top=50, bottom=300, lead=[{1: 10.5}, {}])
    join_split_rows([PageLayout([t1], []), PageLayout([t2], [])])
    return t1.rows + t2.rows


def test_a_complete_level_name_does_not_go_on_across_a_page_break():
    """Two level names, each a whole cell, are two rows even when the first fills its column to
    the page's bottom; a name the break did cut (服务对象 / 满意度指标) is joined."""
    assert _split("生态效益指标", "经济效益指标") == [["项目", "生态效益指标"], ["", "经济效益指标"], ["下一行", "完整"]]
    assert _split("服务对象", "满意度指标") == [["项目", "服务对象满意度指标"], ["下一行", "完整"]]
    assert _split("开展业务工作会议、培训", "次数") == [["项目", "开展业务工作会议、培训次数"], ["下一行", "完整"]]


def test_a_row_split_over_three_pages_is_one_row():
    t1 = _part([["项目", "第一页"]], open_=[{1: 0.0}])
    t2 = _part([["", "第二页"]], top=50, open_=[{1: 0.0}], lead=[{1: 10.5}])
    t3 = _part([["", "第三页"], ["下一行", "完整"]], top=50, bottom=300, lead=[{1: 10.5}, {}])
    join_split_rows([PageLayout([t1], []), PageLayout([t2], []), PageLayout([t3], [])])
    assert t1.rows == [["项目", "第一页第二页第三页"]] and t2.rows == [] and t3.rows == [["下一行", "完整"]]


def test_header_rows_a_page_break_cuts_go_to_the_next_page_together():
    """A table begins at the foot of a page with two header rows bound by a cell spanning both
    (单位编码); the break cuts them: they go to the next page, joined, the spanning cell one
    merged region whose part there (blank) gets its text."""
    title = Line(60.0, "2023年项目支出绩效目标表", 100.0, 250.0, 70.0)
    t1 = _part([["单位编", "绩效指标"], ["单位编", "一级"]], top=640, merges=[Merge(0, 0, 1, 0)],
               open_=[{0: 0.0}, {0: 0.0, 1: 0.0}])
    t2 = _part([["码", "指标"], ["", "数量指标"]], top=50, bottom=300, merges=[Merge(0, 0, 1, 0)],
               lead=[{0: 10.5, 1: 10.5}, {1: 10.5}])
    page = PageLayout([t1], [title])
    join_split_rows([page, PageLayout([t2], [])])
    assert page.tables == []
    assert t2.rows == [["单位编码", "绩效指标"], ["单位编码", "一级指标"], ["单位编码", "数量指标"]]
    assert t2.merges == [Merge(0, 0, 2, 0)]

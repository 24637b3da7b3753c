"""Scanned PDFs read by OCR (readers/ocr.py, the extra jixiao[ocr]).

The scans are made here from a real PDF: a page of the Shanghai disclosure is rendered to an
image by PDFium and saved as an image-only PDF by Pillow, so the test knows the true text (the
original's text layer) of every cell the OCR reads.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import numpy as np
import pypdfium2
import pytest
from PIL import Image
from PIL import ImageFilter

from jixiao.parse.document import parse_document
from jixiao.pipeline import read
from jixiao.readers import ocr
from jixiao.readers.grid import Grid
from jixiao.readers.ocr_rulings import find_tables

REAL = Path(__file__).parent / "data" / "real" / "sh_putuo_govoffice_2025_dept_budget.pdf"
OVERVIEW_PAGE = 8  # 2025年部门财务收支预算总表: a ruled table with merged header cells
DPI = 200


def page_image(number: int, dpi: int = DPI) -> Image.Image:
    pdf = pypdfium2.PdfDocument(REAL.read_bytes())
    try:
        return pdf[number - 1].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        pdf.close()


def image_pdf(*images: Image.Image, dpi: int = DPI) -> bytes:
    """An image-only PDF (no text layer), one page per image: what a scanner writes."""
    out = io.BytesIO()
    first, *rest = [im.convert("L") for im in images]
    first.save(out, format="PDF", resolution=dpi, save_all=True, append_images=rest)
    return out.getvalue()


def degraded(image: Image.Image) -> Image.Image:
    """A poor scan: a quarter of the resolution, blurred, scaled back."""
    w, h = image.size
    small = image.resize((w // 4, h // 4), Image.BILINEAR).filter(ImageFilter.GaussianBlur(1.0))
    return small.resize((w, h), Image.BILINEAR)


def grids_of_page(raw, page: int) -> list[Grid]:
    return [b for b in raw.blocks if isinstance(b, Grid) and b.location.page == page]


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ocr") / "scan.pdf"
    path.write_bytes(image_pdf(page_image(OVERVIEW_PAGE)))
    return path


@pytest.fixture(scope="module")
def scanned(scan):
    """The scan read through the pipeline (the PDF reader hands its pages to the OCR)."""
    return read(scan, name="scan.pdf")


@pytest.fixture(scope="module")
def original():
    return read(REAL, name="original.pdf")


def test_the_scan_has_no_text_layer_and_is_read_by_ocr(scanned):
    raw, findings = scanned
    assert raw is not None
    used = [f for f in findings if f.code == "ocr-used"]
    assert len(used) == 1
    assert "第 1 页没有文字层" in used[0].message and "共 1 页" in used[0].message
    assert not [f for f in findings if f.code in ("file-scanned", "file-part-unreadable", "ocr-no-text")]


def test_cells_match_the_text_layer_of_the_original_page(scanned, original):
    """Cell by cell, at the same row and column, against the PDF reader's grid of the original
    page (its text layer). Measured: 27 of 27 non-empty cells equal on this page (and 1,490 of
    1,494 table cells over every ruled page of the three real PDFs)."""
    (got,) = grids_of_page(scanned[0], 1)
    (want,) = grids_of_page(original[0], OVERVIEW_PAGE)
    assert len(got.rows) == len(want.rows)
    assert got.merges == want.merges  # the merged header cells 本年收入 / 本年支出
    pairs = [
        (w, g.texts[j] if j < len(g.texts) else "")
        for w_row, g in zip(want.rows, got.rows)
        for j, w in enumerate(w_row.texts)
        if w
    ]
    assert len(pairs) >= 25
    matched = sum(w.replace(" ", "") == g.replace(" ", "") for w, g in pairs)
    assert matched / len(pairs) >= 0.95, [p for p in pairs if p[0].replace(" ", "") != p[1].replace(" ", "")]


def test_locations_are_page_table_row_column(scanned):
    (grid,) = grids_of_page(scanned[0], 1)
    row = grid.rows[2]
    assert (row.location.page, row.location.table, row.location.row) == (1, 1, 3)
    assert str(row.cells[1].location) == "scan.pdf:p1:t1r3c2"
    title = scanned[0].blocks[0]
    assert title.text == "2025年部门财务收支预算总表" and title.location.page == 1 and title.location.line == 1


def test_the_table_is_recognised_and_its_amounts_equal_the_originals(scanned, original):
    """As ``jixiao.pipeline.parse_file`` does: the reader's RawDocument, parsed."""
    doc, _ = parse_document(scanned[0])
    original, _ = parse_document(original[0])
    (table,) = [t for t in doc.tables if t.title == "2025年部门财务收支预算总表"]
    (want,) = [t for t in original.tables if t.title == "2025年部门财务收支预算总表"]
    assert table.kind == want.kind == "budget_overview"
    got = [(r.name, r.side, r.total) for r in table.rows]
    assert got == [(r.name, r.side, r.total) for r in want.rows]
    totals = [t for _, _, t in got if t is not None]
    assert len(totals) == 8 and all(isinstance(t, Decimal) for t in totals)
    assert Decimal("91016775.35") in totals


def test_a_degraded_scan_gives_low_confidence_findings_at_their_cells(tmp_path):
    path = tmp_path / "poor.pdf"
    path.write_bytes(image_pdf(degraded(page_image(OVERVIEW_PAGE))))
    raw, findings = read(path, name="poor.pdf")
    low = [f for f in findings if f.code == "ocr-low-confidence"]
    assert low, [f.message for f in findings]
    in_table = [f for f in low if f.location.table is not None]
    assert in_table
    first = in_table[0]
    assert first.location.page == 1 and first.location.row and first.location.column
    assert f"表 {first.location.table} 第 {first.location.row} 行第 {first.location.column} 列" in first.message
    assert "置信度 0." in first.message and "低于 0.80" in first.message
    # the text read is named, and is the cell's text in the grid
    (grid,) = grids_of_page(raw, 1)
    row = next(r for r in grid.rows if r.location.row == first.location.row)
    assert f"“{row.texts[first.location.column - 1]}”" in first.message


def test_the_confidence_threshold_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("JIXIAO_OCR_MIN_CONFIDENCE", "0.95")
    assert ocr.min_confidence() == 0.95
    for bad in ("", "high", "0", "1.5"):
        monkeypatch.setenv("JIXIAO_OCR_MIN_CONFIDENCE", bad)
        assert ocr.min_confidence() == ocr.DEFAULT_MIN_CONFIDENCE


def test_a_page_that_shows_something_but_yields_no_text_is_reported(tmp_path):
    image = page_image(OVERVIEW_PAGE).crop((0, 0, 2339, 900))
    w, h = image.size
    hopeless = image.resize((w // 6, h // 6), Image.BILINEAR).filter(ImageFilter.GaussianBlur(3)).resize((w, h))
    doc, findings = ocr.ocr_pdf(image_pdf(hopeless), "hopeless.pdf")
    codes = [f.code for f in findings]
    assert "ocr-no-text" in codes, [f.message for f in findings]
    blank = Image.new("L", (800, 600), 250)
    doc, findings = ocr.ocr_pdf(image_pdf(blank), "blank.pdf")
    assert doc is not None and not doc.blocks
    assert [f.code for f in findings] == ["ocr-used"]


def test_a_pdf_with_text_pages_and_a_scanned_page_reads_both(tmp_path):
    """The PDF reader reads the text layer of page 1 and hands page 2 (a scan) to the OCR."""
    top = page_image(OVERVIEW_PAGE).crop((0, 0, 2339, 900))  # the title and the first rows
    mixed = pypdfium2.PdfDocument.new()
    text_pdf = pypdfium2.PdfDocument(REAL.read_bytes())
    scan_pdf = pypdfium2.PdfDocument(image_pdf(top))
    mixed.import_pages(text_pdf, [OVERVIEW_PAGE - 1])
    mixed.import_pages(scan_pdf, [0])
    out = io.BytesIO()
    mixed.save(out)
    for pdf in (mixed, text_pdf, scan_pdf):
        pdf.close()
    path = tmp_path / "mixed.pdf"
    path.write_bytes(out.getvalue())
    raw, findings = read(path, name="mixed.pdf")
    used = [f for f in findings if f.code == "ocr-used"]
    assert len(used) == 1 and "第 2 页没有文字层" in used[0].message
    (text_grid,) = grids_of_page(raw, 1)
    (ocr_grid,) = grids_of_page(raw, 2)
    assert ocr_grid.rows[0].location.line > text_grid.rows[-1].location.line
    assert ocr_grid.rows[2].texts == text_grid.rows[2].texts  # 一、财政拨款收入 91,016,775.35 …


def test_ocr_pdf_reads_only_the_pages_asked_for():
    blank = Image.new("L", (400, 300), 255)
    data = image_pdf(blank, page_image(OVERVIEW_PAGE).crop((0, 100, 2339, 560)))
    doc, findings = ocr.ocr_pdf(data, "two.pdf", pages=[2])
    assert {b.location.page for b in doc.blocks} == {2}
    assert doc.blocks[0].text == "2025年部门财务收支预算总表"
    doc, findings = ocr.ocr_pdf(data, "two.pdf", pages=[3])
    assert [f.code for f in findings if f.code == "file-part-unreadable"] == ["file-part-unreadable"]


def test_a_file_pdfium_cannot_open_is_reported_not_raised():
    doc, findings = ocr.ocr_pdf(b"%PDF-1.7\n garbage", "broken.pdf")
    assert doc is None and [f.code for f in findings] == ["file-corrupt"]


# ------------------------------------------------------------------------ the engine's install


def _run(code: str, **env) -> dict:
    """Run ``code`` in a fresh interpreter (the engine is loaded once per process); it prints JSON."""
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_the_engine_runs_with_the_network_refused_and_its_models_ship_in_its_wheel(tmp_path):
    """No download at run time: in a fresh process whose every socket connection fails, the
    engine loads the models bundled inside its installed package and reads a scanned page."""
    path = tmp_path / "small.pdf"
    path.write_bytes(image_pdf(page_image(OVERVIEW_PAGE).crop((0, 100, 2339, 560))))
    result = _run(
        f"""
        import json, socket
        def refuse(*args, **kwargs):
            raise OSError("network refused by the test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from pathlib import Path
        import rapidocr
        package = Path(rapidocr.__file__).parent
        before = sorted(str(p) for p in package.rglob("*") if p.is_file())
        from jixiao.readers import ocr
        from jixiao.pipeline import read
        raw, findings = read({str(path)!r})
        after = sorted(str(p) for p in package.rglob("*") if p.is_file())
        print(json.dumps({{
            "available": ocr.available(),
            "models": ocr._models(),
            "package": str(package),
            "new_files": sorted(set(after) - set(before)),
            "paragraphs": [b.text for b in raw.blocks if hasattr(b, "text")],
            "codes": [f.code for f in findings],
        }}, ensure_ascii=False))
        """
    )
    assert result["available"]
    assert all(path.startswith(result["package"]) for path in result["models"].values())
    assert result["new_files"] == []
    assert "2025年部门财务收支预算总表" in result["paragraphs"]
    assert "ocr-used" in result["codes"]


def test_without_the_extra_a_scanned_pdf_says_so(scan):
    """The engine blocked from importing, as if ``pip install jixiao[ocr]`` had not been run."""
    result = _run(
        f"""
        import json, sys
        sys.modules["rapidocr"] = None
        from jixiao.readers import ocr
        from jixiao.pipeline import read
        raw, findings = read({str(scan)!r}, name="scan.pdf")
        direct, direct_findings = ocr.ocr_pdf(open({str(scan)!r}, "rb").read(), "scan.pdf")
        print(json.dumps({{
            "available": ocr.available(),
            "raw": raw is not None,
            "messages": [(f.code, f.message) for f in findings],
            "direct": [direct is not None, [f.code for f in direct_findings]],
        }}, ensure_ascii=False))
        """
    )
    assert result["available"] is False
    assert result["raw"] is False
    ((code, message),) = result["messages"]
    assert code == "file-scanned"
    assert message.startswith("scan.pdf：扫描件，需安装 OCR 组件（pip install jixiao[ocr]）")
    assert result["direct"] == [False, ["file-scanned"]]


# ------------------------------------------------------------------ rulings, without the engine


def draw_table(blur: float = 0) -> np.ndarray:
    """A 3 × 3 ruled table drawn at 200 dpi; the top row's first two cells merged (no ruling
    between them); a text-like vertical stroke inside the merged cell, on the line the missing
    ruling would take; a 1 × 1 frame (a boxed note) below."""
    image = np.full((900, 1200), 255, np.uint8)
    xs, ys = [100, 400, 700, 1000], [100, 170, 240, 310]
    for y in ys:
        image[y - 1 : y + 2, xs[0] : xs[-1] + 1] = 0
    for x in xs:
        top = ys[1] if x == 400 else ys[0]
        image[top : ys[-1] + 1, x - 1 : x + 2] = 0
    image[115:155, 399:402] = 0  # a stroke of a character, 40 px high, where the ruling is missing
    image[500:503, 100:1000] = 0  # the frame
    image[650:653, 100:1000] = 0
    image[500:653, 100:103] = 0
    image[500:653, 997:1000] = 0
    if blur:
        image = np.asarray(Image.fromarray(image).filter(ImageFilter.GaussianBlur(blur)))
    return image


@pytest.mark.parametrize("blur", [0, 2.0])
def test_rulings_make_the_grid_and_a_missing_ruling_a_merged_cell(blur):
    (table,) = find_tables(draw_table(blur), dpi=200)
    assert table.rows == 3 and table.columns == 3
    assert [abs(a - b) <= 3 for a, b in zip(table.xs, [100, 400, 700, 1000])] == [True] * 4
    assert table.regions[0] == (0, 0, 0, 1)  # 本年收入-style header over two columns
    assert len(table.regions) == 8
    assert table.slot_region[(0, 0)] == table.slot_region[(0, 1)] != table.slot_region[(1, 0)]


def test_normalising_what_the_recogniser_returns():
    assert ocr._normalise("82, 096, 797. 42") == "82,096,797.42"
    assert ocr._normalise("1，097，073。43") == "1,097,073.43"
    assert ocr._normalise("-般行政管理事务") == "一般行政管理事务"
    assert ocr._normalise("-、部门主要职能") == "一、部门主要职能"
    assert ocr._normalise("2024-2025年") == "2024-2025年"
    assert ocr._normalise("  事业运行 ") == "事业运行"
    assert ocr._normalise("(三）事业单位经营收入") == "（三）事业单位经营收入"
    assert ocr._normalise("(（一）财政拨款收入") == "（一）财政拨款收入"
    assert ocr._normalise("因公出国(境)费") == "因公出国(境)费"  # one width: as read
    assert ocr._normalise("政府办公厅（室）及相关机构事务") == "政府办公厅（室）及相关机构事务"


def test_a_misgrouped_number_is_reported_even_when_read_with_confidence():
    from jixiao.model.source import Location

    where = Location("x.pdf", 3, page=1, table=1, row=2, column=3)
    codes = [f.code for f in ocr._check("x.pdf", where, 1, "", "82,09,797.42", 0.99, 0.8)]
    assert codes == ["ocr-number-malformed"]
    assert ocr._check("x.pdf", where, 1, "", "82,096,797.42", 0.99, 0.8) == []
    assert ocr._check("x.pdf", where, 1, "", "2024.1.5 会议", 0.99, 0.8) == []
    assert ocr._page_ranges([3, 1, 2, 5]) == "1-3、5"

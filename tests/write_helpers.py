"""Helpers for the tests of official documents out (write/): facts read from the files written.

* ``to_pdf(data, fmt)``: an XLSX or DOCX file rendered by LibreOffice (``write.pdf.convert``).
* ``render_png(pdf, name)``: PNG pages (``pdftoppm -r 60``) saved under
  ``$JIXIAO_SCREENSHOTS/documents/`` (default /tmp/jixiao-screenshots/documents/); returns the paths.
* ``pdf_fonts(pdf)``: the rows of ``pdffonts`` (name, type, emb); ``pdf_text(pdf)``: ``pdftotext``.
* ``read_back(data, name)``: the file read by jixiao's own readers and parsed
  (``readers.files.read_bytes`` + ``parse.document.parse_document``) → ``(raw, document, findings)``.
* ``xlsx_facts(data)`` (openpyxl) and ``docx_facts(data)`` (the XML): merged ranges, print titles /
  header rows, fonts, page setup, column widths and row heights, per sheet / section.
* ``cut_cells(sheet)``: the cells of an XLSX sheet whose text would not show in full (neither fits its
  merged width on one line nor wraps into rows tall enough).
* ``compact(text)``: a text without white space (PDF text extraction breaks lines and adds spaces).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def screenshots_dir() -> Path:
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS") or Path(tempfile.gettempdir()) / "jixiao-screenshots")
    folder = folder / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def to_pdf(data: bytes, fmt: str) -> bytes:
    from jixiao.write.pdf import convert

    return convert(data, fmt, "pdf")


def render_png(pdf: bytes, name: str, resolution: int = 60) -> list[Path]:
    """Every page of ``pdf`` as ``<name>-<n>.png`` under the screenshots folder."""
    folder = screenshots_dir()
    stem = re.sub(r"[^0-9A-Za-z_.-]+", "_", name)
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(pdf)
        tmp.flush()
        subprocess.run(["pdftoppm", "-r", str(resolution), "-png", tmp.name, str(folder / stem)], check=True,
                       timeout=120)
    return sorted(folder.glob(f"{stem}-*.png"))


def pdf_fonts(pdf: bytes) -> list[dict[str, str]]:
    """``pdffonts`` rows: name, type, emb (yes/no)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(pdf)
        tmp.flush()
        out = subprocess.run(["pdffonts", tmp.name], check=True, capture_output=True, text=True, timeout=60).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type…] encoding emb sub uni object ID: read from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdf_text(pdf: bytes, layout: bool = False) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(pdf)
        tmp.flush()
        args = ["pdftotext", *(["-layout"] if layout else []), tmp.name, "-"]
        return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Page sizes in points, (width, height) per page."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(pdf)
        tmp.flush()
        out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", tmp.name], check=True, capture_output=True,
                             text=True, timeout=60).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    return [(float(w), float(h)) for w, h in sizes]


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_back(data: bytes, name: str):
    """``(raw, document, findings)``: the file as jixiao reads and parses it."""
    from jixiao.parse.document import parse_document
    from jixiao.readers.files import read_bytes

    raw, findings = read_bytes(data, name)
    assert raw is not None, [f.message for f in findings]
    document, parsed = parse_document(raw)
    return raw, document, list(findings) + list(parsed)


# ---------------------------------------------------------------- XLSX facts


@dataclass
class SheetFacts:
    name: str
    merged: set[str]  # "A1:F1"
    print_title_rows: str | None  # "$4:$5"
    paper: int | None  # 9 = A4
    orientation: str | None
    fit_to_page: bool  # sheetPr/pageSetUpPr/@fitToPage: the fit numbers below apply
    fit_width: int  # pages wide (ECMA default 1)
    fit_height: int  # pages tall, 0 = as many as needed (default 1)
    fonts: set[str]  # font names used by written cells
    widths: dict[str, float]  # column letter → width
    heights: dict[int, float]  # 1-based row → height in points
    cells: dict[str, object]  # "B7" → value
    wrap: dict[str, bool]  # "B7" → wrap text on
    sizes: dict[str, float]  # "B7" → font size
    number_formats: dict[str, str] = field(default_factory=dict)
    footer: str = ""


def xlsx_facts(data: bytes) -> list[SheetFacts]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = []
    for ws in book.worksheets:
        cells, wrap, fonts, sizes, formats = {}, {}, set(), {}, {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                cells[cell.coordinate] = cell.value
                wrap[cell.coordinate] = bool(cell.alignment.wrap_text)
                fonts.add(cell.font.name)
                sizes[cell.coordinate] = float(cell.font.sz or 11)
                formats[cell.coordinate] = cell.number_format
        widths = {}
        for dim in ws.column_dimensions.values():  # openpyxl groups equal neighbours: min..max
            if dim.width and dim.min:
                for index in range(dim.min, (dim.max or dim.min) + 1):
                    widths[get_column_letter(index)] = float(dim.width)
        heights = {r: float(dim.height) for r, dim in ws.row_dimensions.items() if dim.height}
        sheets.append(SheetFacts(
            name=ws.title,
            merged={str(r) for r in ws.merged_cells.ranges},
            print_title_rows=ws.print_title_rows,
            paper=int(ws.page_setup.paperSize) if ws.page_setup.paperSize else None,
            orientation=ws.page_setup.orientation,
            fit_to_page=bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
            fit_width=1 if ws.page_setup.fitToWidth is None else int(ws.page_setup.fitToWidth),
            fit_height=1 if ws.page_setup.fitToHeight is None else int(ws.page_setup.fitToHeight),
            fonts=fonts, widths=widths, heights=heights, cells=cells, wrap=wrap, sizes=sizes,
            number_formats=formats, footer=ws.oddFooter.center.text or "",
        ))
    return sheets


def cut_cells(sheet: SheetFacts) -> list[tuple[str, str]]:
    """(cell, text) of every written cell whose text is cut: a CJK character is two width units at
    10.5 pt (scaled by the cell's font size), a cell keeps one unit of padding, and a line needs 1.2 ×
    the font size of row height; merged cells count their whole width and height."""
    import math

    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.cell import coordinate_from_string

    from jixiao.write.xlsx import display_width

    ends = {}
    for rng in sheet.merged:
        first, last = rng.split(":")
        ends[first] = last
    cut = []
    for coord, value in sheet.cells.items():
        text = value if isinstance(value, str) else f"{value:,.2f}"
        c0, r0 = coordinate_from_string(coord)
        c1, r1 = coordinate_from_string(ends[coord]) if coord in ends else (c0, r0)
        i0, i1 = column_index_from_string(c0), column_index_from_string(c1)
        width = sum(sheet.widths.get(get_letter(i), 8.43) for i in range(i0, i1 + 1))
        size = sheet.sizes[coord]
        lines = sum(max(1, math.ceil(display_width(part) * size / 10.5 / max(1.0, width - 1)))
                    for part in text.split("\n"))
        height = sum(sheet.heights.get(r, 15) for r in range(r0, r1 + 1))
        if (lines > 1 and not sheet.wrap[coord]) or height < lines * size * 1.2:
            cut.append((coord, text))
    return cut


def get_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


# ---------------------------------------------------------------- DOCX facts


@dataclass
class TableFacts:
    grid: list[int]  # gridCol widths (twips)
    header_rows: int  # leading rows with w:tblHeader
    cant_split: bool  # every row has w:cantSplit
    spans: list[tuple[int, int, int]]  # (row, grid column, gridSpan) of every cell with gridSpan > 1
    vmerges: list[tuple[int, int, str]]  # (row, grid column, "restart" | "continue")
    texts: list[list[str]]  # cell texts per row (merged cells once)


@dataclass
class SectionFacts:
    width_mm: float
    height_mm: float
    orientation: str
    margins_mm: tuple[float, float, float, float]  # top right bottom left
    footer_fields: list[str]  # instrText of the footer's fields (" PAGE ", " NUMPAGES ")


@dataclass
class DocxFacts:
    sections: list[SectionFacts]
    tables: list[TableFacts]
    east_asia_fonts: set[str]  # w:rFonts/@w:eastAsia of every run
    runs_without_east_asia: int  # runs with text whose w:rPr names no East Asian font
    paragraphs: list[tuple[str, dict[str, str]]]  # (text, pPr facts: jc, firstLineChars, shd)


def _mm(twips: str | None) -> float:
    return round(int(twips or 0) / 56.6929, 1)


def docx_facts(data: bytes) -> DocxFacts:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        parts = {name: z.read(name) for name in z.namelist()}
    body = root.find(f"{W}body")
    sections = []
    for sect in root.iter(f"{W}sectPr"):
        pgsz, pgmar = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        fields: list[str] = []
        for ref in sect.findall(f"{W}footerReference"):
            footer = etree.fromstring(parts["word/" + targets[ref.get(
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]])
            fields += [f.get(f"{W}instr") for f in footer.iter(f"{W}fldSimple")]
            fields += [t.text for t in footer.iter(f"{W}instrText")]
        sections.append(SectionFacts(
            width_mm=_mm(pgsz.get(f"{W}w")), height_mm=_mm(pgsz.get(f"{W}h")),
            orientation=pgsz.get(f"{W}orient") or "portrait",
            margins_mm=tuple(_mm(pgmar.get(f"{W}{side}")) for side in ("top", "right", "bottom", "left")),
            footer_fields=fields,
        ))
    tables = []
    for tbl in body.iter(f"{W}tbl"):
        grid = [int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid")]
        rows = tbl.findall(f"{W}tr")
        header = 0
        for tr in rows:
            if tr.find(f"{W}trPr/{W}tblHeader") is None:
                break
            header += 1
        cant = all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
        spans, vmerges, texts = [], [], []
        for r, tr in enumerate(rows):
            col, row_texts = 0, []
            for tc in tr.findall(f"{W}tc"):
                span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                if span > 1:
                    spans.append((r, col, span))
                vm = tc.find(f"{W}tcPr/{W}vMerge")
                if vm is not None:
                    vmerges.append((r, col, vm.get(f"{W}val") or "continue"))
                if vm is None or vm.get(f"{W}val") == "restart":
                    row_texts.append("\n".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                                               for p in tc.findall(f"{W}p")))
                col += span
            texts.append(row_texts)
        tables.append(TableFacts(grid, header, cant, spans, vmerges, texts))
    east, missing = set(), 0
    for run in root.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        fonts = run.find(f"{W}rPr/{W}rFonts")
        if fonts is not None and fonts.get(f"{W}eastAsia"):
            east.add(fonts.get(f"{W}eastAsia"))
        elif text.strip():
            missing += 1
    paragraphs = []
    for p in body.findall(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        facts = {}
        jc = p.find(f"{W}pPr/{W}jc")
        if jc is not None:
            facts["jc"] = jc.get(f"{W}val")
        ind = p.find(f"{W}pPr/{W}ind")
        if ind is not None and ind.get(f"{W}firstLineChars"):
            facts["firstLineChars"] = ind.get(f"{W}firstLineChars")
        shd = p.find(f"{W}r/{W}rPr/{W}shd")
        if shd is not None:
            facts["shd"] = shd.get(f"{W}fill")
        paragraphs.append((text, facts))
    return DocxFacts(sections, tables, east, missing, paragraphs)

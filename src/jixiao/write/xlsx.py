"""An OutputDocument as an XLSX workbook (xlsxwriter): one worksheet per part.

Blocks are laid top to bottom. A paragraph is one row merged across the part's width (the widest
table's columns); a tab in its text splits it into left | right parts (填报单位 … | 单位：万元). A table's
cells keep their merges (``merge_range``), are bordered, wrapped and vertically centred; numbers
stay numbers (``Cell.value`` with ``Cell.number_format``: a percent cell's value is the ratio, 0.955
prints 95.50%). Fonts are the layout's East Asian names (宋体, 仿宋 …: Excel and WPS have them;
LibreOffice resolves them through data/fonts.conf). Row heights are estimated so that no wrapped
text is cut (a CJK character is two columns wide). Print setup: A4/A3, the part's orientation and
margins, one page wide, the header rows of the longest table repeated on every page, page numbers in
the footer.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from decimal import Decimal

import xlsxwriter

from jixiao.write.layout import Font
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import PageBreak
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table
from jixiao.write.layout import cell_align

PAPER = {"A4": 9, "A3": 8}
MM_PER_INCH = Decimal("25.4")
DEFAULT_FORMATS = {"number": "#,##0.00", "percent": "0.00%", "total": "#,##0.00"}
FILL_COLOUR = "#FFF2CC"  # the shade of a place only the department can write
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def display_width(text: str) -> int:
    """Columns a text takes: wide and full-width characters (CJK, ，（）) count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_needed(text: str, width_chars: float, size: Decimal) -> int:
    """Lines ``text`` wraps to in a cell ``width_chars`` wide (XLSX width units) at ``size`` points."""
    per_line = max(1.0, (width_chars - 1) * 10.5 / float(size))  # width units are ~10.5-point characters
    return sum(max(1, math.ceil(display_width(line) / per_line)) for line in (text.split("\n") or [""]))


def line_height(size: Decimal) -> float:
    return float(size) * 1.4


def sheet_name(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "Sheet"
    base = base[:31]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


class _Formats:
    """xlsxwriter formats, made once per distinct look."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.cache: dict[tuple, object] = {}

    def get(self, font: Font, *, align: str, border: bool, wrap: bool = True, num: str | None = None,
            fill: str | None = None, valign: str = "vcenter"):
        key = (font, align, border, wrap, num, fill, valign)
        if key not in self.cache:
            props = {"font_name": font.name, "font_size": float(font.size), "bold": font.bold,
                     "align": align, "valign": valign, "text_wrap": wrap}
            if border:
                props["border"] = 1
            if num:
                props["num_format"] = num
            if fill:
                props["bg_color"] = fill
            self.cache[key] = self.book.add_format(props)
        return self.cache[key]


def _paragraph_font(part: Part, paragraph: Paragraph) -> Font:
    fonts = part.fonts
    return {
        "title": fonts.title,
        "heading1": fonts.heading,
        "heading2": Font(fonts.heading.name, fonts.body.size, True),
        "heading3": Font(fonts.body.name, fonts.body.size, True),
        "body": fonts.body,
        "fill": fonts.body,
    }.get(paragraph.role, fonts.small)


def _paragraph_align(paragraph: Paragraph) -> str:
    if paragraph.align:
        return paragraph.align
    return "center" if paragraph.role == "title" else "left"


def _part_widths(part: Part) -> list[float]:
    """Column widths: for each column index the widest any table of the part asks."""
    widths: list[float] = []
    for block in part.blocks:
        if isinstance(block, Table):
            for i, column in enumerate(block.columns):
                if i < len(widths):
                    widths[i] = max(widths[i], float(column.width))
                else:
                    widths.append(float(column.width))
    return widths or [float(w) for w in (12,) * 8]


def _write_paragraph(ws, fmt: _Formats, part: Part, paragraph: Paragraph, row: int, widths: list[float]) -> int:
    font = _paragraph_font(part, paragraph)
    ncols = len(widths)
    fill = FILL_COLOUR if paragraph.role == "fill" else None
    pieces = paragraph.text.split("\t")
    if len(pieces) > 1 and ncols >= len(pieces):
        # left | (centre |) right parts over equal shares of the columns
        aligns = ["left"] + ["center"] * (len(pieces) - 2) + ["right"]
        bounds = [round(i * ncols / len(pieces)) for i in range(len(pieces) + 1)]
        lines = 1
        for piece, align, first, last in zip(pieces, aligns, bounds, bounds[1:]):
            f = fmt.get(font, align=align, border=False, fill=fill)
            if last - first > 1:
                ws.merge_range(row, first, row, last - 1, piece, f)
            else:
                ws.write_string(row, first, piece, f)
            lines = max(lines, lines_needed(piece, sum(widths[first:last]), font.size))
        ws.set_row(row, line_height(font.size) * lines + 4)
        return row + 1
    f = fmt.get(font, align=_paragraph_align(paragraph), border=False, fill=fill)
    if ncols > 1:
        ws.merge_range(row, 0, row, ncols - 1, paragraph.text, f)
    else:
        ws.write_string(row, 0, paragraph.text, f)
    lines = lines_needed(paragraph.text, sum(widths), font.size)
    extra = 8 if paragraph.role == "title" else 4
    ws.set_row(row, line_height(font.size) * lines + extra)
    return row + 1


def _write_table(ws, fmt: _Formats, part: Part, table: Table, top: int) -> int:
    widths = [float(c.width) for c in table.columns]
    heights = [line_height(part.fonts.table_body.size) + 4] * len(table.rows)
    spanned: list[tuple[int, int, float]] = []  # (first row, last row, height needed) of row-merged cells
    for r, row in enumerate(table.rows):
        header = r < table.header_rows
        for c, cell in enumerate(row):
            if cell is None:
                continue
            font = part.fonts.table_header if header or cell.role == "header" else part.fonts.table_body
            if cell.role == "total" and not font.bold:
                font = Font(font.name, font.size, True, font.latin)
            num = None
            value = cell.value
            if value is not None and not isinstance(value, bool):
                num = cell.number_format or DEFAULT_FORMATS.get(cell.role, "General")
            f = fmt.get(font, align=cell_align(cell), border=True, num=num)
            r0, c0 = top + r, c
            r1, c1 = r0 + cell.rowspan - 1, c0 + cell.colspan - 1
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_range(r0, c0, r1, c1, "", f)
            if num is not None:
                ws.write_number(r0, c0, float(value), f)
            else:
                ws.write_string(r0, c0, cell.text, f)
            width = sum(widths[c : c + cell.colspan])
            need = line_height(font.size) * lines_needed(cell.text, width, font.size) + 4
            if cell.rowspan == 1:
                heights[r] = max(heights[r], need)
            else:
                spanned.append((r, r + cell.rowspan - 1, need))
    for first, last, need in spanned:
        have = sum(heights[first : last + 1])
        if have < need:
            add = (need - have) / (last - first + 1)
            for r in range(first, last + 1):
                heights[r] += add
    for r, height in enumerate(heights):
        ws.set_row(top + r, round(height, 1))
    return top + len(table.rows)


def _write_part(book: xlsxwriter.Workbook, fmt: _Formats, part: Part, name: str) -> None:
    ws = book.add_worksheet(name)
    widths = _part_widths(part)
    for i, width in enumerate(widths):
        ws.set_column(i, i, width)
    page = part.page
    ws.set_paper(PAPER.get(page.size, 9))
    if page.orientation == "landscape":
        ws.set_landscape()
    else:
        ws.set_portrait()
    top, right, bottom, left = (float(m / MM_PER_INCH) for m in page.margins_mm)
    ws.set_margins(left=left, right=right, top=top, bottom=bottom)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    if page.page_numbers:
        footer = page.page_number_format.replace("{page}", "&P").replace("{pages}", "&N")
        ws.set_footer("&C" + footer, {"margin": 0.3})
    row = 0
    # a sheet repeats one range of rows: the header of its longest table with a header (a form's
    # indicator block rather than its short task list)
    headed = [b for b in part.blocks if isinstance(b, Table) and b.header_rows]
    repeated = max(headed, key=lambda t: len(t.rows) - t.header_rows, default=None)
    breaks: list[int] = []
    for block in part.blocks:
        if isinstance(block, Paragraph):
            row = _write_paragraph(ws, fmt, part, block, row, widths)
        elif isinstance(block, Table):
            if block is repeated:
                ws.repeat_rows(row, row + block.header_rows - 1)
            row = _write_table(ws, fmt, part, block, row)
        elif isinstance(block, PageBreak):
            breaks.append(row)
    if breaks:
        ws.set_h_pagebreaks(breaks)


def write_xlsx(doc: OutputDocument) -> bytes:
    """The workbook's bytes: one sheet per part."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": doc.title, "comments": doc.layout_id})
    fmt = _Formats(book)
    taken: set[str] = set()
    for part in doc.parts:
        _write_part(book, fmt, part, sheet_name(part.name, taken))
    book.close()
    return buffer.getvalue()

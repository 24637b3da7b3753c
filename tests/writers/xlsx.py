"""Write a RawDocument as a real .xlsx (xlsxwriter), the way official workbooks look.

``write_xlsx(raw, path)`` is the stable entry point. Layout:

* a table title starts a new sheet (``表1``, ``表2`` …: one table per sheet, as the Shanghai and
  Shenzhen workbooks have it); everything before the first title is on the first sheet;
* a paragraph (a title, 单位：万元, a note, a footer) is one cell in column A, merged across the
  width of the table that follows (or precedes, at the end), as official workbooks print them;
* table rows are rows, with the merges a real form has (``merges.infer_merges``: carried-down
  一级/二级 names and form labels, key/value rows); the text stays in the merge's first cell;
* numbers are stored as numbers with the number format that prints them as in the original
  (``864.30`` as 864.3 with ``0.00``, ``5,073.08`` with ``#,##0.00``, ``95%`` as 0.95 with ``0%``),
  so reading them back exercises the number formats; codes with leading zeros and anything else
  stay text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from jixiao.parse.segment import title_kind
from jixiao.readers.grid import Grid
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import RawDocument
from tests.writers.merges import infer_merges
from tests.writers.merges import square

FONT = "宋体"
_INT = re.compile(r"^-?(0|[1-9]\d{0,14})$")
_DEC = re.compile(r"^-?(0|[1-9]\d{0,12})\.(\d{1,6})$")
_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(,\d{3})+(\.(\d{1,6}))?$")
_PERCENT = re.compile(r"^-?(0|[1-9]\d{0,5})(\.(\d{1,4}))?%$")


def number_of(text: str) -> tuple[float, str] | None:
    """(value, number format) for a text that a sheet would store as a number, else None."""
    if _INT.match(text):
        return float(text), "General"
    m = _DEC.match(text)
    if m:
        return float(text), "0." + "0" * len(m.group(2))
    m = _THOUSANDS.match(text)
    if m:
        decimals = len(m.group(3) or "")
        return float(text.replace(",", "")), "#,##0" + ("." + "0" * decimals if decimals else "")
    m = _PERCENT.match(text)
    if m:
        decimals = len(m.group(3) or "")
        value = float(Decimal(text[:-1]) / 100)
        return value, "0" + ("." + "0" * decimals if decimals else "") + "%"
    return None


class _Sheets:
    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.sheet = None
        self.row = 0
        self.count = 0
        self.formats: dict[str, object] = {}

    def fmt(self, num: str = "General", bold: bool = False):
        key = f"{num}|{bold}"
        if key not in self.formats:
            props = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True, "num_format": num}
            if bold:
                props["bold"] = True
            self.formats[key] = self.book.add_format(props)
        return self.formats[key]

    def new_sheet(self) -> None:
        self.count += 1
        self.sheet = self.book.add_worksheet(f"表{self.count}")
        self.sheet.set_column(0, 30, 14)
        self.row = 0

    def write(self, r: int, c: int, text: str) -> None:
        number = number_of(text)
        if number is None:
            self.sheet.write_string(r, c, text, self.fmt())
        else:
            self.sheet.write_number(r, c, number[0], self.fmt(number[1]))

    def merge(self, r1: int, c1: int, r2: int, c2: int, text: str) -> None:
        number = number_of(text)
        if number is None:
            self.sheet.merge_range(r1, c1, r2, c2, text, self.fmt())
        else:
            self.sheet.merge_range(r1, c1, r2, c2, number[0], self.fmt(number[1]))


def write_xlsx(raw: RawDocument, path: str | Path) -> Path:
    """Write ``raw`` (paragraphs and grids, in order) as an .xlsx workbook at ``path``."""
    path = Path(path)
    book = xlsxwriter.Workbook(str(path))
    out = _Sheets(book)
    out.new_sheet()
    blocks = list(raw.blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            if title_kind(block.text) and out.row:
                out.new_sheet()
            width = _next_width(blocks, index)
            if width > 1:
                out.sheet.merge_range(out.row, 0, out.row, width - 1, block.text, out.fmt(bold=True))
            else:
                out.sheet.write_string(out.row, 0, block.text, out.fmt(bold=True))
            out.row += 1
            continue
        rows = square([row.texts for row in block.rows])
        merges = infer_merges(rows)
        covered = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        top = out.row
        for r1, c1, r2, c2 in merges:
            out.merge(top + r1, c1, top + r2, c2, rows[r1][c1])
        for i, texts in enumerate(rows):
            for j, text in enumerate(texts):
                if text and (i, j) not in covered:
                    out.write(top + i, j, text)
        out.row = top + len(rows)
    book.close()
    return path


def _next_width(blocks: list[Paragraph | Grid], index: int) -> int:
    """The width of the table a paragraph belongs with (the next one, else the one before): a
    title or a note row spans it, as official workbooks merge them; 1 without tables."""
    after = [b for b in blocks[index + 1 :] if isinstance(b, Grid)]
    before = [b for b in blocks[:index] if isinstance(b, Grid)]
    for block in after[:1] or before[-1:]:
        return max((len(r.texts) for r in block.rows), default=1)
    return 1

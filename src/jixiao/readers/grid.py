"""The format-neutral result of reading: paragraphs and grids of located cells.

A Grid is a run of table rows as the source presents them. Text sources give rows
without merge information (a blank cell may be a merged one); docx/xlsx/pdf readers fill
``merges`` with the regions they know. Stitching tables across pages and carrying merged
cells down is the parser's job, which sees the whole document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import replace

from jixiao.model.source import Location

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \u3000\u00a0\t]+(?=[{_CJK}])")
# a full-width punctuation mark carries its own blank: a space typed after it (``批示； 2.``) is not
# printed apart from it (a PDF shows none), so it is layout, as between CJK characters
_SPACE_AFTER_PUNCT = re.compile(r"(?<=[，。、；：？！）》」』】])[ \u3000\u00a0\t]+")


def clean_cell(text: str) -> str:
    """Strip layout whitespace: ends (incl. U+3000, NBSP), spaces between CJK characters and after
    full-width punctuation."""
    if not text:
        return text
    text = text.replace("\u00a0", " ").strip(" \t\u3000\r\n")
    if " " not in text and "\u3000" not in text and "\t" not in text:
        return text
    return _SPACE_AFTER_PUNCT.sub("", _SPACE_BETWEEN_CJK.sub("", text))


def clean_paragraph(text: str) -> str:
    """Strip a paragraph's ends and fold runs of layout spaces into one."""
    text = text.replace("\u00a0", " ").strip(" \t\u3000\r\n\ufeff")
    return re.sub(r"[ \u3000\t]{2,}", " ", text)


def join_wrapped(first: str, second: str) -> str:
    """Join a cell's text wrapped over two lines (no space between CJK characters)."""
    if not first:
        return second
    if not second:
        return first
    cjk = re.compile(rf"[{_CJK}]")
    if cjk.match(first[-1]) or cjk.match(second[0]):
        return first + second
    return first + " " + second


_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def shift_cell(ref: str, columns: int) -> str:
    """The workbook cell ``columns`` to the right of ``ref`` (``shift_cell("B7", 2)`` → ``"D7"``)."""
    m = _CELL_REF.match(ref)
    if not m or not columns:
        return ref
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    n += columns
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters + m.group(2)


class Cell:
    """A cell's text and where it is. The location may be given, or built on first use
    from file/line/column (reading a large text file creates many cells, few are located)."""

    __slots__ = ("text", "_location", "_file", "_line", "_column")

    def __init__(
        self,
        text: str,
        location: Location | None = None,
        *,
        file: str = "",
        line: int | None = None,
        column: int | None = None,
    ):
        self.text = text
        self._location = location
        self._file, self._line, self._column = file, line, column

    @property
    def location(self) -> Location:
        if self._location is None:
            self._location = Location(self._file, self._line, column=self._column)
        return self._location

    def __repr__(self) -> str:
        return f"Cell({self.text!r}, {self.location})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cell) and (self.text, self.location) == (other.text, other.location)

    def __hash__(self) -> int:
        return hash((self.text, self.location))


class Row:
    """A table row: its cells (each located) and where the row starts.

    A row read from one line can be built from its texts alone (``Row.of_texts``): the cells,
    located at that line and their column, are then made only when asked for — parsers mostly
    read ``texts``. ``texts`` and ``filled`` are computed once.
    """

    __slots__ = ("_cells", "_texts", "_filled", "location")

    def __init__(self, cells: tuple[Cell, ...], location: Location):
        self._cells: tuple[Cell, ...] | None = cells
        self._texts: tuple[str, ...] = tuple(c.text for c in cells)
        self._filled: list[str] | None = None
        self.location = location

    @classmethod
    def of_texts(cls, texts: list[str], location: Location) -> Row:
        row = cls.__new__(cls)
        row._cells, row._texts, row._filled, row.location = None, tuple(texts), None, location
        return row

    @property
    def cells(self) -> tuple[Cell, ...]:
        if self._cells is None:
            loc = self.location
            if loc.page is None and loc.table is None and loc.sheet is None:
                file, line = loc.file, loc.line
                self._cells = tuple(
                    Cell(text, file=file, line=line, column=i + 1) for i, text in enumerate(self._texts)
                )
            elif loc.sheet is not None and loc.cell:  # a workbook row located at its first cell: B7, C7 …
                self._cells = tuple(
                    Cell(text, replace(loc, column=i + 1, cell=shift_cell(loc.cell, i))) for i, text in enumerate(self._texts)
                )
            else:
                self._cells = tuple(Cell(text, loc.with_column(i + 1)) for i, text in enumerate(self._texts))
        return self._cells

    @property
    def texts(self) -> list[str]:
        return list(self._texts)

    @property
    def filled(self) -> list[str]:
        if self._filled is None:
            self._filled = [t for t in self._texts if t]
        return list(self._filled)

    def is_blank(self) -> bool:
        return not any(self._texts)

    def __repr__(self) -> str:
        return f"Row({list(self._texts)!r}, {self.location})"


@dataclass(frozen=True, slots=True)
class Merge:
    """A merged region, 0-based inclusive row/column indices within its grid."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(frozen=True, slots=True)
class Grid:
    rows: tuple[Row, ...]
    location: Location
    merges: tuple[Merge, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    location: Location


Block = Paragraph | Grid


@dataclass(frozen=True, slots=True)
class RawDocument:
    source: str
    blocks: tuple[Block, ...]
    layout: str = ""  # e.g. "tab-rows" or "cell-per-line" for text sources

    def lines(self) -> list[Paragraph | Row]:
        """Paragraphs and rows in document order (grids flattened)."""
        out: list[Paragraph | Row] = []
        for block in self.blocks:
            if isinstance(block, Grid):
                out.extend(block.rows)
            else:
                out.append(block)
        return out

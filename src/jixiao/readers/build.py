"""Build a RawDocument block by block, the same way for every format.

Every reader emits paragraphs and table rows in reading order through a ``DocBuilder``. The
builder cleans the text (as the text reader does), drops rows with no text, and numbers every
emitted line: ``Location.line`` of a non-text source is its line in the text dump
(``jixiao convert FILE --to text``, ``readers.dump.to_text``), so rules that order things by
line work on every format and a location can be found in the dump. A page break leaves one
blank line in the dump.

Merged cells: readers fill every slot a merged cell covers with its text (a label spanning
three rows is repeated on each, a header spanning 类/款/项 in each) and pass the merged regions
too; the builder keeps regions in step with the rows it drops.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.model.source import Location
from jixiao.readers.grid import Cell
from jixiao.readers.grid import Grid
from jixiao.readers.grid import Merge
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import RawDocument
from jixiao.readers.grid import Row
from jixiao.readers.grid import clean_cell
from jixiao.readers.grid import clean_paragraph


class DocBuilder:
    def __init__(self, source: str, layout: str):
        self.source = source
        self.layout = layout
        self.blocks: list[Paragraph | Grid] = []
        self.line = 0
        self.tables = 0  # tables emitted so far (readers may number tables per page themselves)

    def page_break(self) -> None:
        """A blank line in the dump between pages (only once something was emitted)."""
        if self.line:
            self.line += 1

    def paragraph(self, text: str, **where) -> Paragraph | None:
        """Add a paragraph (``where``: page=, paragraph=, sheet=, cell= …). Empty text is skipped."""
        text = clean_paragraph(text.replace("\n", " ").replace("\t", " "))
        if not text:
            return None
        self.line += 1
        para = Paragraph(text, Location(self.source, self.line, **where))
        self.blocks.append(para)
        return para

    def grid(
        self,
        rows: Sequence[Sequence[str]],
        *,
        merges: Sequence[Merge] = (),
        row_where: Sequence[dict] | None = None,
        cell_where: Sequence[Sequence[dict]] | None = None,
        **where,
    ) -> Grid | None:
        """Add a table. ``rows`` are the cell texts with merged slots already filled.

        ``where`` locates the table (page=, table=); ``row_where[i]`` adds to row i's location
        (row= defaults to i + 1); ``cell_where[i][j]`` locates cell j of row i when its
        location is more than the row's plus a column (a workbook's ``cell="B7"``).
        Rows without text are dropped; trailing empty cells carry nothing and are dropped.
        """
        kept: list[Row] = []
        index: dict[int, int] = {}
        for i, texts in enumerate(rows):
            try:
                joined = "".join(texts)
            except TypeError:  # a None cell
                plain = False
            else:  # none of _NEEDS_CLEANING's characters (all but the space are unprintable)
                plain = joined.isprintable() and " " not in joined
            if plain:  # nothing to clean: the common row, at a fraction of the cost
                n = len(texts)
                while n and not texts[n - 1]:
                    n -= 1
                if not n:
                    continue
                cleaned = texts[:n] if n < len(texts) else texts
            else:
                cleaned = [clean_cell(_one_line(t)) for t in texts]
                while cleaned and not cleaned[-1]:
                    cleaned.pop()
                if not cleaned:
                    continue
            self.line += 1
            if row_where is None and cell_where is None:  # (no dict to build per row)
                row = Row.of_texts(cleaned, Location(self.source, self.line, row=i + 1, **where))
                index[i] = len(kept)
                kept.append(row)
                continue
            row_loc = {"row": i + 1, **where, **(row_where[i] if row_where else {})}
            location = Location(self.source, self.line, **row_loc)
            if cell_where is None:
                row = Row.of_texts(cleaned, location)
            else:
                cells = tuple(
                    Cell(text, Location(self.source, self.line, column=j + 1, **{**row_loc, **cell_where[i][j]}))
                    for j, text in enumerate(cleaned)
                )
                row = Row(cells, location)
            index[i] = len(kept)
            kept.append(row)
        if not kept:
            return None
        grid = Grid(tuple(kept), kept[0].location, _remap(merges, index, len(index) == len(rows)))
        self.blocks.append(grid)
        return grid

    def build(self) -> RawDocument:
        return RawDocument(self.source, tuple(self.blocks), self.layout)


# The characters ``clean_cell(_one_line(text))`` acts on; a row without any is kept as it is.
# The test is that the row's text is printable and has no space: all of them but the space are
# unprintable, so no row holding one passes, and the test runs in C (a few more rows than needed
# take the long way, to the same result).
_NEEDS_CLEANING = "\n\t\r\u00a0 \u3000"


def _one_line(text: str | None) -> str:
    if not text:
        return ""
    if "\n" not in text and "\t" not in text and "\r" not in text:
        return text
    from jixiao.readers.grid import join_wrapped

    out = ""
    for part in text.replace("\r", "\n").replace("\t", " ").split("\n"):
        part = part.strip(" \u3000")
        if part:
            out = join_wrapped(out, part)
    return out


def _remap(merges: Sequence[Merge], index: dict[int, int], every_row: bool = False) -> tuple[Merge, ...]:
    """Merged regions in the kept rows' numbering (a region over dropped rows shrinks).
    ``every_row``: no row was dropped, a region within the rows stays as it is."""
    out: list[Merge] = []
    n = len(index)
    for m in merges:
        if every_row and 0 <= m.first_row <= m.last_row < n:
            if m.first_row != m.last_row or m.first_col != m.last_col:
                out.append(m)
            continue
        rows = [index[r] for r in range(m.first_row, m.last_row + 1) if r in index]
        if rows and (len(rows) > 1 or m.first_col != m.last_col):
            out.append(Merge(rows[0], m.first_col, rows[-1], m.last_col))
    return tuple(out)


def fill_merges(rows: list[list[str]], merges: Sequence[Merge]) -> list[list[str]]:
    """Fill every slot a merged region covers with the text of its top-left cell (in place)."""
    for m in merges:
        if m.first_row >= len(rows):
            continue
        top = rows[m.first_row]
        text = top[m.first_col] if m.first_col < len(top) else ""
        for r in range(m.first_row, min(m.last_row, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= m.last_col:
                row.extend([""] * (m.last_col + 1 - len(row)))
            for c in range(m.first_col, m.last_col + 1):
                row[c] = text
    return rows

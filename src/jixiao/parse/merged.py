"""A merged cell is read once, where it starts.

Readers fill every slot a merged cell covers with its text and pass the merged regions
(``Grid.merges``): a label spanning three rows is on each of them, a value spanning six columns
in each. A printed table shows that text once, and so does every source without merge
information (a text export, a PDF without rulings): the value in the first slot, the slots it
covers empty. The parser reads rows that way, whatever the format: carried-down levels
(一级/二级, 单位, 项目) come from the rows above, a key's value is the next filled cell, a group
header (按收入性质分) stands over its first column.

``as_printed`` gives that view of a RawDocument: in each grid with merges, the slots a merged
region covers other than its top-left one are empty; trailing empty cells and rows left without
text are dropped, as the readers drop them. Cells keep their locations. Such a row is a
``PrintedRow`` that knows which of its slots a merge covers (``covered``): a form read as a
sequence of cells (the 自评表) skips them, as a cell-by-cell export of the form never has them.
"""

from __future__ import annotations

from jixiao.readers.grid import Cell
from jixiao.readers.grid import Grid
from jixiao.readers.grid import RawDocument
from jixiao.readers.grid import Row


class PrintedRow(Row):
    """A row whose slots ``covered`` (0-based) are covered by a merged cell starting elsewhere;
    ``spans`` maps the first slot of each cell of the row merged across columns to its last."""

    __slots__ = ("covered", "spans")

    def __init__(self, cells: tuple[Cell, ...], location, covered: frozenset[int], spans: dict[int, int] | None = None):
        super().__init__(cells, location)
        self.covered = covered
        self.spans = spans or {}


def covered(row: Row) -> frozenset[int]:
    """The slots of ``row`` a merged cell starting elsewhere covers (none for rows of text sources)."""
    return getattr(row, "covered", frozenset())


def spans(row: Row) -> dict[int, int]:
    """First slot → last slot of the cells of ``row`` merged across columns (a 合计 over 类/款/项/名称)."""
    return getattr(row, "spans", {})


def as_printed(raw: RawDocument) -> RawDocument:
    if not any(isinstance(b, Grid) and b.merges for b in raw.blocks):
        return raw
    blocks = tuple(_grid(b) if isinstance(b, Grid) and b.merges else b for b in raw.blocks)
    return RawDocument(raw.source, tuple(b for b in blocks if b is not None), raw.layout)


def _grid(grid: Grid) -> Grid | None:
    covered: dict[int, set[int]] = {}
    across: dict[int, dict[int, int]] = {}
    for m in grid.merges:
        if m.last_col > m.first_col:
            across.setdefault(m.first_row, {})[m.first_col] = m.last_col
        for r in range(m.first_row, m.last_row + 1):
            cols = covered.setdefault(r, set())
            for c in range(m.first_col, m.last_col + 1):
                if (r, c) != (m.first_row, m.first_col):
                    cols.add(c)
    rows: list[Row] = []
    for i, row in enumerate(grid.rows):
        cols = covered.get(i)
        if not cols or not any(c < len(row.texts) for c in cols):
            rows.append(row)
            continue
        cells = [Cell("", c.location) if j in cols else c for j, c in enumerate(row.cells)]
        while cells and not cells[-1].text:
            cells.pop()
        if cells:
            rows.append(PrintedRow(tuple(cells), row.location, frozenset(c for c in cols if c < len(cells)), across.get(i)))
    if not rows:
        return None
    return Grid(tuple(rows), rows[0].location, ())

"""A table's header printed again inside the table (a new page repeats it).

A DOCX marks such rows (``w:tblHeader``) and its reader drops them; a PDF, a text export, an HTML
page or a printed workbook does not. ``repeated_header(rows, at, header)`` recognises the header rows
reappearing at ``rows[at]``: every header row in order, each with the same cell texts, where a blank
on one side only stands for a merged cell printed once on the other side —

* a cell merged across columns: the text equals its left neighbour's (``绩效指标 | 绩效指标``), or
* a cell merged down the header rows: the text equals the one above it in the header, or
* a row label merged down the whole block at the header's left (株洲's ``年度绩效指标``): a slot
  before the first one both rows fill (with the same text) is printed on one page only.

Any other difference (a cell changed, a label missing elsewhere, fewer rows) is no repetition: the
rows stay in the table and are read as before. A data row never repeats a header: it would need its
texts to be the header's labels.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.parse.text import norm
from jixiao.readers.grid import Row


def repeated_header(rows: Sequence[Row], at: int, header: Sequence[Sequence[str]]) -> int:
    """How many rows from ``rows[at]`` repeat ``header`` (its rows' texts): ``len(header)`` or 0."""
    if not header or at + len(header) > len(rows):
        return 0
    printed = [[norm(t) for t in row] for row in header]
    again = [[norm(t) for t in rows[at + i].texts] for i in range(len(header))]
    for i in range(len(header)):
        if not _same_row(printed, again, i):
            return 0
    return len(header)


def _same_row(first: list[list[str]], second: list[list[str]], i: int) -> bool:
    a, b = first[i], second[i]
    width = max(len(a), len(b))
    a, b = a + [""] * (width - len(a)), b + [""] * (width - len(b))
    both = [j for j in range(width) if a[j] and b[j]]
    if len(both) < 2 or any(a[j] != b[j] for j in both):
        return False
    lead = both[0]
    for j in range(width):
        if bool(a[j]) == bool(b[j]) or j < lead:
            continue
        rows, text = (first, a[j]) if a[j] else (second, b[j])
        if not _merged(rows, i, j, text):
            return False
    return True


def _merged(rows: list[list[str]], i: int, j: int, text: str) -> bool:
    """``text`` at row ``i``, slot ``j`` continues a merged cell: left of it, or above it in the header."""
    row = rows[i]
    if j > 0 and row[j - 1] == text:
        return True
    return i > 0 and j < len(rows[i - 1]) and rows[i - 1][j] == text

"""Which cells of a text table a real Word/HTML form would have merged.

A text export prints a merged cell once and leaves the slots it covers empty. Writing the table
back into a format with real merges, the empty slots become part of the merge again:

* vertical: an empty cell at the start of a row (every cell to its left is empty or itself
  continues a merge) under a filled cell, or under a cell that continues a merge, continues that
  merge downwards: the 一级/二级 names, 单位/项目 columns and form labels (年度预算申请, 本年度绩效指标)
  carried down. A code or an amount above (201, 5,073.08) is not carried: budget tables print a
  code per row, and an empty code slot there is a real empty cell.
* horizontal: a key/value form row (a label and its value, nothing else) above the table's
  indicator header spans the value over the rest of the table's width.

Rows are the texts of one Grid; the result is a list of (first_row, first_col, last_row, last_col),
0-based inclusive, disjoint.
"""

from __future__ import annotations

import re

_NUMERIC = re.compile(r"^[\d０-９.,，%％\-*]+$")
_INDICATOR_HEADER = re.compile(r"[一二三]级指标")


def grid_width(rows: list[list[str]]) -> int:
    return max((len(r) for r in rows), default=0)


def square(rows: list[list[str]]) -> list[list[str]]:
    width = grid_width(rows)
    return [list(r) + [""] * (width - len(r)) for r in rows]


def infer_merges(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    rows = square(rows)
    width = grid_width(rows)
    merges: list[tuple[int, int, int, int]] = []
    # horizontal: key/value rows before the indicator header
    header = next((i for i, r in enumerate(rows) if any(_INDICATOR_HEADER.search(t) for t in r)), len(rows))
    horizontal: set[int] = set()
    for i, row in enumerate(rows[:header]):
        filled = [j for j, t in enumerate(row) if t]
        if width > 2 and filled == [0, 1]:
            merges.append((i, 1, i, width - 1))
            horizontal.add(i)
    # vertical: leading empty cells under a filled label (or under a merge continuing down)
    open_at: dict[int, int] = {}  # column → first row of the merge that reaches the previous row
    for i, row in enumerate(rows):
        continuing: dict[int, int] = {}
        if i and i not in horizontal:
            last_filled = max((j for j, t in enumerate(row) if t), default=-1)
            for j in range(last_filled):
                if row[j]:
                    break
                above = rows[i - 1][j]
                if j in open_at:
                    continuing[j] = open_at[j]
                elif above and not _NUMERIC.match(above) and not (j and (i - 1) in horizontal):
                    continuing[j] = i - 1
                else:
                    break
        for j, first in open_at.items():
            if j not in continuing:
                merges.append((first, j, i - 1, j))
        open_at = continuing
    for j, first in open_at.items():
        merges.append((first, j, len(rows) - 1, j))
    return [m for m in merges if m[0] != m[2] or m[1] != m[3]]

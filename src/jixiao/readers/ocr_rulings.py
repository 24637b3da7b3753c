"""Ruled tables in a page image: the ruling lines, the cell grid they draw, and merged cells.

Used by the OCR reader (``readers/ocr.py``) on scanned pages. Works on a greyscale page image
(numpy, 0 = black) with OpenCV morphology (OpenCV comes with the OCR extra):

1. Ink is binarised (locally: a blurred grey ruling is ink); long horizontal and vertical runs are kept by opening with a line-shaped
   kernel (text strokes are shorter than the kernel, rulings longer).
2. Rulings that touch form one table region (connected components of both masks, dilated a
   little to close the gaps a scan leaves at the crossings).
3. In each region the row boundaries are the y of its horizontal rulings and the column
   boundaries the x of its vertical rulings (clustered; a side the printer left open is closed
   by the extent of the rulings across it). A vertical stroke is a ruling only when it runs
   from one horizontal ruling to another, so text strokes never make columns.
4. Between two neighbouring slots of the grid the ruling is either drawn (the slots are
   separate cells) or missing (they belong to one merged cell). Merged cells are the
   connected slots, as rectangles.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

import numpy as np

# Fractions of the page / of a band that decide what counts as a ruling, tuned at 150-300 dpi.
_INK_BELOW = 128  # grey level under which a pixel is ink wherever it is
_LOCAL_CONTRAST = 12  # or: this much darker than the mean of its neighbourhood
_MIN_COVER = 0.6  # a boundary between two slots is drawn when ink covers this share of it


@dataclass
class TableGrid:
    """One ruled table: its boundaries (pixels) and its merged cells as slot rectangles."""

    xs: list[int]  # column boundaries, left to right (len = columns + 1)
    ys: list[int]  # row boundaries, top to bottom (len = rows + 1)
    regions: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1) inclusive
    slot_region: dict[tuple[int, int], int] = field(default_factory=dict)  # (r, c) → index in regions

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    @property
    def columns(self) -> int:
        return len(self.xs) - 1

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def region_box(self, index: int) -> tuple[int, int, int, int]:
        """The pixel rectangle (x0, y0, x1, y1) of a merged cell."""
        r0, c0, r1, c1 = self.regions[index]
        return self.xs[c0], self.ys[r0], self.xs[c1 + 1], self.ys[r1 + 1]

    def row_of(self, y: float) -> int | None:
        for r in range(self.rows):
            if self.ys[r] <= y < self.ys[r + 1]:
                return r
        return None

    def contains(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        return x0 <= x < x1 and y0 <= y < y1


def find_tables(gray: np.ndarray, dpi: int = 200) -> list[TableGrid]:
    """The ruled tables of a page image, top to bottom."""
    import cv2

    mm = dpi / 25.4
    ink = _ink(gray, mm)
    height, width = ink.shape
    # A scan's rulings are a few pixels thick and slightly tilted: close 1-pixel gaps across
    # them first so that the opening keeps them whole.
    h_len = max(int(10 * mm), width // 40)
    v_len = max(int(4 * mm), 12)
    horiz = cv2.morphologyEx(
        cv2.dilate(ink, np.ones((3, 1), np.uint8)), cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8)
    )
    vert = cv2.morphologyEx(
        cv2.dilate(ink, np.ones((1, 3), np.uint8)), cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8)
    )
    h_segments = _segments(horiz, axis=0)
    if len(h_segments) < 2:
        return []
    v_segments = _segments(vert, axis=1)
    gap = max(2, int(0.8 * mm))
    joined = cv2.dilate(horiz | vert, np.ones((2 * gap + 1, 2 * gap + 1), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    tables: list[TableGrid] = []
    for label in range(1, count):
        x, y, w, h = stats[label][:4]
        if w < 20 * mm or h < 8 * mm:
            continue
        grid = _grid(
            (x, y, x + w, y + h),
            [s for s in h_segments if _inside(s, (x, y, x + w, y + h), axis=0)],
            [s for s in v_segments if _inside(s, (x, y, x + w, y + h), axis=1)],
            mm,
        )
        if grid is not None:
            tables.append(grid)
    tables.sort(key=lambda t: (t.ys[0], t.xs[0]))
    return tables


def _ink(gray: np.ndarray, mm: float) -> np.ndarray:
    """Ink pixels (1): darker than their surroundings (a blurred or grey ruling on a scan is
    still darker than the paper next to it), or plainly dark."""
    import cv2

    block = int(3 * mm) | 1
    local = cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, _LOCAL_CONTRAST)
    return local | (gray < _INK_BELOW).astype(np.uint8)


# A segment: (position across, start along, end along) — for a horizontal ruling (y, x0, x1).
Segment = tuple[int, int, int]


def _segments(mask: np.ndarray, axis: int) -> list[Segment]:
    """Connected runs of a line mask: horizontal ones when axis=0, vertical ones when axis=1."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Segment] = []
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label][:4])
        if axis == 0:
            out.append((y + h // 2, x, x + w))
        else:
            out.append((x + w // 2, y, y + h))
    return out


def _inside(segment: Segment, box: tuple[int, int, int, int], axis: int) -> bool:
    across, start, end = segment
    x0, y0, x1, y1 = box
    mid = (start + end) / 2
    if axis == 0:
        return y0 <= across <= y1 and x0 <= mid <= x1
    return x0 <= across <= x1 and y0 <= mid <= y1


def _cluster(values: list[int], tolerance: int) -> list[int]:
    """Positions within ``tolerance`` of each other are one boundary (their mean)."""
    out: list[list[int]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [round(sum(group) / len(group)) for group in out]


def _grid(box, h_segments, v_segments, mm) -> TableGrid | None:
    tolerance = max(3, int(1.2 * mm))
    ys = _cluster([s[0] for s in h_segments], tolerance)
    if len(ys) < 2:
        return None

    def near(value: float, positions: list[int]) -> bool:
        return any(abs(value - p) <= tolerance for p in positions)

    # A vertical run is a ruling when both its ends sit on horizontal rulings (or it is long).
    rulings = [s for s in v_segments if (near(s[1], ys) and near(s[2], ys)) or s[2] - s[1] > 30 * mm]
    xs = _cluster([s[0] for s in rulings], tolerance)
    left = min(s[1] for s in h_segments)
    right = max(s[2] for s in h_segments)
    if not xs or xs[0] - left > 3 * mm:
        xs.insert(0, left)
    if xs[-1] < right - 3 * mm:
        xs.append(right)
    if len(xs) < 3 and len(ys) < 3:
        return None  # a box around a paragraph or a single line under a title, not a table
    top = min(s[1] for s in rulings) if rulings else ys[0]
    bottom = max(s[2] for s in rulings) if rulings else ys[-1]
    if ys[0] - top > 3 * mm:
        ys.insert(0, top)
    if ys[-1] < bottom - 3 * mm:
        ys.append(bottom)
    xs = _drop_thin(xs, int(2 * mm))
    ys = _drop_thin(ys, int(2 * mm))
    if len(xs) < 2 or len(ys) < 2:
        return None
    grid = TableGrid(xs, ys)
    _merge_regions(grid, h_segments, rulings, tolerance)
    if grid.columns < 2:
        return None  # a framed list (a table of contents): its lines are text, as in the PDF reader
    return grid


def _drop_thin(bounds: list[int], minimum: int) -> list[int]:
    """Two boundaries closer than ``minimum`` (a double border) are one."""
    out: list[int] = []
    for b in bounds:
        if out and b - out[-1] < minimum:
            continue
        out.append(b)
    return out


def _drawn(segments: list[Segment], fixed: int, start: int, end: int, tolerance: int) -> bool:
    """Is a ruling drawn at ``fixed`` (across) from ``start`` to ``end`` (along)? Only the
    rulings count, never a text stroke that happens to sit on the boundary."""
    margin = max(2, (end - start) // 6)
    start, end = start + margin, end - margin
    if end <= start:
        return True
    spans = sorted((max(a, start), min(b, end)) for across, a, b in segments if abs(across - fixed) <= tolerance and b > start and a < end)
    covered, reach = 0, start
    for a, b in spans:
        if b > reach:
            covered += b - max(a, reach)
            reach = b
    return covered >= _MIN_COVER * (end - start)


def _drawn_flags(grid: TableGrid, h_rulings: list[Segment], v_rulings: list[Segment], tolerance: int):
    """Which slot boundaries are drawn: v[r][c] between slots (r, c-1) and (r, c), h[r][c]
    between (r-1, c) and (r, c)."""
    xs, ys = grid.xs, grid.ys
    v = [[c > 0 and _drawn(v_rulings, xs[c], ys[r], ys[r + 1], tolerance) for c in range(grid.columns)] for r in range(grid.rows)]
    h = [[r > 0 and _drawn(h_rulings, ys[r], xs[c], xs[c + 1], tolerance) for c in range(grid.columns)] for r in range(grid.rows)]
    return v, h


def _merge_regions(grid: TableGrid, h_rulings: list[Segment], v_rulings: list[Segment], tolerance: int) -> None:
    v, h = _drawn_flags(grid, h_rulings, v_rulings, tolerance)
    # A boundary drawn in no row (column) is no boundary: a stroke that looked like a ruling.
    keep_x = [0] + [c for c in range(1, grid.columns) if any(v[r][c] for r in range(grid.rows))] + [grid.columns]
    keep_y = [0] + [r for r in range(1, grid.rows) if any(h[r][c] for c in range(grid.columns))] + [grid.rows]
    if len(keep_x) < len(grid.xs) or len(keep_y) < len(grid.ys):
        grid.xs = [grid.xs[i] for i in keep_x]
        grid.ys = [grid.ys[i] for i in keep_y]
        v, h = _drawn_flags(grid, h_rulings, v_rulings, tolerance)
    rows, cols = grid.rows, grid.columns
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(rows):
        for c in range(1, cols):
            if not v[r][c]:
                union(r * cols + c - 1, r * cols + c)
    for r in range(1, rows):
        for c in range(cols):
            if not h[r][c]:
                union((r - 1) * cols + c, r * cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    for slots in sorted(groups.values()):
        r0 = min(r for r, _ in slots)
        r1 = max(r for r, _ in slots)
        c0 = min(c for _, c in slots)
        c1 = max(c for _, c in slots)
        index = len(grid.regions)
        grid.regions.append((r0, c0, r1, c1))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                grid.slot_region.setdefault((r, c), index)

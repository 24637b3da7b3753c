"""A PDF page's characters and rulings → its ruled tables and its lines of text.

This module knows geometry, not PDF files: ``readers/pdf.py`` gives it the characters (text and
box) and the ruling edges of a page. The algorithms are pdfplumber's (version 0.11), rewritten
over plain tuples so that the page costs milliseconds (the table finder follows Anssi
Nurminen's thesis, as pdfplumber's does):

* **Tables** (pdfplumber ``find_tables`` with the "lines" strategy): the edges of every line,
  rectangle and path are snapped (edges within 3 pt of each other move to their mean), joined
  (collinear pieces less than 3 pt apart), short ones dropped; where a vertical and a horizontal
  edge meet (3 pt tolerance) is an intersection; a cell is the smallest rectangle whose four
  corners are intersections joined by edges; cells sharing a corner form one table.
* **Rows and merged cells**: a row is the cells starting at one height, the columns are the
  distinct left edges. A merged cell covers several (row, column) slots; every slot it covers
  gets its text (the "span rebuild": the text of the cell whose box contains the slot's centre), and
  the region is reported as a ``Merge``.
* **Text**: characters are grouped into lines (tops within 3 pt, chained), sorted left to right,
  split into words at a space or a gap of more than 3 pt; words are joined by one space. A cell's
  lines are joined without a break (``政务大\\n厅`` → ``政务大厅``; a space only between two
  non-CJK characters, where a space is printed at the line's end, or a blank line between;
  none inside a Latin word a narrow cell broke at its edge). Text outside every table becomes
  lines, each with its top, so that tables and text can be put in reading order.

Coordinates: points, origin at the top left of the page, y growing downwards (``top`` <
``bottom``), as pdfplumber reports them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from dataclasses import field
from operator import attrgetter
from operator import itemgetter

from jixiao.readers.grid import Merge

X_TOLERANCE = 3.0  # word gap and line grouping (pdfplumber's text defaults)
Y_TOLERANCE = 3.0
SNAP = 3.0  # table settings: snap, join, intersection tolerances, minimum edge length
JOIN = 3.0
MIN_EDGE = 3.0
MIN_EDGE_PREFILTER = 1.0
INTERSECTION = 3.0

LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


@dataclass(slots=True)
class Char:
    """One glyph: its text and box (and whether it is upright; rotated text reads top-down)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    upright: bool = True


# An edge: (x0, top, x1, bottom); vertical edges have x0 == x1, horizontal ones top == bottom.
Edge = tuple[float, float, float, float]


@dataclass(slots=True)
class Table:
    """A ruled table on a page: its rows with merged slots filled, and the merged regions."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str]]
    merges: list[Merge] = field(default_factory=list)
    xs: list[float] = field(default_factory=list)  # left edge of each column (slot)
    # per row, slot → how far (pt) the cell's last printed line stops short of the cell's right
    # edge (padding aside), for text a page break may split: a row that a page break split goes
    # on at the top of the next page
    open: list[dict[int, float]] = field(default_factory=list)
    # per row, slot → the width (pt) of what the cell's text begins with that a line cannot break
    # (a CJK character with the punctuation that may not start a line, a number, a word)
    lead: list[dict[int, float]] = field(default_factory=list)
    line_height: float = 0.0  # the usual height of its characters

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass(slots=True)
class Line:
    """A line of text outside the tables, and where it is printed."""

    top: float
    text: str
    x0: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    lead: float = 0.0  # width of what it begins with that a line cannot break (a number, a word, a character)


@dataclass(slots=True)
class PageLayout:
    tables: list[Table]
    lines: list[Line]

    def blocks(self) -> list[Table | Line]:
        """Tables and lines in reading order (by their top; a table before a line at its height)."""
        keyed: list[tuple[float, int, Table | Line]] = [(t.bbox[1], i, t) for i, t in enumerate(self.tables)]
        keyed += [(line.top, -1, line) for line in self.lines]
        keyed.sort(key=lambda k: (k[0], k[1]))
        return [block for _, _, block in keyed]


def layout(chars: list[Char], h_edges: list[Edge], v_edges: list[Edge]) -> PageLayout:
    """The tables and the text lines of one page (``chars`` in content order, deduplicated)."""
    tables = find_tables(h_edges, v_edges)
    out_tables = [_read_table(cells, chars) for cells in tables]
    if out_tables:
        boxes = [t.bbox for t in out_tables]
        outside = []
        for ch in chars:
            cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
            if not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
                outside.append(ch)
    else:
        outside = chars
    return PageLayout(out_tables, text_lines(outside))


# ------------------------------------------------------------------------------------ characters


def dedupe(chars: list[Char], tolerance: float = 1.0) -> list[Char]:
    """Drop repeated glyphs (same text within ``tolerance`` pt: a bold face faked by overprinting),
    keeping the first of each cluster; the order of the rest is kept (pdfplumber ``dedupe_chars``)."""
    if len(chars) < 2:
        return chars
    by_text: dict[tuple[bool, str], list[int]] = {}
    for i, ch in enumerate(chars):
        by_text.setdefault((ch.upright, ch.text), []).append(i)
    drop: set[int] = set()
    for indices in by_text.values():
        if len(indices) < 2:
            continue
        xs = sorted(chars[i].x0 for i in indices)
        if all(b - a > tolerance for a, b in zip(xs, xs[1:])):
            continue  # no two within tolerance across: none within a line either
        for y_cluster in _clusters(indices, lambda i: chars[i].top, tolerance):
            if len(y_cluster) < 2:
                continue
            for x_cluster in _clusters(y_cluster, lambda i: chars[i].x0, tolerance):
                if len(x_cluster) > 1:
                    keep = min(x_cluster, key=lambda i: (chars[i].top, chars[i].x0, i))
                    drop.update(i for i in x_cluster if i != keep)
    if not drop:
        return chars
    return [ch for i, ch in enumerate(chars) if i not in drop]


def _clusters(items: list, key, tolerance: float) -> list[list]:
    """pdfplumber's ``cluster_objects``: sort the distinct key values, start a new cluster where a
    value exceeds the previous one by more than ``tolerance``; items keep their order within a
    cluster, clusters come in key order."""
    keys = list(map(key, items))
    values = sorted(set(keys))
    if len(values) == 1:
        return [list(items)]
    cluster_of: dict[float, int] = {}
    n, last = 0, values[0]
    for v in values:
        if v > last + tolerance:
            n += 1
        cluster_of[v] = n
        last = v
    if n == 0:
        return [list(items)]
    groups: list[list] = [[] for _ in range(n + 1)]
    for x, k in zip(items, keys):
        groups[cluster_of[k]].append(x)
    return groups


def _flip(ch: Char) -> Char:
    """A rotated glyph seen with the axes swapped, so lines run along x (top-down reading)."""
    return Char(ch.text, ch.top, ch.x0, ch.bottom, ch.x1, False)


def _words(chars: list[Char]) -> list[tuple[float, float, str, float, float, float]]:
    """Words (top, x0, text) line by line: lines by top (chained 3 pt), each sorted by x0, split
    at a space or a jump back, a gap over 3 pt, or a top differing by over 3 pt (pdfplumber's
    ``WordExtractor`` with its defaults). Runs of rotated glyphs are read with the axes swapped."""
    out: list[tuple[float, float, str, float, float, float]] = []
    start = 0
    while start < len(chars):  # consecutive runs of one orientation, as pdfplumber groups them
        upright = chars[start].upright
        end = start
        while end < len(chars) and chars[end].upright == upright:
            end += 1
        run = chars[start:end] if upright else [_flip(c) for c in chars[start:end]]
        start = end
        for line in _clusters(run, _top, Y_TOLERANCE):
            line.sort(key=_x0)
            word: list[Char] = []
            for ch in line:
                if ch.text.isspace():
                    if word:
                        out.append(_word(word, upright))
                    word = []
                    continue
                if word:
                    prev = word[-1]
                    if ch.x0 < prev.x0 or ch.x0 > prev.x1 + X_TOLERANCE or abs(ch.top - prev.top) > Y_TOLERANCE:
                        out.append(_word(word, upright))
                        word = []
                word.append(ch)
            if word:
                out.append(_word(word, upright))
    return out


_top = attrgetter("top")
_x0 = attrgetter("x0")


def _word(chars: list[Char], upright: bool) -> tuple[float, float, str, float, float, float]:
    """(top, x0, text, x1, bottom, lead) of a word, in page coordinates; ``lead``: the width of
    its first unbreakable piece (a CJK character, with the punctuation that may not start a
    line after it; else the run up to the first CJK character)."""
    text = "".join(LIGATURES.get(c.text, c.text) for c in chars)
    top, x0 = min(c.top for c in chars), min(c.x0 for c in chars)
    bottom, x1 = max(c.bottom for c in chars), max(c.x1 for c in chars)
    if _CJK.match(chars[0].text):
        end = 1
        while end < len(chars) and chars[end].text in _NO_LINE_START:
            end += 1
    else:
        end = next((i for i, c in enumerate(chars) if _CJK.match(c.text) and c.text not in _NO_LINE_START), len(chars))
    # an opening bracket holds on to what follows it (and to a letter or number before it); a
    # quotation mark to both sides (UAX #14 QU: 化“一, 沙”A), closing punctuation to what it follows
    latin = not _CJK.match(chars[0].text)
    while end < len(chars) and (
        chars[end - 1].text in _NO_LINE_END or chars[end - 1].text in _QUOTES or chars[end].text in _QUOTES
        or chars[end].text in _NO_LINE_START or (latin and chars[end].text in _NO_LINE_END)
    ):
        end += 1
    lead = (chars[end - 1].x1 - chars[0].x0) if upright else (chars[end - 1].bottom - chars[0].top)
    return (top, x0, text, x1, bottom, lead) if upright else (x0, top, text, bottom, x1, lead)


_NO_LINE_START = set("，。、；：？！）》」』】”’%％,.;:?!)]")
_NO_LINE_END = set("（《「『【“‘([{")
_QUOTES = set("“”‘’\"'")


def text_lines(chars: list[Char]) -> list[Line]:
    """Lines of text in reading order: words grouped by top (pdfplumber ``extract_text_lines``:
    consecutive words of one cluster form a line, joined by a space)."""
    if not chars:
        return []
    words = _words(chars)
    tops = sorted({w[0] for w in words})
    cluster_of: dict[float, int] = {}
    n, last = 0, None
    for v in tops:
        if last is not None and v > last + Y_TOLERANCE:
            n += 1
        cluster_of[v] = n
        last = v
    groups: list[list[tuple]] = []
    current = None
    for w in words:
        c = cluster_of[w[0]]
        if c != current or not groups:
            groups.append([])
        current = c
        groups[-1].append(w)
    lines = []
    for group in groups:
        text = " ".join(w[2] for w in group).strip(" ")
        if text:
            lines.append(Line(min(w[0] for w in group), text, min(w[1] for w in group),
                              max(w[3] for w in group), max(w[4] for w in group), group[0][5]))
    return lines


# A line that starts a paragraph of its own even at the left margin: a numbered item or heading.
_ITEM = re.compile(r"^\s*([（(]?[一二三四五六七八九十\d]{1,3}([)）、]|[.．](?!\d))|第[一二三四五六七八九十\d]+[章节部条]|[•·●■□◆◇※]|[-—]\s)")


def starts_item(text: str) -> bool:
    """Does the text begin with a list marker or a heading number (1. 一、 （二） 第三章 •)?"""
    return bool(_ITEM.match(text))


def continues(first: Line, second: Line, left: float, right: float) -> bool:
    """Does ``second`` go on the paragraph ``first`` ends (a printed line wrapped at the right
    margin)? ``first`` stops where what ``second`` begins with (a character, a number, a word)
    would not have fitted before the right margin; ``second`` starts at the left margin (not
    indented as a paragraph's first line is, nor a numbered item), right below ``first`` and in
    the same size."""
    height = first.bottom - first.top
    if height <= 0 or second.bottom - second.top <= 0:
        return False
    return (
        right - first.x1 < max(second.lead, 0.5 * height) + 0.3 * height
        and second.x0 <= left + 0.5 * height
        and 0 < second.top - first.top <= 2.2 * height
        and 0.75 <= (second.bottom - second.top) / height <= 1.33
        and not _ITEM.match(second.text)
    )


def cell_text(chars: list[Char], box: tuple[float, float, float, float] | None = None, lines: list | None = None) -> str:
    """A cell's text on one line (pdfplumber ``extract_text`` then the wrapped lines joined). With
    the cell's ``box``, a Latin word broken at the cell's right edge (a word longer than a narrow
    column: ``AP`` / ``P``) is joined without a space (``broken_word``)."""
    if not chars:
        return ""
    out = ""
    if lines is None:
        lines = _clusters(_words(chars), itemgetter(0), Y_TOLERANCE)
    spaces = [c for c in chars if c.text.isspace()]
    for n, line in enumerate(lines):
        text = " ".join(w[2] for w in line)
        if n and (_ends_in_space(lines[n - 1], spaces) or _blank_line_between(lines[n - 1], line)):
            # a space printed where the line broke, or a line left blank (a space that did not
            # fit, an empty paragraph)
            out = out + " " + text.strip() if out and text.strip() else join_wrapped_text(out, text)
            continue
        broken = box is not None and n > 0 and broken_word(lines[n - 1], line[0], chars, box, spaces)
        out = join_wrapped_text(out, text, broken=broken)
    if box is not None and lines and out and _ends_in_space(lines[-1], spaces):
        out += " "  # kept for a page break's rest of the cell (the reader strips cells' ends)
    return out.replace("\t", " ")


def _blank_line_between(first: list[tuple], second: list[tuple]) -> bool:
    """Is a whole line left blank between two lines of a cell (their tops over 2.2 lines apart)?"""
    height = max(w[4] - w[0] for w in first)
    return height > 0 and min(w[0] for w in second) - min(w[0] for w in first) > 2.2 * height


def _ends_in_space(line: list[tuple], spaces: list[Char]) -> bool:
    """Is a space glyph (of the cell's ``spaces``) printed after the last word of ``line`` (the
    text has a space where the line broke: ``批示；2. `` / ``获得``)?"""
    if not spaces:
        return False
    last = max(line, key=itemgetter(3))
    return any(c.x0 >= last[3] - 0.5 and abs(c.top - last[0]) <= Y_TOLERANCE for c in spaces)


_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def broken_word(line: list[tuple], first: tuple, chars: list[Char], box: tuple[float, float, float, float],
                spaces: list[Char]) -> bool:
    """Was a Latin word broken between ``line`` (words of one printed line) and the next line's
    ``first`` word? Latin text wraps at its spaces, so a line ending in a letter with the next
    starting with one is a break inside a word only if the line runs to the cell's right edge
    (less the padding its text leaves on the left): the next line's first letter would not have
    fitted; and no space glyph ends the line."""
    last = max(line, key=itemgetter(3))
    if not (last[2] and first[2] and _LETTER.match(last[2][-1]) and _LETTER.match(first[2][0])):
        return False
    padding = max(min(c.x0 for c in chars) - box[0], 0.0)
    letter = (first[3] - first[1]) / max(len(first[2]), 1)  # the next line's letters' width
    return box[2] - padding - last[3] < letter and not _ends_in_space(line, spaces)


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’（）：；，。、]")


_NUMBER = re.compile(r"[0-9.,%]")


def join_wrapped_text(first: str, second: str, *, broken: bool = False) -> str:
    """Join a wrapped line to the text before it: no space when either side is CJK, nor inside a
    number (a narrow column breaks ``152001`` into ``152`` and ``001``, ``1,955.15`` into ``1,9``
    ``55.`` ``15``), nor after a hyphen or slash or before one that follows a number (``90%`` /
    ``-80%``), nor inside a word known to be ``broken`` (by the characters' positions); a space
    between other words (Latin text wraps at its spaces)."""
    second = second.strip()
    if not second:
        return first
    if not first:
        return second
    a, b = first[-1], second[0]
    if broken or _CJK.match(a) or _CJK.match(b) or (_NUMBER.match(a) and _NUMBER.match(b)) or a in "-/–" or (
        _NUMBER.match(a) and b in "-–~～"
    ):
        return first + second  # (a hyphen or slash ending a line joins: 90%-95%, well-known)
    return first + " " + second


# ------------------------------------------------------------------------------------ tables


def subpath_edges(subpaths, h_edges: list[Edge], v_edges: list[Edge]) -> None:
    """The horizontal and vertical pieces of a path's subpaths (``[(points, closed)]``, points on
    the page), as pdfminer/pdfplumber see them: an axis-aligned closed four-sided subpath is a
    rectangle (its four sides), any other gives a piece between each two consecutive points (and
    back to its start when closed); slanted pieces are not rulings."""
    for pts, closed in subpaths:
        if closed and len(pts) >= 2 and pts[-1] == pts[0]:
            pts = pts[:-1]
        if len(pts) == 4 and closed and _is_rect(pts):
            xs = sorted({p[0] for p in pts})
            ys = sorted({p[1] for p in pts})
            x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
            h_edges.append((x0, y0, x1, y0))
            h_edges.append((x0, y1, x1, y1))
            v_edges.append((x0, y0, x0, y1))
            v_edges.append((x1, y0, x1, y1))
            continue
        if closed and len(pts) >= 3:
            pts = [*pts, pts[0]]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            if y0 == y1 and x0 != x1:
                h_edges.append((min(x0, x1), y0, max(x0, x1), y0))
            elif x0 == x1 and y0 != y1:
                v_edges.append((x0, min(y0, y1), x0, max(y0, y1)))


def _is_rect(pts) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


def find_tables(h_edges: list[Edge], v_edges: list[Edge]) -> list[list[tuple[float, float, float, float]]]:
    """The cells of each ruled table on the page, tables from the top (pdfplumber ``find_tables``)."""
    h = [e for e in h_edges if e[2] - e[0] >= MIN_EDGE_PREFILTER]
    v = [e for e in v_edges if e[3] - e[1] >= MIN_EDGE_PREFILTER]
    if not h or not v:
        return []
    h = _merge(_snap(h, 1), 1)
    v = _merge(_snap(v, 0), 0)
    h = [e for e in h if e[2] - e[0] >= MIN_EDGE]
    v = [e for e in v if e[3] - e[1] >= MIN_EDGE]
    if not h or not v:
        return []
    h = _close_open_ends(h, v)
    points = _intersections(h, v)
    cells = _cells(points)
    return _group_cells(cells)


def cut_by_page_break(h_edges: list[Edge], v_edges: list[Edge]) -> bool:
    """Whether a ruled table on the page is open where a page break cut it (``_close_open_ends``
    closes a cell there)."""
    h = [e for e in h_edges if e[2] - e[0] >= MIN_EDGE_PREFILTER]
    v = [e for e in v_edges if e[3] - e[1] >= MIN_EDGE_PREFILTER]
    if not h or not v:
        return False
    h = [e for e in _merge(_snap(h, 1), 1) if e[2] - e[0] >= MIN_EDGE]
    v = [e for e in _merge(_snap(v, 0), 0) if e[3] - e[1] >= MIN_EDGE]
    return bool(h and v) and _close_open_ends(h, v) != h


def _close_open_ends(h: list[Edge], v: list[Edge]) -> list[Edge]:
    """A table cut by a page break, closed where it is cut. LibreOffice Calc prints a merged cell
    that runs on to the next page (一级/二级 指标, 单位) without a bottom rule on the first page and
    without a top rule on the next: its side rules stop at the table's last rule, which only spans
    the unmerged columns, so the cell had no corner there and its text was lost. A horizontal rule
    is drawn on over the vertical rules that end (or start) at its height next to it, as far as
    they go one after another and a rule above or below (the table's) joins them to it; a vertical
    rule crossing the height stops it."""
    tol = INTERSECTION
    out: list[Edge] = []
    for x0, y, x1, _y in h:
        ends = [e[0] for e in v if abs(e[3] - y) <= tol or abs(e[1] - y) <= tol]
        crossing = [e[0] for e in v if e[1] < y - tol and e[3] > y + tol]
        if ends:
            x0 = _reach(x0, x1, y, ends, crossing, h, -1)
            x1 = _reach(x1, x0, y, ends, crossing, h, 1)
        out.append((x0, y, x1, y))
    return out


def _reach(x: float, other: float, y: float, ends: list[float], crossing: list[float], h: list[Edge],
           step: int) -> float:
    """How far a horizontal rule at ``y`` reaches beyond its end ``x`` (``step`` -1 left, 1 right)."""
    tol = INTERSECTION
    while True:
        beyond = [e for e in ends if (e - x) * step > tol]
        if not beyond:
            return x
        nearest = min(beyond, key=lambda e: abs(e - x))
        if any((c - x) * step > tol and (nearest - c) * step > -tol for c in crossing):
            return x
        lo, hi = min(nearest, other), max(nearest, other)
        if not any(e[1] != y and e[0] <= lo + tol and e[2] >= hi - tol for e in h):
            return x  # no rule of the same table spans both: another table beside it
        x = nearest


def _snap(edges: list[Edge], axis: int) -> list[Edge]:
    """Edges whose position (x for vertical, y for horizontal) lies within SNAP of each other
    (chained) move to the cluster's mean position."""
    out: list[Edge] = []
    for cluster in _clusters(edges, lambda e: e[axis], SNAP):
        mean = sum(e[axis] for e in cluster) / len(cluster)
        for e in cluster:
            d = mean - e[axis]
            out.append((e[0] + d, e[1], e[2] + d, e[3]) if axis == 0 else (e[0], e[1] + d, e[2], e[3] + d))
    return out


def _merge(edges: list[Edge], axis: int) -> list[Edge]:
    """Collinear edges that overlap or lie within JOIN of each other become one."""
    lo, hi = (0, 2) if axis == 1 else (1, 3)
    groups: dict[float, list[Edge]] = {}
    for e in edges:
        groups.setdefault(e[axis], []).append(e)
    out: list[Edge] = []
    for pos in sorted(groups):
        group = sorted(groups[pos], key=lambda e: e[lo])
        current = list(group[0])
        for e in group[1:]:
            if e[lo] <= current[hi] + JOIN:
                if e[hi] > current[hi]:
                    current[hi] = e[hi]
            else:
                out.append(tuple(current))
                current = list(e)
        out.append(tuple(current))
    return out


def _intersections(h: list[Edge], v: list[Edge]) -> dict[tuple[float, float], tuple[set[int], set[int]]]:
    """Points where a vertical and a horizontal edge meet: point → (vertical ids, horizontal ids)."""
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    h_sorted = sorted(range(len(h)), key=lambda i: (h[i][1], h[i][0]))
    tol = INTERSECTION
    for vi in sorted(range(len(v)), key=lambda i: (v[i][0], v[i][1])):
        x, vtop, _, vbottom = v[vi]
        for hi in h_sorted:
            hx0, y, hx1, _ = h[hi]
            if y < vtop - tol:
                continue
            if y > vbottom + tol:
                break
            if hx0 - tol <= x <= hx1 + tol:
                entry = points.get((x, y))
                if entry is None:
                    entry = points[(x, y)] = (set(), set())
                entry[0].add(vi)
                entry[1].add(hi)
    return points


def _cells(points: dict[tuple[float, float], tuple[set[int], set[int]]]) -> list[tuple[float, float, float, float]]:
    """For each intersection, the smallest cell it is the top-left corner of (pdfplumber's
    ``intersections_to_cells``): the nearest point below and to the right, joined by edges, whose
    bottom-right corner is an intersection joined to both."""
    below: dict[float, list[float]] = {}
    right: dict[float, list[float]] = {}
    for x, y in points:
        below.setdefault(x, []).append(y)
        right.setdefault(y, []).append(x)
    for values in (*below.values(), *right.values()):
        values.sort()
    cells = []
    for x, y in sorted(points):
        v_here, h_here = points[(x, y)]
        cell = None
        for by in below[x]:
            if by <= y or not (v_here & points[(x, by)][0]):
                continue
            for rx in right[y]:
                if rx <= x or not (h_here & points[(rx, y)][1]):
                    continue
                corner = points.get((rx, by))
                if corner is not None and (corner[0] & points[(rx, y)][0]) and (corner[1] & points[(x, by)][1]):
                    cell = (x, y, rx, by)
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def _group_cells(cells: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """Cells sharing a corner form one table; tables in order of their top-left cell; a table of
    one cell is a frame, not a table (pdfplumber's ``cells_to_tables``)."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[tuple[float, float, float, float]]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(find(i), []).append(cell)
    tables = [g for g in groups.values() if len(g) > 1]
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return tables


def _read_table(cells: list[tuple[float, float, float, float]], chars: list[Char]) -> Table:
    """Rows of cell texts, every slot of a merged cell filled, and the merged regions."""
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    xs = sorted({c[0] for c in cells})
    tops = sorted({c[1] for c in cells})
    col_of = {x: i for i, x in enumerate(xs)}
    row_of = {y: i for i, y in enumerate(tops)}
    # a cell's chars: those whose centre lies in its box (half-open, as pdfplumber's
    # ``Table.extract``), in content order
    inside = []
    for n, ch in enumerate(chars):
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        if bbox[0] <= cx < bbox[2] and bbox[1] <= cy < bbox[3]:
            inside.append((cy, n, cx, ch))
    inside.sort(key=itemgetter(0))
    ys = [t[0] for t in inside]
    texts: dict[tuple[float, float, float, float], str] = {}
    open_cells: dict[tuple[float, float, float, float], float] = {}
    leads: dict[tuple[float, float, float, float], float] = {}
    grid: list[list[tuple | None]] = [[None] * len(xs) for _ in tops]
    contents = []
    for cell in cells:
        grid[row_of[cell[1]]][col_of[cell[0]]] = cell
        x0, top, x1, bottom = cell
        found = [t for t in inside[bisect_left(ys, top) : bisect_left(ys, bottom)] if x0 <= t[2] < x1]
        found.sort(key=itemgetter(1))
        contents.append((cell, [t[3] for t in found]))
    # the cells' padding: the least gap any cell's text leaves on its left (a left-aligned cell's)
    padding = min((min(c.x0 for c in chars) - cell[0] for cell, chars in contents if chars), default=0.0)
    heights = sorted(t[3].bottom - t[3].top for t in inside)
    em = heights[len(heights) // 2] if heights else 0.0
    # per column, the room a wrapped line leaves at its end (the least over the lines that a
    # later line of their cell follows): what the right padding and the widths leave when a line
    # is full
    # (numbers, aligned right or centred, apart: their room is the cell's width less the
    # padding on both sides and the line's)
    padding = max(padding, 0.0)
    full: dict[tuple[float, float, bool], float] = {}
    lines_of = {}
    for cell, found in contents:
        lines_of[cell] = _clusters(_words(found), itemgetter(0), Y_TOLERANCE) if found else []
        texts[cell] = cell_text(found, cell, lines_of[cell])
        numeric = bool(_NUMERIC.match(texts[cell].replace(" ", "")))
        for room in _wrapped_rooms(cell, found, padding, numeric):
            key = (cell[0], cell[2], numeric)
            full[key] = min(full.get(key, room), room)
    for cell, found in contents:
        short = _short_of_the_edge(cell, found, texts[cell], padding) if found else None
        numeric = bool(_NUMERIC.match(texts[cell].replace(" ", "")))
        if short is not None:
            # beyond a full line's room (with a third of a point for rounding); without a
            # wrapped line in the column, a quarter character for a right padding wider than
            # the left
            key = (cell[0], cell[2], numeric)
            open_cells[cell] = short - full[key] + 0.3 if key in full else short - 0.25 * em
        if found:
            leads[cell] = _lead(found, numeric, lines_of[cell])
    # slots: columns from the distinct left edges to the table's right, rows likewise
    col_spans = list(zip(xs, [*xs[1:], bbox[2]]))
    row_spans = list(zip(tops, [*tops[1:], bbox[3]]))
    rows: list[list[str]] = []
    open_slots: list[dict[int, float]] = []
    lead_slots: list[dict[int, float]] = []
    covered: dict[tuple[float, float, float, float], list[tuple[int, int]]] = {}
    for r, row in enumerate(grid):
        out = []
        open_slots.append({})
        lead_slots.append({})
        cy = (row_spans[r][0] + row_spans[r][1]) / 2
        for c, cell in enumerate(row):
            if cell is None:
                cx = (col_spans[c][0] + col_spans[c][1]) / 2
                cell = next((b for b in cells if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
            out.append(texts.get(cell, "") if cell is not None else "")
            if cell is not None:
                covered.setdefault(cell, []).append((r, c))
                if cell in open_cells:
                    open_slots[r][c] = open_cells[cell]
                if cell in leads:
                    lead_slots[r][c] = leads[cell]
        rows.append(out)
    merges = []
    for slots in covered.values():
        if len(slots) > 1:
            rs = [s[0] for s in slots]
            cs = [s[1] for s in slots]
            merges.append(Merge(min(rs), min(cs), max(rs), max(cs)))
    merges.sort(key=lambda m: (m.first_row, m.first_col))
    return Table(bbox, rows, merges, xs, open_slots, lead_slots, em)


def _lead(chars: list[Char], numeric: bool = False, lines: list | None = None) -> float:
    """The width of what a cell's text begins with that a line cannot break: its first word's
    (``_word``), and when the first line is that word alone and its line broke where no break
    is allowed (before a closing mark, or between a letter or sign and an opening bracket, as
    in ``=`` / ``（完``: the run did not fit a line and was broken by force), the next line's too."""
    if numeric:  # a number cannot break: a narrow column breaks it anywhere, by force
        top = min(c.top for c in chars if not c.text.isspace())
        first = min((c for c in chars if not c.text.isspace() and c.top <= top + Y_TOLERANCE), key=_x0)
        return first.x1 - first.x0
    if lines is None:
        lines = _clusters(_words(chars), itemgetter(0), Y_TOLERANCE)
    lines = [sorted(line, key=itemgetter(1)) for line in lines[:2]]
    lead = lines[0][0][5]
    if len(lines) > 1 and len(lines[0]) == 1 and lines[0][0][2] and lines[1][0][2]:
        a, b = lines[0][0][2][-1], lines[1][0][2][0]
        if b in _NO_LINE_START or a in _NO_LINE_END or a in _QUOTES or b in _QUOTES or (b in _NO_LINE_END and not _CJK.match(a)):
            lead += lines[1][0][5]
    return lead


_NUMERIC = re.compile(r"^[\d.,%\-+()（）]*$")


def _wrapped_rooms(cell, chars: list[Char], padding: float, numeric: bool) -> list[float]:
    """The room (pt) each line but the last of a cell's upright text leaves before the cell's
    right edge less the table's ``padding``; a number's: the cell's width less the padding on
    both sides and the line's width (a number may be aligned to the right or centred)."""
    chars = [c for c in chars if not c.text.isspace()]
    if not chars or any(not c.upright for c in chars):
        return []
    lines = _clusters(chars, _top, Y_TOLERANCE)
    lines.sort(key=lambda line: line[0].top)
    return [_room(cell, line, padding, numeric) for line in lines[:-1]]


def _room(cell, line: list[Char], padding: float, numeric: bool) -> float:
    if numeric:
        return max(cell[2] - cell[0] - 2 * padding - (max(c.x1 for c in line) - min(c.x0 for c in line)), 0.0)
    return max(cell[2] - padding - max(c.x1 for c in line), 0.0)


def _short_of_the_edge(cell, chars: list[Char], text: str, padding: float) -> float | None:
    """How far (pt) the cell's last line of text stops short of the cell's right edge less the
    table's ``padding`` (the least any of its cells leaves on the left: text centred in its
    cell is not taken for a full line), or None for rotated text and for text that stops more
    than two lines above the cell's bottom (text a page break cut runs to the bottom of the
    page's part of the cell); a number's, measured as in ``_room``."""
    if any(not c.upright for c in chars):
        return None
    last_top = max(c.top for c in chars)
    last = [c for c in chars if c.top >= last_top - Y_TOLERANCE and not c.text.isspace()]
    if not last:
        return None
    height = max(c.bottom - c.top for c in last)
    if cell[3] - max(c.bottom for c in last) > 2 * height:
        return None
    return _room(cell, last, padding, bool(_NUMERIC.match(text.replace(" ", ""))))

"""Text reader: plain-text exports of the documents, in the three layouts we have seen.

* ``tab-rows``: one table row per line, cells separated by tabs (seeds 000, 001).
  Blank lines inside a table are ignored; a line without a tab is a paragraph.
* ``cell-per-line``: one cell per line, each starting with a tab, blank lines between rows
  (seeds 002, 004). A line without a leading tab right after a cell continues that cell's
  text (a wrapped cell); after a blank line it continues the last cell of the previous row,
  and the row goes on, unless the line is a form footer or a title.
* ``pipe-cells``: one cell per line, each ending in `` |`` (a lone ``|`` is an empty cell), no
  row separators (the Sichuan 项目支出绩效自评表 export). Each cell becomes a one-cell row (column
  1, its own line) and the parser of the form groups them: without separators only the form
  knows where a row ends, so the reader does not guess. Empty cells are kept as blank rows, since
  a form's cells are positional. Lines without the terminator are the first lines of a cell
  wrapped over several lines and are joined to the next terminated line (the cell keeps the
  first line); such text followed by a blank line, or at the end, is a paragraph.

Bad input never raises: an error finding names the file and the problem.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.source import Location
from jixiao.readers.grid import Cell
from jixiao.readers.grid import Grid
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import RawDocument
from jixiao.readers.grid import Row
from jixiao.readers.grid import clean_cell
from jixiao.readers.grid import clean_paragraph
from jixiao.readers.grid import join_wrapped

MAX_BYTES = int(os.environ.get("JIXIAO_MAX_TEXT_BYTES", str(16 * 1024 * 1024)))

# Lines that end a form rather than continue a cell (footers, attachment labels, titles).
_FORM_BREAK = re.compile(
    r"^(填表人|联系电话|填报日期|单位负责人|附件\s*\d|附表\s*\d|\d{1,3}$|.{0,20}(目标表|汇总表|情况表|总表|支出表)$)"
)


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size} 字节"


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str | None, list[Finding]]:
    from jixiao.readers.encoding import decode_text

    return decode_text(data, name, encoding)


def read_text(path: str | Path, *, name: str | None = None, encoding: str | None = None):
    """Read a text file. Returns ``(RawDocument | None, findings)``."""
    path = Path(path)
    name = name or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [make("file-unreadable", None, file=name, reason=exc.strerror or str(exc))]
    if size > MAX_BYTES:
        return None, [make("file-too-large", None, file=name, size=_human(size), limit=_human(MAX_BYTES))]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [make("file-unreadable", None, file=name, reason=exc.strerror or str(exc))]
    return read_text_bytes(data, name, encoding=encoding)


def read_text_bytes(data: bytes, name: str, *, encoding: str | None = None, **_options):
    """Read text from bytes (used by the file reader and by tests' inline documents)."""
    if len(data) > MAX_BYTES:
        return None, [make("file-too-large", None, file=name, size=_human(len(data)), limit=_human(MAX_BYTES))]
    text, findings = _decode(data, name, encoding)
    if text is None:
        return None, findings
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip(" \t\u3000\ufeff") for line in lines):
        return None, [*findings, make("file-empty", None, file=name)]
    if _is_cell_per_line(lines):
        return RawDocument(name, tuple(_cell_per_line(lines, name)), "cell-per-line"), findings
    if _is_pipe_cells(lines):
        return RawDocument(name, tuple(_pipe_cells(lines, name)), "pipe-cells"), findings
    return RawDocument(name, tuple(_tab_rows(lines, name)), "tab-rows"), findings


def _is_cell_per_line(lines: list[str]) -> bool:
    tabbed = [line for line in lines if "\t" in line]
    if len(tabbed) < 5:
        return False
    single = sum(1 for line in tabbed if line.startswith("\t") and "\t" not in line[1:])
    return single >= 0.8 * len(tabbed)


def _tab_rows(lines: list[str], name: str):
    rows: list[Row] = []

    def flush():
        if rows:
            yield Grid(tuple(rows), rows[0].location)
            rows.clear()

    for number, line in enumerate(lines, start=1):
        if "\t" in line:
            parts = line.rstrip("\t \u3000\r").split("\t")  # trailing empty cells carry nothing
            rows.append(Row.of_texts([clean_cell(text) for text in parts], Location(name, number)))
            continue
        text = clean_paragraph(line)
        if not text:
            continue
        yield from flush()
        yield Paragraph(text, Location(name, number))
    yield from flush()


class _RowBuilder:
    """Accumulates the cells of one row in cell-per-line layout."""

    def __init__(self, name: str):
        self.name = name
        self.cells: list[list] = []  # [text, line]

    def add(self, text: str, line: int) -> None:
        self.cells.append([text, line])

    def extend_last(self, text: str) -> None:
        self.cells[-1][0] = join_wrapped(self.cells[-1][0], text)

    def build(self) -> Row:
        first = self.cells[0][1]
        cells = tuple(
            Cell(text, file=self.name, line=line, column=i + 1) for i, (text, line) in enumerate(self.cells)
        )
        return Row(cells, Location(self.name, first))


def _cell_per_line(lines: list[str], name: str):
    rows: list[Row] = []
    current: _RowBuilder | None = None  # the row being filled
    last: _RowBuilder | None = None  # the row a continuation line may re-open

    def close():
        nonlocal current, last
        if current is not None and current.cells:
            last = current
        current = None

    def emit_rows():
        # Rows are emitted lazily: a continuation may still re-open the last one.
        if last is not None and last.cells:
            rows.append(last.build())

    def flush_grid():
        if rows:
            grid = Grid(tuple(rows), rows[0].location)
            rows.clear()
            return [grid]
        return []

    for number, raw in enumerate(lines, start=1):
        if raw.startswith("\t"):
            text = clean_cell(raw[1:])
            if current is None:
                emit_rows() if last is not None and last is not current else None
                last = None
                current = _RowBuilder(name)
            current.add(text, number)
            continue
        text = clean_cell(raw)
        if not text:
            if current is not None:
                close()
            continue
        if _FORM_BREAK.match(text) or (current is None and last is None):
            close()
            emit_rows()
            last = None
            yield from flush_grid()
            yield Paragraph(text, Location(name, number))
            continue
        # A wrapped cell: continue the open row, or re-open the row a blank line closed.
        target = current if current is not None else last
        target.extend_last(text)
        if current is None:
            current, last = last, None
    close()
    emit_rows()
    yield from flush_grid()


# A pipe cell: the line ends in `` |`` (whitespace before the bar) or is a lone ``|``. A markdown
# table row starts with ``|``, so a line starting with a bar is a cell only when it is the bar.
_PIPE_END = re.compile(r"(?:^|[ \t\u3000])\|[ \t\u3000]*$")


def _pipe_cell(line: str) -> str | None:
    """The text of a pipe cell line, or None when the line is not one."""
    stripped = line.strip(" \t\u3000\ufeff")
    if not stripped.endswith("|"):
        return None
    if stripped == "|":
        return ""
    if stripped.startswith("|") or not _PIPE_END.search(line):
        return None
    return line.rstrip(" \t\u3000")[:-1]


def _is_pipe_cells(lines: list[str]) -> bool:
    filled = [line for line in lines if line.strip(" \t\u3000\ufeff")]
    cells = sum(1 for line in filled if _pipe_cell(line) is not None)
    return cells >= 5 and cells >= 0.8 * len(filled)


def _pipe_cells(lines: list[str], name: str):
    rows: list[Row] = []
    pending: list[tuple[str, int]] = []  # unterminated lines: a wrapped cell's first lines

    def flush_grid():
        if rows:
            yield Grid(tuple(rows), rows[0].location)
            rows.clear()

    def flush_pending():
        if pending:
            yield from flush_grid()
            text = clean_paragraph(" ".join(t for t, _ in pending))
            yield Paragraph(text, Location(name, pending[0][1]))
            pending.clear()

    for number, line in enumerate(lines, start=1):
        cell = _pipe_cell(line)
        if cell is None:
            text = clean_cell(line.lstrip("\ufeff"))
            if text:
                pending.append((text, number))
            else:
                yield from flush_pending()
            continue
        text, first = clean_cell(cell), number
        if pending:
            first = pending[0][1]
            joined = ""
            for part, _ in pending:
                joined = join_wrapped(joined, part)
            text = join_wrapped(joined, text)
            pending.clear()
        rows.append(Row((Cell(text, file=name, line=first, column=1),), Location(name, first)))
    yield from flush_pending()
    yield from flush_grid()

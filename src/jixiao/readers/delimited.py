"""CSV files (comma-separated, as spreadsheets export them).

Encoding: UTF-8 with or without a byte-order mark, or GBK/GB18030 (``encoding.decode_text``; the
``encoding`` option overrides). Records are read with the standard ``csv`` module, so a quoted
field may hold commas, quotes and line breaks. Trailing empty fields carry nothing and are dropped.

Each run of records is one grid; blank records do not end it (spreadsheets leave blank rows inside
tables). A record whose only text is in its first field is a paragraph (a title, a 单位：万元 note,
a footer), as a text line without tabs is, and ends the grid before it; unless it stands between
two records of several fields: then it is a row of that table (a label whose amounts are empty,
六、事业收入), and the parser still sees a title in a row of one text.

Locations: ``line`` is the line of the file where the record starts (a quoted field with line
breaks spans several) and cells add their ``column``.
"""

from __future__ import annotations

import csv
import io

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.source import Location
from jixiao.readers.grid import Grid
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import RawDocument
from jixiao.readers.grid import Row
from jixiao.readers.grid import clean_cell
from jixiao.readers.grid import clean_paragraph
from jixiao.readers.grid import join_wrapped

csv.field_size_limit(64 * 1024 * 1024)


def read_csv(data: bytes, name: str, encoding: str | None = None, **_options) -> tuple[RawDocument | None, list[Finding]]:
    """Read a CSV file into paragraphs and grids, located by line and column."""
    from jixiao.readers.encoding import decode_text

    text, findings = decode_text(data, name, encoding)
    if text is None:
        return None, findings
    text = text.lstrip("\ufeff")
    blocks: list[Paragraph | Grid] = []
    rows: list[Row] = []

    def flush() -> None:
        if rows:
            blocks.append(Grid(tuple(rows), rows[0].location))
            rows.clear()

    records: list[tuple[int, list[str], str]] = []  # (line, cells, first field as printed)
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            cells = [_cell(field) for field in record]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                records.append((line, cells, record[0]))
    except csv.Error as exc:
        findings.append(make("file-part-unreadable", Location(name, start), file=name,
                             part=f"第 {start} 行起", reason=f"CSV 格式错误：{exc}"))
    for k, (line, cells, first) in enumerate(records):
        inside = 0 < k < len(records) - 1 and len(records[k - 1][1]) > 1 and len(records[k + 1][1]) > 1
        if len(cells) == 1 and not inside:
            flush()
            blocks.append(Paragraph(clean_paragraph(first.replace("\r", " ").replace("\n", " ")), Location(name, line)))
        else:
            rows.append(Row.of_texts(cells, Location(name, line)))
    flush()
    if not blocks:
        return None, [*findings, make("file-empty", None, file=name)]
    return RawDocument(name, tuple(blocks), "csv"), findings


def _cell(field: str) -> str:
    """A field's text: a wrapped field's lines joined (no space between CJK characters)."""
    if "\n" not in field and "\r" not in field:
        return clean_cell(field)
    out = ""
    for part in field.replace("\r", "\n").split("\n"):
        part = clean_cell(part)
        if part:
            out = join_wrapped(out, part)
    return out

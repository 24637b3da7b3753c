"""Extract a text-layer PDF into the tab-separated text layout jixiao's text reader reads best.

Usage::

    .venv/bin/python tools/pdf_text.py IN.pdf -o OUT.txt      # or without -o: to stdout

Page by page, in reading order (by the top coordinate of each block):

* every table row found by pdfplumber (ruled tables, ``page.find_tables()``) becomes one line,
  its cells separated by tabs; a cell's wrapped lines are joined (``政务大\\n厅`` → ``政务大厅``;
  a space only between two non-CJK characters); rows with no text at all are dropped;
* merged cells are rebuilt (TECH.md §4 "span rebuild"): pdfplumber gives ``None`` for every
  slot a merged cell covers but its first; each such slot gets the text of the cell whose bbox
  contains the slot's centre, so a header spanning 类/款/项 is repeated in each of them and a
  row label spanning rows is repeated on each row;
* text outside the tables becomes plain lines (``page.extract_text_lines()``), as printed;
* a one-column table (a framed table of contents) gives plain lines, as it has no tabs;
* a blank line separates pages.

No stitching across pages is done here: the parser stitches the pages of one table.
Scanned PDFs (no text layer) give empty output; they need OCR.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pdfplumber

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’（）：；，。、]")


def join_lines(text: str | None) -> str:
    """A cell's text on one line: wrap newlines removed (a space only between non-CJK text)."""
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = ""
    for part in parts:
        if out and not (_CJK.match(out[-1]) or _CJK.match(part[0])):
            out += " "
        out += part
    return out.replace("\t", " ")


def _edges(values: list[float], end: float) -> list[tuple[float, float]]:
    """Slot ranges from the distinct start coordinates of the cells (and the table's end)."""
    starts = sorted(set(values))
    return [(a, b) for a, b in zip(starts, [*starts[1:], end], strict=True)]


def table_rows(table) -> list[list[str]]:
    """The rows of a pdfplumber table, merged cells rebuilt (see the module docstring)."""
    grid = table.extract()
    rows = table.rows
    texts: dict[tuple, str] = {}
    for r, row in enumerate(rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                texts[tuple(bbox)] = join_lines(grid[r][c])
    _, _, x1, bottom = table.bbox
    cols = _edges([cell[0] for cell in table.cells], x1)
    lines = _edges([cell[1] for cell in table.cells], bottom)
    out: list[list[str]] = []
    for row in rows:
        cells: list[str] = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                cells.append(texts[tuple(bbox)])
                continue
            cells.append(_span_text(table.cells, texts, cols, lines, c, row.bbox))
        out.append(cells)
    return out


def _span_text(cells, texts, cols, lines, c: int, row_bbox) -> str:
    """The text of the cell whose bbox contains the centre of slot (row, column c)."""
    if c >= len(cols):
        return ""
    cx = (cols[c][0] + cols[c][1]) / 2
    span = next(((a, b) for a, b in lines if a == row_bbox[1]), (row_bbox[1], row_bbox[3]))
    cy = (span[0] + span[1]) / 2
    for bbox in cells:
        if bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]:
            return texts.get(tuple(bbox), "")
    return ""


def page_lines(page) -> list[str]:
    """One page's lines: tables as tab-separated rows, other text as plain lines, by position."""
    tables = page.find_tables()
    blocks: list[tuple[float, int, list[str]]] = []
    for i, table in enumerate(tables):
        rows = [row for row in table_rows(table) if any(row)]
        blocks.append((table.bbox[1], i, ["\t".join(row) for row in rows]))

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(t.bbox[0] <= cx <= t.bbox[2] and t.bbox[1] <= cy <= t.bbox[3] for t in tables)

    text = page.filter(outside) if tables else page
    for line in text.extract_text_lines(return_chars=False):
        content = line["text"].strip()
        if content:
            blocks.append((line["top"], -1, [content]))
    blocks.sort(key=lambda b: (b[0], b[1]))
    return [line for _, _, block in blocks for line in block]


def pdf_text(path: str | Path) -> str:
    """The whole document as text (pages separated by a blank line)."""
    with pdfplumber.open(str(path)) as pdf:
        pages = ["\n".join(page_lines(page.dedupe_chars())) for page in pdf.pages]
    return "\n\n".join(p for p in pages if p) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PDF (text layer) → tab-separated text for jixiao")
    parser.add_argument("pdf", type=Path)
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    text = pdf_text(args.pdf)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Write a RawDocument as a CSV file the way a spreadsheet exports one.

Every line has the document's width (a spreadsheet pads each row to its used range); a paragraph
is a line with its text in the first field; a merged cell's text is in its first slot only, the
slots it covers empty (CSV has no merges). A cell-by-cell 自评表 is written as its form (``forms``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from jixiao.readers.grid import Grid
from jixiao.readers.grid import RawDocument
from tests.writers.forms import cell_texts
from tests.writers.forms import is_cell_form
from tests.writers.forms import selfeval_form


def csv_lines(raw: RawDocument) -> list[list[str]]:
    if is_cell_form(raw):
        paragraphs, rows, _ = selfeval_form(cell_texts(raw))
        lines = [[p] for p in paragraphs] + rows
    else:
        lines = []
        for block in raw.blocks:
            if isinstance(block, Grid):
                lines.extend(row.texts for row in block.rows)
            else:
                lines.append([block.text])
    width = max(len(line) for line in lines)
    return [list(line) + [""] * (width - len(line)) for line in lines]


def write_csv(raw: RawDocument, path: str | Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write ``raw`` as CSV at ``path`` (UTF-8 with BOM by default, as Excel writes; or ``gbk``)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_lines(raw))
    path = Path(path)
    path.write_bytes(out.getvalue().encode(encoding, "replace"))
    return path

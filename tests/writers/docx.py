"""Write a RawDocument as a real .docx (python-docx): paragraphs and tables in order, real merges.

``write_docx(raw, path)`` is the stable entry point (the XLSX/office helpers reuse it). Tables get
the merges a real form has (``merges.infer_merges``: 一级/二级/单位/项目 and form labels carried down
as vertical merges, key/value rows spanning the value), the text stays in the merge's first cell
only, as Word keeps it. Fonts: 宋体 for East Asian text (``w:eastAsia``), as official forms use.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from jixiao.readers.grid import Grid
from jixiao.readers.grid import RawDocument
from tests.writers.forms import cell_texts
from tests.writers.forms import is_cell_form
from tests.writers.forms import selfeval_form
from tests.writers.merges import infer_merges
from tests.writers.merges import square

FONT = "宋体"


def new_document():
    """An empty python-docx document whose Normal style uses 宋体 for East Asian text."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), FONT)
    return doc


def add_grid(doc, rows: list[list[str]], merges=None):
    """Add one table: ``rows`` are the cell texts (ragged rows padded), ``merges`` the regions
    (default: ``infer_merges``). Returns the python-docx table."""
    rows = square(rows)
    width = len(rows[0]) if rows else 0
    if not width:
        return None
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    cells = [list(r.cells) for r in table.rows]  # once: table.cell(r, c) is O(n²)
    for i, texts in enumerate(rows):
        for j, text in enumerate(texts):
            if text:
                cells[i][j].text = text
    for first_row, first_col, last_row, last_col in infer_merges(rows) if merges is None else merges:
        cells[first_row][first_col].merge(cells[last_row][last_col])
    return table


def write_docx(raw: RawDocument, path: str | Path) -> Path:
    """Write ``raw`` (paragraphs and grids, in order) as a .docx file at ``path``. A form printed
    cell by cell (pipe-cells) is written as the table it was printed from (``forms``)."""
    doc = new_document()
    if is_cell_form(raw):
        paragraphs, rows, merges = selfeval_form(cell_texts(raw))
        for text in paragraphs:
            doc.add_paragraph(text)
        add_grid(doc, rows, merges)
        path = Path(path)
        doc.save(str(path))
        return path
    previous_grid = False
    for block in raw.blocks:
        if isinstance(block, Grid):
            if previous_grid:  # two tables back to back would be one table in Word
                doc.add_paragraph("")
            add_grid(doc, [row.texts for row in block.rows])
            previous_grid = True
        else:
            doc.add_paragraph(block.text)
            previous_grid = False
    path = Path(path)
    doc.save(str(path))
    return path

"""An OutputDocument as a DOCX file (python-docx): one section per part.

Each part is a section with its own page size, orientation, margins and footer page numbers. Runs
set the East Asian font (``w:eastAsia``: python-docx's ``font.name`` sets only the Latin one) and the
Latin font (Times New Roman unless the layout names one). Paragraph roles: title centred in the
title font; body in the body font with a two-character first-line indent; fill places shaded so the
department sees what it must write. Tables are written as WordprocessingML directly (python-docx's
``table.cell`` is O(n²) and merges concatenate text): fixed layout, grid widths from
``Column.width`` scaled to the text width, ``gridSpan`` and ``vMerge`` (restart/continue) merges,
``w:tblHeader`` on the header rows (repeated on every page), rows that may not split across pages,
cells vertically centred.
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.shared import Pt

from jixiao.write.layout import Cell
from jixiao.write.layout import Font
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Page
from jixiao.write.layout import PageBreak
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table
from jixiao.write.layout import cell_align

PAPER_MM = {"A4": (210, 297), "A3": (297, 420)}
LATIN = "Times New Roman"
FILL_SHADE = "FFF2CC"
TWIPS_PER_MM = Decimal("56.6929")
JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _el(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _rpr(font: Font):
    rpr = _el("w:rPr")
    latin = font.latin or LATIN
    rpr.append(_el("w:rFonts", ascii=latin, hAnsi=latin, eastAsia=font.name, cs=latin, hint="eastAsia"))
    if font.bold:
        rpr.append(_el("w:b"))
        rpr.append(_el("w:bCs"))
    half_points = str(int(font.size * 2))
    rpr.append(_el("w:sz", val=half_points))
    rpr.append(_el("w:szCs", val=half_points))
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN"))
    return rpr


def _run(text: str, font: Font, shade: str | None = None):
    run = _el("w:r")
    rpr = _rpr(font)
    if shade:
        rpr.append(_el("w:shd", val="clear", color="auto", fill=shade))
    run.append(rpr)
    for i, piece in enumerate(text.split("\t")):
        if i:
            run.append(_el("w:tab"))
        t = _el("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = piece
        run.append(t)
    return run


def _paragraph(text: str, font: Font, *, align: str, indent_chars: int = 0, line_pt: Decimal | None = None,
               before_pt: Decimal = Decimal(0), after_pt: Decimal = Decimal(0), shade: str | None = None,
               tabs: tuple[tuple[str, int], ...] = (), keep_next: bool = False):
    p = _el("w:p")
    ppr = _el("w:pPr")
    if keep_next:
        ppr.append(_el("w:keepNext"))
    if tabs:
        tab_el = _el("w:tabs")
        for kind, pos in tabs:
            tab_el.append(_el("w:tab", val=kind, pos=str(pos)))
        ppr.append(tab_el)
    spacing = {"before": str(int(before_pt * 20)), "after": str(int(after_pt * 20))}
    if line_pt:
        spacing.update(line=str(int(line_pt * 20)), lineRule="exact")
    ppr.append(_el("w:spacing", **spacing))
    if indent_chars:
        ppr.append(_el("w:ind", firstLineChars=str(indent_chars * 100), firstLine=str(int(font.size * 20 * indent_chars))))
    ppr.append(_el("w:jc", val=JC[align]))
    ppr.append(_rpr(font))
    p.append(ppr)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = _run(line, font, shade)
        if i < len(lines) - 1:
            run.append(_el("w:br"))
        p.append(run)
    return p


def _text_width_twips(page: Page) -> int:
    width, height = PAPER_MM[page.size]
    if page.orientation == "landscape":
        width, height = height, width
    _top, right, _bottom, left = page.margins_mm
    return int((Decimal(width) - right - left) * TWIPS_PER_MM)


def _paragraph_block(part: Part, paragraph: Paragraph):
    fonts = part.fonts
    role = paragraph.role
    width = _text_width_twips(part.page)
    tabs: tuple[tuple[str, int], ...] = ()
    if "\t" in paragraph.text:
        n = paragraph.text.count("\t")
        tabs = (("center", width // 2), ("right", width)) if n >= 2 else (("right", width),)
    if role == "title":
        return _paragraph(paragraph.text, fonts.title, align=paragraph.align or "center",
                          line_pt=fonts.title.size * Decimal("1.6"), after_pt=fonts.title.size / 2, keep_next=True)
    if role == "heading1":
        return _paragraph(paragraph.text, fonts.heading, align=paragraph.align or "left", indent_chars=2,
                          line_pt=fonts.body.size * Decimal("1.75"), keep_next=True)
    if role in ("heading2", "heading3"):
        font = Font(fonts.heading.name if role == "heading2" else fonts.body.name, fonts.body.size, True,
                    fonts.body.latin)
        return _paragraph(paragraph.text, font, align=paragraph.align or "left", indent_chars=2,
                          line_pt=fonts.body.size * Decimal("1.75"), keep_next=True)
    if role in ("body", "fill"):
        return _paragraph(paragraph.text, fonts.body, align=paragraph.align or "justify", indent_chars=2,
                          line_pt=fonts.body.size * Decimal("1.75"),
                          shade=FILL_SHADE if role == "fill" else None, tabs=tabs)
    # subtitle, note, signature
    return _paragraph(paragraph.text, fonts.small, align=paragraph.align or "left",
                      line_pt=fonts.small.size * Decimal("1.5"), tabs=tabs,
                      before_pt=Decimal(6) if role == "signature" else Decimal(0), keep_next=role == "subtitle")


def _grid_widths(table: Table, page: Page) -> list[int]:
    wanted = [Decimal(c.width) for c in table.columns]
    total = sum(wanted) or Decimal(1)
    width = _text_width_twips(page)
    widths = [int(w * width / total) for w in wanted]
    widths[-1] += width - sum(widths)
    return widths


def _tc(cell: Cell | None, width: int, font: Font, *, span: int, vmerge: str | None, align: str):
    tc = _el("w:tc")
    tcpr = _el("w:tcPr")
    tcpr.append(_el("w:tcW", w=str(width), type="dxa"))
    if span > 1:
        tcpr.append(_el("w:gridSpan", val=str(span)))
    if vmerge == "restart":
        tcpr.append(_el("w:vMerge", val="restart"))
    elif vmerge == "continue":
        tcpr.append(_el("w:vMerge"))
    tcpr.append(_el("w:vAlign", val="center"))
    tc.append(tcpr)
    text = cell.text if cell is not None else ""
    tc.append(_paragraph(text, font, align=align))
    return tc


def _table_block(part: Part, table: Table):
    grid = _grid_widths(table, part.page)
    tbl = _el("w:tbl")
    tblpr = _el("w:tblPr")
    tblpr.append(_el("w:tblStyle", val="TableGrid"))
    tblpr.append(_el("w:tblW", w=str(sum(grid)), type="dxa"))
    tblpr.append(_el("w:jc", val="center"))
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    tblpr.append(borders)
    tblpr.append(_el("w:tblLayout", type="fixed"))
    margins = _el("w:tblCellMar")
    margins.append(_el("w:left", w="57", type="dxa"))
    margins.append(_el("w:right", w="57", type="dxa"))
    tblpr.append(margins)
    tblpr.append(_el("w:tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0",
                     noHBand="0", noVBand="1"))
    tbl.append(tblpr)
    tblgrid = _el("w:tblGrid")
    for w in grid:
        tblgrid.append(_el("w:gridCol", w=str(w)))
    tbl.append(tblgrid)
    ncols = len(table.columns)
    # which cell starts each slot that a vertical merge covers: (row, col) → the origin cell
    origin: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell is not None and cell.rowspan > 1:
                for rr in range(r + 1, r + cell.rowspan):
                    origin[(rr, c)] = cell
    for r, row in enumerate(table.rows):
        header = r < table.header_rows
        tr = _el("w:tr")
        trpr = _el("w:trPr")
        trpr.append(_el("w:cantSplit"))
        if header:
            trpr.append(_el("w:tblHeader"))
        tr.append(trpr)
        c = 0
        while c < ncols:
            cell = row[c] if c < len(row) else None
            if cell is not None:
                font = part.fonts.table_header if header or cell.role == "header" else part.fonts.table_body
                if cell.role == "total" and not font.bold:
                    font = Font(font.name, font.size, True, font.latin)
                span = min(cell.colspan, ncols - c)
                tr.append(_tc(cell, sum(grid[c : c + span]), font, span=span,
                              vmerge="restart" if cell.rowspan > 1 else None, align=cell_align(cell)))
                c += span
            elif (r, c) in origin:
                above = origin[(r, c)]
                span = min(above.colspan, ncols - c)
                tr.append(_tc(None, sum(grid[c : c + span]), part.fonts.table_body, span=span, vmerge="continue",
                              align="left"))
                c += span
            else:
                # a slot covered from the left by a cell of this row: already inside its gridSpan;
                # a stray COVERED slot with no origin gets an empty cell so the grid stays whole
                if not any(row[k] is not None and k + row[k].colspan > c for k in range(c)):
                    tr.append(_tc(None, grid[c], part.fonts.table_body, span=1, vmerge=None, align="left"))
                c += 1
        tbl.append(tr)
    return tbl


def _set_page(section, page: Page) -> None:
    width, height = PAPER_MM[page.size]
    if page.orientation == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    else:
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    top, right, bottom, left = page.margins_mm
    section.top_margin, section.right_margin = Mm(float(top)), Mm(float(right))
    section.bottom_margin, section.left_margin = Mm(float(bottom)), Mm(float(left))
    section.footer_distance = Mm(float(min(bottom / 2, Decimal(15))))
    section.header_distance = Mm(float(min(top / 2, Decimal(15))))


def _page_numbers(section, page: Page, font: Font) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    if not page.page_numbers:
        return
    ppr = _el("w:pPr")
    ppr.append(_el("w:jc", val="center"))
    p.append(ppr)
    text = page.page_number_format
    while text:
        positions = [(text.find(key), key) for key in ("{page}", "{pages}") if key in text]
        if not positions:
            p.append(_run(text, font))
            break
        at, key = min(positions)
        if at:
            p.append(_run(text[:at], font))
        field = _el("w:fldSimple", instr=" PAGE " if key == "{page}" else " NUMPAGES ")
        field.append(_run("1", font))
        p.append(field)
        text = text[at + len(key) :]


def _document_defaults(document, fonts) -> None:
    style = document.styles["Normal"]
    style.font.name = fonts.body.latin or LATIN
    style.font.size = Pt(float(fonts.body.size))
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = _el("w:rFonts")
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), fonts.body.name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = _el("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def write_docx(doc: OutputDocument) -> bytes:
    """The DOCX file's bytes: one section per part."""
    document = Document()
    body = document.element.body
    sectpr_final = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sectpr_final:
            body.remove(child)
    document.core_properties.title = doc.title
    document.core_properties.comments = doc.layout_id
    if doc.parts:
        _document_defaults(document, doc.parts[0].fonts)
    for i, part in enumerate(doc.parts):
        section = document.sections[0] if i == 0 else document.add_section(WD_SECTION.NEW_PAGE)
        # add_section appends a paragraph that carries the previous section's properties: new blocks
        # go after it, before the document's final sectPr
        _set_page(section, part.page)
        _page_numbers(section, part.page, Font(part.fonts.small.name, Decimal(10), False, part.fonts.small.latin))
        previous = None
        for block in part.blocks:
            if isinstance(block, Paragraph):
                element = _paragraph_block(part, block)
            elif isinstance(block, Table):
                element = _table_block(part, block)
            elif isinstance(block, PageBreak):
                element = _el("w:p")
                r = _el("w:r")
                r.append(_el("w:br", type="page"))
                element.append(r)
            else:  # pragma: no cover - Block is a closed union
                continue
            if isinstance(block, Table) and isinstance(previous, Table):
                # two tables need a paragraph between them: one point high, so they read as one form
                body.insert(body.index(sectpr_final), _paragraph("", Font(part.fonts.table_body.name, Decimal(1)),
                                                                 align="left", line_pt=Decimal(1)))
            body.insert(body.index(sectpr_final), element)
            previous = block
        if part.blocks and isinstance(part.blocks[-1], Table):
            body.insert(body.index(sectpr_final), _paragraph("", part.fonts.small, align="left", line_pt=Decimal(2)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""Word .docx reader: the main part straight from the zip, its body read by the text scan of
``docx_scan`` where that reads it exactly, else by our own walk over an lxml tree (below); both
give the same blocks (``tests/test_readers_docx_scan.py``).

The body's block children are read in order: ``w:p`` paragraphs and ``w:tbl`` tables, including
those inside content controls (``w:sdt``) and custom XML blocks. A table is walked row by row
(``w:tr``) and cell by cell (``w:tc``) on its column grid (TECH §1: python-docx ``row.cells``
is slow and drops the ``w:gridBefore`` slots):

* ``w:gridSpan`` spans columns; ``w:gridBefore``/``w:gridAfter`` leave empty slots at the ends;
* ``w:vMerge`` without a value (Word) or ``continue`` (LibreOffice) continues the cell above,
  ``restart`` starts a new vertical merge;
* every slot a merged cell covers holds its text, and the regions are passed on (``Merge``);
* a table nested in a cell is emitted as a table of its own right after the table holding it
  (its text is not in the cell); text boxes (``w:txbxContent``) are kept: a box's paragraphs and
  tables follow the paragraph anchoring it, a box in a cell adds its text to the cell.

A table that a page break splits into two ``w:tbl`` (nothing but empty paragraphs between them)
is one table: its continuation joins the first, without the header rows it repeats (rows marked
``w:tblHeader`` equal to the first part's). A table split with its title repeated in between is
left to the parser, which stitches pages by title.

Locations: ``paragraph=`` is the body paragraph's 1-based index (a text box's paragraphs take
their anchor's); ``table=`` numbers the ``w:tbl`` elements in body order (nested ones after their
parent), ``row=``/``column=`` are grid positions in that ``w:tbl``.
"""

from __future__ import annotations

import gc
import io
from dataclasses import dataclass
from dataclasses import field

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.readers.build import DocBuilder
from jixiao.readers.build import fill_merges
from jixiao.readers.docx_scan import scan
from jixiao.readers.grid import Merge
from jixiao.readers.grid import RawDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, T, TAB, BR, CR = (_w(t) for t in ("p", "tbl", "tr", "tc", "t", "tab", "br", "cr"))
SDT, SDT_CONTENT, CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
TXBX, TRPR, TCPR, TBLPR, TBLGRID, GRIDCOL = (
    _w(t) for t in ("txbxContent", "trPr", "tcPr", "tblPr", "tblGrid", "gridCol")
)
GRID_SPAN, VMERGE, GRID_BEFORE, GRID_AFTER, TBL_HEADER = (
    _w(t) for t in ("gridSpan", "vMerge", "gridBefore", "gridAfter", "tblHeader")
)
PPR, PAGE_BREAK_BEFORE, RENDERED_BREAK, NO_BREAK_HYPHEN, SOFT_HYPHEN = (
    _w(t) for t in ("pPr", "pageBreakBefore", "lastRenderedPageBreak", "noBreakHyphen", "softHyphen")
)
VAL, TYPE = _w("val"), _w("type")
FALLBACK = f"{{{MC}}}Fallback"
R = _w("r")
_TEXT_TAGS = (T, TAB, BR, CR, NO_BREAK_HYPHEN, TXBX)
_FAST_TAGS = (TR, TC, P, T, TAB, BR, CR, NO_BREAK_HYPHEN, GRID_SPAN, VMERGE, GRID_BEFORE, GRID_AFTER, TBL_HEADER)
_SLOW_TAGS = (TBL, TXBX, f"{{{MC}}}AlternateContent")
_FAST_AND_SLOW_TAGS = _FAST_TAGS + _SLOW_TAGS
_CONTAINERS = (SDT, SDT_CONTENT, CUSTOM_XML, _w("ins"), _w("moveTo"), _w("smartTag"))


def read_docx(data: bytes, name: str, **_options) -> tuple[RawDocument | None, list[Finding]]:
    """Read a .docx file's paragraphs and tables in body order.

    The cyclic garbage collector is paused while reading: the reader makes some hundred thousand
    small objects that hold no cycles, and the collections they would set off (each scanning every
    object alive in the process) cost a fifth of the reading time. Reference counting still frees
    everything as usual."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _read(data, name, fast=True)
    finally:
        if paused:
            gc.enable()


def _read(data: bytes, name: str, *, fast: bool) -> tuple[RawDocument | None, list[Finding]]:
    """The read, by the text scan of ``docx_scan`` where it reads the part exactly (``fast``),
    else by the lxml walk."""
    main, problem = _main_part(data)
    if main is None:
        return None, [make("file-corrupt", None, file=name, reason=problem[:200])]
    if fast:
        blocks = scan(main)
        if blocks is not None:
            walker = _Walker(name)
            walker.scanned(blocks)
            walker.flush()
            return walker.builder.build(), walker.findings
    body, problem = _parse_body(main)
    if body is None:
        return None, [make("file-corrupt", None, file=name, reason=problem[:200])]
    walker = _Walker(name)
    walker.blocks(body)
    walker.flush()
    return walker.builder.build(), walker.findings


_MAIN_TYPES = ("document.main+xml", "document.macroEnabled.main+xml", "template.main+xml",
               "template.macroEnabledTemplate.main+xml")


def _main_part(data: bytes) -> tuple[bytes | None, str]:
    """The main document part's bytes, or (None, why not).

    The main document part is found the way python-docx finds it (the package relationship of
    type officeDocument, a main-document content type in ``[Content_Types].xml``), but read
    straight from the zip: python-docx's package layer reads and parses every part of the
    package (styles, numbering, images …), which cost as much as parsing the body. A package
    the direct way does not make sense of (no relationships, an odd part name) goes through
    python-docx's package layer as before, with its messages. python-docx's object model is not
    built: it would double the reading time (TECH §1).
    """
    main = _main_part_direct(data)
    if main is None:
        return _main_part_docx(data)
    return main, ""


def _parse_body(main: bytes):
    """The ``w:body`` of the main document part and why not (or ""). The part is parsed by a
    plain lxml parser that resolves no entities and fetches nothing (``safety.check_zip`` has
    refused any DTD before)."""
    from lxml import etree

    try:
        root = etree.fromstring(main, _make_parser())
    except etree.XMLSyntaxError as exc:
        return None, f"Word 正文 XML 损坏：{exc}"
    body = root.find(_BODY)
    if body is None:
        return None, "Word 正文没有 w:body"
    return body, ""


def _make_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
                           huge_tree=True)


_BODY = _w("body")
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _main_part_direct(data: bytes) -> bytes | None:
    """The main document part read from the zip by the package relationships, or None when
    that is not plain sailing (python-docx's package layer then decides)."""
    import posixpath
    import zipfile

    from lxml import etree

    parser = _make_parser()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "_rels/.rels" not in names or "[Content_Types].xml" not in names:
                return None
            rels = etree.fromstring(zf.read("_rels/.rels"), parser)
            types = etree.fromstring(zf.read("[Content_Types].xml"), parser)
            overrides = {o.get("PartName", "").lower(): o.get("ContentType", "") for o in types.iter(_CT + "Override")}
            defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in types.iter(_CT + "Default")}
            for rel in rels.iter(_PKG_RELS):
                if rel.get("Type") != _OFFICE_DOCUMENT or rel.get("TargetMode") == "External":
                    continue
                partname = posixpath.abspath(posixpath.join("/", rel.get("Target", "")))
                ext = posixpath.splitext(partname)[1][1:].lower()
                content_type = overrides.get(partname.lower(), defaults.get(ext, ""))
                member = partname[1:]
                if content_type.endswith(_MAIN_TYPES) and member in names:
                    return zf.read(member)
                return None
    except Exception:  # noqa: BLE001 - python-docx's package layer gives the message
        return None
    return None


def _main_part_docx(data: bytes) -> tuple[bytes | None, str]:
    """The main document part found by python-docx's package layer, or (None, why not)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.exceptions import PackageNotFoundError
    from docx.opc.pkgreader import PackageReader

    try:
        reader = PackageReader.from_file(io.BytesIO(data))
        main = next(
            (blob for _, content_type, reltype, blob in reader.iter_sparts()
             if reltype == RELATIONSHIP_TYPE.OFFICE_DOCUMENT and content_type.endswith(_MAIN_TYPES)),
            None,
        )
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        return None, f"Word 文档结构不完整：{exc}"
    except Exception as exc:  # noqa: BLE001 - zipfile/lxml raise many kinds on a damaged package
        return None, f"{type(exc).__name__}: {exc}"
    if main is None:
        return None, "没有 Word 正文部分（word/document.xml）"
    return main, ""


# ---------------------------------------------------------------- text


@dataclass
class _Text:
    text: str
    boxes: list = field(default_factory=list)  # w:txbxContent elements anchored here
    page_break: bool = False  # a hard page break (w:br type=page, pageBreakBefore)


def _paragraph_text(p) -> _Text:
    """A paragraph's text (tabs as spaces, line breaks as newlines), without its text boxes'."""
    parts: list[str] = []
    boxes: list = []
    page_break = False
    for el in p.iter(_TEXT_TAGS):
        tag = el.tag
        if boxes and _inside_any(el, boxes):
            continue
        if tag == T:
            if el.text:
                parts.append(el.text)
        elif tag == TAB:
            if el.getparent().tag == R:  # not a tab stop of the paragraph's properties
                parts.append("\t")
        elif tag == BR:
            if el.get(TYPE) == "page":
                page_break = True
            else:
                parts.append("\n")
        elif tag == CR:
            parts.append("\n")
        elif tag == NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == TXBX:
            boxes.append(el)
    if not page_break:
        ppr = p.find(PPR)
        if ppr is not None:
            pb = ppr.find(PAGE_BREAK_BEFORE)
            page_break = pb is not None and pb.get(VAL) not in ("0", "false", "off")
    # The same box is stored twice (mc:Choice drawing and mc:Fallback VML): keep the first.
    boxes = [b for b in boxes if not _has_ancestor(b, FALLBACK, p)]
    return _Text("".join(parts), boxes, page_break)


def _inside_any(el, ancestors: list) -> bool:
    parent = el.getparent()
    while parent is not None:
        if any(parent is a for a in ancestors):
            return True
        parent = parent.getparent()
    return False


def _has_ancestor(el, tag: str, stop) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _box_text(box) -> str:
    """All text of a text box (paragraphs and its tables' cells), one line per paragraph."""
    lines = []
    for p in box.iter(P):
        if _has_ancestor(p, FALLBACK, box):
            continue
        text = _paragraph_text(p).text
        if text.strip():
            lines.append(text)
    return "\n".join(lines)


# ---------------------------------------------------------------- tables


@dataclass
class _Table:
    """One w:tbl read on its grid: filled rows, merges, header flags, nested tables."""

    number: int
    rows: list[list[str]]
    merges: list[Merge]
    header: list[bool]  # the row is marked w:tblHeader (repeated as the header on each page)
    nested: list = field(default_factory=list)  # w:tbl elements found inside cells, in order


def _int(el, default: int = 0) -> int:
    if el is None:
        return default
    try:
        return int(el.get(VAL, default))
    except (TypeError, ValueError):
        return default


def _children(el, tags: tuple[str, ...]):
    """Children of ``el`` with one of ``tags``, looking through content controls and custom XML."""
    for child in el:
        tag = child.tag
        if tag in tags:
            yield child
        elif tag in _CONTAINERS:
            yield from _children(child, tags)


def _cell_text(tc, nested: list) -> str:
    lines: list[str] = []
    for child in _children(tc, (P, TBL)):
        if child.tag == TBL:
            nested.append(child)
            continue
        text = _paragraph_text(child)
        if text.text:
            lines.append(text.text)
        for box in text.boxes:
            boxed = _box_text(box)
            if boxed:
                lines.append(boxed)
    return "\n".join(lines)


def _read_table(tbl, number: int) -> _Table:
    nested: list = []
    scanned = _scan_fast(tbl)
    if scanned is None:
        scanned = [
            (before, after, is_header, [text for _, _, text in cells],
             [(k, span, vmerge) for k, (span, vmerge, _) in enumerate(cells) if span != 1 or vmerge is not None])
            for before, after, is_header, cells in _scan(tbl, nested)
        ]
    tbl_grid = tbl.find(TBLGRID)
    grid_cols = len(tbl_grid.findall(GRIDCOL)) if tbl_grid is not None else 0
    return _lay_out(scanned, grid_cols, number, nested)


def _lay_out(scanned: list, grid_cols: int, number: int, nested: list) -> _Table:
    """A table on its grid from its scanned rows (``_scan_fast``'s form) and its ``w:gridCol`` count."""
    rows: list[list[str]] = []
    header: list[bool] = []
    merges: list[list[int]] = []  # [first_row, first_col, last_row, last_col]
    open_v: dict[int, int] = {}  # first grid column → index in merges of the vertical merge there
    for r, (before, after, is_header, texts, spanned) in enumerate(scanned):
        if not spanned:  # no cell spans or merges: the row is its texts
            row = [""] * before + texts if before else texts
            open_v = {}
        else:
            row = [""] * before
            still_open: dict[int, int] = {}
            done = 0  # texts[:done] are placed
            for k, span, vmerge in spanned:
                if k > done:
                    row.extend(texts[done:k])
                done = k + 1
                text = texts[k]
                col = len(row)
                if vmerge == "continue" and col in open_v:
                    index = open_v[col]
                    merge = merges[index]
                    merge[2] = r
                    if text:  # Word shows only the first cell's text; never drop the rest
                        anchor = rows[merge[0]]
                        anchor[merge[1]] = f"{anchor[merge[1]]}\n{text}" if anchor[merge[1]] else text
                    still_open[col] = index
                    row.extend([""] * span)
                    continue
                row.append(text)
                if span > 1:
                    row.extend([""] * (span - 1))
                if vmerge is not None:  # restart (or a continue with nothing above: a new region)
                    merges.append([r, col, r, col + span - 1])
                    still_open[col] = len(merges) - 1
                elif span > 1:
                    merges.append([r, col, r, col + span - 1])
            if done < len(texts):
                row.extend(texts[done:])
            open_v = still_open
        if after:
            row.extend([""] * after)
        rows.append(row)
        header.append(is_header)
    width = max([grid_cols, *(len(row) for row in rows)]) if rows else 0
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    regions = [Merge(*m) for m in merges if m[0] != m[2] or m[1] != m[3]]
    if regions:
        fill_merges(rows, regions)
    return _Table(number, rows, regions, header, nested)


# A row as scanned: (gridBefore, gridAfter, tblHeader, [(gridSpan, vMerge, text) per w:tc]).
_Scanned = list[tuple[int, int, bool, list[tuple[int, str | None, str]]]]


def _on(el) -> bool:
    return el.get(VAL) not in ("0", "false", "off")


def _scan(tbl, nested: list) -> _Scanned:
    """The general walk (tables holding tables, text boxes or alternate content)."""
    out: _Scanned = []
    for tr in _children(tbl, (TR,)):
        trpr = tr.find(TRPR)
        before = after = 0
        is_header = False
        if trpr is not None:
            before = _int(trpr.find(GRID_BEFORE))
            after = _int(trpr.find(GRID_AFTER))
            th = trpr.find(TBL_HEADER)
            is_header = th is not None and _on(th)
        cells = []
        for tc in _children(tr, (TC,)):
            span, vmerge = 1, None
            tcpr = tc.find(TCPR)
            if tcpr is not None:
                span = max(1, _int(tcpr.find(GRID_SPAN), 1))
                vm = tcpr.find(VMERGE)
                if vm is not None:
                    vmerge = vm.get(VAL) or "continue"
            cells.append((span, vmerge, _cell_text(tc, nested)))
        out.append((before, after, is_header, cells))
    return out


def _scan_fast(tbl) -> list | None:
    """One pass over the elements that matter, for a table without nested tables or text boxes
    (almost every table): a few times faster than walking row by row and cell by cell. None for
    a table holding one of those (the general walk reads it).

    Rows come as (gridBefore, gridAfter, tblHeader, [text per w:tc], [(index, gridSpan, vMerge)
    of the cells that span or merge])."""
    out: list = []
    texts: list = []  # the row's cells' texts
    spanned: list = []
    row: list = [0, 0, False, texts, spanned]  # [before, after, header, texts, spanned]
    prop: list | None = None  # [index, span, vmerge] of the current cell, once it has one
    in_cell = False  # between a w:tc and the next w:tr
    text = ""  # the text since the last w:tc, which goes to texts_of[index]
    texts_of: list | None = None  # (text after a row's last cell still belongs to that cell)
    index = 0
    t_, p_, tc_, tr_ = T, P, TC, TR
    for el in tbl.iterdescendants(_FAST_AND_SLOW_TAGS):
        tag = el.tag
        if tag == t_:
            value = el.text
            if value:
                text += value
        elif tag == p_:
            if text:
                text += "\n"  # paragraphs of a cell are its lines
        elif tag == tc_:
            if texts_of is not None:
                texts_of[index] = text
            text = ""
            texts_of, index = texts, len(texts)
            texts.append("")
            prop, in_cell = None, True
        elif tag == tr_:
            texts, spanned = [], []
            row, prop, in_cell = [0, 0, False, texts, spanned], None, False
            out.append(row)
        elif tag == TAB:
            if el.getparent().tag == R:  # not a tab stop of the paragraph's properties
                text += "\t"
        elif tag == BR:
            if el.get(TYPE) != "page":
                text += "\n"
        elif tag == CR:
            text += "\n"
        elif tag == NO_BREAK_HYPHEN:
            text += "-"
        elif tag == GRID_SPAN and in_cell:
            if prop is None:
                prop = [len(texts) - 1, 1, None]
                spanned.append(prop)
            prop[1] = max(1, _int(el, 1))
        elif tag == VMERGE and in_cell:
            if prop is None:
                prop = [len(texts) - 1, 1, None]
                spanned.append(prop)
            prop[2] = el.get(VAL) or "continue"
        elif tag in _SLOW_TAGS:
            return None
        elif not in_cell:
            if tag == GRID_BEFORE:
                row[0] = _int(el)
            elif tag == GRID_AFTER:
                row[1] = _int(el)
            elif tag == TBL_HEADER:
                row[2] = _on(el)
    if texts_of is not None:
        texts_of[index] = text
    return out


# ---------------------------------------------------------------- the walk


class _Walker:
    def __init__(self, name: str):
        self.builder = DocBuilder(name, "docx")
        self.findings: list[Finding] = []
        self.paragraphs = 0  # body paragraphs seen
        self.tables = 0  # w:tbl elements numbered
        # the table being assembled (a table and its continuations after page breaks)
        self.pending: list[_Table] = []
        self.gap_break = False  # a page break since the pending table

    def blocks(self, container) -> None:
        for child in _children(container, (P, TBL)):
            if child.tag == P:
                self.paragraphs += 1
                self.paragraph(child, self.paragraphs)
            else:
                self.table(child)

    def scanned(self, blocks: list) -> None:
        """The body's blocks as ``docx_scan.scan`` gives them."""
        for block in blocks:
            if block[0] == "p":
                self.paragraphs += 1
                self.add_paragraph(_Text(block[1], [], block[2]), self.paragraphs)
            else:
                self.tables += 1
                self.add_table(_lay_out(block[1], block[2], self.tables, []))

    def paragraph(self, p, number: int) -> None:
        self.add_paragraph(_paragraph_text(p), number)

    def add_paragraph(self, text: _Text, number: int) -> None:
        if text.text.strip() or text.boxes:
            self.flush()
            if text.page_break:
                self.builder.page_break()
            self.builder.paragraph(text.text, paragraph=number)
            for box in text.boxes:
                self.box(box, number)
        elif text.page_break:
            self.gap_break = True
            if not self.pending:
                self.builder.page_break()

    def box(self, box, anchor: int) -> None:
        """A text box's paragraphs (located at their anchor paragraph) and tables."""
        for child in _children(box, (P, TBL)):
            if child.tag == P:
                self.paragraph(child, anchor)
            else:
                self.table(child)

    def table(self, tbl) -> None:
        self.tables += 1
        self.add_table(_read_table(tbl, self.tables))

    def add_table(self, table: _Table) -> None:
        if self.pending and self._continues(table):
            self.pending.append(table)
        else:
            self.flush()
            self.pending = [table]
        self.gap_break = False

    def _continues(self, table: _Table) -> bool:
        """The table continues the pending one: only empty paragraphs between, and a page break
        there or its first rows repeat the pending table's header rows."""
        first = self.pending[0]
        if not table.rows or not first.rows or len(table.rows[0]) != len(first.rows[0]):
            return False
        return self.gap_break or _repeated_header(first, table) > 0

    def flush(self) -> None:
        """Emit the pending table (joined with its continuations), then its nested tables."""
        if not self.pending:
            return
        parts, self.pending = self.pending, []
        if len(parts) == 1:  # one w:tbl: rows located at their own numbers
            self.builder.grid(parts[0].rows, merges=parts[0].merges, table=parts[0].number)
            self._flush_nested(parts)
            return
        rows: list[list[str]] = []
        where: list[dict] = []
        merges: list[Merge] = []
        for k, part in enumerate(parts):
            skip = _repeated_header(parts[0], part) if k else 0
            offset = len(rows) - skip
            for i, row in enumerate(part.rows):
                if i < skip:
                    continue
                rows.append(row)
                where.append({"table": part.number, "row": i + 1})
            for m in part.merges:
                if m.first_row >= skip:
                    merges.append(Merge(m.first_row + offset, m.first_col, m.last_row + offset, m.last_col))
        self.builder.grid(rows, merges=merges, row_where=where, table=parts[0].number)
        self._flush_nested(parts)

    def _flush_nested(self, parts: list[_Table]) -> None:
        for part in parts:
            for tbl in part.nested:
                self.tables += 1
                self.pending = [_read_table(tbl, self.tables)]
                self.flush()


def _repeated_header(first: _Table, part: _Table) -> int:
    """How many leading rows of ``part`` are header rows (``w:tblHeader``) repeating ``first``'s."""
    n = 0
    while (
        n < len(part.rows)
        and n < len(first.rows)
        and part.header[n]
        and part.rows[n] == first.rows[n]
    ):
        n += 1
    return n

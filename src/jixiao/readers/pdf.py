"""PDF reader: a PDF with a text layer → paragraphs and ruled tables, page by page.

PDFium (pypdfium2) opens the file and gives every glyph with its box and every path with its
points; ``readers/pdf_layout.py`` turns them into ruled tables (merged cells rebuilt, wrapped
cell text joined) and lines of text, the way pdfplumber does, at a fraction of its cost
(``bench/pdf_candidates.py`` compares the candidates). Per page, in reading order:

* a table row → a row of the table (``p3:t1r5``: page, table on the page, row of the table);
  rows without text are dropped, a merged cell's text fills every slot it covers;
* a one-column framed table (a table of contents) → paragraphs, one per row;
* text outside the tables → one paragraph per printed line (``p3:120``: page and line of the
  text dump, ``jixiao convert FILE --to text``).

Pages are separated by a blank line in the dump. Stitching a table across pages, dropping a
header repeated on every page and reading an empty table's statement are the parser's work: it
sees the whole document.

Bad files never raise: a password-protected PDF → ``file-encrypted``; a truncated or corrupt
one → ``file-corrupt``; a scan (pages with images but no text layer) → ``file-scanned``, or,
when the optional OCR component is installed (``jixiao.readers.ocr.ocr_pdf``), its text. A PDF
with some scanned pages reads the others and names the scanned ones (``file-part-unreadable``).
"""

from __future__ import annotations

import ctypes
import importlib
import re
from dataclasses import dataclass

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.levels import is_level1
from jixiao.model.levels import is_level2
from jixiao.readers.build import DocBuilder
from jixiao.readers.grid import Merge
from jixiao.readers.grid import RawDocument
from jixiao.readers.pdf_layout import Char
from jixiao.readers.pdf_layout import Edge
from jixiao.readers.pdf_layout import Line
from jixiao.readers.pdf_layout import PageLayout
from jixiao.readers.pdf_layout import Table
from jixiao.readers.pdf_layout import continues
from jixiao.readers.pdf_layout import cut_by_page_break
from jixiao.readers.pdf_layout import dedupe
from jixiao.readers.pdf_layout import join_wrapped_text
from jixiao.readers.pdf_layout import layout
from jixiao.readers.pdf_layout import starts_item
from jixiao.readers.pdf_layout import subpath_edges

Result = tuple[RawDocument | None, list[Finding]]


def read_pdf(data: bytes, name: str, *, lines: bool = False, **_options) -> Result:
    """Read a PDF's text layer. Returns ``(RawDocument | None, findings)``. Text outside tables
    is read as paragraphs (a line wrapped at the right margin goes on the line above it);
    ``lines=True`` gives one paragraph per printed line instead."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        return None, [_open_error(exc, name)]
    try:
        return _read_document(pdf, data, name, joined=not lines)
    finally:
        pdf.close()


def _open_error(exc, name: str) -> Finding:
    import pypdfium2.raw as pdfium_c

    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return make("file-encrypted", None, file=name, detail="PDF 设有打开密码")
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return make("file-encrypted", None, file=name, detail="PDF 使用了不支持的加密方式")
    return make("file-corrupt", None, file=name, reason="PDF 结构损坏或文件不完整，无法打开")


def _read_document(pdf, data: bytes, name: str, joined: bool = True) -> Result:
    pages: list[PageLayout | None] = []
    scanned: list[int] = []
    broken: list[int] = []
    cut = False  # the previous page's table was cut open by the page break
    for number in range(1, len(pdf) + 1):
        try:
            page = pdf[number - 1]
        except Exception:  # noqa: BLE001 - PDFium refuses a page of a damaged file
            broken.append(number)
            pages.append(None)
            continue
        try:
            objects = page_objects(page, after_cut=cut)
        except Exception:  # noqa: BLE001 - one damaged page does not stop the others
            broken.append(number)
            pages.append(None)
            continue
        finally:
            page.close()
        cut = objects.cut
        if not any(not ch.text.isspace() for ch in objects.chars):
            if objects.images:
                scanned.append(number)
            elif objects.texts:  # text is drawn, but its font gives no characters
                broken.append(number)
            pages.append(None)  # else a blank page (or a drawing): nothing to read
            continue
        pages.append(layout(dedupe(objects.chars), objects.h_edges, objects.v_edges))
    findings: list[Finding] = []
    if broken:
        findings.append(make("file-part-unreadable", None, file=name, part=_pages_text(broken), reason="页面内容损坏或字体缺少文字编码"))
    text_pages = sum(p is not None for p in pages)
    ocr = _ocr_module() if scanned else None
    if not text_pages:
        if scanned and ocr is not None:  # a scan: the OCR component reads it all
            doc, ocr_findings = ocr.ocr_pdf(data, name, scanned)
            return doc, [*findings, *ocr_findings]
        if scanned:
            return None, [*findings, make("file-scanned", None, file=name, pages=len(scanned))]
        if broken:
            return None, [make("file-corrupt", None, file=name, reason=f"{_pages_text(broken)}内容损坏，无法读取")]
        if not pages:
            return None, [make("file-corrupt", None, file=name, reason="PDF 没有页面")]
        return None, [make("file-empty", None, file=name)]
    join_split_rows(pages)
    session = _ocr_session(ocr, data, name) if scanned and ocr is not None else None
    try:
        raw, ocr_findings = build_document(name, pages, session, scanned, joined=joined)
    finally:
        if session is not None:
            session.close()
    findings += ocr_findings
    if scanned and session is None:
        findings.append(make("file-part-unreadable", None, file=name, part=_pages_text(scanned),
                             reason="扫描页，没有文字层；需安装 OCR 组件（pip install jixiao[ocr]）"))
    return raw, findings


def _pages_text(numbers: list[int]) -> str:
    """第 3 页, 第 3、5 页, 第 3-22、25 页."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return "第 " + "、".join(str(a) if a == b else f"{a}-{b}" for a, b in runs) + " 页"


def _ocr_module():
    """The optional OCR component (``jixiao.readers.ocr``) when it and its engine are installed:
    ``ocr_pdf(data, name, pages) -> (RawDocument | None, findings)`` reads a scanned PDF's pages,
    ``OcrReader(data, name).read_page(builder, n)`` one scanned page of a PDF read here."""
    try:
        module = importlib.import_module("jixiao.readers.ocr")
    except ImportError:
        return None
    available = getattr(module, "available", None)
    if callable(available) and not available():
        return None
    return module


def _ocr_session(module, data: bytes, name: str):
    reader = getattr(module, "OcrReader", None)
    if reader is None:
        return None
    try:
        return reader(data, name)
    except Exception:  # noqa: BLE001 - without OCR the scanned pages are reported instead
        return None


# A page number or a running header printed around a table: "- 3 -", "第 3 页", "3/12".
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–\s]*$")


def join_split_rows(pages: list[PageLayout | None]) -> None:
    """A table row that a page break split (Word and LibreOffice let a row break across pages)
    is one row again: when page N ends with a table that reaches the bottom of the text area (as
    low as any table of the document goes, less a line and a half) and page N+1 begins with a
    table of the same columns, the first row there (after header rows the page repeats) goes on
    the last row of page N if every cell it fills continues a cell whose last line ran to the
    cell's edge. Its texts are joined to that row; the row is dropped from page N+1. A slot of page
    N+1 merged with the continued cell (a cell spanning rows, split by the break) gets the joined
    text, as every slot of a merged cell does. A row split over three pages or more goes on
    through a page whose table held nothing but that row's middle."""
    lowest = max((t.bbox[3] for page in pages if page is not None for t in page.tables), default=0.0)
    carried: Table | None = None  # the table a page's only row was joined to
    for n in range(len(pages) - 1):
        a, b = pages[n], pages[n + 1]
        target, carried = carried, None
        if a is None or b is None:
            continue
        t1, t2 = _edge_table(a, last=True), _edge_table(b, last=False, running=_first_line(a))
        if t1 is None and target is not None and _only_emptied_table(a, last=True):
            t1 = target  # page N held only the middle of a row: it goes on from the earlier page
            reaches = True
        else:
            reaches = t1 is not None and t1.bbox[3] >= lowest - 1.5 * t1.line_height
        if t1 is None or t2 is None or not _same_columns(t1, t2) or not reaches:
            continue
        k = 0  # header rows repeated on page N+1
        while k < min(len(t1.rows), len(t2.rows)) and t2.rows[k] == t1.rows[k]:
            k += 1
        last = max((i for i, row in enumerate(t1.rows) if any(row)), default=None)
        if last is None or k >= len(t2.rows) or last < k:
            continue
        prev, cont = t1.rows[last], t2.rows[k]
        goes_on = [c for c, text in enumerate(cont) if text]
        if not goes_on or not all(
            c < len(prev) and prev[c] and _goes_on(prev[c], t1.open[last].get(c), t2.lead[k].get(c), cont[c]) for c in goes_on
        ):
            continue
        for c in goes_on:
            joined = join_wrapped_text(prev[c], cont[c])
            for m in t2.merges:  # the rest of a cell spanning rows on page N+1
                if m.first_row == k and m.first_col <= c <= m.last_col:
                    for r in range(k + 1, m.last_row + 1):
                        t2.rows[r][c] = joined
            for m in t1.merges:  # and its part on page N
                if m.last_row == last and m.first_col <= c <= m.last_col:
                    for r in range(m.first_row, last):
                        t1.rows[r][c] = joined
            prev[c] = joined
        if k == 0 and last == len(t1.rows) - 1 and _begins_on(a, t1) and _bound(t1, t2, goes_on):
            _move_to_next_page(t1, t2)
            a.tables.remove(t1)
            continue
        t1.open[last] = {c: t2.open[k][c] if c in goes_on else short for c, short in t1.open[last].items()
                         if c not in goes_on or c in t2.open[k]}
        del t2.rows[k]
        del t2.open[k]
        del t2.lead[k]
        t2.merges = _without_row(t2.merges, k)
        if not t2.rows:
            carried = t1


def _begins_on(page: PageLayout, table: Table) -> bool:
    """Does the table begin on this page (below a title or another block, not at its top going
    on from the page before)?"""
    blocks = [b for b in page.blocks() if not (isinstance(b, Line) and _PAGE_NUMBER.match(b.text))]
    return table in blocks and blocks.index(table) > 0


def _bound(t1: Table, t2: Table, goes_on: list[int]) -> bool:
    """Is all of ``t1`` (the part of a table on page N) one unit with its last row, which the
    next page continues: a single row, or rows that a cell spanning all of them binds together
    (a header of several rows, a record of several lines) and that cell goes on past the break
    (its text does, or it spans rows there too)?"""
    last = len(t1.rows) - 1
    spans = {(m.first_col, m.last_col) for m in t2.merges if m.first_row == 0 and m.last_row > 0}
    return last == 0 or any(
        m.first_row == 0 and m.last_row == last
        and ((m.first_col, m.last_col) in spans or any(m.first_col <= c <= m.last_col for c in goes_on))
        for m in t1.merges
    )


def _move_to_next_page(t1: Table, t2: Table) -> None:
    """The rows of ``t1`` go to the top of ``t2``, its last row in place of ``t2``'s first (the
    rest of that row, already joined to it): the table begins on page N+1, its rows that a cell
    binds together not cut apart. A cell spanning rows on both sides is one merged region, its
    text in every slot."""
    last = len(t1.rows) - 1
    joined = t1.rows[last]
    first = t2.rows[0]
    t1.rows[last] = [joined[c] if c < len(joined) and (joined[c] or not text) else text for c, text in enumerate(first)]
    merges: list[Merge] = []
    continued = {(m.first_col, m.last_col): m for m in t2.merges if m.first_row == 0}
    for m in t1.merges:
        other = continued.pop((m.first_col, m.last_col), None) if m.last_row == last else None
        end = other.last_row + last if other is not None else m.last_row
        merges.append(Merge(m.first_row, m.first_col, end, m.last_col))
        if other is not None:  # its part on page N+1, blank there, gets its text
            for c in range(m.first_col, m.last_col + 1):
                for r in range(1, other.last_row + 1):
                    if not t2.rows[r][c]:
                        t2.rows[r][c] = t1.rows[m.first_row][c]
    merges += [Merge(m.first_row + last, m.first_col, m.last_row + last, m.last_col)
               for m in t2.merges if m.first_row > 0 or (m.first_col, m.last_col) in continued]
    merges.sort(key=lambda m: (m.first_row, m.first_col))
    t2.rows[:1] = t1.rows
    t2.open[:1] = t1.open
    t2.lead[:1] = t1.lead
    t2.merges = merges


def _only_emptied_table(page: PageLayout, *, last: bool) -> bool:
    """Does the page end with a table whose rows were all joined to an earlier page's row?"""
    blocks = page.blocks()
    for block in blocks[::-1] if last else blocks:
        if isinstance(block, Table):
            return not block.rows
        if not _PAGE_NUMBER.match(block.text):
            return False
    return False


_NO_LINE_START = set("，。、；：？！）》」』】”’%％,.;:?!)]")


def _goes_on(before: str, short: float | None, lead: float | None, text: str) -> bool:
    """Can ``text`` be the rest of a cell ``before`` whose last line stopped ``short`` pt before
    where a full line of its column stops? Only if what it begins with that a line cannot break
    (``lead`` pt wide: a CJK character with the punctuation that may not start a line after it,
    a number, a word) would not have fitted there; a numbered item starts a cell of its own, and
    so does a complete indicator level name (经济效益指标 after 生态效益指标) unless the two
    make one (服务对象 / 满意度)."""
    if short is None or lead is None or starts_item(text):
        return False
    if (_level(text) or _level(before)) and not _level(join_wrapped_text(before, text)):
        return False
    return short < lead


def _level(text: str) -> bool:
    """A complete indicator level name as the forms print it (数量指标, 经济效益指标; a bare
    word such as 满意度 may end a longer name)."""
    text = text.strip()
    return text.endswith("指标") and (is_level1(text) or is_level2(text))


def _first_line(page: PageLayout) -> str | None:
    blocks = page.blocks()
    return blocks[0].text if blocks and isinstance(blocks[0], Line) else None


def _edge_table(page: PageLayout, *, last: bool, running: str | None = None) -> Table | None:
    """The table a page ends (or begins) with, past page numbers and a running header."""
    blocks = page.blocks()
    if last:
        blocks = blocks[::-1]
    for block in blocks:
        if isinstance(block, Table):
            return block if block.columns > 1 and block.rows else None
        if not (_PAGE_NUMBER.match(block.text) or (running is not None and block.text == running)):
            return None
    return None


def _same_columns(t1: Table, t2: Table) -> bool:
    return (
        len(t1.xs) == len(t2.xs)
        and all(abs(x - y) <= 2 for x, y in zip(t1.xs, t2.xs))
        and abs(t1.bbox[2] - t2.bbox[2]) <= 2
    )


def _without_row(merges: list[Merge], k: int) -> list[Merge]:
    out = []
    for m in merges:
        rows = [r - (r > k) for r in range(m.first_row, m.last_row + 1) if r != k]
        if rows and (len(rows) > 1 or m.first_col != m.last_col):
            out.append(Merge(rows[0], m.first_col, rows[-1], m.last_col))
    return out


def build_document(
    name: str, pages: list[PageLayout | None], ocr=None, scanned: list[int] = (), *, joined: bool = True
) -> tuple[RawDocument, list[Finding]]:
    """The RawDocument of the pages' layouts (``None``: a page without text); the ``scanned`` pages
    are read by ``ocr`` (an ``OcrReader``) in their place when it is given."""
    builder = DocBuilder(name, "pdf")
    findings: list[Finding] = []
    for number, page in enumerate(pages, start=1):
        if page is None:
            if ocr is not None and number in scanned:
                builder.page_break()
                findings += ocr.read_page(builder, number)
            continue
        blocks = page.blocks()
        if not any(isinstance(b, Line) or any(any(r) for r in b.rows) for b in blocks):
            continue
        builder.page_break()
        table_number = 0
        if joined:
            blocks = _paragraphs(blocks)
        for block in blocks:
            if isinstance(block, Line):
                builder.paragraph(block.text, page=number)
                continue
            table_number += 1
            if block.columns == 1:  # a framed list (a table of contents): its rows are text
                for row in block.rows:
                    if row and row[0]:
                        builder.paragraph(row[0], page=number)
                continue
            builder.grid(block.rows, merges=block.merges, page=number, table=table_number)
    if ocr is not None:
        findings += ocr.summary()
    return builder.build(), findings


def _paragraphs(blocks: list) -> list:
    """Consecutive lines of a paragraph wrapped at the right margin, joined into one Line (the
    margins are those of the page's lines)."""
    lines = [b for b in blocks if isinstance(b, Line)]
    if len(lines) < 2:
        return blocks
    left, right = min(b.x0 for b in lines), max(b.x1 for b in lines)
    out: list = []
    for block in blocks:
        prev = out[-1] if out else None
        if isinstance(block, Line) and isinstance(prev, Line) and continues(prev, block, left, right):
            # the joined text, placed at its last line (the next line is compared with that one)
            out[-1] = Line(block.top, join_wrapped_text(prev.text, block.text), block.x0, block.x1, block.bottom, block.lead)
            continue
        out.append(block)
    return out


# ------------------------------------------------------------------------------------ PDFium


@dataclass(slots=True)
class PageObjects:
    chars: list[Char]  # glyphs and printed spaces, in content order
    h_edges: list[Edge]  # horizontal ruling edges
    v_edges: list[Edge]  # vertical ruling edges
    images: int  # image objects
    texts: int  # text objects (a page with text objects but no glyphs has unreadable fonts)
    cut: bool = False  # a ruled table on the page is cut open by the page break (``cut_by_page_break``)


def page_objects(page, after_cut: bool = False) -> PageObjects:
    """The glyphs, the ruling edges and the number of images and text objects of one page. Coordinates are pdfplumber's (points from the top left) in the
    orientation in which most of the page's text is upright: a table printed sideways, or a page
    turned by ``/Rotate``, reads as it would on screen once turned the right way. On a page whose
    table a page break cuts open, and on the page after one (``after_cut``), glyphs their clip path
    hides are left out (reading every glyph's clip path costs about twice the page's reading time,
    so only where a spreadsheet's merged cell cut by the break can have been printed clipped)."""
    import pypdfium2.raw as c

    raw = page.raw
    left, bottom, right, top = _box(c, raw)
    glyphs = _glyphs(c, raw)
    turns = _turns(glyphs)

    def to_page(x: float, y: float) -> tuple[float, float]:
        if turns == 1:
            return y - bottom, x - left
        if turns == 2:
            return right - x, y - bottom
        if turns == 3:
            return top - y, right - x
        return x - left, top - y

    h_edges: list[Edge] = []
    v_edges: list[Edge] = []
    counts = [0, 0]
    _walk(c, raw, to_page, h_edges, v_edges, counts)
    cut = cut_by_page_break(h_edges, v_edges)
    if cut or after_cut:
        glyphs = _glyphs(c, raw, clipped=True)
    chars: list[Char] = []
    for text, x0, y0, x1, y1, m in glyphs:
        if turns:
            x0, y0 = to_page(x0, y0)
            x1, y1 = to_page(x1, y1)
            if x0 > x1:
                x0, x1 = x1, x0
            if y0 > y1:
                y0, y1 = y1, y0
        else:
            x0, x1, y0, y1 = x0 - left, x1 - left, top - y1, top - y0
        chars.append(Char(text, x0, y0, x1, y1, m is None or _upright(*m, turns)))
    return PageObjects(chars, h_edges, v_edges, counts[0], counts[1], cut)


def _box(c, raw) -> tuple[float, float, float, float]:
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if c.FPDFPage_GetMediaBox(raw, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)):
        x0, x1 = sorted((left.value, right.value))
        y0, y1 = sorted((bottom.value, top.value))
        return x0, y0, x1, y1
    return 0.0, 0.0, c.FPDF_GetPageWidthF(raw), c.FPDF_GetPageHeightF(raw)


Glyph = tuple[str, float, float, float, float, "tuple[float, float, float, float] | None"]


def _glyphs(c, raw, clipped: bool = False) -> list[Glyph]:
    """(text, left, bottom, right, top, matrix) of every printed glyph and space, in PDF user
    space; spaces PDFium inserts between words itself are left out (words are split by gaps), and
    with ``clipped`` so are glyphs their clip path hides (``_clipped``)."""
    textpage = c.FPDFText_LoadPage(raw)
    if not textpage:
        return []
    try:
        count = c.FPDFText_CountChars(textpage)
        if count <= 0:
            return []
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        text = buffer.raw[: count * 2].decode("utf-16-le", errors="replace")
        if len(text) != count:  # characters outside the BMP: one call per character instead
            text = "".join(chr(c.FPDFText_GetUnicode(textpage, i) or 0xFFFD) for i in range(count))
        rect = c.FS_RECTF()
        matrix = c.FS_MATRIX()
        get_box = c.FPDFText_GetLooseCharBox
        get_matrix = c.FPDFText_GetMatrix
        is_generated = c.FPDFText_IsGenerated
        clips: dict[int, list[tuple[float, float, float, float]]] | None = (
            {} if clipped and not _has_forms(c, raw) else None)
        out: list[Glyph] = []
        for i, ch in enumerate(text):
            if ch.isspace() or ch in "\x00\x02\ufffe\uffff":
                if ch in "\x02\ufffe":  # PDFium's mark for a hyphen ending a line: the printed "-"
                    ch = "-"
                elif not ch.isspace() or is_generated(textpage, i):
                    continue
            get_box(textpage, i, rect)
            if clips is not None and _clipped(c, textpage, i, rect, clips):
                continue
            m = (matrix.a, matrix.b, matrix.c, matrix.d) if get_matrix(textpage, i, matrix) else None
            out.append((ch, rect.left, rect.bottom, rect.right, rect.top, m))
        return _level_fallback_glyphs(_even_tops(out))
    finally:
        c.FPDFText_ClosePage(textpage)


def _even_tops(glyphs: list[Glyph]) -> list[Glyph]:
    """PDFium's loose box of a flat glyph (一 in LibreOffice's Noto CJK) can stop at the glyph's own
    top, 3 pt under its neighbours': read alone, 一级指标 became 级指标 一 (a word on a line of its own).
    A glyph sharing its neighbour's bottom and matrix, and as wide, takes the neighbour's top."""
    out = list(glyphs)
    for i, (ch, left, bottom, right, top, m) in enumerate(glyphs):
        for j in (i - 1, i + 1):
            if not 0 <= j < len(glyphs):
                continue
            _, left2, bottom2, right2, top2, m2 = glyphs[j]
            if (m == m2 and abs(bottom - bottom2) < 0.01 and top2 - top > 1 and abs((right - left) - (right2 - left2)) < 0.5
                    and min(abs(left - right2), abs(left2 - right)) < 0.5):
                out[i] = (ch, left, bottom, right, top2, m)
                break
    return out


def _has_forms(c, raw) -> bool:
    """Whether the page draws a form XObject (its objects' clip paths are in the form's space)."""
    return any(c.FPDFPageObj_GetType(c.FPDFPage_GetObject(raw, i)) == c.FPDF_PAGEOBJ_FORM
               for i in range(c.FPDFPage_CountObjects(raw)))


def _clipped(c, textpage, index: int, rect, clips: dict[int, list[tuple[float, float, float, float]]]) -> bool:
    """Whether the glyph's centre lies outside its text object's clip path (more than 1 pt outside the
    box of one of its paths). LibreOffice Calc prints a merged cell cut by a page break on each page,
    centred on the whole merge and clipped to the part the page shows: the hidden copy read
    年度绩效指标 twice in a cell and mixed 本年度绩效指标 into the signature line."""
    obj = c.FPDFText_GetTextObject(textpage, index)
    if not obj:
        return False
    key = ctypes.cast(obj, ctypes.c_void_p).value or 0
    boxes = clips.get(key)
    if boxes is None:
        boxes = clips[key] = []
        clip = c.FPDFPageObj_GetClipPath(obj)
        x, y = ctypes.c_float(), ctypes.c_float()
        for k in range(c.FPDFClipPath_CountPaths(clip) if clip else 0):
            xs, ys = [], []
            for n in range(c.FPDFClipPath_CountPathSegments(clip, k)):
                if c.FPDFPathSegment_GetPoint(c.FPDFClipPath_GetPathSegment(clip, k, n), ctypes.byref(x), ctypes.byref(y)):
                    xs.append(x.value)
                    ys.append(y.value)
            if xs:
                boxes.append((min(xs), min(ys), max(xs), max(ys)))
    cx, cy = (rect.left + rect.right) / 2, (rect.bottom + rect.top) / 2
    return any(not (x0 - 1 <= cx <= x1 + 1 and y0 - 1 <= cy <= y1 + 1) for x0, y0, x1, y1 in boxes)


def _level_fallback_glyphs(glyphs: list[Glyph]) -> list[Glyph]:
    """A glyph of another font in a line of CJK (the digits of 第1项 and 1年, which LibreOffice prints
    in DejaVu when the CJK font is embedded without Latin glyphs) has a loose box far lower than its
    neighbours' (8–11 pt under the top of Noto CJK's box, on the same baseline): lines are grouped by
    top, so the digits became a line of their own and 第1项工作 read 第项工作1. A glyph on its
    neighbour's baseline (bottoms within 1 pt), next to it (a gap under 3 pt) and upright the same
    way, whose top is more than 3 pt lower, takes the neighbour's top; passed on along a run (123)."""
    out = list(glyphs)
    for order in (range(1, len(out)), range(len(out) - 2, -1, -1)):
        step = 1 if order.start == 1 else -1
        for i in order:
            ch, left, bottom, right, top, m = out[i]
            _, left2, bottom2, right2, top2, m2 = out[i - step]
            if (top2 - top > 3 and abs(bottom - bottom2) < 1 and min(abs(left - right2), abs(left2 - right)) < 3
                    and _same_turn(m, m2) and not ch.isspace()):
                out[i] = (ch, left, bottom, right, top2, m)
    return out


def _same_turn(m, m2) -> bool:
    if m is None or m2 is None:
        return m is m2
    return all((a > 0) == (b > 0) and (a < 0) == (b < 0) for a, b in zip(m, m2))


def _turns(glyphs: list[Glyph]) -> int:
    """Quarter turns clockwise that make most glyphs upright (0 for an ordinary page)."""
    votes = [0, 0, 0, 0]
    for g in glyphs:
        m = g[5]
        if m is None:
            votes[0] += 1
            continue
        a, b = m[0], m[1]
        if abs(a) >= abs(b):
            votes[0 if a > 0 else 2] += 1
        else:
            votes[1 if b > 0 else 3] += 1
    return max(range(4), key=lambda q: (votes[q], -q))


def _upright(a: float, b: float, c: float, d: float, turns: int = 0) -> bool:
    """pdfminer's test (``0 < a·d and b·c <= 0``) on the glyph's matrix turned with the page."""
    for _ in range(turns):  # a quarter turn clockwise: (a, b, c, d) → (b, -a, d, -c)
        a, b, c, d = b, -a, d, -c
    return a * d > 0 and b * c <= 0


def _walk(c, holder, to_page, h_edges: list[Edge], v_edges: list[Edge], counts: list[int], form=False, parent=None) -> None:
    """Collect the ruling edges of every path (in forms too); count images and text objects
    (``counts``: [images, texts])."""
    count = c.FPDFFormObj_CountObjects(holder) if form else c.FPDFPage_CountObjects(holder)
    matrix = c.FS_MATRIX()
    for i in range(count):
        obj = c.FPDFFormObj_GetObject(holder, i) if form else c.FPDFPage_GetObject(holder, i)
        kind = c.FPDFPageObj_GetType(obj)
        if kind == c.FPDF_PAGEOBJ_TEXT:
            counts[1] += 1
            continue
        if kind == c.FPDF_PAGEOBJ_IMAGE:
            counts[0] += 1
            continue
        if kind not in (c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM):
            continue
        m = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        if c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
            m = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        if parent is not None:
            m = _compose(m, parent)
        if kind == c.FPDF_PAGEOBJ_FORM:
            _walk(c, obj, to_page, h_edges, v_edges, counts, form=True, parent=m)
        else:
            _path_edges(c, obj, m, to_page, h_edges, v_edges)


def _compose(m, n):
    """The matrix of ``m`` then ``n`` (PDF row-vector convention: m × n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_edges(c, obj, m, to_page, h_edges: list[Edge], v_edges: list[Edge]) -> None:
    """A path's subpaths (points on the page, closed or not) → its ruling edges."""
    n = c.FPDFPath_CountSegments(obj)
    if n <= 0:
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, cc, d, e, f = m
    subpaths: list[tuple[list[tuple[float, float]], bool]] = []
    points: list[tuple[float, float]] = []
    closed = False
    for i in range(n):
        seg = c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        px, py = x.value, y.value
        point = to_page(a * px + cc * py + e, b * px + d * py + f)
        if c.FPDFPathSegment_GetType(seg) == c.FPDF_SEGMENT_MOVETO and points:
            subpaths.append((points, closed))
            points, closed = [], False
        points.append(point)
        if c.FPDFPathSegment_GetClose(seg):
            closed = True
    if points:
        subpaths.append((points, closed))
    subpath_edges(subpaths, h_edges, v_edges)

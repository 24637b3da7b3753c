"""Web pages saved from government sites (.html) and web archives (.mht).

A page is walked in document order: block elements (p, div, h1…, li …) end a paragraph, ``<br>``
ends a line (each line is a paragraph of the dump), scripts, styles, navigation, forms and
hidden elements are dropped. A ``<table>`` is either

* a data table: its rows (``thead``/``tbody``/``tfoot`` included, nested tables' rows not) are laid
  on a grid with ``rowspan``/``colspan``; every slot of a spanning cell holds its text and the
  regions are passed on (``Merge``); its ``<caption>`` is a paragraph before it; or
* a layout table (sites put the whole page in tables): a table one of whose cells holds a table
  or a heading, or a one-column table whose cells hold several blocks. It is not data: its cells
  are walked in order as parts of the page.

Encoding: a byte-order mark, else the ``<meta charset>`` / ``http-equiv`` declaration (GB2312 and
GBK read as GB18030, their superset), else UTF-8, else GB18030 (``encoding.decode_text``); a
declaration the bytes contradict falls back to detection. lxml's HTML parser never fetches
anything and HTML has no entity declarations to expand.

A ``.mht`` archive (multipart/related, as browsers save a page) is opened with the standard
``email`` package: its first ``text/html`` part, decoded from quoted-printable or base64, in the
part's charset.

Locations: ``paragraph=`` numbers the page's paragraphs (lines) from 1; ``table=`` the data
tables in order, ``row=``/``column=`` their grid positions.
"""

from __future__ import annotations

import re

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.readers.build import DocBuilder
from jixiao.readers.build import fill_merges
from jixiao.readers.grid import Merge
from jixiao.readers.grid import RawDocument

_DROP = frozenset({
    "script", "style", "noscript", "nav", "head", "template", "iframe", "frame", "frameset", "object",
    "embed", "svg", "canvas", "select", "option", "button", "input", "textarea", "map", "audio", "video",
})
_BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
    "article", "aside", "header", "footer", "main", "blockquote", "pre", "address", "center", "figure",
    "figcaption", "hr", "body", "html", "form", "fieldset", "legend", "details", "summary", "caption",
    "tr", "td", "th", "thead", "tbody", "tfoot", "title",
})
_SPACE = re.compile(r"[ \t\r\n\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
MAX_SPAN = 1000


def read_html(data: bytes, name: str, encoding: str | None = None, **_options) -> tuple[RawDocument | None, list[Finding]]:
    """Read a saved web page's paragraphs and tables in document order."""
    text, findings = _decode(data, name, encoding)
    if text is None:
        return None, findings
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return None, [*findings, make("file-empty", None, file=name)]
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        return None, [*findings, make("file-corrupt", None, file=name, reason=f"网页无法解析：{exc}"[:200])]
    walker = _Walker(name)
    walker.walk(root)
    walker.flush()
    return walker.builder.build(), findings


def read_mht(data: bytes, name: str, **_options) -> tuple[RawDocument | None, list[Finding]]:
    """Read the page of a .mht web archive (multipart/related)."""
    import email
    import email.policy

    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001 - the email parser is lenient; anything else is a corrupt file
        return None, [make("file-corrupt", None, file=name, reason=f"网页归档无法解析：{exc}"[:200])]
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        charset = part.get_content_charset()
        if charset:
            try:
                payload.decode(_codec(charset))
            except (LookupError, UnicodeDecodeError):
                charset = None  # a wrong declaration: let the page's own meta or detection decide
        return read_html(payload, name, encoding=_codec(charset) if charset else None)
    return None, [make("file-corrupt", None, file=name, reason="网页归档中没有 HTML 页面")]


# ---------------------------------------------------------------- encoding


def _codec(charset: str) -> str:
    label = charset.strip().lower().replace("_", "-")
    if label in ("gb2312", "gbk", "gb-2312", "x-gbk", "cp936", "euc-cn", "gb18030", "hz-gb-2312"):
        return "gb18030"
    return label


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str | None, list[Finding]]:
    from jixiao.readers.encoding import decode_text

    if encoding:  # the caller's (a CLI option, an archive part's charset)
        try:
            return data.decode(_codec(encoding)), []
        except (LookupError, UnicodeDecodeError):
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data, name)
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        try:
            return data.decode(_codec(declared.group(1).decode("ascii", "replace"))), []
        except (LookupError, UnicodeDecodeError):
            pass  # the page says one thing and is another: detect
    return decode_text(data, name)


# ---------------------------------------------------------------- the walk


def _tag(el) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _hidden(el) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN.search(style))


def _rows(table) -> list:
    """The table's own rows in order (not those of tables nested in its cells)."""
    out = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            out.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            out.extend(c for c in child if _tag(c) == "tr")
    return out


def _cells(tr) -> list:
    return [c for c in tr if _tag(c) in ("td", "th")]


_HEADINGS = ".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"
_BLOCKS = ".//p|.//div|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//li|.//table"


def _is_layout(table) -> bool:
    """A table that lays out the page rather than holding data: one of its cells holds a table or a
    heading, or it is one column wide and a cell holds several blocks (a page's content)."""
    rows = [_cells(tr) for tr in _rows(table)]
    cells = [cell for row in rows for cell in row]
    if any(cell.find(".//table") is not None or cell.xpath(_HEADINGS) for cell in cells):
        return True
    one_column = all(len(row) <= 1 and _span(row[0], "colspan") <= 1 for row in rows if row)
    return one_column and any(len(cell.xpath(_BLOCKS)) > 1 for cell in cells)


def _span(el, attr: str) -> int:
    try:
        value = int(str(el.get(attr, "1")).strip() or "1")
    except ValueError:
        return 1
    return max(0, min(value, MAX_SPAN))


class _Walker:
    def __init__(self, name: str):
        self.builder = DocBuilder(name, "html")
        self.buffer: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    # paragraphs

    def text(self, text: str | None) -> None:
        if text:
            self.buffer.append(_SPACE.sub(" ", text))

    def flush(self) -> None:
        if not self.buffer:
            return
        text, self.buffer = "".join(self.buffer), []
        for line in text.split("\n"):
            if line.strip(" \u3000\u00a0"):
                self.paragraphs += 1
                self.builder.paragraph(line, paragraph=self.paragraphs)

    def walk(self, el) -> None:
        tag = _tag(el)
        if tag in _DROP or _hidden(el):
            return
        if tag == "table":
            self.flush()
            if _is_layout(el):
                self.layout(el)
            else:
                self.table(el)
            return
        if tag == "br":
            self.buffer.append("\n")
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self.text(el.text)
        for child in el:
            self.walk(child)
            self.text(child.tail)
        if block:
            self.flush()

    def layout(self, table) -> None:
        for caption in (c for c in table if _tag(c) == "caption"):
            self.walk(caption)
        for tr in _rows(table):
            for cell in _cells(tr):
                self.walk(cell)
                self.flush()

    # data tables

    def table(self, table) -> None:
        for caption in (c for c in table if _tag(c) == "caption"):
            self.walk(caption)
            self.flush()
        rows_el = _rows(table)
        if not rows_el:
            return
        grid: list[list[str]] = []
        taken: set[tuple[int, int]] = set()
        merges: list[Merge] = []
        count = len(rows_el)
        for r, tr in enumerate(rows_el):
            while len(grid) <= r:
                grid.append([])
            row = grid[r]
            col = 0
            for cell in _cells(tr):
                if _hidden(cell):
                    continue
                while (r, col) in taken:
                    col += 1
                colspan = max(1, _span(cell, "colspan"))
                rowspan = _span(cell, "rowspan")
                rowspan = count - r if rowspan == 0 else min(max(1, rowspan), count - r)
                text = _cell_text(cell)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, col + dc))
                while len(row) < col:
                    row.append("")
                if len(row) == col:
                    row.append(text)
                else:
                    row[col] = text
                if colspan > 1 or rowspan > 1:
                    merges.append(Merge(r, col, r + rowspan - 1, col + colspan - 1))
                col += colspan
        width = max((c + 1 for _, c in taken), default=0)
        while len(grid) < count:
            grid.append([])
        for row in grid:
            row.extend([""] * (width - len(row)))
        fill_merges(grid, merges)
        self.tables += 1
        self.builder.grid(grid, merges=merges, table=self.tables)


def _cell_text(cell) -> str:
    """A cell's text: block elements and ``<br>`` end lines, whitespace runs folded."""
    parts: list[str] = []

    def walk(el) -> None:
        tag = _tag(el)
        if tag in _DROP or _hidden(el):
            return
        if tag == "br":
            parts.append("\n")
            return
        block = tag in _BLOCK or tag == "table"
        if block and parts:
            parts.append("\n")
        inside(el)
        if block:
            parts.append("\n")

    def inside(el) -> None:
        if el.text:
            parts.append(_SPACE.sub(" ", el.text))
        for child in el:
            walk(child)
            if child.tail:
                parts.append(_SPACE.sub(" ", child.tail))

    inside(cell)
    return "\n".join(line.strip(" ") for line in "".join(parts).split("\n") if line.strip(" \u3000\u00a0"))

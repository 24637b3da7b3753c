"""The DOCX reader's fast path: ``word/document.xml`` scanned as text, no element tree built.

Parsing the main part into an lxml tree and walking it costs most of the reading time; yet the
reader needs few of its elements: the body's paragraphs and tables, and in them the text
(``w:t``, ``w:tab``, ``w:br``, ``w:cr``, ``w:noBreakHyphen``), rows and cells and a few
properties (``w:gridSpan``, ``w:vMerge``, ``w:gridBefore``, ``w:gridAfter``, ``w:tblHeader``,
``w:pageBreakBefore``, the ``w:gridCol`` count). Compiled regular expressions find just those
tags; the rest of the XML is skipped over in C. The result is the same as the lxml walk's
(``tests/test_readers_docx_scan.py`` reads every .docx of the tests both ways), because the
scan takes only what it handles exactly and hands everything else back (``Fallback``):

* the part must be well-formed for libxml2 first: a parse with a target that collects nothing
  (no tree) must pass without any message, so a broken part, an undefined entity or an
  undeclared prefix still fail the way the lxml parser reports them;
* UTF-8 only; no comment, CDATA section, processing instruction or DOCTYPE (``<!``, ``<?``);
  the WordprocessingML namespace under exactly one prefix of the root element (not the default
  namespace), no declaration below the root of that prefix, of markup compatibility's or
  math's, or of their namespaces (a picture's own namespaces may be declared where it is);
  the root that prefix's ``document`` with ``body`` its first child, and one body;
* no text box (``w:txbxContent``), no ``mc:AlternateContent`` (a table holding one is read
  by the general walk), no math where a run's tab was read (a math run's ``w:tab`` is no
  run's tab), no table inside a table, no ``w:tblGridChange``, no element inside ``w:t``;
* a body-level paragraph or table must sit in the body or in content controls, custom XML and
  the other containers the walk looks through (``CONTAINERS``), nowhere else.

A ``w:tab`` in ``w:tabs`` is a tab stop; any other ``w:tab`` without attributes is a run's tab
(the only two places WordprocessingML has for one once math is ruled out); one with attributes
outside ``w:tabs`` falls back. Entities are replaced where a ``&`` occurs; line ends are
normalised as XML does (``\\r\\n`` and ``\\r`` are ``\\n``; in an attribute value, whitespace
is a space).

``scan(part)`` returns the body's blocks in order, ``("p", text, page_break)`` for a paragraph
and ``("t", rows, grid_columns)`` for a table, rows as ``docx._scan_fast`` gives them; or None
when the lxml walk must read the part.
"""

from __future__ import annotations

import re
from functools import lru_cache

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"

# The elements the walk looks through to find a body's paragraphs and tables (docx._CONTAINERS).
CONTAINERS = ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag")


class Fallback(Exception):
    """The part holds something the scan does not read exactly: the lxml walk reads it."""


# A start tag's attributes, quoted values taken whole (a value may hold ``>`` or ``/``). The
# expressions' loops are possessive (``*+``): none of them ever has to give back what it took,
# and the engine then keeps no state to go back to (a fifth faster).
_ATTRS = r"""[^>"'/]*+(?:(?:"[^"]*+"|'[^']*+')[^>"'/]*+)*+"""
_DECL = re.compile(r"<\?xml(?:\s[^?]*)?\?>")
_ENCODING = re.compile(r"""encoding\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ROOT = re.compile(rf"\s*<([^\s/>]+)({_ATTRS})>")
_ATTR = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ATTR_SPACE = str.maketrans("\t\n", "  ")


def _entity(m: re.Match) -> str:
    ref = m.group(1)
    if ref[0] != "#":
        return _NAMED[ref]
    return chr(int(ref[2:], 16) if ref[1] == "x" else int(ref[1:]))


def _text(value: str) -> str:
    """Character data as the parser gives it (entities replaced; line ends were normalised)."""
    return _ENTITY.sub(_entity, value) if "&" in value else value


def _attr_value(value: str) -> str:
    """An attribute value as the parser gives it: whitespace characters are spaces, then
    entities replaced (a ``&#10;`` stays a line feed)."""
    return _text(value.translate(_ATTR_SPACE))


class _Patterns:
    """The expressions for one prefix of the WordprocessingML namespace."""

    def __init__(self, w: str):
        p = re.escape(w) + ":"
        skip = (  # a region none of whose elements count: tab stops, a paragraph's former properties
            rf"(?:tabs(?=[\s/>]){_ATTRS}(?:/>|>[^<]*+(?:<(?!/{p}tabs\s*>)[^<]*+)*+</{p}tabs\s*>)"
            rf"|pPrChange(?=[\s/>]){_ATTRS}(?:/>|>[^<]*+(?:<(?!/{p}pPrChange\s*>)[^<]*+)*+</{p}pPrChange\s*>))"
        )
        tabs = rf"<{p}tabs>[^<]*+(?:<(?!/{p}tabs\s*>)[^<]*+)*+</{p}tabs\s*>"
        # A cell's head: from w:tc to its first text, to a w:gridSpan or w:vMerge, or to its
        # end. Nothing in it but paragraph starts (which add nothing while the cell has no text),
        # tab stops and elements of no account; so one match of the cell's head, and often of its
        # text (the first w:t), stands for all its events there. A w:gridSpan or w:vMerge goes on
        # the same way (its tail: the rest of the head, maybe the first text).
        head = (
            rf"[^<]*+(?:(?:<(?!{p}(?:t|tc|tr|tab|tabs|br|cr|noBreakHyphen|tbl|txbxContent|gridSpan"
            rf"|vMerge)[\s/>]|/{p}tc\s*>)|{tabs})[^<]*+)*+"
        )
        first = rf"(?:<{p}t(?=[\s>]){_ATTRS}>([^<]*+)</{p}t\s*>)?"
        # Groups: 1 "c" for a cell's head, 2 the text of the w:t right after it; 3 structure (tc,
        # tr, p); 4 "t", 5 its text, 6 its end tag; 7 "tab" (a run's); 8 gridSpan or vMerge, 9 its
        # attributes, 10 its tail, 11 the text after the tail; 12 another element's name, 13 its
        # attributes. A skipped region matches with no group.
        self.token = re.compile(
            rf"<{p}(?:t(c)>{head}{first}"
            rf"|(tc|tr|p)(?=[\s/>])"
            rf"|(t)(?=[\s/>]){_ATTRS}(?:/>|>([^<]*+)(</{p}t\s*>)?)"
            rf"|(tab)/>"
            rf"|(gridSpan|vMerge)(?=[\s/>])({_ATTRS})/?>({head}){first}"
            rf"|{skip}"
            rf"|(br|cr|noBreakHyphen|gridBefore|gridAfter|tblHeader|pageBreakBefore|tab|tbl"
            rf"|txbxContent)(?=[\s/>])({_ATTRS}))"
        )
        self.p_start = re.compile(rf"<{p}p(?=[\s/>])")
        self.block = re.compile(rf"<{p}(p|tbl)(?=[\s/>]){_ATTRS}(/?)>")
        self.tag = re.compile(rf"<(/?)([^\s/>]+){_ATTRS}(/?)>")
        self.p_end = re.compile(rf"</{p}p\s*>")
        self.tbl_end = re.compile(rf"</{p}tbl\s*>")
        self.grid = re.compile(rf"<{p}tblGrid(?=[\s/>]){_ATTRS}(/?)>")
        self.grid_end = re.compile(rf"</{p}tblGrid\s*>")
        self.grid_col = re.compile(rf"<{p}gridCol(?=[\s/>])")
        self.body = re.compile(rf"\s*<{p}body(?=[\s/>]){_ATTRS}(/?)>")
        self.val = re.compile(rf"""(?:^|\s){p}val\s*=\s*(?:"([^"]*)"|'([^']*)')""")
        self.type = re.compile(rf"""(?:^|\s){p}type\s*=\s*(?:"([^"]*)"|'([^']*)')""")
        self.containers = {f"{w}:{name}" for name in CONTAINERS}
        self.grid_change = f"<{w}:tblGridChange"
        self.attrs: dict[tuple[re.Pattern, str], str | None] = {}

    def get(self, pattern: re.Pattern, attrs: str) -> str | None:
        """The value of the attribute ``pattern`` finds in a start tag's ``attrs``, or None
        (the same few attribute strings come again and again: remembered)."""
        if not attrs:
            return None
        key = (pattern, attrs)
        try:
            return self.attrs[key]
        except KeyError:
            pass
        m = pattern.search(attrs)
        value = None
        if m is not None:
            value = _attr_value(m.group(1) if m.group(1) is not None else m.group(2))
        if len(self.attrs) < 4096:
            self.attrs[key] = value
        return value


@lru_cache(maxsize=8)
def _patterns(w: str) -> _Patterns:
    return _Patterns(w)


class _Nothing:
    """A parser target that keeps nothing."""

    def close(self):
        return None


def _well_formed(part: bytes) -> bool:
    """libxml2 reads the part without a word: parsed with the lxml parser's options into a
    target that keeps nothing (no tree is built: about half a parse's time)."""
    from lxml import etree

    parser = etree.XMLParser(target=_Nothing(), resolve_entities=False, no_network=True, huge_tree=True)
    try:
        etree.fromstring(part, parser)
    except etree.LxmlError:
        return False
    return len(parser.error_log) == 0


def scan(part: bytes) -> list | None:
    """The body's blocks in order, or None when the lxml walk must read the part."""
    try:
        return _scan(part)
    except Fallback:
        return None


def _scan(part: bytes) -> list:
    # What the scan does not read is looked for in the bytes, by searches for rare bytes or
    # long strings (the fastest), before the text is decoded.
    if part.startswith(b"\xef\xbb\xbf"):
        part = part[3:]
    if not part.startswith(b"<"):
        raise Fallback("not UTF-8")
    if _preceded(part, b"!", 0) or _preceded(part, b"?", 1 if part.startswith(b"<?xml") else 0):
        raise Fallback("a comment, CDATA section, DOCTYPE or processing instruction")
    head = part[:4096].decode("utf-8", "ignore")
    start = 0
    decl = _DECL.match(head)
    if decl:
        enc = _ENCODING.search(decl.group())
        if enc and (enc.group(1) if enc.group(1) is not None else enc.group(2)).lower() != "utf-8":
            raise Fallback("declared in another encoding")
        start = decl.end()
    root = _ROOT.match(head, start)
    if root is None:
        raise Fallback("no root start tag (or a very long one)")
    w, others = _namespaces(root.group(2))
    if w is None or root.group(1) != f"{w}:document":
        raise Fallback("not one prefix for WordprocessingML")
    root_end = len(head[: root.end()].encode())  # the root start tag's end in bytes
    if part.find(b"xmlns", root_end) != -1 and _declared_below(part, root_end, {w, *others}):
        raise Fallback("WordprocessingML, markup compatibility or math declared below the root")
    if any(f"<{prefix}:AlternateContent".encode() in part for prefix, uri in others.items() if uri == MC):
        raise Fallback("alternate content")
    if not _well_formed(part):
        raise Fallback("not well-formed (the lxml parser reports it)")
    try:
        s = part.decode("utf-8")
    except UnicodeDecodeError:  # (libxml2 would have said so)
        raise Fallback("not UTF-8") from None
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    pats = _patterns(w)
    body = pats.body.match(s, root.end())
    if body is None:
        raise Fallback("the root's first child is not the body")
    if body.group(1):
        return []
    tabs: list[bool] = []  # a run's tab was read
    blocks = _blocks(s, body.end(), s.rfind(f"</{w}:body"), pats, tabs)
    # a w:tab in a math run is no run's tab: math matters where tabs were read
    if tabs and any(f"<{prefix}:oMath".encode() in part for prefix, uri in others.items() if uri == MATH):
        raise Fallback("math")
    return blocks


def _preceded(part: bytes, char: bytes, skip: int) -> bool:
    """``char`` right after a ``<`` (``<!``, ``<?``), past its first ``skip`` such places (the
    XML declaration's ``<?``): found by a search for the rare byte alone."""
    i = part.find(char)
    while i != -1:
        if part[i - 1 : i] == b"<":
            if skip == 0:
                return True
            skip -= 1
        i = part.find(char, i + 1)
    return False


def _namespaces(attrs: str) -> tuple[str | None, dict[str, str]]:
    """The root's prefix of WordprocessingML (None unless exactly one, and not the default
    namespace) and its prefixes of markup compatibility and math (prefix → namespace)."""
    w: list[str] = []
    others: dict[str, str] = {}
    for name, double, single in _ATTR.findall(attrs):
        uri = _attr_value(double or single)
        if name == "xmlns":
            if uri == W:
                return None, {}
        elif name.startswith("xmlns:"):
            if uri == W:
                w.append(name[6:])
            elif uri in (MC, MATH):
                others[name[6:]] = uri
    return (w[0] if len(w) == 1 else None), others


_XMLNS = re.compile(rb"""xmlns(?::([^\s=]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _declared_below(part: bytes, start: int, prefixes: set[str]) -> bool:
    """A namespace declaration below the root that binds one of ``prefixes`` again, or binds
    any prefix (or the default namespace) to WordprocessingML, markup compatibility or math."""
    uris = {W, MC, MATH}
    for prefix, double, single in _XMLNS.findall(part, start):
        uri = _attr_value((double or single).decode("utf-8", "replace"))
        if prefix.decode("utf-8", "replace") in prefixes or uri in uris:
            return True
    return False


def _blocks(s: str, pos: int, end: int, pats: _Patterns, tabs: list[bool]) -> list:
    blocks: list = []
    stack: list[str] = []  # elements open around the next block (body's descendants)
    foreign = 0  # how many of them are not containers
    containers = pats.containers
    while True:
        m = pats.block.search(s, pos, end)
        if m is None:
            return blocks
        for close, name, empty in pats.tag.findall(s, pos, m.start()):
            if empty:
                continue
            if close:
                if not stack:  # the body's end: a second body follows
                    raise Fallback("more than one body")
                if stack.pop() not in containers:
                    foreign -= 1
            else:
                stack.append(name)
                if name not in containers:
                    foreign += 1
        if foreign:
            raise Fallback("a paragraph or table inside an element the walk does not look through")
        if m.group(1) == "p":
            if m.group(2):  # <w:p/>
                blocks.append(("p", "", False))
                pos = m.end()
                continue
            stop = pats.p_end.search(s, m.end(), end)
            blocks.append(_paragraph(pats.token.findall(s, m.end(), stop.start()), pats, tabs))
        else:
            if m.group(2):  # <w:tbl/>
                blocks.append(("t", [], 0))
                pos = m.end()
                continue
            stop = pats.tbl_end.search(s, m.end(), end)
            rows = _table(pats.token.findall(s, m.end(), stop.start()), pats, tabs)
            blocks.append(("t", rows, _grid_columns(s, m.end(), stop.start(), pats)))
        pos = stop.end()


def _grid_columns(s: str, start: int, end: int, pats: _Patterns) -> int:
    """How many ``w:gridCol`` the table's (first) ``w:tblGrid`` has."""
    grid = pats.grid.search(s, start, end)
    if grid is None or grid.group(1):
        return 0
    stop = pats.grid_end.search(s, grid.end(), end)
    if s.find(pats.grid_change, grid.end(), stop.start()) != -1:
        raise Fallback("a tracked change of the grid")
    return len(pats.grid_col.findall(s, grid.end(), stop.start()))


def _paragraph(tokens: list, pats: _Patterns, tabs: list[bool]) -> tuple[str, str, bool]:
    """A body paragraph's text and page break, as ``docx._paragraph_text`` reads them."""
    parts: list[str] = []
    page_break = False
    before = None  # the attributes of the first w:pageBreakBefore
    for cell, _, struct, t, value, closed, tab, prop, _, tail, after, name, attrs in tokens:
        if t:
            if value:
                if not closed:
                    raise Fallback("an element inside w:t")
                parts.append(_text(value))
        elif prop:  # (a cell's property in a paragraph: only its tail counts)
            if pats.p_start.search(tail):
                raise Fallback("a paragraph inside a paragraph")
            if after:
                parts.append(_text(after))
        elif tab:
            parts.append("\t")
            tabs.append(True)
        elif struct or cell:
            raise Fallback("a paragraph, row or cell inside a paragraph")
        elif name:
            if name == "br":
                if pats.get(pats.type, attrs) == "page":
                    page_break = True
                else:
                    parts.append("\n")
            elif name == "cr":
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name == "pageBreakBefore":
                if before is None:
                    before = attrs
            elif name == "tab":
                if attrs.strip():
                    raise Fallback("a tab stop outside w:tabs")
                parts.append("\t")
                tabs.append(True)
            elif name == "tbl" or name == "txbxContent":
                raise Fallback("a table or text box inside a paragraph")
    if not page_break and before is not None:
        page_break = pats.get(pats.val, before) not in ("0", "false", "off")
    return ("p", "".join(parts), page_break)


def _int(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


def _table(tokens: list, pats: _Patterns, tabs: list[bool]) -> list:
    """A table's rows as ``docx._scan_fast`` gives them, from the table's tokens.

    A cell's text goes to its row when the next cell or row starts, or the table ends (text
    after a row's last cell still belongs to that cell)."""
    out: list = []
    texts: list = []
    spanned: list = []
    row: list = [0, 0, False, texts, spanned]
    prop_of: list | None = None  # [index, gridSpan, vMerge] of the open cell, once it has one
    in_cell = False
    text = ""
    owner: list | None = None  # the texts of the row the open cell is in
    k = 0  # cells started in the row
    for cell, first, struct, t, value, closed, tab, prop, attrs, tail, after, name, other in tokens:
        if cell:  # a cell's head (and maybe its first text)
            if owner is not None:
                owner.append(text)
            owner = texts
            prop_of, in_cell = None, True
            k += 1
            text = (_text(first) if "&" in first else first) if first else ""
        elif prop:  # w:gridSpan or w:vMerge, and its tail (and maybe the text after it)
            if in_cell:
                if prop_of is None:
                    prop_of = [k - 1, 1, None]
                    spanned.append(prop_of)
                if prop == "gridSpan":
                    prop_of[1] = max(1, _int(pats.get(pats.val, attrs), 1))
                else:
                    prop_of[2] = pats.get(pats.val, attrs) or "continue"
            if text and tail:  # (never so in Word's files: properties come before the text)
                text += "\n" * len(pats.p_start.findall(tail))
            if after:
                text += _text(after)
        elif struct:
            if struct == "tc":
                if owner is not None:
                    owner.append(text)
                owner = texts
                text = ""
                prop_of, in_cell = None, True
                k += 1
            elif struct == "p":
                if text:
                    text += "\n"
            else:  # tr
                texts, spanned = [], []
                row, prop_of, in_cell, k = [0, 0, False, texts, spanned], None, False, 0
                out.append(row)
        elif t:
            if value:
                if not closed:
                    raise Fallback("an element inside w:t")
                text += _text(value)
        elif tab:
            text += "\t"
            tabs.append(True)
        elif name:
            if name == "br":
                if pats.get(pats.type, other) != "page":
                    text += "\n"
            elif name == "cr":
                text += "\n"
            elif name == "noBreakHyphen":
                text += "-"
            elif name == "tab":
                if other.strip():
                    raise Fallback("a tab stop outside w:tabs")
                text += "\t"
                tabs.append(True)
            elif name == "tbl" or name == "txbxContent":
                raise Fallback("a table or text box inside a table")
            elif not in_cell:
                if name == "gridBefore":
                    row[0] = _int(pats.get(pats.val, other), 0)
                elif name == "gridAfter":
                    row[1] = _int(pats.get(pats.val, other), 0)
                elif name == "tblHeader":
                    row[2] = pats.get(pats.val, other) not in ("0", "false", "off")
    if owner is not None:
        owner.append(text)
    return out

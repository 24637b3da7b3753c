"""Narrative text (部门预算说明, 绩效自评报告) → numbered Sections and StatedAmounts.

Headings, as the Hunan documents number them (markdown ``#`` / ``**`` / ``- `` removed first):

* level 1 ``一、基本情况``; level 2 ``（一）…`` (also ``(一)`` and the typo ``(一）``); level 3
  ``1．主要职能`` / ``1.主要职能``; ``（1）`` is level 4 under a level 3, but where the document uses
  it as the level-2 number (no level 3 open, next level-2 ordinal: seed 003 ``（2） 项目支出情况``)
  it is read as level 2 with a ``section-number-irregular`` finding, as are mismatched brackets.
* A heading is a short line (level 1/2 ≤ 80, level 3 ≤ 30 characters, not ending with ``。；``;
  a level 3 may end with one ``。``; no sentence end before its last character: ``一、加强党的
  建设。落实…`` is a list item) or an inline heading ``（一）收入预算：正文…`` (title ≤ 20
  characters before ``：``, the rest is the section's text).
* Numbers must follow on (一 → 二, （一） → （二）, 1 → 2 within the parent), so list items such
  as a duty list ``（一）负责…。（二）…`` or ``1. 长沙市行政审批服务局`` (markdown list:
  ``1.`` + space) stay body text. A level-1 number may skip one or two (reported).
* A table of contents (``目录`` up to the part heading that repeats, e.g. the second
  ``第一部分``; or, when nothing repeats, the run of entries right after ``目录`` — numbered lines
  and lines ending in leader dots ``……``) is neither sections nor amounts. Part headings
  (``第二部分 …``) end the open sections and restart the numbering.
* Shanghai 部门预算 print their parts without numbers (the table of contents numbers them): a
  standalone line naming a part — ``…主要职能``, ``…机构设置``, ``名词解释``, ``2025年部门预算编制
  说明``, ``其他相关情况说明``, ``…项目经费情况说明`` — is a level-1 section with number ``""``;
  like a part heading it restarts the numbering, so its ``一、…`` are level 1 too.

Section.number is the number as printed without punctuation (``一``, ``一``, ``1``, ``2``);
Section.text is the body up to the next heading (paragraphs joined with newlines).

A paragraph broken by a page break (it ends without punctuation, e.g. ``…而发`` / ``生的支出…``)
is joined with the next paragraph before headings and amounts are read, so no amount is lost;
each amount keeps the line of the fragment it is on. Amounts: see ``narrative_amounts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.narrative import Section
from jixiao.model.narrative import StatedAmount
from jixiao.model.narrative import TextParagraph
from jixiao.model.source import Location
from jixiao.parse.narrative_amounts import Piece
from jixiao.parse.narrative_amounts import extract_amounts
from jixiao.parse.text import norm
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import Row

CN = "一二三四五六七八九十"
_L1 = re.compile(rf"^([{CN}]{{1,3}})、\s*(.+)$")
_L2 = re.compile(rf"^([（(])\s*([{CN}]{{1,3}}|\d{{1,2}})\s*([)）])\s*(.+)$")
_L3 = re.compile(r"^(\d{1,2})(．|\.(?!\d))(\s*)(.+)$")
_PART = re.compile(rf"^第([{CN}]{{1,3}})部分")
_INLINE = re.compile(r"^([^，。；;,：:]{1,20})[：:]\s*(.*)$", re.S)
_OPEN_END = re.compile(r"[\u3400-\u9fffA-Za-z0-9+\-]$")
# An unnumbered part title (Shanghai): short, no punctuation, ends with the part's name.
_PART_TITLE = re.compile(
    r"^[^，。；;,：:！？!?]{0,30}(主要职能|机构设置|名词解释|预算编制说明|其他相关情况说明|项目经费情况说明)$"
)
_TOC_ENTRY = re.compile(rf"([…·.]{{3,}}|…{{2,}})\s*\d*$|^([{CN}]{{1,3}}、|\d{{1,2}}\s*[.．、])")
_SENTENCE_INSIDE = re.compile(r"[。；;！？!?]")  # a title never holds a sentence end before its last character
_LIST_START = re.compile(rf"^([{CN}]+、|[（(][{CN}\d]+[)）]|\d{{1,2}}[、.．](?!\d)|第[{CN}]+部分|[-•·#])")
LIMITS = {1: 80, 2: 80, 3: 30, 4: 30}


def cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20 (numbers up to 99)."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return CN.index(text) + 1 if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    return (CN.index(tens) + 1 if tens else 1) * 10 + (CN.index(ones) + 1 if ones else 0)


@dataclass
class _Para:
    text: str
    pieces: list[Piece]
    list_item: bool = False  # markdown bullet or a table row: never a heading, never joined
    row: bool = False

    @property
    def location(self) -> Location:
        return self.pieces[0].location


@dataclass
class _Heading:
    level: int
    number: str
    ordinal: int
    title: str
    body: str
    irregular: list[str] = field(default_factory=list)
    printed: str = ""


def parse_narrative(lines: list[Paragraph | Row], source: str) -> tuple[list[Section], list[StatedAmount], list[Finding]]:
    """Read the sections and the stated amounts of a document's narrative lines.

    Args:
        lines: the lines that belong to no table, in document order.
        source: the document's name (for document-level findings).

    Returns:
        (sections in document order, amounts in text order, findings).
    """
    sections, amounts, _, findings = read_narrative(lines, source)
    return sections, amounts, findings


def read_narrative(
    lines: list[Paragraph | Row], source: str
) -> tuple[list[Section], list[StatedAmount], list[TextParagraph], list[Finding]]:
    """``parse_narrative`` and the paragraphs as read (each amount's ``paragraph`` indexes them)."""
    paras = _join(_clean(lines))
    paras = _skip_toc(paras)
    builder = _Sections()
    amounts: list[StatedAmount] = []
    paragraphs: list[TextParagraph] = []
    findings: list[Finding] = []
    for para in paras:
        section, heading = builder.add(para)
        index = len(paragraphs)
        paragraphs.append(TextParagraph(para.text, para.location, section, heading, para.row))
        found, notes = extract_amounts(para.text, para.pieces)
        amounts.extend(replace(a, paragraph=index) for a in found)
        findings.extend(notes)
    return builder.close(), amounts, paragraphs, builder.findings + findings


def _clean(lines: list[Paragraph | Row]) -> list[_Para]:
    out: list[_Para] = []
    for line in lines:
        if isinstance(line, Row):
            text = " ".join(line.filled)
            if text:
                out.append(_Para(text, [Piece(0, line.location)], list_item=True, row=True))
            continue
        text = re.sub(r"^#+\s*", "", line.text.replace("**", "")).strip()
        bullet = re.match(r"^[-•·]\s+", text)
        if bullet:
            text = text[bullet.end() :]
        if text:
            out.append(_Para(text, [Piece(0, line.location)], list_item=bool(bullet)))
    return out


def _join(paras: list[_Para]) -> list[_Para]:
    """Join a fragment that ends mid-sentence (page break) with the paragraph after it."""
    out: list[_Para] = []
    for para in paras:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.list_item
            and not para.list_item
            and len(prev.text) >= 30
            and _OPEN_END.search(prev.text)
            and not _standalone_heading(prev.text)
            and not _LIST_START.match(para.text)
            and not _is_part_title(para)
        ):
            offset = len(prev.text)
            prev.text += para.text
            prev.pieces.extend(Piece(offset + p.offset, p.location) for p in para.pieces)
            continue
        out.append(para)
    return out


def _is_part_title(para: _Para) -> bool:
    text = norm(para.text)
    return not para.list_item and bool(_PART_TITLE.match(text)) and not _LIST_START.match(text) and not _L3.match(text)


def _standalone_heading(text: str) -> bool:
    m = _L1.match(text) or _L2.match(text)
    return (
        bool(m) and not _INLINE.match(m.groups()[-1]) and len(text) <= LIMITS[1] and not _SENTENCE_INSIDE.search(text[:-1])
    )


def _skip_toc(paras: list[_Para]) -> list[_Para]:
    """Drop a table of contents: from ``目录`` to the line that repeats its first part or entry."""
    start = next((i for i, p in enumerate(paras) if norm(p.text) == "目录"), None)
    if start is None:
        return paras
    parts: set[str] = set()
    entries: set[str] = set()
    for i in range(start + 1, len(paras)):
        text = norm(paras[i].text)
        part = _PART.match(text)
        if part and part.group(1) in parts:
            return paras[:start] + paras[i:]
        if part:
            parts.add(part.group(1))
        elif text in entries and not paras[i].list_item:
            return paras[:start] + paras[i:]
        entries.add(text)
    # Nothing repeats: the table of contents is the run of entries right after 目录.
    end = start + 1
    while end < len(paras) and not paras[end].list_item and _TOC_ENTRY.search(norm(paras[end].text)):
        end += 1
    if end - start > 2:
        return paras[:start] + paras[end:]
    return paras  # no end found: not a table of contents after all


class _Sections:
    def __init__(self) -> None:
        self.sections: list[dict] = []
        self.counters = [0, 0, 0, 0]  # last ordinal per level, within the open parent
        self.findings: list[Finding] = []

    def add(self, para: _Para) -> tuple[int | None, bool]:
        """Place one paragraph: (index of the section it belongs to or opens, whether it is a heading)."""
        if not para.list_item and _PART.match(norm(para.text)):
            self._close_all()
            return None, True
        if _is_part_title(para):
            self._close_all()
            self.sections.append({"h": _Heading(1, "", 0, norm(para.text), ""), "loc": para.location, "body": [], "open": True})
            return len(self.sections) - 1, True
        heading = None if para.list_item else self._heading(para.text)
        if heading is None:
            if self.sections and self.sections[-1]["open"]:
                self.sections[-1]["body"].append(para.text)
                return len(self.sections) - 1, False
            return None, False
        level = heading.level
        self.counters[level - 1] = heading.ordinal
        for deeper in range(level, 4):
            self.counters[deeper] = 0
        section = {"h": heading, "loc": para.location, "body": [heading.body] if heading.body else [], "open": True}
        self.sections.append(section)
        if heading.irregular:
            self.findings.append(
                make("section-number-irregular", para.location, subject=heading.title, number=heading.printed,
                     detail="；".join(heading.irregular), level=level)
            )
        return len(self.sections) - 1, True

    def _close_all(self) -> None:
        if self.sections:
            self.sections[-1]["open"] = False
        self.counters = [0, 0, 0, 0]

    def _heading(self, text: str) -> _Heading | None:
        l1, l2, l3, l4 = self.counters
        if m := _L1.match(text):
            n = cn_number(m.group(1))
            h = self._shape(1, m.group(1), n, m.group(2), f"{m.group(1)}、")
            if h is None or n <= l1 or n > l1 + 3 or (n != l1 + 1 and h.body):
                return None
            if n != l1 + 1:
                h.irregular.append(f"编号不连续，上一个一级标题为第 {l1} 个")
            return h
        if m := _L2.match(text):
            opening, number, closing, rest = m.groups()
            n = cn_number(number)
            printed = f"{opening}{number}{closing}"
            arabic = number.isdigit()
            level = 4 if arabic and l3 else 2
            if n != (l4 if level == 4 else l2) + 1:
                return None
            h = self._shape(level, number, n, rest, printed)
            if h is None:
                return None
            if arabic and level == 2:
                h.irregular.append("二级标题使用阿拉伯数字编号，应为（一）（二）")
            if (opening == "(") != (closing == ")"):
                h.irregular.append("括号不配对")
            return h
        if (m := _L3.match(text)) and not (m.group(2) == "." and m.group(3)):
            n = int(m.group(1))
            if n != l3 + 1 or not (l1 or l2):
                return None
            return self._shape(3, m.group(1), n, m.group(4), f"{m.group(1)}{m.group(2)}")
        return None

    @staticmethod
    def _shape(level: int, number: str, ordinal: int, rest: str, printed: str) -> _Heading | None:
        """A heading's title and inline body, or None when the line reads as a sentence."""
        rest = rest.strip()
        inline = _INLINE.match(rest)
        if inline and inline.group(2):
            return _Heading(level, number, ordinal, inline.group(1).strip(), inline.group(2).strip(), printed=printed)
        title = rest.rstrip("：:")
        if len(title) > LIMITS[level] or _SENTENCE_INSIDE.search(title[:-1]):
            return None
        if re.search(r"[。；;！？!?，,]$", title):
            if level != 3 or not title.endswith("。") or title.count("。") > 1:
                return None
            title = title[:-1]
        return _Heading(level, number, ordinal, title, "", printed=printed)

    def close(self) -> list[Section]:
        out = []
        for s in self.sections:
            h: _Heading = s["h"]
            out.append(Section(h.number, h.title, h.level, s["loc"], "\n".join(s["body"])))
        return out

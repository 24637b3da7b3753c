"""The narrative as text (DOMAIN §6 rules 14–15 applied to the 说明 and the 自评报告; §3.1): unfinished
sentences, doubled punctuation, unmatched brackets and quotation marks, and a 单位预算 that calls
itself 部门预算 (or the reverse).

Stage: rules, over ``Document.paragraphs`` (the narrative as read: a paragraph broken by a page
break is one paragraph; table rows read as text are skipped). Every finding is a warning located
at its paragraph.

* **Unfinished**: a phrase that introduces a reason or a use (主要原因是, 原因为, 主要用于, 主要是 …)
  followed directly by the end of its sentence (``主要原因是。``), by template dots
  (``主要原因是……``, outside quotation marks), or ending the section with a colon (``原因是：``
  and nothing after it; a list in the next paragraph is the continuation).
* **Doubled punctuation**: two identical marks of ``。，；、：`` (``。。``, ``，，``; three or more are an
  ellipsis typed with 。), or two different ones of them (``，。``).
* **Brackets and quotation marks**: （）/() as one family, 【】/[]/［］, 〔〕, “”, ‘’, 《》 matched
  across the paragraph; an opening closed in the next one or two paragraphs of the same section
  (a line the extraction broke) is matched there. A list number ``1）`` / ``a)`` is not a bracket.
* **Kind**: the document's kind comes from its titles — the title lines before the 说明, else the
  table titles (Hunan 单位预算 often print the 部门 table templates; Shanghai: ``区级单位预算``, ``预算单位：…``, ``2025年预算单位财务收支预算总表`` →
  单位预算; ``部门预算``, ``预算主管部门``, ``部门收支总表`` → 部门预算). The 说明 names itself
  (``2025年部门预算编制说明``, ``本部门``, ``部门预算安排``); a name of the other kind is reported once
  per wording, at its first paragraph, with the count. ``部门预算经济分类`` is a classification's
  name and names nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import TARGET_KINDS
from jixiao.model.document import Document
from jixiao.model.narrative import TextParagraph
from jixiao.rules import Context
from jixiao.rules import rule

_INTRO = r"(?:主要原因(?:是|为|在于)?|原因(?:是|为|在于)|主要是由于|主要是因为|主要是|主要用于|用于|主要内容(?:是|为)|具体(?:是|为))"
_END_NOW = re.compile(rf"{_INTRO}\s*[：:，,]?\s*[。；;！!]")
_DOTS = re.compile(rf"{_INTRO}\s*[：:，,]?\s*(?:……|…|\.{{3,}}|。{{3,}}|[XＸx×]{{2,}})\s*(?=[。；;，,]|$)")
_COLON_END = re.compile(rf"{_INTRO}\s*[：:]\s*$")
_MARKS = "。，；、："
_DOUBLED = re.compile(rf"(?<![{_MARKS}])(?:([{_MARKS}])\1|[{_MARKS}][{_MARKS}])(?![{_MARKS}])")
_PAIRS = {"（": "）", "(": "）", "【": "】", "[": "】", "［": "】", "〔": "〕", "“": "”", "‘": "’", "《": "》"}
_CLOSING = {"）": "（", ")": "（", "】": "【", "]": "【", "］": "【", "〕": "〔", "”": "“", "’": "‘", "》": "《"}
_NAMES = {"（": "圆括号", "【": "方括号", "〔": "六角括号", "“": "双引号", "‘": "单引号", "《": "书名号"}
_LIST_NUMBER = re.compile(r"(?:^|(?<=[\s。；;，,：:]))(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[a-zA-Z])[)）]")


def _subject(doc: Document, p: TextParagraph) -> str:
    if p.section is not None and p.section < len(doc.sections):
        return doc.sections[p.section].title or "说明"
    return "说明"


def _excerpt(text: str, start: int, end: int, width: int = 16) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def _body(doc: Document) -> list[tuple[int, TextParagraph]]:
    return [(i, p) for i, p in enumerate(doc.paragraphs) if not p.row]


def _unfinished(doc: Document) -> Iterator[Finding]:
    paragraphs = doc.paragraphs
    for i, p in _body(doc):
        text = p.text
        hits: list[tuple[re.Match[str], str]] = []
        hits += [(m, "没有内容") for m in _END_NOW.finditer(text)]
        hits += [(m, "只有省略号等占位内容") for m in _DOTS.finditer(text) if not _quoted(text, m.start())]
        colon = _COLON_END.search(text)
        if colon and not _continued(doc, p, paragraphs[i + 1] if i + 1 < len(paragraphs) else None):
            hits.append((colon, "没有内容"))
        for m, detail in sorted(hits, key=lambda h: h[0].start())[:1]:
            phrase = re.match(_INTRO, m.group()).group()  # type: ignore[union-attr]
            yield make("text-unfinished", p.location, subject=_subject(doc, p), text=phrase, detail=detail,
                       expected=f"“{phrase}”之后写明内容", actual=_excerpt(text, m.start(), m.end()), source_text=text)


def _continued(doc: Document, p: TextParagraph, after: TextParagraph | None) -> bool:
    """The paragraph after a colon continues it: body text of the same section, or the heading of
    a subsection of it (a list the parser read as ``1．…`` headings)."""
    if after is None:
        return False
    if not after.heading:
        return after.section == p.section or after.row
    sections = doc.sections
    if after.section is None or p.section is None or after.section >= len(sections) or p.section >= len(sections):
        return False
    own = sections[p.section].level if not p.heading or after.section != p.section else 0
    return sections[after.section].level > own


def _quoted(text: str, at: int) -> bool:
    return text.count("“", 0, at) > text.count("”", 0, at)


def _doubled(doc: Document) -> Iterator[Finding]:
    for _, p in _body(doc):
        for m in _DOUBLED.finditer(p.text):
            yield make("punctuation-doubled", p.location, subject=_subject(doc, p), mark=m.group(),
                       text=_excerpt(p.text, m.start(), m.end()), expected="标点不重复", actual=m.group(),
                       source_text=p.text)


def _scan(text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(unclosed openings, unopened closings) of a text, each with its offset."""
    stack: list[tuple[str, int]] = []
    stray: list[tuple[str, int]] = []
    skip = {m.end() - 1 for m in _LIST_NUMBER.finditer(text)}
    for i, c in enumerate(text):
        if c in _PAIRS and not (c == "(" and i + 1 < len(text) and text[i + 1] == ")"):
            stack.append((_CLOSING[_PAIRS[c]], i))
        elif c in _CLOSING and i not in skip:
            family = _CLOSING[c]
            match = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == family), None)
            if match is None:
                stray.append((family, i))
            else:
                del stack[match:]  # openings left inside a closed pair are reported with it
    return stack, stray


def _brackets(doc: Document) -> Iterator[Finding]:
    body = _body(doc)
    k = 0
    while k < len(body):
        i, p = body[k]
        unclosed, stray = _scan(p.text)
        consumed = 0
        if unclosed and not stray:
            # closed in the next one or two paragraphs of the same section (a broken line)
            text = p.text
            for extra in range(1, 3):
                if k + extra >= len(body):
                    break
                j, q = body[k + extra]
                if j != i + extra or q.heading or q.section != p.section:
                    break
                text += q.text
                joined_open, joined_stray = _scan(text)
                if not joined_open and not joined_stray:
                    consumed = extra
                    break
        if consumed:
            k += consumed + 1
            continue
        problems = [(f, at, "缺少右半部分") for f, at in unclosed] + [(f, at, "缺少左半部分") for f, at in stray]
        for family, at, detail in sorted(problems, key=lambda x: x[1])[:1]:
            yield make("bracket-unmatched", p.location, subject=_subject(doc, p), mark=_NAMES[family],
                       detail=detail + (f"，另有 {len(problems) - 1} 处" if len(problems) > 1 else ""),
                       text=_excerpt(p.text, at, at + 1), expected="成对使用", actual=detail, source_text=p.text)
        k += 1


# ---------------------------------------------------------------- 部门预算 / 单位预算

_UNIT_TITLE = re.compile(r"单位[预决]算|[预决]算单位|编制单位[：:]|单位“三公”|单位(财务|收支|收入|支出)")
_DEPT_TITLE = re.compile(r"部门[预决]算(?!(支出)?经济分类)|[预决]算主管部门|编制部门[：:]|部门(财务|收支|收入|支出|财政|一般|政府|国有|“三公”)")
# how the 说明 names its own document: (kind named, pattern)
_SELF_NAMES = (
    ("部门", re.compile(r"(?:\d{4}年度?)?部门[预决]算(?:编制|公开)?说明|本部门|部门[预决]算安排|部门[预决]算(?:公开|编制)(?!说明)")),
    ("单位", re.compile(r"(?:\d{4}年度?)?单位[预决]算(?:编制|公开)?说明|本单位|单位[预决]算安排|单位[预决]算(?:公开|编制)(?!说明)")),
)
_TITLE_LINE = 40


def document_kind(doc: Document) -> tuple[str | None, str]:
    """``部门`` or ``单位`` from the document's titles (title lines before the first section, budget
    table titles), with the evidence; None when they do not say, or when more than a third of them
    say the other kind."""
    heads = []
    for p in doc.paragraphs:
        if p.section is not None:
            break
        # a title line, not the 说明's heading (第一部分 2023年部门预算说明 is how the 说明 names itself)
        if len(p.text) <= _TITLE_LINE and not re.search(r"[。；;]|说明$|目录", p.text.strip()):
            heads.append(p.text)
    # 部门整体支出绩效目标表 is a form's name; Hunan 单位预算 often print the 部门 table templates, so
    # the document's own title lines decide before the table titles
    tables = [t.title for t in doc.tables if t.kind not in TARGET_KINDS]
    for titles in (heads, tables):
        kind, evidence = _vote(titles)
        if kind:
            return kind, evidence
    return None, ""


def _vote(titles: list[str]) -> tuple[str | None, str]:
    votes: Counter[str] = Counter()
    evidence: dict[str, str] = {}
    for t in titles:
        squashed = re.sub(r"\s+", "", t)
        for kind, rx in (("单位", _UNIT_TITLE), ("部门", _DEPT_TITLE)):
            if rx.search(squashed):
                votes[kind] += 1
                evidence.setdefault(kind, squashed)
    if not votes:
        return None, ""
    (kind, most), *rest = votes.most_common()
    if rest and most <= 2 * rest[0][1]:  # the titles disagree: no kind
        return None, ""
    return kind, evidence[kind]


def _kind(doc: Document) -> Iterator[Finding]:
    if doc.kind in (None, "targets", "self_evaluation_report", "self_evaluation_table"):
        return  # a budget (or final accounts) disclosure names itself; forms and reports do not
    kind, evidence = document_kind(doc)
    if kind is None:
        return
    other = "部门" if kind == "单位" else "单位"
    rx = dict(_SELF_NAMES)[other]
    first: dict[str, TextParagraph] = {}
    count: Counter[str] = Counter()
    for _, p in _body(doc):
        for m in rx.finditer(re.sub(r"\s+", "", p.text)):
            word = re.sub(r"^\d{4}年度?", "", m.group())
            first.setdefault(word, p)
            count[word] += 1
    for word, p in first.items():
        more = f"（共 {count[word]} 处）" if count[word] > 1 else ""
        yield make("document-kind-mismatch", p.location, subject=_subject(doc, p), kind=f"{kind}预算",
                   evidence=f"标题“{evidence}”", text=word, more=more, expected=f"称“{kind}”", actual=word,
                   source_text=p.text)


@rule("narrative.text", codes=("text-unfinished", "punctuation-doubled", "bracket-unmatched", "document-kind-mismatch"),
      family="disclosure", profiles=("disclosure", "self-evaluation"))
def check_narrative_text(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rules 14 TXT-PLACEHOLDER and 15 TXT-TYPO on the narrative (说明, 自评报告):
    sentences left unfinished (主要原因是。/ 主要原因是…… / 原因是：and nothing), doubled
    punctuation, unmatched brackets and quotation marks; §3.1: a 单位预算 that calls itself 部门预算
    or the reverse. Warnings, at the paragraph."""
    yield from _unfinished(doc)
    yield from _doubled(doc)
    yield from _brackets(doc)
    yield from _kind(doc)

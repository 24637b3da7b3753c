"""The 审核意见书: a reviewer's findings on one or more documents, for the unit to answer.

Each document is a part (a sheet in XLSX, a section in DOCX and PDF): the title, the 被审核单位 and
审核文件 lines, how many problems of each severity, then one table whose rows are grouped by
severity (错误, 警告, 提示: a merged row names the group and its count) and, within a group, come in
the order given (the document's: ``jixiao check`` sorts by location, the store keeps that order). Each finding's row gives its location (without the
file name, which the part names), what it concerns, the message, the expected and actual values,
the reviewer's opinion and the unit's response (both prefilled from what is stored, else left to
fill in by hand); then the note and the signature lines. Several documents get a summary part
first (one row per document with its counts).

The wording, columns, fonts and page are the layout's (``data/layouts/<province>-<year>/
review_opinion.toml``); this module only arranges them. Pure: model objects in, an
:class:`~jixiao.write.layout.OutputDocument` out.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.write.layout import COVERED
from jixiao.write.layout import Cell
from jixiao.write.layout import Column
from jixiao.write.layout import Font
from jixiao.write.layout import Fonts
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Page
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table

KIND = "review_opinion"
SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
ITEM_KEYS = ("number", "location", "subject", "message", "expected", "actual", "opinion", "response")
SUMMARY_KEYS = ("number", "document", "org", "error", "warning", "info", "total")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One finding with what the reviewer said of it and what the unit answered ("" to fill in)."""

    finding: Finding
    opinion: str = ""  # 审核意见
    response: str = ""  # 单位反馈


@dataclass(frozen=True, slots=True)
class ReviewedDocument:
    name: str  # the file name as imported (what the findings' locations start with)
    items: tuple[ReviewItem, ...]
    org: str | None = None
    year: int | None = None
    version: int | None = None


@dataclass(frozen=True, slots=True)
class ReviewLayout:
    layout_id: str
    title: str
    summary_title: str
    page: Page
    fonts: Fonts
    wording: dict[str, object]
    severities: dict[str, str]
    columns: tuple[tuple[str, str, Decimal], ...]  # (key, header, width)
    summary_columns: tuple[tuple[str, str, Decimal], ...]


def _font(spec: dict) -> Font:
    return Font(spec["name"], Decimal(str(spec["size"])), bool(spec.get("bold", False)), spec.get("latin"))


def _columns(specs: list[dict], keys: tuple[str, ...], where: str) -> tuple[tuple[str, str, Decimal], ...]:
    out = tuple((c["key"], c["header"], Decimal(str(c["width"]))) for c in specs)
    unknown = [k for k, _h, _w in out if k not in keys]
    if unknown or not out:
        raise ValueError(f"{where}: unknown column keys {unknown} (known: {keys})" if unknown else f"{where}: no columns")
    return out


def load_review_layout(province: str = "hunan", year: int = 2023) -> ReviewLayout:
    """The 审核意见书 layout description of ``province``-``year``, checked."""
    layout_id = f"{province}-{year}/{KIND}"
    text = resources.files("jixiao").joinpath(f"data/layouts/{layout_id}.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    page = data["page"]
    fonts = Fonts(**{name: _font(spec) for name, spec in data["fonts"].items()})
    return ReviewLayout(
        layout_id=layout_id, title=data["title"], summary_title=data["summary_title"],
        page=Page(size=page["size"], orientation=page["orientation"],
                  margins_mm=tuple(Decimal(str(m)) for m in page["margins_mm"])),
        fonts=fonts, wording=dict(data["wording"]), severities=dict(data["severities"]),
        columns=_columns(data["columns"], ITEM_KEYS, layout_id),
        summary_columns=_columns(data["summary_columns"], SUMMARY_KEYS, layout_id),
    )


_SEGMENT = (
    (re.compile(r"p(\d+)"), "第{0}页"),
    (re.compile(r"t(\d+)(?:r(\d+))?(?:c(\d+))?"), None),
    (re.compile(r"¶(\d+)"), "第{0}段"),
    (re.compile(r"(\d+)"), "第{0}行"),
)


def _segment(text: str) -> str:
    for pattern, template in _SEGMENT:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        if template is not None:
            return template.format(*m.groups())
        table, row, column = m.groups()
        return f"表{table}" + (f"第{row}行" if row else "") + (f"第{column}列" if column else "")
    return text


def describe(where: str) -> str:
    """A location without its file name (``Sheet!B7``, ``p3:t1r5c2``, ``t2r4c3``, ``¶12``, ``24``)
    in words: 工作表“Sheet” B7, 第3页 表1第5行第2列, 表2第4行第3列, 第12段, 第24行."""
    if "!" in where:
        sheet, _, cell = where.rpartition("!")
        return f"工作表“{sheet}” {cell}".rstrip()
    return " ".join(_segment(s) for s in where.split(":") if s)


def place(finding: Finding, document: str, whole: str = "全文") -> str:
    """Where the finding is, in words and without the document's file name (the part names the
    document); ``whole`` for a finding on the whole document."""
    if finding.location is None:
        return whole
    text = str(finding.location)
    for prefix in (document, finding.location.file):
        if prefix and text.startswith(prefix):
            rest = text[len(prefix):].lstrip(":")
            return describe(rest) if rest else whole
    return text


def _message(finding: Finding) -> str:
    """The message without the subject it starts with (the 审核对象 column shows it)."""
    subject = finding.subject
    if subject and finding.message.startswith(subject + "："):
        return finding.message[len(subject) + 1:]
    return finding.message


def ordered(items: Sequence[ReviewItem]) -> list[tuple[Severity, list[ReviewItem]]]:
    """The items by severity (errors first); within a group in the order given (the document's)."""
    out = []
    for severity in SEVERITY_ORDER:
        group = [i for i in items if i.finding.severity == severity]
        if group:
            out.append((severity, group))
    return out


def counts(items: Sequence[ReviewItem]) -> dict[str, int]:
    out = {s.value: 0 for s in SEVERITY_ORDER}
    for item in items:
        out[item.finding.severity.value] += 1
    out["total"] = len(items)
    return out


def _header(columns) -> tuple[Cell, ...]:
    return tuple(Cell(header, role="header") for _key, header, _width in columns)


def _item_cell(key: str, n: int, item: ReviewItem, document: str, layout: ReviewLayout) -> Cell:
    f = item.finding
    if key == "number":
        return Cell(str(n), value=n, role="number", align="center", number_format="0")
    text = {
        "location": place(f, document, str(layout.wording.get("whole_document", "全文"))),
        "subject": f.subject or "", "message": _message(f), "expected": f.expected or "", "actual": f.actual or "",
        "opinion": item.opinion, "response": item.response,
    }[key]
    return Cell(text, role="text")


def item_table(doc: ReviewedDocument, layout: ReviewLayout) -> Table:
    cols = layout.columns
    rows: list[tuple[Cell | None, ...]] = [_header(cols)]
    n = 0
    for severity, group in ordered(doc.items):
        label = str(layout.wording["group"]).format(severity=layout.severities[severity.value], count=len(group))
        rows.append((Cell(label, role="label", colspan=len(cols), align="left"), *([COVERED] * (len(cols) - 1))))
        for item in group:
            n += 1
            rows.append(tuple(_item_cell(key, n, item, doc.name, layout) for key, _h, _w in cols))
    return Table(columns=tuple(Column(width, key) for key, _h, width in cols), rows=tuple(rows), header_rows=1,
                 name="审核意见")


def _year_text(year: int | None) -> str:
    return f"{year}年度" if year else ""


def _sheet_name(n: int, name: str, taken: set[str]) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    base = re.sub(r"[\[\]:*?/\\]", "_", f"{n} {stem}")[:31].rstrip() or str(n)
    out, k = base, 2
    while out in taken:
        suffix = f"~{k}"
        out, k = base[:31 - len(suffix)] + suffix, k + 1
    taken.add(out)
    return out


def _document_part(n: int, doc: ReviewedDocument, layout: ReviewLayout, name: str) -> Part:
    w = layout.wording
    c = counts(doc.items)
    version = f"（第 {doc.version} 版）" if doc.version and doc.version > 1 else ""
    blocks: list = [
        Paragraph(layout.title.format(year=_year_text(doc.year)), role="title"),
        Paragraph(str(w["subject"]).format(org=doc.org or ""), role="subtitle", align="left"),
        Paragraph(str(w["document"]).format(document=doc.name + version), role="subtitle", align="left"),
        Paragraph(str(w["summary"]).format(**c) if doc.items else str(w["empty"]), role="body"),
    ]
    if doc.items:
        blocks.append(item_table(doc, layout))
    blocks.append(Paragraph(str(w["note"]), role="note"))
    blocks.extend(Paragraph(str(s), role="signature") for s in w["signatures"])
    return Part(name=name, blocks=tuple(blocks), page=layout.page, fonts=layout.fonts)


def summary_table(docs: Sequence[ReviewedDocument], layout: ReviewLayout) -> Table:
    cols = layout.summary_columns
    rows: list[tuple[Cell | None, ...]] = [_header(cols)]
    totals = {s.value: 0 for s in SEVERITY_ORDER} | {"total": 0}
    for n, doc in enumerate(docs, start=1):
        c = counts(doc.items)
        for k in totals:
            totals[k] += c[k]
        values = {"number": n, "document": doc.name, "org": doc.org or "", **c}
        rows.append(tuple(_summary_cell(key, values[key]) for key, _h, _w in cols))
    total_row = {"number": "合计", "document": "", "org": "", **totals}
    rows.append(tuple(_summary_cell(key, total_row[key], role="total") for key, _h, _w in cols))
    return Table(columns=tuple(Column(width, key) for key, _h, width in cols), rows=tuple(rows), header_rows=1,
                 name="审核意见汇总")


def _summary_cell(key: str, value, role: str = "text") -> Cell:
    if isinstance(value, int):
        return Cell(str(value), value=value, role="number" if role == "text" else role, align="center",
                    number_format="0")
    return Cell(str(value), role=role)


def build_review_opinion(docs: Sequence[ReviewedDocument], layout: ReviewLayout | None = None) -> OutputDocument:
    """The 审核意见书 of ``docs``: a part per document, after a summary part when there are several.

    Args:
        docs: the documents reviewed, each with its findings and the opinions and responses kept.
        layout: the layout description (default: :func:`load_review_layout`).

    Returns:
        The format-neutral document the XLSX, DOCX and PDF writers write.
    """
    if not docs:
        raise ValueError("审核意见书至少需要一个文件")
    layout = layout or load_review_layout()
    taken: set[str] = set()
    parts = []
    years = {d.year for d in docs}
    if len(docs) > 1:
        year = _year_text(years.pop()) if len(years) == 1 else ""
        c = counts([i for d in docs for i in d.items])
        blocks = (Paragraph(layout.title.format(year=year), role="title"),
                  Paragraph(layout.summary_title, role="subtitle"),
                  Paragraph(str(layout.wording["summary"]).format(**c) if c["total"] else str(layout.wording["empty"]),
                            role="body"),
                  summary_table(docs, layout))
        taken.add("汇总")
        parts.append(Part(name="汇总", blocks=blocks, page=layout.page, fonts=layout.fonts))
    for n, doc in enumerate(docs, start=1):
        name = _sheet_name(n, doc.name, taken) if len(docs) > 1 else "审核意见"
        parts.append(_document_part(n, doc, layout, name))
    title = layout.title.format(year=_year_text(docs[0].year) if len(years) <= 1 else "")
    return OutputDocument(title=title, parts=tuple(parts), kind=KIND, layout_id=layout.layout_id)

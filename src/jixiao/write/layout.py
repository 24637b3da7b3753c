"""The document to write, before any format: parts (a sheet / a page section) of blocks.

Every kind of official document is built as an `OutputDocument` from the stored data and a layout
description; `write.xlsx`, `write.docx` and `write.pdf` turn it into bytes. Nothing here knows a file
format, and no writer knows a kind of document.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Literal

Align = Literal["left", "center", "right", "justify"]
# what a cell holds, so writers can style it and XLSX can keep numbers as numbers
CellRole = Literal["header", "label", "text", "number", "percent", "total"]
ParagraphRole = Literal[
    "title",  # the form's or report's title (centred, large)
    "subtitle",  # 填报单位 / 单位：万元 lines, dates
    "heading1",  # 一、…
    "heading2",  # （一）…
    "heading3",  # 1. …
    "body",  # running text (first line indented two characters in reports)
    "note",  # 注：…, 空表 statements
    "signature",  # 填表人 / 联系电话 / 填报日期 / 单位负责人 line
    "fill",  # a place only the department can write: marked, and flagged by review when left empty
]


@dataclass(frozen=True, slots=True)
class Font:
    name: str  # East Asian font (宋体, 仿宋, 黑体, 方正小标宋简体 …); writers set it as w:eastAsia too
    size: Decimal  # points
    bold: bool = False
    latin: str | None = None  # Latin font; None → Times New Roman


@dataclass(frozen=True, slots=True)
class Fonts:
    title: Font = Font("方正小标宋简体", Decimal(18))
    heading: Font = Font("黑体", Decimal(16))
    body: Font = Font("仿宋", Decimal(16))
    table_header: Font = Font("黑体", Decimal(10))
    table_body: Font = Font("宋体", Decimal(10))
    small: Font = Font("仿宋", Decimal(12))  # subtitle, note and signature lines


@dataclass(frozen=True, slots=True)
class Page:
    size: Literal["A4", "A3"] = "A4"
    orientation: Literal["portrait", "landscape"] = "portrait"
    margins_mm: tuple[Decimal, Decimal, Decimal, Decimal] = (Decimal(25), Decimal(20), Decimal(25), Decimal(20))  # top right bottom left
    page_numbers: bool = True  # "第 N 页 共 M 页" / "- N -" in the footer
    page_number_format: str = "第 {page} 页 共 {pages} 页"  # {page} and {pages} become page fields


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # as printed (amounts already formatted 1,234.56)
    value: Decimal | int | None = None  # the number behind `text`, kept as a number in XLSX (percent: the ratio, 0.955)
    role: CellRole = "text"
    rowspan: int = 1
    colspan: int = 1
    align: Align | None = None  # None → by role (header/label centred, number right, text left)
    number_format: str | None = None  # XLSX format for `value`, e.g. "#,##0.00"


def cell_align(cell: Cell) -> Align:
    """A cell's alignment: its own, else by role (header/label centred, numbers right, text left)."""
    if cell.align:
        return cell.align
    if cell.role in ("header", "label") or (cell.role == "total" and cell.value is None):
        return "center"
    if cell.role in ("number", "percent", "total") and cell.value is not None:
        return "right"
    return "left"


COVERED = None  # a slot covered by a merged cell above or to the left


@dataclass(frozen=True, slots=True)
class Column:
    width: Decimal  # in characters of the table body font (XLSX column width; DOCX cm derived from it)
    key: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A grid: `rows[r][c]` is a Cell where a cell starts and COVERED where a merge covers the slot."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell | None, ...], ...]
    header_rows: int = 0  # leading rows repeated on every printed page
    name: str = ""  # what the table is (for findings and round trips): "收支总表"


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str  # a tab splits a line into left | (centre |) right parts: "填报单位：X\t单位：万元"
    role: ParagraphRole = "body"
    align: Align | None = None  # None → by role
    key: str = ""  # for role "fill": which place it is (问题, 原因, 改进措施 …)


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Paragraph | Table | PageBreak


@dataclass(frozen=True, slots=True)
class Part:
    """A worksheet in XLSX, a section (own page setup) in DOCX and PDF."""

    name: str  # sheet name (≤ 31 characters, no []:*?/\)
    blocks: tuple[Block, ...]
    page: Page = field(default_factory=Page)
    fonts: Fonts = field(default_factory=Fonts)


@dataclass(frozen=True, slots=True)
class OutputDocument:
    title: str  # document properties / file title
    parts: tuple[Part, ...]
    kind: str = ""  # project_targets, disclosure_package, …
    layout_id: str = ""  # hunan-2023/project_targets …

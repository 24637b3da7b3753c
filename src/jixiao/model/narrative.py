"""Narrative documents (部门预算说明, 绩效自评报告): numbered sections and stated amounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.source import Location


@dataclass(frozen=True, slots=True)
class Section:
    number: str  # "一", "（一）", "1" as printed, without punctuation: "一", "(一)" → "一"
    title: str
    level: int  # 1 = 一、 2 = （一） 3 = 1．
    location: Location
    text: str = ""  # body text up to the next section


@dataclass(frozen=True, slots=True)
class StatedAmount:
    """An amount the text states, with its label: 收入预算 5073.08 万元."""

    label: str
    value: Decimal
    unit: str  # 万元 | 元 | % | 人 | …
    location: Location
    context: str = ""  # the sentence it was found in
    change: str | None = None  # "increase" | "decrease" when the text states a change
    paragraph: int | None = None  # index of its paragraph in Document.paragraphs
    period: str | None = None  # the year its clause names ("2023") or 上年 / 本年 / 当年 …, as printed
    offset: int | None = None  # where its number starts in ``context``


@dataclass(frozen=True, slots=True)
class TextParagraph:
    """One paragraph of the narrative as read (a paragraph broken by a page break is joined),
    headings included, located at its first line."""

    text: str
    location: Location
    section: int | None = None  # index in Document.sections of the section it belongs to
    heading: bool = False  # the paragraph is a section heading (its text may carry an inline body)
    row: bool = False  # a table row read as narrative (cells joined by spaces)


# A place in a generated report or 说明 that only the department can write (its problems, causes,
# plans, reasons). The writers print it as 【待填写：what to write】; the review reports any such marker
# still in a document read back (finding ``report-fill-empty``).
FILL_OPEN, FILL_CLOSE = "【待填写：", "】"


def fill_marker(prompt: str) -> str:
    """The printed marker of a place to fill: ``fill_marker("存在的问题")`` → ``【待填写：存在的问题】``."""
    return f"{FILL_OPEN}{prompt}{FILL_CLOSE}"

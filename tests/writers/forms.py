"""Lay a form printed cell by cell (the pipe-cells text layout) back out as its table.

The Sichuan 项目支出绩效自评表 text export has one cell per line and no row ends. The printed form
is an 11-column table (a block-heading column, then the 10 columns of the 绩效指标 grid):

    项目名称 | value                          (label over 2 columns, value over 9)
    主管部门 | value | 实施单位 | value
    项目基本情况 (down the block) | 1.项目年度目标完成情况
                                  | 项目年度目标 | 年度目标完成情况
                                  | goal         | completion
                                  | 2.项目实施内容及过程概述 | value
    预算执行情况(10分) (down) | 年度预算数(万元) | 年初预算 | … | 得分 | 原因
                             | 总额 | … | 得分 | 原因 (down the 资金 rows)
                             | 其中:财政资金 | … (as many rows as printed)
    绩效指标(90分) (down)   | 一级指标 | … | 未完成原因分析
                             | one row per indicator (10 cells)
    合计 (over 8 columns) | 权重 | 得分 | …
    评价结论 | text; 存在问题 | text; 改进措施 | text
    项目负责人: | 财务负责人: | …

``selfeval_form(cells)`` returns (paragraphs before the table, rows, merges) with the text in each
merge's first slot, the slots it covers empty (``write_docx``/``write_html`` make them real merges).
"""

from __future__ import annotations

import re

WIDTH = 11
_BUDGET = re.compile(r"^(预算执行情况|资金执行情况)")
_INDICATORS = re.compile(r"^(年度)?绩效指标")
_TOTAL = re.compile(r"^(合计|总分)$")
_TAIL = re.compile(r"^(评价结论|自评结论|存在(的)?问题|改进措施|改进建议)$")
_SIGN = re.compile(r"^(项目负责人|财务负责人|填表人)")


def is_cell_form(raw) -> bool:
    return raw.layout == "pipe-cells"


def cell_texts(raw) -> list[str]:
    """The cells of a cell-by-cell document in order (paragraphs are cells too)."""
    out: list[str] = []
    for line in raw.lines():
        out.append(line.text if not hasattr(line, "texts") else (line.texts[0] if line.texts else ""))
    return out


def selfeval_form(cells: list[str]):
    """(paragraphs, rows, merges) of a 四川 项目支出绩效自评表 given as its cells in order."""
    i = 0
    paragraphs: list[str] = []
    while i < len(cells) and cells[i] not in ("项目名称", "单位名称"):
        if cells[i]:
            paragraphs.append(cells[i])
        i += 1
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []

    def row(*spans: tuple[str, int], lead: str | None = None) -> None:
        """A row of (text, width) spans; ``lead`` fills the heading column (None: no heading column)."""
        r = len(rows)
        out: list[str] = []
        if lead is not None:
            out.append(lead)
        for text, width in spans:
            if width > 1:
                merges.append((r, len(out), r, len(out) + width - 1))
            out.append(text)
            out.extend([""] * (width - 1))
        rows.append(out + [""] * (WIDTH - len(out)))

    def take(n: int) -> list[str]:
        nonlocal i
        got = cells[i:i + n]
        i += len(got)
        return got + [""] * (n - len(got))

    def block(first: int, heading_col: int = 0) -> None:
        if len(rows) - 1 > first:
            merges.append((first, heading_col, len(rows) - 1, heading_col))

    # head
    label, value = take(2)
    row((label, 2), (value, 9))
    if i < len(cells) and cells[i].startswith("主管部门"):
        a, b, c, d = take(4)
        row((a, 2), (b, 4), (c, 2), (d, 3))
    first = len(rows)
    heading = ""
    while i < len(cells) and not _BUDGET.match(cells[i]):
        text = cells[i]
        if text == "项目基本情况":
            heading = text
            i += 1
            continue
        if re.match(r"^\d+[.、．]项目年度目标完成情况", text):
            row((take(1)[0], 10), lead="")
        elif text in ("项目年度目标", "年度目标"):
            a, b = take(2)
            row((a, 5), (b, 5), lead="")
            a, b = take(2)
            row((a, 5), (b, 5), lead="")
        else:
            a, b = take(2)
            row((a, 2), (b, 8), lead="")
    if len(rows) > first:
        rows[first][0] = heading
        block(first)
    # 预算执行情况: heading, 8 column headers, then rows by label
    first = len(rows)
    heading, *headers = take(9)
    row(*((h, 2) if k in (0, 7) else (h, 1) for k, h in enumerate(headers)), lead=heading)
    reason_first = None
    while i < len(cells) and not _INDICATORS.match(cells[i]):
        label = cells[i]
        i += 1
        values: list[str] = []
        while i < len(cells) and not _INDICATORS.match(cells[i]) and not _budget_label(cells[i]) and len(values) < 7:
            values.append(cells[i])
            i += 1
        if reason_first is None:
            reason_first = len(rows)
            row((label, 2), *((v, 1) for v in values[:6]), (values[6] if len(values) > 6 else "", 2), lead="")
        else:
            row((label, 2), *((v, 1) for v in values[:6]), lead="")
    if reason_first is not None and len(rows) - 1 > reason_first:
        merges[:] = [m for m in merges if not (m[0] >= reason_first and m[1] == 9)]
        merges.append((reason_first, 9, len(rows) - 1, 10))
    block(first)
    # 绩效指标: heading, 10 headers, rows of 10 cells
    first = len(rows)
    heading = take(1)[0]
    row(*((h, 1) for h in take(10)), lead=heading)
    while i < len(cells) and not _TOTAL.match(cells[i]):
        row(*((v, 1) for v in take(10)), lead="")
    block(first)
    # 合计 and the tail
    if i < len(cells):
        label = take(1)[0]
        values = []
        while i < len(cells) and not _TAIL.match(cells[i]) and len(values) < 3:
            values.append(take(1)[0])
        row((label, 8), *((v, 1) for v in values))
    while i < len(cells):
        if _SIGN.match(cells[i]):
            rest = take(len(cells) - i)
            widths = _split(WIDTH, len(rest))
            row(*zip(rest, widths))
            break
        a, b = take(2)
        row((a, 2), (b, 9))
    return paragraphs, rows, merges


def _budget_label(text: str) -> bool:
    return bool(re.match(r"^(总额|其中[:：]|.*资金$|.*拨款$)", text))


def _split(width: int, n: int) -> list[int]:
    base, extra = divmod(width, n)
    return [base + (1 if k < extra else 0) for k in range(n)]

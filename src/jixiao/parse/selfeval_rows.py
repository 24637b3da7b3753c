"""The grids of the 项目支出绩效自评表 (DOMAIN §2.6b): 预算执行情况, 绩效指标 and the 合计 row.

Stage: parse, after ``selfeval_table`` has cut the form's cells into blocks; each reader takes one
block's cells in order and never raises.

* 预算执行情况 — the column headers give the column order (年初预算 … 原因; without headers the
  四川 order); a row is its label and up to one cell per column. A merged cell (the 原因 of the
  其中 rows) is simply absent: a cell that is a row label (总额, 其中：财政资金, …资金) starts the
  next row.
* 绩效指标 — the column headers likewise; a row has one cell per column, except that a merged
  一级/二级 may be absent (the next cell is then a 二级 or the 三级): it is carried down.
* 合计 — 权重 total, 得分 and 等级 (优/良/中/差 wherever it is printed in the row), by position.

Number cells are strict (``Numbers``): money, weights and scores that do not read as numbers are
left None and give ``selfeval-table-number-unreadable``. A number where a budget row's label
belongs gives ``selfeval-table-cell-unplaced``; an indicator row short of columns gives
``selfeval-table-row-short``. A 原因 still holding the form's instruction is no reason.
"""

from __future__ import annotations

import re
from decimal import Decimal
from decimal import InvalidOperation

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.levels import is_level1
from jixiao.model.levels import is_level2
from jixiao.model.selfeval_table import BudgetLine
from jixiao.model.selfeval_table import IndicatorRow
from jixiao.parse.selfeval_labels import BUDGET_COLUMNS
from jixiao.parse.selfeval_labels import BUDGET_GROUP
from jixiao.parse.selfeval_labels import BUDGET_ORDER
from jixiao.parse.selfeval_labels import BUDGET_ROW
from jixiao.parse.selfeval_labels import EMPTY
from jixiao.parse.selfeval_labels import GRADE
from jixiao.parse.selfeval_labels import INDICATOR_COLUMNS
from jixiao.parse.selfeval_labels import INDICATOR_NAMES
from jixiao.parse.selfeval_labels import INDICATOR_ORDER
from jixiao.parse.selfeval_labels import Cell
from jixiao.parse.selfeval_labels import clip
from jixiao.parse.selfeval_labels import column
from jixiao.parse.selfeval_labels import is_instruction
from jixiao.parse.text import norm
from jixiao.parse.values import parse_value

# ---------------------------------------------------------------- numbers


class Numbers:
    """Strict number cells (money, weights, scores); an unreadable one gives a finding."""

    def __init__(self, subject: str, findings: list[Finding]):
        self.subject, self.findings = subject, findings

    def read(self, c: Cell | None, what: str) -> Decimal | None:
        if c is None or norm(c.text) in EMPTY:
            return None
        text = norm(c.text).replace(",", "").replace("万元", "").replace("分", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            self.findings.append(make("selfeval-table-number-unreadable", c.location, subject=self.subject, field=what,
                                      text=c.text[:30], actual=c.text[:30]))
            return None

    def rate(self, c: Cell | None) -> Decimal | None:
        """预算执行率 in percent: ``100.00%`` → 100.00; a bare fraction ``0.9523`` → 95.23."""
        if c is None or norm(c.text) in EMPTY:
            return None
        text = norm(c.text).replace(",", "")
        percent = text.endswith("%")
        try:
            value = Decimal(text.rstrip("%"))
        except InvalidOperation:
            self.findings.append(make("selfeval-table-number-unreadable", c.location, subject=self.subject,
                                      field="预算执行率", text=c.text[:30], actual=c.text[:30]))
            return None
        return value if percent or value > 1 else value.scaleb(2)


# ---------------------------------------------------------------- 预算执行情况


def _is_budget_row(c: Cell) -> bool:
    key = c.key
    return bool(key) and key not in EMPTY and not _is_number(key) and bool(BUDGET_ROW.match(key))


def _is_number(key: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,]*\.?\d+%?", key))


def read_budget(cells: list[Cell], numbers: Numbers, findings: list[Finding]) -> list[BudgetLine]:
    """The 预算执行情况 block (after its heading): its column headers, then one line per row label."""
    columns: list[str] = []
    i = 0
    while i < len(cells):
        col = column(cells[i], BUDGET_COLUMNS)
        if col is not None:
            columns.append(col)
        elif not (BUDGET_GROUP.match(cells[i].key) and cells[i].key) or _is_budget_row(cells[i]):
            break
        i += 1
    if not columns:
        columns = list(BUDGET_ORDER)
    lines: list[BudgetLine] = []
    while i < len(cells):
        c = cells[i]
        i += 1
        if c.key in EMPTY:
            continue
        if _is_number(c.key):
            findings.append(make("selfeval-table-cell-unplaced", c.location, subject=numbers.subject, text=clip(c.text)))
            continue
        got: dict[str, Cell] = {}
        for col in columns:
            if i >= len(cells) or _is_budget_row(cells[i]) or (c.row is not None and cells[i].row != c.row):
                break  # a merged cell (原因 of the 其中 rows) is absent: the next row begins
            got[col] = cells[i]
            i += 1
        lines.append(_budget_line(c, got, numbers))
    return lines


def _budget_line(label: Cell, got: dict[str, Cell], numbers: Numbers) -> BudgetLine:
    name = label.text
    reason = got.get("reason")
    printed = reason.text if reason is not None else None
    return BudgetLine(
        label=name,
        location=label.location,
        initial=numbers.read(got.get("initial"), f"{name}年初预算数"),
        adjusted=numbers.read(got.get("adjusted"), f"{name}调整后预算数"),
        spent=numbers.read(got.get("spent"), f"{name}预算执行数"),
        rate=numbers.rate(got.get("rate")),
        rate_text=got["rate"].text if "rate" in got else None,
        weight=numbers.read(got.get("weight"), f"{name}权重"),
        score=numbers.read(got.get("score"), f"{name}得分"),
        score_text=got["score"].text if "score" in got else None,
        reason=None if printed is None or is_instruction(printed) or norm(printed) in EMPTY else printed,
        reason_printed=printed,
        cells=tuple((k, v.location) for k, v in got.items()),
    )


# ---------------------------------------------------------------- 绩效指标


def read_indicators(cells: list[Cell], numbers: Numbers, findings: list[Finding], subject: str) -> list[IndicatorRow]:
    """The 绩效指标 block (after its heading): its column headers, then the rows, 一级/二级 carried down."""
    columns: list[str] = []
    i = 0
    while i < len(cells) and (col := column(cells[i], INDICATOR_COLUMNS)) is not None:
        columns.append(col)
        i += 1
    if not columns:
        columns = list(INDICATOR_ORDER)
    levels = [c for c in columns[: columns.index("name")] if c in ("level1", "level2")] if "name" in columns else []
    rest = columns[len(levels):]
    rows: list[IndicatorRow] = []
    level1: str | None = None
    level2: str | None = None
    while i < len(cells):
        start = cells[i]
        row = start.row  # a form read from a table: the row ends where the table's row ends

        def here(k: int, row: int | None = row) -> bool:
            return k < len(cells) and (row is None or cells[k].row == row)

        got: dict[str, Cell] = {}
        if "level1" in levels and here(i):
            c = cells[i]
            if not c.text or is_level1(c.text):
                got["level1"] = c
                i += 1
        if "level2" in levels and here(i):
            c = cells[i]
            full = bool(got.get("level1") and got["level1"].text)
            if full or not c.text or is_level2(c.text):
                got["level2"] = c
                i += 1
        last = start
        for col in rest:
            if not here(i):
                if row is None:
                    break
                # the row's trailing cells are empty (readers drop trailing empty cells)
                slot = (last.location.column or 0) + 1
                last = got[col] = Cell("", last.location.with_column(slot), row)
                continue
            last = got[col] = cells[i]
            i += 1
        while row is not None and here(i):  # cells beyond the printed columns
            if cells[i].text:
                findings.append(make("selfeval-table-cell-unplaced", cells[i].location, subject=subject,
                                     text=clip(cells[i].text)))
            i += 1
        if not any(c.text for c in got.values()):
            continue  # a blank row
        if got.get("level1") and got["level1"].text:
            level1, level2 = got["level1"].text, None
        if got.get("level2") and got["level2"].text:
            level2 = got["level2"].text
        short = [col for col in rest if col not in got]
        name_cell = got.get("name")
        name = name_cell.text if name_cell is not None else ""
        if short:
            findings.append(make("selfeval-table-row-short", start.location, subject=subject, name=name or start.text,
                                 count=len(got), columns=len(levels) + len(rest),
                                 fields="、".join(INDICATOR_NAMES[c] for c in short),
                                 expected=f"{len(levels) + len(rest)} 列", actual=f"{len(got)} 列"))
        rows.append(_indicator_row(level1, level2, name, got, start, numbers))
    return rows


def _indicator_row(level1, level2, name, got: dict[str, Cell], start: Cell, numbers: Numbers) -> IndicatorRow:
    def text(col: str) -> str | None:
        c = got.get(col)
        return c.text if c is not None and c.text else None

    location = got["name"].location if "name" in got else start.location
    reason = text("reason")
    actual = text("actual")
    return IndicatorRow(
        level1=level1,
        level2=level2,
        name=name,
        target=parse_value(text("value") or "", text("op"), text("unit")),
        location=location,
        actual=None if actual is None or norm(actual) in EMPTY - {"无"} else actual,
        weight=numbers.read(got.get("weight"), f"{name}权重"),
        score=numbers.read(got.get("score"), f"{name}得分"),
        score_text=text("score"),
        reason=None if reason is None or is_instruction(reason) or norm(reason) in EMPTY else reason,
        cells=tuple((k, v.location) for k, v in got.items()),
        scoring=None if (scoring := text("scoring")) is None or norm(scoring) in EMPTY else scoring,
    )


# ---------------------------------------------------------------- 合计


def read_total(cells: list[Cell], numbers: Numbers):
    """(权重 total, 得分, 得分 as printed, 等级, 等级's location) from the 合计 row, by position."""
    grade = grade_at = None
    values: list[Cell] = []
    for c in cells:
        m = GRADE.match(c.key)
        if m and grade is None:
            grade, grade_at = m.group("grade"), c.location
        else:
            values.append(c)
    weight = numbers.read(values[0], "合计权重") if values else None
    score_cell = values[1] if len(values) > 1 else None
    score = numbers.read(score_cell, "合计得分")
    score_text = score_cell.text if score_cell is not None and score_cell.text else None
    return weight, score, score_text, grade, grade_at

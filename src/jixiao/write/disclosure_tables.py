"""One budget disclosure table (``model.budget.BudgetTable``) as blocks, in a layout's form.

The title, the 部门名称 / 编制部门 and 单位 line, the table (header grid with its merges, the
``** ** 1 2 3`` column-number row when the layout prints it, the rows) and the note under it; an
empty table (no amount at all) keeps its 合计 row blank and carries the 空表 statement. Rows:

* coded tables print a 功能分类 code in its 类 / 款 / 项 cells (a 款 row with or without its 类, as the
  layout says) and an economic code in one cell or in 类 / 款 cells; the 合计 row first or last, its
  label in the name column or merged over the code cells when it comes last (Shanghai);
* two-sided tables (收支总表, 财政拨款收支总表) put the income and the expenditure rows side by side:
  the items from the top, then 合计 beside 合计 and 总计 beside 总计, each side numbered 一、二、 (and
  1、2、 under a top item) as the layout says;
* amounts in the layout's unit for the table (a table stored in 元 is printed in 万元 where the layout
  says so, and back), two decimals, thousands separated; a blank cell stays blank.

Nothing of a table is dropped: rows the layout has no place for do not exist (every row of a
BudgetTable has a name, a code or amounts, and each goes on a line of its own).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from jixiao.model.budget import BudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.money import Unit
from jixiao.model.money import fmt_wan
from jixiao.model.source import Location
from jixiao.write.disclosure_layout import LEFT
from jixiao.write.disclosure_layout import UP
from jixiao.write.disclosure_layout import DisclosureLayout
from jixiao.write.disclosure_layout import TableLayout
from jixiao.write.layout import COVERED
from jixiao.write.layout import Block
from jixiao.write.layout import Cell
from jixiao.write.layout import Column
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Table

NUMBER_FORMAT = "#,##0.00"
TOTALS = ("合计", "总计", "共计")
_CN = "一二三四五六七八九十"
_WAN = Decimal(10000)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 22 → 二十二 (list ordinals)."""
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


def ordinal(style: str, n: int) -> str:
    """``一、`` / ``（一）`` / ``1、`` / ``1. `` for the n-th item."""
    if "一" in style:
        return style.replace("一", chinese_number(n))
    return style.replace("1", str(n))


def is_empty(table: BudgetTable | None) -> bool:
    """No amount anywhere (a placeholder ``0 0 0`` row of zeros counts as none)."""
    if table is None:
        return True
    return not any(isinstance(v, Decimal) and v != 0 for r in printed_rows(table) for v in [r.total, *(x for _, x in r.values)])


def printed_rows(table: BudgetTable) -> list[BudgetRow]:
    """The rows to print: without a template's placeholder ``0 0 0`` rows (code of zeros)."""
    return [r for r in table.rows if not (r.code and set(r.code) == {"0"})]


def amount_text(value: Decimal | str | None, unit_from: Unit, unit_to: Unit) -> tuple[str, Decimal | None]:
    if not isinstance(value, Decimal):
        return ("" if value is None else str(value)), None
    if unit_from is Unit.YUAN and unit_to is Unit.WANYUAN:
        value = value / _WAN
    elif unit_from is Unit.WANYUAN and unit_to is Unit.YUAN:
        value = value * _WAN
    value = value.quantize(Decimal("0.01"))
    return fmt_wan(value), value


def header_cells(grid: Sequence[Sequence[str]]) -> list[tuple[Cell | None, ...]]:
    """A header grid of labels (``<`` / ``^`` for covered slots) as cells with their spans."""
    rows: list[tuple[Cell | None, ...]] = []
    for r, row in enumerate(grid):
        out: list[Cell | None] = []
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                out.append(COVERED)
                continue
            colspan = 1
            while c + colspan < len(row) and row[c + colspan] == LEFT:
                colspan += 1
            rowspan = 1
            while r + rowspan < len(grid) and grid[r + rowspan][c] == UP:
                rowspan += 1
            out.append(Cell(text, role="header", rowspan=rowspan, colspan=colspan))
        rows.append(tuple(out))
    return rows


class _Rows:
    def __init__(self, table: BudgetTable | None, tl: TableLayout, layout: DisclosureLayout):
        self.table = table
        self.tl = tl
        self.layout = layout
        self.unit_from = table.unit if table is not None else (tl.unit or layout.unit)
        self.unit_to = tl.unit or layout.unit

    def amount(self, row: BudgetRow, key: str, role: str = "number") -> Cell:
        value = row.total if key == "total" else row.value(key)
        text, number = amount_text(value, self.unit_from, self.unit_to)
        return Cell(text, number, role, number_format=NUMBER_FORMAT if number is not None else None)

    # ---------------------------------------------------------------- one-sided

    def code_cells(self, code: str | None) -> dict[str, str]:
        keys = self.tl.keys
        if not code:
            return {}
        if "code" in keys:
            return {"code": code}
        if "xiang" not in keys:  # economic code in 类 / 款 cells
            return {"cat": code[:3], "kuan": code[3:5]}
        if len(code) == 3:
            return {"cat": code}
        if len(code) == 5:
            if self.layout.kuan_code == "kuan":
                return {"kuan": code[3:5]}
            return {"cat": code[:3], "kuan": code[3:5]}
        return {"cat": code[:3], "kuan": code[3:5], "xiang": code[5:]}

    def one_sided(self) -> list[tuple[Cell | None, ...]]:
        tl = self.tl
        rows = printed_rows(self.table) if self.table is not None else []
        totals = [r for r in rows if r.code is None and r.name in TOTALS]
        items = [r for r in rows if not (r.code is None and r.name in TOTALS)]
        if tl.coded and not totals:
            totals = [BudgetRow("合计", self.table.location if self.table else _NOWHERE)]
        if "name" in tl.keys and not items and not totals:
            totals = [BudgetRow("合计", _NOWHERE)]
        lines = [self.line(r) for r in items]
        total_lines = [self.line(r, total=True) for r in totals]
        if self.layout.total_row == "first":
            return total_lines + lines
        return lines + total_lines

    def line(self, row: BudgetRow, total: bool = False) -> tuple[Cell | None, ...]:
        keys = self.tl.keys
        codes = self.code_cells(row.code)
        cells: list[Cell | None] = []
        merged_to = -1
        if total and self.tl.coded and self.layout.total_row == "last":
            merged_to = keys.index("name") if "name" in keys else -1
        for i, key in enumerate(keys):
            if i <= merged_to:
                cells.append(Cell(row.name, role="total", colspan=merged_to + 1, align="center") if i == 0 else COVERED)
            elif key in ("cat", "kuan", "xiang", "code"):
                cells.append(Cell(codes.get(key, ""), role="label"))
            elif key == "name":
                name = row.name or ("合计" if total or row.code is None else "")  # Shanghai's 三公 row has no name
                cells.append(Cell(name, role="total" if total else "text", align="center" if total else None))
            else:
                cells.append(self.amount(row, key))
        return tuple(cells)

    def column_numbers(self) -> tuple[Cell | None, ...]:
        n = 0
        out: list[Cell | None] = []
        for key in self.tl.keys:
            if key in ("cat", "kuan", "xiang", "code", "name"):
                out.append(Cell("**", role="label"))
            else:
                n += 1
                out.append(Cell(str(n), role="label"))
        return tuple(out)

    # ---------------------------------------------------------------- two-sided

    def two_sided(self) -> list[tuple[Cell | None, ...]]:
        rows = printed_rows(self.table) if self.table is not None else []
        sides = {}
        for side in ("income", "expenditure"):
            own = [r for r in rows if r.side == side]
            items = [r for r in own if not _is_total(r.name) and not _after_total(own, r)]
            tail = [r for r in own if r not in items]
            sides[side] = (items, tail)
        body = max(len(sides["income"][0]), len(sides["expenditure"][0]))
        columns: dict[str, list[BudgetRow | None]] = {}
        for side, (items, tail) in sides.items():
            column: list[BudgetRow | None] = list(items) + [None] * (body - len(items))
            column += _aligned_tail(tail, sides["income" if side == "expenditure" else "expenditure"][1])
            columns[side] = column
        height = max(len(c) for c in columns.values())
        for column in columns.values():
            column += [None] * (height - len(column))
        names = {side: self.numbered(side, [r for r in column if r is not None]) for side, column in columns.items()}
        out = []
        for i in range(height):
            cells: list[Cell | None] = []
            for key in self.tl.keys:
                side, field = key.split(":")
                row = columns[side][i]
                if row is None:
                    cells.append(Cell("", role="text"))
                elif field == "name":
                    total = _is_total(row.name)
                    cells.append(Cell(names[side][id(row)], role="total" if total else "text",
                                      align="center" if total else None))
                else:
                    cells.append(self.amount(row, field))
            out.append(tuple(cells))
        return out

    def numbered(self, side: str, rows: list[BudgetRow]) -> dict[int, str]:
        numbering = self.tl.numbering
        top_style = str(numbering.get("top", ""))
        sub_style = str(numbering.get("sub", ""))
        top_rows = set(numbering.get("top_rows", ()))  # type: ignore[arg-type]
        sub_rows = set(numbering.get("sub_rows", ()))  # type: ignore[arg-type]
        out: dict[int, str] = {}
        top = sub = 0
        for r in rows:
            name = r.name
            if _is_total(name) or not top_style:
                out[id(r)] = name
                continue
            is_sub = bool(sub_style) and ((top_rows and name not in top_rows) or name in sub_rows)
            if is_sub:
                sub += 1
                out[id(r)] = ordinal(sub_style, sub) + name
            else:
                top += 1
                sub = 0
                out[id(r)] = ordinal(top_style, top) + name
        return out

    def rows(self) -> list[tuple[Cell | None, ...]]:
        header = header_cells(self.tl.header)
        numbers = [self.column_numbers()] if self.layout.column_numbers and self.tl.coded else []
        body = self.two_sided() if self.tl.two_sided else self.one_sided()
        return [*header, *numbers, *body]


_NOWHERE = Location("")
_TOTAL_NAME = re.compile(r"(合计|总计)$")


def _is_total(name: str) -> bool:
    return bool(_TOTAL_NAME.search(re.sub(r"\s+", "", name or "")))


def _after_total(rows: list[BudgetRow], row: BudgetRow) -> bool:
    """A row after the side's first 合计 / 总计 (上年结转, 结余分配, 结转下年)."""
    first = next((i for i, r in enumerate(rows) if _is_total(r.name)), None)
    return first is not None and rows.index(row) > first


def _aligned_tail(tail: list[BudgetRow], other: list[BudgetRow]) -> list[BudgetRow | None]:
    """The rows from 本年合计 down, padded so that 合计 stands beside 合计 and 总计 last beside 总计."""
    height = max(len(tail), len(other))
    if not tail:
        return [None] * height
    last = tail[-1] if re.search(r"总计$", tail[-1].name) else None
    head = tail[:-1] if last is not None else tail
    return list(head) + [None] * (height - len(head) - (1 if last else 0)) + ([last] if last else [])


def header_rows(tl: TableLayout, layout: DisclosureLayout) -> int:
    """The rows repeated on every page: the header and, where printed, the ``** 1 2 3`` row (seed 001)."""
    return len(tl.header) + (1 if layout.column_numbers and tl.coded else 0)


def table_blocks(table: BudgetTable | None, tl: TableLayout, layout: DisclosureLayout, org: str, year: int) -> list[Block]:
    """Title, 部门名称 and 单位 lines, the table and its note (with the 空表 statement when empty)."""
    unit = (tl.unit or layout.unit).value
    words = {"org": org, "year": year, "unit": unit, "what": tl.empty_what}
    blocks: list[Block] = [Paragraph(tl.title.format(**words), role="title")]
    org_line = layout.wording.get("org_line", "").format(**words)
    unit_line = layout.wording.get("unit_line", "").format(**words)
    blocks.append(Paragraph(f"{org_line}\t{unit_line}".strip(), role="subtitle", align="left"))
    grid = _Rows(table, tl, layout).rows()
    columns = tuple(Column(width, key) for key, width in tl.columns)
    blocks.append(Table(columns, tuple(grid), header_rows=header_rows(tl, layout), name=tl.name))
    notes = [tl.note.format(**words)] if tl.note else []
    if is_empty(table) and not tl.empty_in_note:
        statement = layout.wording.get("empty_note", "").format(**words)
        notes.append(statement if statement.startswith("注") or notes else f"注：{statement}")
    for note in notes:
        blocks.append(Paragraph(note, role="note"))
    return blocks

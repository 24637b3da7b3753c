"""Target tables out: 部门整体支出绩效目标表, 项目支出绩效目标表, 专项资金支出方向绩效目标表 and the
专项资金绩效目标汇总表, in the layouts of data/layouts (seeds 000, 001, 002, 004).

``build_target_table(table, layout, signer=None) -> OutputDocument``:

* ``form`` layouts (seeds 000, 002, 004): one part (a sheet; a section starting on a new page) per
  target set: 附件 line, title, 填报单位 | 单位 line, the key/value rows of the layout, then the
  indicator block as its own table whose header row repeats on every page (一级/二级 cells merged
  down), task and expense-detail blocks where the layout has them, signature lines.
* ``list`` layouts (seed 001): one table, its header rows repeated; each set's columns (单位编码,
  名称, 资金总额, 绩效目标 …) merged down over the set's indicator rows.

``target_layout(table)`` picks the layout a table is written in (its year's, its printed style,
the fewest data left out); ``unprinted(table, layout)`` names what the table holds that the layout has no place for (so a
caller warns instead of dropping it). ``build_special_fund_summary(summary, layout)`` writes the 汇总表 from its BudgetTable
(``summary_from_targets`` derives one from a special_fund_targets table). An empty table prints
the layout's 空表 statement. Amounts print as 1,234.56 and stay numbers in XLSX.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from jixiao.model.budget import BudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import Placeholder
from jixiao.model.source import Location
from jixiao.model.targets import AMOUNT_LABELS
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable
from jixiao.write.layout import Cell
from jixiao.write.layout import Column
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table
from jixiao.write.layouts import CellSpec
from jixiao.write.layouts import Layout
from jixiao.write.layouts import RowSpec
from jixiao.write.layouts import layouts_of

MONEY = {"amounts." + name for name in AMOUNT_LABELS} | {"details_total", "detail.amount", "item.total"}
_PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")
_OPERATORS = set("≥≤=><≧≦＞＜＝")


def money_text(value: Decimal | None) -> str:
    """1,234.56 (two decimals, thousands separators); "" for None."""
    return "" if value is None else f"{value.quantize(Decimal('0.01')):,.2f}"


def target_text(indicator: Indicator | Placeholder) -> str:
    """指标值及单位 as one cell: ``≥95%``; ``≥`` ``95`` ``百分比`` when the source split them."""
    if isinstance(indicator, Placeholder):
        return ""
    t = indicator.target
    if t.op_text is not None or t.unit_text is not None:
        op = "" if t.op in (None, "定性", "=") and t.op_text in (None, "定性", "=", "") else (t.op or "")
        value = _plain(t.value) if t.value is not None else t.text
        unit = t.unit or ""
        return f"{op}{value}{unit}"
    return t.text


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _order(s: TargetSet) -> list[Indicator | Placeholder]:
    """Indicators and placeholders in printed order, grouped by 一级 then 二级 (first seen first) so
    that merged cells are contiguous."""
    items: list[Indicator | Placeholder] = sorted(
        [*s.indicators, *s.placeholders], key=lambda i: _loc_key(i.location)
    )
    groups: dict[str | None, dict[str | None, list]] = {}
    for item in items:
        groups.setdefault(item.level1, {}).setdefault(item.level2, []).append(item)
    return [item for level2s in groups.values() for group in level2s.values() for item in group]


def _loc_key(loc: Location) -> tuple:
    return (loc.sheet or "", loc.page or 0, loc.table or 0, loc.line or 0, loc.row or 0, loc.column or 0)


def indicator_field(item: Indicator | Placeholder, name: str) -> str:
    if name == "level1":
        return item.level1 or ""
    if name == "level2":
        return item.level2 or ""
    if isinstance(item, Placeholder):
        if name == "weight":
            return _plain(item.weight) if item.weight is not None else ""
        return item.text if name == "name" else ""
    t = item.target
    if name == "target":
        return target_text(item)
    if name == "op":  # 指标值类型: ≥ ≤ = 定性
        return t.op_text if t.op_text is not None else (t.op or "")
    if name == "value":
        if t.value is not None and t.text[:1] in _OPERATORS:  # printed with its operator (≥95%): the number
            return _plain(t.value)
        return t.text  # as printed in its own cell (70万元, 10篇, 提升)
    if name == "unit":
        return t.unit_text if t.unit_text is not None else (t.unit or "")
    if name == "weight":
        return _plain(item.weight) if item.weight is not None else (item.note or "")
    value = getattr(item, name, None)
    return "" if value is None else str(value)


class _Context:
    """The values a layout's templates and fields can name."""

    def __init__(self, table: TargetTable | BudgetTable, target_set: TargetSet | None, signer: Mapping[str, str]):
        self.table, self.set, self.signer = table, target_set, signer

    def value(self, name: str) -> str | Decimal | None:
        if name == "year":
            return str(self.table.year or "")
        if name == "org":
            return self.table.org or (self.set.unit if self.set else None) or ""
        if name in ("filler", "phone", "date", "head"):
            return self.signer.get(name, "")
        if self.set is None:
            return ""
        if name.startswith("amounts."):
            return getattr(self.set.amounts, name.split(".", 1)[1], None)
        if name == "details_total":
            return self.set.details_total
        if name == "name":  # a list row's 名称: the project, or the unit for a unit's own set
            return self.set.project or self.set.unit or ""
        value = getattr(self.set, name, None)
        return value if isinstance(value, (str, Decimal)) else ("" if value is None else str(value))

    def text(self, template: str) -> str:
        def sub(m: re.Match) -> str:
            v = self.value(m.group(1))
            return money_text(v) if isinstance(v, Decimal) else (v or "")

        return _PLACEHOLDER.sub(sub, template)

    def cell(self, spec: CellSpec, *, header: bool = False) -> Cell:
        role = spec.role or ("header" if header else ("label" if not spec.field else "text"))
        if spec.field:
            v = self.value(spec.field)
            if spec.field in MONEY:
                # a wide value cell of a form reads next to its label: left-aligned unless the layout says
                align = spec.align or ("left" if spec.colspan > 2 else None)
                return Cell(money_text(v) if isinstance(v, Decimal) else "", value=v if isinstance(v, Decimal) else None,
                            role=spec.role or "number", rowspan=spec.rowspan, colspan=spec.colspan, align=align,
                            number_format="#,##0.00")
            text = money_text(v) if isinstance(v, Decimal) else (v or "")
            return Cell(text, role=role, rowspan=spec.rowspan, colspan=spec.colspan, align=spec.align)
        return Cell(self.text(spec.text), role=role, rowspan=spec.rowspan, colspan=spec.colspan, align=spec.align)


def _grid(ncols: int, rows: list[list[Cell]]) -> tuple[tuple[Cell | None, ...], ...]:
    """Place cells row by row into the free slots of an ncols grid (slots covered by merges are None)."""
    grid: list[list[Cell | None]] = []
    covered: set[tuple[int, int]] = set()
    for r, cells in enumerate(rows):
        line: list[Cell | None] = [None] * ncols
        c = 0
        for cell in cells:
            while (r, c) in covered:
                c += 1
            if c >= ncols:
                raise ValueError(f"版式第 {r + 1} 行超出 {ncols} 列")
            line[c] = cell
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    if (rr, cc) != (r, c):
                        covered.add((rr, cc))
            c += cell.colspan
        grid.append(line)
    return tuple(tuple(line) for line in grid)


def _merge_down(rows: list[list[str]], column: int, parents: list[int]) -> list[int]:
    """Row spans for ``column``: equal neighbours merge (within equal parent columns); 0 = covered."""
    spans = [1] * len(rows)
    start = 0
    for r in range(1, len(rows) + 1):
        same = (r < len(rows) and rows[r][column] == rows[start][column] and rows[r][column] != ""
                and all(rows[r][p] == rows[start][p] for p in parents))
        if not same:
            spans[start] = r - start
            for k in range(start + 1, r):
                spans[k] = 0
            start = r
    return spans


def _block_rows(ctx: _Context, spec: RowSpec, items: list, getter) -> tuple[list[list[Cell]], int]:
    """The rows of a repeating block: header row, one row per item (merged down where asked), blank
    rows up to ``min_rows``, a 合计 row. Returns the rows and how many there are."""
    texts = [[getter(item, name) for name in spec.fields] for item in items]
    texts += [[""] * len(spec.fields) for _ in range(max(0, spec.min_rows - len(items)))]
    merge_cols = [i for i, name in enumerate(spec.fields) if name in spec.merge]
    spans = {col: _merge_down(texts, col, [p for p in merge_cols if p < col]) for col in merge_cols}
    rows: list[list[Cell]] = []
    n = 1 + len(texts) + (1 if spec.total else 0)
    header = [ctx.cell(h, header=True) for h in spec.header]
    if spec.label:
        header.insert(0, Cell(ctx.text(spec.label), role="label", rowspan=n, colspan=spec.label_colspan))
    rows.append(header)
    for r, line in enumerate(texts):
        cells = []
        for i, (name, head) in enumerate(zip(spec.fields, spec.header)):
            if i in spans:
                if spans[i][r] == 0:
                    continue
                cells.append(Cell(line[i], role="label", rowspan=spans[i][r], colspan=head.colspan))
            elif name in MONEY and r < len(items):
                v = getattr(items[r], name.split(".", 1)[1], None)
                cells.append(Cell(money_text(v), value=v, role="number", colspan=head.colspan, number_format="#,##0.00"))
            else:
                cells.append(Cell(line[i], role="text", colspan=head.colspan))
        rows.append(cells)
    if spec.total:
        total = ctx.value("details_total")
        if total is None and items:
            amounts = [getattr(i, "amount", None) for i in items]
            total = sum((a for a in amounts if a is not None), Decimal(0)) if any(a is not None for a in amounts) else None
        width = sum(h.colspan for h in spec.header)
        money_at = next((i for i, name in enumerate(spec.fields) if name in MONEY), None)
        if money_at is None:
            rows.append([Cell(spec.total, role="total", colspan=width)])
        else:
            before = sum(h.colspan for h in spec.header[:money_at])
            after = width - before - spec.header[money_at].colspan
            cells = [Cell(spec.total, role="total", colspan=before)] if before else []
            cells.append(Cell(money_text(total), value=total, role="total", colspan=spec.header[money_at].colspan,
                              number_format="#,##0.00"))
            if after:
                cells.append(Cell("", colspan=after))
            rows.append(cells)
    return rows, n


def _items(s: TargetSet, block: str) -> tuple[list, object]:
    if block == "indicators":
        return _order(s), indicator_field
    if block == "tasks":
        return list(s.tasks), lambda t, name: getattr(t, name, "") or ""
    if block == "details":
        return list(s.details), lambda d, name: money_text(d.amount) if name == "detail.amount" else (
            getattr(d, name.split(".", 1)[-1], "") or "")
    raise ValueError(f"目标表版式不支持 {block} 块")


def _headline(layout: Layout, ctx: _Context) -> list[Paragraph]:
    blocks = []
    if layout.before_title:
        blocks.append(Paragraph(ctx.text(layout.before_title), role="subtitle"))
    blocks.append(Paragraph(ctx.text(layout.title), role="title"))
    if layout.unit_line:
        blocks.append(Paragraph(ctx.text(layout.unit_line), role="subtitle"))
    return blocks


def _closing(layout: Layout, ctx: _Context) -> list[Paragraph]:
    blocks = [Paragraph(ctx.text(note), role="note") for note in layout.notes]
    blocks += [Paragraph(ctx.text(line), role="signature") for line in layout.signature]
    return blocks


def _columns(layout: Layout) -> tuple[Column, ...]:
    return tuple(Column(w) for w in layout.columns)


def _form_part(table: TargetTable, s: TargetSet, layout: Layout, signer: Mapping[str, str], name: str) -> Part:
    ctx = _Context(table, s, signer)
    ncols = len(layout.columns)
    blocks: list = _headline(layout, ctx)
    plain: list[list[Cell]] = []

    def flush() -> None:
        if plain:
            blocks.append(Table(_columns(layout), _grid(ncols, plain), header_rows=0, name=table.title))
            plain.clear()

    for spec in layout.rows:
        if not spec.block:
            plain.append([ctx.cell(c) for c in spec.cells])
            continue
        flush()
        items, getter = _items(s, spec.block)
        rows, _n = _block_rows(ctx, spec, items, getter)
        blocks.append(Table(_columns(layout), _grid(ncols, rows), header_rows=1, name=spec.block))
    flush()
    blocks += _closing(layout, ctx)
    return Part(name, tuple(blocks), page=layout.page, fonts=layout.fonts)


def _part_name(s: TargetSet, index: int, count: int, title: str) -> str:
    label = s.project or s.unit or title
    return label if count == 1 else f"{index + 1}-{label}"


def _list_part(table: TargetTable, layout: Layout, signer: Mapping[str, str]) -> Part:
    """One table: the layout's header rows, then per set its columns merged down over its indicator rows."""
    ctx = _Context(table, None, signer)
    ncols = len(layout.columns)
    header_specs = [r for r in layout.rows if not r.block]
    block = next((r for r in layout.rows if r.block == "indicators"), None)
    if block is None:
        raise ValueError(f"{layout.id}：列表式版式须有 indicators 块（每个指标一行）")
    rows: list[list[Cell]] = [[ctx.cell(c, header=True) for c in spec.cells] for spec in header_specs]
    set_specs = tuple(CellSpec(field=f) for f in layout.extra.get("set_fields", ()))
    width = sum(c.colspan for c in block.header)
    subtotals = {sub.unit_code: sub for sub in table.subtotals}

    def subtotal_row(sub) -> list[Cell]:
        cells = []
        for spec in set_specs:
            if spec.field == "unit_code":
                cells.append(Cell(sub.unit_code or ""))
            elif spec.field in ("name", "unit"):
                cells.append(Cell(sub.label, role="label" if sub.unit_code is None else "text"))
            elif spec.field == "amounts.total":
                cells.append(Cell(money_text(sub.amount), value=sub.amount, role="total", number_format="#,##0.00"))
            else:
                cells.append(Cell(""))
        return cells + [Cell("", colspan=width)]

    if None in subtotals:
        rows.append(subtotal_row(subtotals.pop(None)))
    for s in table.target_sets:
        if s.unit_code in subtotals:
            rows.append(subtotal_row(subtotals.pop(s.unit_code)))
        sctx = _Context(table, s, signer)
        items = _order(s) or [Placeholder(None, None, s.location)]
        texts = [[indicator_field(i, name) for name in block.fields] for i in items]
        merge_cols = [i for i, name in enumerate(block.fields) if name in block.merge]
        spans = {col: _merge_down(texts, col, [p for p in merge_cols if p < col]) for col in merge_cols}
        for r, line in enumerate(texts):
            cells: list[Cell] = []
            if r == 0:
                for spec in set_specs:
                    cell = sctx.cell(spec)
                    cells.append(Cell(cell.text, cell.value, cell.role, len(texts), spec.colspan, cell.align,
                                      cell.number_format))
            for i, head in enumerate(block.header):
                if i in spans:
                    if spans[i][r] == 0:
                        continue
                    cells.append(Cell(line[i], role="label", rowspan=spans[i][r], colspan=head.colspan))
                else:
                    cells.append(Cell(line[i], role="text", colspan=head.colspan))
            rows.append(cells)
    if not table.target_sets and layout.empty:
        rows.append([Cell(ctx.text(layout.empty), colspan=ncols)])
    blocks = [*_headline(layout, ctx),
              Table(_columns(layout), _grid(ncols, rows), header_rows=len(header_specs), name=table.title),
              *_closing(layout, ctx)]
    return Part(table.title[:31] or layout.kind, tuple(blocks), page=layout.page, fonts=layout.fonts)


def printed_fields(layout: Layout) -> set[str]:
    """The data a layout prints: set fields (``project``, ``amounts.total`` …) and blocks."""
    fields = {c.field for r in layout.rows for c in r.cells if c.field}
    fields |= {m for r in layout.rows for c in r.cells for m in _PLACEHOLDER.findall(c.text)}
    fields |= {r.block for r in layout.rows if r.block}
    fields |= {f"indicator.{name}" for r in layout.rows if r.block == "indicators" for name in r.fields}
    fields |= set(layout.extra.get("set_fields", ()))
    if "name" in fields:  # a list's 名称 column: the project, or the unit of a unit's own row
        fields |= {"project", "unit"}
    if {"indicator.target"} & fields or {"indicator.value", "indicator.op", "indicator.unit"} <= fields:
        fields.add("indicator.target")
    return fields


def unprinted(table: TargetTable, layout: Layout) -> list[str]:
    """What the table holds that ``layout`` has no place for (Chinese labels, in order): the caller
    warns, or picks another layout, rather than dropping it silently."""
    fields = printed_fields(layout)
    missing: list[str] = []

    def note(label: str) -> None:
        if label not in missing:
            missing.append(label)

    set_labels = {"project": "项目名称", "unit": "单位名称", "unit_code": "单位编码", "goal": "年度绩效目标",
                  "period_goal": "实施期绩效目标", "functions": "部门职能职责", "category": "项目类别", "period": "实施期",
                  "parent_fund": "所属专项", "project_code": "项目编码"}
    indicator_labels = {"explanation": "指标值说明", "scoring": "评（扣）分标准", "standard": "绩效标准",
                        "weight": "分值", "note": "备注"}
    for s in table.target_sets:
        for name, label in set_labels.items():
            if getattr(s, name) and name not in fields and not (name == "unit" and table.org == s.unit):
                note(label)
        for name, value in s.amounts.as_dict().items():
            if value is not None and f"amounts.{name}" not in fields:
                note(AMOUNT_LABELS[name])
        for block, items, label in (("tasks", s.tasks, "年度主要任务"), ("details", s.details, "支出明细"),
                                    ("indicators", s.indicators, "绩效指标")):
            if items and block not in fields:
                note(label)
        for i in s.indicators:
            for name, label in indicator_labels.items():
                if getattr(i, name) is not None and f"indicator.{name}" not in fields:
                    note(label)
    return missing


def target_layout(table: TargetTable, province: str = "hunan", year: int | None = None) -> Layout:
    """The layout to write ``table`` in: among the province's layouts of its kind for its year (or
    ``year``; the nearest earlier year that has one), those of the style it was read in (list / form)
    first, then the one that leaves the least of its data unprinted, then the plain ``<kind>`` one."""
    candidates = layouts_of(table.kind, province, year if year is not None else table.year)
    return min(candidates, key=lambda layout: (layout.style != (table.layout or layout.style),
                                                len(unprinted(table, layout)), layout.variant != "",
                                                layout.variant))


def build_target_table(table: TargetTable, layout: Layout, signer: Mapping[str, str] | None = None) -> OutputDocument:
    """The target table as a document in ``layout``. ``signer``: 填表人 (filler), 联系电话 (phone),
    填报日期 (date) for the signature lines (blank when not given)."""
    signer = signer or {}
    if layout.style == "list":
        parts: tuple[Part, ...] = (_list_part(table, layout, signer),)
    elif table.target_sets:
        count = len(table.target_sets)
        names: set[str] = set()
        parts_list = []
        for i, s in enumerate(table.target_sets):
            name = _part_name(s, i, count, table.title)
            while name in names:
                name += "'"
            names.add(name)
            parts_list.append(_form_part(table, s, layout, signer, name))
        parts = tuple(parts_list)
    else:
        ctx = _Context(table, None, signer)
        blocks = [*_headline(layout, ctx), Paragraph(ctx.text(layout.empty or "本表无数据。"), role="note"),
                  *_closing(layout, ctx)]
        parts = (Part(table.title[:31] or layout.kind, tuple(blocks), page=layout.page, fonts=layout.fonts),)
    return OutputDocument(title=table.title, parts=parts, kind=table.kind, layout_id=layout.id)


# ---------------------------------------------------------------- 专项资金绩效目标汇总表


def summary_from_targets(table: TargetTable) -> BudgetTable:
    """The 汇总表 of a special_fund_targets table: 合计, one row per 所属专项 (一、二 …), one per
    支出方向 (1, 2 …) with its amount and goals."""
    numerals = "一二三四五六七八九十"
    rows: list[BudgetRow] = []
    groups: dict[str, list[TargetSet]] = {}
    for s in table.target_sets:
        groups.setdefault(s.parent_fund or s.project or "", []).append(s)

    def total(sets: list[TargetSet]) -> Decimal | None:
        amounts = [s.amounts.total for s in sets if s.amounts.total is not None]
        return sum(amounts, Decimal(0)) if amounts else None

    def goals(sets: list[TargetSet]) -> tuple:
        if len(sets) == 1:
            return (("period_goal", sets[0].period_goal), ("annual_goal", sets[0].goal))
        return (("period_goal", None), ("annual_goal", None))

    everything = list(table.target_sets)
    rows.append(BudgetRow("合计", table.location, total=total(everything), values=(("number", None), *goals(everything))))
    for g, (fund, sets) in enumerate(groups.items()):
        rows.append(BudgetRow(fund, table.location, total=total(sets),
                              values=(("number", numerals[g % 10]), *goals(sets))))
        for k, s in enumerate(sets, 1):
            rows.append(BudgetRow(s.project or "", s.location, total=s.amounts.total,
                                  values=(("number", str(k)), ("period_goal", s.period_goal), ("annual_goal", s.goal))))
    title = table.title.replace("支出方向绩效目标表", "绩效目标汇总表")
    return BudgetTable("special_fund_summary", title, table.location, table.year, table.org,
                       columns=("number", "name", "total", "period_goal", "annual_goal"), rows=tuple(rows))


def build_special_fund_summary(summary: BudgetTable, layout: Layout,
                               signer: Mapping[str, str] | None = None) -> OutputDocument:
    """The 专项资金绩效目标汇总表 (seed 004 附表2) from its BudgetTable rows."""
    signer = signer or {}
    ctx = _Context(summary, None, signer)
    ncols = len(layout.columns)
    header_specs = [r for r in layout.rows if not r.block]
    block = next((r for r in layout.rows if r.block == "items"), None)
    if block is None:
        raise ValueError(f"{layout.id}：汇总表版式须有 items 块（每个专项一行）")
    rows: list[list[Cell]] = [[ctx.cell(c, header=True) for c in spec.cells] for spec in header_specs]
    rows.append([ctx.cell(h, header=True) for h in block.header])
    for row in summary.rows:
        cells = []
        for name, head in zip(block.fields, block.header):
            if name == "total":
                cells.append(Cell(money_text(row.total), value=row.total, role="total" if row.name == "合计" else "number",
                                  colspan=head.colspan, number_format="#,##0.00"))
            elif name == "name":
                cells.append(Cell(row.name, role="label" if row.name == "合计" else "text", colspan=head.colspan))
            else:
                v = row.value(name)
                cells.append(Cell("" if v is None else str(v), role="label" if name == "number" else "text",
                                  colspan=head.colspan))
        rows.append(cells)
    for _ in range(max(0, block.min_rows - len(summary.rows))):
        rows.append([Cell("", colspan=h.colspan) for h in block.header])
    if not summary.rows and layout.empty:
        rows.append([Cell(ctx.text(layout.empty), colspan=ncols)])
    blocks = [*_headline(layout, ctx),
              Table(_columns(layout), _grid(ncols, rows), header_rows=len(header_specs) + 1, name=summary.title),
              *_closing(layout, ctx)]
    part = Part(summary.title[:31] or layout.kind, tuple(blocks), page=layout.page, fonts=layout.fonts)
    return OutputDocument(title=summary.title, parts=(part,), kind="special_fund_summary", layout_id=layout.id)

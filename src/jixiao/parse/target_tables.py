"""Target tables (绩效目标表) → TargetTable: one target set per unit or project.

Two families of layout are read:
* ``list`` (seed 001): one row per indicator with the unit/project columns on the left,
  unit subtotal rows, pages repeating the project row; rows are aligned by content
  (parse.align) because their cells slide.
* ``form`` (seeds 000, 002, 004): a key/value block (项目名称 | X, 资金总额：N …), optional
  task rows (年度主要任务 / 年度重点工作计划), the indicator grid under its own header row,
  and for special funds the 支出明细及测算说明 block.
Pages of one table are stitched: a set whose unit/project reappears is continued, never
duplicated. Merged 一级/二级 cells are carried down; a missing 一级 is inferred from its 二级.
Over a page break (a PDF, a printed workbook) a merged 一级/二级 cell is printed on one page
only: the next page's first rows, blank there, keep the previous page's level
(``level-carried-over-page``), and a blank cell of its own merged down at the end of a page
(LibreOffice Calc centres the text on the whole merge, which can put it on the next page only)
takes the next page's first row's level (``level-from-next-page``); a blank merged cell that
neither explains keeps the level above and is reported (``level-cell-blank``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.indicator import Indicator
from jixiao.model.money import D
from jixiao.model.money import Unit
from jixiao.model.source import Location
from jixiao.model.targets import ExpenseDetail
from jixiao.model.targets import TargetTable
from jixiao.model.targets import Task
from jixiao.parse.merged import PrintedRow
from jixiao.parse.merged import covered
from jixiao.parse.repeated_header import repeated_header
from jixiao.parse.segment import Segment
from jixiao.parse.target_forms import MONEY_FIELDS
from jixiao.parse.target_forms import key_of
from jixiao.parse.target_forms import label_unit
from jixiao.parse.target_forms import money
from jixiao.parse.target_forms import read_pairs
from jixiao.parse.target_forms import split_kv
from jixiao.parse.target_headers import LABELS
from jixiao.parse.target_headers import fields_from_header
from jixiao.parse.target_headers import is_header_label
from jixiao.parse.target_list import parse_list_page
from jixiao.parse.target_sets import SetBuilder
from jixiao.parse.target_sets import TableBuilder
from jixiao.parse.target_sets import add_indicator
from jixiao.parse.target_sets import align_row
from jixiao.parse.target_sets import clip
from jixiao.parse.text import norm
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import Row

_FOOTER = ("填表人", "单位负责人", "联系电话", "填报日期", "填报单位")
_NOTE = re.compile(r"^(备注|注|说明)\d*[:：]")


def parse_target_table(kind: str, pages: list[Segment]) -> tuple[TargetTable, list[Finding]]:
    """Parse the pages of one target table into a TargetTable and findings."""
    table = TableBuilder(kind, pages[0])
    for index, page in enumerate(pages):
        if _is_list(page):
            table.layout = "list"
            parse_list_page(table, page)
        else:
            table.layout = table.layout or "form"
            _parse_form_page(table, page, index)
    for target in table.sets.values():
        _settle_levels(table, target)
    return table.build(), table.findings


def _is_list(page: Segment) -> bool:
    for row in page.rows[:6]:
        labels = {norm(t) for t in row.filled}
        if "单位编码" in labels or "预算单位编码" in labels:
            return True
    return False


# ---------------------------------------------------------------- indicator rows (both layouts)


def _parse_form_page(table: TableBuilder, page: Segment, index: int) -> None:
    target = SetBuilder(page.location)
    fields: tuple[str, ...] | None = None
    header: list[list[str]] = []
    lead = 0  # cells before the indicator header's first label (绩效指标 | 一级指标 …)
    task_fields: list[str] | None = None
    mode = "head"
    skip_to = 0
    continued = False  # the page continues the previous page's set
    previous: list[str] = []
    top = False  # the next indicator row is the first after the header a new page printed again
    page_of = None  # the page of the last indicator row (a PDF's)
    rows = page.rows
    at = 0  # the next row's index in ``rows``
    for line in page.lines:
        if isinstance(line, Paragraph):
            continue
        at += 1
        if at <= skip_to:
            continue  # a repeated header row
        texts, filled = line.texts, line.filled
        first = norm(filled[0]) if filled else ""
        if not filled or first.startswith(_FOOTER) or re.match(r"^附(表|件)[\d\-]*$", first):
            continue
        if len(set(filled)) == 1 and _NOTE.match(first):
            continue  # 备注：作为导入模板，置灰信息无需录入…: the form's note, not a row
        if "一级指标" in map(norm, filled) and "三级指标" in map(norm, filled):
            if fields and (repeats := repeated_header(rows, at - 1, header)):
                # the indicator header printed again on a new page (a PDF's): its columns stay
                table.findings.append(make("header-repeated", line.location, subject=target.subject(), rows=repeats))
                skip_to, top = at - 1 + repeats, True
                continue
            if not fields and _nothing_read(target) and table.form_grid is not None:
                if repeats := repeated_header(rows, at - 1, table.form_grid[1]):
                    # the page goes on with the previous page's indicator grid (its title printed
                    # again): the same set, columns and carried-down 一级/二级
                    target, header, fields, lead = table.form_grid
                    table.findings.append(make("table-continued", line.location, subject=target.subject()))
                    continued, mode, skip_to, top = True, "indicators", at - 1 + repeats, True
                    continue
            header = [texts]
            fields, _unknown = fields_from_header(header)
            lead = next((i for i, t in enumerate(texts) if t and norm(t) in LABELS), 0)
            mode = "indicators"
            continue
        if mode == "indicators" and header and all(is_header_label(t) for t in filled) and not target.indicators:
            header.append(texts)  # the second header row (偏差原因分析 → 经费保障 | 制度保障 …)
            fields, _unknown = fields_from_header(header)
            continue
        if first in ("年度主要任务", "年度重点工作计划"):
            task_fields, mode = [norm(t) for t in filled[1:]], "tasks"
            continue
        if first.startswith("支出明细及测算"):
            mode = "details"
            continue
        if mode == "indicators" and fields and not _is_form_key_row(filled):
            if len(filled) == 1 and _is_standard(filled[0]) and target.indicators:
                last = target.indicators[-1]
                if last.standard is None:
                    target.indicators[-1] = _with_standard(last, filled[0])
                    continue
            cells = align_row(table, line, fields, target.subject(), skip=lead)
            count = len(target.indicators)
            add_indicator(table, target, cells, line.location, " | ".join(filled))
            below = rows[at] if at < len(rows) else None
            new_page = page_of is not None and line.location.page is not None and line.location.page != page_of
            _follow_levels(table, target, line, below, _level_slots(header), cells, top, new_page, count)
            top, page_of = False, line.location.page
            continue
        if mode == "tasks" and not _is_form_key_row(filled):
            _add_task(target, filled, task_fields or [], line.location)
            continue
        if mode == "details":
            _add_detail(table, target, filled, line)
            continue
        mode = "head"
        _read_head(table, target, texts, previous, line)
        previous = texts
    if fields is None and not target.indicators and target.values:
        table.findings.append(make("indicator-header-missing", page.location, subject=target.subject()))
    table.form_grid = (target, header, fields, lead) if fields else None
    if not continued:
        _store_form_set(table, target, index)


_LEVELS = {"level1": "一级指标", "level2": "二级指标"}


def _level_slots(header: list[list[str]]) -> dict[str, int]:
    """The slots of the 一级指标 and 二级指标 columns in the indicator header."""
    slots: dict[str, int] = {}
    for texts in header:
        for j, text in enumerate(texts):
            for name, label in _LEVELS.items():
                if text and norm(text).startswith(label) and name not in slots:
                    slots[name] = j
    return slots


def _follow_levels(table: TableBuilder, target: SetBuilder, row: Row, below: Row | None, slots: dict[str, int],
                   cells: dict[str, str], top: bool, new_page: bool, count: int) -> None:
    """The 一级/二级 of an indicator row at a page break (see the module's docstring). A slot is blank
    in a cell of its own when it is empty and no merged cell above covers it; such a cell merged down
    over the rows below (``below`` is covered there) is a merged level cell printed without its text —
    one row's blank cell is the usual way to carry the level down, and stays so. ``top``: the first row
    after a header printed again; ``new_page``: the first row of another page (with or without a header)."""
    added = len(target.indicators) == count + 1
    for name, j in slots.items():
        text = row.texts[j] if j < len(row.texts) else ""
        own_blank = not text and j not in covered(row)
        waiting = [p for p in target.pending_levels if p[1] == name]
        if top or new_page:
            if waiting and text and cells.get(name):
                value = getattr(target, name)
                for index, _name, _location in waiting:
                    target.indicators[index] = replace(target.indicators[index], **{name: value})
                table.findings.append(make("level-from-next-page", waiting[0][2], subject=target.subject(),
                                           level=_LEVELS[name], rows=len(waiting), text=value))
                _drop_pending(target, name)
            elif waiting:
                _settle_levels(table, target, name)
            if top and own_blank and added and getattr(target, name):
                table.findings.append(make("level-carried-over-page", row.location, subject=target.subject(),
                                           level=_LEVELS[name], text=getattr(target, name)))
            continue
        if text:
            _settle_levels(table, target, name)  # the blank cell ended on this page: nothing to take
        elif (own_blank and isinstance(row, PrintedRow) and below is not None and j in covered(below) and added
              and getattr(target, name)):
            _settle_levels(table, target, name)
            target.pending_levels.append((count, name, row.location))
        elif waiting and added:
            target.pending_levels.append((count, name, row.location))  # the blank merged cell goes on


def _drop_pending(target: SetBuilder, name: str) -> None:
    target.pending_levels[:] = [p for p in target.pending_levels if p[1] != name]


def _settle_levels(table: TableBuilder, target: SetBuilder, name: str | None = None) -> None:
    """Blank level cells no next page explains keep the level above them, reported."""
    for field_name in ([name] if name else list(_LEVELS)):
        waiting = [p for p in target.pending_levels if p[1] == field_name]
        if waiting:
            text = getattr(target.indicators[waiting[0][0]], field_name) or ""
            table.findings.append(make("level-cell-blank", waiting[0][2], subject=target.subject(),
                                       level=_LEVELS[field_name], rows=len(waiting), text=text))
            _drop_pending(target, field_name)


def _nothing_read(target: SetBuilder) -> bool:
    return not (target.values or target.amounts or target.indicators or target.tasks or target.details)


def _is_form_key_row(filled: list[str]) -> bool:
    return bool(filled) and key_of(filled[0]) is not None and not is_header_label(filled[0])


def _is_standard(text: str) -> bool:
    return norm(text) in ("计划标准", "历史标准", "行业标准", "其他标准", "预算支出标准")


def _with_standard(indicator: Indicator, standard: str) -> Indicator:
    from dataclasses import replace

    return replace(indicator, standard=norm(standard))


def _read_head(table: TableBuilder, target: SetBuilder, texts: list[str], previous: list[str], row: Row) -> None:
    used: set[int] = set()
    pairs = read_pairs(texts)
    names = [name for name, _, _ in pairs]
    if "period_total" in names and "total" in names:
        # 中期资金总额 … | 年度资金总额 …: the rows below break both down, the 中期 side on the left
        # (a label printed twice in a row below: its left value is the 中期 one)
        labels = [j for j, t in enumerate(texts) if t and (key_of(t) == "total" or (split_kv(t) or ("",))[0] == "total")]
        target.annual_from = (labels[0] if labels else min(i for name, _, i in pairs if name == "total")) - 1
    for name, value, index in pairs:
        used.add(index)
        location = row.cells[index].location if index < len(row.cells) else row.location
        if target.annual_from is not None and index <= target.annual_from and names.count(name) > 1:
            target.texts.append((f"period_{name}", value, location))  # the 中期 breakdown, kept as printed
            continue
        if name in MONEY_FIELDS:
            _note_unit(target, texts, index)
            if name == "total" and target.amounts.get("total") is not None and value:
                if money(value) == target.amounts["total"]:
                    continue  # 项目金额 | 4 | 金额 | 4: the fund's amount, equal
            table.set_amount(target, name, value, location)
        else:
            if value:
                table.set_value(target, name, value, location, name)
            else:
                target.texts.append((name, value, location))  # printed label, blank value
    # a value row under a label row (预算情况 | 资金总额 …  /  | 580.25 | …)
    for index, text in enumerate(texts):
        if index in used or not text or D(text) is None or index >= len(previous):
            continue
        name = key_of(previous[index]) if previous[index] else None
        if name in MONEY_FIELDS:
            table.set_amount(target, name, text, row.cells[index].location)


def _note_unit(target: SetBuilder, texts: list[str], index: int) -> None:
    """A money label naming 元 (``项目资金（元）``) makes the set's amounts 元; 万元 is the default."""
    for at in (index, index - 1):
        if 0 <= at < len(texts) and key_of(texts[at]) in MONEY_FIELDS:
            if label_unit(texts[at]) == "元":
                target.unit = Unit.YUAN
            return


def _add_task(target: SetBuilder, filled: list[str], task_fields: list[str], location: Location) -> None:
    if len(filled) >= 3:
        target.tasks.append(Task(filled[0], filled[-1], location, owner=filled[1]))
    elif len(filled) == 2:
        target.tasks.append(Task(filled[0], filled[1], location))
    else:
        target.tasks.append(Task(filled[0], "", location))


def _add_detail(table: TableBuilder, target: SetBuilder, filled: list[str], row: Row) -> None:
    if norm(filled[0]) in ("合计", "总计"):
        target.details_total = next((money(t) for t in filled[1:] if money(t) is not None), None)
        return
    amount_at = next((i for i, t in enumerate(filled) if money(t) is not None), None)
    if amount_at is None:
        table.findings.append(make("row-unplaced", row.location, subject=target.subject(), text=clip(" | ".join(filled), 60)))
        return
    before, after = filled[:amount_at], filled[amount_at + 1 :]
    target.details.append(
        ExpenseDetail(
            summary=before[0] if before else "",
            detail=before[-1] if len(before) > 1 else "",
            amount=money(filled[amount_at]),
            basis="；".join(after),
            location=row.location,
        )
    )


def _store_form_set(table: TableBuilder, target: SetBuilder, index: int) -> None:
    if not (target.values or target.indicators or target.amounts):
        return
    name = target.values.get("project") or target.values.get("unit") or f"#{index}"
    key = norm(f"{target.values.get('project_code') or ''}/{name}")
    existing = table.sets.get(key)
    if existing is None:
        target.key = key
        table.sets[key] = target
        return
    table.findings.append(make("table-continued", target.location, subject=existing.subject()))
    for name, value in target.values.items():
        table.set_value(existing, name, value, target.location, name)
    for name, value in target.amounts.items():
        if existing.amounts.get(name) is None:
            existing.amounts[name] = value
    existing.texts.extend(target.texts)
    existing.tasks.extend(target.tasks)
    existing.indicators.extend(target.indicators)
    existing.placeholders.extend(target.placeholders)
    existing.details.extend(target.details)

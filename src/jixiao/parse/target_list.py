"""List layout of target tables (seed 001): one row per indicator, unit/project on the left.

Rows are aligned to the header's fields by content; a row naming a project (or, in the
department table, a unit) starts or continues that target set; a row naming a unit with an
amount and nothing else is a unit subtotal; 合计 is the table total.
"""

from __future__ import annotations

from jixiao.findings import make
from jixiao.model.money import D
from jixiao.model.targets import Subtotal
from jixiao.parse.repeated_header import repeated_header
from jixiao.parse.segment import Segment
from jixiao.parse.target_forms import MONEY_FIELDS
from jixiao.parse.target_headers import fields_from_header
from jixiao.parse.target_headers import is_header_label
from jixiao.parse.target_sets import add_indicator
from jixiao.parse.target_sets import align_row
from jixiao.parse.text import norm
from jixiao.readers.grid import Row

_HEAD = ("unit_code", "unit_name", "project", "goal", *sorted(MONEY_FIELDS))
_INDICATOR = ("level1", "level2", "name", "op", "value", "unit", "explanation", "scoring", "weight", "standard")


def _is_header_row(row: Row) -> bool:
    filled = row.filled
    return bool(filled) and sum(1 for t in filled if is_header_label(t)) * 2 >= len(filled)


def parse_list_page(table, page: Segment) -> None:
    rows = [r for r in page.rows if not r.is_blank()]
    header: list[Row] = []
    while rows and (_is_header_row(rows[0]) or not header):
        row = rows.pop(0)
        if _is_header_row(row):
            header.append(row)
    fields, unknown = fields_from_header([r.texts for r in header])
    for label in unknown:
        table.findings.append(make("header-unrecognised", page.location, subject=page.title, text=label))
    if not fields:
        return
    current = table.current  # a page may continue the previous page's set without repeating it
    first_set_row = True
    texts = [r.texts for r in header]
    at = 0
    while at < len(rows):
        row = rows[at]
        if repeats := repeated_header(rows, at, texts):  # printed again on a new page (a PDF's)
            table.findings.append(make("header-repeated", row.location, subject=page.title, rows=repeats))
            at += repeats
            continue
        at += 1
        filled = row.filled
        if norm(filled[0]) in ("合计", "总计"):
            amount = next((D(t) for t in filled[1:] if D(t) is not None), None)
            table.subtotals.append(Subtotal(norm(filled[0]), amount, row.location))
            continue
        subject = _row_subject(filled) or (current.subject() if current else page.title)
        cells = align_row(table, row, fields, subject)
        has_indicator = any(cells.get(f) for f in _INDICATOR)
        named = cells.get("project") or cells.get("unit_name")
        if named:
            code = cells.get("unit_code") or table.unit[0]
            if "project" in fields and not has_indicator and not cells.get("goal"):
                table.subtotals.append(Subtotal(named, D(cells.get("total", "")), row.location, unit_code=code))
                table.unit, current = (code, named), None
                continue
            key = norm(f"{code or ''}/{named}")
            continued = key in table.sets
            current = table.get_set(key, row.location, page_first=continued and first_set_row)
            first_set_row = False
            _fill_head(table, current, cells, code, named, row)
        elif any(cells.get(f) for f in _HEAD) and not has_indicator:
            table.findings.append(make("row-unplaced", row.location, subject=subject, text=" | ".join(filled)[:60]))
            continue
        if has_indicator:
            if current is None:
                table.findings.append(make("row-unplaced", row.location, subject=subject, text=" | ".join(filled)[:60]))
                continue
            first_set_row = False
            add_indicator(table, current, cells, row.location, " | ".join(filled))
    table.current = current
    if page.ends_document and current is not None and current.indicators:
        _check_truncated(table, current, rows[-1] if rows else None)


def _row_subject(filled: list[str]) -> str | None:
    """A row that starts a set names it: ``152002 | 长沙市政务服务中心 | …``."""
    if len(filled) > 1 and filled[0].isdigit() and len(filled[0]) == 6:
        return f"“{filled[1]}”"
    return None


def _fill_head(table, target, cells: dict[str, str], code: str | None, named: str, row: Row) -> None:
    if "project" in cells:
        if code:
            table.set_value(target, "unit_code", code, row.location, "单位编码")
        if table.unit[1]:
            target.values.setdefault("unit", table.unit[1])
        table.set_value(target, "project", named, row.location, "项目名称")
    else:
        if code:
            table.set_value(target, "unit_code", code, row.location, "单位编码")
        table.set_value(target, "unit", named, row.location, "单位名称")
    for name in sorted(MONEY_FIELDS):
        if name in cells or (name in ("total",) and "unit_name" in cells):
            table.set_amount(target, name, cells.get(name, ""), row.location)
    if "unit_name" in cells:
        for name in ("general_budget", "gov_fund", "special_account", "other", "basic", "project_amount"):
            target.amounts.setdefault(name, None)
    if cells.get("goal"):
        table.set_value(target, "goal", cells["goal"], row.location, "绩效目标")


def _check_truncated(table, target, last_row: Row | None) -> None:
    """The file ends inside the table: is its last indicator cut off?"""
    if last_row is None:
        return
    last = target.indicators[-1]
    if last.location != last_row.location:
        return
    weighted = [i for i in target.indicators[:-1] if i.weight is not None]
    scored = [i for i in target.indicators[:-1] if i.scoring]
    if (weighted and last.weight is None) or (scored and not last.scoring):
        table.findings.append(make("table-truncated", last_row.location, subject=f"{target.subject()}/{last.name}"))

"""The actuals template (实际完成值填报表): one row per indicator, one budget row per target set.

Rows are keyed so that a filled template is matched back to the same source file: an indicator's
key is its source location and name (``001_xxx.txt:378|评估市直部门个数``), a target set's its
location and project (or unit). The key column is the last one and hidden; matching falls back to
the printed names when the source was edited (:mod:`jixiao.selfeval.actuals`).

Sheets: 说明 (how to fill, in Chinese), 实际完成值 (indicators) and 预算执行 (budget block). The
columns to fill are unlocked and light yellow; the rest is locked and grey (sheet protection has
no password: it only keeps the printed targets from being overwritten by accident).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jixiao.model.document import TARGET_KINDS
from jixiao.model.document import Document
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import ValueKind
from jixiao.model.money import to_wan
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable

KIND_LABELS = {
    "project_targets": "项目支出",
    "department_targets": "部门整体",
    "special_fund_targets": "专项资金",
}

ACTUALS_SHEET = "实际完成值"
BUDGET_SHEET = "预算执行"
HELP_SHEET = "说明"
KEY = "匹配键"
ACTUAL = "实际完成值"
REASON = "偏差原因分析及改进措施"
INITIAL, BUDGET, SPENT, BUDGET_REASON = "年初预算数", "全年预算数", "全年执行数", "执行偏差原因"
SPLITS = ("财政拨款", "上年结转", "其他资金")  # 其中 columns of the budget sheet


def split_header(source: str, what: str) -> str:
    """Header of a 其中 column of the budget sheet: ``财政拨款·全年执行数``."""
    return f"{source}·{what}"


# (header, width, to fill)
INDICATOR_COLUMNS = (
    ("序号", 6, False),
    ("表格", 9, False),
    ("单位编码", 9, False),
    ("单位", 18, False),
    ("项目", 22, False),
    ("一级指标", 11, False),
    ("二级指标", 13, False),
    ("三级指标", 30, False),
    ("指标值类型", 8, False),
    ("年度指标值", 14, False),
    ("度量单位", 8, False),
    ("分值", 6, False),
    ("评（扣）分标准", 42, False),
    (ACTUAL, 14, True),
    (REASON, 36, True),
    (KEY, 30, False),
)
BUDGET_COLUMNS = (
    ("序号", 6, False),
    ("表格", 9, False),
    ("单位编码", 9, False),
    ("单位", 18, False),
    ("项目", 24, False),
    (INITIAL, 12, False),
    (BUDGET, 12, True),
    (SPENT, 12, True),
    *((split_header(name, what), 13, True) for name in SPLITS for what in (BUDGET, SPENT)),
    (BUDGET_REASON, 30, True),
    (KEY, 30, False),
)

HELP = """填写说明（实际完成值填报表）

1. 本文件由 jixiao selfeval template 根据绩效目标表生成，每个三级指标一行（工作表“实际完成值”），每个项目或单位一行预算执行数据（工作表“预算执行”）。
2. 只需填写浅黄色单元格；灰色单元格是目标表原有内容，已锁定（工作表保护无密码，如确需修改可在“审阅”中撤销保护）。
3. 实际完成值的写法：
   · 数量、金额：直接写数字，如 175、24.6（单位与“度量单位”列一致，金额为万元）；
   · 百分比：写 92 或 92%，两种写法等价（不要写 0.92）；
   · 定性指标：写完成情况，如 达成、部分达成、未达成，或评分标准中的档次原文，如 推进较缓、按要求完成、未完成；
   · 日期（时效指标）：写实际完成日期，如 2023-11-30；
   · 次数类扣分指标（如“每发生1次扣0.5分”）：写发生的次数。
4. 未完成年度指标值或偏离较大的，请在“偏差原因分析及改进措施”中说明原因和下一步措施；实际完成值达到指标值 130% 以上的，也请说明原因。
5. 预算执行：年初预算数取自目标表的资金总额；“全年预算数”填调整后预算数（已预填为年初预算数，有调整的请改写）；“全年执行数”填全年实际支出。其中各资金来源可不填，填写时其合计应等于总额。预算执行率未达到 90% 的，请在“执行偏差原因”中说明。金额单位均为万元。
6. 请勿增删行、修改或删除最后一列“匹配键”（已隐藏）：它记录指标在目标表中的位置和名称，用于把填报结果对回目标表。
7. 填好后运行：jixiao selfeval score 目标表文件 --actuals 本文件 -o 自评表.xlsx
"""


@dataclass(frozen=True, slots=True)
class SetEntry:
    """A target set with its table and its stable key."""

    key: str
    table: TargetTable
    target_set: TargetSet

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.table.kind, self.table.kind)

    @property
    def label(self) -> str:
        return self.target_set.project or self.target_set.unit or self.table.title

    @property
    def names(self) -> tuple[str, ...]:
        ts = self.target_set
        return (self.kind_label, _s(ts.unit), _s(ts.project))


@dataclass(frozen=True, slots=True)
class IndicatorEntry:
    """One indicator with its target set and its stable key."""

    key: str
    set_entry: SetEntry
    indicator: Indicator

    @property
    def names(self) -> tuple[str, ...]:
        i = self.indicator
        return (*self.set_entry.names, _s(i.level1), _s(i.level2), _s(i.name))

    @property
    def subject(self) -> str:
        return f"{self.set_entry.label}/{self.indicator.name}"


def _s(value: object) -> str:
    return "" if value is None else "".join(str(value).split())


def _unique(key: str, seen: dict[str, int]) -> str:
    seen[key] = seen.get(key, 0) + 1
    return key if seen[key] == 1 else f"{key}#{seen[key]}"


def set_entries(doc: Document) -> list[SetEntry]:
    """Every target set of every target table, in document order."""
    seen: dict[str, int] = {}
    out = []
    for table in doc.tables:
        if table.kind not in TARGET_KINDS or not isinstance(table, TargetTable):
            continue
        for ts in table.target_sets:
            key = _unique(f"{ts.location}|{ts.project or ts.unit or ''}", seen)
            out.append(SetEntry(key, table, ts))
    return out


def indicator_entries(doc: Document, sets: list[SetEntry] | None = None) -> Iterator[IndicatorEntry]:
    seen: dict[str, int] = {}
    for entry in set_entries(doc) if sets is None else sets:
        for indicator in entry.target_set.indicators:
            yield IndicatorEntry(_unique(f"{indicator.location}|{indicator.name}", seen), entry, indicator)


def initial_budget(ts: TargetSet) -> Decimal | None:
    """年初预算数 in 万元: the target set's 资金总额."""
    total = ts.amounts.total
    return None if total is None else to_wan(total, ts.amounts.unit)


def value_type(indicator: Indicator) -> str:
    t = indicator.target
    if t.op_text:
        return t.op_text
    if t.op:
        return t.op
    return "定性" if t.kind in (ValueKind.QUALITATIVE, ValueKind.DATE) else ""


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def write_template(doc: Document, path: str | Path) -> tuple[int, int]:
    """Write the template; returns (indicator rows, budget rows)."""
    import xlsxwriter

    sets = set_entries(doc)
    entries = list(indicator_entries(doc, sets))
    book = xlsxwriter.Workbook(str(path))
    fmt = _formats(book)
    help_sheet = book.add_worksheet(HELP_SHEET)
    help_sheet.set_column(0, 0, 120, fmt["wrap"])
    for n, line in enumerate(HELP.splitlines()):
        help_sheet.write(n, 0, line, fmt["help_title"] if n == 0 else fmt["wrap"])

    sheet = book.add_worksheet(ACTUALS_SHEET)
    title = f"{doc.org or ''}{doc.year or ''}年度绩效自评实际完成值填报表（只填浅黄色列；最后一列“匹配键”已隐藏，请勿修改）"
    _header(sheet, fmt, INDICATOR_COLUMNS, title)
    sheet.write_comment(
        1,
        len(INDICATOR_COLUMNS) - 1,
        "匹配键：指标在目标表中的位置（文件:行）和名称，用于把本行对回目标表，请勿修改。",
    )
    for n, e in enumerate(entries, start=1):
        ts, i = e.set_entry.target_set, e.indicator
        values = (
            n,
            e.set_entry.kind_label,
            ts.unit_code,
            ts.unit,
            ts.project,
            i.level1,
            i.level2,
            i.name,
            value_type(i),
            i.target.text,
            i.target.unit_text or i.target.unit,
            _number(i.weight),
            i.scoring,
            None,
            None,
            e.key,
        )
        _row(sheet, fmt, n + 1, INDICATOR_COLUMNS, values)

    budget = book.add_worksheet(BUDGET_SHEET)
    _header(budget, fmt, BUDGET_COLUMNS, "预算执行情况（万元；全年预算数已预填为年初预算数，有调整的请改写）")
    for n, s in enumerate(sets, start=1):
        ts = s.target_set
        total = _number(initial_budget(ts))
        values = (n, s.kind_label, ts.unit_code, ts.unit, ts.project, total, total)
        values += (None,) * (len(BUDGET_COLUMNS) - len(values) - 1) + (s.key,)
        _row(budget, fmt, n + 1, BUDGET_COLUMNS, values, fill_initial=total is None)
    sheet.activate()
    book.close()
    return len(entries), len(sets)


def _formats(book) -> dict:
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter", "text_wrap": True}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 12, "border": 0}),
        "head": book.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9E1F2"}),
        "head_fill": book.add_format({**base, "bold": True, "align": "center", "bg_color": "#FFE699"}),
        "fixed": book.add_format({**base, "bg_color": "#F2F2F2", "locked": True}),
        "fill": book.add_format({**base, "bg_color": "#FFF2CC", "locked": False}),
        "wrap": book.add_format({"font_name": "宋体", "font_size": 11, "text_wrap": True, "valign": "top"}),
        "help_title": book.add_format({"font_name": "宋体", "font_size": 14, "bold": True}),
    }


def _header(sheet, fmt: dict, columns: tuple, title: str) -> None:
    sheet.merge_range(0, 0, 0, len(columns) - 2, title, fmt["title"])
    sheet.set_row(0, 24)
    sheet.set_row(1, 30)
    for c, (name, width, fill) in enumerate(columns):
        sheet.set_column(c, c, width, None, {"hidden": name == KEY})
        sheet.write(1, c, name, fmt["head_fill" if fill else "head"])
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, 1, len(columns) - 1)
    sheet.protect(
        "",
        {
            "format_columns": True,
            "format_rows": True,
            "autofilter": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )


def _row(sheet, fmt: dict, r: int, columns: tuple, values: tuple, *, fill_initial: bool = False) -> None:
    for c, ((name, _, fill), value) in enumerate(zip(columns, values)):
        style = fmt["fill"] if fill or (fill_initial and name == INITIAL) else fmt["fixed"]
        if value is None:
            sheet.write_blank(r, c, None, style)
        elif isinstance(value, (int, float)):
            sheet.write_number(r, c, value, style)
        else:
            sheet.write_string(r, c, str(value), style)

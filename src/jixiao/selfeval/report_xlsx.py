"""The 自评表 workbook: 汇总, one sheet per target set in the 四川 standard layout, 评分说明, 问题清单.

A target set's sheet (columns A–J, 宋体, borders, A4 landscape, title row repeated on every page):
title · 项目名称/主管部门/实施单位 · 项目年度目标 | 年度目标完成情况 · 预算执行情况（10分） block
(资金来源 | 年初预算数 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因; rows 总额 and
其中：财政拨款/上年结转/其他资金) · 绩效指标（90分） block (一级/二级/三级指标 | 指标性质 | 指标值 |
度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析) · 合计 · 评价结论 (generated)/存在问题/改进措施
(left to the department) · 项目负责人/财务负责人. Amounts in 万元; numbers are written as numbers.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from jixiao.findings import Finding
from jixiao.scoring.numbers import num
from jixiao.selfeval.scorecard import IndicatorScore
from jixiao.selfeval.scorecard import Scorecard
from jixiao.selfeval.scorecard import SetScore
from jixiao.selfeval.template import SPLITS
from jixiao.selfeval.template import value_type

TITLES = {
    "project_targets": "项目支出",
    "department_targets": "部门整体支出",
    "special_fund_targets": "专项资金",
}
DEFAULT_METHODS = {
    "default_forward": "默认方法（正向指标）",
    "default_equal": "默认方法（等于型指标）",
    "default_reverse": "默认方法（反向指标）",
    "default_qualitative": "默认方法（定性指标）",
    "execution_rate": "预算执行率",
}
INDICATOR_HEADERS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "度量单位",
    "完成值",
    "权重",
    "得分",
    "未完成原因分析",
)
BUDGET_HEADERS = ("年初预算数", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分")
WIDTHS = (11, 13, 30, 8, 14, 8, 14, 8, 8, 30)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def method_name(item: IndicatorScore) -> str:
    score = item.score
    if score is None:
        return "未计分"
    if score.rule is not None:
        return f"{score.family}（{score.rule.description}）"
    return DEFAULT_METHODS.get(score.family, score.family)


def _height(texts, widths, line: float = 13.5) -> float:
    """Row height that shows every wrapped text in full (a CJK character is two columns wide)."""
    lines = 1
    for text, width in zip(texts, widths):
        if not text:
            continue
        columns = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))
        lines = max(lines, -(-columns // max(1, int(width) - 1)))
    return max(15.0, line * lines + 3)


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def conclusion(s: SetScore) -> str:
    """评价结论: 自评得分 X 分，等级 Y, and how many indicators were not fully achieved."""
    n, missed = len(s.indicators), s.not_achieved
    review = sum(1 for i in s.indicators if i.score is None or i.score.needs_review)
    text = f"自评得分 {s.total} 分，等级“{s.grade}”。{n} 项绩效指标中 {missed} 项未完全达成"
    if review:
        text += f"（其中 {review} 项缺少数据或无法对应评分标准，需人工评分）"
    rate = s.execution.rate
    if rate is not None:
        text += f"；预算执行率 {(rate * 100).quantize(Decimal('0.01'))}%"
    return text + "。"


def write_report(card: Scorecard, path: str | Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path), {"default_format_properties": {"font_name": "宋体", "font_size": 10}}
    )
    fmt = _formats(book)
    _summary(book, fmt, card)
    used: set[str] = {"汇总", "评分说明", "问题清单"}
    for n, s in enumerate(card.sets, start=1):
        _set_sheet(book.add_worksheet(_sheet_name(n, s.entry.label, used)), fmt, s, card)
    _explanations(book, fmt, card)
    _findings(book, fmt, card.findings)
    book.close()


def _sheet_name(n: int, label: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("", f"{n:02d} {label}").strip("'")[:31]
    name, k = base, 2
    while name in used:
        name, k = f"{base[:28]}~{k}", k + 1
    used.add(name)
    return name


def _formats(book) -> dict:
    cell = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter", "text_wrap": True}
    center = {**cell, "align": "center"}
    return {
        "title": book.add_format(
            {"font_name": "宋体", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}
        ),
        "head": book.add_format({**center, "bold": True, "bg_color": "#D9E1F2"}),
        "label": book.add_format({**center, "bold": True}),
        "text": book.add_format(cell),
        "center": book.add_format(center),
        "num": book.add_format({**center, "num_format": "0.00"}),
        "weight": book.add_format({**center, "num_format": "General"}),
        "money": book.add_format({**cell, "align": "right", "num_format": "#,##0.00"}),
        "pct": book.add_format({**center, "num_format": "0.00%"}),
        "total": book.add_format({**center, "bold": True, "num_format": "0.00"}),
        "plain": book.add_format({"font_name": "宋体", "font_size": 10, "valign": "vcenter"}),
    }


def _page(sheet, repeat: int, last_col: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.repeat_rows(0, repeat)
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, sheet.dim_rowmax or 0, last_col)


def _set_sheet(sheet, fmt: dict, s: SetScore, card: Scorecard) -> None:
    e, ts = s.entry, s.entry.target_set
    kind = TITLES.get(e.table.kind, "项目支出")
    year = e.table.year
    for c, width in enumerate(WIDTHS):
        sheet.set_column(c, c, width)
    title = f"{kind}绩效自评表（{year}年度）" if year else f"{kind}绩效自评表"
    sheet.merge_range(0, 0, 0, 9, title, fmt["title"])
    sheet.set_row(0, 30)
    name_label = "项目名称" if e.table.kind != "department_targets" else "单位名称"
    rows = ((name_label, e.label), ("主管部门", e.table.org or ""), ("实施单位", ts.unit or ""))
    for r, (label, value) in enumerate(rows, start=1):
        sheet.write(r, 0, label, fmt["label"])
        sheet.merge_range(r, 1, r, 9, value, fmt["text"])
    sheet.merge_range(4, 0, 4, 4, "项目年度目标", fmt["head"])
    sheet.merge_range(4, 5, 4, 9, "年度目标完成情况", fmt["head"])
    sheet.merge_range(5, 0, 5, 4, ts.goal or "", fmt["text"])
    sheet.merge_range(5, 5, 5, 9, "", fmt["text"])
    sheet.set_row(5, max(45.0, _height((ts.goal,), (sum(WIDTHS[:5]),))))
    r = _budget_block(sheet, fmt, s, card, 6)
    r = _indicator_block(sheet, fmt, s, r)
    sheet.merge_range(r, 0, r, 6, "合计", fmt["label"])
    sheet.write_number(r, 7, _f(s.weight_total + card.profile.execution_weight), fmt["weight"])
    sheet.write_number(r, 8, _f(s.total), fmt["total"])
    sheet.write(r, 9, f"等级：{s.grade}", fmt["label"])
    r += 1
    for label, value in (("评价结论", conclusion(s)), ("存在问题", ""), ("改进措施", "")):
        sheet.write(r, 0, label, fmt["label"])
        sheet.merge_range(r, 1, r, 9, value, fmt["text"])
        sheet.set_row(r, 45)
        r += 1
    sheet.merge_range(r, 0, r, 4, "项目负责人：", fmt["plain"])
    sheet.merge_range(r, 5, r, 9, "财务负责人：", fmt["plain"])
    _page(sheet, 0, 9)


def _budget_block(sheet, fmt: dict, s: SetScore, card: Scorecard, r: int) -> int:
    x = s.execution
    weight = card.profile.execution_weight
    sheet.merge_range(r, 0, r, 9, f"预算执行情况（{num(weight)}分）", fmt["head"])
    sheet.merge_range(r + 1, 0, r + 1, 1, "资金来源（万元）", fmt["head"])
    for c, head in enumerate(BUDGET_HEADERS, start=2):
        sheet.write(r + 1, c, head, fmt["head"])
    sheet.merge_range(r + 1, 8, r + 1, 9, "原因", fmt["head"])
    sheet.set_row(r + 1, _height(("资金来源（万元）", None, *BUDGET_HEADERS), WIDTHS))
    top = r + 2
    sheet.merge_range(top, 0, top, 1, "总额", fmt["label"])
    _amounts(sheet, fmt, top, x.initial, x.budget, x.spent)
    sheet.write_number(top, 6, _f(weight), fmt["weight"])
    sheet.write_number(top, 7, _f(x.score.score), fmt["num"])
    splits = {name: (budget, spent) for name, budget, spent in x.splits}
    for k, name in enumerate(SPLITS, start=1):
        sheet.merge_range(top + k, 0, top + k, 1, f"其中：{name}" if k == 1 else name, fmt["label"])
        budget, spent = splits.get(name, (None, None))
        _amounts(sheet, fmt, top + k, None, budget, spent)
        sheet.write(top + k, 6, "/", fmt["center"])
        sheet.write(top + k, 7, "/", fmt["center"])
    sheet.merge_range(top, 8, top + len(SPLITS), 9, x.reason or "", fmt["text"])
    return top + len(SPLITS) + 1


def _amounts(sheet, fmt: dict, r: int, initial, budget, spent) -> None:
    for c, value in ((2, initial), (3, budget), (4, spent)):
        if value is None:
            sheet.write_blank(r, c, None, fmt["money"])
        else:
            sheet.write_number(r, c, _f(value), fmt["money"])
    if budget and spent is not None and budget > 0:
        sheet.write_number(r, 5, float(spent / budget), fmt["pct"])
    else:
        sheet.write_blank(r, 5, None, fmt["pct"])


def _indicator_block(sheet, fmt: dict, s: SetScore, r: int) -> int:
    sheet.merge_range(r, 0, r, 9, f"绩效指标（{num(s.weight_total)}分）", fmt["head"])
    for c, head in enumerate(INDICATOR_HEADERS):
        sheet.write(r + 1, c, head, fmt["head"])
    sheet.set_row(r + 1, _height(INDICATOR_HEADERS, WIDTHS))
    r += 2
    for item in s.indicators:
        i = item.entry.indicator
        texts = (
            i.level1,
            i.level2,
            i.name,
            value_type(i),
            i.target.text,
            i.target.unit_text or i.target.unit,
        )
        for c, value in enumerate(texts):
            sheet.write(r, c, value or "", fmt["center" if c in (3, 5) else "text"])
        sheet.set_row(r, _height((*texts, item.actual, None, None, None, item.reason), WIDTHS))
        actual = item.actual
        if isinstance(actual, Decimal):
            sheet.write_number(r, 6, float(actual), fmt["weight"])
        else:
            sheet.write(r, 6, actual or "", fmt["center"])
        for c, value, style in ((7, item.weight, "weight"), (8, item.points, "num")):
            if value is None:
                sheet.write_blank(r, c, None, fmt[style])
            else:
                sheet.write_number(r, c, _f(value), fmt[style])
        sheet.write(r, 9, item.reason or "", fmt["text"])
        r += 1
    return r


def _table(book, fmt: dict, name: str, title: str, headers: tuple, widths: tuple, rows: list[tuple]) -> None:
    sheet = book.add_worksheet(name)
    sheet.merge_range(0, 0, 0, len(headers) - 1, title, fmt["title"])
    for c, (head, width) in enumerate(zip(headers, widths)):
        sheet.set_column(c, c, width)
        sheet.write(1, c, head, fmt["head"])
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if isinstance(value, Decimal):
                sheet.write_number(r, c, float(value), fmt["num"])
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value, fmt["weight"])
            else:
                sheet.write(r, c, "" if value is None else str(value), fmt["text"])
    sheet.freeze_panes(2, 0)
    _page(sheet, 1, len(headers) - 1)


def _summary(book, fmt: dict, card: Scorecard) -> None:
    headers = ("序号", "表格", "单位编码", "单位", "项目", "指标分值", "指标得分", "预算执行率", "执行率得分")
    headers += ("总分", "等级", "未完全达成指标数", "需人工评分数", "分值口径")
    rules = {
        "printed": "按目标表",
        "scaled": "100→90 折算",
        "default": "默认权重",
        "incomplete": "部分缺分值",
    }
    rows = []
    for n, s in enumerate(card.sets, start=1):
        ts, rate = s.entry.target_set, s.execution.rate
        review = sum(1 for i in s.indicators if i.score is None or i.score.needs_review)
        rows.append(
            (n, s.entry.kind_label, ts.unit_code, ts.unit, ts.project, s.weight_total, s.indicator_points)
            + (
                None if rate is None else f"{(rate * 100).quantize(Decimal('0.01'))}%",
                s.execution.score.score,
            )
            + (s.total, s.grade, s.not_achieved, review, rules.get(s.weight_rule, s.weight_rule))
        )
    widths = (6, 9, 9, 18, 26, 9, 9, 10, 10, 9, 6, 10, 10, 12)
    _table(book, fmt, "汇总", "绩效自评汇总", headers, widths, rows)


def _explanations(book, fmt: dict, card: Scorecard) -> None:
    headers = (
        "序号",
        "项目/单位",
        "三级指标",
        "评（扣）分标准",
        "评分方法",
        "分值",
        "实际完成值",
        "得分",
        "计算过程",
    )
    rows: list[tuple] = []
    for s in card.sets:
        for item in s.indicators:
            i = item.entry.indicator
            rows.append(
                (len(rows) + 1, s.entry.label, i.name, i.scoring, method_name(item), item.weight)
                + (None if item.actual is None else str(item.actual), item.points, item.explanation)
            )
        x = s.execution
        rows.append(
            (len(rows) + 1, s.entry.label, "预算执行率", None, "预算执行率", card.profile.execution_weight)
            + (None if x.spent is None else num(x.spent), x.score.score, x.score.explanation)
        )
    widths = (6, 24, 30, 40, 22, 6, 12, 8, 60)
    _table(book, fmt, "评分说明", "评分说明（每项指标的计算过程）", headers, widths, rows)


def _findings(book, fmt: dict, findings: tuple[Finding, ...]) -> None:
    rows = [
        (n, str(f.location or ""), f.severity.label, f.code, f.message)
        for n, f in enumerate(findings, start=1)
    ]
    _table(
        book,
        fmt,
        "问题清单",
        "自评检查发现的问题",
        ("序号", "位置", "级别", "代码", "内容"),
        (6, 36, 6, 28, 90),
        rows,
    )

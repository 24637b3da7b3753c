"""The 自评表 as blocks: one description, written as XLSX, DOCX and PDF by `write.formats.write`.

Same content as the workbook `selfeval.report_xlsx` wrote (and which `parse.selfeval_table` reads
back): a part 汇总 (one row per target set), one part per target set in the 四川 standard layout,
评分说明 (every indicator's working) and 问题清单 (the findings). A target set's part:

title · 项目名称/主管部门/实施单位 · 项目年度目标 | 年度目标完成情况 · 预算执行情况（10分） block (资金来源 |
年初预算数 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因; rows 总额 and 其中：财政拨款 /
上年结转 / 其他资金) · 绩效指标（90分） block (一级/二级/三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 |
权重 | 得分 | 未完成原因分析) · 合计 · 评价结论 (generated) / 存在问题 / 改进措施 (left to the
department) · 项目负责人 / 财务负责人. Amounts in 万元, kept as numbers (`Cell.value`).

`build_selfeval_table(card, layout=None) -> OutputDocument`; the layout (hunan-2023/selfeval_table)
gives the page, fonts and column widths; without one the defaults below are used.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.findings import Finding
from jixiao.scoring.numbers import num
from jixiao.selfeval.scorecard import IndicatorScore
from jixiao.selfeval.scorecard import Scorecard
from jixiao.selfeval.scorecard import SetScore
from jixiao.selfeval.template import SPLITS
from jixiao.selfeval.template import value_type
from jixiao.write.layout import Cell
from jixiao.write.layout import Column
from jixiao.write.layout import Font
from jixiao.write.layout import Fonts
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Page
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table

KIND = "selfeval_table"
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
SUMMARY_HEADERS = ("序号", "表格", "单位编码", "单位", "项目", "指标分值", "指标得分", "预算执行率", "执行率得分",
                   "总分", "等级", "未完全达成指标数", "需人工评分数", "分值口径")
EXPLANATION_HEADERS = ("序号", "项目/单位", "三级指标", "评（扣）分标准", "评分方法", "分值", "实际完成值", "得分",
                       "计算过程")
FINDING_HEADERS = ("序号", "位置", "级别", "代码", "内容")
# column widths in characters (a CJK character counts two)
WIDTHS = (11, 13, 30, 14, 14, 12, 13, 8, 8, 30)  # 调整后预算数 and 预算执行率 share columns 4 and 6
EXPLANATION_CAPS = (8, 24, 30, 40, 24, 8, 14, 10, 60)  # the widest a column of the list grows
FINDING_CAPS = (8, 36, 8, 30, 90)
SUMMARY_CAPS = (8, 12, 12, 30, 34, 12, 12, 14, 12, 10, 8, 20, 16, 14)  # 未完全达成指标数 on one line
WEIGHT_RULES = {"printed": "按目标表", "scaled": "100→90 折算", "default": "默认权重", "incomplete": "部分缺分值"}
MONEY, SCORE, PERCENT, GENERAL = "#,##0.00", "0.00", "0.00%", "General"
LANDSCAPE = Page(orientation="landscape", margins_mm=(Decimal(13), Decimal(10), Decimal(13), Decimal(10)))
FORM_PAGE = Page(orientation="landscape", margins_mm=LANDSCAPE.margins_mm, page_numbers=False)  # a form has none
TABLE_FONTS = Fonts(title=Font("宋体", Decimal(16), bold=True), table_header=Font("宋体", Decimal(10), bold=True),
                    table_body=Font("宋体", Decimal(10)))


def method_name(item: IndicatorScore) -> str:
    score = item.score
    if score is None:
        return "未计分"
    if score.rule is not None:
        return f"{score.family}（{score.rule.description}）"
    return DEFAULT_METHODS.get(score.family, score.family)


def conclusion(s: SetScore) -> str:
    """评价结论: 自评得分 X 分，等级 Y, and how many indicators were not fully achieved."""
    n, missed = len(s.indicators), s.not_achieved
    review = needs_review(s)
    text = f"自评得分 {s.total} 分，等级“{s.grade}”。{n} 项绩效指标中 {missed} 项未完全达成"
    if review:
        text += f"（其中 {review} 项缺少数据或无法对应评分标准，需人工评分）"
    if s.execution.rate is not None:
        text += f"；预算执行率 {rate_text(s.execution.rate)}"
    return text + "。"


def needs_review(s: SetScore) -> int:
    return sum(1 for i in s.indicators if i.score is None or i.score.needs_review)


def rate_text(rate: Decimal) -> str:
    """A fraction as the form prints it: 0.95 → 95.00%."""
    return f"{(rate * 100).quantize(Decimal('0.01'))}%"


def set_title(s: SetScore) -> str:
    kind, year = TITLES.get(s.entry.table.kind, "项目支出"), s.entry.table.year
    return f"{kind}绩效自评表（{year}年度）" if year else f"{kind}绩效自评表"


# ---------------------------------------------------------------- cells


def text(value: object, role: str = "text", colspan: int = 1, rowspan: int = 1, align=None) -> Cell:
    return Cell("" if value is None else str(value), role=role, colspan=colspan, rowspan=rowspan, align=align)  # type: ignore[arg-type]


def head(value: str, colspan: int = 1) -> Cell:
    return Cell(value, role="header", colspan=colspan)


def label(value: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(value, role="label", colspan=colspan, rowspan=rowspan)


def number(value: Decimal | int | None, fmt: str = SCORE, role: str = "number") -> Cell:
    if value is None:
        return Cell("", role=role, number_format=fmt)  # type: ignore[arg-type]
    if fmt == MONEY:
        shown = f"{Decimal(value).quantize(Decimal('0.01')):,}"
    elif fmt == SCORE:
        shown = f"{Decimal(value).quantize(Decimal('0.01'))}"
    else:
        shown = num(Decimal(value))
    align = "right" if fmt == MONEY else "center"
    return Cell(shown, value=value, role=role, number_format=fmt, align=align)  # type: ignore[arg-type]


def percent(rate: Decimal | None) -> Cell:
    if rate is None:
        return Cell("", role="percent", number_format=PERCENT, align="center")
    return Cell(rate_text(rate), value=rate, role="percent", number_format=PERCENT, align="center")


def _row(*cells: Cell) -> tuple[Cell | None, ...]:
    """A row from its starting cells, COVERED (None) after each cell for its colspan."""
    out: list[Cell | None] = []
    for c in cells:
        out.append(c)
        out.extend([None] * (c.colspan - 1))
    return tuple(out)


def _covered(row: tuple[Cell | None, ...], columns: range) -> tuple[Cell | None, ...]:
    """``row`` with the slots in ``columns`` covered by a rowspan from above."""
    return tuple(None if c in columns else cell for c, cell in enumerate(row))


# ---------------------------------------------------------------- a target set


def set_part(s: SetScore, card: Scorecard, name: str, widths=WIDTHS) -> Part:
    e, ts = s.entry, s.entry.target_set
    name_label = "项目名称" if e.table.kind != "department_targets" else "单位名称"
    rows: list[tuple[Cell | None, ...]] = [
        _row(label(name_label), text(e.label, colspan=9)),
        _row(label("主管部门"), text(e.table.org, colspan=9)),
        _row(label("实施单位"), text(ts.unit, colspan=9)),
        _row(head("项目年度目标", 5), head("年度目标完成情况", 5)),
        _row(text(ts.goal, colspan=5), text("", colspan=5)),
    ]
    rows += budget_rows(s, card)
    rows += indicator_rows(s)
    rows.append(_row(label("合计", 7), number(s.weight_total + card.profile.execution_weight, GENERAL),
                     number(s.total, SCORE, role="total"), label(f"等级：{s.grade}")))
    for what, value in (("评价结论", conclusion(s)), ("存在问题", ""), ("改进措施", "")):
        rows.append(_row(label(what), text(value, colspan=9)))
    rows.append(_row(text("项目负责人：", colspan=5), text("财务负责人：", colspan=5)))
    table = Table(columns=tuple(Column(Decimal(w)) for w in widths), rows=tuple(rows), name=e.label)
    return Part(name, (Paragraph(set_title(s), role="title"), table), page=FORM_PAGE, fonts=TABLE_FONTS)


def budget_rows(s: SetScore, card: Scorecard) -> list[tuple[Cell | None, ...]]:
    x, weight = s.execution, card.profile.execution_weight
    rows = [
        _row(head(f"预算执行情况（{num(weight)}分）", 10)),
        _row(head("资金来源（万元）", 2), *(head(h) for h in BUDGET_HEADERS), head("原因", 2)),
    ]
    reason = Cell(x.reason or "", role="text", colspan=2, rowspan=1 + len(SPLITS))
    rows.append(_row(label("总额", 2), *amounts(x.initial, x.budget, x.spent), number(weight, GENERAL),
                     number(x.score.score), reason))
    splits = {name: (budget, spent) for name, budget, spent in x.splits}
    for k, name in enumerate(SPLITS, start=1):
        budget, spent = splits.get(name, (None, None))
        row = _row(label(f"其中：{name}" if k == 1 else name, 2), *amounts(None, budget, spent),
                   text("/", align="center"), text("/", align="center"), text(""), text(""))
        rows.append(_covered(row, range(8, 10)))
    return rows


def amounts(initial, budget, spent) -> tuple[Cell, ...]:
    rate = spent / budget if budget and spent is not None and budget > 0 else None
    return number(initial, MONEY), number(budget, MONEY), number(spent, MONEY), percent(rate)


def indicator_rows(s: SetScore) -> list[tuple[Cell | None, ...]]:
    rows = [_row(head(f"绩效指标（{num(s.weight_total)}分）", 10)), _row(*(head(h) for h in INDICATOR_HEADERS))]
    for item in s.indicators:
        i = item.entry.indicator
        actual = item.actual
        shown = number(actual, GENERAL) if isinstance(actual, Decimal) else text(actual, align="center")
        rows.append(_row(
            text(i.level1), text(i.level2), text(i.name), text(value_type(i), align="center"), text(i.target.text),
            text(i.target.unit_text or i.target.unit, align="center"), shown, number(item.weight, GENERAL),
            number(item.points), text(item.reason),
        ))
    return rows


# ---------------------------------------------------------------- lists


def display_width(value: str) -> int:
    """Columns a text takes in a spreadsheet (a CJK character counts two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in value)


def list_part(name: str, title: str, headers: tuple[str, ...], rows: list[tuple], caps: tuple[int, ...] | None = None) -> Part:
    """A titled list with one header row repeated on every page. Each column is as wide as its longest
    text (header included) plus the cell margins, up to its cap (``caps``, default 40); longer texts wrap."""
    body = [tuple(list_cell(v) for v in row) for row in rows]
    caps = caps or (40,) * len(headers)
    widths = tuple(
        min(cap, max(6, *(display_width(c.text) + 4 for c in (head(h), *(r[n] for r in body)))))
        for n, (h, cap) in enumerate(zip(headers, caps))
    )
    table = Table(columns=tuple(Column(Decimal(w)) for w in widths), rows=(tuple(head(h) for h in headers), *body),
                  header_rows=1, name=title)
    return Part(name, (Paragraph(title, role="title"), table), page=LANDSCAPE, fonts=TABLE_FONTS)


def list_cell(value) -> Cell:
    if isinstance(value, Cell):
        return value
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, int):
        return number(value, GENERAL)
    return text(value)


def summary_part(card: Scorecard) -> Part:
    rows = []
    for n, s in enumerate(card.sets, start=1):
        ts = s.entry.target_set
        rows.append((n, s.entry.kind_label, ts.unit_code, ts.unit, ts.project, number(s.weight_total, GENERAL),
                     s.indicator_points, None if s.execution.rate is None else rate_text(s.execution.rate),
                     s.execution.score.score, s.total, s.grade, s.not_achieved, needs_review(s),
                     WEIGHT_RULES.get(s.weight_rule, s.weight_rule)))
    return list_part("汇总", "绩效自评汇总", SUMMARY_HEADERS, rows, SUMMARY_CAPS)


def explanations_part(card: Scorecard) -> Part:
    rows: list[tuple] = []
    for s in card.sets:
        for item in s.indicators:
            i = item.entry.indicator
            rows.append((len(rows) + 1, s.entry.label, i.name, i.scoring, method_name(item),
                         number(item.weight, GENERAL), None if item.actual is None else str(item.actual), item.points,
                         item.explanation))
        x = s.execution
        rows.append((len(rows) + 1, s.entry.label, "预算执行率", None, "预算执行率",
                     number(card.profile.execution_weight, GENERAL), None if x.spent is None else num(x.spent),
                     x.score.score, x.score.explanation))
    return list_part("评分说明", "评分说明（每项指标的计算过程）", EXPLANATION_HEADERS, rows, EXPLANATION_CAPS)


def findings_part(findings: tuple[Finding, ...]) -> Part:
    rows = [(n, str(f.location or ""), f.severity.label, f.code, f.message) for n, f in enumerate(findings, start=1)]
    return list_part("问题清单", "自评检查发现的问题", FINDING_HEADERS, rows, FINDING_CAPS)


def sheet_name(n: int, label_: str, used: set[str]) -> str:
    """``NN label`` within Excel's 31 characters, without []:*?/\\, unique."""
    base = "".join(ch for ch in f"{n:02d} {label_}" if ch not in "[]:*?/\\").strip("'")[:31]
    name, k = base, 2
    while name in used:
        name, k = f"{base[:28]}~{k}", k + 1
    used.add(name)
    return name


def build_selfeval_table(card: Scorecard, layout=None) -> OutputDocument:
    """The 自评表 of a scorecard: 汇总, one part per target set, 评分说明, 问题清单."""
    used = {"汇总", "评分说明", "问题清单"}
    sets = tuple(set_part(s, card, sheet_name(n, s.entry.label, used)) for n, s in enumerate(card.sets, start=1))
    parts = (summary_part(card), *sets, explanations_part(card), findings_part(card.findings))
    title = set_title(card.sets[0]) if len(card.sets) == 1 else "绩效自评表"
    return OutputDocument(title=title, parts=parts, kind=KIND, layout_id="hunan-2023/selfeval_table")

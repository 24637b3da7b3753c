"""The 自评表 as blocks: one description, written as XLSX, DOCX and PDF by `write.formats.write`.

Same content as the workbook `selfeval.report_xlsx` wrote before it (and which `parse.selfeval_table`
reads back): a part 汇总 (one row per target set), one part per target set in the 四川 standard layout,
评分说明 (every indicator's working) and 问题清单 (the findings). A target set's part:

title · 项目名称/主管部门/实施单位 · 项目年度目标 | 年度目标完成情况 · 预算执行情况（10分） block (资金来源 |
年初预算数 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因; rows 总额 and 其中：财政拨款 /
上年结转 / 其他资金) · 绩效指标（90分） block (一级/二级/三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 |
权重 | 得分 | 未完成原因分析) · 合计 · 评价结论 (generated) / 存在问题 / 改进措施 (left to the
department) · 项目负责人 / 财务负责人. Amounts in 万元, kept as numbers (`Cell.value`).

`build_selfeval_table(card, layout=None) -> OutputDocument`; the layout (`write.selfeval_layout`,
data/layouts/hunan-2023/selfeval_table.toml by default) gives the pages, fonts, labels, headers and
column widths.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import pct
from jixiao.selfeval.scorecard import IndicatorScore
from jixiao.selfeval.scorecard import Scorecard
from jixiao.selfeval.scorecard import SetScore
from jixiao.selfeval.template import SPLITS
from jixiao.selfeval.template import value_type
from jixiao.write.layout import Cell
from jixiao.write.layout import Column
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table
from jixiao.write.selfeval_layout import TableLayout
from jixiao.write.selfeval_layout import load_table_layout

KIND = "selfeval_table"
DEFAULT_METHODS = {
    "default_forward": "默认方法（正向指标）",
    "default_equal": "默认方法（等于型指标）",
    "default_reverse": "默认方法（反向指标）",
    "default_qualitative": "默认方法（定性指标）",
    "execution_rate": "预算执行率",
}
SUMMARY_HEADERS = ("序号", "表格", "单位编码", "单位", "项目", "指标分值", "指标得分", "预算执行率", "执行率得分",
                   "总分", "等级", "未完全达成指标数", "需人工评分数", "分值口径")
EXPLANATION_HEADERS = ("序号", "项目/单位", "三级指标", "评（扣）分标准", "评分方法", "分值", "实际完成值", "得分",
                       "计算过程")
FINDING_HEADERS = ("序号", "位置", "级别", "代码", "内容")
WEIGHT_RULES = {"printed": "按目标表", "scaled": "100→90 折算", "default": "默认权重", "incomplete": "部分缺分值"}
MONEY, SCORE, PERCENT, GENERAL = "#,##0.00", "0.00", "0.00%", "General"


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


def plain(value: str | None) -> str:
    """A stored text as print: HTML tags some exports leave in a cell (``<p>…</p>``, seed 000) removed,
    entities decoded, runs of blanks made one."""
    if not value:
        return ""
    text = html.unescape(re.sub(r"<br\s*/?>|</p>", "\n", value, flags=re.I))
    text = re.sub(r"<[^>]{1,200}>", "", text)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def needs_review(s: SetScore) -> int:
    return sum(1 for i in s.indicators if i.score is None or i.score.needs_review)


def rate_text(rate: Decimal) -> str:
    """A fraction as the form prints it, two decimals rounded half up: 0.95 → 95.00%."""
    return pct(rate, 2)


def set_title(s: SetScore, layout: TableLayout) -> str:
    kind, year = layout.kinds.get(s.entry.table.kind, "项目支出"), s.entry.table.year
    return (layout.title if year else layout.title_without_year).format(kind=kind, year=year)


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


def set_part(s: SetScore, card: Scorecard, name: str, layout: TableLayout) -> Part:
    """One form. When an indicator of the set has a 评（扣）分标准, the form prints it in a column after
    得分 (the reader takes it, so the check scores by it as jixiao did); else the 四川 form's ten."""
    e, ts, f = s.entry, s.entry.target_set, layout.form
    scoring = any(i.entry.indicator.scoring for i in s.indicators)
    n = 10 + scoring
    name_label = f["name_label"] if e.table.kind != "department_targets" else f["department_name_label"]
    department, implementer = f["head_labels"]
    rows: list[tuple[Cell | None, ...]] = [
        _row(label(name_label), text(e.label, colspan=n - 1)),
        _row(label(department), text(e.table.org, colspan=n - 1)),
        _row(label(implementer), text(ts.unit, colspan=n - 1)),
        _row(head(f["goal"], 5), head(f["goal_completion"], n - 5)),
        _row(text(plain(ts.goal), colspan=5), text(f.get("goal_completion_note", ""), colspan=n - 5)),
    ]
    rows += budget_rows(s, card, f, n)
    rows += indicator_rows(s, f, scoring)
    rows.append(_row(label(f["total"], 7), number(s.weight_total + card.profile.execution_weight, GENERAL),
                     number(s.total, SCORE, role="total"), label(f["grade"].format(grade=s.grade), n - 9)))
    for what, value in ((f["conclusion"], conclusion(s)), *((label_, note) for label_, note in f["left_to_fill"])):
        rows.append(_row(label(what), text(value, colspan=n - 1)))
    left, right = f["signatures"]
    rows.append(_row(text(left, colspan=5), text(right, colspan=n - 5)))
    widths = layout.widths[:9] + ((Decimal(str(f["scoring_width"])),) if scoring else ()) + layout.widths[9:]
    table = Table(columns=tuple(Column(w) for w in widths), rows=tuple(rows), name=e.label)
    return Part(name, (Paragraph(set_title(s, layout), role="title"), table), page=layout.form_page,
                fonts=layout.fonts)


def budget_rows(s: SetScore, card: Scorecard, f: dict, n: int = 10) -> list[tuple[Cell | None, ...]]:
    x, weight = s.execution, card.profile.execution_weight
    rows = [
        _row(head(f["budget_heading"].format(points=num(weight)), n)),
        _row(head(f["budget_source"], 2), *(head(h) for h in f["budget_headers"]), head(f["budget_reason"], n - 8)),
    ]
    reason = Cell(x.reason or "", role="text", colspan=n - 8, rowspan=1 + len(SPLITS))
    rows.append(_row(label(f["budget_total"], 2), *amounts(x.initial, x.budget, x.spent), number(weight, GENERAL),
                     number(x.score.score), reason))
    splits = {name: (budget, spent) for name, budget, spent in x.splits}
    for name, printed in zip(SPLITS, f["budget_splits"]):
        budget, spent = splits.get(name, (None, None))
        row = _row(label(printed, 2), *amounts(None, budget, spent), text("/", align="center"),
                   text("/", align="center"), *(text("") for _ in range(n - 8)))
        rows.append(_covered(row, range(8, n)))
    return rows


def amounts(initial, budget, spent) -> tuple[Cell, ...]:
    rate = spent / budget if budget and spent is not None and budget > 0 else None
    return number(initial, MONEY), number(budget, MONEY), number(spent, MONEY), percent(rate)


def indicator_rows(s: SetScore, f: dict, scoring: bool = False) -> list[tuple[Cell | None, ...]]:
    headers = list(f["indicator_headers"])
    if scoring:
        headers.insert(9, f["scoring_header"])
    rows = [_row(head(f["indicator_heading"].format(points=num(s.weight_total)), len(headers))),
            _row(*(head(h) for h in headers))]
    for item in s.indicators:
        i = item.entry.indicator
        actual = item.actual
        shown = number(actual, GENERAL) if isinstance(actual, Decimal) else text(actual, align="center")
        cells = [
            text(i.level1), text(i.level2), text(i.name), text(value_type(i), align="center"), text(i.target.text),
            text(i.target.unit_text or i.target.unit, align="center"), shown, number(item.weight, GENERAL),
            number(item.points), text(item.reason),
        ]
        if scoring:
            cells.insert(9, text(plain(i.scoring)))
        rows.append(_row(*cells))
    return rows


# ---------------------------------------------------------------- lists


def display_width(value: str) -> int:
    """Columns a text takes in a spreadsheet (a CJK character counts two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in value)


def list_part(name: str, key: str, headers: tuple[str, ...], rows: list[tuple], layout: TableLayout) -> Part:
    """A titled list with one header row repeated on every page. Each column is as wide as its longest
    text plus the cell margins, and at least half its header (a long header wraps onto two lines, the
    writers make the row tall enough), up to its cap in the layout; longer texts wrap."""
    body = [tuple(list_cell(v) for v in row) for row in rows]
    title, caps = layout.lists[key], layout.caps[key]
    widths = tuple(
        min(cap, max(6, -(-display_width(h) // 2) + 3, *(display_width(r[n].text) + 4 for r in body)))
        for n, (h, cap) in enumerate(zip(headers, caps))
    )
    table = Table(columns=tuple(Column(Decimal(w)) for w in widths), rows=(tuple(head(h) for h in headers), *body),
                  header_rows=1, name=title)
    return Part(name, (Paragraph(title, role="title"), table), page=layout.list_page, fonts=layout.fonts)


def list_cell(value) -> Cell:
    if isinstance(value, Cell):
        return value
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, int):
        return number(value, GENERAL)
    return text(value)


def summary_part(card: Scorecard, layout: TableLayout) -> Part:
    rows = []
    for n, s in enumerate(card.sets, start=1):
        ts = s.entry.target_set
        rows.append((n, s.entry.kind_label, ts.unit_code, ts.unit, ts.project, number(s.weight_total, GENERAL),
                     s.indicator_points, None if s.execution.rate is None else rate_text(s.execution.rate),
                     s.execution.score.score, s.total, s.grade, s.not_achieved, needs_review(s),
                     WEIGHT_RULES.get(s.weight_rule, s.weight_rule)))
    return list_part("汇总", "summary", SUMMARY_HEADERS, rows, layout)


def explanations_part(card: Scorecard, layout: TableLayout) -> Part:
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
    return list_part("评分说明", "explanations", EXPLANATION_HEADERS, rows, layout)


def findings_part(findings: tuple[Finding, ...], layout: TableLayout) -> Part:
    rows = [(n, str(f.location or ""), f.severity.label, f.code, f.message) for n, f in enumerate(findings, start=1)]
    return list_part("问题清单", "findings", FINDING_HEADERS, rows, layout)


def sheet_name(n: int, label_: str, used: set[str]) -> str:
    """``NN label`` within Excel's 31 characters, without []:*?/\\, unique."""
    base = "".join(ch for ch in f"{n:02d} {label_}" if ch not in "[]:*?/\\").strip("'")[:31]
    name, k = base, 2
    while name in used:
        name, k = f"{base[:28]}~{k}", k + 1
    used.add(name)
    return name


def build_selfeval_table(card: Scorecard, layout: TableLayout | None = None) -> OutputDocument:
    """The 自评表 of a scorecard: 汇总, one form per target set, 评分说明, 问题清单 (the lists are
    annexes: the reader ends the last form at their titles)."""
    layout = layout or load_table_layout()
    used = {"汇总", "评分说明", "问题清单"}
    sets = tuple(set_part(s, card, sheet_name(n, s.entry.label, used), layout)
                 for n, s in enumerate(card.sets, start=1))
    parts = (summary_part(card, layout), *sets, explanations_part(card, layout), findings_part(card.findings, layout))
    title = set_title(card.sets[0], layout) if len(card.sets) == 1 else layout.document_title
    return OutputDocument(title=title, parts=parts, kind=KIND, layout_id=layout.layout_id)

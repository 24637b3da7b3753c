"""A read 项目支出绩效自评表 (DOMAIN §2.6b; 四川 layout, §2.3 budget block, §2.2 indicator rows).

What the form prints, as printed: money in 万元 as Decimal, 预算执行率 and 得分 also as the printed
text (a rule compares within the printed precision), the indicator's target through
``parse_value`` (指标性质 + 指标值 + 度量单位). A text field that still holds the form's own
instruction (``对照年度目标,说明…(100字以内)``) is unfilled: ``text`` None, the instruction kept in
``printed``. Every field keeps the Location of its cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.indicator import TargetValue
from jixiao.model.source import Location

SELFEVAL_TABLE_KIND = "selfeval_table"


@dataclass(frozen=True, slots=True)
class FormText:
    """A labelled text field: 项目名称, 年度目标完成情况, 评价结论 …

    ``text``: the content, None when the cell is blank or holds the form's instruction;
    ``printed``: the cell as printed; ``location``: the value cell (the label's cell when the
    form ends before the value)."""

    label: str
    text: str | None
    location: Location
    printed: str = ""
    instruction: bool = False

    @property
    def filled(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """A row of the 预算执行情况 block (总额, 其中：财政资金 …), amounts in 万元.

    ``rate``: 预算执行率 as printed, in percent (``100.00%`` → 100.00, its exponent is the printed
    precision); ``rate_text``/``score_text``: the cells as printed (``/`` where not applicable).
    ``cells``: (field, Location) of every printed cell of the row."""

    label: str
    location: Location
    initial: Decimal | None = None  # 年初预算数
    adjusted: Decimal | None = None  # 调整后预算数 / 全年预算数
    spent: Decimal | None = None  # 预算执行数 / 全年执行数
    rate: Decimal | None = None  # 预算执行率, percent
    rate_text: str | None = None
    weight: Decimal | None = None  # 权重 / 分值
    score: Decimal | None = None  # 得分
    score_text: str | None = None
    reason: str | None = None  # 原因 (None when blank or the form's instruction)
    reason_printed: str | None = None
    cells: tuple[tuple[str, Location], ...] = ()

    def where(self, name: str) -> Location:
        """The cell of a field (``rate``, ``score`` …), else the row's label."""
        return next((loc for key, loc in self.cells if key == name), self.location)

    @property
    def is_total(self) -> bool:
        return not self.label.startswith("其中") and self.label.rstrip("：:") in ("总额", "合计", "年度资金总额", "资金总额")


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """A row of the 绩效指标 block. ``target`` holds 指标性质 (op/op_text), 指标值 and 度量单位;
    ``actual``: 完成值 as printed (None when blank); ``score``: 得分 as printed, None when blank."""

    level1: str | None
    level2: str | None
    name: str
    target: TargetValue
    location: Location
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    score_text: str | None = None
    reason: str | None = None  # 未完成原因分析 / 偏差原因分析及改进措施
    cells: tuple[tuple[str, Location], ...] = ()
    scoring: str | None = None  # 评（扣）分标准, when the form prints that column (jixiao's own form does)

    def where(self, name: str) -> Location:
        return next((loc for key, loc in self.cells if key == name), self.location)


@dataclass(frozen=True, slots=True)
class SelfEvalTable:
    """A 项目支出绩效自评表, filled or blank. ``org``: the 主管部门 as printed.

    ``budget_points`` / ``indicator_points``: the points in the block headings (预算执行情况(10分),
    绩效指标(90分)); ``total_*``: the 合计 row (权重 total, 得分, 等级 when printed);
    ``missing``: parts of the form not found (a file cut off early)."""

    kind: str
    title: str
    location: Location
    year: int | None = None
    org: str | None = None
    project: FormText | None = None  # 项目名称 (单位名称 on a 部门整体 form)
    department: FormText | None = None  # 主管部门
    implementer: FormText | None = None  # 实施单位
    goal: FormText | None = None  # 项目年度目标
    goal_completion: FormText | None = None  # 年度目标完成情况
    texts: tuple[FormText, ...] = ()  # other labelled fields (项目实施内容及过程概述 …)
    budget_points: Decimal | None = None
    budget_location: Location | None = None
    budget_lines: tuple[BudgetLine, ...] = ()
    indicator_points: Decimal | None = None
    indicator_location: Location | None = None
    indicators: tuple[IndicatorRow, ...] = ()
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    total_score_text: str | None = None
    total_location: Location | None = None
    grade: str | None = None
    grade_location: Location | None = None
    conclusion: FormText | None = None  # 评价结论
    problems: FormText | None = None  # 存在问题
    measures: FormText | None = None  # 改进措施
    signatures: tuple[FormText, ...] = ()  # 项目负责人 / 财务负责人 (name after the colon)
    missing: tuple[str, ...] = ()

    @property
    def budget_total(self) -> BudgetLine | None:
        return next((b for b in self.budget_lines if b.is_total), None)

    @property
    def name(self) -> str:
        """The project's name for messages (the title when the form gives none)."""
        return self.project.text if self.project and self.project.text else self.title

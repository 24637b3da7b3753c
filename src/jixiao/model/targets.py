"""Target tables (绩效目标表) and their target sets."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from jixiao.model.indicator import Indicator
from jixiao.model.indicator import Placeholder
from jixiao.model.money import Unit
from jixiao.model.source import Location

AMOUNT_FIELDS = ("total", "general_budget", "gov_fund", "special_account", "other", "basic", "project")

# printed labels of the FundAmounts fields (messages name the cell as the form prints it)
AMOUNT_LABELS = {
    "total": "资金总额",
    "general_budget": "一般公共预算",
    "gov_fund": "政府性基金拨款",
    "special_account": "财政专户管理资金",
    "other": "其他资金",
    "basic": "基本支出",
    "project": "项目支出",
    "superior": "上级资金",
    "period_total": "项目总金额",
}


@dataclass(frozen=True, slots=True)
class FundAmounts:
    """资金总额 and its breakdowns; None where the cell is blank. Target tables print 万元."""

    total: Decimal | None = None
    general_budget: Decimal | None = None  # 一般公共预算
    gov_fund: Decimal | None = None  # 政府性基金拨款
    special_account: Decimal | None = None  # 财政专户管理资金 / 纳入专户管理的非税收入拨款
    other: Decimal | None = None  # 其他资金
    basic: Decimal | None = None  # 基本支出
    project: Decimal | None = None  # 项目支出
    superior: Decimal | None = None  # 上级资金 (project forms)
    period_total: Decimal | None = None  # 项目总金额（中期规划）: the whole implementation period
    unit: Unit = Unit.WANYUAN

    def as_dict(self) -> dict[str, Decimal | None]:
        return {name: getattr(self, name) for name in AMOUNT_FIELDS}


@dataclass(frozen=True, slots=True)
class Task:
    """年度主要任务 / 年度重点工作计划 row."""

    name: str
    content: str
    location: Location
    owner: str | None = None  # 责任单位/科室


@dataclass(frozen=True, slots=True)
class ExpenseDetail:
    """支出明细及测算说明 row of a special-fund direction table."""

    summary: str
    detail: str
    amount: Decimal | None
    basis: str
    location: Location


@dataclass(frozen=True, slots=True)
class TargetSet:
    """One unit's (整体) or one project's (项目) targets: funds, goals, indicators."""

    location: Location
    unit_code: str | None = None
    unit: str | None = None
    project: str | None = None
    project_code: str | None = None  # 项目编码 (project-library forms)
    amounts: FundAmounts = field(default_factory=FundAmounts)
    goal: str | None = None  # 本年度绩效目标 / 整体绩效目标 / 年度履职目标
    period_goal: str | None = None  # 实施期绩效目标
    functions: str | None = None  # 部门职能 / 职责概述
    category: str | None = None  # 项目类别
    period: str | None = None  # 实施期
    parent_fund: str | None = None  # 所属专项 (special-fund direction)
    tasks: tuple[Task, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    placeholders: tuple[Placeholder, ...] = ()
    details: tuple[ExpenseDetail, ...] = ()
    details_total: Decimal | None = None
    texts: tuple[tuple[str, str, Location], ...] = ()  # (field, printed text, where) of every header cell
    amounts_location: Location | None = None  # where 资金总额 (or the first amount) is printed


@dataclass(frozen=True, slots=True)
class Subtotal:
    """A unit subtotal or 合计 row inside a project target table (seed 001)."""

    label: str
    amount: Decimal | None
    location: Location
    unit_code: str | None = None


@dataclass(frozen=True, slots=True)
class TargetTable:
    kind: str  # department_targets | project_targets | special_fund_targets
    title: str
    location: Location
    year: int | None = None
    org: str | None = None
    layout: str | None = None  # which printed layout was recognised
    target_sets: tuple[TargetSet, ...] = ()
    subtotals: tuple[Subtotal, ...] = ()

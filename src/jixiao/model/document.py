"""A parsed document: its tables, sections and stated amounts."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.model.budget import BudgetTable
from jixiao.model.narrative import Section
from jixiao.model.narrative import StatedAmount
from jixiao.model.narrative import TextParagraph
from jixiao.model.org import Org
from jixiao.model.selfeval_table import SelfEvalTable
from jixiao.model.targets import TargetTable

Table = TargetTable | BudgetTable | SelfEvalTable

TARGET_KINDS = ("department_targets", "project_targets", "special_fund_targets")
# 项目支出绩效目标执行监控表: read as a TargetTable (the targets and, per indicator, the monitoring
# columns as printed); the target rules do not review it (monitoring has its own rules, later)
MONITORING_KINDS = ("target_monitoring",)
# the other sheets of a project-library export (项目基本信息, 支出计划, 评审报告 …): recognised, not read
RECORD_KINDS = ("project_record",)
BUDGET_KINDS = (
    "budget_overview",
    "revenue",
    "expenditure",
    "fiscal_overview",
    "general_budget_expenditure",
    "basic_expenditure",
    "three_public",
    "gov_fund_expenditure",
    "state_capital_expenditure",
    "special_fund_summary",
)
SELFEVAL_KINDS = ("selfeval_table",)  # a read 项目支出绩效自评表 (model.selfeval_table)


@dataclass(frozen=True, slots=True)
class Document:
    source: str
    tables: tuple[Table, ...] = ()
    sections: tuple[Section, ...] = ()
    amounts: tuple[StatedAmount, ...] = ()
    # "budget_disclosure" | "targets" | "self_evaluation_report" | "self_evaluation_table" | "template" (a blank form)
    kind: str | None = None
    year: int | None = None
    org: str | None = None
    orgs: tuple[Org, ...] = ()  # the department and the budget units the document names
    paragraphs: tuple[TextParagraph, ...] = ()  # the narrative's paragraphs, in order (amounts point into it)

    def tables_of(self, kind: str) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.kind == kind)

"""Readable summary of a parsed document (rich tables) for ``jixiao parse``."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jixiao.findings import Finding
from jixiao.model.budget import BudgetTable
from jixiao.model.document import Document
from jixiao.model.money import fmt_wan
from jixiao.model.selfeval_table import SelfEvalTable
from jixiao.model.targets import TargetTable

KIND_NAMES = {
    "department_targets": "部门整体支出绩效目标表",
    "project_targets": "项目支出绩效目标表",
    "special_fund_summary": "专项资金绩效目标汇总表",
    "special_fund_targets": "专项资金支出方向绩效目标表",
    "budget_overview": "部门收支总表",
    "revenue": "部门收入总表",
    "expenditure": "部门支出总表",
    "fiscal_overview": "财政拨款收支总表",
    "general_budget_expenditure": "一般公共预算支出表",
    "basic_expenditure": "一般公共预算基本支出表",
    "three_public": "“三公”经费支出表",
    "gov_fund_expenditure": "政府性基金预算支出表",
    "state_capital_expenditure": "国有资本经营预算支出表",
}


def print_summary(doc: Document, findings: list[Finding], console: Console | None = None) -> None:
    console = console or Console()
    if console.is_terminal:
        console.rule(f"[bold]{escape(doc.source)}")
    else:  # a file or a pipe: a plain heading, not a rule as wide as the (unbounded) line
        console.print(f"== {doc.source} ==", markup=False)
    console.print(f"单位：{doc.org or '—'}　年度：{doc.year or '—'}　表格 {len(doc.tables)} 张　章节 {len(doc.sections)} 个　金额 {len(doc.amounts)} 处")
    for table in doc.tables:
        if isinstance(table, TargetTable):
            grid = Table(title=f"{table.title or KIND_NAMES.get(table.kind, table.kind)}（{table.location}）", show_lines=False)
            grid.add_column("单位编码", no_wrap=True)
            grid.add_column("单位/项目", overflow="fold", ratio=3)
            grid.add_column("资金总额（万元）", justify="right", no_wrap=True)
            grid.add_column("指标", justify="right", no_wrap=True)
            grid.add_column("空栏目", justify="right", no_wrap=True)
            grid.add_column("行", justify="right", no_wrap=True)
            for s in table.target_sets:
                grid.add_row(
                    s.unit_code or "",
                    s.project or s.unit or "",
                    fmt_wan(s.amounts.total),
                    str(len(s.indicators)),
                    str(len(s.placeholders)),
                    str(s.location.line or ""),
                )
            console.print(grid)
        elif isinstance(table, SelfEvalTable):
            _selfeval(console, table)
        elif isinstance(table, BudgetTable):
            console.print(f"{table.title or KIND_NAMES.get(table.kind, table.kind)}（{table.location}）：{len(table.rows)} 行，单位 {table.unit.value}")
    if findings:
        counts = {s: sum(1 for f in findings if f.severity.value == s) for s in ("error", "warning", "info")}
        console.print(f"解析提示：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}")


def _selfeval(console: Console, table: SelfEvalTable) -> None:
    name = table.project.text if table.project else "—"
    grid = Table(title=f"{table.title}（{table.location}）：{name}")
    for head in ("一级指标", "二级指标", "三级指标", "指标值", "完成值", "权重", "得分"):
        grid.add_column(head, overflow="fold")
    for row in table.indicators:
        grid.add_row(
            row.level1 or "",
            row.level2 or "",
            row.name,
            row.target.text,
            row.actual or "",
            "" if row.weight is None else f"{row.weight}",
            "" if row.score is None else f"{row.score}",
        )
    console.print(grid)
    for line in table.budget_lines:
        console.print(
            f"  预算执行 {line.label}：年初 {fmt_wan(line.initial)}　调整后 {fmt_wan(line.adjusted)}"
            f"　执行 {fmt_wan(line.spent)}　执行率 {line.rate_text or ''}"
        )

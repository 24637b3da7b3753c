"""Weights and money rules, DOMAIN §6 family D (rules 19–21) and the target-table part of B12.

Header arithmetic (资金总额 = Σ 收入性质 = Σ 支出性质), project-table subtotals, special-fund
details, the department total across 整体 tables, and whether the project target tables cover
the 项目支出. Blank cells count as 0 in a sum; a wholly blank breakdown is ``amounts-missing``.
Tolerances: the printed precision of the terms, never below 0.01 万元 within a table and
0.05 万元 across tables (DOMAIN §6).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.budget import BudgetTable
from jixiao.model.document import Document
from jixiao.model.money import Unit
from jixiao.model.source import Location
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules._targets_common import clean
from jixiao.rules._targets_common import counts
from jixiao.rules._targets_common import ind_subject
from jixiao.rules._targets_common import is_placeholder_like
from jixiao.rules._targets_common import money
from jixiao.rules._targets_common import set_label
from jixiao.rules._targets_common import target_tables
from jixiao.rules._targets_common import tolerance

_FULL = (Decimal(100), Decimal(90))


@rule("targets.weights", codes=("weights-sum", "weight-without-indicator"), family="targets", profiles=("targets",))
def check_weights(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 19 WEIGHT-SUM (E; W for a weight on an empty row); §2.1.

    When a target set prints weights (分值 / 备注), they sum to 100, or to 90 with the remaining
    10 for 预算执行率 (Hunan 2021+ practice). A row without indicator or value carries no weight.
    Source: 财预〔2020〕10号 (产出 50 · 效益 30 · 满意度 10 · 执行率 10, ◐).
    """
    for table in target_tables(doc):
        for ts in table.target_sets:
            weights = [i.weight for i in ts.indicators if i.weight is not None]
            weights += [p.weight for p in ts.placeholders if p.weight is not None]
            if not weights:
                continue
            total = sum(weights, Decimal(0))
            if all(abs(total - full) > Decimal("0.01") for full in _FULL):
                unweighted = [i for i in ts.indicators if i.weight is None and counts(i)]
                note = f"（另有 {len(unweighted)} 个三级指标未填分值）" if unweighted else ""
                yield make("weights-sum", ts.location, subject=set_label(table, ts), actual=f"{total.normalize():f}",
                           expected="100", missing=note)
            empty = [(p, p.weight) for p in ts.placeholders if p.weight]
            empty += [(i, i.weight) for i in ts.indicators if i.weight and is_placeholder_like(i)]
            for row, weight in empty:
                yield make("weight-without-indicator", row.location, subject=ind_subject(table, ts, row),
                           weight=f"{weight.normalize():f}", actual=f"{weight.normalize():f}")


def _wan(value: Decimal | None) -> str:
    return f"{money(value)} 万元"


def _sum_check(ctx: Context, location: Location, subject: str, what: str, actual: Decimal | None,
               parts: list[Decimal | None], floor: str | None = None) -> Finding | None:
    if actual is None or all(p is None for p in parts):
        return None
    expected = sum((p or Decimal(0) for p in parts), Decimal(0))
    diff = abs(expected - actual)
    if diff <= tolerance(floor or ctx.tolerance_table, actual, *parts):
        return None
    return make("amount-sum-mismatch", location, subject=subject, what=what, expected=_wan(expected),
                actual=_wan(actual), difference=_wan(diff))


_INCOME = ("general_budget", "gov_fund", "special_account", "other")
_SPENDING = ("basic", "project")


@rule("targets.header-funds", codes=("amount-sum-mismatch", "amounts-missing"), family="targets", profiles=("targets",))
def check_header_funds(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 20 HDR-FUNDS (E) and rule 21's Σ 专项明细 = 专项金额.

    整体 header: 资金总额 = 一般公共预算 + 政府性基金 + 财政专户 + 其他 = 基本 + 项目, neither breakdown
    left blank when 资金总额 > 0; every target set states its amount; a special-fund direction's
    明细 sum to its 合计 and to its 项目金额. Source: Hunan 整体目标表 header (DOMAIN §4).
    """
    for table in target_tables(doc):
        for ts in table.target_sets:
            label = set_label(table, ts)
            a = ts.amounts
            if a.total is None:
                what = "资金总额未填写" if table.kind == "department_targets" else "年度预算金额未填写"
                yield make("amounts-missing", ts.amounts_location or ts.location, subject=label, what=what)
                continue
            if table.kind == "department_targets" and a.total:
                yield from _header(ctx, ts, label)
            if ts.details:
                yield from _details(ctx, ts, label)


def _header(ctx: Context, ts: TargetSet, label: str) -> Iterator[Finding]:
    a = ts.amounts
    groups = ((_INCOME, "按收入性质分"), (_SPENDING, "按支出性质分"))
    blank = [name for fields, name in groups if all(getattr(a, f) is None for f in fields)]
    if blank:
        yield make("amounts-missing", ts.amounts_location or ts.location, subject=label,
                   what=f"资金总额 {_wan(a.total)} 未列明{'和'.join(blank)}的构成（相应各栏均为空）")
    for fields, name in groups:
        parts = [getattr(a, f) for f in fields]
        if name in blank:
            continue
        found = _sum_check(ctx, ts.amounts_location or ts.location, label, f"资金总额（= {name}各栏之和）", a.total, parts)
        if found:
            yield found


def _details(ctx: Context, ts: TargetSet, label: str) -> Iterator[Finding]:
    parts = [d.amount for d in ts.details]
    subject = f"{label}/支出明细及测算说明"
    for actual, what in ((ts.details_total, "合计（= 各支出明细之和）"), (ts.amounts.total, "项目金额（= 各支出明细之和）")):
        found = _sum_check(ctx, ts.location, subject, what, actual, parts)
        if found:
            yield found


def _projects(doc: Document) -> list[tuple[TargetTable, TargetSet]]:
    """Project and special-fund target sets, a project continued over pages counted once."""
    seen: set[tuple] = set()
    out = []
    for table in target_tables(doc):
        if table.kind not in ("project_targets", "special_fund_targets"):
            continue
        for ts in table.target_sets:
            key = (table.kind, ts.unit_code, clean(ts.project), ts.amounts.total)
            if key not in seen:
                seen.add(key)
                out.append((table, ts))
    return out


def _departments(doc: Document) -> list[tuple[TargetTable, TargetSet]]:
    seen: set[tuple] = set()
    out = []
    for table in target_tables(doc):
        if table.kind != "department_targets":
            continue
        for ts in table.target_sets:
            key = (ts.unit_code, clean(ts.unit), ts.amounts.total)
            if key not in seen:
                seen.add(key)
                out.append((table, ts))
    return out


@rule("targets.subtotals", codes=("amount-sum-mismatch",), family="targets", profiles=("targets",))
def check_subtotals(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 21 / §3.2 B12 (E): project-table unit subtotals = Σ their projects, 合计 = Σ units
    (or Σ projects); Σ 整体 资金总额 over units = the department total of the 部门支出总表/收支总表."""
    for table in target_tables(doc):
        if table.kind != "project_targets" or not table.subtotals:
            continue
        projects = [ts for t, ts in _projects(doc) if t.kind == "project_targets"]
        by_unit: dict[str | None, list[Decimal | None]] = defaultdict(list)
        for ts in projects:
            by_unit[ts.unit_code].append(ts.amounts.total)
        units = [s for s in table.subtotals if s.unit_code]
        for sub in units:
            found = _sum_check(ctx, sub.location, f"项目支出绩效目标表/{sub.label}", "单位小计（= 本单位各项目资金总额之和）",
                               sub.amount, by_unit.get(sub.unit_code, []) or [Decimal(0)])
            if found:
                yield found
        for sub in (s for s in table.subtotals if not s.unit_code):
            parts = [s.amount for s in units] if units else [ts.amounts.total for ts in projects]
            what = "合计（= 各单位小计之和）" if units else "合计（= 各项目资金总额之和）"
            found = _sum_check(ctx, sub.location, f"项目支出绩效目标表/{sub.label}", what, sub.amount, parts)
            if found:
                yield found
    depts = _departments(doc)
    total, where = _budget_value(doc, "total")
    if depts and total is not None:
        table, first = depts[0]
        found = _sum_check(ctx, first.location, "部门整体支出绩效目标表", f"各单位资金总额之和（= {where}）",
                           total, [ts.amounts.total for _, ts in depts], floor=ctx.tolerance_cross)
        if found:
            yield found


def _budget_value(doc: Document, key: str) -> tuple[Decimal | None, str]:
    """The department's 支出合计 (``total``) or 项目支出 (``project``) from its disclosure tables, in 万元."""
    for table in doc.tables:
        if not isinstance(table, BudgetTable):
            continue
        scale = Decimal(10000) if table.unit is Unit.YUAN else Decimal(1)
        if table.kind == "expenditure":
            row = next((r for r in table.rows if r.code is None and clean(r.name) in ("合计", "总计")), None)
            value = row.total if row and key == "total" else (row.value(key) if row else None)
            if isinstance(value, Decimal):
                return value / scale, f"部门支出总表 {'合计' if key == 'total' else '项目支出'}"
        if table.kind == "budget_overview":
            pattern = r"本年支出合计" if key == "total" else r"^([一二三四五六七八九十]+、)?项目支出$"
            row = next((r for r in table.rows if r.side == "expenditure" and re.search(pattern, clean(r.name))), None)
            if row and row.total is not None:
                return row.total / scale, f"部门收支总表 {clean(row.name)}"
    return None, ""


@rule("targets.projects-coverage", codes=("projects-not-covered",), family="targets", profiles=("targets",))
def check_projects_coverage(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 21 XDOC-TARGET-BUDGET / §3.2 B12 (E).

    Σ 资金总额 of the project (and special-fund) target tables = 项目支出: per unit against each
    整体 table's 项目支出 when both sides carry unit codes, else in total against the 整体 tables'
    项目支出, else against the 部门支出总表. Source: GovBudgetChecker "绩效目标涉及项目预算资金 ≤ 项目支出".
    """
    projects = _projects(doc)
    if not projects:
        return
    depts = [(t, ts) for t, ts in _departments(doc) if ts.amounts.project is not None]
    coded = depts and all(ts.unit_code for _, ts in depts) and all(ts.unit_code for _, ts in projects)
    totals = [ts.amounts.total for _, ts in projects]
    found: list[Finding] = []
    if coded and len(depts) > 1:
        for table, dept in depts:
            mine = [ts.amounts.total for _, ts in projects if ts.unit_code == dept.unit_code]
            found += _coverage(ctx, dept.location, set_label(table, dept), "本单位部门整体支出绩效目标表项目支出",
                               dept.amounts.project, mine)
    elif depts:
        project = sum((ts.amounts.project or Decimal(0) for _, ts in depts), Decimal(0))
        subject = set_label(*depts[0]) if len(depts) == 1 else "部门整体支出绩效目标表"
        found += _coverage(ctx, depts[0][1].location, subject, "部门整体支出绩效目标表项目支出", project, totals)
    yield from found
    project, where = _budget_value(doc, "project")
    if project is not None and not found:
        yield from _coverage(ctx, projects[0][1].location, "项目支出绩效目标表", where, project, totals)


def _coverage(ctx: Context, location: Location, subject: str, what: str, expected: Decimal | None,
              parts: list[Decimal | None]) -> list[Finding]:
    if expected is None:
        return []
    actual = sum((p or Decimal(0) for p in parts), Decimal(0))
    diff = abs(actual - expected)
    if diff <= tolerance(ctx.tolerance_cross, expected, *parts):
        return []
    return [make("projects-not-covered", location, subject=subject, what=what, expected=money(expected),
                 actual=money(actual), difference=money(diff))]

"""Cost rules, DOMAIN §6 family C (rules 16–18): 经济成本 indicators and the money they cover.

A cost row is "usable" when it states an amount of money (万元/元, or a unit cost such as 元/人)
with type ≤ / ＝ / ＜. Type errors on an otherwise usable amount (``定性 42 万元``) are left to
``value-type-mismatch`` so one cell is not reported twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import ValueKind
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules._targets_common import clean
from jixiao.rules._targets_common import ind_subject
from jixiao.rules._targets_common import is_qualitative
from jixiao.rules._targets_common import levels
from jixiao.rules._targets_common import money
from jixiao.rules._targets_common import real
from jixiao.rules._targets_common import set_label
from jixiao.rules._targets_common import target_tables
from jixiao.rules._targets_common import to_wan
from jixiao.rules._targets_common import tolerance
from jixiao.rules._targets_common import uses_cost_level1
from jixiao.rules._targets_common import value_display
from jixiao.rules.target_units import amount_scale

_COVER_SHARE = Decimal("0.8")


def _unit(ind: Indicator) -> str:
    return clean(ind.target.unit) or clean(ind.target.unit_text)


def _is_money_unit(unit: str) -> bool:
    return "元" in unit or unit == "万"


def _cost_problem(ind: Indicator) -> str | None:
    """Why a 经济成本 row is not an amount of money with type ≤/＝ (rule 17), or None."""
    t = ind.target
    unit = _unit(ind)
    if t.kind is ValueKind.QUANTITATIVE and t.value is not None and t.op == "定性" and _is_money_unit(unit):
        return None  # an amount with the wrong type: value-type-mismatch reports the type
    reasons = []
    if is_qualitative(ind) or t.kind is not ValueKind.QUANTITATIVE:
        reasons.append("不是金额而是文字描述")
    elif unit == "%" or "率" in unit:
        reasons.append("是比率而不是金额")
    elif unit and not _is_money_unit(unit):
        reasons.append(f"计量单位“{unit}”不是金额")
    if t.op in ("≥", ">"):
        reasons.append(f"比较符号为“{t.op}”，成本应不超过目标")
    if not reasons:
        return None
    return f"经济成本指标应为“≤ 或 ＝ 某金额（万元/元）”，实为“{value_display(ind)}”：{'；'.join(reasons)}"


def _economic(ts: TargetSet) -> list[Indicator]:
    return [i for i in real(ts) if levels(i).level1 == "成本" and levels(i).level2 == "经济成本"]


@rule("targets.cost-indicators", codes=("cost-indicator-invalid",), family="targets", profiles=("targets",))
def check_cost_indicators(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 16 COST-PRESENT (E) and rule 17 COST-NATURE (W).

    2021+ templates (成本指标 is a 一级 somewhere in the table, §1.1 a) need ≥ 1 经济成本 三级 that
    is an amount in 万元/元 with type ≤ or ＝; in every template a cost row that is a rate, a count,
    a description or has type ≥ is flagged (W). Source: 财预〔2021〕101号 (经济成本指标, ◐).
    """
    for table in target_tables(doc):
        modern = uses_cost_level1(table)
        for ts in table.target_sets:
            rows = _economic(ts)
            usable = 0
            for ind in rows:
                problem = _cost_problem(ind)
                if problem is None:
                    usable += 1
                    continue
                yield make("cost-indicator-invalid", ind.location, subject=ind_subject(table, ts, ind),
                           problem=problem, actual=value_display(ind), expected="≤ N 万元", severity=Severity.WARNING)
            if modern and not usable and real(ts):
                detail = f"已设的 {len(rows)} 个成本指标均不是金额" if rows else "未设经济成本指标"
                yield make("cost-indicator-invalid", ts.location, subject=set_label(table, ts),
                           problem=f"缺少以万元或元计量、类型为 ≤ 或 ＝ 的经济成本指标（2021 年起的模板必设；{detail}）")


def _amounts(ts: TargetSet) -> list[tuple[Indicator, Decimal]]:
    """Usable 经济成本 rows with their amount in 万元 (unit costs such as 元/人 are left out)."""
    out = []
    for ind in _economic(ts):
        t = ind.target
        if _cost_problem(ind) is not None or t.value is None or t.op in ("≥", ">"):
            continue
        wan = to_wan(t.value, _unit(ind))
        if wan is not None:
            out.append((ind, wan))
    return out


# 整体 tables sometimes split the cost by nature of spending: compare each part with the header.
_COMPONENTS = (("项目支出", "project", "项目支出"), ("基本支出", "basic", "基本支出"))


@rule("targets.cost-budget", codes=("cost-budget-mismatch",), family="targets", profiles=("targets",))
def check_cost_budget(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 18 COST-VS-BUDGET (E; W when under 80 %).

    Σ 经济成本 (万元) must not exceed the set's money (资金总额 / 年度预算金额 + 上级资金) beyond the
    printed-precision tolerance (floor 0.01 万元); a single cost row, and the cost of a 整体 table,
    should cover ≥ 80 % of it. A 整体 cost row named 项目支出 / 基本支出 must equal that header cell.
    """
    for table in target_tables(doc):
        for ts in table.target_sets:
            rows = _amounts(ts)
            budget = ts.amounts.total
            if not rows or not budget:
                continue  # a blank or 0 amount is reported as such (amounts-missing), not against each cost
            budget /= amount_scale(table, ts)  # 元 under a 万元 label: reported once (amount-unit-suspect)
            if ts.amounts.superior is not None:
                budget += ts.amounts.superior
            mismatched = list(_component_mismatches(table, ts, rows, ctx))
            yield from mismatched
            if not mismatched:
                yield from _cover(table, ts, rows, budget, ctx)


def _component_mismatches(table: TargetTable, ts: TargetSet, rows, ctx: Context) -> Iterator[Finding]:
    if table.kind != "department_targets":
        return
    for ind, wan in rows:
        name = clean(ind.name)
        for word, field_name, label in _COMPONENTS:
            header = getattr(ts.amounts, field_name)
            if re.search(word, name) and header is not None:
                diff = abs(wan - header)
                if diff > tolerance(ctx.tolerance_table, wan, header):
                    yield make("cost-budget-mismatch", ind.location, subject=ind_subject(table, ts, ind),
                               what=f"成本指标“{name}”", relation=f"应等于本单位{label}",
                               expected=money(header), actual=money(wan), difference=money(diff))
                break


def _cover(table: TargetTable, ts: TargetSet, rows, budget: Decimal, ctx: Context) -> Iterator[Finding]:
    total = sum((w for _, w in rows), Decimal(0))
    tol = tolerance(ctx.tolerance_table, budget, *(w for _, w in rows))
    label = "资金总额" if table.kind == "department_targets" else "预算金额"
    where = rows[0][0].location if len(rows) == 1 else ts.location
    subject = ind_subject(table, ts, rows[0][0]) if len(rows) == 1 else set_label(table, ts)
    what = "经济成本指标" if len(rows) == 1 else f"经济成本指标合计（{len(rows)} 项）"
    if total > budget + tol:
        yield make("cost-budget-mismatch", where, subject=subject, what=what, relation=f"超过{label}",
                   expected=money(budget), actual=money(total), difference=money(total - budget))
    elif (len(rows) == 1 or table.kind == "department_targets") and total < budget * _COVER_SHARE:
        share = f"{total * 100 / budget:.0f}%" if budget else "0%"
        yield make("cost-budget-mismatch", where, subject=subject, what=what,
                   relation=f"仅为{label}的 {share}，未覆盖{label}", expected=money(budget), actual=money(total),
                   difference=money(budget - total), severity=Severity.WARNING)

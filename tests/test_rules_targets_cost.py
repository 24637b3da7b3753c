"""Cost rules (DOMAIN §6 rules 16–18) on inline documents in the seed 001 layout."""

from __future__ import annotations

from jixiao.findings import Severity
from tests._builders import BASE
from tests._builders import complete
from tests._builders import document
from tests._builders import edit
from tests._builders import found
from tests._builders import ind
from tests._builders import line_of
from tests._builders import review
from tests._builders import table
from tests._builders import tset

COST2 = "||||成本指标|经济成本指标|项目总成本|15|反映项目总成本|偏离10%以下得满分|万元|≤|20\n"
DEPT_COST = "|部门支出总额|≤|100|万元|年度预算数|偏离10%以下得满分|20"

# --- rules 16–17 COST-PRESENT / COST-NATURE -------------------------------------------------


def test_2021_template_needs_an_economic_cost():
    line = line_of(BASE, "政策宣传专项")
    doc = edit(BASE, COST2, "")
    (f, g) = review(doc)
    assert [(f.location.line, f.code, f.severity), (g.location.line, g.code)] == [
        (line, "cost-indicator-invalid", Severity.ERROR), (line, "weights-sum")]
    assert "未设经济成本指标" in f.message


def test_cost_as_a_rate_with_greater_or_equal():
    """Seed 002: 成本指标 减少企业群众办事成本 ≥20%: the row (W) and, in a 2021+ table, the set (E)."""
    line = line_of(BASE, "政策宣传专项")
    doc = edit(BASE, COST2, "||||成本指标|经济成本指标|减少群众办事成本|20|办事成本降低比例|完成率*指标分值|%|≥|20\n")
    findings = review(doc)
    assert [(f.location.line, f.code, f.severity) for f in findings] == [
        (line, "cost-indicator-invalid", Severity.ERROR),
        (line + 2, "cost-indicator-invalid", Severity.WARNING),
    ]
    assert "是比率而不是金额" in findings[1].message and "“≥”" in findings[1].message


def test_pre_2021_template_does_not_require_cost_but_checks_its_nature():
    inds = [ind("产出指标", "数量指标", "培训人次", "≥260人次", line=2),
            ind("产出指标", "质量指标", "培训覆盖率", "≥99%", line=3),
            ind("效益指标", "社会效益指标", "人才梯队提升程度", "≥90%", line=5),
            ind("效益指标", "社会公众或服务对象满意度指标", "群众满意度", "≥98%", line=6)]
    assert found(document(table("project_targets", tset(*inds, total="20")))) == []
    inds.append(ind("产出指标", "成本指标", "消防设施覆盖率", "≥30%", line=4))
    assert found(document(table("project_targets", tset(*inds, total="20")))) == [(4, "cost-indicator-invalid")]


def test_amount_typed_qualitative_is_only_a_type_error():
    """Seed 001 line 553: 42 万元 typed 定性: value-type-mismatch, the cost itself is usable."""
    doc = edit(BASE, "|项目总成本|15|反映项目总成本|偏离10%以下得满分|万元|≤|", "|项目总成本|15|反映项目总成本|偏离10%以下得满分|万元|定性|")
    assert found(doc) == [(line_of(BASE, "政策宣传专项") + 2, "value-type-mismatch")]


# --- rule 18 COST-VS-BUDGET -----------------------------------------------------------------


def test_cost_above_the_budget_is_an_error():
    line = line_of(BASE, "政策宣传专项") + 2
    (f,) = review(edit(BASE, COST2, COST2.replace("|15|", "|15.5|")))
    assert (f.location.line, f.code, f.severity) == (line, "cost-budget-mismatch", Severity.ERROR)
    assert (f.expected, f.actual) == ("15.00", "15.50") and "超过预算金额" in f.message


def test_cost_within_printed_precision_of_the_budget():
    """Seed 000: 资金总额 580.25 against ≤ 580.253937: the difference is below the printed precision."""
    doc = edit(BASE, DEPT_COST, DEPT_COST.replace("|100|", "|100.003937|"))
    assert found(doc) == []
    doc = edit(BASE, DEPT_COST, DEPT_COST.replace("|100|", "|100.02|"))
    assert found(doc) == [(line_of(BASE, "部门支出总额"), "cost-budget-mismatch")]


def test_single_cost_row_far_below_the_budget_is_a_warning():
    line = line_of(BASE, "政策宣传专项") + 2
    (f,) = review(edit(BASE, COST2, COST2.replace("|15|", "|11|")))
    assert (f.location.line, f.code, f.severity, f.actual) == (line, "cost-budget-mismatch", Severity.WARNING, "11.00")
    assert "73%" in f.message
    assert found(edit(BASE, COST2, COST2.replace("|15|", "|12|"))) == []  # 80 %


def test_department_cost_parts_must_match_the_header():
    """Seed 001 line 687: 成本指标 项目支出 3473.12 against the unit's 项目支出 1,955.15."""
    parts = ("|部门项目支出|≤|40|万元|项目支出成本|偏离10%以下得满分|10\n"
             "|||||||||||经济成本指标|部门基本支出|≤|60|万元|基本支出成本|偏离10%以下得满分|10")
    doc = edit(BASE, DEPT_COST, parts)
    assert found(doc) == []
    doc = edit(BASE, DEPT_COST, parts.replace("|40|", "|347.12|"))
    (f,) = review(doc)
    assert (f.location.line, f.code, f.expected, f.actual) == (
        line_of(BASE, "部门支出总额"), "cost-budget-mismatch", "40.00", "347.12")
    assert "应等于本单位项目支出" in f.message and "307.12" in f.message


def test_department_cost_must_cover_its_total():
    """Seed 002: 整体 cost 人员工资发放数 ≤156万 against 资金总额 864.3."""
    (f,) = review(edit(BASE, DEPT_COST, DEPT_COST.replace("|100|", "|60|")))
    assert (f.code, f.severity) == ("cost-budget-mismatch", Severity.WARNING) and "未覆盖资金总额" in f.message


def test_superior_funds_count_towards_the_budget():
    doc = document(table("project_targets", tset(*complete("30"), total="25", superior="5")))
    assert found(doc) == []
    doc = document(table("project_targets", tset(*complete("30"), total="25")))
    assert found(doc) == [(12, "cost-budget-mismatch")]

"""Weights, header arithmetic and coverage (DOMAIN §6 rules 19–21, §3.2 B12) on inline documents."""

from __future__ import annotations

from decimal import Decimal

from jixiao.findings import Severity
from jixiao.model.budget import BudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.targets import ExpenseDetail
from jixiao.model.targets import TargetSet
from tests._builders import BASE
from tests._builders import complete
from tests._builders import document
from tests._builders import edit
from tests._builders import found
from tests._builders import line_of
from tests._builders import loc
from tests._builders import placeholder
from tests._builders import review
from tests._builders import table
from tests._builders import tset

HEADER = "152001|测试局|100.00|100.00||||60.00|40.00|"

# --- rule 19 WEIGHT-SUM ---------------------------------------------------------------------


def test_weights_must_sum_to_100_or_90():
    line = line_of(BASE, "152001|测试局|100.00")
    (f,) = review(edit(BASE, "|开展4次得满分，每少1次扣5分|30", "|开展4次得满分，每少1次扣5分|25"))
    assert (f.location.line, f.code, f.actual) == (line, "weights-sum", "85")
    assert found(edit(BASE, "|开展4次得满分，每少1次扣5分|30", "|开展4次得满分，每少1次扣5分|40")) == []  # 100


def test_weight_on_an_empty_row():
    """Seed 001 lines 689/692: 经济效益指标 / / / … 5."""
    line = line_of(BASE, "|社会成本指标|")
    doc = edit(BASE, "|||||||||||社会成本指标|||||||", "|||||||||||社会成本指标|||||||10")
    (f,) = review(doc)
    assert (f.location.line, f.code, f.severity, f.actual) == (line, "weight-without-indicator", Severity.WARNING, "10")


def test_missing_weights_are_counted_in_the_message():
    inds = complete()
    inds[0] = inds[0].__class__(**{**{k: getattr(inds[0], k) for k in inds[0].__slots__}, "weight": None})
    (f,) = review(document(table("project_targets", tset(*inds, total="25"))))
    assert f.code == "weights-sum" and f.actual == "60" and "另有 1 个三级指标未填分值" in f.message


# --- rule 20 HDR-FUNDS ----------------------------------------------------------------------


def test_header_income_and_spending_must_add_up():
    line = line_of(BASE, HEADER)
    (f,) = review(edit(BASE, HEADER, "152001|测试局|100.00|90.00||||60.00|40.00|"))
    assert (f.location.line, f.code) == (line, "amount-sum-mismatch")
    assert (f.expected, f.actual) == ("90.00 万元", "100.00 万元") and "相差 10.00 万元" in f.message
    # a department 项目支出 change moves the projects' coverage too
    assert found(edit(BASE, HEADER, "152001|测试局|100.00|100.00||||60.00|41.00|")) == [
        (line, "amount-sum-mismatch"), (line, "projects-not-covered")]


def test_rounding_within_printed_precision_is_accepted():
    doc = edit(BASE, HEADER, "152001|测试局|100.00|60.004|||40.001|60.00|40.00|")
    assert found(doc) == []


def test_blank_breakdown_is_reported_once():
    """Seed 000: 资金总额 580.25 with every 按收入性质分 / 按支出性质分 cell blank."""
    (f,) = review(edit(BASE, HEADER, "152001|测试局|100.00|||||||"))
    assert (f.code, f.severity) == ("amounts-missing", Severity.ERROR)
    assert "按收入性质分和按支出性质分" in f.message


def test_target_set_without_amount():
    doc = document(table("project_targets", tset(*complete(), line=5)))
    assert found(doc) == [(5, "amounts-missing")]


def test_special_fund_details_must_add_up():
    """Seed 004 附表3: 项目金额 4 = 合计 4 = Σ 明细."""
    details = (ExpenseDetail("业务性专项", "业务性工作经费支出", Decimal("3"), "", loc(40)),
               ExpenseDetail("业务性专项", "宣传经费", Decimal("1"), "", loc(41)))
    good = TargetSet(loc(5), project="业务性专项", amounts=tset(total="4").amounts, indicators=tuple(complete("4")),
                     details=details, details_total=Decimal("4"))
    assert found(document(table("special_fund_targets", good))) == []
    bad = TargetSet(loc(5), project="业务性专项", amounts=tset(total="4").amounts, indicators=tuple(complete("4")),
                    details=details[:1], details_total=Decimal("4"))
    assert found(document(table("special_fund_targets", bad))) == [(5, "amount-sum-mismatch")] * 2


# --- rule 21 / B12 ----------------------------------------------------------------------------


def test_unit_subtotal_and_total_of_the_project_table():
    total, unit = line_of(BASE, "合计||40.00"), line_of(BASE, "152001|测试局|40.00")
    assert found(edit(BASE, "152001|测试局|40.00|", "152001|测试局|41.00|")) == [
        (total, "amount-sum-mismatch"), (unit, "amount-sum-mismatch")]
    (f,) = review(edit(BASE, "合计||40.00|", "合计||45.00|"))
    assert (f.location.line, f.code, f.expected, f.actual) == (total, "amount-sum-mismatch", "40.00 万元", "45.00 万元")


def test_projects_must_cover_the_project_spending():
    """Seed 002: 项目支出 496.7 against six project tables summing to 395."""
    line = line_of(BASE, HEADER)
    (f,) = review(edit(BASE, HEADER, "152001|测试局|100.00|100.00||||50.00|50.00|"))
    assert (f.location.line, f.code, f.expected, f.actual) == (line, "projects-not-covered", "50.00", "40.00")
    assert "相差 10.00 万元" in f.message


def test_projects_are_compared_per_unit_when_both_sides_carry_codes():
    depts = [tset(*complete("100"), name=None, unit=f"单位{k}", unit_code=f"15200{k}", line=k, total="100",
                  general_budget="100", basic="90", project="10") for k in (1, 2)]
    projects = [tset(*complete("10"), name=f"项目{k}", unit_code=f"15200{k}", line=10 + k, total="10")
                for k in (1, 2)]
    assert found(document(table("department_targets", *depts), table("project_targets", *projects))) == []
    projects[1] = tset(*complete("8"), name="项目2", unit_code="152002", line=12, total="8")
    (f,) = review(document(table("department_targets", *depts), table("project_targets", *projects)))
    assert (f.location.line, f.code, f.subject) == (2, "projects-not-covered", "单位“单位2”")


def test_projects_against_the_disclosed_project_spending():
    """Without 整体 tables, B12 against 部门收支总表 二、项目支出 (seed 001: 2,475.05)."""
    projects = [tset(*complete("10"), name=f"项目{k}", line=10 + k, total="10") for k in (1, 2)]
    overview = BudgetTable("budget_overview", "部门收支总表", loc(50), rows=(
        BudgetRow("二、项目支出", loc(51), total=Decimal("20.00"), side="expenditure"),))
    doc = document(table("project_targets", *projects))
    assert found(doc.__class__(doc.source, (*doc.tables, overview))) == []
    overview = BudgetTable("budget_overview", "部门收支总表", loc(50), rows=(
        BudgetRow("二、项目支出", loc(51), total=Decimal("25.00"), side="expenditure"),))
    (f,) = review(doc.__class__(doc.source, (*doc.tables, overview)))
    assert (f.location.line, f.code, f.expected, f.actual) == (11, "projects-not-covered", "25.00", "20.00")
    assert "部门收支总表 二、项目支出" in f.message


def test_department_units_must_add_up_to_the_disclosed_total():
    """Seed 001: 1,093.68 + 1,711.27 + 2,268.13 = 5,073.08 in 部门支出总表."""
    depts = [tset(*complete("100"), name=None, unit=f"单位{k}", unit_code=f"15200{k}", line=k, total="100",
                  general_budget="100", basic="100") for k in (1, 2)]
    spending = BudgetTable("expenditure", "部门支出总表", loc(50), rows=(
        BudgetRow("合计", loc(51), total=Decimal("200.00"), values=(("basic", Decimal("200.00")),)),))
    doc = document(table("department_targets", *depts))
    assert found(doc.__class__(doc.source, (*doc.tables, spending))) == []
    spending = BudgetTable("expenditure", "部门支出总表", loc(50), rows=(
        BudgetRow("合计", loc(51), total=Decimal("250.00"), values=(("basic", Decimal("250.00")),)),))
    (f,) = review(doc.__class__(doc.source, (*doc.tables, spending)))
    assert (f.location.line, f.code, f.actual) == (1, "amount-sum-mismatch", "250.00 万元")


def test_placeholder_builder_weights():
    ph = placeholder("效益指标", "经济效益指标", line=20, text="/", weight="5")
    doc = document(table("project_targets", tset(*complete(), total="25", placeholders=(ph,))))
    assert found(doc) == [(1, "weights-sum"), (20, "weight-without-indicator")]

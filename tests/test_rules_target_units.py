"""Project-library forms (Shenzhen 二级项目支出绩效目标申报表 layout) on inline documents: the header
block, the indicator grid with 不适用 rows, amounts labelled 万元 that hold 元, amounts left at 0.

The real workbooks are in tests/test_golden_real_sheets.py; these documents change one thing
at a time so that each rule is seen to fire and to stay quiet.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.model.money import Unit
from jixiao.pipeline import parse_text
from jixiao.rules import run

GRID = """一级指标\t二级指标\t三级指标\t目标值\t指标解释
产出\t数量\t社区饭堂数量\t1处\t社区饭堂数量有1处
产出\t质量\t厨师厨工的服务效果\t≥95分\t考核服务质量
产出\t时效\t保障工作人员用餐的及时性\t3个小时内\t考核出餐用时
产出\t成本\t厨师厨工成本\t{cost}\t一年成本为不超过{cost}
效益\t经济效益\t不适用\t不适用\t不适用
效益\t社会效益\t对用餐环境的改善\t明显改善\t考核用餐环境是否达标
效益\t生态效益\t不适用\t不适用\t不适用
满意度\t服务对象满意度\t社区工作人员对环境满意度\t≥95%\t问卷调查
满意度\t其他满意度\t不适用\t不适用\t不适用
"""


def form(code: str, name: str, period_total: str, total: str, cost: str = "成本不超过13.7584万元",
         basis: str = "根据社区工作人员测算一般日常经费", grid: str = GRID) -> str:
    return (
        "二级项目支出绩效目标申报表\n"
        f"项目编码：\t{code}\t{code}\t项目名称：\t{name}\n"
        "申请单位：\t深圳市宝安区某街道办事处（本级）\t\t一级预算单位：\t深圳市宝安区某街道办事处（本级）\n"
        "实施期限：\t3\t\t项目类型：\t15 其他经费\n"
        f"项目总金额（中期规划，万元）：\t{period_total}\t{period_total}\t本年度项目金额（万元）：\t{total}\n"
        f"测算依据：\t{basis}\n"
        "年度目标：\t通过日常为工作人员提供伙食保障。\n"
        "长期目标（跨度多年的项目需填）：\t营造良好的工作条件及环境。\n"
        + grid.format(cost=cost)
    )


ONE = form("440306231391500000172", "社区工作站管理经费（东方社区）", "412752", "137584")


def check(text: str) -> list[Finding]:
    doc, parsed = parse_text(text, "form.txt")
    return sorted([*parsed, *run(doc)], key=Finding.sort_key)


def codes(text: str, *wanted: str) -> list[tuple[int | None, str, Severity]]:
    return [(f.location.line if f.location else None, f.code, f.severity) for f in check(text) if f.code in wanted]


def test_the_header_block_and_grid_are_one_project():
    doc, findings = parse_text(ONE, "form.txt")
    (table,) = doc.tables
    (ts,) = table.target_sets
    assert (table.kind, ts.project_code, ts.project, ts.unit, ts.period, ts.category) == (
        "project_targets", "440306231391500000172", "社区工作站管理经费（东方社区）", "深圳市宝安区某街道办事处（本级）",
        "3", "15 其他经费")
    assert (ts.amounts.total, ts.amounts.period_total, ts.amounts.unit) == (Decimal(137584), Decimal(412752), Unit.WANYUAN)
    assert ts.goal == "通过日常为工作人员提供伙食保障。" and ts.period_goal == "营造良好的工作条件及环境。"
    assert [i.name for i in ts.indicators] == [
        "社区饭堂数量", "厨师厨工的服务效果", "保障工作人员用餐的及时性", "厨师厨工成本", "对用餐环境的改善",
        "社区工作人员对环境满意度"]
    assert [(p.level2, p.text) for p in ts.placeholders] == [
        ("经济效益", "不适用"), ("生态效益", "不适用"), ("其他满意度", "不适用")]
    cost = ts.indicators[3].target
    assert (cost.op, cost.value, cost.unit) == ("≤", Decimal("13.7584"), "万元")
    assert not [f for f in findings if f.code in ("row-ambiguous", "cell-unplaced", "row-unplaced")]


def test_yuan_under_a_wanyuan_label_is_found_from_the_cost_target():
    (f,) = [f for f in check(ONE) if f.code == "amount-unit-suspect"]
    assert (f.severity, f.location.line, f.actual, f.expected) == (
        Severity.ERROR, 5, "本年度金额 137,584、项目总金额 412,752", "13.76")
    assert "经济成本指标合计 13.76 万元恰为该数的万分之一" in f.message
    # the cost-vs-budget comparison is not reported again as a consequence
    assert not codes(ONE, "cost-budget-mismatch")


def test_the_same_form_in_wanyuan_is_quiet():
    text = form("440306231391500000172", "社区工作站管理经费（东方社区）", "41.2752", "13.7584")
    assert not codes(text, "amount-unit-suspect", "cost-budget-mismatch", "amounts-missing")


def test_a_cost_far_below_a_wanyuan_budget_is_not_a_unit_error():
    """A cost of 1 % of the budget that is not one ten-thousandth of it: a coverage warning only."""
    text = form("440306231391500000172", "社区工作站管理经费（东方社区）", "3000", "1000", cost="不超过9万元")
    assert codes(text, "amount-unit-suspect", "cost-budget-mismatch") == [(13, "cost-budget-mismatch", Severity.WARNING)]


def test_the_calculation_basis_is_evidence_too():
    """No cost row; 测算依据 states 4.494 + 2 + 10.886 + 6.72 = 24.1 万元 for 241000."""
    basis = "党群服务分中心4.494万元，办公楼零星维护2万元，日用品10.886万元，宿舍6.72万元，标准1.3万元/人/年"
    text = form("1", "社区工作站管理经费（松涛社区）", "723000", "241000", cost="明显", basis=basis)
    (f,) = [f for f in check(text) if f.code == "amount-unit-suspect"]
    assert f.severity is Severity.ERROR and "测算依据写明 24.10 万元" in f.message
    assert not codes(text.replace("241000", "240000"), "amount-unit-suspect")  # 24.1 ≠ 24.0 (2 % at most)


def test_sets_of_the_same_table_without_evidence_are_warned():
    other = form("2", "政府购买服务（辅助管理类）", "13105104", "4368368", cost="明显")
    found = codes(ONE + other, "amount-unit-suspect")
    assert found == [(5, "amount-unit-suspect", Severity.ERROR), (23, "amount-unit-suspect", Severity.WARNING)]
    # a set whose cost fits its amount read in 万元 contradicts the inference for the table
    fits = form("3", "社区工作站经费", "150", "50", cost="不超过48万元")
    assert codes(ONE + other + fits, "amount-unit-suspect") == [(5, "amount-unit-suspect", Severity.ERROR)]


def test_zero_amounts_are_reported_once_and_not_against_each_cost():
    text = form("4", "系列文化活动经费", "0.0", "0.0", cost="≦43.8万元")
    assert codes(text, "amounts-missing", "cost-budget-mismatch", "amount-unit-suspect") == [
        (5, "amounts-missing", Severity.ERROR)]
    empty = "一级指标\t二级指标\t三级指标\t目标值\t指标解释\n产出\t数量\n产出\t成本\n效益\t社会效益\n满意度\t服务对象满意度\n"
    text = form("5", "政协联络事务经费", "0.0", "0.0", grid=empty)
    assert codes(text, "amounts-missing", "indicator-missing-category") == [
        (1, "indicator-missing-category", Severity.ERROR), (5, "amounts-missing", Severity.WARNING)]


def test_a_money_label_in_yuan_makes_the_set_yuan():
    text = ONE.replace("本年度项目金额（万元）", "本年度项目金额（元）").replace("项目总金额（中期规划，万元）", "项目总金额（中期规划，元）")
    (ts,) = parse_text(text, "form.txt")[0].tables[0].target_sets
    assert ts.amounts.unit is Unit.YUAN
    assert not codes(text, "amount-unit-suspect")


def test_two_projects_with_one_name_and_different_codes_stay_two():
    a = form("440306221390316200091", "奖励与支持股份合作公司发展专项资金", "63673818", "9168896")
    b = form("440306221390352600089", "奖励与支持股份合作公司发展专项资金", "0.0", "0.0")
    doc, findings = parse_text(a + b, "forms.txt")
    assert [s.project_code for s in doc.tables[0].target_sets] == ["440306221390316200091", "440306221390352600089"]
    assert "table-continued" not in [f.code for f in findings]

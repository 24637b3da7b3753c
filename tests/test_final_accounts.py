"""部门决算 (final accounts) documents: recognised as 决算 (not 自评报告, not 预算), their table family
read (财政部 部门决算公开表 公开01–09表) and their identities checked as for budgets (DOMAIN §3.2 as it
applies to 决算: totals = Σ parts, 总计 = 本年合计 + 结转和结余, 收入总计 = 支出总计, 财政拨款 by fund
across tables, 功能/经济分类 trees, “三公” items, 年初 + 本年收入 − 本年支出 = 年末).

``FINAL`` is a consistent 2023 部门决算 in the standard 财政部 formats (all identities hold, by hand);
each test breaks one thing and asserts exactly the finding it should cause.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.model.budget import BudgetTable
from jixiao.pipeline import parse_text
from jixiao.rules import Context
from jixiao.rules import run
from tests.test_rules_disclosure import BASE
from tests.test_rules_disclosure import line_of
from tests.test_rules_disclosure import mutate
from tests.test_rules_disclosure import to_text

FINAL = """
## 测试局2023年度部门决算

## 第一部分 部门概况

一、部门职责：负责全市测试工作。

## 第二部分 2023年度部门决算表

## 2023年度收入支出决算总表

编制单位：测试局

单位：万元

收入|||支出||
项目|行次|金额|项目|行次|金额
栏次||1|栏次||2
一、一般公共预算财政拨款收入|1|1,200.00|一、一般公共服务支出|32|1,000.00
二、政府性基金预算财政拨款收入|2|100.00|二、社会保障和就业支出|33|150.00
三、国有资本经营预算财政拨款收入|3||三、卫生健康支出|34|50.00
四、上级补助收入|4||四、城乡社区支出|35|100.00
五、事业收入|5|50.00|五、住房保障支出|36|50.00
六、经营收入|6||||
七、附属单位上缴收入|7||||
八、其他收入|8|10.00|||
本年收入合计|9|1,360.00|本年支出合计|37|1,350.00
使用非财政拨款结余|10||结余分配|38|
年初结转和结余|11|40.00|年末结转和结余|39|50.00
总计|12|1,400.00|总计|40|1,400.00

## 2023年度收入决算表

编制单位：测试局

单位：万元

项目||||本年收入合计|财政拨款收入|上级补助收入|事业收入|经营收入|附属单位上缴收入|其他收入
功能分类科目编码|||科目名称|||||||
类|款|项||||||||
栏次||||1|2|3|4|5|6|7
|||合计|1,360.00|1,300.00||50.00|||10.00
201|||一般公共服务支出|1,010.00|970.00||30.00|||10.00
201|03||政府办公厅（室）及相关机构事务|1,010.00|970.00||30.00|||10.00
201|03|01|行政运行|600.00|600.00|||||
201|03|02|一般行政管理事务|310.00|310.00|||||
201|03|50|事业运行|100.00|60.00||30.00|||10.00
208|||社会保障和就业支出|150.00|150.00|||||
208|05||行政事业单位养老支出|150.00|150.00|||||
208|05|05|机关事业单位基本养老保险缴费支出|100.00|100.00|||||
208|05|06|机关事业单位职业年金缴费支出|50.00|50.00|||||
210|||卫生健康支出|50.00|30.00||20.00|||
210|11||行政事业单位医疗|50.00|30.00||20.00|||
210|11|01|行政单位医疗|30.00|30.00|||||
210|11|02|事业单位医疗|20.00|||20.00|||
212|||城乡社区支出|100.00|100.00|||||
212|08||国有土地使用权出让收入安排的支出|100.00|100.00|||||
212|08|99|其他国有土地使用权出让收入安排的支出|100.00|100.00|||||
221|||住房保障支出|50.00|50.00|||||
221|02||住房改革支出|50.00|50.00|||||
221|02|01|住房公积金|50.00|50.00|||||

## 支出决算表

编制单位：测试局

单位：万元

项目||||本年支出合计|基本支出|项目支出|上缴上级支出|经营支出|对附属单位补助支出
功能分类科目编码|||科目名称||||||
类|款|项|||||||
栏次||||1|2|3|4|5|6
|||合计|1,350.00|950.00|400.00|||
201|||一般公共服务支出|1,000.00|700.00|300.00|||
201|03||政府办公厅（室）及相关机构事务|1,000.00|700.00|300.00|||
201|03|01|行政运行|600.00|600.00||||
201|03|02|一般行政管理事务|300.00||300.00|||
201|03|50|事业运行|100.00|100.00||||
208|||社会保障和就业支出|150.00|150.00||||
208|05||行政事业单位养老支出|150.00|150.00||||
208|05|05|机关事业单位基本养老保险缴费支出|100.00|100.00||||
208|05|06|机关事业单位职业年金缴费支出|50.00|50.00||||
210|||卫生健康支出|50.00|50.00||||
210|11||行政事业单位医疗|50.00|50.00||||
210|11|01|行政单位医疗|30.00|30.00||||
210|11|02|事业单位医疗|20.00|20.00||||
212|||城乡社区支出|100.00||100.00|||
212|08||国有土地使用权出让收入安排的支出|100.00||100.00|||
212|08|99|其他国有土地使用权出让收入安排的支出|100.00||100.00|||
221|||住房保障支出|50.00|50.00||||
221|02||住房改革支出|50.00|50.00||||
221|02|01|住房公积金|50.00|50.00||||

## 财政拨款收入支出决算总表

编制单位：测试局

单位：万元

收入|||支出|||||
项目|行次|金额|项目|行次|合计|一般公共预算财政拨款|政府性基金预算财政拨款|国有资本经营预算财政拨款
栏次||1|栏次||2|3|4|5
一、一般公共预算财政拨款|1|1,200.00|一、一般公共服务支出|33|960.00|960.00||
二、政府性基金预算财政拨款|2|100.00|二、社会保障和就业支出|34|150.00|150.00||
三、国有资本经营预算财政拨款|3||三、卫生健康支出|35|30.00|30.00||
|||四、城乡社区支出|36|100.00||100.00|
|||五、住房保障支出|37|50.00|50.00||
本年收入合计|4|1,300.00|本年支出合计|38|1,290.00|1,190.00|100.00|
年初财政拨款结转和结余|5|30.00|年末财政拨款结转和结余|39|40.00|40.00||
一般公共预算财政拨款|6|30.00||||||
政府性基金预算财政拨款|7|||||||
国有资本经营预算财政拨款|8|||||||
总计|9|1,330.00|总计|40|1,330.00|1,230.00|100.00|

## 一般公共预算财政拨款支出决算表

编制单位：测试局

单位：万元

项目||||本年支出|||
功能分类科目编码|||科目名称|小计|基本支出|项目支出
类|款|项||||
栏次||||1|2|3
|||合计|1,190.00|890.00|300.00
201|||一般公共服务支出|960.00|660.00|300.00
201|03||政府办公厅（室）及相关机构事务|960.00|660.00|300.00
201|03|01|行政运行|600.00|600.00|
201|03|02|一般行政管理事务|300.00||300.00
201|03|50|事业运行|60.00|60.00|
208|||社会保障和就业支出|150.00|150.00|
208|05||行政事业单位养老支出|150.00|150.00|
208|05|05|机关事业单位基本养老保险缴费支出|100.00|100.00|
208|05|06|机关事业单位职业年金缴费支出|50.00|50.00|
210|||卫生健康支出|30.00|30.00|
210|11||行政事业单位医疗|30.00|30.00|
210|11|01|行政单位医疗|30.00|30.00|
221|||住房保障支出|50.00|50.00|
221|02||住房改革支出|50.00|50.00|
221|02|01|住房公积金|50.00|50.00|

## 一般公共预算财政拨款基本支出决算表

编制单位：测试局

单位：万元

人员经费|||公用经费|||
科目编码|科目名称|决算数|科目编码|科目名称|决算数
301|工资福利支出|760.00|302|商品和服务支出|85.00
30101|基本工资|300.00|30201|办公费|40.00
30102|津贴补贴|200.00|30211|差旅费|10.00
30107|绩效工资|100.00|30217|公务接待费|5.00
30108|机关事业单位基本养老保险缴费|100.00|30231|公务用车运行维护费|20.00
30109|职业年金缴费|50.00|30299|其他商品和服务支出|10.00
30113|住房公积金|10.00|310|资本性支出|5.00
303|对个人和家庭的补助|40.00|31002|办公设备购置|5.00
30302|退休费|40.00|||
人员经费合计||800.00|公用经费合计||90.00

## 一般公共预算财政拨款“三公”经费支出决算表

编制单位：测试局

单位：万元

预算数||||||决算数|||||
合计|因公出国（境）费|公务用车购置及运行费|||公务接待费|合计|因公出国（境）费|公务用车购置及运行费|||公务接待费
||小计|公务用车购置费|公务用车运行费||||小计|公务用车购置费|公务用车运行费|
栏次||||||||||||
30.00|0.00|20.00|0.00|20.00|10.00|25.00|0.00|20.00|0.00|20.00|5.00

## 政府性基金预算财政拨款收入支出决算表

编制单位：测试局

单位：万元

项目||||年初结转和结余|本年收入|本年支出|||年末结转和结余
功能分类科目编码|||科目名称|||小计|基本支出|项目支出|
类|款|项|||||||
|||合计|0.00|100.00|100.00||100.00|0.00
212|||城乡社区支出|0.00|100.00|100.00||100.00|0.00
212|08||国有土地使用权出让收入安排的支出|0.00|100.00|100.00||100.00|0.00
212|08|99|其他国有土地使用权出让收入安排的支出|0.00|100.00|100.00||100.00|0.00

## 国有资本经营预算财政拨款支出决算表

编制单位：测试局

单位：万元

项目||||本年支出|||
功能分类科目编码|||科目名称|合计|基本支出|项目支出
类|款|项||||
无||||||

注：本单位2023年度无国有资本经营预算财政拨款支出，故本表为空表。
"""



def change(old: str, new: str, text: str | None = None) -> str:
    return mutate(old, new, FINAL if text is None else text)


def parse(text: str = FINAL):
    return parse_text(to_text(text), "final.txt")


def findings(text: str = FINAL):
    doc, found = parse(text)
    return sorted([*found, *run(doc, Context())], key=lambda f: f.sort_key())


def problems(text: str = FINAL):
    """Every warning and error (the clean document has none)."""
    return [(f.location.line if f.location else None, f.code) for f in findings(text) if f.severity.value != "info"]


def table(doc, kind: str) -> BudgetTable:
    (t,) = [t for t in doc.tables if t.kind == kind]
    return t


# ---------------------------------------------------------------- genre and table family


def test_final_accounts_are_recognised_as_such():
    doc, _ = parse()
    assert doc.kind == "final_accounts"
    assert [t.kind for t in doc.tables] == [
        "budget_overview", "revenue", "expenditure", "fiscal_overview", "general_budget_expenditure",
        "basic_expenditure", "three_public", "gov_fund_expenditure", "state_capital_expenditure"]
    assert (doc.year, doc.org) == (2023, "测试局")
    base, _ = parse_text(to_text(BASE))
    assert base.kind == "budget_disclosure"  # a 预算 stays a 预算


def test_the_consistent_document_is_clean():
    assert problems() == []
    infos = [(f.code, f.location.line) for f in findings() if f.severity.value == "info"]
    assert infos == [("budget-placeholder-row", line_of(FINAL, "无||||||"))]  # the empty 国有资本 table's 无 row


def test_overview_rows_and_line_numbers():
    doc, _ = parse()
    ov = table(doc, "budget_overview")
    income = {r.name: r.total for r in ov.rows if r.side == "income"}
    spending = {r.name: r.total for r in ov.rows if r.side == "expenditure"}
    assert income["本年收入合计"] == Decimal("1360.00") and income["年初结转和结余"] == Decimal("40.00")
    assert spending["本年支出合计"] == Decimal("1350.00") and spending["总计"] == Decimal("1400.00")
    first = ov.rows[0]
    assert first.value("line_no") == "1"  # 行次 kept as printed, never an amount
    assert "line_no" in ov.columns


def test_columns_of_the_final_tables():
    doc, _ = parse()
    assert table(doc, "revenue").columns == ("total", "fiscal", "superior", "business", "operating", "affiliated", "other")
    assert table(doc, "expenditure").columns == ("total", "basic", "project", "remit", "operating", "subsidiary")
    assert table(doc, "gov_fund_expenditure").columns == ("opening", "income", "total", "basic", "project", "closing")
    sangong = table(doc, "three_public")
    (row,) = sangong.rows
    assert (row.total, row.value("reception"), row.value("budget_total"), row.value("budget_reception")) == (
        Decimal("25.00"), Decimal("5.00"), Decimal("30.00"), Decimal("10.00"))


def test_basic_table_printed_in_side_by_side_groups_reads_as_one_list():
    doc, _ = parse()
    t = table(doc, "basic_expenditure")
    assert [r.code for r in t.rows if r.code][:3] == ["301", "30101", "30102"]
    assert [(r.name, r.total) for r in t.rows if r.code is None] == [
        ("人员经费合计", Decimal("800.00")), ("公用经费合计", Decimal("90.00"))]
    assert next(r for r in t.rows if r.code == "302").location.column == 4  # the 公用经费 group, as printed


def test_an_empty_final_table_with_a_none_row():
    doc, _ = parse()
    t = table(doc, "state_capital_expenditure")
    assert t.rows == () and t.empty_statement


# ---------------------------------------------------------------- identities


def test_income_total_differs_from_its_items():
    text = change("本年收入合计|9|1,360.00|本年支出合计|37|1,350.00", "本年收入合计|9|1,370.00|本年支出合计|37|1,350.00")
    found = [f for f in findings(text) if f.severity.value != "info"]
    # the 本年收入合计 disagrees with its items and with 收入决算表; the 总计 (= items + 结转) is right
    # and is not reported again for the one wrong cell
    assert [(f.location.line, f.message) for f in found] == [
        (line_of(text, "本年收入合计|9|1,370.00"),
         "收入支出决算总表/本年收入合计：本年收入合计（各项收入之和）应为 1,360.00 万元，实为 1,370.00 万元，相差 10.00 万元"),
        (line_of(text, "|||合计|1,360.00|1,300.00"),
         "收入决算表/合计：合计（= 收入支出决算总表 本年收入合计）应为 1,370.00 万元，实为 1,360.00 万元，相差 10.00 万元"),
    ]


def test_year_income_and_spending_may_differ_but_the_totals_may_not():
    text = change("总计|12|1,400.00|总计|40|1,400.00", "总计|12|1,400.00|总计|40|1,410.00")
    found = [(f.code, f.subject) for f in findings(text) if f.severity.value != "info"]
    assert ("amount-sum-mismatch", "收入支出决算总表/总计") in found
    assert all("本年支出合计（= 本年收入合计）" not in f.message for f in findings())


def test_fiscal_income_by_fund_across_tables():
    text = change("一、一般公共预算财政拨款收入|1|1,200.00|一、一般公共服务支出|32|1,000.00",
                  "一、一般公共预算财政拨款收入|1|1,210.00|一、一般公共服务支出|32|1,000.00")
    found = [f for f in findings(text) if f.code == "amount-sum-mismatch"]
    subjects = sorted({f.subject for f in found})
    assert "收入支出决算总表/一般公共预算财政拨款收入" in subjects  # = 财政拨款收入支出决算总表's row
    assert "财政拨款收入支出决算总表/本年收入合计" in subjects  # Σ funds
    assert "收入决算表/合计" in subjects  # 财政拨款收入 column


def test_fiscal_overview_balances():
    text = change("年初财政拨款结转和结余|5|30.00|年末财政拨款结转和结余|39|40.00|40.00||",
                  "年初财政拨款结转和结余|5|30.00|年末财政拨款结转和结余|39|45.00|45.00||")
    found = [(f.subject, f.expected, f.actual) for f in findings(text) if f.code == "amount-sum-mismatch"]
    assert ("财政拨款收入支出决算总表/总计", "1,335.00 万元", "1,330.00 万元") in found


def test_expenditure_table_row_and_tree():
    text = change("201|03|50|事业运行|100.00|100.00||||", "201|03|50|事业运行|100.00|90.00||||")
    found = [(f.location.line, f.subject) for f in findings(text) if f.code == "amount-sum-mismatch"]
    line = line_of(text, "201|03|50|事业运行|100.00|90.00")
    assert (line, "支出决算表/2010350 事业运行") in found  # 合计 = 基本 + 项目 + …
    assert any(s == "支出决算表/20103 政府办公厅（室）及相关机构事务" for _, s in found)  # 款 = Σ 项 in 基本支出


def test_general_budget_against_fiscal_overview_and_basic_table():
    text = change("|||合计|1,190.00|890.00|300.00", "|||合计|1,190.00|880.00|310.00")
    found = [f.message for f in findings(text) if f.code == "amount-sum-mismatch"]
    assert any("基本支出（= 一般公共预算财政拨款基本支出决算表 人员经费合计 + 公用经费合计）应为 890.00 万元" in m for m in found)


def test_basic_table_personnel_and_public_totals():
    text = change("人员经费合计||800.00|公用经费合计||90.00", "人员经费合计||810.00|公用经费合计||90.00")
    found = [(f.subject, f.message) for f in findings(text) if f.code == "amount-sum-mismatch"]
    assert any(s == "一般公共预算财政拨款基本支出决算表/人员经费合计" and "301 + 303 之和" in m for s, m in found)


def test_three_public_budget_block():
    text = change("30.00|0.00|20.00|0.00|20.00|10.00|25.00|0.00|20.00|0.00|20.00|5.00",
                  "32.00|0.00|20.00|0.00|20.00|10.00|25.00|0.00|20.00|0.00|20.00|5.00")
    found = [f.message for f in findings(text) if f.code == "amount-sum-mismatch"]
    assert len(found) == 1 and "预算数 合计（因公出国（境）费 + 公务用车购置及运行费 + 公务接待费）应为 30.00 万元，实为 32.00 万元" in found[0]


def test_gov_fund_year_end_balance():
    text = change("212|08|99|其他国有土地使用权出让收入安排的支出|0.00|100.00|100.00||100.00|0.00",
                  "212|08|99|其他国有土地使用权出让收入安排的支出|0.00|100.00|100.00||100.00|5.00")
    found = [(f.location.line, f.message) for f in findings(text) if f.code == "amount-sum-mismatch"]
    line = line_of(text, "其他国有土地使用权出让收入安排的支出|0.00|100.00|100.00||100.00|5.00")
    assert (line, "政府性基金预算财政拨款收入支出决算表/2120899 其他国有土地使用权出让收入安排的支出："
                  "年末结转和结余（年初结转和结余 + 本年收入 − 本年支出）应为 0.00 万元，实为 5.00 万元，相差 5.00 万元") in found


def test_missing_final_table():
    start, end = FINAL.index("## 2023年度收入决算表"), FINAL.index("## 支出决算表")
    found = [f for f in findings(FINAL[:start] + FINAL[end:]) if f.code in ("final-table-missing", "disclosure-table-missing")]
    assert [(f.code, f.severity.value) for f in found] == [("final-table-missing", "warning")]
    assert found[0].message == "测试局：部门决算公开应包含第 2 张表“收入决算表”，文件中没有找到"


def test_old_class_name_in_a_final_accounts_of_its_year():
    text = FINAL.replace("210|||卫生健康支出", "210|||医疗卫生与计划生育支出")
    found = [f for f in findings(text) if f.code == "func-code-name-outdated"]
    assert {f.subject for f in found} == {"收入决算表/210 医疗卫生与计划生育支出", "支出决算表/210 医疗卫生与计划生育支出",
                                          "一般公共预算财政拨款支出决算表/210 医疗卫生与计划生育支出"}


def test_a_final_accounts_narrative_without_its_tables_is_not_a_self_evaluation_report():
    text = ("测试局2023年度部门决算说明\n\n一、部门基本情况\n\n本部门负责测试工作。\n\n"
            "二、收入支出决算总体情况说明\n\n2023年度收入总计1,400.00万元，支出总计1,400.00万元。\n")
    doc, _ = parse_text(text)
    assert doc.kind == "final_accounts"
    report = text.replace("二、收入支出决算总体情况说明", "二、部门整体支出绩效自评情况")
    assert parse_text(report)[0].kind == "self_evaluation_report"


LOCAL = """
## 2023年度部门收支决算总表

单位：万元

收入|||支出||
项目|年初预算数|决算数|项目|年初预算数|决算数
一、一般公共预算财政拨款收入|900.00|1,000.00|一、一般公共服务支出|900.00|1,000.00
本年收入合计|900.00|1,000.00|本年支出合计|900.00|1,000.00
总计|900.00|1,000.00|总计|900.00|1,000.00

## 2023年度一般公共预算财政拨款支出决算表

单位：万元

科目编码|||科目名称|年初预算数|调整预算数|决算数||
类|款|项||||合计|基本支出|项目支出
|||合计|900.00|950.00|1,000.00|600.00|400.00
201|||一般公共服务支出|900.00|950.00|1,000.00|600.00|400.00
201|03|01|行政运行|500.00|550.00|600.00|600.00|
201|03|02|一般行政管理事务|400.00|400.00|400.00||400.00
"""


def test_budget_columns_beside_the_final_amounts():
    doc, found = parse_text(to_text(LOCAL))
    assert doc.kind == "final_accounts"
    ov = table(doc, "budget_overview")
    assert ov.columns == ("budget_initial", "total")
    gb = table(doc, "general_budget_expenditure")
    assert gb.columns == ("budget_initial", "budget_adjusted", "total", "basic", "project")
    assert [f.code for f in found if f.severity.value != "info"] == []
    # 年初预算数 is summed like the 决算数: 类 = Σ 项 in that column too
    text = LOCAL.replace("201|03|01|行政运行|500.00|550.00|600.00|600.00|", "201|03|01|行政运行|510.00|550.00|600.00|600.00|")
    found = [f.message for f in findings(text) if f.code == "amount-sum-mismatch"]
    assert any("年初预算数（所属各项之和）应为 910.00 万元" in m for m in found)

"""Rule 28: the 部门预算说明 against the tables, stated changes, reasons, 政府采购."""

from __future__ import annotations

from jixiao.rules import Context
from jixiao.rules.disclosure_text import check_text_table
from tests.test_rules_disclosure import BASE
from tests.test_rules_disclosure import line_of
from tests.test_rules_disclosure import mutate
from tests.test_rules_disclosure import parse

INCOME = "（一）收入预算：2023 年本部门收入预算 1,000.00 万元，其中，一般公共预算拨款 1,000.00 万元。收入较去年减少 50.00 万元，下降 4.76%。主要是一次性项目预算减少。"
BASIC = "（一）基本支出：2023年本部门基本支出预算数600.00万元。"
PROJECT = "（二）项目支出：2023年本部门项目支出预算400.00万元，其中：一般公共服务支出 400.00 万元。"
RUNNING = "（一）机关运行经费：2023 年本部门机关运行经费 80.00 万元，比上年预算增加 5.00 万元，上升 6.67%。主要是人员增加。"
SANGONG = ("（二）“三公”经费预算：2023 年本部门“三公”经费预算数为 32.00 万元，其中，公务接待费 12.00 万元，公务用车购置及运行费 20.00 万元"
           "（其中，公务用车购置费 0.00 万元，公务用车运行费 20.00 万元），因公出国（境）费 0.00 万元。")
PROCUREMENT = "（四）政府采购情况：2023 年本部门政府采购预算总额 300.00 万元，其中，货物类采购预算 100.00 万元；工程类采购预算 0 万元；服务类采购预算 200.00 万元。"


def findings(text: str):
    return list(check_text_table(parse(text), Context(profile="disclosure")))


def test_base_narrative_agrees_with_tables():
    doc = parse(BASE)
    assert len(doc.amounts) >= 20  # the rule has something to compare
    assert findings(BASE) == []


def test_stated_basic_expenditure_differs():
    text = mutate(BASIC, BASIC.replace("600.00万元", "650.00万元"))
    (f,) = findings(text)
    assert (f.code, f.location.line, f.severity.value) == ("text-table-mismatch", line_of(text, "基本支出预算数650"), "error")
    assert f.message == "基本支出：说明中为 650.00 万元，部门收支总表 基本支出为 600.00 万元，相差 50.00 万元"
    assert (f.expected, f.actual) == ("600.00 万元", "650.00 万元")
    assert "650.00万元" in f.source_text


def test_text_tolerance_follows_printed_precision():
    # printed to the fen: must match to the fen (DOMAIN's 0.5 万元 would hide 0.40)
    (f,) = findings(mutate(BASIC, BASIC.replace("600.00万元", "600.40万元")))
    assert (f.code, f.expected, f.actual) == ("text-table-mismatch", "600.00 万元", "600.40 万元")
    assert findings(mutate(BASIC, BASIC.replace("600.00万元", "600.01万元"))) == []
    # printed in whole 万元: half a unit of that precision
    assert findings(mutate(BASIC, BASIC.replace("600.00万元", "600万元"))) == []
    assert len(findings(mutate(BASIC, BASIC.replace("600.00万元", "601万元")))) == 1


def test_amounts_in_yuan_are_converted():
    assert findings(mutate(BASIC, BASIC.replace("600.00万元", "6,000,000.00元"))) == []


def test_running_costs_must_equal_public_funds():
    text = mutate(RUNNING, RUNNING.replace("80.00 万元", "85.00 万元"))
    (f,) = findings(text)
    assert f.message == "机关运行经费：说明中为 85.00 万元，一般公共预算基本支出表 合计/公用经费为 80.00 万元，相差 5.00 万元"
    # 上升 6.67% = 5 / (80 − 5): the percentage follows from the table's 80.00, so the wrong figure is
    # the restated 85.00 alone (one finding, not a cascade)


def test_a_percentage_wrong_against_both_the_text_and_the_table_is_reported():
    text = mutate(RUNNING, RUNNING.replace("80.00 万元", "85.00 万元").replace("上升 6.67%", "上升 9.00%"))
    assert sorted(f.code for f in findings(text)) == ["change-mismatch", "text-table-mismatch"]


def test_sangong_parts():
    text = mutate(SANGONG, SANGONG.replace("公务接待费 12.00", "公务接待费 13.00"))
    (f,) = findings(text)
    assert f.message == "公务接待费：说明中为 13.00 万元，“三公”经费支出表 合计/公务接待费为 12.00 万元，相差 1.00 万元"


def test_class_amount_in_the_project_paragraph():
    text = mutate(PROJECT, PROJECT.replace("一般公共服务支出 400.00", "一般公共服务支出 450.00"))
    (f,) = findings(text)
    assert f.message.startswith("一般公共服务支出：说明中为 450.00 万元，部门支出总表 201 一般公共服务支出/项目支出为 400.00 万元")


def test_change_percentage_recomputed():
    text = mutate(INCOME, INCOME.replace("下降 4.76%", "下降 5.00%"))
    (f,) = findings(text)
    assert (f.code, f.location.line, f.severity.value) == ("change-mismatch", line_of(text, "下降 5.00%"), "error")
    assert f.message == ("收入预算较去年变动：说明为“下降 5.00%”，按本年 1,000.00 万元、减少 50.00 万元（上年 1,050.00 万元）"
                         "计算应为下降 4.76%")


def test_change_percentage_within_a_tenth_of_a_point():
    assert findings(mutate(INCOME, INCOME.replace("下降 4.76%", "下降 4.8%"))) == []
    assert findings(mutate(INCOME, INCOME.replace("下降 4.76%", "下降 4.7%"))) == []
    assert len(findings(mutate(INCOME, INCOME.replace("下降 4.76%", "下降 4.6%")))) == 1


def test_change_direction_contradicts_percentage():
    text = mutate(RUNNING, RUNNING.replace("上升 6.67%", "下降 6.67%"))
    (f,) = findings(text)
    assert f.code == "change-mismatch" and f.message.endswith("应为增长 6.67%（增减方向相反）")


def test_change_without_reason():
    text = mutate(RUNNING, RUNNING.replace("主要是人员增加。", "详见附表。"))
    (f,) = findings(text)
    assert (f.code, f.severity.value) == ("change-reason-missing", "warning")
    assert f.message == "机关运行经费比上年预算增加：说明了较上年增加 5.00 万元，但未说明原因（如“主要是……”）"


def test_procurement_parts_must_add_up():
    text = mutate(PROCUREMENT, PROCUREMENT.replace("货物类采购预算 100.00", "货物类采购预算 110.00"))
    (f,) = findings(text)
    assert f.code == "amount-sum-mismatch"
    assert f.message == "政府采购：政府采购预算总额（货物 + 工程 + 服务）应为 310.00 万元，实为 300.00 万元，相差 10.00 万元"


def test_no_tables_no_comparison():
    narrative = BASE[: BASE.index("## 第二部分")]
    assert findings(narrative) == []


def test_share_is_not_a_change_rate():
    text = mutate(INCOME, INCOME.replace("下降 4.76%", "占总收入 9.99%"))
    assert findings(text) == []


def test_people_and_public_funds_in_text():
    text = mutate(BASIC, "（一）基本支出：2023年本部门基本支出预算数600.00万元，其中：人员经费520.00万元，公用经费85.00万元。")
    (f,) = findings(text)
    assert f.message == "公用经费：说明中为 85.00 万元，一般公共预算基本支出表 合计/公用经费为 80.00 万元，相差 5.00 万元"


def test_reason_in_the_next_paragraph_counts():
    text = mutate(RUNNING, RUNNING.replace("主要是人员增加。", "") + "\n\n主要原因是人员增加。")
    assert findings(text) == []


def test_seed_001_narrative_matches_its_tables():
    """Seed 001: every amount of the 说明 checked by hand against the 8 tables (5073.08, 2598.03, 2475.05,
    271.17, 18.34 = 7.70 + 10.64, 2068.63 = 37.78 + 0 + 2030.85; 199.05 / 5272.13 = 3.78%,
    18.53 / 252.64 = 7.33%): no finding, and the rule did compare them."""
    from jixiao.pipeline import parse_file
    from jixiao.rules._disclosure_figures import figures
    from jixiao.rules._disclosure_text_match import topic_of
    from tests.conftest import seed

    doc, _ = parse_file(seed("001"), name="001.txt")
    assert list(check_text_table(doc, Context(profile="disclosure"))) == []
    figs = figures(doc)
    classes = {k[6:]: v for k, v in figs.items() if k.startswith("class:")}
    compared = [a for a in doc.amounts if a.change is None and a.unit == "万元" and figs.get(topic_of(a.label, classes) or "")]
    assert len(compared) >= 18

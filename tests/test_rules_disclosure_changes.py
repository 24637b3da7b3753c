"""Rule 28, the 说明 against itself: an item stated twice, stated changes recomputed in their direction
with interval arithmetic, 持平, reasons given later in the section, precise topics, one finding per
error. Paragraphs are worded as the Hunan (seed 001) and Shanghai (tests/data/real) 说明 word them.
"""

from __future__ import annotations

import pytest

from jixiao.pipeline import parse_text
from jixiao.rules import Context
from jixiao.rules import run
from jixiao.rules._disclosure_text_match import topic_of
from jixiao.rules.disclosure_text import check_text_table
from tests.conftest import DATA
from tests.test_rules_disclosure import BASE
from tests.test_rules_disclosure import mutate
from tests.test_rules_disclosure import parse

HEAD = "2024年部门预算编制说明\n"
WANLI = DATA / "real" / "sh_putuo_wanli_street_2024_dept_budget.txt"


def text_findings(text: str):
    doc, _ = parse_text(text)
    return sorted(check_text_table(doc, Context(profile="disclosure")), key=lambda f: f.sort_key())


def codes(text: str):
    return [(f.code, f.location.line) for f in text_findings(text)]


# ---------------------------------------------------------------- an item stated twice


SH_ITEM = ("31. “住房保障支出（类）住房改革支出（款）住房公积金（项）”{first}万元，主要用于住房公积金。2023年当年预算执行数为"
           "348.52万元，2024年预算安排{second}万元，比2023年预算执行数增加{pct}%。主要原因是：住房公积金经费增加。\n")


def test_an_item_restated_with_another_figure():
    text = HEAD + SH_ITEM.format(first="350.35", second="352.67", pct="0.53")
    found = text_findings(text)
    # one finding: the restatement; 0.53% follows from 350.35, so the percentage is not the wrong figure
    assert [(f.code, f.location.line, f.severity.value) for f in found] == [("text-text-mismatch", 2, "error")]
    assert found[0].message == ("“住房保障支出（类）住房改革支出（款）住房公积金（项）”：同一事项前后两次说明的金额不一致，"
                                "第 2 行“住房保障支出（类）住房改革支出（款）住房公积金（项）”为 350.35 万元，"
                                "第 2 行“预算安排”为 352.67 万元")


@pytest.mark.parametrize(("first", "second", "pct"), [("350.35", "350.35", "0.53"), ("352.67", "352.67", "1.19"),
                                                    ("350.4", "350.35", "0.53")])
def test_an_item_restated_with_the_same_figure(first, second, pct):
    assert codes(HEAD + SH_ITEM.format(first=first, second=second, pct=pct)) == []


@pytest.mark.parametrize(
    "paragraph",
    [
        "（一）机关运行经费：2023年本部门机关运行经费80.00万元，比上年预算增加5.00万元，主要是人员增加。机关运行经费85.00万元，主要用于办公费等。",
        "（二）收入预算：2023年本部门收入预算1,000.00万元。其中：一般公共预算拨款1,000.00万元。收入预算1,100.00万元。",
        "2024年，本部门公务接待费12.00万元，比上年持平，主要原因是接待任务不变。公务接待费 12.50 万元用于接待上级检查。",
    ],
)
def test_the_same_label_restated_in_a_later_sentence(paragraph):
    assert [c for c, _ in codes("一、说明\n" + paragraph + "\n")] == ["text-text-mismatch"]


@pytest.mark.parametrize(
    "paragraph",
    [
        # two units, each with its own 基本支出: a scope opens the second sentence
        "局机关本级：基本支出600.00万元，项目支出400.00万元。政务服务中心：基本支出300.00万元，项目支出100.00万元。",
        # two years
        "2023年本部门机关运行经费80.00万元。2022年本部门机关运行经费75.00万元，增加的主要原因是人员增加。",
        # a part of the item, not the item
        "2023年本部门“三公”经费32.00万元。其中，公务接待费12.00万元。公务用车购置及运行费20.00万元。",
        # two paragraphs: not one statement restated
        "2023年本部门机关运行经费80.00万元。\n\n机关运行经费（上年）75.00万元。",
    ],
)
def test_different_items_or_periods_are_not_restatements(paragraph):
    assert [c for c, _ in codes("一、说明\n" + paragraph + "\n") if c == "text-text-mismatch"] == []


def test_restated_item_against_the_table_names_the_wrong_one():
    """Wanli item 31 (real): the table's 2210201 住房公积金 is 350.35 万元, so 352.67 is the wrong figure."""
    doc, _ = parse_text(WANLI.read_text(encoding="utf-8"), WANLI.name)
    found = [f for f in run(doc) if f.severity.value == "error"]
    assert [(f.code, f.location.line, f.expected, f.actual) for f in found] == [
        ("text-text-mismatch", 155, "350.35 万元", "352.67 万元")]
    assert found[0].message.endswith("；一般公共预算支出功能分类预算表 2210201 住房公积金为 350.35 万元，与第 154 行一致")
    # the item line itself wrong: the finding moves to it
    text = WANLI.read_text(encoding="utf-8").replace("住房公积金（项）”350.35万元", "住房公积金（项）”352.67万元")
    doc, _ = parse_text(text.replace("预算安排352.67万元", "预算安排350.35万元"), WANLI.name)
    found = [f for f in run(doc) if f.severity.value == "error"]
    assert [(f.code, f.location.line, f.actual) for f in found] == [("text-text-mismatch", 154, "352.67 万元")]


# ---------------------------------------------------------------- stated changes


SH_CHANGE = "1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”{now}万元，主要用于专项普查活动。2023年当年预算执行数为{then}万元，2024年预算安排{now}万元，比2023年预算执行数{verb}{pct}%。主要原因是：项目调整。\n"


@pytest.mark.parametrize(
    ("now", "then", "verb", "pct"),
    [
        ("25.77", "60.13", "减少", "57.14"),
        ("88.87", "60.79", "增加", "46.19"),
        ("0.39", "0.31", "增加", "25.81"),  # a small base: 0.08 / 0.31
        ("0.39", "0.31", "增加", "29"),  # … and within the rounding of 0.385–0.395 over 0.305–0.315
        ("0.4", "0.3", "增长", "33.3"),
        ("30.00", "15.00", "增加", "100.00"),
        ("25.00", "0.00", "增加", "100.00"),  # from nothing: no percentage to recompute
    ],
)
def test_stated_percentage_follows_from_the_two_amounts(now, then, verb, pct):
    assert codes(HEAD + SH_CHANGE.format(now=now, then=then, verb=verb, pct=pct)) == []


@pytest.mark.parametrize(
    ("now", "then", "verb", "pct", "expected"),
    [
        ("25.77", "60.13", "减少", "47.14", "下降 57.14%"),
        ("0.39", "0.31", "增加", "35.81", "增长 25.81%"),
        ("88.87", "60.79", "减少", "46.19", "增长 46.19%（增减方向相反）"),  # stated 减少 while the amounts rise
        ("25.77", "60.13", "增长", "57.14", "下降 57.14%（增减方向相反）"),
    ],
)
def test_stated_percentage_that_does_not_follow(now, then, verb, pct, expected):
    (f,) = text_findings(HEAD + SH_CHANGE.format(now=now, then=then, verb=verb, pct=pct))
    assert (f.code, f.location.line) == ("change-mismatch", 2)
    assert f.message.endswith("计算应为" + expected)
    assert f.subject.startswith("“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”（预算安排较2023年预算执行数变动）")


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [
        ("2023年当年预算执行数为10.00万元，2024年预算安排10.00万元，比2023年预算执行数持平。", True),
        ("2023年当年预算执行数为10.00万元，2024年预算安排12.00万元，比2023年预算执行数持平。", False),
        ("2023年预算数为100.00万元，2024年预算数为103.00万元，与上年基本持平。", True),
        ("2023年预算数为100.00万元，2024年预算数为120.00万元，与上年基本持平。", False),
        ("公务用车运行费21.56万元，比2023年预算持平。", True),  # the year before is not stated
    ],
)
def test_flat(sentence, ok):
    found = codes(HEAD + "1. 科普活动经费说明。" + sentence + "主要原因是：经费保持不变。\n")
    assert (found == []) is ok, found


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [
        ("2023年本部门机关运行经费80.00万元，2022年机关运行经费75.00万元，增加5.00万元，增长6.67%，主要是人员增加。", True),
        ("2023年本部门机关运行经费80.00万元，2022年机关运行经费75.00万元，增加6.00万元，主要是人员增加。", False),
        ("2023年本部门机关运行经费80.00万元，2022年机关运行经费75.00万元，减少5.00万元，主要是人员减少。", False),
        ("2023年本部门机关运行经费80.00万元，上年机关运行经费75.00万元，增加5.00万元，增长7.00%，主要是人员增加。", False),
    ],
)
def test_money_change_against_both_years(sentence, ok):
    found = codes("一、说明\n" + sentence + "\n")
    assert (found == []) is ok, found
    assert all(c == "change-mismatch" for c, _ in found)


def test_percentage_against_the_year_and_the_change():
    ok = "（一）收入预算：2023年本部门收入预算1,000.00万元。收入较去年减少50.00万元，下降4.76%。主要是项目减少。"
    assert codes("一、说明\n" + ok + "\n") == []
    assert [c for c, _ in codes("一、说明\n" + ok.replace("下降4.76%", "下降6.00%") + "\n")] == ["change-mismatch"]
    # a small base: 0.05 of 0.45 (0.40 the year before) is 12.5%, and 12.50% is within its rounding
    small = "（一）会议费：2023年本部门会议费预算0.45万元，比上年增加0.05万元，增长12.50%。主要是会议增加。"
    assert codes("一、说明\n" + small + "\n") == []


# ---------------------------------------------------------------- reasons


@pytest.mark.parametrize(
    "text",
    [
        "一、收支\n本部门收入预算1,000.00万元，比上年减少50.00万元。\n支出预算1,000.00万元。\n财政拨款收入支出减少的主要原因是项目调整。\n",
        "一、收支\n本部门收入预算1,000.00万元，比上年减少50.00万元。\n支出预算1,000.00万元。\n其他收入0万元。\n收入减少的原因是一次性项目到期。\n",
        "一、收支\n本部门收入预算1,000.00万元，比上年减少50.00万元，主要是一次性项目到期。\n",
        "一、收支\n本部门收入预算1,000.00万元，比上年减少50.00万元。\n主要原因：项目到期。\n",
    ],
)
def test_a_reason_in_the_section_counts(text):
    assert codes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # the reason of another section
        "一、收支\n本部门收入预算1,000.00万元，比上年减少50.00万元。\n支出预算1,000.00万元。\n二、其他\n收入减少的主要原因是项目调整。\n",
        # a later reason for the other direction
        "一、收支\n本部门收入预算1,000.00万元，比上年减少50.00万元。\n支出预算1,000.00万元。\n其他收入0万元。\n收入增加的主要原因是新增项目。\n",
        # a later reason for another item
        "一、收支\n本部门收入预算1,000.00万元，比上年减少50.00万元。\n支出预算1,000.00万元。\n其他收入0万元。\n公务接待费减少的主要原因是压减开支。\n",
    ],
)
def test_no_reason_for_the_change(text):
    assert [c for c, _ in codes(text)] == ["change-reason-missing"]


# ---------------------------------------------------------------- precise topics


def test_topics():
    assert topic_of("财政拨款支出预算") == "fiscal_spending"
    assert topic_of("财政拨款支出") == "fiscal_spending"
    assert topic_of("一般公共预算拨款支出预算") == "gb_spending"
    assert topic_of("一般公共预算财政拨款支出") == "gb_spending"
    assert topic_of("财政拨款收入预算") == "fiscal_income"
    assert topic_of("一般公共预算财政拨款收入预算") == "gb_income"
    assert topic_of("支出预算") == "spending"
    assert topic_of("政府性基金拨款支出预算") == "gf_spending"


def _with_business_income(text: str) -> str:
    """BASE with 100.00 万元 of 事业收入: all funds 1,100.00, 财政拨款 still 1,000.00."""
    text = mutate("六、事业收入|||", "六、事业收入|100.00||", text)
    text = mutate("一、本级财政拨款收入|1,000.00|一、基本支出|600.00", "一、本级财政拨款收入|1,000.00|一、基本支出|700.00", text)
    text = mutate("本 年 收 入 合 计|1,000.00|本 年 支 出 合 计|1,000.00", "本 年 收 入 合 计|1,100.00|本 年 支 出 合 计|1,100.00", text)
    return mutate("收 入 总 计|1,000.00|支 出 总 计|1,000.00", "收 入 总 计|1,100.00|支 出 总 计|1,100.00", text)


def test_fiscal_spending_is_compared_with_the_fiscal_table():
    base = _with_business_income(BASE)
    line = "（二）支出预算：2023 年本部门支出预算 1,000.00 万元，其中：一般公共服务支出 1,000.00 万元。"
    good = mutate(line, "（二）支出预算：2023 年本部门支出预算 1,100.00 万元，其中：财政拨款支出 1,000.00 万元。", base)
    findings = [f for f in check_text_table(parse(good), Context()) if f.subject == "财政拨款支出"]
    assert findings == []
    bad = mutate(line, "（二）支出预算：2023 年本部门支出预算 1,100.00 万元，其中：财政拨款支出 1,100.00 万元。", base)
    (f,) = [f for f in check_text_table(parse(bad), Context()) if f.subject == "财政拨款支出"]
    assert f.message == "财政拨款支出：说明中为 1,100.00 万元，财政拨款收支总表 本年支出为 1,000.00 万元，相差 100.00 万元"


# ---------------------------------------------------------------- the reason of a listed item


ITEMS = (
    "1. “一般公共服务支出（类）宣传事务（款）一般行政管理事务（项）”110.60万元，主要用于宣传事务一般行政管理事务。2023年当年预算执行数为"
    "114.00万元，2024年预算安排110.60万元，比2023年预算执行数减少2.98%。主要原因是：{first}。\n"
    "2. “社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”7.66万元，主要用于事业单位离退休。2023年当年预算执行数为"
    "6.26万元，2024年预算安排7.66万元，比2023年预算执行数增加22.36%。主要原因是：事业单位离退休经费增加。\n"
    "3. “社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”230.28万元，主要用于机关事业单位职业年金缴费支出。"
    "2023年当年预算执行数为198.60万元，2024年预算安排230.28万元，比2023年预算执行数增加15.95%。主要原因是：{third}。\n"
    "4. “科学技术支出（类）科学技术普及（款）科普活动（项）”10.00万元，主要用于科普活动。2023年当年预算执行数为10.00万元，2024年预算安排"
    "10.00万元，比2023年预算执行数持平。主要原因是：{fourth}。\n"
)
GOOD = {"first": "宣传事务一般行政管理事务经费减少", "third": "机关事业单位职业年金缴费支出经费增加", "fourth": "科普活动经费保持不变"}


def test_reasons_that_fit_their_item():
    assert codes(HEAD + ITEMS.format(**GOOD)) == []
    assert codes(HEAD + ITEMS.format(first="项目调整", third="人员增加", fourth="项目调整")) == []


@pytest.mark.parametrize(
    ("change", "line", "detail"),
    [
        ({"first": "宣传事务一般行政管理事务经费增加"}, 2, "增减方向相反"),
        ({"third": "事业单位离退休经费增加"}, 4, "所写为另一科目“事业单位离退休”"),
        ({"fourth": "科普活动经费增加"}, 5, "增减方向相反"),
    ],
)
def test_reasons_that_contradict_their_item(change, line, detail):
    (f,) = text_findings(HEAD + ITEMS.format(**{**GOOD, **change}))
    assert (f.code, f.location.line, f.severity.value) == ("change-reason-contradicts", line, "warning")
    assert f.message.endswith(f"（{detail}）")


@pytest.mark.parametrize(
    ("paragraph", "found"),
    [
        ("1.信息化建设项目50.00万元，主要用于政务系统运维。该项目预算安排55.00万元。", ["text-text-mismatch"]),
        ("1.信息化建设项目50.00万元，主要用于政务系统运维。2024年预算安排50.00万元。", []),
        ("1.信息化建设项目50.00万元，主要用于政务系统运维。2023年预算安排45.00万元。", []),  # another year
        # two items before it: which one the 预算安排 restates is not known
        ("1.信息化建设项目50.00万元，宣传经费项目20.00万元。该项目预算安排55.00万元。", []),
    ],
)
def test_a_project_restated_by_its_budget(paragraph, found):
    assert [c for c, _ in codes(HEAD + paragraph + "\n")] == found

"""Stated amounts in narratives: codes, 文号 years, zeros and units stated in labels (issue 7 item 8).

Each family is tested in several wordings the 预算公开说明 use (Hunan seed 001, the Shanghai
说明 in tests/data/real), with true positives (an amount is read) beside true negatives.
"""

from __future__ import annotations

import pytest

from jixiao.model.source import Location
from jixiao.parse.narrative_amounts import Piece
from jixiao.parse.narrative_amounts import extract_amounts
from jixiao.pipeline import parse_text


def read(text: str):
    found, notes = extract_amounts(text, [Piece(0, Location("x.txt", 1))])
    return [(a.label, str(a.value), a.unit) for a in found], [n.code for n in notes]


@pytest.mark.parametrize(
    "text",
    [
        "一般公共服务支出（201类）政府办公厅（室）及相关机构事务（03款）行政运行（01项）支出100.00万元。",
        "社会保障和就业支出(208类)行政事业单位养老支出(05款)机关事业单位基本养老保险缴费支出(05项)预算100.00万元。",
        "机关事业单位基本养老保险缴费支出（2080505）预算100.00万元。",
        "办公费【30201】预算100.00万元。",
        "按照支出功能分类科目2080505机关事业单位基本养老保险缴费支出预算100.00万元。",
        "功能分类科目编码：2080505，预算100.00万元。",
        "[2080505]机关事业单位基本养老保险缴费支出预算100.00万元。",
    ],
)
def test_classification_codes_are_not_amounts(text):
    found, notes = read(text)
    assert [v for _, v, _ in found] == ["100.00"]
    assert notes == []


@pytest.mark.parametrize(
    "text",
    [
        "根据《关于下达2024年预算资金的通知》（沪财预〔2024〕5号）安排资金100.00万元。",
        "依据湘财预[2024]12号文件，财政拨款资金100.00万元。",
        "根据沪府规【2016】168号文，项目预算资金100.00万元。",
        "按（2024）5号会议纪要，追加预算资金100.00万元。",
        "根据长财预〔2023〕 7 号文件精神，本年预算资金100.00万元。",
    ],
)
def test_years_in_document_numbers_are_not_amounts(text):
    found, notes = read(text)
    assert [v for _, v, _ in found] == ["100.00"]
    assert notes == []


def test_a_number_without_unit_is_still_read_and_reported():
    found, notes = read("2021年度单位一般公共预算财政拨款支出483.61，其中：项目支出296.99万元。")
    assert found == [("一般公共预算财政拨款支出", "483.61", "万元"), ("项目支出", "296.99", "万元")]
    assert notes == ["amount-unit-missing"]
    # a bracketed number that is not a whole code stays an amount
    found, notes = read("预算资金（含结转）2024，主要用于…")
    assert [v for _, v, _ in found] == ["2024"] and notes == ["amount-unit-missing"]


@pytest.mark.parametrize(
    "text",
    [
        "预算执行率 100% 95.00% 10 9.50",  # a 自评报告's results-table row: 指标值, 完成值, 分值, 得分
        "产出指标 成本指标 三公经费同比减少率 ≥10% 10 8.33 8.33",
        "资金到位率≥95% 95 8.35",
        "项目经费占比 30。",
    ],
)
def test_a_rate_of_money_is_not_an_amount(text):
    """A unitless number labelled by a rate (…率, 占比, 比例) after its money word is no amount."""
    found, notes = read(text)
    assert [(label, v) for label, v, unit in found if unit == "万元"] == []
    assert notes == []


def test_money_after_a_rate_is_still_an_amount():
    """True positive beside it: the money word comes after the rate, the number is money."""
    found, notes = read("执行率较高，结余资金 12.5，已上缴。")
    assert ("结余资金", "12.5", "万元") in found
    assert notes == ["amount-unit-missing"]


@pytest.mark.parametrize(
    "text",
    ["2023年本部门“三公”经费预算为0。", "政府性基金预算支出0，与上年持平。", "国有资本经营预算拨款支出为 0 。", "因公出国（境）费0.00，比上年持平。"],
)
def test_a_zero_needs_no_unit(text):
    found, notes = read(text)
    assert [v for _, v, _ in found] in (["0"], ["0.00"])
    assert notes == []


def test_units_stated_in_the_label_or_the_paragraph():
    assert read("项目资金（元）：120000。") == ([("项目资金", "120000", "元")], [])
    assert read("年度资金总额(万元)：50.5，其中财政拨款 50.5 万元。") == (
        [("年度资金总额", "50.5", "万元"), ("财政拨款", "50.5", "万元")], [])
    assert read("支出预算（单位：元）：1,200,000。")[0] == [("支出预算", "1200000", "元")]
    # a 单位 line of the paragraph applies to the numbers after it
    assert read("金额单位：元。项目资金120000，其中基本支出 8,000。") == (
        [("项目资金", "120000", "元"), ("基本支出", "8000", "元")], [])
    # …and never against a unit printed beside the number
    assert read("单位：元。项目资金12万元。")[0] == [("项目资金", "12", "万元")]


def test_label_before_a_colon():
    assert read("收入预算：5073.08万元。")[0] == [("收入预算", "5073.08", "万元")]
    assert read("（一）收入预算：2023 年本部门收入预算 1,000.00 万元。")[0] == [("收入预算", "1000.00", "万元")]


def test_amounts_point_to_their_paragraph():
    doc, _ = parse_text("一、收支情况\n本部门收入预算100.00万元。\n\n本部门支出预算100.00万元。\n")
    assert [(a.label, a.paragraph) for a in doc.amounts] == [("收入预算", 1), ("支出预算", 2)]
    paragraphs = doc.paragraphs
    assert [(p.text[:6], p.section, p.heading, p.location.line) for p in paragraphs] == [
        ("一、收支情况", 0, True, 1), ("本部门收入预", 0, False, 2), ("本部门支出预", 0, False, 4)]

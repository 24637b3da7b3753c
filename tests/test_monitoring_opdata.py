"""The pure part of operational data: cell values read exactly (dates in the forms exports print,
numbers as exact integers of 1/10,000, 是/否), a mapping checked, a row converted or refused with
its row number and reason, a metric checked against a mapping, its formula and its arithmetic."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.monitoring import metrics as mx
from jixiao.monitoring import records as rx

MAPPING, _ = rx.parse_mapping({"date": "受理日期", "unit": "办理单位", "fields": [
    {"name": "办理状态", "column": "办理状态", "required": True},
    {"name": "是否按时办结", "column": "按时", "type": "是/否"},
    {"name": "办结日期", "column": "办结日期", "type": "date"},
    {"name": "收费", "column": "收费金额", "type": "number"}]})


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["{d:%Y-%m-%d}", "{d.year}/{d.month}/{d.day}", "{d.year}.{d.month}.{d.day}",
                        "{d.year}年{d.month}月{d.day}日", "{d:%Y%m%d}", "{d:%Y-%m-%d} 09:30:00", "{d:%Y/%m/%d} 9:30"]))
def test_a_date_in_every_printed_form_reads_as_itself(day, form):
    assert rx.parse_day(form.format(d=day)) == day
    assert rx.parse_day(datetime(day.year, day.month, day.day, 10, 5)) == day


def test_what_is_not_a_date():
    assert [rx.parse_day(t) for t in ("2026-02-30", "2026/13/1", "上周三", "2026-3", "", "45000")] == [None] * 6


@given(st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_numbers_are_kept_exactly_to_four_places(number):
    scaled = rx.parse_number(format(number, "f"))
    assert scaled == int(number.scaleb(4))
    assert rx.unscale(scaled) == number


def test_numbers_with_separators_and_more_decimals():
    assert rx.parse_number("1,234.5元") == 12345000
    assert rx.parse_number(1234.5) == 12345000 and rx.parse_number(12) == 120000
    assert rx.parse_number("0.00001") is None and rx.parse_number("三分钟") is None
    assert rx.unscale(12345000) == Decimal("1234.5") and str(rx.unscale(1500000)) == "150"


def test_yes_and_no():
    assert [rx.parse_bool(v) for v in ("是", "否", "Y", "n", "1", "0", "√", "×", "TRUE", 1, 0.0)] == \
        [True, False, True, False, True, False, True, False, True, True, False]
    assert rx.parse_bool("也许") is None and rx.parse_bool(2) is None


def test_a_row_is_converted_into_its_slots_or_refused_with_each_reason():
    mapper = rx.RowMapper(MAPPING, {"第一服务中心": 7, "U2": 8}, file="3月.csv", scope="测试市财政局")
    header = ["受理日期", "办理单位", "办理状态", "按时", "办结日期", "收费金额"]
    assert mapper.is_header(header) and not mapper.is_header(["政务大厅办件明细"])
    assert mapper.read_header(header, 2) == []
    record, errors = mapper.convert(["2026年3月5日", "U2", "已办结", "是", "2026/3/9", "12.50"], 3)
    assert errors == []
    assert record == {"line": 3, "day": date(2026, 3, 5), "org_id": 8, "t1": "已办结", "b1": True,
                      "d1": date(2026, 3, 9), "n1": 125000}
    record, errors = mapper.convert(["2026-03-32", "第三服务中心", "", "可能", "", "12.123456"], 4)
    assert record is None
    assert [(str(e.location), e.code) for e in errors] == [
        ("3月.csv:4", "opdata-date-invalid"), ("3月.csv:4", "opdata-unit-unknown"), ("3月.csv:4", "opdata-value-missing"),
        ("3月.csv:4", "opdata-bool-invalid"), ("3月.csv:4", "opdata-number-invalid")]
    assert errors[2].message == "第 4 行：“办理状态”为空"
    short, errors = mapper.convert(["2026-03-05", "U2"], 5)  # a short row: the required 办理状态 is missing
    assert short is None and [e.code for e in errors] == ["opdata-value-missing"]
    missing = rx.RowMapper(MAPPING, {}, file="x.csv", scope="R")
    assert [e.message for e in missing.read_header(["受理日期", "单位", "办理状态"])] == [
        "x.csv：表头中没有映射所需的列“办理单位”（表头为：受理日期、单位、办理状态）",
        "x.csv：表头中没有映射所需的列“按时”（表头为：受理日期、单位、办理状态）",
        "x.csv：表头中没有映射所需的列“办结日期”（表头为：受理日期、单位、办理状态）",
        "x.csv：表头中没有映射所需的列“收费金额”（表头为：受理日期、单位、办理状态）"]


def test_a_metric_is_checked_against_the_mapping():
    ontime, findings = mx.parse_metric("按时办结率", {"kind": "比率", "where": {"办理状态": "已办结"},
                                                  "numerator": {"是否按时办结": True}, "date_field": "办结日期"})
    assert findings == [] and mx.check_metric(ontime, MAPPING) == []
    assert mx.formula(ontime) == ("按时办结率 = 「办理状态」为「已办结」且「是否按时办结」为「是」的记录数 ÷ "
                                  "「办理状态」为「已办结」的记录数 × 100%（按「办结日期」在统计期间内的记录）")
    bad, _ = mx.parse_metric("x", {"kind": "sum", "field": "办理状态", "where": [{"field": "是否按时办结", "op": "eq",
                                                                               "values": ["是"]}],
                                   "date_field": "收费"})
    assert [f.message for f in mx.check_metric(bad, MAPPING)] == [
        "指标口径“x”：字段“是否按时办结”是是/否字段，不能用运算 eq",
        "指标口径“x”：求和字段“办理状态”应为数据源的数值字段",
        "指标口径“x”：统计日期“收费”应为“日期”或数据源的日期字段"]
    assert [f.message for f in mx.parse_metric("y", {"kind": "ratio"})[1]] == ["指标口径“y”：比率须有分子条件（numerator）"]
    assert mx.parse_metric("z", {"kind": "median"})[0] is None


@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 4))
def test_a_ratio_is_the_exact_quotient_rounded_half_up(a, b, decimals):
    numerator, records = min(a, b), max(a, b)
    metric, _ = mx.parse_metric("率", {"kind": "ratio", "numerator": {"结果": "好"}, "decimals": decimals})
    value, findings = mx.value(metric, mx.Aggregate(records, numerator))
    if records == 0:
        assert value is None and [f.code for f in findings] == ["opdata-ratio-no-records"]
    else:
        exact = Decimal(numerator) * 100 / Decimal(records)
        assert value == exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        assert Decimal(0) <= value <= Decimal(100)

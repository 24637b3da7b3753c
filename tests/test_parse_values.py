"""The indicator value parser: every value form the seeds print, plus properties."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from jixiao.model.indicator import TargetValue
from jixiao.model.indicator import ValueKind
from jixiao.parse.values import normalise_op
from jixiao.parse.values import normalise_unit
from jixiao.parse.values import parse_value

Q = ValueKind.QUANTITATIVE
L = ValueKind.QUALITATIVE
D = ValueKind.DATE
E = ValueKind.EMPTY

# (text, op_text, unit_text) → (kind, op, value, unit, note, date). Every row is printed in a seed.
CASES = [
    # seed 002 / 004: type + value + unit in one 指标值及单位 cell
    (("≥30万件", None, None), (Q, "≥", "30", "万件", None, None)),
    (("≥30万件\u3000", None, None), (Q, "≥", "30", "万件", None, None)),
    (("≦115.62万元", None, None), (Q, "≤", "115.62", "万元", None, None)),
    (("≥90%；满意以上", None, None), (Q, "≥", "90", "%", "满意以上", None)),
    (("≥90%；\n\n满意以上", None, None), (Q, "≥", "90", "%", "满意以上", None)),
    (("\u3000≥98\u3000", None, None), (Q, "≥", "98", None, None, None)),
    (("≥98", None, None), (Q, "≥", "98", None, None, None)),
    (("≥200家", None, None), (Q, "≥", "200", "家", None, None)),
    (("≥260人次", None, None), (Q, "≥", "260", "人次", None, None)),
    (("≤156万", None, None), (Q, "≤", "156", "万", None, None)),
    (("≤45万元\u3000", None, None), (Q, "≤", "45", "万元", None, None)),
    (("100%", None, None), (Q, None, "100", "%", None, None)),
    (("2023年12月31日前", None, None), (D, "≤", None, None, None, "2023-12-31")),
    (("争创标杆城市", None, None), (L, "定性", None, None, None, None)),
    (("市考核标准", None, None), (L, "定性", None, None, None, None)),
    (("较好完成", None, None), (L, "定性", None, None, None, None)),
    # seed 000: separate 指标值类型 and 度量单位 cells
    (("580.253937", "≤", "万元"), (Q, "≤", "580.253937", "万元", None, None)),
    (("3513.14", "=", "平方"), (Q, "=", "3513.14", "平方", None, None)),
    (("95", "≥", "百分比"), (Q, "≥", "95", "%", None, None)),
    (("100", "=", "百分比"), (Q, "=", "100", "%", None, None)),
    (("20", "≥", "场"), (Q, "≥", "20", "场", None, None)),
    (("提升", "定性", None), (L, "定性", None, None, None, None)),
    (("显著提升", "定性", None), (L, "定性", None, None, None, None)),
    (("290", "≤", "万元"), (Q, "≤", "290", "万元", None, None)),
    # seed 001: 计算符号 and 计量单位 columns
    (("5,073.08", None, None), (Q, None, "5073.08", None, None, None)),
    (("95", "≥", "%"), (Q, "≥", "95", "%", None, None)),
    (("90%", "≥", None), (Q, "≥", "90", "%", None, None)),
    (("70万元", "≤", "万元"), (Q, "≤", "70", "万元", None, None)),
    (("35万元", "≤", "万元"), (Q, "≤", "35", "万元", None, None)),
    (("10篇", None, None), (Q, None, "10", "篇", None, None)),
    (("400", "≥", "篇"), (Q, "≥", "400", "篇", None, None)),
    (("12月", "≤", "月"), (Q, "≤", "12", "月", None, None)),
    (("7月", "≤", "月"), (Q, "≤", "7", "月", None, None)),
    (("2", "定量", "个"), (Q, None, "2", "个", None, None)),
    (("19.95", "≤", "万元"), (Q, "≤", "19.95", "万元", None, None)),
    (("42", "定性", "万元"), (Q, "定性", "42", "万元", None, None)),
    (("2023年9月底", "定性", "时间"), (D, "定性", None, None, None, "2023-09-30")),
    (("2023年10月底", "定性", "时间"), (D, "定性", None, None, None, "2023-10-31")),
    (("2023年11月底", "定性", "时间"), (D, "定性", None, None, None, "2023-11-30")),
    (("2023年12月", "定性", "-"), (D, "定性", None, None, None, "2023-12-31")),
    (("在国家、省前", "定性", "%"), (L, "定性", None, "%", None, None)),
    (("评估报告", "定性", "个"), (L, "定性", None, "个", None, None)),
    (("书面报告", "定性", "个"), (L, "定性", None, "个", None, None)),
    (("是", None, None), (L, "定性", None, None, None, None)),
    (("正常办理", "定性", "/"), (L, "定性", None, None, None, None)),
    (("正常办理", "≥", "/"), (L, "≥", None, None, None, None)),
    (("及时发布", "≥", "次"), (L, "≥", None, "次", None, None)),
    (("不集中，分月份", "≥", "时间"), (L, "≥", None, None, None, None)),
    (("按方案时间完成", "定性", "是"), (L, "定性", None, None, None, None)),
    (("", "定性", "/"), (E, "定性", None, None, None, None)),
    (("", None, None), (E, None, None, None, None, None)),
    (("/", None, None), (E, None, None, None, None, None)),
    (("无", None, None), (E, None, None, None, None, None)),
    (("-", None, None), (E, None, None, None, None, None)),
    # forms the brief and TECH §8 name
    (("2023年底前", None, None), (D, "≤", None, None, None, "2023-12-31")),
    (("=完成率*指标分值", None, None), (L, "定性", None, None, None, None)),
    (("=完成率*指标分值", "=", None), (L, "=", None, None, None, None)),
    (("百分之九十五", None, None), (Q, None, "95", "%", None, None)),
    (("≥95%", "≤", None), (Q, "≥", "95", "%", None, None)),
    (("95", "定性", "%"), (Q, "定性", "95", "%", None, None)),
    (("156万", "≤", "万元"), (Q, "≤", "156", "万元", None, None)),
    (("不低于95%", None, None), (Q, "≥", "95", "%", None, None)),
    (("不超过115.62万元", None, None), (Q, "≤", "115.62", "万元", None, None)),
    (("大于等于10", None, None), (Q, "≥", "10", None, None, None)),
    (("小于等于10", None, None), (Q, "≤", "10", None, None, None)),
    (("不少于20场", None, None), (Q, "≥", "20", "场", None, None)),
    (("不高于3%", None, None), (Q, "≤", "3", "%", None, None)),
    (("≧95％", None, None), (Q, "≥", "95", "%", None, None)),
    ((">=95", None, None), (Q, "≥", "95", None, None, None)),
    (("<=95", None, None), (Q, "≤", "95", None, None, None)),
    (("＝100％", None, None), (Q, "=", "100", "%", None, None)),
    (("＞0", None, None), (Q, ">", "0", None, None, None)),
    (("＜5%", None, None), (Q, "<", "5", "%", None, None)),
    (("30万件以上", None, None), (Q, "≥", "30", "万件", None, None)),
    (("5%以下", None, None), (Q, "≤", "5", "%", None, None)),
    (("115万元以内", None, None), (Q, "≤", "115", "万元", None, None)),
    (("达到95%以上", None, None), (Q, "≥", "95", "%", None, None)),
    (("９５", "≥", "％"), (Q, "≥", "95", "%", None, None)),
    (("1,234,567.5元", None, None), (Q, None, "1234567.5", "元", None, None)),
    (("二〇二三", None, None), (Q, None, "2023", None, None, None)),
    (("三万五千元", None, None), (Q, None, "35000", "元", None, None)),
    (("十个", None, None), (Q, None, "10", "个", None, None)),
    (("百分之九十五点五以上", None, None), (Q, "≥", "95.5", "%", None, None)),
    (("2023-12-31", None, None), (D, None, None, None, None, "2023-12-31")),
    (("2024年2月底前", None, None), (D, "≤", None, None, None, "2024-02-29")),
    (("2023年11月底前，完成整改", None, None), (D, "≤", None, None, "完成整改", "2023-11-30")),
    (("≥", None, None), (E, "≥", None, None, None, None)),
    # words that merely start with a numeral are not numbers
    (("一般", None, None), (L, "定性", None, None, None, None)),
    (("一件事一次办", None, None), (L, "定性", None, None, None, None)),
    (("十分满意", None, None), (L, "定性", None, None, None, None)),
    (("1.获得省级领导批示", None, None), (L, "定性", None, None, None, None)),
    (("二、项目支出", None, None), (L, "定性", None, None, None, None)),
    (("2023年长沙市政务公开工作问题整改情况报告", None, None), (L, "定性", None, None, None, None)),
    (("2023年2月30日", None, None), (L, "定性", None, None, None, None)),
]


def _id(case) -> str:
    (text, op_text, unit_text), _ = case
    return "|".join(x if x is not None else "·" for x in (text, op_text, unit_text)) or "empty"


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[_id(c) for c in CASES])
def test_seed_values(args, expected):
    text, op_text, unit_text = args
    kind, op, value, unit, note, date = expected
    got = parse_value(text, op_text, unit_text)
    assert got == TargetValue(
        text=text.strip(),
        kind=kind,
        op=op,
        value=Decimal(value) if value is not None else None,
        unit=unit,
        note=note,
        date=date,
        op_text=op_text or None,
        unit_text=unit_text or None,
    )
    if got.value is not None:
        assert type(got.value) is Decimal


def test_printed_decimal_places_are_kept():
    assert str(parse_value("580.253937", "≤", "万元").value) == "580.253937"
    assert str(parse_value("5,073.08").value) == "5073.08"
    assert str(parse_value("95.0%").value) == "95.0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥", "≥"),
        ("≧", "≥"),
        (">=", "≥"),
        ("大于等于", "≥"),
        ("不低于", "≥"),
        ("不少于", "≥"),
        ("≤", "≤"),
        ("≦", "≤"),
        ("<=", "≤"),
        ("小于等于", "≤"),
        ("不超过", "≤"),
        ("不高于", "≤"),
        ("=", "="),
        ("＝", "="),
        (">", ">"),
        ("＞", ">"),
        ("<", "<"),
        ("＜", "<"),
        ("定性", "定性"),
        (" ≥ ", "≥"),
        ("定量", None),
        ("定量（其他）", None),
        ("/", None),
        ("", None),
        (None, None),
        ("≥95", None),
    ],
)
def test_normalise_op(text, expected):
    assert normalise_op(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("百分比", "%"),
        ("％", "%"),
        ("%", "%"),
        (" 万元 ", "万元"),
        ("万件", "万件"),
        ("平方", "平方"),
        ("㎡", "平方米"),
        ("/", None),
        ("无", None),
        ("是", None),
        ("时间", None),
        ("率", None),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_unit(text, expected):
    assert normalise_unit(text) == expected


def test_non_units_are_kept_as_printed():
    got = parse_value("2023年9月底", "定性", "时间")
    assert (got.unit, got.unit_text) == (None, "时间")


# --- properties -------------------------------------------------------------------------------

RELEVANT = list(
    "0123456789.,%％≥≤≦≧<>=＝＞＜年月日底前后以上下内万元件个百分之一二三十点零〇两 ；;:\n\u3000、/-—*定性量提升满意（）()"
)
relevant_text = st.text(alphabet=st.sampled_from(RELEVANT), max_size=30)
any_text = st.one_of(st.text(max_size=60), relevant_text)
maybe_text = st.one_of(st.none(), any_text)


@settings(max_examples=500, deadline=None)
@given(any_text, maybe_text, maybe_text)
@example("百分之" + "九" * 100, None, None)
@example("9" * 5000 + "万元", None, None)
@example("≥" * 1000, "定量", "/")
def test_never_raises_and_keeps_text(text, op_text, unit_text):
    got = parse_value(text, op_text, unit_text)
    assert isinstance(got, TargetValue)
    assert got.text == text.strip()
    assert got.op in (None, "≥", "≤", "=", ">", "<", "定性")
    assert got.op_text == ((op_text or "").strip() or None)
    assert got.unit_text == ((unit_text or "").strip() or None)
    assert got.value is None or type(got.value) is Decimal
    assert (got.value is not None) == (got.kind is ValueKind.QUANTITATIVE)
    assert (got.date is not None) == (got.kind is ValueKind.DATE)


@given(st.text(max_size=40), st.text(max_size=40))
def test_helpers_never_raise(op_text, unit_text):
    assert normalise_op(op_text) in (None, "≥", "≤", "=", ">", "<", "定性")
    normalise_unit(unit_text)


PRINTED_OPS = {
    "": None,
    "≥": "≥",
    "≧": "≥",
    ">=": "≥",
    "不低于": "≥",
    "不少于": "≥",
    "大于等于": "≥",
    "≤": "≤",
    "≦": "≤",
    "<=": "≤",
    "不超过": "≤",
    "不高于": "≤",
    "小于等于": "≤",
    "=": "=",
    "＝": "=",
    ">": ">",
    "<": "<",
}
PRINTED_UNITS = {
    "": None,
    "%": "%",
    "％": "%",
    "万元": "万元",
    "元": "元",
    "万件": "万件",
    "件": "件",
    "个": "个",
    "次": "次",
    "人次": "人次",
    "家": "家",
    "项": "项",
    "篇": "篇",
    "场": "场",
    "天": "天",
    "月": "月",
    "年": "年",
    "平方米": "平方米",
    "万": "万",
}
numbers = st.builds(
    lambda n, places: Decimal(n).scaleb(-places),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=6),
)


@given(st.sampled_from(sorted(PRINTED_OPS)), numbers, st.sampled_from(sorted(PRINTED_UNITS)), st.booleans())
def test_op_number_unit_round_trip(op, number, unit, grouped):
    digits = format(number, ",f" if grouped else "f")
    got = parse_value(f"{op}{digits}{unit}")
    assert (got.kind, got.op, got.value, got.unit, got.note) == (
        ValueKind.QUANTITATIVE,
        PRINTED_OPS[op],
        number,
        PRINTED_UNITS[unit],
        None,
    )


@given(numbers, st.sampled_from(["万元", "万件", "%", "个", ""]), st.sampled_from(["以上", "以下", "以内"]))
def test_suffix_operators(number, unit, suffix):
    got = parse_value(f"{number:f}{unit}{suffix}")
    assert got.op == ("≥" if suffix == "以上" else "≤")
    assert got.value == number
    assert got.unit == (unit or None)


@given(numbers, st.sampled_from(sorted(PRINTED_OPS)), st.sampled_from(sorted(PRINTED_UNITS)))
def test_separate_cells_round_trip(number, op, unit):
    got = parse_value(f"{number:f}", op or None, unit or None)
    assert (got.kind, got.op, got.value, got.unit) == (
        ValueKind.QUANTITATIVE,
        PRINTED_OPS[op],
        number,
        PRINTED_UNITS[unit],
    )


@given(st.integers(min_value=1000, max_value=10**15), st.integers(min_value=0, max_value=99))
def test_thousands_separators(whole, cents):
    plain = f"{whole}.{cents:02d}"
    grouped = f"{whole:,}.{cents:02d}"
    assert "," in grouped
    assert parse_value(grouped).value == parse_value(plain).value == Decimal(plain)
    assert parse_value(grouped.replace(",", "，")).value == Decimal(plain)


FULL_WIDTH = str.maketrans({**{chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}, " ": "\u3000"})


@given(st.sampled_from(sorted(PRINTED_OPS)), numbers, st.sampled_from(sorted(PRINTED_UNITS)), st.booleans())
def test_full_width_equals_half_width(op, number, unit, grouped):
    half = f"{op}{format(number, ',f' if grouped else 'f')}{unit}"
    full = half.translate(FULL_WIDTH)
    a, b = parse_value(half), parse_value(full)
    assert (a.kind, a.op, a.value, a.unit, a.note, a.date) == (b.kind, b.op, b.value, b.unit, b.note, b.date)


@given(relevant_text, st.sampled_from([None, "≥", "定性", "定量"]), st.sampled_from([None, "%", "百分比"]))
def test_full_width_invariance_on_arbitrary_text(text, op_text, unit_text):
    a, b = parse_value(text, op_text, unit_text), parse_value(text.translate(FULL_WIDTH), op_text, unit_text)
    assert (a.kind, a.op, a.value, a.unit, a.date) == (b.kind, b.op, b.value, b.unit, b.date)
    assert (a.note is None) == (b.note is None)
    if a.note is not None:
        assert unicodedata.normalize("NFKC", a.note) == unicodedata.normalize("NFKC", b.note)


@given(st.integers(min_value=1990, max_value=2099), st.integers(min_value=1, max_value=12))
def test_month_end_deadlines(year, month):
    got = parse_value(f"{year}年{month}月底前")
    assert got.kind is ValueKind.DATE
    assert got.op == "≤"
    assert got.date is not None and got.date.startswith(f"{year:04d}-{month:02d}-")
    assert int(got.date[-2:]) in (28, 29, 30, 31)

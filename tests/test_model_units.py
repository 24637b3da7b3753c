"""Units with a magnitude prefix (model/units.py) and a 监控表 value meeting its target in the target's
unit (issue 11: 130 件 against ≥30万件 is 0.04%, not 433%)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.model.units import MAGNITUDES
from jixiao.model.units import convert
from jixiao.model.units import split_magnitude
from jixiao.model.units import unit_of
from jixiao.monitoring.profiles import shipped
from jixiao.monitoring.rounds import Line
from jixiao.monitoring.rounds import Sheet
from jixiao.monitoring.warnings import evaluate
from jixiao.parse.values import parse_value

D = Decimal
BASES = ("件", "人次", "元", "人", "册")


def test_prefixes_split_and_percent_is_whole():
    assert split_magnitude("万人次") == (D(10000), "人次")
    assert split_magnitude("百万元") == (D(1000000), "元")
    assert split_magnitude("亿元") == (D(100000000), "元")
    assert split_magnitude("件") == (D(1), "件")
    assert split_magnitude("百分点") == (D(1), "百分点") and split_magnitude("%") == (D(1), "%")
    assert convert(D(130), "件", "万件") == D("0.013")
    assert convert(D("1.5"), "亿元", "万元") == D(15000)
    assert convert(D(5), "人", "件") is None and convert(D(5), "万人", "万件") is None
    assert convert(D(7), None, "万件") == D(7)  # a value without a unit is in the target's
    assert [unit_of(t) for t in ("3万件", "92%", "130", "1,234.5 万元", "30万人次以上", None)] == [
        "万件", "%", None, "万元", "万人次", None]


@given(st.decimals(min_value=0, max_value=D(10) ** 9, places=4), st.sampled_from(BASES),
       st.sampled_from(["", *MAGNITUDES]), st.sampled_from(["", *MAGNITUDES]))
def test_conversion_is_exact_and_reversible(value, base, p1, p2):
    there = convert(value, p1 + base, p2 + base)
    assert there is not None and convert(there, p2 + base, p1 + base) == value
    assert there * split_magnitude(p2 + base)[0] == value * split_magnitude(p1 + base)[0]


def _line(to_date=None, expected=None, value_unit=None, target="≥30万件"):
    return Line(1, "办件量", "产出指标", "数量指标", parse_value(target), to_date=to_date, expected=expected,
                value_unit=value_unit)


def _evaluate(line, profile="default"):
    return evaluate(Sheet("s", date(2026, 6, 30), D(100), D(50), (line,)), shipped(profile))


def test_a_count_in_jian_meets_a_target_in_wan_jian():
    # the bound metric counts 件; the target is ≥30万件: 130 件 is 130 / 300,000 of it
    ev, findings = _evaluate(_line("130", "130", value_unit="件"))
    assert ev.lines[0].progress == D(130) / D(300000) and ev.lines[0].rate == D(130) / D(300000)
    assert ev.lines[0].level == "red" and not [f for f in findings if f.code == "monitoring-value-unit-mismatch"]
    # typed with its own unit, the same
    assert _evaluate(_line("130件", "130件"))[0].lines[0].progress == D(130) / D(300000)
    assert _evaluate(_line("31万件", "310000件"))[0].lines[0].level == "green"
    # without a unit and not bound, the value is in the target's unit, as before
    assert _evaluate(_line("15", "30"))[0].lines[0].progress == D("0.5")


def test_incompatible_units_are_said_not_compared():
    ev, findings = _evaluate(_line("5", "5", value_unit="人"))
    assert ev.lines[0].progress is None and ev.lines[0].rate is None
    said = [f for f in findings if f.code == "monitoring-value-unit-mismatch"]
    assert len(said) == 2 and "“人”" in said[0].message and "万件" in said[0].message
    ev, findings = _evaluate(_line("5人", None), "shanxi")
    assert ev.lines[0].rate is None and any(f.code == "monitoring-value-unit-mismatch" for f in findings)

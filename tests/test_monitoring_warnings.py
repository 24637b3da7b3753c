"""The monitoring warnings are raised exactly where the profile's thresholds say (Hypothesis), in the
direction of each target, and the shipped profiles load, cite their source and validate edits."""

from __future__ import annotations

import calendar
from datetime import date
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from jixiao.model.indicator import TargetValue
from jixiao.model.indicator import ValueKind
from jixiao.monitoring.profiles import ProfileError
from jixiao.monitoring.profiles import describe
from jixiao.monitoring.profiles import level_rank
from jixiao.monitoring.profiles import merged
from jixiao.monitoring.profiles import profile_from_data
from jixiao.monitoring.profiles import shipped
from jixiao.monitoring.profiles import shipped_data
from jixiao.monitoring.profiles import shipped_names
from jixiao.monitoring.rounds import Line
from jixiao.monitoring.rounds import Sheet
from jixiao.monitoring.rounds import time_progress
from jixiao.monitoring.warnings import evaluate

D = Decimal
DEFAULT = shipped("default")

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
money = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
gaps = st.integers(min_value=0, max_value=100)


def target(op: str | None, value: Decimal) -> TargetValue:
    return TargetValue(f"{op or ''}{value}", ValueKind.QUANTITATIVE, op=op, value=value)


def with_thresholds(base: str = "default", **tables) -> object:
    return profile_from_data(merged(shipped_data(base), tables))


def codes(findings) -> list[str]:
    return [f.code for f in findings]


# -- time progress ---------------------------------------------------------------------------------


def test_time_progress_of_the_usual_round_dates():
    assert time_progress(date(2026, 6, 30)) == D(181) / D(365)
    assert f"{time_progress(date(2026, 6, 30)) * 100:.2f}" == "49.59"
    assert time_progress(date(2024, 6, 30)) == D(182) / D(366)  # a leap year
    assert time_progress(date(2026, 6, 30), "months") == D("0.5")
    assert time_progress(date(2026, 8, 31), "months") == D(8) / D(12)
    assert time_progress(date(2026, 8, 15), "months") == D(7) / D(12)  # August not over yet
    assert time_progress(date(2026, 12, 31)) == 1


@given(dates)
def test_time_progress_grows_day_by_day_and_ends_at_one(day):
    days = 366 if calendar.isleap(day.year) else 365
    assert time_progress(day) == D((day - date(day.year, 1, 1)).days + 1) / D(days)
    if day.month < 12 or day.day < 31:
        assert time_progress(day + timedelta(days=1)) > time_progress(day)


# -- execution --------------------------------------------------------------------------------------


@settings(max_examples=300)
@given(dates, money, st.decimals(min_value=0, max_value=D("150000"), places=2), gaps, gaps, st.booleans())
def test_execution_warning_exactly_where_the_gap_exceeds_the_thresholds(as_of, budget, spent, a, r, reason):
    amber, red = min(a, r), max(a, r)
    profile = with_thresholds(execution={"amber_gap": amber, "red_gap": red})
    sheet = Sheet("单位 · 项目", as_of, budget, spent, execution_reason="资金下半年拨付" if reason else None)
    evaluation, findings = evaluate(sheet, profile)
    gap_points = (time_progress(as_of) - spent / budget) * 100  # exact, as the profile's points
    expected = "red" if gap_points > red else "amber" if gap_points > amber else "green"
    assert evaluation.execution_level == expected
    assert evaluation.level == expected
    behind = [w for w in evaluation.warnings if w.code == "monitoring-execution-behind"]
    assert [w.level for w in behind] == ([] if expected == "green" else [expected])
    assert ("monitoring-deviation-unexplained" in codes(findings)) == (expected != "green" and not reason)


def test_execution_on_the_threshold_is_not_a_warning():
    # 6月30日 by months: 时间进度 50%; 执行率 40% is exactly 10 points behind → 绿, 39.99% → 黄
    profile = with_thresholds(time_progress={"basis": "months"})
    at = evaluate(Sheet("s", date(2026, 6, 30), D(100), D(40)), profile)[0]
    below = evaluate(Sheet("s", date(2026, 6, 30), D(100), D("39.99")), profile)[0]
    far = evaluate(Sheet("s", date(2026, 6, 30), D(100), D("29.99")), profile)[0]
    assert (at.execution_level, below.execution_level, far.execution_level) == ("green", "amber", "red")


def test_no_budget_no_execution_rate():
    evaluation, findings = evaluate(Sheet("s", date(2026, 6, 30), None, D(5)), DEFAULT)
    assert evaluation.execution_rate is None and evaluation.execution_level is None
    assert codes(findings) == ["monitoring-budget-missing"]


# -- indicators -------------------------------------------------------------------------------------

FORWARD, REVERSE = ("≥", ">", "=", None), ("≤", "<")


def hand_rate(op, t: Decimal, e: Decimal) -> Decimal:
    """预计完成率 written out again, independently of scoring.methods."""
    if op in REVERSE:
        return D(1) if e <= t else max(D(0), 2 - e / t)
    return e / t


@settings(max_examples=300)
@given(st.sampled_from(FORWARD + REVERSE), st.decimals(min_value=D(1), max_value=D(100000), places=2),
       st.decimals(min_value=0, max_value=D(300000), places=2), gaps, gaps)
def test_indicator_level_exactly_where_the_expected_rate_falls(op, t, e, a, r):
    amber_below, red_below = max(a, r), min(a, r)
    profile = with_thresholds(indicator={"method": "expected", "amber_below": amber_below, "red_below": red_below})
    line = Line(7, "指标", "产出指标", "数量指标", target(op, t), expected=str(e), reason="原因")
    evaluation, findings = evaluate(Sheet("s", date(2026, 6, 30), D(100), D(50), (line,)), profile)
    rate = hand_rate(op, t, e) * 100
    expected = "red" if rate < red_below else "amber" if rate < amber_below else "green"
    assert evaluation.lines[0].level == expected
    off = [w for w in evaluation.warnings if w.code == "monitoring-indicator-off-target"]
    assert [(w.level, w.key) for w in off] == ([] if expected == "green" else [(expected, 7)])
    assert "monitoring-deviation-unexplained" not in codes(findings)  # the reason is there


@given(st.sampled_from(FORWARD + REVERSE), st.decimals(min_value=D(1), max_value=D(1000), places=1),
       st.decimals(min_value=0, max_value=D(3000), places=1), st.decimals(min_value=0, max_value=D(3000), places=1))
def test_a_larger_expected_value_never_worsens_a_forward_nor_improves_a_reverse_target(op, t, e1, e2):
    low, high = sorted((e1, e2))

    def rank(e):
        line = Line(1, "指标", None, None, target(op, t), expected=str(e), reason="r")
        return level_rank(evaluate(Sheet("s", date(2026, 6, 30), D(1), D(1), (line,)), DEFAULT)[0].lines[0].level)

    if op in REVERSE:
        assert rank(high) >= rank(low)
    else:
        assert rank(high) <= rank(low)


@given(st.sampled_from(["能", "基本能", "不能"]), st.booleans())
def test_a_qualitative_target_takes_the_units_judgement_and_no_number(judgement, reason):
    line = Line(3, "群众满意度明显提升", "效益指标", "社会效益指标",
                TargetValue("明显提升", ValueKind.QUALITATIVE, op="定性"), expected="95", judgement=judgement,
                reason="原因" if reason else None)
    evaluation, findings = evaluate(Sheet("s", date(2026, 6, 30), D(100), D(50), (line,)), DEFAULT)
    level = {"能": "green", "基本能": "amber", "不能": "red"}[judgement]
    assert evaluation.lines[0].level == level and evaluation.lines[0].rate is None
    assert ("monitoring-indicator-at-risk" in codes(findings)) == (level != "green")
    assert ("monitoring-deviation-unexplained" in codes(findings)) == (level != "green" and not reason)


def test_a_qualitative_expected_value_is_read_as_the_scoring_bands():
    line = Line(3, "制度健全", None, None, TargetValue("健全", ValueKind.QUALITATIVE, op="定性"), expected="部分达成")
    evaluation, _ = evaluate(Sheet("s", date(2026, 6, 30), D(100), D(50), (line,)), DEFAULT)
    assert evaluation.lines[0].level == "amber"


def test_judgement_contradicting_the_expected_value_is_reported():
    line = Line(1, "办件量", None, None, target("≥", D(10000)), expected="8000", judgement="能", reason="r")
    _, findings = evaluate(Sheet("s", date(2026, 6, 30), D(100), D(50), (line,)), DEFAULT)
    assert "monitoring-judgement-contradicts" in codes(findings)


def test_nothing_filled_in_is_said_not_guessed():
    line = Line(1, "办件量", None, None, target("≥", D(10000)))
    evaluation, findings = evaluate(Sheet("s", date(2026, 6, 30), D(100), D(50), (line,)), DEFAULT)
    assert evaluation.lines[0].level is None
    assert [f.message for f in findings] == ["s 办件量：未填全年预计完成值，无法判断"]


def test_a_sheet_with_nothing_entered_is_unfilled_not_green():
    line = Line(1, "办件量", None, None, target("≥", D(10000)))
    empty, _ = evaluate(Sheet("s", date(2026, 6, 30), D(100), None, (line,)), DEFAULT)
    assert empty.level == "unfilled" and empty.as_dict()["level_label"] == "未填报"
    # anything entered — the amount spent, a value, a judgement — gives a level
    spent, _ = evaluate(Sheet("s", date(2026, 6, 30), D(100), D(50), (line,)), DEFAULT)
    judged, _ = evaluate(Sheet("s", date(2026, 6, 30), D(100), None, (Line(1, "办件量", None, None, target(
        "≥", D(10000)), judgement="能"),)), DEFAULT)
    assert spent.level == "green" and judged.level == "green"


# -- money spent, indicators not moving ---------------------------------------------------------------


@settings(max_examples=200)
@given(st.decimals(min_value=0, max_value=D(100), places=2),
       st.lists(st.decimals(min_value=0, max_value=D(200), places=1), min_size=1, max_size=5), gaps)
def test_spending_ahead_of_output_exactly_where_the_gap_says(spent, done, gap):
    profile = with_thresholds(output_lag={"gap": gap}, execution={"amber_gap": 100, "red_gap": 100})
    lines = tuple(Line(i, f"指标{i}", None, None, target("≥", D(100)), to_date=str(d), expected="100")
                  for i, d in enumerate(done))
    evaluation, findings = evaluate(Sheet("s", date(2026, 6, 30), D(100), spent, lines), profile)
    mean = sum(min(d / 100, D(1)) for d in done) / len(done)
    lag = (spent / 100 - mean) * 100
    assert ("monitoring-spending-ahead-of-output" in codes(findings)) == (lag > gap)
    assert evaluation.level == ("amber" if lag > gap else "green")


# -- the 山西 profile: to date against 年度指标值 × 时间进度 ---------------------------------------------


@pytest.mark.parametrize(("to_date", "level"), [("2999", "red"), ("3000", "amber"), ("3999", "amber"),
                                                 ("4000", "green"), ("5999", "green"), ("6000", "blue")])
def test_shanxi_lights_on_the_pro_rata_standard(to_date, level):
    # 6月30日 by months: 标准值 = 10000 × 6/12 = 5000; < 60% 红, [60%, 80%) 黄, [80%, 120%) 绿, ≥ 120% 蓝
    line = Line(1, "办件量", "产出指标", "数量指标", target("≥", D(10000)), to_date=to_date, reason="r")
    evaluation, _ = evaluate(Sheet("s", date(2026, 6, 30), D(100), D(50), (line,)), shipped("shanxi"))
    assert evaluation.lines[0].level == level


def test_shanxi_other_classes_are_green_within_the_target_else_red():
    cost = Line(1, "成本", "产出指标", "成本指标", target("≤", D(50)), to_date="51", reason="r")
    quality = Line(2, "合格率", "产出指标", "质量指标", target("≥", D(95)), to_date="96")
    evaluation, _ = evaluate(Sheet("s", date(2026, 6, 30), D(100), D(50), (cost, quality)), shipped("shanxi"))
    assert [r.level for r in evaluation.lines] == ["red", "green"]


# -- profiles ------------------------------------------------------------------------------------------


def test_shipped_profiles_load_and_cite_their_source():
    assert {"default", "shanxi"} <= set(shipped_names())
    for name in shipped_names():
        profile = shipped(name)
        assert profile.name == name and profile.source.title and profile.source.note
        assert profile_from_data(describe(profile)) == profile
    assert DEFAULT.execution_amber_gap == D("0.1") and DEFAULT.execution_red_gap == D("0.2")


def test_an_edit_is_validated_and_every_problem_named():
    data = merged(shipped_data("default"), {"execution": {"amber_gap": 30, "red_gap": 20},
                                            "indicator": {"red_below": "abc"}, "qualitative": {"能": "purple"}})
    with pytest.raises(ProfileError) as raised:
        profile_from_data(data)
    problems = raised.value.problems
    assert "execution.amber_gap（30）不能大于 red_gap（20）" in problems
    assert "indicator.red_below 须为数字（“abc”）" in problems
    assert any(p.startswith("qualitative.“能”") for p in problems)
    with pytest.raises(ProfileError, match="未知的设置 execution.yellow"):
        profile_from_data(merged(shipped_data("default"), {"execution": {"yellow": 5}}))


@settings(max_examples=200)
@given(dates, st.decimals(min_value=D(1), max_value=D(100000), places=0),
       st.decimals(min_value=0, max_value=D(200000), places=0), st.sampled_from(["数量指标", "质量指标"]))
def test_shanxi_lights_exactly_where_its_bands_say(as_of, t, done, level2):
    line = Line(1, "指标", "产出指标", level2, target("≥", t), to_date=str(done), reason="r")
    evaluation, _ = evaluate(Sheet("s", as_of, D(100), D(100), (line,)), shipped("shanxi"))
    if level2 == "数量指标":  # pro-rata: against 年度指标值 × 整月数/12
        standard = t * time_progress(as_of, "months")
        ratio = done / standard if standard else D(1)
        expected = ("red" if ratio < D("0.6") else "amber" if ratio < D("0.8") else "blue" if ratio >= D("1.2")
                    else "green")
    else:  # 质量: met to date or not
        expected = "green" if done >= t else "red"
    assert evaluation.lines[0].level == expected


def test_the_seeds_quantitative_targets_in_their_own_direction(parsed_seeds):
    """Every quantitative target the parser read from the Hunan seeds (≥ 30万件, ≤ 156万, = 100% …):
    expected = target → 绿; 80% of it → 红 for ≥/=, 绿 for ≤; 120% of it → 绿 for ≥/=, 红 for ≤."""
    from jixiao.monitoring.rounds import is_quantitative

    seen = {"forward": 0, "reverse": 0}
    for prefix in ("000", "001", "002", "004"):
        document, _findings = parsed_seeds[prefix]
        for table in document.tables:
            for target_set in getattr(table, "target_sets", ()):
                for ind in target_set.indicators:
                    t = ind.target
                    if not is_quantitative(t) or t.value <= 0:
                        continue
                    reverse = t.op in ("≤", "<")
                    seen["reverse" if reverse else "forward"] += 1

                    def level(factor, ind=ind, t=t):
                        line = Line(1, ind.name, ind.level1, ind.level2, t, expected=str(t.value * D(factor)),
                                    reason="r")
                        return evaluate(Sheet("s", date(2026, 6, 30), D(1), D(1), (line,)), DEFAULT)[0].lines[0].level

                    assert level("1") == "green", t.text
                    assert level("0.8") == ("green" if reverse else "red"), t.text
                    assert level("1.2") == ("red" if reverse else "green"), t.text
    assert seen["forward"] > 50 and seen["reverse"] > 3, seen

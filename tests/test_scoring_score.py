"""Worked examples with hand-computed scores: every family, the default methods, 预算执行率,
grades, explanation strings and the 自评 checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.model.indicator import TargetValue
from jixiao.model.indicator import ValueKind
from jixiao.scoring import DEFAULT_PROFILE
from jixiao.scoring import PROFILES
from jixiao.scoring import execution_rate_score
from jixiao.scoring import grade
from jixiao.scoring import parse_rule
from jixiao.scoring import score_indicator
from jixiao.scoring.selfeval_checks import ScoredRow
from jixiao.scoring.selfeval_checks import check_missing_actuals
from jixiao.scoring.selfeval_checks import check_over_achievement
from jixiao.scoring.selfeval_checks import check_unexplained_deviations
from jixiao.scoring.selfeval_checks import check_weights
from jixiao.scoring.selfeval_checks import run_checks

D = Decimal

LINEAR = "完成小于60%不得分，超过60%得分=完成率*指标分值"
LINEAR_61 = "完成小于60%不得分，超过61%得分=完成率*指标分值"
RESCALED = "完成率小于60%不得分，大于等于60%，得分=（完成率-60%）/（1-60%）*指标分值"
DEV = "偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分"
DEV_70 = "偏离目标70%不得分；偏离60%得5分；偏离50%得10分，偏离40%得15分，偏离30%以下得满分"
DEV_UP = "偏高目标40%不得分，偏高30%得5分，偏高20%得10分，偏高10%得15分，未偏高得20分。"
BANDS = "大于等于90%得10分；90%-80%（含）得8分，80%-60%（含）得5分，小于60%不得分。"
BANDS_95 = "满意在95%以上得满分，80%以下不得分，80%-90%得3分，90%-95%以下得4分，"
SEATS = "每少1个席位扣0.2分，扣完为止"
INCIDENTS = "未发生无故停窗不办理业务问题得4分；每发生1次扣0.5分，扣完为止。"
MONTHS_OVER = "是否按时出方案，每超过1个月扣1分，扣完为止。"
DELAY_FLOOR = "按时完成得满分，推迟1月扣1分，开展的有1分。"
COUNTIES = "达到全领域覆盖得20分，每少一个区县扣4分，扣完为止。"
BASE_2 = "开展2次得2分，少于2次不得分，增加1次加1分，总共4分。"
BASE_5 = "完成小于5次不得分，超过5次每次加1分，最高8分。"
HALF = "完成2次得满分，一次得指标分的50%，未开展不得分"
COUNTS = "获得1个得2分，获得2个满分"
BONUS = "获得1次以上得满分，每多1次加1分"
GRADES = "持续推进得5分；推进较缓得3分，未推进不得分。"
BINARY = "按要求完成得满分，未完成不得分。"
OVERLAP = "服务对象满意度95%以上计10分，90%-95%的计8分，85%-95%的计6分，80%-85%的计4分，75%-80%的计2分，75%以下不得分。"


def s(rule, target, actual, weight):
    return score_indicator(rule, target, actual, D(weight))


@pytest.mark.parametrize(
    ("rule", "target", "actual", "weight", "expected"),
    [
        # threshold_linear: r < 60% → 0, else min(r, 100%) × w
        (LINEAR, ("≥", 100), "85", 10, "8.50"),
        (LINEAR, ("≥", 100), "55", 10, "0.00"),
        (LINEAR, ("≥", 100), "60", 10, "6.00"),
        (LINEAR, ("≥", 100), "120", 10, "10.00"),
        (LINEAR, ("≥", 40), "30", 5, "3.75"),
        (LINEAR, ("≥", 40), "23", 5, "0.00"),  # 57.5%
        (LINEAR_61, ("≥", 100), "60.5", 10, "6.05"),  # in the 60–61 gap: the formula
        ("完成率*指标分值", ("≥", 4), "3", 10, "7.50"),
        ("完成率*指标分值", ("≥", 4), "1", 10, "2.50"),  # no threshold
        # rescaled_linear: (r − 60%)/(1 − 60%) × w
        (RESCALED, ("≥", 95), "90", 10, "8.68"),  # r = 94.74%: 0.3474/0.4 × 10 = 8.684
        (RESCALED, ("≥", 90), "90", 4, "4.00"),
        (RESCALED, ("≥", 10), "7", 5, "1.25"),  # (0.7 − 0.6)/0.4 × 5
        (RESCALED, ("≥", 10), "6", 5, "0.00"),  # exactly 60%
        (RESCALED, ("≥", 98), "58", 10, "0.00"),  # 59.18%
        (RESCALED, ("≥", 100), "150", 10, "10.00"),
        # deviation_steps on a ≤ cost target: d = (a − t)/t
        (DEV, ("≤", 25), "28.75", 20, "15.00"),  # 15%
        (DEV, ("≤", 25), "25", 20, "20.00"),
        (DEV, ("≤", 25), "20", 20, "20.00"),  # under budget: no 偏离 upwards
        (DEV, ("≤", 25), "27", 20, "20.00"),  # 8% < 10%
        (DEV, ("≤", 25), "32.5", 20, "5.00"),  # exactly 30%
        (DEV, ("≤", 25), "36", 20, "0.00"),  # 44%
        (DEV, ("≥", 100), "85", 20, "15.00"),  # ≥ target: the shortfall
        (DEV, ("≥", 100), "130", 20, "20.00"),
        (DEV, ("=", 100), "115", 20, "15.00"),  # = target: both ways
        (DEV_70, ("≤", 35), "47.25", 20, "15.00"),  # 35%: in the 30–40 gap → the 40% step
        (DEV_70, ("≤", 35), "45", 20, "20.00"),  # 28.57% < 30%
        (DEV_70, ("≤", 35), "70", 20, "0.00"),  # 100%
        (DEV_UP, ("≤", 20), "20", 20, "20.00"),  # 未偏高
        (DEV_UP, ("≤", 20), "21", 20, "15.00"),  # 5%: in the 0–10 gap → the 10% step
        (DEV_UP, ("≤", 20), "22", 20, "15.00"),  # 10%
        (DEV_UP, ("≤", 20), "26", 20, "5.00"),  # 30%
        (DEV_UP, ("≤", 20), "15", 20, "20.00"),
        # band_table over the actual percentage
        (BANDS, ("≥", 90), "92%", 10, "10.00"),
        (BANDS, ("≥", 90), "90", 10, "10.00"),
        (BANDS, ("≥", 90), "85", 10, "8.00"),
        (BANDS, ("≥", 90), "80", 10, "8.00"),  # 80%（含）
        (BANDS, ("≥", 90), "79.9", 10, "5.00"),
        (BANDS, ("≥", 90), "60", 10, "5.00"),
        (BANDS, ("≥", 90), "59", 10, "0.00"),
        (BANDS_95, ("≥", 95), "96", 5, "5.00"),
        (BANDS_95, ("≥", 95), "95", 5, "5.00"),
        (BANDS_95, ("≥", 95), "92", 5, "4.00"),
        (BANDS_95, ("≥", 95), "85", 5, "3.00"),
        (BANDS_95, ("≥", 95), "79", 5, "0.00"),
        # deduction_per_unit
        (SEATS, ("≥", 180), "175", 10, "9.00"),  # 10 − 5 × 0.2
        (SEATS, ("≥", 180), "180", 10, "10.00"),
        (SEATS, ("≥", 180), "100", 10, "0.00"),  # 扣完为止
        (INCIDENTS, None, "3", 4, "2.50"),  # 4 − 3 × 0.5
        (INCIDENTS, None, "0", 4, "4.00"),
        (MONTHS_OVER, ("≤", 7), "9", 4, "2.00"),  # 2 months over
        (MONTHS_OVER, ("≤", 7), "6", 4, "4.00"),
        (DELAY_FLOOR, None, "2", 4, "2.00"),
        (DELAY_FLOOR, None, "5", 4, "1.00"),  # 开展的有1分
        (COUNTIES, None, "2", 20, "12.00"),  # no numeric target: the actual is the shortfall
        ("完成任务得20分；每少完成1项扣10分。", ("≥", 2), "1", 20, "10.00"),
        # base_plus_increments
        (BASE_2, ("≥", 4), "1", 4, "0.00"),
        (BASE_2, ("≥", 4), "2", 4, "2.00"),
        (BASE_2, ("≥", 4), "3", 4, "3.00"),
        (BASE_2, ("≥", 4), "6", 4, "4.00"),  # 总共4分
        (BASE_5, ("≥", 8), "4", 8, "0.00"),
        (BASE_5, ("≥", 8), "5", 8, "5.00"),
        (BASE_5, ("≥", 8), "7", 8, "7.00"),
        (BASE_5, ("≥", 8), "10", 8, "8.00"),
        ("完成小于3次不得分，3次得2分，增加1次加1分，总共4分。", ("≥", 5), "5", 4, "4.00"),
        # partial_credit and counts
        (HALF, ("≥", 2), "2", 5, "5.00"),
        (HALF, ("≥", 2), "1", 5, "2.50"),
        (HALF, ("≥", 2), "0", 5, "0.00"),
        (COUNTS, ("≥", 2), "1", 4, "2.00"),
        (COUNTS, ("≥", 2), "2", 4, "4.00"),
        (COUNTS, ("≥", 2), "0", 4, "0.00"),
        (BONUS, ("≥", 1), "1", 3, "3.00"),
        (BONUS, ("≥", 1), "3", 3, "5.00"),  # 满分 + 2 × 1: a bonus
        (BONUS, ("≥", 1), "0", 3, "0.00"),
        # qualitative_grades and binary
        (GRADES, "提升", "推进较缓", 5, "3.00"),
        (GRADES, "提升", "持续推进", 5, "5.00"),
        (GRADES, "提升", "未推进", 5, "0.00"),
        (GRADES, "提升", "是", 5, "5.00"),
        (GRADES, "提升", "否", 5, "0.00"),
        ("达到提升目标得满分，提升效果一般得1分，未提升不得分", "提升", "提升效果一般", 5, "1.00"),
        ("不断优化提升得5分，优化不程度不够得3分；否则不得分", None, "否", 5, "0.00"),
        (BINARY, "是", "是", 10, "10.00"),
        (BINARY, "是", "完成", 10, "10.00"),
        (BINARY, "是", "未完成", 10, "0.00"),
        ("完成培训得满分，未开展培训不得分", ("≥", 1), "1", 5, "5.00"),
        ("完成培训得满分，未开展培训不得分", ("≥", 1), "0", 5, "0.00"),
        ("安全行驶，无人员伤亡得满分，有伤亡不得分", ("≤", 0), "0", 10, "10.00"),
        ("安全行驶，无人员伤亡得满分，有伤亡不得分", ("≤", 0), "1", 10, "0.00"),
        ("持续保持大厅正常运转得10分，否则不得分。", None, "否", 10, "0.00"),
    ],
)
def test_family_examples(rule, target, actual, weight, expected):
    result = s(rule, target, actual, weight)
    assert result.parsed, result.explanation
    assert not result.needs_review, result.explanation
    assert result.score == D(expected)
    assert str(result.score) == expected  # two decimals


@pytest.mark.parametrize(
    ("target", "actual", "weight", "family", "expected"),
    [
        (("≥", 90), "85", 10, "default_forward", "9.44"),  # 85/90 × 10 = 9.444
        (("≥", 90), "95", 10, "default_forward", "10.00"),
        ((">", 3), "1", 10, "default_forward", "3.33"),
        (("≥", 8), "1", 1, "default_forward", "0.13"),  # 0.125 half up
        (("≥", 0), "0", 5, "default_forward", "5.00"),
        (("=", 0), "0", 10, "default_equal", "10.00"),
        (("=", 0), "1", 10, "default_equal", "0.00"),
        (("=", 100), "90", 10, "default_equal", "9.00"),
        (("=", 100), "110", 10, "default_equal", "10.00"),
        (("≤", 25), "30", 10, "default_reverse", "8.00"),  # (1 − 5/25) × 10
        (("≤", 25), "20", 10, "default_reverse", "10.00"),
        (("≤", 25), "50", 10, "default_reverse", "0.00"),  # a ≥ 2t
        (("<", 25), "37.5", 10, "default_reverse", "5.00"),
        (("≤", 0), "0", 10, "default_reverse", "10.00"),
        (("≤", 0), "1", 10, "default_reverse", "0.00"),
        (("定性", None), "达成年度指标", 10, "default_qualitative", "10.00"),
        (("定性", None), "达成", 10, "default_qualitative", "10.00"),
        (("定性", None), "部分达成", 10, "default_qualitative", "6.00"),  # [6, 8): lower end
        (("定性", None), "未达成年度指标且效果较差", 10, "default_qualitative", "0.00"),
        (None, "是", 4, "default_qualitative", "4.00"),  # no target, worded actual: 定性
        (("≥", 95), "92", 10, "default_forward", "9.68"),
    ],
)
def test_default_methods(target, actual, weight, family, expected):
    result = s(None, target, actual, weight)
    assert (result.family, result.parsed, str(result.score)) == (family, False, expected)


def test_explanations_show_the_numbers():
    assert (
        s(RESCALED, ("≥", 95), "90", 10).explanation
        == "完成率 = 90/95 = 94.74% ≥ 60%：(94.74%−60%)/(1−60%)×10 = 8.68"
    )
    assert (
        s(RESCALED, ("≥", 100), "90", 10).explanation
        == "完成率 = 90/100 = 90.00% ≥ 60%：(90%−60%)/(1−60%)×10 = 7.50"
    )
    assert s(LINEAR, ("≥", 100), "55", 10).explanation == "完成率 = 55/100 = 55.00% < 60%：不得分 = 0.00"
    assert (
        s(LINEAR, ("≥", 100), "120", 10).explanation
        == "完成率 = 120/100 = 120.00% ≥ 60%（按 100% 计）：100%×10 = 10.00"
    )
    assert (
        s(DEV, ("≤", 25), "28.75", 20).explanation
        == "偏离度 = max(0, (28.75−25)/25) = 15.00% ≥ 10%：15分 = 15.00"
    )
    assert (
        s(SEATS, ("≥", 180), "175", 10).explanation == "少 5 个席位（目标 180 − 实际 175）：10−5×0.2 = 9.00"
    )
    assert s(INCIDENTS, None, "3", 4).explanation == "发生 3 次：4−3×0.5 = 2.50"
    assert s(DELAY_FLOOR, None, "5", 4).explanation == "推迟 5 月：4−5×1，最低 1 分 = 1.00"
    assert s(BASE_2, ("≥", 4), "6", 4).explanation == "完成 6 次：2+4×1，最高 4 分 = 4.00"
    assert s(BANDS, ("≥", 90), "85", 10).explanation == "实际值 85% 在 [80%, 90%) 一档：8分 = 8.00"
    assert s(GRADES, "提升", "推进较缓", 5).explanation == "实际“推进较缓”对应“推进较缓”：3分 = 3.00"
    assert s(None, ("≤", 25), "30", 10).explanation == (
        "评分标准未采用，按默认方法（反向指标）：实际 30 > 目标 25：(1−(30−25)/25)×10 = 8.00"
    )
    assert s(None, ("定性", None), "部分达成", 10).explanation.endswith("区间 [6, 8)，取 6 = 6.00")
    assert "60%–61% 未写明" in s(LINEAR_61, ("≥", 100), "60.5", 10).explanation


def test_bonus_is_kept_and_reported():
    result = s(BONUS, ("≥", 1), "3", 3)
    assert result.bonus and result.score == D("5.00")
    assert [f.code for f in result.findings] == ["scoring-bonus"]


def test_score_is_clipped_to_the_weight_without_bonus():
    # 每少1个… with an actual above the target: no negative shortfall, never above the weight
    assert s(SEATS, ("≥", 180), "190", 10).score == D("10.00")
    assert s(LINEAR, ("≥", 50), "500", 10).score == D("10.00")


def test_unparseable_rule_falls_back_to_the_default_method():
    same = "95%以上计10分，95%以上计8分，95%以下不得分"  # two bands over the same values: no reading
    result = s(same, ("≥", 95), "92", 10)
    assert (result.parsed, result.family, result.score) == (False, "default_forward", D("9.68"))
    assert result.reason is not None and "两档重叠" in result.reason
    assert result.explanation.startswith("评分标准未采用，按默认方法（正向指标）")


def test_overlapping_bands_score_the_band_the_actual_is_in():
    # 87% is in 85%-95% only: scored by it; the overlap itself is reported once, when parsed
    result = s(OVERLAP, ("≥", 95), "87", 10)
    assert (result.parsed, result.family, result.score) == (True, "band_table", D("6.00"))
    assert [f.code for f in result.findings] == ["scoring-rule-bands-overlap"]
    # 92% is in 90%-95% (8 分) and in 85%-95% (6 分): the more favourable band, and a warning
    result = s(OVERLAP, ("≥", 95), "92", 10)
    assert (result.parsed, result.score) == (True, D("8.00"))
    assert [f.code for f in result.findings] == ["scoring-rule-bands-overlap", "scoring-band-ambiguous"]
    assert result.findings[1].severity.value == "warning"
    assert "实际值 92% 同时落在 [90%, 95%]、[85%, 95%] 几档" in result.findings[1].message
    assert "按得分较高的“[90%, 95%]”计 8分" in result.findings[1].message
    # exactly on a shared end (90%-100% and 80%-90% both hold 90%): the higher band
    touching = "90%-100%得满分，80%-90%得8分，80%以下不得分"
    assert s(touching, ("≥", 90), "90", 10).score == D("10.00")
    assert s(touching, ("≥", 90), "85", 10).score == D("8.00")
    assert s(touching, ("≥", 90), "101", 10).score == D("10.00")  # the table ends at 100%
    # cumulative thresholds (≥90% 10 分, ≥80% 8 分): the first printed, most favourable band
    cumulative = "≥90%得10分，≥80%得8分，80%以下不得分"
    assert [s(cumulative, ("≥", 90), v, 10).score for v in ("95", "85", "70")] == [D("10.00"), D("8.00"), D("0.00")]
    assert "scoring-band-ambiguous" in {f.code for f in s(cumulative, ("≥", 90), "95", 10).findings}
    assert "scoring-band-ambiguous" not in {f.code for f in s(cumulative, ("≥", 90), "85", 10).findings}


def test_threshold_deduction():
    text = "满意度90%以上得满分，满意度每下降1%扣0.6分，80%以下不得分"
    assert s(text, ("≥", 90), "95", 10).score == D("10.00")
    result = s(text, ("≥", 90), "86.5", 10)
    assert (result.parsed, result.family, result.score) == (True, "threshold_deduction", D("7.90"))  # 10 − 3.5 × 0.6
    assert "比 90% 低 3.5 个百分点，每 1 个百分点扣 0.6 分" in result.explanation
    assert s(text, ("≥", 90), "79", 10).score == D("0.00")  # below the floor
    # no level printed: deductions count from the target; 扣完为止 stops at 0
    text = "每降低1个百分点扣2分，扣完为止"
    assert s(text, ("≥", 95), "93", 10).score == D("6.00")
    assert s(text, ("≥", 95), "80", 10).score == D("0.00")
    assert s(text, ("≥", 95), "96", 10).score == D("10.00")


def test_rule_contradicting_the_weight_falls_back():
    rule, _ = parse_rule(DEV)  # parsed without a weight: steps up to 15 points
    result = score_indicator(rule, ("≤", D(845.68)), D("900"), D(10))  # printed on a 10-point row
    assert not result.parsed and result.family == "default_reverse"
    assert result.findings[0].code == "scoring-rule-contradiction"
    assert result.score == D("9.36")  # (1 − 54.32/845.68) × 10 = 9.357


def test_accepts_target_value_objects_and_decimals():
    target = TargetValue(text="≥95%", kind=ValueKind.QUANTITATIVE, op="≥", value=D(95), unit="%")
    assert score_indicator(RESCALED, target, D(90), D(10)).score == D("8.68")
    assert score_indicator(RESCALED, "≥95%", "90%", D(10)).score == D("8.68")
    assert score_indicator(RESCALED, D(95), 90, 10).score == D("8.68")


@pytest.mark.parametrize(
    ("rule", "target", "actual", "code"),
    [
        (RESCALED, None, "90", "scoring-input-missing"),  # no target: no 完成率
        (RESCALED, ("≥", 95), "较好", "scoring-input-missing"),  # a worded actual for a formula
        (RESCALED, ("≥", 95), None, "scoring-input-missing"),
        (GRADES, "提升", "进展一般", "scoring-actual-unmatched"),
        (BINARY, "是", "未按要求完成", "scoring-actual-unmatched"),  # negated: not the pass label
        (None, ("定性", None), "很好", "scoring-actual-unmatched"),
        (None, ("≥", 10), None, "scoring-input-missing"),
    ],
)
def test_unusable_inputs_need_review(rule, target, actual, code):
    result = score_indicator(rule, target, actual, D(10) if rule != GRADES else D(5))
    assert result.needs_review
    assert result.score == D("0.00")
    assert code in [f.code for f in result.findings]
    assert result.explanation.endswith("需人工评分：0.00")


def test_subject_prefixes_findings():
    result = score_indicator(GRADES, "提升", "进展一般", D(5), subject="提高窗口人员服务水平")
    assert result.findings[0].message.startswith("提高窗口人员服务水平：实际完成值“进展一般”")


def test_as_dict_is_json_ready():
    data = s(RESCALED, ("≥", 95), "90", 10).as_dict()
    assert data["family"] == "rescaled_linear" and data["parsed"] is True and data["score"] == "8.68"
    assert data["params"] == {"threshold": "60"} and data["rate"] == "94.74%"


# -- 预算执行率 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "spent", "profile", "expected"),
    [
        ("100", "95", "default", "9.50"),
        ("100", "110", "default", "10.00"),  # min(rate, 100%)
        ("3", "2", "default", "6.67"),  # 66.67%
        ("1,955.15", "1,955.15", "default", "10.00"),
        ("100", "95", "hubei", "19.00"),  # × 20
        ("100", "100", "jiangxi", "10.00"),
        ("100", "85", "jiangxi", "7.00"),
        ("100", "65", "jiangxi", "5.00"),
        ("100", "59", "jiangxi", "0.00"),
    ],
)
def test_execution_rate(budget, spent, profile, expected):
    result = execution_rate_score(budget, spent, PROFILES[profile])
    assert str(result.score) == expected
    assert result.family == "execution_rate"


def test_execution_rate_explanation_and_missing_budget():
    assert execution_rate_score(D(100), D(95)).explanation == "执行率 = 95/100 = 95.00%：95%×10 = 9.50"
    result = execution_rate_score(D(0), D(5))
    assert result.needs_review and result.findings[0].code == "execution-budget-missing"


# -- grades ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grades(total, expected):
    assert grade(D(total)) == expected


def test_profile_is_data():
    assert dict(DEFAULT_PROFILE.level1_weights) == {
        "产出指标": 50,
        "效益指标": 30,
        "满意度指标": 10,
        "预算执行率": 10,
    }
    assert sum(w for _, w in DEFAULT_PROFILE.level1_weights) == 100
    assert PROFILES["hubei"].execution_weight == 20
    assert PROFILES["zhejiang"].indicator_weight_totals == (D(100),)
    with pytest.raises(AttributeError):
        DEFAULT_PROFILE.execution_weight = D(20)  # type: ignore[misc]


# -- 自评 checks --------------------------------------------------------------------------------


def _row(name, target, actual, weight, rule=None, reason=None):
    score = None if actual is None else score_indicator(rule, target, actual, D(weight))
    return ScoredRow(
        name=name,
        weight=None if weight is None else D(weight),
        target=target,
        actual=actual,
        score=score,
        reason=reason,
    )


def test_missing_actuals():
    rows = [
        _row("a", ("≥", 10), None, 10),
        _row("b", ("≥", 10), "10", 10),
        ScoredRow("c", D(5), actual=" / "),
    ]
    assert [f.subject for f in check_missing_actuals(rows)] == ["a", "c"]


def test_unexplained_deviation():
    rows = [
        _row("少了", ("≥", 100), "80", 10),
        _row("少了但有原因", ("≥", 100), "80", 10, reason="疫情影响，下半年补足"),
        _row("完成", ("≥", 100), "100", 10),
    ]
    found = check_unexplained_deviations(rows)
    assert [f.subject for f in found] == ["少了"]
    assert found[0].code == "selfeval-deviation-unexplained"
    assert "得分 8.00/10（完成率 80.00%）" in found[0].message


def test_over_achievement():
    rows = [
        _row("偏低", ("≥", 100), "130", 10),
        _row("偏低有原因", ("≥", 100), "150", 10, reason="年初指标值按上年下限设定"),
        _row("正常", ("≥", 100), "129", 10),
        _row("反向", ("≤", 100), "30", 10),
    ]
    found = check_over_achievement(rows)
    assert [(f.subject, f.severity.value) for f in found] == [("偏低", "warning"), ("偏低有原因", "info")]
    assert "130.00%" in found[0].message


@pytest.mark.parametrize(
    ("weights", "profile", "ok"),
    [
        ([50, 30, 10, 10], "default", True),
        ([40, 30, 10, 10], "default", True),  # 90 + 执行率 10
        ([40, 30, 10, 5], "default", False),
        ([40, 30, 10, 10], "zhejiang", False),
        ([40, 30, 10], "hubei", True),  # 80 + 执行率 20
    ],
)
def test_weights_total(weights, profile, ok):
    rows = [ScoredRow(f"指标{i}", D(w)) for i, w in enumerate(weights)]
    found = check_weights(rows, PROFILES[profile])
    assert (found == []) is ok
    if not ok:
        assert found[0].code == "selfeval-weights-total"


def test_weight_missing_and_run_checks():
    rows = [ScoredRow("无分值", None, ("≥", 1), "1"), _row("有", ("≥", 10), "5", 90)]
    codes = [f.code for f in run_checks(rows)]
    assert codes == ["selfeval-deviation-unexplained", "selfeval-weight-missing"]


def test_over_achievement_not_flagged_when_the_rule_rewards_it():
    from jixiao.scoring.selfeval_checks import ScoredRow
    from jixiao.scoring.selfeval_checks import check_over_achievement

    bonus_rule = "获得1次以上得满分，每多1次加1分"
    plain_rule = "完成小于60%不得分，超过60%得分=完成率*指标分值"
    rows = [
        ScoredRow("上级部门奖励", Decimal(3), ("≥", Decimal(1)), Decimal(2),
                  score_indicator(bonus_rule, ("≥", Decimal(1)), Decimal(2), Decimal(3))),
        ScoredRow("评估市直部门个数", Decimal(5), ("≥", Decimal(40)), Decimal(80),
                  score_indicator(plain_rule, ("≥", Decimal(40)), Decimal(80), Decimal(5))),
    ]
    found = check_over_achievement(rows)
    assert [(f.code, f.subject) for f in found] == [("selfeval-over-achievement", "评估市直部门个数")]

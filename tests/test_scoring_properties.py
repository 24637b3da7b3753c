"""Properties of scoring (Hypothesis): bounds, monotonicity in the rule's direction, determinism,
and a parser that never raises."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from jixiao.scoring import execution_rate_score
from jixiao.scoring import grade
from jixiao.scoring import parse_rule
from jixiao.scoring import score_indicator
from jixiao.scoring.methods import PROFILES

D = Decimal
UP, DOWN = 1, -1

# (rule text, op, weight printed with it in seed 001, direction of the score in the actual value)
CASES = [
    ("完成小于60%不得分，超过60%得分=完成率*指标分值", "≥", 10, UP),
    ("完成小于60%不得分，超过61%得分=完成率*指标分值", "≥", 8, UP),
    ("完成率*指标分值", "≥", 10, UP),
    ("完成小于60%不得分，超过60%得分=完成率*指标分值", "≤", 10, DOWN),
    ("完成率小于60%不得分，大于等于60%，得分=（完成率-60%）/（1-60%）*指标分值", "≥", 4, UP),
    ("完成率小于60%不得分，大于等于60%，得分=（完成率-60%）/（1-60%）*指标分值", "≤", 4, DOWN),
    ("次月及时通报，实际完成率达80%-100%，按百分比*指标分值得分，80%以下通报按时完成不得分。", "≥", 4, UP),
    ("偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分", "≤", 20, DOWN),
    ("偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分", "≥", 20, UP),
    ("偏离目标70%不得分；偏离60%得5分；偏离50%得10分，偏离40%得15分，偏离30%以下得满分", "≤", 20, DOWN),
    ("偏高目标40%不得分，偏高30%得5分，偏高20%得10分，偏高10%得15分，未偏高得20分。", "≤", 20, DOWN),
    ("大于等于90%得10分；90%-80%（含）得8分，80%-60%（含）得5分，小于60%不得分。", "≥", 10, UP),
    ("满意在95%以上得满分，80%以下不得分，80%-90%得3分，90%-95%以下得4分，", "≥", 5, UP),
    ("每少1个席位扣0.2分，扣完为止", "≥", 10, UP),
    ("完成任务得20分；每少完成1项扣10分。", "≥", 20, UP),
    ("未发生无故停窗不办理业务问题得4分；每发生1次扣0.5分，扣完为止。", "≤", 4, DOWN),
    ("是否按时出方案，每超过1个月扣1分，扣完为止。", "≤", 4, DOWN),
    ("按时完成得满分，推迟1月扣1分，开展的有1分。", "≤", 4, DOWN),
    ("持续保持大厅正常运转得30分，发生不能正常运转一次扣5分扣完为止。", "≤", 30, DOWN),
    ("开展2次得2分，少于2次不得分，增加1次加1分，总共4分。", "≥", 4, UP),
    ("完成小于3次不得分，3次得2分，增加1次加1分，总共4分。", "≥", 4, UP),
    ("完成小于5次不得分，超过5次每次加1分，最高8分。", "≥", 8, UP),
    ("完成2次得满分，一次得指标分的50%，未开展不得分", "≥", 5, UP),
    ("获得1个得2分，获得2个满分", "≥", 4, UP),
    ("制定1个得2分，制定2个得4分。", "≥", 4, UP),
    ("获得1次以上得满分，每多1次加1分", "≥", 3, UP),
    ("完成培训得满分，未开展培训不得分", "≥", 5, UP),
    ("安全行驶，无人员伤亡得满分，有伤亡不得分", "≤", 10, DOWN),
    ("持续推进得5分；推进较缓得3分，未推进不得分。", "≥", 5, UP),
    (None, "≥", 10, UP),
    (None, ">", 10, UP),
    (None, "≤", 10, DOWN),
    (None, "<", 10, DOWN),
]

amounts = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
targets = st.decimals(min_value=1, max_value=500, places=2, allow_nan=False, allow_infinity=False)


def _rule(text):
    if text is None:
        return None
    rule, findings = parse_rule(text)
    assert rule is not None, [f.message for f in findings]
    return rule


@pytest.mark.parametrize(("text", "op", "weight", "direction"), CASES)
@settings(max_examples=60, deadline=None)
@given(target=targets, a=amounts, b=amounts)
def test_bounds_and_monotone(text, op, weight, direction, target, a, b):
    rule = _rule(text)
    w = D(weight)
    low, high = sorted((a, b))
    s_low = score_indicator(rule, (op, target), low, w)
    s_high = score_indicator(rule, (op, target), high, w)
    for result in (s_low, s_high):
        assert result.score >= 0
        if rule is None or not rule.grants_bonus:
            assert result.score <= w
        assert result.score == result.score.quantize(D("0.01"))
        assert result.parsed is (rule is not None)
        assert not result.needs_review
    if direction == UP:
        assert s_low.score <= s_high.score, (s_low.explanation, s_high.explanation)
    else:
        assert s_low.score >= s_high.score, (s_low.explanation, s_high.explanation)


@settings(max_examples=100, deadline=None)
@given(target=targets, actual=amounts, case=st.sampled_from(CASES))
def test_deterministic(target, actual, case):
    text, op, weight, _ = case
    first = score_indicator(text, (op, target), actual, D(weight))
    second = score_indicator(text, (op, target), actual, D(weight))
    assert first == second
    assert first.explanation.endswith(str(first.score))


@settings(max_examples=100, deadline=None)
@given(t=targets, a=amounts, w=st.integers(min_value=1, max_value=30))
def test_equal_op_is_forward_below_target(t, a, w):
    # DOMAIN §2.2: ＝ with t > 0 scores as 正向
    assert score_indicator(None, ("=", t), a, D(w)).score == score_indicator(None, ("≥", t), a, D(w)).score


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("完成率小于大于等于60%不得分，；。得满分扣1个次加最高偏离目标-（）*/=XX未以上下")
        ),
        max_size=40,
    )
)
def test_parser_never_raises_and_is_honest(text):
    rule, findings = parse_rule(text)
    if rule is None:
        assert findings and findings[0].severity.value in ("warning", "info")
    else:
        assert all(f.severity.value == "info" for f in findings)
        assert parse_rule(rule.text)[0] == rule


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_parser_never_raises_on_any_text(text):
    parse_rule(text)


@settings(max_examples=100, deadline=None)
@given(
    budget=st.decimals(min_value="0.01", max_value=100000, places=2),
    spent=amounts,
    profile=st.sampled_from(sorted(PROFILES)),
)
def test_execution_rate_bounds(budget, spent, profile):
    result = execution_rate_score(budget, spent, PROFILES[profile])
    assert 0 <= result.score <= PROFILES[profile].execution_weight
    more = execution_rate_score(budget, spent + 1, PROFILES[profile])
    assert more.score >= result.score


@given(
    a=st.decimals(min_value=0, max_value=100, places=2), b=st.decimals(min_value=0, max_value=100, places=2)
)
def test_grade_monotone(a, b):
    order = "差中良优"
    low, high = sorted((a, b))
    assert order.index(grade(low)) <= order.index(grade(high))

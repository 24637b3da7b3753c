"""Apply a parsed :class:`ScoringRule` to one indicator's target and actual value.

Each family gives an :class:`Outcome` (value before clipping/rounding + the formula as text);
:mod:`jixiao.scoring.score` clips, rounds and wraps it in a ``Score``.
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_FLOOR
from decimal import Decimal

from jixiao.scoring.families import EXCESS
from jixiao.scoring.families import NOTHING
from jixiao.scoring.families import SHORTFALL
from jixiao.scoring.families import BandTable
from jixiao.scoring.families import BasePlusIncrements
from jixiao.scoring.families import Binary
from jixiao.scoring.families import Counts
from jixiao.scoring.families import CountSteps
from jixiao.scoring.families import DeductionPerUnit
from jixiao.scoring.families import DeviationSteps
from jixiao.scoring.families import Points
from jixiao.scoring.families import QualitativeGrades
from jixiao.scoring.families import RescaledLinear
from jixiao.scoring.families import ScoringRule
from jixiao.scoring.families import ThresholdDeduction
from jixiao.scoring.families import ThresholdLinear
from jixiao.scoring.methods import NO_WORDS
from jixiao.scoring.methods import REVERSE_OPS
from jixiao.scoring.methods import YES_WORDS
from jixiao.scoring.methods import Outcome
from jixiao.scoring.methods import completion_rate
from jixiao.scoring.methods import rate_formula
from jixiao.scoring.numbers import HUNDRED
from jixiao.scoring.numbers import ONE
from jixiao.scoring.numbers import ZERO
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import pct

_NEGATIONS = ("未", "不", "无", "没")


def apply_rule(
    rule: ScoringRule,
    op: str | None,
    target: Decimal | None,
    actual: Decimal | None,
    actual_text: str | None,
    weight: Decimal,
) -> Outcome:
    """The outcome of ``rule`` for one indicator (``actual_text``: the actual as printed)."""
    if isinstance(rule, (Binary, QualitativeGrades)):
        return _grades(rule, op, target, actual, actual_text, weight)
    if actual is None:
        what = f"实际完成值“{actual_text}”不是数值" if actual_text else "缺少实际完成值"
        return Outcome(None, what, problem=what)
    if isinstance(rule, ThresholdLinear):
        return _threshold(rule, op, target, actual, weight)
    if isinstance(rule, RescaledLinear):
        return _rescaled(rule, op, target, actual, weight)
    if isinstance(rule, DeviationSteps):
        return _deviation(rule, op, target, actual, weight)
    if isinstance(rule, BandTable):
        return _bands(rule, op, target, actual, weight)
    if isinstance(rule, DeductionPerUnit):
        return _deduction(rule, target, actual, weight)
    if isinstance(rule, ThresholdDeduction):
        return _threshold_deduction(rule, op, target, actual, weight)
    if isinstance(rule, BasePlusIncrements):
        return _base_plus(rule, actual)
    if isinstance(rule, CountSteps):
        return _count_steps(rule, actual, weight)
    raise TypeError(f"unknown scoring rule {type(rule).__name__}")  # pragma: no cover


def _rate(op: str | None, target: Decimal | None, actual: Decimal) -> tuple[Decimal | None, str]:
    if target is None:
        return None, "缺少年度指标值，无法计算完成率"
    rate = completion_rate(op, target, actual)
    assert rate is not None
    return rate, rate_formula(op, target, actual, rate)


def _missing(text: str) -> Outcome:
    return Outcome(None, text, problem=text)


def _threshold(
    rule: ThresholdLinear, op: str | None, target: Decimal | None, actual: Decimal, w: Decimal
) -> Outcome:
    rate, head = _rate(op, target, actual)
    if rate is None:
        return _missing(head)
    capped = min(rate, ONE)
    cap_note = "（按 100% 计）" if rate > ONE else ""
    if rule.threshold is None:
        return Outcome(capped * w, f"{head}{cap_note}：{pct(capped)}×{num(w)}", rate)
    bound = rule.threshold / HUNDRED
    if rate < bound:
        return Outcome(ZERO, f"{head} < {num(rule.threshold)}%：不得分", rate)
    gap = ""
    if rule.gap_upper is not None and rate * HUNDRED <= rule.gap_upper:
        gap = f"（{num(rule.threshold)}%–{num(rule.gap_upper)}% 未写明，按公式计）"
    return Outcome(
        capped * w, f"{head} ≥ {num(rule.threshold)}%{cap_note}{gap}：{pct(capped)}×{num(w)}", rate
    )


def _rescaled(
    rule: RescaledLinear, op: str | None, target: Decimal | None, actual: Decimal, w: Decimal
) -> Outcome:
    rate, head = _rate(op, target, actual)
    if rate is None:
        return _missing(head)
    bound = rule.threshold / HUNDRED
    t = num(rule.threshold)
    if rate < bound:
        return Outcome(ZERO, f"{head} < {t}%：不得分", rate)
    capped = min(rate, ONE)
    cap_note = "（按 100% 计）" if rate > ONE else ""
    value = (capped - bound) / (ONE - bound) * w
    return Outcome(value, f"{head} ≥ {t}%{cap_note}：({pct(capped)}−{t}%)/(1−{t}%)×{num(w)}", rate)


def _deviation(
    rule: DeviationSteps, op: str | None, target: Decimal | None, actual: Decimal, w: Decimal
) -> Outcome:
    if target is None:
        return _missing("缺少年度指标值，无法计算偏离度")
    a, t = num(actual), num(target)
    if target == ZERO:
        if actual != ZERO:
            return _missing("年度指标值为 0，无法计算偏离度")
        dev, head = ZERO, "实际与目标均为 0：偏离度 0%"
    elif rule.direction == "up" or op in REVERSE_OPS:
        dev = max(ZERO, (actual - target) / target)
        head = f"偏{'高' if rule.direction == 'up' else '离'}度 = max(0, ({a}−{t})/{t}) = {pct(dev, 2)}"
    elif op in ("≥", ">"):
        dev = max(ZERO, (target - actual) / target)
        head = f"偏离度 = max(0, ({t}−{a})/{t}) = {pct(dev, 2)}"
    else:
        dev = abs(actual - target) / target
        head = f"偏离度 = |{a}−{t}|/{t} = {pct(dev, 2)}"
    d = dev * HUNDRED
    if d <= ZERO or d < rule.full_below:
        bound = "未偏离" if d <= ZERO else f"< {num(rule.full_below)}%"
        return Outcome(
            rule.full_points.resolve(w),
            f"{head} {bound}：{rule.full_points}",
            completion_rate(op, target, actual),
        )
    for bound, points in rule.steps:
        if d >= bound:
            return Outcome(
                points.resolve(w), f"{head} ≥ {num(bound)}%：{points}", completion_rate(op, target, actual)
            )
    bound, points = rule.steps[-1]
    return Outcome(
        points.resolve(w),
        f"{head}（{num(rule.full_below)}%–{num(bound)}% 未写明，按“{num(bound)}%”一档）：{points}",
        completion_rate(op, target, actual),
    )


def _measured(measure: str, op: str | None, target: Decimal | None, actual: Decimal):
    """(completion rate, the value the rule's bands are in, its description) or an Outcome when
    the rate cannot be computed. ``measure`` "rate": bands over the completion rate in %; else
    over the actual value itself."""
    if measure == "rate":
        rate, head = _rate(op, target, actual)
        if rate is None:
            return _missing(head)
        return rate, rate * HUNDRED, head
    rate = completion_rate(op, target, actual) if target is not None else None
    return rate, actual, f"实际值 {num(actual)}%"


def _bands(rule: BandTable, op: str | None, target: Decimal | None, actual: Decimal, w: Decimal) -> Outcome:
    measured = _measured(rule.measure, op, target, actual)
    if isinstance(measured, Outcome):
        return measured
    rate, value, head = measured
    top = rule.bands[-1] if rule.bands else None
    if top is not None and top.high == HUNDRED and top.high_inclusive and value > HUNDRED:
        value = HUNDRED  # the table ends at 100%: more counts as 100%
    hits = [i for i, b in enumerate(rule.bands) if b.contains(value)]
    if not hits:  # exactly on a boundary both bands exclude: the lower band (reported when parsed)
        below = [b for b in rule.bands if b.high is not None and b.high <= value]
        if not below:
            return _missing(f"{head} 不在评分标准的任何一档")
        chosen = max(below, key=lambda b: b.high or ZERO)
        return Outcome(chosen.points.resolve(w), f"{head} 在 {chosen.label()} 一档：{chosen.points}", rate)
    printed = {i: (rule.order[i] if i < len(rule.order) else i) for i in hits}
    best = max(hits, key=lambda i: (rule.bands[i].points.resolve(w), -printed[i]))
    chosen = rule.bands[best]
    if len(hits) == 1:
        return Outcome(chosen.points.resolve(w), f"{head} 在 {chosen.label()} 一档：{chosen.points}", rate)
    bands = "、".join(rule.bands[i].label() for i in sorted(hits, key=lambda i: printed[i]))
    warning = ("scoring-band-ambiguous", (("value", f"{num(value)}%"), ("bands", bands), ("chosen", chosen.label()),
                                          ("points", str(chosen.points))))
    return Outcome(
        chosen.points.resolve(w),
        f"{head} 同时在 {bands} 几档，按得分较高的 {chosen.label()} 一档：{chosen.points}",
        rate,
        warning=warning,
    )


def _threshold_deduction(
    rule: ThresholdDeduction, op: str | None, target: Decimal | None, actual: Decimal, w: Decimal
) -> Outcome:
    measured = _measured(rule.measure, op, target, actual)
    if isinstance(measured, Outcome):
        return measured
    rate, value, head = measured
    level = rule.full_at
    if level is None:
        if target is None:
            return _missing("缺少年度指标值，无法确定扣分起点")
        level = target if rule.measure == "actual" else HUNDRED
    start = rule.start.resolve(w)
    if value >= level:
        return Outcome(start, f"{head} ≥ {num(level)}%：{rule.start}", rate)
    if rule.zero_below is not None and value < rule.zero_below:
        return Outcome(ZERO, f"{head} < {num(rule.zero_below)}%：不得分", rate)
    drop = level - value
    value_after = start - drop / rule.per * rule.points
    per = "1" if rule.per == ONE else num(rule.per)
    text = f"{head}，比 {num(level)}% 低 {num(drop)} 个百分点，每 {per} 个百分点扣 {num(rule.points)} 分：{num(start)}−{num(drop / rule.per * rule.points)}"
    if value_after < ZERO:
        text += "，扣完为止"
        value_after = ZERO
    return Outcome(value_after, text, rate)


def _units(rule: DeductionPerUnit, target: Decimal | None, actual: Decimal) -> tuple[Decimal, str]:
    a = num(actual)
    if rule.basis == SHORTFALL and target is not None:
        units = max(ZERO, target - actual)
        return units, f"少 {num(units)} {rule.unit}（目标 {num(target)} − 实际 {a}）"
    if rule.basis == EXCESS and target is not None:
        units = max(ZERO, actual - target)
        return units, f"超过 {num(units)} {rule.unit}（实际 {a} − 目标 {num(target)}）"
    return max(ZERO, actual), f"{rule.event} {a} {rule.unit}"


def _deduction(rule: DeductionPerUnit, target: Decimal | None, actual: Decimal, w: Decimal) -> Outcome:
    units, head = _units(rule, target, actual)
    steps = (units / rule.per).to_integral_value(rounding=ROUND_FLOOR)
    start = rule.start.resolve(w)
    value = start - steps * rule.points
    per = "" if rule.per == ONE else f"（每 {num(rule.per)}{rule.unit}）"
    text = f"{head}{per}：{num(start)}−{num(steps)}×{num(rule.points)}"
    if value < rule.floor:
        text += f"，最低 {num(rule.floor)} 分" if rule.floor else "，扣完为止"
        value = rule.floor
    return Outcome(value, text)


def _base_plus(rule: BasePlusIncrements, n: Decimal) -> Outcome:
    if n < rule.min_count:
        return Outcome(ZERO, f"完成 {num(n)} 次 < {num(rule.min_count)} 次：不得分")
    extra = ((n - rule.min_count) / rule.step).to_integral_value(rounding=ROUND_FLOOR)
    value = rule.base_points + extra * rule.step_points
    text = f"完成 {num(n)} 次：{num(rule.base_points)}+{num(extra)}×{num(rule.step_points)}"
    if value > rule.cap:
        text += f"，最高 {num(rule.cap)} 分"
        value = rule.cap
    return Outcome(value, text)


def _count_steps(rule: CountSteps, n: Decimal, w: Decimal) -> Outcome:
    for count, points in rule.steps:
        if n >= count:
            value = points.resolve(w)
            text = f"完成 {num(n)} ≥ {num(count)}：{points}"
            if (
                isinstance(rule, Counts)
                and rule.extra_points is not None
                and count == rule.steps[0][0]
                and n > count
            ):
                extra = (n - count).to_integral_value(rounding=ROUND_FLOOR)
                value += extra * rule.extra_points
                text += f"，多 {num(extra)} 个加 {num(extra)}×{num(rule.extra_points)}"
            return Outcome(value, text)
    lowest = rule.steps[-1][0] if rule.steps else ONE
    return Outcome(ZERO, f"完成 {num(n)} < {num(lowest)}：不得分")


# -- qualitative -----------------------------------------------------------------------------


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).strip("，,。；;")


def _negated(text: str) -> bool:
    return any(n in text for n in _NEGATIONS)


def match_label(actual: str, labels: list[str]) -> int | None:
    """Index of the label an actual outcome names: exact, else the unique (or longest) label
    contained in the actual or containing it, with the same negation (未/不/无/没) as the actual."""
    key = _norm(actual)
    if not key:
        return None
    normed = [_norm(label) for label in labels]
    if key in normed:
        return normed.index(key)
    hits = [
        i
        for i, label in enumerate(normed)
        if (label in key or (len(key) >= 2 and key in label)) and _negated(label) == _negated(key)
    ]
    if len(hits) == 1:
        return hits[0]
    inside = [i for i in hits if normed[i] in key]
    if inside:
        longest = max(len(normed[i]) for i in inside)
        best = [i for i in inside if len(normed[i]) == longest]
        if len(best) == 1:
            return best[0]
    return None


def _options(rule: Binary | QualitativeGrades) -> tuple[list[tuple[str, Points]], Points | None]:
    """The printed outcomes and the points of 否则 (anything else), if printed."""
    if isinstance(rule, Binary):
        if rule.fail_label is None:
            return [(rule.pass_label, rule.points)], NOTHING
        return [(rule.pass_label, rule.points), (rule.fail_label, NOTHING)], None
    return [(g.label, g.points) for g in rule.grades], rule.otherwise


def _grades(
    rule: Binary | QualitativeGrades,
    op: str | None,
    target: Decimal | None,
    actual: Decimal | None,
    actual_text: str | None,
    w: Decimal,
) -> Outcome:
    """Text actuals are matched to the printed labels (or to 是/否-like words); numeric actuals
    are compared with the target: met → the best outcome, not met → the 0-point outcome."""
    options, otherwise = _options(rule)
    choices = "、".join(f"{label} {points}" for label, points in options)
    top = max(range(len(options)), key=lambda i: options[i][1].resolve(w))
    zero = next((i for i, (_, p) in enumerate(options) if p == NOTHING), None)

    def pick(i: int, why: str) -> Outcome:
        label, points = options[i]
        return Outcome(points.resolve(w), f"{why}“{label}”：{points}")

    def unmatched(shown: str, why: str) -> Outcome:
        return Outcome(None, why, problem=shown, code="scoring-actual-unmatched", choices=choices)

    if actual is None:
        if not actual_text:
            return _missing("缺少实际完成情况")
        found = match_label(actual_text, [label for label, _ in options])
        if found is not None:
            return pick(found, f"实际“{actual_text}”对应")
        key = _norm(actual_text)
        if key in YES_WORDS:
            return pick(top, f"实际“{actual_text}”即完成，对应")
        if key in NO_WORDS and zero is not None:
            return pick(zero, f"实际“{actual_text}”即未完成，对应")
        if key in NO_WORDS and otherwise is not None:
            return Outcome(otherwise.resolve(w), f"实际“{actual_text}”即未完成：否则 {otherwise}")
        return unmatched(actual_text, f"实际“{actual_text}”无法对应评分档次")
    if target is None:
        return unmatched(num(actual), f"实际 {num(actual)} 为数值，而评分标准按档次计且无数值目标")
    rate = completion_rate(op, target, actual)
    met = rate is not None and rate >= ONE
    head = f"实际 {num(actual)} {'达到' if met else '未达到'}目标 {num(target)}"
    if met:
        return pick(top, f"{head}，对应")
    if zero is not None:
        return pick(zero, f"{head}，对应")
    if otherwise is not None:
        return Outcome(otherwise.resolve(w), f"{head}：否则 {otherwise}", rate)
    return unmatched(num(actual), f"{head}，无法对应评分档次")

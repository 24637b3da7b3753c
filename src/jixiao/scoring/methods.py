"""Default scoring methods (DOMAIN §2.2–2.4) and the data a province configures.

Everything a province may change is held as data in a frozen :class:`ScoringProfile`:
level-1 weights, the 预算执行率 curve, grade bands, the qualitative bands of 定性 indicators,
accepted weight totals and the self-evaluation thresholds. :data:`DEFAULT_PROFILE` is the
财预〔2020〕10号 reading (pmkpi default); :data:`PROFILES` holds the named variants.

The default methods score an indicator whose 评（扣）分标准 is missing or not parseable
(w = weight, a = 实际完成值, t = 年度指标值):

* 正向 ``≥ >``: a ≥ t → w; a < t → a/t × w.
* ``=``: t = 0 → w when a ≤ 0, else 0; t > 0 → as 正向.
* 反向 ``≤ <``: a ≤ t → w; t < a < 2t → (1 − (a − t)/t) × w; a ≥ 2t → 0 (t = 0: a ≤ 0 → w, else 0).
* 定性: the profile's bands (达成 [0.8w, w], 部分达成 [0.6w, 0.8w), 未达成 [0, 0.6w)); a label
  alone is scored at the band's ``default`` fraction (达成 → w, the others → the band's lower end).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from dataclasses import replace
from decimal import Decimal

from jixiao.scoring.numbers import ONE
from jixiao.scoring.numbers import ZERO
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import pct

D = Decimal

FORWARD_OPS = ("≥", ">")
REVERSE_OPS = ("≤", "<")
QUALITATIVE_OP = "定性"
DEFAULT_METHODS = ("default_forward", "default_equal", "default_reverse", "default_qualitative")

# Outcome words every matcher understands (exact match after normalisation).
YES_WORDS = (
    "是",
    "完成",
    "已完成",
    "全部完成",
    "按时完成",
    "达成",
    "已达成",
    "达到",
    "已达到",
    "达成年度指标",
    "有",
    "符合",
    "合格",
    "通过",
    "正常",
    "实现",
    "已实现",
)
NO_WORDS = (
    "否",
    "未完成",
    "未达成",
    "未达到",
    "未达成年度指标",
    "无",
    "没有",
    "未开展",
    "不合格",
    "未通过",
    "未实现",
)


@dataclass(frozen=True, slots=True)
class QualitativeBand:
    """A 定性 outcome band, as fractions of the weight: [low, high) (达成: [0.8, 1])."""

    label: str
    low: Decimal
    high: Decimal
    default: Decimal
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoringProfile:
    """A province's scoring configuration. All fields are data; use ``dataclasses.replace``."""

    name: str
    title: str
    level1_weights: tuple[tuple[str, Decimal], ...]  # () when the province's split is not known
    execution_weight: Decimal
    # (minimum rate as a fraction, points), descending; () → linear min(rate, 100%) × weight
    execution_steps: tuple[tuple[Decimal, Decimal], ...] = ()
    grades: tuple[tuple[Decimal, str], ...] = ((D(90), "优"), (D(80), "良"), (D(60), "中"), (D(0), "差"))
    qualitative_bands: tuple[QualitativeBand, ...] = ()
    indicator_weight_totals: tuple[Decimal, ...] = (D(100), D(90))  # without / with a separate 执行率
    over_achievement: Decimal = D("1.3")  # a ≥ 130% of t: 指标值设定偏低?
    deviation_tolerance: Decimal = ZERO  # share of the weight that may be lost without a reason

    def band(self, label: str) -> QualitativeBand | None:
        key = _norm(label)
        for band in self.qualitative_bands:
            if key == _norm(band.label) or key in (_norm(a) for a in band.aliases):
                return band
        return None


DEFAULT_QUALITATIVE_BANDS = (
    QualitativeBand(
        "达成年度指标", D("0.8"), ONE, ONE, ("达成", "完成", "已完成", "全部完成", "达到", "是", "已达成")
    ),
    QualitativeBand(
        "部分达成年度指标并具有一定效果",
        D("0.6"),
        D("0.8"),
        D("0.6"),
        ("部分达成", "部分完成", "基本完成", "基本达成", "部分达成年度指标"),
    ),
    QualitativeBand(
        "未达成年度指标且效果较差",
        ZERO,
        D("0.6"),
        ZERO,
        ("未达成", "未完成", "未达到", "否", "未达成年度指标"),
    ),
)

DEFAULT_PROFILE = ScoringProfile(
    name="default",
    title="财预〔2020〕10号（默认）：执行率 10 分线性，优≥90 良≥80 中≥60",
    level1_weights=(("产出指标", D(50)), ("效益指标", D(30)), ("满意度指标", D(10)), ("预算执行率", D(10))),
    execution_weight=D(10),
    qualitative_bands=DEFAULT_QUALITATIVE_BANDS,
)
HUBEI_PROFILE = replace(
    DEFAULT_PROFILE,
    name="hubei",
    title="湖北：预算执行率 20 分（执行率×20）",
    level1_weights=(),  # the 湖北 split of the other 80 points is not confirmed
    execution_weight=D(20),
    indicator_weight_totals=(D(100), D(80)),
)
JIANGXI_PROFILE = replace(
    DEFAULT_PROFILE,
    name="jiangxi",
    title="江西：预算执行率分档 100%→10，[80%,100%)→7，[60%,80%)→5，<60%→0",
    execution_steps=((ONE, D(10)), (D("0.8"), D(7)), (D("0.6"), D(5))),
)
ZHEJIANG_PROFILE = replace(
    DEFAULT_PROFILE,
    name="zhejiang",
    title="浙江：绩效指标权重合计须为 100",
    indicator_weight_totals=(D(100),),
)
PROFILES: dict[str, ScoringProfile] = {
    p.name: p for p in (DEFAULT_PROFILE, HUBEI_PROFILE, JIANGXI_PROFILE, ZHEJIANG_PROFILE)
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """A method's result before clipping and rounding. ``value`` None: cannot score (``problem``
    says why, ``code`` which finding); ``explanation`` is the formula without the final ``= x``."""

    value: Decimal | None
    explanation: str
    rate: Decimal | None = None
    problem: str | None = None
    code: str = "scoring-input-missing"
    choices: str = ""
    warning: tuple[str, tuple[tuple[str, str], ...]] | None = None  # (code, fields): a scored value to report


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).strip("，,。；;")


def grade(total: Decimal, profile: ScoringProfile = DEFAULT_PROFILE) -> str:
    """优 / 良 / 中 / 差 of a total score by the profile's bands."""
    for low, label in profile.grades:
        if total >= low:
            return label
    return profile.grades[-1][1]


def completion_rate(op: str | None, target: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """完成率 as a fraction (uncapped for 正向): a/t for ≥ > = (t > 0); for ≤ < it is 100% when
    a ≤ t and 1 − (a − t)/t (not below 0) above it; t = 0: 100% when the target is met, else 0."""
    if target is None or actual is None:
        return None
    if op in REVERSE_OPS:
        if target == ZERO:
            return ONE if actual <= ZERO else ZERO
        return ONE if actual <= target else max(ZERO, 2 - actual / target)
    if target == ZERO:
        met = actual <= ZERO if op == "=" else actual >= ZERO
        return ONE if met else ZERO
    return actual / target


def rate_formula(op: str | None, target: Decimal, actual: Decimal, rate: Decimal) -> str:
    """``完成率 = 90/95 = 94.74%`` (the printed derivation of :func:`completion_rate`)."""
    if target == ZERO:
        return f"目标为 0，实际 {num(actual)}：完成率 {pct(rate, 2)}"
    if op in REVERSE_OPS:
        if actual <= target:
            return f"实际 {num(actual)} ≤ 目标 {num(target)}：完成率 100.00%"
        return f"完成率 = 1−({num(actual)}−{num(target)})/{num(target)} = {pct(rate, 2)}"
    return f"完成率 = {num(actual)}/{num(target)} = {pct(rate, 2)}"


def default_method_id(op: str | None) -> str:
    if op == QUALITATIVE_OP:
        return "default_qualitative"
    if op in REVERSE_OPS:
        return "default_reverse"
    if op == "=":
        return "default_equal"
    return "default_forward"


def default_outcome(
    op: str | None,
    target: Decimal | None,
    actual: Decimal | None,
    actual_text: str | None,
    weight: Decimal,
    profile: ScoringProfile = DEFAULT_PROFILE,
) -> Outcome:
    """Score by the default method of ``op`` (DOMAIN §2.2)."""
    method = default_method_id(op)
    w = num(weight)
    if method == "default_qualitative":
        return _qualitative(actual_text, weight, profile)
    if target is None:
        return Outcome(None, "缺少年度指标值", problem="缺少年度指标值")
    if actual is None:
        what = f"实际完成值“{actual_text}”不是数值" if actual_text else "缺少实际完成值"
        return Outcome(None, what, problem=what)
    a, t = num(actual), num(target)
    rate = completion_rate(op, target, actual)
    if method == "default_reverse":
        if target == ZERO:
            ok = actual <= ZERO
            return Outcome(weight if ok else ZERO, f"目标 0，实际 {a}：{'得满分' if ok else '不得分'}", rate)
        if actual <= target:
            return Outcome(weight, f"实际 {a} ≤ 目标 {t}：得满分", rate)
        if actual >= 2 * target:
            return Outcome(ZERO, f"实际 {a} ≥ 2×目标 {t}：不得分", rate)
        value = (ONE - (actual - target) / target) * weight
        return Outcome(value, f"实际 {a} > 目标 {t}：(1−({a}−{t})/{t})×{w}", rate)
    if target == ZERO:
        ok = actual <= ZERO if method == "default_equal" else actual >= ZERO
        sign = "=" if method == "default_equal" else "≥"
        return Outcome(
            weight if ok else ZERO, f"目标 {sign} 0，实际 {a}：{'得满分' if ok else '不得分'}", rate
        )
    if actual >= target:
        return Outcome(weight, f"实际 {a} ≥ 目标 {t}：得满分", rate)
    value = max(ZERO, actual / target * weight)
    return Outcome(value, f"实际 {a} < 目标 {t}：{a}/{t}×{w}", rate)


def _qualitative(actual_text: str | None, weight: Decimal, profile: ScoringProfile) -> Outcome:
    labels = "、".join(b.label for b in profile.qualitative_bands)
    if not actual_text:
        return Outcome(None, "缺少实际完成情况", problem="缺少实际完成情况")
    band = profile.band(actual_text)
    if band is None:
        return Outcome(
            None,
            f"定性指标“{actual_text}”无法对应{labels}",
            problem=f"“{actual_text}”",
            code="scoring-actual-unmatched",
            choices=labels,
        )
    low, high = band.low * weight, band.high * weight
    right = "]" if band.high == ONE else ")"
    value = band.default * weight
    return Outcome(value, f"定性“{band.label}”：区间 [{num(low)}, {num(high)}{right}，取 {num(value)}")


def execution_outcome(budget: Decimal | None, spent: Decimal | None, profile: ScoringProfile) -> Outcome:
    """预算执行率 = 全年执行数 / 全年预算数; linear min(rate, 100%) × weight or the profile's steps."""
    if budget is None or budget <= ZERO:
        return Outcome(
            None, "全年预算数缺失或为零", problem="全年预算数缺失或为零", code="execution-budget-missing"
        )
    if spent is None:
        return Outcome(None, "缺少全年执行数", problem="缺少全年执行数")
    rate = spent / budget
    head = f"执行率 = {num(spent)}/{num(budget)} = {pct(rate, 2)}"
    if not profile.execution_steps:
        capped = min(rate, ONE)
        return Outcome(
            capped * profile.execution_weight, f"{head}：{pct(capped)}×{num(profile.execution_weight)}", rate
        )
    for low, points in profile.execution_steps:
        if rate >= low:
            return Outcome(points, f"{head} ≥ {pct(low)}：得 {num(points)} 分", rate)
    lowest = profile.execution_steps[-1][0]
    return Outcome(ZERO, f"{head} < {pct(lowest)}：不得分", rate)

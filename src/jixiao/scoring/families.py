"""What a parsed 评（扣）分标准 says, as data: one frozen dataclass per scoring family.

Every rule has a stable English ``family`` id and its parameters as fields. Percentages are
kept as printed percentage points (``Decimal("60")`` means 60%); points are :class:`Points`,
absolute (``得5分``) or relative to the indicator's weight (``得满分`` → 100%, ``得指标分的50%``).
The rule's original text is kept in ``text`` but does not take part in equality.

Families (ids are stable; the 自评表 round trip stores them):

========================  =================================================================
``threshold_linear``      完成小于60%不得分，超过60%得分=完成率*指标分值 (``threshold=None``: 完成率*指标分值)
``rescaled_linear``       完成率小于60%不得分，大于等于60%，得分=（完成率-60%）/（1-60%）*指标分值
``deviation_steps``       偏离目标40%不得分；偏离30%得5分…偏离10%以下得满分 (also 偏高…未偏高得20分)
``band_table``            大于等于90%得10分；90%-80%（含）得8分…小于60%不得分
``deduction_per_unit``    每少1个席位扣0.2分，扣完为止 · 每发生1次扣0.5分 · 每超过1个月扣1分
``threshold_deduction``   90%以上得满分，满意度每下降1%扣0.6分，80%以下不得分 (扣完为止)
``base_plus_increments``  开展2次得2分，少于2次不得分，增加1次加1分，总共4分
``partial_credit``        完成2次得满分，一次得指标分的50%，未开展不得分
``counts``                获得1个得2分，获得2个满分 · 获得1次以上得满分，每多1次加1分 (bonus)
``qualitative_grades``    持续推进得5分；推进较缓得3分；未推进不得分
``binary``                按要求完成得满分，未完成不得分
========================  =================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from decimal import Decimal
from typing import ClassVar

from jixiao.scoring.numbers import ONE
from jixiao.scoring.numbers import ZERO
from jixiao.scoring.numbers import num

FAMILIES = (
    "threshold_linear",
    "rescaled_linear",
    "deviation_steps",
    "band_table",
    "deduction_per_unit",
    "threshold_deduction",
    "base_plus_increments",
    "partial_credit",
    "counts",
    "qualitative_grades",
    "binary",
)

# Deduction bases: what the actual value counts.
COUNT = "count"  # the actual is the number of incidents / delays (每发生1次, 推迟1次, 未做到一个)
SHORTFALL = "shortfall"  # units short of the target: target − actual (每少1个席位)
EXCESS = "excess"  # units beyond the target: actual − target (每超过1个月)


@dataclass(frozen=True, slots=True)
class Points:
    """Points awarded by one clause: absolute (``得5分``) or a fraction of the weight (``得满分``)."""

    amount: Decimal
    relative: bool = False

    def resolve(self, weight: Decimal) -> Decimal:
        return self.amount * weight if self.relative else self.amount

    def __str__(self) -> str:
        if self.relative:
            return "满分" if self.amount == ONE else f"指标分值×{num(self.amount * 100)}%"
        return "0分" if self.amount == ZERO else f"{num(self.amount)}分"


FULL = Points(ONE, relative=True)
NOTHING = Points(ZERO)


def pts(amount: str | int | Decimal) -> Points:
    """Absolute points, for tests and tables: ``pts(5)`` → 5 分."""
    return Points(Decimal(str(amount)))


def share(fraction: str | Decimal) -> Points:
    """A fraction of the weight: ``share("0.5")`` → 指标分值×50%."""
    return Points(Decimal(str(fraction)), relative=True)


@dataclass(frozen=True, slots=True)
class Band:
    """One band of a band table over a percentage: ``[low, high)`` by default; None = open end."""

    low: Decimal | None
    high: Decimal | None
    points: Points
    low_inclusive: bool = True
    high_inclusive: bool = False

    def contains(self, value: Decimal) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and not self.low_inclusive)):
            return False
        if self.high is not None and (value > self.high or (value == self.high and not self.high_inclusive)):
            return False
        return True

    def overlaps(self, other: Band) -> bool:
        lo_a = self.low if self.low is not None else Decimal("-Infinity")
        lo_b = other.low if other.low is not None else Decimal("-Infinity")
        hi_a = self.high if self.high is not None else Decimal("Infinity")
        hi_b = other.high if other.high is not None else Decimal("Infinity")
        if hi_a < lo_b or hi_b < lo_a:
            return False
        if hi_a == lo_b:
            return self.high_inclusive and other.low_inclusive
        if hi_b == lo_a:
            return other.high_inclusive and self.low_inclusive
        return True

    def label(self) -> str:
        if self.low is None and self.high is not None:
            return f"{'≤' if self.high_inclusive else '<'}{num(self.high)}%"
        if self.high is None and self.low is not None:
            return f"{'≥' if self.low_inclusive else '>'}{num(self.low)}%"
        left = "[" if self.low_inclusive else "("
        right = "]" if self.high_inclusive else ")"
        return f"{left}{num(self.low or ZERO)}%, {num(self.high or ZERO)}%{right}"


@dataclass(frozen=True, slots=True)
class Grade:
    """A qualitative grade: a label printed in the rule and its points."""

    label: str
    points: Points


@dataclass(frozen=True, slots=True)
class ScoringRule:
    """Base of the families. ``family`` is a class attribute; ``text`` is the printed rule."""

    family: ClassVar[str] = ""
    description: ClassVar[str] = ""
    text: str = field(default="", compare=False, kw_only=True)

    @property
    def grants_bonus(self) -> bool:
        """True when the rule can award more than the indicator's weight (加分)."""
        return False

    def params(self) -> dict[str, object]:
        """Parameters for display and JSON (numbers as strings, points as Chinese)."""
        return {
            f.name: _plain(getattr(self, f.name))
            for f in fields(self)
            if f.name not in ("text", "order") and not (f.name == "overlaps" and not getattr(self, f.name))
        }

    def absolute_points(self) -> tuple[Decimal, ...]:
        """Every absolute point value the rule prints (checked against the weight)."""
        return ()

    def top_points(self) -> Points | None:
        """The points of the best outcome (None when a formula, not a table, gives them)."""
        return None


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return num(value)
    if isinstance(value, Points):
        return str(value)
    if isinstance(value, Band):
        return f"{value.label()} → {value.points}"
    if isinstance(value, Grade):
        return f"{value.label} → {value.points}"
    if isinstance(value, tuple):
        if len(value) == 2 and isinstance(value[0], Decimal) and isinstance(value[1], Points):
            return f"{num(value[0])} → {value[1]}"
        return [_plain(v) for v in value]
    return value


def _abs(*points: Points | None) -> tuple[Decimal, ...]:
    return tuple(p.amount for p in points if p is not None and not p.relative)


@dataclass(frozen=True, slots=True)
class ThresholdLinear(ScoringRule):
    """完成率 r < threshold → 0; r ≥ threshold → min(r, 100%) × 分值. ``threshold=None``: always r × 分值.

    ``gap_upper``: the printed start of the linear part when it differs from the 不得分 bound
    (``小于60%不得分，超过61%得分=…``); the gap is scored with the linear formula and reported.
    """

    family: ClassVar[str] = "threshold_linear"
    description: ClassVar[str] = "门槛线性：完成率低于门槛不得分，否则 完成率×分值"
    threshold: Decimal | None = None
    gap_upper: Decimal | None = None


@dataclass(frozen=True, slots=True)
class RescaledLinear(ScoringRule):
    """r < threshold → 0; else (min(r,100%) − threshold)/(100% − threshold) × 分值."""

    family: ClassVar[str] = "rescaled_linear"
    description: ClassVar[str] = "折算线性：(完成率−门槛)/(1−门槛)×分值"
    threshold: Decimal = Decimal(60)


@dataclass(frozen=True, slots=True)
class DeviationSteps(ScoringRule):
    """Steps over the deviation d from the target, in percent.

    ``steps``: (bound, points), bounds descending; d ≥ bound → points of the first matching step.
    ``full_below``: d < full_below (or d ≤ 0) → ``full_points``. When ``full_below`` is below
    the smallest bound, deviations in between are scored with the smallest step (reported as a gap).
    ``direction``: ``"any"`` (偏离: away from the target in the indicator's bad direction, both
    ways for ＝) or ``"up"`` (偏高: only actual above target counts).
    """

    family: ClassVar[str] = "deviation_steps"
    description: ClassVar[str] = "偏离度分档"
    steps: tuple[tuple[Decimal, Points], ...] = ()
    full_below: Decimal = Decimal(10)
    full_points: Points = FULL
    direction: str = "any"

    def absolute_points(self) -> tuple[Decimal, ...]:
        return _abs(self.full_points, *(p for _, p in self.steps))

    def top_points(self) -> Points | None:
        return self.full_points

    @property
    def gap(self) -> tuple[Decimal, Decimal] | None:
        smallest = min((b for b, _ in self.steps), default=None)
        if smallest is not None and self.full_below < smallest:
            return (self.full_below, smallest)
        return None


@dataclass(frozen=True, slots=True)
class BandTable(ScoringRule):
    """Bands over a percentage. ``measure``: ``"actual"`` (the value itself, e.g. 满意度 92%)
    or ``"rate"`` (完成率).

    ``overlaps``: pairs of band indexes (in ``bands``) that share values, as printed
    (``90%-100%得满分，80%-90%得8分`` share 90%; ``≥90%得10分，≥80%得8分`` share [90%, ∞)). A value
    in one band only is scored by it; a value in several takes the most favourable (ties: the one
    printed first, ``order``), and the scorer says so.
    """

    family: ClassVar[str] = "band_table"
    description: ClassVar[str] = "分段计分"
    bands: tuple[Band, ...] = ()
    measure: str = "actual"
    overlaps: tuple[tuple[int, int], ...] = ()
    order: tuple[int, ...] = field(default=(), compare=False)  # printed position of each band (bands are sorted)

    def absolute_points(self) -> tuple[Decimal, ...]:
        return _abs(*(b.points for b in self.bands))

    def top_points(self) -> Points | None:
        if not self.bands:
            return None
        best = max(self.bands, key=lambda b: b.low if b.low is not None else Decimal("-Infinity"))
        return best.points


@dataclass(frozen=True, slots=True)
class DeductionPerUnit(ScoringRule):
    """start − ⌊units / per⌋ × points, never below ``floor`` (nor 0).

    ``basis``: what the units are — ``count`` (the actual value), ``shortfall`` (target − actual)
    or ``excess`` (actual − target); when the target has no number, the actual is read as the
    units directly. ``floor``: 开展的有1分 (minimum when carried out). ``exhaust``: 扣完为止 printed.
    ``unit`` and ``event`` are the printed unit (``个席位``) and verb (``推迟``), for explanations.
    """

    family: ClassVar[str] = "deduction_per_unit"
    description: ClassVar[str] = "按单位扣分"
    points: Decimal = ONE
    basis: str = COUNT
    unit: str = ""
    per: Decimal = ONE
    start: Points = FULL
    floor: Decimal = ZERO
    exhaust: bool = False
    event: str = field(default="发生", compare=False)  # the printed verb: 少 / 发生 / 推迟 / 超过 / 未做到

    def absolute_points(self) -> tuple[Decimal, ...]:
        return _abs(self.start) + ((self.floor,) if self.floor else ())

    def top_points(self) -> Points | None:
        return self.start


@dataclass(frozen=True, slots=True)
class ThresholdDeduction(ScoringRule):
    """Deductions per percentage point below a level, with a floor.

    v ≥ ``full_at`` → ``start``; v < ``zero_below`` → 0; else start − (full_at − v)/``per`` ×
    ``points`` (proportional: a percentage is continuous), never below 0. v is the actual
    (``measure="actual"``, e.g. 满意度 92%) or the 完成率 in percent (``"rate"``); ``full_at`` None:
    the deductions count from the indicator's target (满意度每下降1%扣0.6分 under a target ≥90%).
    """

    family: ClassVar[str] = "threshold_deduction"
    description: ClassVar[str] = "门槛扣分：低于满分线每降低一个单位扣分，低于下限不得分"
    points: Decimal = ONE
    per: Decimal = ONE
    full_at: Decimal | None = None
    zero_below: Decimal | None = None
    start: Points = FULL
    exhaust: bool = False
    measure: str = "actual"

    def absolute_points(self) -> tuple[Decimal, ...]:
        return _abs(self.start)

    def top_points(self) -> Points | None:
        return self.start


@dataclass(frozen=True, slots=True)
class BasePlusIncrements(ScoringRule):
    """n < min_count → 0; else min(base_points + ⌊(n − min_count)/step⌋ × step_points, cap)."""

    family: ClassVar[str] = "base_plus_increments"
    description: ClassVar[str] = "基础分加递增分"
    min_count: Decimal = ONE
    base_points: Decimal = ZERO
    step_points: Decimal = ONE
    cap: Decimal = ZERO
    step: Decimal = ONE

    def absolute_points(self) -> tuple[Decimal, ...]:
        return (self.base_points, self.cap)

    def top_points(self) -> Points | None:
        return Points(self.cap)


@dataclass(frozen=True, slots=True)
class CountSteps(ScoringRule):
    """Shared shape of ``partial_credit`` and ``counts``: (count, points), counts descending;
    n ≥ count → points of the first match; below every count → 0."""

    steps: tuple[tuple[Decimal, Points], ...] = ()

    def absolute_points(self) -> tuple[Decimal, ...]:
        return _abs(*(p for _, p in self.steps))

    def top_points(self) -> Points | None:
        return self.steps[0][1] if self.steps else None


@dataclass(frozen=True, slots=True)
class PartialCredit(CountSteps):
    """完成2次得满分，一次得指标分的50%，未开展不得分: steps in fractions of the weight."""

    family: ClassVar[str] = "partial_credit"
    description: ClassVar[str] = "按完成次数给部分分"


@dataclass(frozen=True, slots=True)
class Counts(CountSteps):
    """获得1个得2分，获得2个满分. ``extra_points``: 每多1次加1分 beyond the top count (a bonus)."""

    family: ClassVar[str] = "counts"
    description: ClassVar[str] = "按数量计分"
    extra_points: Decimal | None = None

    @property
    def grants_bonus(self) -> bool:
        return self.extra_points is not None


@dataclass(frozen=True, slots=True)
class QualitativeGrades(ScoringRule):
    """Grades by label; ``otherwise``: 否则不得分 (points for any other outcome)."""

    family: ClassVar[str] = "qualitative_grades"
    description: ClassVar[str] = "定性分档"
    grades: tuple[Grade, ...] = ()
    otherwise: Points | None = None

    def absolute_points(self) -> tuple[Decimal, ...]:
        return _abs(*(g.points for g in self.grades))

    def top_points(self) -> Points | None:
        if not self.grades:
            return None
        if any(g.points == FULL for g in self.grades):
            return FULL
        return max((g.points for g in self.grades), key=lambda p: p.amount)


@dataclass(frozen=True, slots=True)
class Binary(ScoringRule):
    """Pass → ``points``, fail → 0. ``fail_label`` None when the rule says 否则不得分."""

    family: ClassVar[str] = "binary"
    description: ClassVar[str] = "是/否"
    pass_label: str = ""
    fail_label: str | None = None
    points: Points = FULL

    def absolute_points(self) -> tuple[Decimal, ...]:
        return _abs(self.points)

    def top_points(self) -> Points | None:
        return self.points


def weight_conflict(rule: ScoringRule, weight: Decimal | None) -> str | None:
    """Why the rule's printed points cannot go with ``weight`` (None when they can).

    Any absolute point value above the weight, or a best outcome worth other than the weight
    (``满分档 1 分`` on a 10-point indicator), makes the rule self-contradictory.
    """
    if weight is None:
        return None
    over = [p for p in rule.absolute_points() if p > weight]
    if over:
        return f"评分标准中的 {num(max(over))} 分超过指标分值 {num(weight)} 分"
    top = rule.top_points()
    if top is not None and not top.relative and top.amount != weight:
        return f"最高档 {num(top.amount)} 分与指标分值 {num(weight)} 分不一致"
    return None

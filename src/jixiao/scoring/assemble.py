"""Assemble classified clauses (:class:`Atom`) into one :class:`ScoringRule` family.

Each family builder accepts only its own atom kinds, checks internal consistency (thresholds
agree, bands do not overlap, more deviation never scores more …) and raises :class:`RuleError`
otherwise. ``notes`` collects info findings (gaps closed by the printed formula, assumptions).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from jixiao.scoring.clauses import ZERO_LABEL
from jixiao.scoring.clauses import Atom
from jixiao.scoring.clauses import RuleError
from jixiao.scoring.clauses import contradiction
from jixiao.scoring.clauses import unparsed
from jixiao.scoring.families import FULL
from jixiao.scoring.families import NOTHING
from jixiao.scoring.families import Band
from jixiao.scoring.families import BandTable
from jixiao.scoring.families import BasePlusIncrements
from jixiao.scoring.families import Binary
from jixiao.scoring.families import Counts
from jixiao.scoring.families import DeductionPerUnit
from jixiao.scoring.families import DeviationSteps
from jixiao.scoring.families import Grade
from jixiao.scoring.families import PartialCredit
from jixiao.scoring.families import Points
from jixiao.scoring.families import QualitativeGrades
from jixiao.scoring.families import RescaledLinear
from jixiao.scoring.families import ScoringRule
from jixiao.scoring.families import ThresholdDeduction
from jixiao.scoring.families import ThresholdLinear
from jixiao.scoring.numbers import HUNDRED
from jixiao.scoring.numbers import ZERO
from jixiao.scoring.numbers import cn_number
from jixiao.scoring.numbers import num

Notes = list[tuple[str, dict[str, str]]]


def assemble(atoms: list[Atom], notes: Notes) -> ScoringRule:
    if not atoms:
        raise unparsed("没有评分条款")
    kinds = {a.kind for a in atoms}
    for trigger, build in _FAMILY_ORDER:
        if kinds & trigger:
            return build(atoms, notes)
    raise unparsed("条款不构成任何评分方法")


def _only(atoms: list[Atom], allowed: set[str], family: str) -> None:
    for atom in atoms:
        if atom.kind not in allowed:
            raise unparsed(f"条款“{atom.clause}”与{family}的其他条款不能组合")


def _of(atoms: list[Atom], *kinds: str) -> list[Atom]:
    return [a for a in atoms if a.kind in kinds]


def _one(atoms: list[Atom], kind: str, what: str) -> Atom | None:
    found = _of(atoms, kind)
    if len(found) > 1:
        raise contradiction(f"{what}写了 {len(found)} 次：" + "、".join(f"“{a.clause}”" for a in found))
    return found[0] if found else None


# -- families -------------------------------------------------------------------------------


def _zero_bound(atoms: list[Atom]) -> Decimal | None:
    belows = _of(atoms, "below")
    for a in belows:
        if a.points != NOTHING:
            raise unparsed(f"条款“{a.clause}”在线性公式中应为不得分")
    bounds = {a.dec("x") for a in belows}
    if len(bounds) > 1:
        raise contradiction("不得分的门槛不一致：" + "、".join(f"{num(b)}%" for b in sorted(bounds)))
    return bounds.pop() if bounds else None


def _threshold(atoms: list[Atom], notes: Notes) -> ScoringRule:
    _only(
        atoms,
        {"below", "linear_above", "formula_linear", "rate_floor", "rate_range", "upto", "preamble"},
        "线性计分",
    )
    zero = _zero_bound(atoms)
    starts = {a.dec("x") for a in _of(atoms, "linear_above", "rate_floor", "rate_range")}
    for a in _of(atoms, "rate_range"):
        if a.dec("y") != HUNDRED:
            raise unparsed(f"条款“{a.clause}”的上限不是 100%")
    for a in _of(atoms, "upto"):
        if a.dec("x") != HUNDRED:
            raise unparsed(f"条款“{a.clause}”的上限不是 100%")
    if _of(atoms, "rate_floor", "rate_range") and not _of(atoms, "formula_linear"):
        raise unparsed("写了计分区间但没有计分公式")
    if len(starts) > 1:
        raise contradiction("线性计分的起点不一致：" + "、".join(f"{num(b)}%" for b in sorted(starts)))
    start = starts.pop() if starts else None
    if start is None:
        return ThresholdLinear(threshold=zero)
    if zero is None:
        raise unparsed(f"未写明完成率低于 {num(start)}% 的得分")
    if start < zero:
        raise contradiction(f"“{num(start)}%以上按公式计分”与“{num(zero)}%以下不得分”重叠")
    if start > zero:
        notes.append(
            (
                "scoring-rule-gap",
                {
                    "gap": f"完成率 {num(zero)}%–{num(start)}% 之间",
                    "how": f"按“完成率×指标分值”计（与 {num(start)}% 以上相同；不得分门槛取 {num(zero)}%）",
                },
            )
        )
        return ThresholdLinear(threshold=zero, gap_upper=start)
    return ThresholdLinear(threshold=zero)


def _rescaled(atoms: list[Atom], notes: Notes) -> ScoringRule:
    _only(atoms, {"below", "rate_floor", "formula_rescaled", "preamble"}, "折算线性计分")
    formula = _one(atoms, "formula_rescaled", "计分公式")
    assert formula is not None
    x, y = formula.dec("x"), formula.dec("y")
    if x != y:
        raise contradiction(f"公式中的门槛 {num(x)}% 与 {num(y)}% 不一致")
    if x >= HUNDRED:
        raise contradiction(f"门槛 {num(x)}% 不小于 100%")
    bounds = {a.dec("x") for a in _of(atoms, "rate_floor")}
    zero = _zero_bound(atoms)
    if zero is not None:
        bounds.add(zero)
    if bounds - {x}:
        raise contradiction("门槛不一致：" + "、".join(f"{num(b)}%" for b in sorted(bounds | {x})))
    return RescaledLinear(threshold=x)


def _deviation(atoms: list[Atom], notes: Notes) -> ScoringRule:
    _only(atoms, {"dev", "dev_none"}, "偏离度分档")
    kinds = {a.groups["d"] for a in atoms}
    if len(kinds) > 1:
        raise unparsed("“偏离”与“偏高”混用")
    direction = "up" if kinds == {"高"} else "any"
    full = [a for a in atoms if a.kind == "dev_none" or a.groups.get("below")]
    if len(full) != 1:
        raise unparsed("未写明偏离较小时的得分" if not full else "偏离较小时的得分写了多次")
    full_below = ZERO if full[0].kind == "dev_none" else full[0].dec("x")
    full_points = full[0].points
    steps = sorted(((a.dec("x"), a.points) for a in atoms if a is not full[0]), key=lambda s: -s[0])
    if not steps:
        raise unparsed("没有偏离度分档")
    bounds = [b for b, _ in steps]
    if len(set(bounds)) != len(bounds):
        raise contradiction("同一偏离度写了两个得分")
    if full_below > bounds[-1]:
        raise contradiction(f"“偏离{num(full_below)}%以下”与“偏离{num(bounds[-1])}%”一档重叠")
    ordered = [full_points, *(p for _, p in reversed(steps))]  # small deviation → large
    for better, worse in zip(ordered, ordered[1:]):
        if _comparable(better, worse) and better.amount < worse.amount:
            raise contradiction("偏离度越大得分反而越高")
    rule = DeviationSteps(
        steps=tuple(steps), full_below=full_below, full_points=full_points, direction=direction
    )
    if rule.gap:
        low, high = rule.gap
        word = "偏高" if direction == "up" else "偏离"
        notes.append(
            (
                "scoring-rule-gap",
                {
                    "gap": f"{word} {num(low)}%–{num(high)}%（不含 {num(low)}%）"
                    if low == ZERO
                    else f"{word} {num(low)}%–{num(high)}%",
                    "how": f"按“{word}{num(high)}%”一档计{steps[-1][1]}",
                },
            )
        )
    return rule


def _comparable(a: Points, b: Points) -> bool:
    return a.relative == b.relative


def _band(atom: Atom) -> Band:
    pts = atom.points
    if atom.kind == "below":
        return Band(None, atom.dec("x"), pts, high_inclusive=False)
    if atom.kind == "above":
        exclusive = atom.groups.get("op") in ("超过", "大于", "高于")
        return Band(atom.dec("x"), None, pts, low_inclusive=not exclusive)
    a, b = atom.dec("a"), atom.dec("b")
    if a == b:
        raise unparsed(f"条款“{atom.clause}”的区间上下限相同")
    low, high = min(a, b), max(a, b)
    ia, ib = bool(atom.groups.get("ia")), bool(atom.groups.get("ib"))
    if ia or ib:  # (含) marks the inclusive end(s); the other end is exclusive
        low_in = (ia and a == low) or (ib and b == low)
        high_in = (ia and a == high) or (ib and b == high)
        return Band(low, high, pts, low_inclusive=low_in or not high_in, high_inclusive=high_in)
    if atom.groups.get("lt"):  # 90%-95%以下: below the upper bound
        return Band(low, high, pts)
    return Band(low, high, pts, high_inclusive=True)  # a%-b% as printed holds both ends


def _bands(atoms: list[Atom], notes: Notes) -> ScoringRule:
    """Bands cover every value; overlapping bands are kept (reported): a value in one band only
    is scored by it, a value in several by the most favourable (see ``BandTable``). Only two
    bands over the very same values with different points are a contradiction."""
    _only(atoms, {"below", "above", "range"}, "分段计分")
    if len(atoms) < 2:
        raise unparsed("只有一档，无法确定其他情况的得分")
    printed = [(_band(a), a) for a in atoms]
    overlapping: list[tuple[int, int]] = []
    for i, (band, atom) in enumerate(printed):
        for j in range(i + 1, len(printed)):
            other, other_atom = printed[j]
            if not band.overlaps(other):
                continue
            if _same_span(band, other):
                raise RuleError("scoring-rule-overlap", first=atom.clause, second=other_atom.clause)
            overlapping.append((i, j))
    order = sorted(range(len(printed)), key=lambda i: _low_key(printed[i][0]))
    ordered = [printed[i] for i in order]
    _coverage(ordered, notes)
    for (lower, _), (upper, _) in zip(ordered, ordered[1:]):
        if _comparable(lower.points, upper.points) and lower.points.amount > upper.points.amount:
            raise contradiction(f"{upper.label()} 的得分低于 {lower.label()}")
    position = {i: k for k, i in enumerate(order)}
    if overlapping:
        pairs = "，".join(
            f"“{printed[i][1].clause}”与“{printed[j][1].clause}”在 {_intersection(printed[i][0], printed[j][0])}重叠"
            for i, j in overlapping
        )
        notes.append(("scoring-rule-bands-overlap", {"overlaps": pairs}))
    measure = "rate" if any("完成" in (a.groups.get("m") or "") for a in atoms) else "actual"
    return BandTable(
        bands=tuple(b for b, _ in ordered),
        measure=measure,
        overlaps=tuple(sorted((min(position[i], position[j]), max(position[i], position[j])) for i, j in overlapping)),
        order=tuple(order),
    )


def _low_key(band: Band) -> tuple[Decimal, int]:
    if band.low is None:
        return (Decimal("-Infinity"), 0)
    return (band.low, 0 if band.low_inclusive else 1)


def _same_span(a: Band, b: Band) -> bool:
    return (a.low, a.high, a.low_inclusive, a.high_inclusive) == (b.low, b.high, b.low_inclusive, b.high_inclusive)


def _coverage(ordered: list[tuple[Band, Atom]], notes: Notes) -> None:
    """Every value is in some band (a top band ending at 100% covers the rest: a percentage)."""
    first = ordered[0][0]
    if first.low is not None:
        raise unparsed(f"未写明低于 {num(first.low)}% 的得分")
    reach, inclusive, last = first.high, first.high_inclusive, first
    for band, _ in ordered[1:]:
        if reach is None:
            return
        if band.low is not None and band.low > reach:
            raise unparsed(f"{last.label()} 与 {band.label()} 之间的得分未写明")
        if band.low == reach and not (inclusive or band.low_inclusive):
            notes.append(
                ("scoring-rule-gap", {"gap": f"恰好 {num(reach)}% 时", "how": f"按 {last.label()} 一档计"})
            )
        if band.high is None or band.high > reach or (band.high == reach and band.high_inclusive):
            reach, inclusive, last = band.high, band.high_inclusive, band
    if reach is not None and not (reach == HUNDRED and inclusive):
        raise unparsed(f"未写明高于 {num(reach)}% 的得分")


def _intersection(a: Band, b: Band) -> str:
    """Where two overlapping bands share values, as text (``90% 处`` or ``[90%, 95%)``)."""
    lows = [(x.low, x.low_inclusive) for x in (a, b) if x.low is not None]
    highs = [(x.high, x.high_inclusive) for x in (a, b) if x.high is not None]
    low = max(lows, key=lambda v: (v[0], not v[1])) if lows else None
    high = min(highs, key=lambda v: (v[0], v[1])) if highs else None
    if low and high and low[0] == high[0]:
        return f"{num(low[0])}% 处"
    return Band(low[0] if low else None, high[0] if high else None, NOTHING,
                low_inclusive=low[1] if low else True, high_inclusive=high[1] if high else False).label() + " 区间"


def _threshold_deduction(atoms: list[Atom], notes: Notes) -> ScoringRule:
    """``90%以上得满分，满意度每下降1%扣0.6分，80%以下不得分``: full marks from a level, a deduction
    per percentage point below it, nothing below a floor. Without a level the deductions count
    from the target; without a floor they stop at 0 (扣完为止)."""
    _only(atoms, {"deduct_pct", "above", "below", "grade", "exhaust", "preamble"}, "门槛扣分")
    deduct = _one(atoms, "deduct_pct", "扣分条款")
    assert deduct is not None
    full = _one(atoms, "above", "满分线")
    start = _one(atoms, "grade", "起始分")
    if full is not None and start is not None:
        raise unparsed(f"条款“{start.clause}”与满分线“{full.clause}”重复")
    head = full or start
    start_points = head.points if head else FULL
    if start_points == NOTHING:
        raise unparsed(f"条款“{head.clause if head else ''}”的起始分为 0")
    zero = [a for a in _of(atoms, "below") if a.points == NOTHING]
    bounds = {a.dec("x") for a in zero}
    if len(bounds) > 1:
        raise contradiction("不得分的门槛不一致：" + "、".join(f"{num(b)}%" for b in sorted(bounds)))
    zero_below = bounds.pop() if bounds else None
    for a in _of(atoms, "below"):
        if a.points == NOTHING:
            continue
        if zero_below is not None and a.dec("x") <= zero_below:
            raise contradiction(f"“{a.clause}”与“{zero[0].clause}”矛盾")
        raise unparsed(f"条款“{a.clause}”与门槛扣分的其他条款不能组合")
    full_at = full.dec("x") if full else None
    if full_at is not None and zero_below is not None and zero_below >= full_at:
        raise contradiction(f"不得分的门槛 {num(zero_below)}% 不低于满分线 {num(full_at)}%")
    per = deduct.dec("n")
    if per <= ZERO:
        raise unparsed(f"条款“{deduct.clause}”的扣分单位为 0")
    measure = "rate" if any("完成" in (a.groups.get("m") or "") for a in atoms) else "actual"
    return ThresholdDeduction(
        points=deduct.dec("p"),
        per=per,
        full_at=full_at,
        zero_below=zero_below,
        start=start_points,
        exhaust=bool(deduct.groups.get("ex") or _of(atoms, "exhaust")),
        measure=measure,
    )


def _increments(atoms: list[Atom], notes: Notes) -> ScoringRule:
    if _of(atoms, "count_at_least"):  # 获得1次以上得满分，每多1次加1分
        _only(atoms, {"count_at_least", "increment"}, "按数量加分")
        top = _one(atoms, "count_at_least", "起点")
        inc = _one(atoms, "increment", "加分")
        assert top is not None and inc is not None
        if inc.groups.get("after") or cn_number(inc.groups.get("n") or "1") != 1:
            raise unparsed(f"条款“{inc.clause}”不是每多 1 个加分")
        return Counts(steps=((top.dec("n"), top.points),), extra_points=inc.dec("p"))
    _only(atoms, {"count_below_zero", "count_points", "increment", "cap"}, "基础分加递增分")
    below = _one(atoms, "count_below_zero", "不得分的次数")
    base = _one(atoms, "count_points", "基础分")
    inc = _one(atoms, "increment", "递增分")
    cap = _one(atoms, "cap", "最高分")
    if inc is None or cap is None:
        raise unparsed("未写明递增分或最高分")
    counts = {a.dec("n") for a in (below, base) if a is not None}
    if inc.groups.get("after"):
        counts.add(inc.dec("after"))
    if len(counts) != 1:
        raise contradiction(
            "起算次数不一致：" + "、".join(num(c) for c in sorted(counts)) if counts else "未写明起算次数"
        )
    min_count = counts.pop()
    step_points = inc.dec("p")
    if base is not None:
        if base.points.relative:
            raise unparsed(f"条款“{base.clause}”的基础分不是具体分值")
        base_points = base.points.amount
    else:  # 完成小于5次不得分，超过5次每次加1分: every time counts step_points
        base_points = min_count * step_points
        notes.append(
            (
                "scoring-rule-assumption",
                {
                    "detail": f"未写明恰好 {num(min_count)} 次的得分，按“每次 {num(step_points)} 分”理解："
                    f"{num(min_count)} 次得 {num(base_points)} 分，以后每多 1 次加 {num(step_points)} 分",
                },
            )
        )
    step = cn_number(inc.groups.get("n") or "1")
    if base_points > cap.dec("p"):
        raise contradiction(f"基础分 {num(base_points)} 分高于最高分 {cap.groups['p']} 分")
    return BasePlusIncrements(
        min_count=min_count, base_points=base_points, step_points=step_points, cap=cap.dec("p"), step=step
    )


def _count_steps(atoms: list[Atom], notes: Notes) -> ScoringRule:
    _only(atoms, {"count_points", "grade"}, "按数量计分")
    for g in _of(atoms, "grade"):
        if g.points != NOTHING or not ZERO_LABEL.match(g.groups["label"] or ""):
            raise unparsed(f"条款“{g.clause}”不是“未开展不得分”一类的零分档")
    steps = sorted(((a.dec("n"), a.points) for a in _of(atoms, "count_points")), key=lambda s: -s[0])
    counts = [n for n, _ in steps]
    if len(set(counts)) != len(counts):
        raise contradiction("同一数量写了两个得分")
    for (_, more), (_, fewer) in zip(steps, steps[1:]):
        if _comparable(more, fewer) and more.amount < fewer.amount:
            raise contradiction("数量越多得分反而越低")
    if any(p.relative and p.amount < 1 for _, p in steps):
        return PartialCredit(steps=tuple(steps))
    return Counts(steps=tuple(steps))


def _deduction(atoms: list[Atom], notes: Notes) -> ScoringRule:
    _only(atoms, {"grade", "deduct", "exhaust", "floor", "preamble"}, "按单位扣分")
    deduct = _one(atoms, "deduct", "扣分条款")
    start = _one(atoms, "grade", "起始分")
    floor = _one(atoms, "floor", "最低分")
    assert deduct is not None
    start_points = start.points if start else FULL
    if start_points == NOTHING:
        raise unparsed(f"条款“{start.clause if start else ''}”的起始分为 0")
    floor_points = floor.dec("p") if floor else ZERO
    if floor and not start_points.relative and floor_points >= start_points.amount:
        raise contradiction("最低分不低于起始分")
    unit = deduct.groups.get("u") or "个"
    event = re.match(r"每?(减?少|发生|推迟|超过?|未(?:做到|达到|完成|落实))", deduct.clause)
    return DeductionPerUnit(
        points=deduct.dec("p"),
        basis=deduct.basis,
        unit=unit,
        per=cn_number(deduct.groups.get("n") or "1"),
        start=start_points,
        floor=floor_points,
        exhaust=bool(deduct.groups.get("ex") or _of(atoms, "exhaust")),
        event=event.group(1) if event else "发生",
    )


def _grades(atoms: list[Atom], notes: Notes) -> ScoringRule:
    _only(atoms, {"grade", "otherwise", "preamble"}, "定性分档")
    grades = [Grade(a.groups["label"] or "", a.points) for a in _of(atoms, "grade")]
    other = _one(atoms, "otherwise", "“否则”")
    labels = [g.label for g in grades]
    if len(set(labels)) != len(labels):
        raise contradiction("同一档次写了两次")
    if all(g.points == NOTHING for g in grades) and (other is None or other.points == NOTHING):
        raise contradiction("所有档次都不得分")
    if other is None and len(grades) == 2:
        zero = [g for g in grades if g.points == NOTHING]
        if len(zero) == 1:
            passing = next(g for g in grades if g.points != NOTHING)
            return Binary(pass_label=passing.label, fail_label=zero[0].label, points=passing.points)
    if other is not None and other.points == NOTHING and len(grades) == 1 and grades[0].points != NOTHING:
        return Binary(pass_label=grades[0].label, fail_label=None, points=grades[0].points)
    if len(grades) + (other is not None) < 2:
        raise unparsed("只写明一个档次，其他情况的得分未写明")
    return QualitativeGrades(grades=tuple(grades), otherwise=other.points if other else None)


_FAMILY_ORDER: tuple[tuple[frozenset[str], Callable[[list[Atom], Notes], ScoringRule]], ...] = (
    (frozenset({"dev", "dev_none"}), _deviation),
    (frozenset({"formula_rescaled"}), _rescaled),
    (frozenset({"formula_linear", "linear_above"}), _threshold),
    (frozenset({"deduct_pct"}), _threshold_deduction),
    (frozenset({"deduct"}), _deduction),
    (frozenset({"increment", "cap", "count_below_zero"}), _increments),
    (frozenset({"count_points", "count_at_least"}), _count_steps),
    (frozenset({"below", "above", "range"}), _bands),
    (frozenset({"grade", "otherwise"}), _grades),
)

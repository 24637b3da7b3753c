"""Checks over a scored 自评表 (pure functions: rows in, findings out).

* :func:`check_missing_actuals` — an indicator without a 实际完成值.
* :func:`check_unexplained_deviations` — points lost (未完成绩效目标) without a 偏差原因分析
  (10号: 对未完成绩效目标或偏离绩效目标较大的项目要分析并说明原因).
* :func:`check_over_achievement` — actual ≥ 130% of a 正向 target: 指标值设定偏低? (10号; pmkpi 广西).
* :func:`check_weights` — weights missing, or not adding up to 100 (or 90 + 10 for 预算执行率).

:func:`run_checks` runs them all in that order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.findings import make
from jixiao.model.source import Location
from jixiao.scoring.methods import DEFAULT_PROFILE
from jixiao.scoring.methods import FORWARD_OPS
from jixiao.scoring.methods import ScoringProfile
from jixiao.scoring.methods import completion_rate
from jixiao.scoring.numbers import ZERO
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import pct
from jixiao.scoring.score import Score
from jixiao.scoring.score import coerce_actual
from jixiao.scoring.score import coerce_target


@dataclass(frozen=True, slots=True)
class ScoredRow:
    """One indicator row of a 自评表 after scoring.

    ``target``: TargetValue-like or ``(op, value)``; ``actual``: the 实际完成值 as printed
    (None / "" when not filled in); ``reason``: 偏差原因分析及改进措施; ``score``: None when the
    row has not been scored (no weight, no actual).
    """

    name: str
    weight: Decimal | None
    target: object = None
    actual: Decimal | str | None = None
    score: Score | None = None
    reason: str | None = None
    level1: str | None = None
    location: Location | None = None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "/", "-", "—"))


def check_missing_actuals(rows: Sequence[ScoredRow]) -> list[Finding]:
    return [make("selfeval-actual-missing", r.location, subject=r.name) for r in rows if _blank(r.actual)]


def check_unexplained_deviations(
    rows: Sequence[ScoredRow], profile: ScoringProfile = DEFAULT_PROFILE
) -> list[Finding]:
    """Rows that lost more than ``profile.deviation_tolerance`` of their weight with no reason."""
    found = []
    for r in rows:
        if r.score is None or r.score.needs_review or not _blank(r.reason) or r.score.weight <= ZERO:
            continue
        lost = r.score.weight - r.score.score
        if lost > r.score.weight * profile.deviation_tolerance:
            detail = f"得分 {r.score.score}/{num(r.score.weight)}"
            if r.score.rate is not None:
                detail += f"（完成率 {pct(r.score.rate, 2)}）"
            found.append(
                make(
                    "selfeval-deviation-unexplained",
                    r.location,
                    subject=r.name,
                    detail=detail,
                    expected=num(r.score.weight),
                    actual=str(r.score.score),
                )
            )
    return found


def check_over_achievement(
    rows: Sequence[ScoredRow], profile: ScoringProfile = DEFAULT_PROFILE
) -> list[Finding]:
    """正向 (≥ >, or no op) rows with actual ≥ ``profile.over_achievement`` × target; info when a
    reason is given, warning otherwise. Rows whose rule rewards exceeding the target (每多1次加1分)
    are not flagged: the rule itself expects it."""
    found = []
    for r in rows:
        rule = r.score.rule if r.score is not None else None
        if rule is not None and rule.grants_bonus:
            continue
        op, target = coerce_target(r.target)
        actual, _ = coerce_actual(r.actual)
        if op not in (*FORWARD_OPS, None) or target is None or target <= ZERO or actual is None:
            continue
        rate = completion_rate(op, target, actual)
        if rate is not None and rate >= profile.over_achievement:
            found.append(
                make(
                    "selfeval-over-achievement",
                    r.location,
                    subject=r.name,
                    ratio=pct(rate, 2),
                    limit=pct(profile.over_achievement),
                    expected=num(target),
                    actual=num(actual),
                    severity=None if _blank(r.reason) else Severity.INFO,
                )
            )
    return found


def check_weights(
    rows: Sequence[ScoredRow],
    profile: ScoringProfile = DEFAULT_PROFILE,
    *,
    subject: str = "绩效指标",
    location: Location | None = None,
) -> list[Finding]:
    """Every row has a weight, and the weights add up to one of ``profile.indicator_weight_totals``
    (default 100, or 90 when 预算执行率 carries the other 10)."""
    found = [make("selfeval-weight-missing", r.location, subject=r.name) for r in rows if r.weight is None]
    if not rows or found:
        return found
    total = sum((r.weight for r in rows if r.weight is not None), ZERO)
    accepted = profile.indicator_weight_totals
    if total not in accepted:
        expected = " 或 ".join(
            f"{num(t)}（另加预算执行率 {num(profile.execution_weight)} 分）"
            if t + profile.execution_weight == 100
            else num(t)
            for t in accepted
        )
        found.append(
            make(
                "selfeval-weights-total",
                location,
                subject=subject,
                total=num(total),
                expected=expected,
                actual=num(total),
            )
        )
    return found


def run_checks(rows: Sequence[ScoredRow], profile: ScoringProfile = DEFAULT_PROFILE) -> list[Finding]:
    return [
        *check_missing_actuals(rows),
        *check_unexplained_deviations(rows, profile),
        *check_over_achievement(rows, profile),
        *check_weights(rows, profile),
    ]

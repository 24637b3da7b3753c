"""Score a document's target sets from matched actuals: a pure function, Document + rows → Scorecard.

Weights (DOMAIN §2.1), per target set, with I = 100 − the profile's 执行率 weight (90 by default):

* every indicator has a printed weight and they sum to I → used as printed;
* they sum to 100 (and I < 100) → each indicator is scored against its printed weight (so that
  the absolute points of its 评（扣）分标准 still fit) and its points are multiplied by I/100
  (warning ``selfeval-weights-scaled``; the explanation shows the product);
* any other sum → used as printed; ``selfeval-weights-total`` says the total is off;
* some weights missing → those indicators are not scored (``selfeval-weight-missing``);
* no weight at all → the profile's 一级 weights (产出 50 / 效益 30 / 满意度 10): 成本 indicators
  (成本 as a 一级, 2021+ tables, or a 二级 under 产出) share the 产出 pool; an unknown 一级 falls
  back to its 二级's parent, else to 产出; the pools of 一级 with no indicator are redistributed
  over the others in proportion, so the indicators always carry I; each pool is split evenly,
  rounded to 0.01, the last indicator of the pool taking the rounding remainder (info
  ``selfeval-weights-default``). A profile without 一级 weights splits I evenly over all indicators.

预算执行率 = 全年执行数 / 全年预算数 (调整后, default 年初 = the target set's 资金总额), scored by
the profile. Total = Σ points + 执行率 score; grade by the profile's bands.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from dataclasses import replace
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model import levels
from jixiao.model.document import Document
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import ValueKind
from jixiao.model.source import Location
from jixiao.scoring import DEFAULT_PROFILE
from jixiao.scoring import Score
from jixiao.scoring import ScoringProfile
from jixiao.scoring import execution_rate_score
from jixiao.scoring import grade
from jixiao.scoring import parse_rule
from jixiao.scoring import score_indicator
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import pct
from jixiao.scoring.numbers import round2
from jixiao.scoring.rules import DeductionPerUnit
from jixiao.scoring.selfeval_checks import ScoredRow
from jixiao.scoring.selfeval_checks import check_missing_actuals
from jixiao.scoring.selfeval_checks import check_over_achievement
from jixiao.scoring.selfeval_checks import check_unexplained_deviations
from jixiao.scoring.selfeval_checks import check_weights
from jixiao.selfeval.actuals import BudgetRow
from jixiao.selfeval.actuals import Match
from jixiao.selfeval.actuals import Value
from jixiao.selfeval.template import IndicatorEntry
from jixiao.selfeval.template import SetEntry
from jixiao.selfeval.template import indicator_entries
from jixiao.selfeval.template import initial_budget
from jixiao.selfeval.template import set_entries

ZERO, HUNDRED = Decimal(0), Decimal(100)
EXECUTION_REASON_BELOW = Decimal("0.9")  # 四川自评表：预算执行率未达到90%的需说明原因
OUTPUT, BENEFIT, SATISFACTION = levels.OUTPUT, levels.BENEFIT, levels.SATISFACTION  # 成本 shares 产出
_POOL_NAMES = {OUTPUT: "产出", BENEFIT: "效益", SATISFACTION: "满意度"}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """``weight``: the points the indicator carries in the total (scaled / default);
    ``score``: the scoring API's result against the rule's weight; ``points``: counted in the total."""

    entry: IndicatorEntry
    actual: Value
    reason: str | None
    weight: Decimal | None
    score: Score | None
    points: Decimal | None
    explanation: str
    location: Location | None = None

    @property
    def achieved(self) -> bool:
        return (
            self.points is not None
            and self.weight is not None
            and self.score is not None
            and not self.score.needs_review
            and self.points >= self.weight
        )


@dataclass(frozen=True, slots=True)
class ExecutionScore:
    initial: Decimal | None
    budget: Decimal | None
    spent: Decimal | None
    score: Score
    reason: str | None = None
    splits: tuple[tuple[str, Decimal | None, Decimal | None], ...] = ()

    @property
    def rate(self) -> Decimal | None:
        return self.score.rate


@dataclass(frozen=True, slots=True)
class SetScore:
    entry: SetEntry
    indicators: tuple[IndicatorScore, ...]
    execution: ExecutionScore
    weight_rule: str  # printed | scaled | default | incomplete
    total: Decimal
    grade: str
    findings: tuple[Finding, ...]

    @property
    def weight_total(self) -> Decimal:
        return sum((i.weight for i in self.indicators if i.weight is not None), ZERO)

    @property
    def indicator_points(self) -> Decimal:
        return sum((i.points for i in self.indicators if i.points is not None), ZERO)

    @property
    def not_achieved(self) -> int:
        return sum(1 for i in self.indicators if not i.achieved)


@dataclass(frozen=True, slots=True)
class Scorecard:
    source: str
    profile: ScoringProfile
    sets: tuple[SetScore, ...]
    findings: tuple[Finding, ...]


def score_document(doc: Document, match: Match, profile: ScoringProfile = DEFAULT_PROFILE) -> Scorecard:
    sets = set_entries(doc)
    by_set: dict[str, list[IndicatorEntry]] = {s.key: [] for s in sets}
    for e in indicator_entries(doc, sets):
        by_set[e.set_entry.key].append(e)
    scored = tuple(score_set(s, by_set[s.key], match, profile) for s in sets)
    findings = [*match.findings, *(f for s in scored for f in s.findings)]
    return Scorecard(doc.source, profile, scored, tuple(sorted(findings, key=Finding.sort_key)))


def score_set(
    entry: SetEntry, entries: list[IndicatorEntry], match: Match, profile: ScoringProfile
) -> SetScore:
    indicators = [e.indicator for e in entries]
    weights, factor, rule, findings = plan_weights(entry, indicators, profile)
    results, rows = [], []
    for e, weight, printed in zip(entries, weights, (i.weight for i in indicators)):
        row = match.rows.get(e.key)
        actual, reason = (row.value, row.reason) if row else (None, None)
        location = row.location if row else e.indicator.location
        lead = f"按默认分值 {num(weight)}：" if rule == "default" and weight is not None else ""
        result = _score_indicator(e, actual, weight, printed if factor else weight, factor, profile, lead)
        results.append(IndicatorScore(e, actual, reason, weight, *result, location=location))
        counted = printed if rule in ("printed", "scaled", "incomplete") else weight
        rows.append(
            ScoredRow(
                e.subject,
                counted,
                e.indicator.target,
                actual,
                result[0],
                reason,
                e.indicator.level1,
                location,
            )
        )
    # a blank actual is reported once, by check_missing_actuals, not again as "cannot score"
    findings += [
        f
        for r in results
        if r.score
        for f in r.score.findings
        if not (f.code == "scoring-input-missing" and _blank(r.actual))
    ]
    findings += check_missing_actuals(rows)
    findings += check_unexplained_deviations(rows, profile)
    findings += check_over_achievement(rows, profile)
    findings += check_weights(
        rows, profile, subject=f"{entry.kind_label}/{entry.label}", location=entry.target_set.location
    )
    execution, exec_findings = score_execution(entry, match.budgets.get(entry.key), profile)
    findings += exec_findings
    total = sum((r.points for r in results if r.points is not None), ZERO) + execution.score.score
    return SetScore(entry, tuple(results), execution, rule, total, grade(total, profile), tuple(findings))


def _score_indicator(
    e: IndicatorEntry,
    actual: Value,
    weight: Decimal | None,
    rule_weight: Decimal | None,
    factor: Decimal | None,
    profile: ScoringProfile,
    lead: str = "",
) -> tuple[Score | None, Decimal | None, str]:
    if weight is None or rule_weight is None:
        return None, None, "未设分值，不计分"
    i = e.indicator
    rule: object = i.scoring or None
    actual, note = date_actual(i, actual)
    if note and rule:
        parsed, parse_findings = parse_rule(i.scoring, rule_weight, subject=e.subject, location=i.location)
        if isinstance(parsed, DeductionPerUnit) and note[1] is not None:
            actual = note[1]  # 推迟 N 个月 → the count the rule deducts for
        rule = parsed
    else:
        parse_findings = []
    score = score_indicator(
        rule, i.target, actual, rule_weight, profile, subject=e.subject, location=i.location
    )
    if parse_findings:
        score = _with_findings(score, parse_findings)
    explanation = lead + (note[0] if note else "") + score.explanation
    if factor is None:
        return score, score.score, explanation
    points = round2(score.score * factor)
    explanation += f"；分值 {num(rule_weight)} 按 {num(factor * HUNDRED)}/100 折算为 {num(weight)}，得分 {score.score}×{num(factor)} = {points}"
    return score, points, explanation


def _blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "/", "-", "—"))


def _with_findings(score: Score, extra: list[Finding]) -> Score:
    return replace(score, findings=(*extra, *score.findings))


def plan_weights(
    entry: SetEntry, indicators: list[Indicator], profile: ScoringProfile
) -> tuple[list[Decimal | None], Decimal | None, str, list[Finding]]:
    """``(weights counted, factor applied to points or None, rule, findings)``."""
    printed = [i.weight for i in indicators]
    room = HUNDRED - profile.execution_weight
    subject = f"{entry.kind_label}/{entry.label}"
    loc = entry.target_set.location
    if not indicators:
        return [], None, "printed", []
    if all(w is None for w in printed):
        weights, detail = default_weights(indicators, profile)
        return (
            weights,
            None,
            "default",
            [make("selfeval-weights-default", loc, subject=subject, detail=detail)],
        )
    if any(w is None for w in printed):
        return printed, None, "incomplete", []
    total = sum(printed, ZERO)
    if total == HUNDRED and room < HUNDRED and profile.execution_weight > ZERO:
        factor = room / HUNDRED
        finding = make(
            "selfeval-weights-scaled",
            loc,
            subject=subject,
            total=num(total),
            execution=num(profile.execution_weight),
            target=num(room),
            expected=num(room),
            actual=num(total),
        )
        return [w * factor for w in printed], factor, "scaled", [finding]
    return printed, None, "printed", []


def _pool(indicator: Indicator) -> str:
    """The 一级 pool of an indicator by its printed 一级 (else its 二级's parent); 成本 → 产出."""
    key = levels.level1_key(indicator.level1) or levels.parent_of(indicator.level2) or OUTPUT
    return OUTPUT if key == levels.COST else key


def default_weights(indicators: list[Indicator], profile: ScoringProfile) -> tuple[list[Decimal | None], str]:
    """Split the profile's 一级 weights evenly over each 一级's indicators (see the module doc)."""
    room = HUNDRED - profile.execution_weight
    pools: dict[str, Decimal] = {}
    for name, points in profile.level1_weights:
        key = levels.level1_key(name)
        if key is not None:
            pools[key] = points
    members: dict[str, list[int]] = {}
    for n, i in enumerate(indicators):
        members.setdefault(_pool(i) if _pool(i) in pools else OUTPUT, []).append(n)
    present = sum((pools.get(k, ZERO) for k in members), ZERO)
    if present <= ZERO:  # the profile has no 一级 weights (湖北): split evenly over all indicators
        members, pools, present = {"": list(range(len(indicators)))}, {"": room}, room
    weights: list[Decimal | None] = [None] * len(indicators)
    parts = []
    keys = [k for k in (OUTPUT, BENEFIT, SATISFACTION, "") if k in members]
    points = {k: round2(pools[k] * room / present) for k in keys}
    points[keys[-1]] = room - sum((points[k] for k in keys[:-1]), ZERO)  # rounding remainder
    for key in keys:
        pool = points[key]
        idx = members[key]
        share = round2(pool / len(idx))
        for n in idx:
            weights[n] = share
        weights[idx[-1]] = pool - share * (len(idx) - 1)
        name = _POOL_NAMES.get(key, "全部指标")
        extra = "（含成本指标）" if key == OUTPUT and any(_cost(indicators[n]) for n in idx) else ""
        each = num(share) if weights[idx[-1]] == share else f"{num(share)}（末项 {num(weights[idx[-1]])}）"
        parts.append(f"{name} {num(pool)} 分 ÷ {len(idx)} 项{extra} = {each}")
    missing = [v for k, v in _POOL_NAMES.items() if k in pools and k not in members]
    detail = "；".join(parts)
    if missing:
        detail += f"；无{'、'.join(missing)}指标，其分值按比例分给其他一级指标"
    return weights, detail


def _cost(indicator: Indicator) -> bool:
    return "成本" in (indicator.level1 or "") or "成本" in (indicator.level2 or "")


def date_actual(indicator: Indicator, actual: Value) -> tuple[Value, tuple[str, Decimal | None] | None]:
    """For a date target and a date actual: ``("完成"/"未完成", (note, months late))``."""
    deadline = indicator.target.date
    if indicator.target.kind != ValueKind.DATE or not deadline or not isinstance(actual, str):
        return actual, None
    m = _DATE.match(actual.strip())
    if not m:
        return actual, None
    try:
        done = dt.date(int(m[1]), int(m[2]), int(m[3]))
        due = dt.date.fromisoformat(deadline)
    except ValueError:
        return actual, None
    late = months_late(due, done)
    if late == 0:
        return "完成", (f"实际完成日期 {done.isoformat()} 不晚于 {due.isoformat()}，按时完成：", Decimal(0))
    note = f"实际完成日期 {done.isoformat()} 晚于期限 {due.isoformat()}（{late} 个月内）："
    return "未完成", (note, Decimal(late))


def months_late(due: dt.date, done: dt.date) -> int:
    """The smallest k with ``done ≤ due + k months`` (month ends stay month ends)."""
    k = 0
    while done > _add_months(due, k):
        k += 1
    return k


def _add_months(day: dt.date, k: int) -> dt.date:
    y, m = divmod(day.month - 1 + k, 12)
    year, month = day.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, last if end else min(day.day, last))


def score_execution(
    entry: SetEntry, row: BudgetRow | None, profile: ScoringProfile
) -> tuple[ExecutionScore, list[Finding]]:
    subject = f"{entry.kind_label}/{entry.label}"
    initial = row.initial if row and row.initial is not None else initial_budget(entry.target_set)
    budget = row.budget if row and row.budget is not None else initial
    spent = row.spent if row else None
    location = row.location if row else entry.target_set.location
    score = execution_rate_score(budget, spent, profile, subject=f"{subject}/预算执行率", location=location)
    findings = list(score.findings)
    reason = row.reason if row else None
    splits = row.splits if row else ()
    for what, n, total in (("全年预算数", 1, budget), ("全年执行数", 2, spent)):
        given = [s[n] for s in splits if s[n] is not None]
        if given and total is not None and abs(sum(given, ZERO) - total) > Decimal("0.005"):
            findings.append(
                make(
                    "selfeval-budget-split-mismatch",
                    location,
                    subject=subject,
                    what=what,
                    actual=num(sum(given, ZERO)),
                    expected=num(total),
                )
            )
    if score.rate is not None and score.rate < EXECUTION_REASON_BELOW and not reason:
        findings.append(
            make(
                "selfeval-execution-unexplained",
                location,
                subject=subject,
                rate=pct(score.rate, 2),
                limit=pct(EXECUTION_REASON_BELOW),
            )
        )
    return ExecutionScore(initial, budget, spent, score, reason, splits), findings

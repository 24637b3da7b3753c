"""Score one indicator, the 预算执行率 and the total's grade.

``score_indicator(rule, target, actual, weight)`` applies a parsed rule (or, when the rule is
None / unparseable / contradicts the weight, the default method of DOMAIN §2.2) and returns a
:class:`Score`: the points (clipped to [0, weight] unless the rule grants a bonus, rounded to 2
decimals half up), the family, whether the printed rule was used, and a Chinese explanation
showing the numbers. An input the method cannot use (no target, a text actual that matches no
grade) gives score 0 with ``needs_review`` and a finding — never a silent guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.source import Location
from jixiao.scoring.apply import apply_rule
from jixiao.scoring.families import ScoringRule
from jixiao.scoring.families import weight_conflict
from jixiao.scoring.methods import DEFAULT_PROFILE
from jixiao.scoring.methods import QUALITATIVE_OP
from jixiao.scoring.methods import Outcome
from jixiao.scoring.methods import ScoringProfile
from jixiao.scoring.methods import default_method_id
from jixiao.scoring.methods import default_outcome
from jixiao.scoring.methods import execution_outcome
from jixiao.scoring.methods import grade
from jixiao.scoring.numbers import ZERO
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import parse_number
from jixiao.scoring.numbers import round2
from jixiao.scoring.rule_parser import parse_rule

__all__ = [
    "Score",
    "coerce_actual",
    "coerce_target",
    "execution_rate_score",
    "grade",
    "normalise_op",
    "score_indicator",
]

_OPS = {
    "≥": "≥",
    ">=": "≥",
    "大于等于": "≥",
    "不低于": "≥",
    "≧": "≥",
    ">": ">",
    "＞": ">",
    "大于": ">",
    "≤": "≤",
    "<=": "≤",
    "小于等于": "≤",
    "不高于": "≤",
    "≦": "≤",
    "<": "<",
    "＜": "<",
    "小于": "<",
    "=": "=",
    "＝": "=",
    "==": "=",
    "等于": "=",
    "定性": QUALITATIVE_OP,
}


@dataclass(frozen=True, slots=True)
class Score:
    """One indicator's score.

    ``family``: the rule's family, or the default method used (``default_forward`` …,
    ``execution_rate``). ``parsed``: the printed 评（扣）分标准 was used. ``rate``: 完成率 as a
    fraction where defined. ``bonus``: the score exceeds the weight by the rule's 加分.
    ``needs_review``: the method could not be applied (score 0; the findings say why).
    """

    score: Decimal
    weight: Decimal
    family: str
    parsed: bool
    explanation: str
    rule: ScoringRule | None = None
    rate: Decimal | None = None
    bonus: bool = False
    needs_review: bool = False
    findings: tuple[Finding, ...] = ()

    @property
    def reason(self) -> str | None:
        """Why the printed rule was not used (the parse finding's message), if it was not."""
        if self.parsed:
            return None
        for f in self.findings:
            if f.code.startswith("scoring-rule-") and f.code not in (
                "scoring-rule-typo",
                "scoring-rule-gap",
                "scoring-rule-assumption",
            ):
                return f.message
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "parsed": self.parsed,
            "score": str(self.score),
            "weight": num(self.weight),
            "explanation": self.explanation,
            "params": self.rule.params() if self.rule is not None else None,
            "rate": None if self.rate is None else str(round2(self.rate * 100)) + "%",
            "bonus": self.bonus,
            "needs_review": self.needs_review,
            "reason": self.reason,
            "findings": [f.as_dict() for f in self.findings],
        }


def normalise_op(op: str | None) -> str | None:
    """Canonical comparison (``>=`` → ``≥``, ``定量``/unknown → None)."""
    if op is None:
        return None
    return _OPS.get(op.strip())


def coerce_target(target: object) -> tuple[str | None, Decimal | None]:
    """``(op, value)`` from a TargetValue-like object (``.op``, ``.value``), an ``(op, value)``
    pair, a number or a printed value (``"≥95%"`` → ``("≥", 95)``)."""
    if target is None:
        return None, None
    if hasattr(target, "op") and hasattr(target, "value"):
        value = target.value
        return normalise_op(target.op), value if isinstance(value, Decimal) else parse_number(value)
    if isinstance(target, tuple) and len(target) == 2:
        op, value = target
        return normalise_op(op), parse_number(value)
    if isinstance(target, str):
        text = target.strip()
        for prefix in sorted(_OPS, key=len, reverse=True):
            if text.startswith(prefix) and prefix != "定性":
                return _OPS[prefix], parse_number(text[len(prefix) :])
    return None, parse_number(target)


def coerce_actual(actual: object) -> tuple[Decimal | None, str | None]:
    """``(number, text)``: ``"92%"`` → (92, "92%"); ``"推进较缓"`` → (None, "推进较缓")."""
    if actual is None:
        return None, None
    if isinstance(actual, (Decimal, int, float)) and not isinstance(actual, bool):
        number = parse_number(actual)
        return number, None if number is None else num(number)
    text = str(actual).strip()
    return (parse_number(text), text or None)


def score_indicator(
    rule: ScoringRule | str | None,
    target: object,
    actual: Decimal | str | None,
    weight: Decimal,
    profile: ScoringProfile = DEFAULT_PROFILE,
    *,
    subject: str | None = None,
    location: Location | None = None,
) -> Score:
    """Score one indicator.

    ``rule``: a parsed rule, the printed 评（扣）分标准 (parsed here; its findings are kept), or
    None for the default method. ``target``: TargetValue-like, ``(op, value)``, or a printed value;
    op None with a number means 正向. ``actual``: the 实际完成值 (number, ``"92%"``, ``"推进较缓"``).
    Counts: for 每发生1次扣… the actual is the count; for 每少1个… the shortfall is target − actual.
    """
    weight = Decimal(weight)
    findings: list[Finding] = []
    prefix = f"{subject}：" if subject else ""
    if isinstance(rule, str):
        rule, findings = parse_rule(rule, weight, subject=subject, location=location)
    elif rule is not None:
        conflict = weight_conflict(rule, weight)
        if conflict:
            findings.append(
                make(
                    "scoring-rule-contradiction",
                    location,
                    subject=subject,
                    prefix=prefix,
                    text=rule.text,
                    reason=conflict,
                )
            )
            rule = None
    op, target_value = coerce_target(target)
    number, text = coerce_actual(actual)
    if op is None and target_value is None and number is None and text:
        op = QUALITATIVE_OP  # no numeric target and a worded actual: a 定性 indicator
    if rule is not None:
        outcome = apply_rule(rule, op, target_value, number, text, weight)
        family, parsed, lead = rule.family, True, ""
    else:
        outcome = default_outcome(op, target_value, number, text, weight, profile)
        family, parsed = default_method_id(op), False
        lead = f"评分标准未采用，按默认方法（{_METHOD_NAMES[family]}）："
    return _finish(outcome, weight, family, parsed, lead, rule, findings, subject, location)


_METHOD_NAMES = {
    "default_forward": "正向指标",
    "default_equal": "等于型指标",
    "default_reverse": "反向指标",
    "default_qualitative": "定性指标",
}


def _finish(
    outcome: Outcome,
    weight: Decimal,
    family: str,
    parsed: bool,
    lead: str,
    rule: ScoringRule | None,
    findings: list[Finding],
    subject: str | None,
    location: Location | None,
) -> Score:
    prefix = f"{subject}：" if subject else ""
    if outcome.value is None:
        if outcome.code == "scoring-actual-unmatched":
            findings.append(
                make(
                    outcome.code,
                    location,
                    subject=subject,
                    prefix=prefix,
                    actual=outcome.problem,
                    choices=outcome.choices,
                )
            )
        elif outcome.code == "execution-budget-missing":
            findings.append(
                make(outcome.code, location, subject=subject, prefix=prefix, budget=outcome.problem or "")
            )
        else:
            findings.append(
                make(
                    "scoring-input-missing", location, subject=subject, prefix=prefix, reason=outcome.problem
                )
            )
        return Score(
            round2(ZERO),
            weight,
            family,
            parsed,
            f"{lead}{outcome.explanation}，需人工评分：0.00",
            rule,
            outcome.rate,
            needs_review=True,
            findings=tuple(findings),
        )
    if outcome.warning is not None:
        code, fields = outcome.warning
        findings.append(make(code, location, subject=subject, prefix=prefix, **dict(fields)))
    raw = round2(outcome.value)
    bonus_allowed = rule is not None and rule.grants_bonus
    value = round2(max(raw, ZERO) if bonus_allowed else min(max(raw, ZERO), weight))
    explanation = f"{lead}{outcome.explanation} = {raw}"
    if value != raw:
        explanation += f"，按 [0, {num(weight)}] 计 {value}"
    bonus = value > weight
    if bonus:
        findings.append(
            make("scoring-bonus", location, subject=subject, prefix=prefix, score=value, weight=num(weight))
        )
    return Score(
        value, weight, family, parsed, explanation, rule, outcome.rate, bonus, False, tuple(findings)
    )


def execution_rate_score(
    budget: Decimal | str | None,
    spent: Decimal | str | None,
    profile: ScoringProfile = DEFAULT_PROFILE,
    *,
    subject: str | None = None,
    location: Location | None = None,
) -> Score:
    """预算执行率 score: 执行率 = 全年执行数 / 全年预算数 (调整后); default min(rate, 100%) × 10,
    湖北 × 20, 江西 steps — as the profile says (DOMAIN §2.3)."""
    outcome = execution_outcome(parse_number(budget), parse_number(spent), profile)
    if outcome.code == "execution-budget-missing":
        outcome = Outcome(
            None, outcome.explanation, problem=str(budget if budget is not None else "空"), code=outcome.code
        )
    return _finish(
        outcome,
        profile.execution_weight,
        "execution_rate",
        False,
        "",
        None,
        [],
        subject or "预算执行率",
        location,
    )

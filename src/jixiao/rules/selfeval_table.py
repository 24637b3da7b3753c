"""A read 项目支出绩效自评表 (DOMAIN §6 rule 29 SE-SCORE on the form, §2.2–§2.4, §2.6b).

Recomputes what the form prints: each row's 预算执行率 = 预算执行数 / 调整后预算数 (the form's own
definition, compared within the printed precision), the 执行率 score (min(rate, 100%) × 权重 by the
scoring profile), each indicator's score where its 完成值 is filled (by its 评（扣）分标准 when the form
prints that column, else the default method of §2.2 by 指标性质), the weights (Σ 权重 + 执行率 权重 = 100), the 合计 (Σ
of the rows' scores) and the grade (§2.4). A printed score that differs by more than 0.01 is an
error; scores not printed are noted once, with what they should be. The form's own requirements
are warnings: 执行率 < 90% needs a 原因, and an indicator not achieved needs its 未完成原因分析.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace
from decimal import ROUND_HALF_UP
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.selfeval_table import BudgetLine
from jixiao.model.selfeval_table import IndicatorRow
from jixiao.model.selfeval_table import SelfEvalTable
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.scoring import DEFAULT_PROFILE
from jixiao.scoring import PROFILES as SCORING_PROFILES
from jixiao.scoring import Score
from jixiao.scoring import ScoringProfile
from jixiao.scoring import execution_rate_score
from jixiao.scoring import grade
from jixiao.scoring import score_indicator

PROFILES = ("self-evaluation",)
HUNDRED = Decimal(100)
SCORE_TOLERANCE = Decimal("0.01")
EXECUTION_THRESHOLD = Decimal(90)  # 表注：预算执行率未达到90%的需说明原因
# codes the scoring API reports when it cannot score an actual (passed through)
_SCORING_CODES = ("scoring-input-missing", "scoring-actual-unmatched")

CODES = (
    "selfeval-table-rate-mismatch",
    "selfeval-table-score-mismatch",
    "selfeval-table-total-mismatch",
    "selfeval-table-grade-mismatch",
    "selfeval-table-weight-sum",
    "selfeval-table-weight-total-mismatch",
    "selfeval-table-scores-missing",
    "selfeval-table-split-mismatch",
    "selfeval-table-reason-missing",
    "selfeval-table-execution-unexplained",
    *_SCORING_CODES,
)


@dataclass(frozen=True, slots=True)
class _Part:
    """One scored row: what it is, its printed 得分, the recomputed one, why it cannot be computed."""

    what: str
    printed: Decimal | None
    recomputed: Decimal | None
    why: str


def _fmt(value: Decimal) -> str:
    """A number as the forms print it: 2 decimals, trailing zeros kept (10.00)."""
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _plain(value: Decimal) -> str:
    """A weight or printed number without a useless exponent (60, 9.5)."""
    text = format(value.normalize(), "f")
    return text


def _profile(ctx: Context) -> ScoringProfile:
    name = ctx.options.get("scoring_profile", DEFAULT_PROFILE.name)
    return SCORING_PROFILES.get(str(name), DEFAULT_PROFILE)


def _tables(doc: Document) -> list[SelfEvalTable]:
    return [t for t in doc.tables if isinstance(t, SelfEvalTable)]


def _execution_weight(table: SelfEvalTable, profile: ScoringProfile) -> Decimal:
    line = table.budget_total
    if line is not None and line.weight is not None:
        return line.weight
    return table.budget_points if table.budget_points is not None else profile.execution_weight


def _recomputed_rate(line: BudgetLine) -> Decimal | None:
    if line.adjusted is None or line.spent is None or line.adjusted == 0:
        return None
    return line.spent / line.adjusted * HUNDRED


@rule("selfeval.table-score", codes=CODES, family="self-evaluation", profiles=PROFILES)
def check_selfeval_table(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 29 SE-SCORE on a read 项目支出绩效自评表 (§2.6b): 预算执行率 = 预算执行数 / 调整后预算数
    per row, within the printed precision (§2.3, the form's note); the 执行率 score min(rate, 100%) ×
    权重 (scoring profile, default 10); each filled indicator scored by its 评（扣）分标准 when the form
    prints that column, else by the default method of §2.2 by 指标性质 (正向 a/t × w, ＝ as 正向, 反向
    (1 − (a − t)/t) × w, 定性 inside its band); printed 得分 vs
    recomputed (error beyond 0.01); Σ 权重 + 执行率 权重 = 100 (§2.1) and the printed 合计 权重; 合计 得分
    = Σ the rows' scores and the grade by §2.4; 总额 = Σ 其中 rows (warning); scores not printed are
    noted (info) with their recomputed values; 执行率 < 90% without 原因 and an indicator not achieved
    without 未完成原因分析 are warnings (the form requires both). A form cut off before its 合计 row
    gets no weight or total check (its last rows are unknown)."""
    profile = _profile(ctx)
    for table in _tables(doc):
        yield from _check_table(table, profile)


def _check_table(table: SelfEvalTable, profile: ScoringProfile) -> Iterator[Finding]:
    subject = table.name
    yield from _rates(table, subject)
    yield from _splits(table, subject)
    weight = _execution_weight(table, profile)
    execution = _execution(table, profile, weight)
    total_line = table.budget_total
    parts: list[_Part] = []
    missing: list[str] = []
    if total_line is not None:
        recomputed = execution.score if execution is not None and not execution.needs_review else None
        parts.append(_Part("预算执行率", total_line.score, recomputed, "的预算执行数或调整后预算数未填写"))
        if total_line.score is None:
            missing.append("预算执行率得分")
        elif recomputed is not None and abs(total_line.score - recomputed) > SCORE_TOLERANCE:
            yield make("selfeval-table-score-mismatch", total_line.where("score"), subject=subject, what="预算执行率",
                       expected=_fmt(recomputed), actual=total_line.score_text or _plain(total_line.score),
                       explanation=execution.explanation)
        rate = _recomputed_rate(total_line)
        rate = rate if rate is not None else total_line.rate
        if rate is not None and rate < EXECUTION_THRESHOLD and not any(b.reason for b in table.budget_lines):
            yield make("selfeval-table-execution-unexplained", total_line.where("reason"), subject=subject,
                       rate=f"{_fmt(rate)}%", expected="说明原因", actual="未填写")
    unscored: list[IndicatorRow] = []
    for ind in table.indicators:
        score = _score(ind, profile, subject)
        why = "未填写完成值" if ind.actual is None else "未填写权重" if ind.weight is None else "完成值无法评分"
        if score is not None and score.needs_review:
            yield from (f for f in score.findings if f.code in _SCORING_CODES)
            score = None
        recomputed = score.score if score is not None else None
        parts.append(_Part(f"指标“{ind.name}”", ind.score, recomputed, why))
        if ind.score is None:
            unscored.append(ind)
        if score is None:
            continue
        if ind.score is not None:
            finding = _compare(ind, score, profile, subject)
            if finding is not None:
                yield finding
        if score.score < score.weight and not ind.reason:
            yield make("selfeval-table-reason-missing", ind.where("reason"), subject=subject, name=ind.name,
                       actual=ind.actual, target=_target_text(ind), score=_fmt(score.score),
                       weight=_plain(score.weight), expected="未完成原因分析")
    if unscored:
        missing.append(f"{len(unscored)} 项指标得分" if len(unscored) > 1 else f"指标“{unscored[0].name}”得分")
    if "合计" in table.missing:  # cut off inside the indicators: their weights and the 合计 are unknown
        if missing:
            yield make("selfeval-table-scores-missing", table.location, subject=subject, fields="、".join(missing),
                       detail=_missing_detail(parts, None, profile, with_total=False), expected="填写得分",
                       actual="未填写")
        return
    yield from _weights(table, subject, weight)
    yield from _total(table, subject, parts, profile, missing)


# ---------------------------------------------------------------- 预算执行情况


def _rates(table: SelfEvalTable, subject: str) -> Iterator[Finding]:
    for line in table.budget_lines:
        recomputed = _recomputed_rate(line)
        if recomputed is None or line.rate is None:
            continue
        exponent = line.rate.as_tuple().exponent
        ulp = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
        if abs(recomputed - line.rate) >= ulp:
            yield make("selfeval-table-rate-mismatch", line.where("rate"), subject=subject, line=line.label,
                       spent=_fmt(line.spent), adjusted=_fmt(line.adjusted),
                       expected=f"{recomputed.quantize(ulp, rounding=ROUND_HALF_UP)}%", actual=line.rate_text)


def _splits(table: SelfEvalTable, subject: str) -> Iterator[Finding]:
    total = table.budget_total
    if total is None:
        return
    others = [b for b in table.budget_lines if b is not total]
    for key, what in (("initial", "年初预算数"), ("adjusted", "调整后预算数"), ("spent", "预算执行数")):
        whole = getattr(total, key)
        values = [getattr(b, key) for b in others]
        if whole is None or all(v is None for v in values):
            continue
        parts = sum((v for v in values if v is not None), Decimal(0))
        if abs(parts - whole) > SCORE_TOLERANCE:
            yield make("selfeval-table-split-mismatch", total.where(key), subject=subject, what=what,
                       expected=_fmt(whole), actual=_fmt(parts))


def _execution(table: SelfEvalTable, profile: ScoringProfile, weight: Decimal) -> Score | None:
    line = table.budget_total
    if line is None or line.adjusted is None or line.spent is None:
        return None
    if weight != profile.execution_weight and not profile.execution_steps:
        profile = replace(profile, execution_weight=weight)  # the form's own 权重 (linear curve)
    return execution_rate_score(line.adjusted, line.spent, profile, subject=f"{table.name}/预算执行率",
                                location=line.where("score"))


# ---------------------------------------------------------------- 绩效指标


def _score(ind: IndicatorRow, profile: ScoringProfile, subject: str) -> Score | None:
    if ind.actual is None or ind.weight is None:
        return None
    # the form's 评（扣）分标准 when it prints one (jixiao's own form does), else the default method
    return score_indicator(ind.scoring or None, ind.target, ind.actual, ind.weight, profile,
                           subject=f"{subject}/{ind.name}", location=ind.where("actual"))


def _target_text(ind: IndicatorRow) -> str:
    t = ind.target
    op = t.op_text or t.op or ""
    return f"{op}{t.text}{t.unit_text or t.unit or ''}" if t.text else (op or "（空）")


def _compare(ind: IndicatorRow, score: Score, profile: ScoringProfile, subject: str) -> Finding | None:
    printed = ind.score
    assert printed is not None
    if score.family == "default_qualitative":
        band = profile.band(ind.actual or "")
        if band is not None:
            low, high = band.low * score.weight, band.high * score.weight
            top = band.high >= 1
            if low - SCORE_TOLERANCE <= printed and (printed <= high + SCORE_TOLERANCE if top else printed < high):
                return None
            span = f"[{_fmt(low)}, {_fmt(high)}{']' if top else ')'}"
            return make("selfeval-table-score-mismatch", ind.where("score"), subject=subject, what=f"指标“{ind.name}”",
                        expected=span, actual=ind.score_text or _plain(printed),
                        explanation=f"定性指标完成值“{ind.actual}”属“{band.label}”档，得分区间 {span}")
    if abs(printed - score.score) <= SCORE_TOLERANCE:
        return None
    return make("selfeval-table-score-mismatch", ind.where("score"), subject=subject, what=f"指标“{ind.name}”",
                expected=_fmt(score.score), actual=ind.score_text or _plain(printed), explanation=score.explanation)


# ---------------------------------------------------------------- weights, 合计, grade


def _weights(table: SelfEvalTable, subject: str, execution: Decimal) -> Iterator[Finding]:
    if not table.indicators:
        return
    weights = [i.weight for i in table.indicators]
    known = sum((w for w in weights if w is not None), Decimal(0))
    total = known + execution
    blank = sum(1 for w in weights if w is None)
    if total != HUNDRED or blank:
        detail = f"（{blank} 项指标未填写权重）" if blank else ""
        where = table.indicator_location or table.location
        yield make("selfeval-table-weight-sum", where, subject=subject, indicators=_plain(known),
                   execution=_plain(execution), detail=detail, expected="100", actual=_plain(total))
    if table.total_weight is not None and table.total_weight != total:
        yield make("selfeval-table-weight-total-mismatch", table.total_location or table.location, subject=subject,
                   expected=_plain(total), actual=_plain(table.total_weight))


def _total(
    table: SelfEvalTable, subject: str, parts: list[_Part], profile: ScoringProfile, missing: list[str]
) -> Iterator[Finding]:
    where = table.total_location or table.location
    values = [p.printed if p.printed is not None else p.recomputed for p in parts]
    known = bool(parts) and all(v is not None for v in values)
    expected = sum((v for v in values if v is not None), Decimal(0)) if known else None
    if table.total_score is not None and expected is not None and abs(table.total_score - expected) > SCORE_TOLERANCE:
        detail = " + ".join(f"{p.what} {_fmt(v)}" for p, v in zip(parts, values) if v is not None)
        yield make("selfeval-table-total-mismatch", where, subject=subject, expected=_fmt(expected),
                   actual=table.total_score_text or _plain(table.total_score), detail=detail)
    basis = table.total_score if table.total_score is not None else expected
    if table.grade is not None and basis is not None:
        right = grade(basis, profile)
        if _grade_key(table.grade) != right:
            yield make("selfeval-table-grade-mismatch", table.grade_location or where, subject=subject,
                       total=_fmt(basis), expected=right, actual=table.grade)
    if table.total_score is None and parts:
        missing.append("合计得分")
    if missing:
        yield make("selfeval-table-scores-missing", where, subject=subject, fields="、".join(missing),
                   detail=_missing_detail(parts, expected, profile), expected="填写得分", actual="未填写")


def _grade_key(printed: str) -> str:
    return {"优秀": "优", "良好": "良"}.get(printed, printed)


def _missing_detail(
    parts: list[_Part], expected: Decimal | None, profile: ScoringProfile, *, with_total: bool = True
) -> str:
    """What the missing scores should be, as far as the form's data allows."""
    should = [f"{p.what}得分应为 {_fmt(p.recomputed)}" for p in parts if p.printed is None and p.recomputed is not None]
    out = "按表中数据，" + "，".join(should) if should else ""
    unknown = [p for p in parts if p.printed is None and p.recomputed is None]
    if unknown:
        by_reason: dict[str, list[str]] = {}
        for p in unknown:
            by_reason.setdefault(p.why, []).append(p.what)
        lacks = "；".join(_count(whats) + why for why, whats in by_reason.items())
        out += ("；" if out else "") + f"{lacks}，无法计算其得分" + ("和合计得分" if with_total else "")
    elif expected is not None and with_total:
        out += ("，" if out else "按表中数据，") + f"合计应为 {_fmt(expected)}（{grade(expected, profile)}）"
    return out or "无法计算"


def _count(whats: list[str]) -> str:
    indicators = [w for w in whats if w.startswith("指标")]
    if len(indicators) > 1 and len(indicators) == len(whats):
        return f"{len(indicators)} 项指标"
    return "、".join(whats)

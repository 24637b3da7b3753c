"""A 监控表 → 红/黄/绿 warnings and findings, by a warning profile (``profiles.py``). Pure.

- **执行进度**: gap = 时间进度 − 执行率; gap > red_gap → 红, gap > amber_gap → 黄, else 绿
  (exactly at the threshold: no warning — "低于 … 超过 10 个百分点").
- **指标** (``indicator.method``):
  ``expected`` — the expected full-year value against the target, in the target's direction
  (``scoring.methods.completion_rate``: ≥ → e/t, ≤ → 100% within the bound, then 1 − (e − t)/t);
  rate < red_below → 红, < amber_below → 黄, else 绿.
  ``pro_rata`` — the value to date against 标准值 = target × 时间进度 for the classes the profile
  lists (数量/效益/满意度 in the 山西 profile): < red_below → 红, < amber_below → 黄, ≥ blue_from →
  蓝, else 绿; any other quantitative indicator: target met to date → 绿, else 红.
  Qualitative targets (and quantitative ones whose value is not a number) are not turned into
  numbers: the unit's own judgement 能/基本能/不能 gives the level through the profile's
  ``qualitative`` table; a judgement that contradicts the expected value is reported.
- **偏差原因**: an item at ``reason.required_from`` or worse without a reason → an error finding.
- **钱花了，指标不动**: 执行率 − the mean 完成进度 of the quantitative indicators (capped at 100%)
  > output_lag.gap → a warning (黄).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from jixiao.findings.finding import Finding
from jixiao.findings.finding import make
from jixiao.model.source import Location
from jixiao.monitoring.profiles import LEVEL_LABELS
from jixiao.monitoring.profiles import UNFILLED
from jixiao.monitoring.profiles import WarningProfile
from jixiao.monitoring.profiles import level_rank
from jixiao.monitoring.profiles import worst
from jixiao.monitoring.rounds import Line
from jixiao.monitoring.rounds import Sheet
from jixiao.monitoring.rounds import execution_rate
from jixiao.monitoring.rounds import in_target_unit
from jixiao.monitoring.rounds import is_quantitative
from jixiao.monitoring.rounds import progress
from jixiao.monitoring.rounds import time_progress
from jixiao.scoring.methods import DEFAULT_PROFILE as SCORING_PROFILE
from jixiao.scoring.methods import FORWARD_OPS
from jixiao.scoring.methods import completion_rate
from jixiao.scoring.numbers import HUNDRED
from jixiao.scoring.numbers import ONE
from jixiao.scoring.numbers import ZERO
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import pct

CENT = Decimal("0.01")
# a qualitative band of the scoring profile (达成 / 部分达成 / 未达成) read as a judgement
_BAND_JUDGEMENT = dict(zip((b.label for b in SCORING_PROFILE.qualitative_bands), ("能", "基本能", "不能"), strict=True))


@dataclass(frozen=True, slots=True)
class Warning:
    """A 红/黄 (or 蓝) item of a 监控表: ``key`` is the indicator's, None for the sheet's money."""

    code: str
    level: str
    key: int | str | None
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "level": self.level, "level_label": LEVEL_LABELS[self.level],
                "indicator": self.key, "message": self.message}


@dataclass(frozen=True, slots=True)
class LineResult:
    key: int | str
    progress: Decimal | None  # 完成进度 to date
    rate: Decimal | None  # the rate the level was decided on (预计完成率, or to date / 标准值)
    level: str | None  # None: nothing to judge (empty target, nothing filled in)
    basis: str  # how the level was decided, in Chinese


@dataclass(frozen=True, slots=True)
class Evaluation:
    time_progress: Decimal
    execution_rate: Decimal | None
    execution_gap: Decimal | None  # 时间进度 − 执行率 (fraction)
    execution_level: str | None
    lines: tuple[LineResult, ...]
    warnings: tuple[Warning, ...]
    level: str  # the worst of all: red / amber / green; unfilled when nothing is entered
    output_progress: Decimal | None = None  # mean 完成进度 of the quantitative indicators
    findings: tuple[Finding, ...] = field(default=())

    def as_dict(self) -> dict:
        def p(value):
            return None if value is None else pct(value, 2)

        return {
            "time_progress": p(self.time_progress),
            "execution_rate": p(self.execution_rate),
            "execution_gap": None if self.execution_gap is None else points(self.execution_gap),
            "execution_level": self.execution_level,
            "output_progress": p(self.output_progress),
            "level": self.level,
            "level_label": LEVEL_LABELS[self.level],
            "lines": {
                str(r.key): {"progress": p(r.progress), "rate": p(r.rate), "level": r.level,
                             "level_label": LEVEL_LABELS.get(r.level or "", ""), "basis": r.basis}
                for r in self.lines
            },
            "warnings": [w.as_dict() for w in self.warnings],
        }


def points(fraction: Decimal) -> str:
    """A fraction as percentage points with two decimals: 0.1234 → ``12.34``."""
    return str((fraction * HUNDRED).quantize(CENT))


def _band(value: Decimal, red_below: Decimal, amber_below: Decimal, blue_from: Decimal | None = None) -> str:
    if value < red_below:
        return "red"
    if value < amber_below:
        return "amber"
    if blue_from is not None and value >= blue_from:
        return "blue"
    return "green"


def execution_level(gap: Decimal, profile: WarningProfile) -> str:
    """红 when 时间进度 − 执行率 exceeds red_gap, 黄 when it exceeds amber_gap, else 绿."""
    if gap > profile.execution_red_gap:
        return "red"
    if gap > profile.execution_amber_gap:
        return "amber"
    return "green"


def expected_level(rate: Decimal, profile: WarningProfile) -> str:
    return _band(rate, profile.indicator_red_below, profile.indicator_amber_below)


def _judged(line: Line) -> str | None:
    """能/基本能/不能 as filled in, else read from a qualitative expected value (达成 …)."""
    if line.judgement and line.judgement.strip():
        return line.judgement.strip()
    if line.expected and (band := SCORING_PROFILE.band(line.expected)) is not None:
        return _BAND_JUDGEMENT[band.label]
    return None


def _pro_rata_class(line: Line, profile: WarningProfile) -> bool:
    names = f"{line.level1 or ''}{line.level2 or ''}"
    return any(c in names for c in profile.pro_rata_classes)


class _Builder:
    def __init__(self, sheet: Sheet, profile: WarningProfile):
        self.sheet, self.profile = sheet, profile
        self.warnings: list[Warning] = []
        self.findings: list[Finding] = []

    def loc(self, row: int) -> Location:
        return Location(file=self.sheet.label, table=1, row=row)

    def warn(self, code: str, level: str, key, row: int, subject: str, **fields) -> None:
        f = make(code, self.loc(row), subject=subject, level=LEVEL_LABELS[level], **fields)
        self.findings.append(f)
        self.warnings.append(Warning(code, level, key, f.message))

    def note(self, code: str, row: int, subject: str, **fields) -> None:
        self.findings.append(make(code, self.loc(row), subject=subject, **fields))

    def need_reason(self, level: str | None, reason: str | None, row: int, subject: str, what: str) -> None:
        required = level_rank(self.profile.reason_required_from)
        if level is not None and level != "blue" and level_rank(level) >= required and not (reason or "").strip():
            self.note("monitoring-deviation-unexplained", row, subject, what=what, level=LEVEL_LABELS[level])


def _execution(b: _Builder, tp: Decimal) -> tuple[Decimal | None, Decimal | None, str | None]:
    sheet, subject = b.sheet, f"{b.sheet.label} 资金执行"
    if sheet.budget is None or sheet.budget <= ZERO:
        b.note("monitoring-budget-missing", 1, subject)
        return None, None, None
    if sheet.spent is None:
        b.note("monitoring-value-missing", 1, subject, what="截至监控日支出")
        return None, None, None
    rate = execution_rate(sheet.budget, sheet.spent)
    gap = tp - rate
    level = execution_level(gap, b.profile)
    if level != "green":
        threshold = b.profile.execution_red_gap if level == "red" else b.profile.execution_amber_gap
        b.warn("monitoring-execution-behind", level, None, 1, subject, rate=pct(rate, 2), progress=pct(tp, 2),
               gap=points(gap), threshold=points(threshold))
    b.need_reason(level, sheet.execution_reason, 1, subject, "执行进度")
    return rate, gap, level


def _by_judgement(b: _Builder, line: Line, row: int, subject: str) -> LineResult:
    judgement = _judged(line)
    level = b.profile.judgement_level(judgement)
    if judgement is None:
        b.note("monitoring-value-missing", row, subject, what="能否完成年度指标的判断")
        return LineResult(line.key, None, None, None, "未填能否完成")
    if level is None:
        b.note("monitoring-value-missing", row, subject, what=f"能否完成（“{judgement}”不是 能 / 基本能 / 不能）")
        return LineResult(line.key, None, None, None, f"“{judgement}”无法判断")
    if level in ("amber", "red"):
        b.warn("monitoring-indicator-at-risk", level, line.key, row, subject, judgement=judgement,
               target=line.target.text)
    return LineResult(line.key, None, None, level, f"按填报判断“{judgement}”")


def _expected(b: _Builder, line: Line, row: int, subject: str, done: Decimal | None) -> LineResult:
    target = line.target
    value, other = in_target_unit(target, line.expected, line.value_unit)
    if other is not None:
        b.note("monitoring-value-unit-mismatch", row, subject, what="全年预计完成值", actual=line.expected.strip(),
               unit=other, target=target.text, target_unit=target.unit)
    if value is None:
        if line.expected and line.expected.strip() and other is None:
            b.note("monitoring-value-not-number", row, subject, what="全年预计完成值", actual=line.expected,
                   target=target.text)
        elif not (line.judgement or "").strip():
            b.note("monitoring-value-missing", row, subject, what="全年预计完成值")
            return LineResult(line.key, done, None, None, "未填全年预计完成值")
        result = _by_judgement(b, line, row, subject)
        return LineResult(line.key, done, None, result.level, result.basis)
    rate = completion_rate(target.op, target.value, value)
    level = expected_level(rate, b.profile)
    if level != "green":
        threshold = b.profile.indicator_red_below if level == "red" else b.profile.indicator_amber_below
        b.warn("monitoring-indicator-off-target", level, line.key, row, subject, expected=line.expected.strip(),
               target=target.text, rate=pct(rate, 2), threshold=pct(threshold))
    judgement = (line.judgement or "").strip()
    implied = b.profile.judgement_level(judgement)
    if implied is not None and (implied == "green") != (level == "green"):
        b.note("monitoring-judgement-contradicts", row, subject, judgement=judgement, expected=line.expected.strip(),
               target=target.text, rate=pct(rate, 2))
    return LineResult(line.key, done, rate, level, f"预计完成率 {pct(rate, 2)}")


def _pro_rata(b: _Builder, line: Line, row: int, subject: str, tp: Decimal, done: Decimal | None) -> LineResult:
    target, profile = line.target, b.profile
    value, other = in_target_unit(target, line.to_date, line.value_unit)
    if other is not None:
        b.note("monitoring-value-unit-mismatch", row, subject, what="截至监控日完成值", actual=line.to_date.strip(),
               unit=other, target=target.text, target_unit=target.unit)
    if value is None:
        if line.to_date and line.to_date.strip() and other is None:
            b.note("monitoring-value-not-number", row, subject, what="截至监控日完成值", actual=line.to_date,
                   target=target.text)
        result = _by_judgement(b, line, row, subject)
        return LineResult(line.key, done, None, result.level, result.basis)
    if _pro_rata_class(line, profile) and (target.op in FORWARD_OPS or target.op in (None, "=")):
        standard = target.value * tp
        rate = value / standard if standard != ZERO else (ONE if value >= ZERO else ZERO)
        level = _band(rate, profile.indicator_red_below, profile.indicator_amber_below, profile.indicator_blue_from)
        if level in ("amber", "red"):
            rule = (f"低于 {pct(profile.indicator_red_below)}" if level == "red"
                    else f"低于 {pct(profile.indicator_amber_below)}")
            b.warn("monitoring-indicator-behind-schedule", level, line.key, row, subject, to_date=num(value),
                   standard=num(standard.quantize(CENT)), rate=pct(rate, 2), rule=rule)
        return LineResult(line.key, done, rate, level, f"完成值/标准值 {pct(rate, 2)}")
    met = completion_rate(target.op, target.value, value) >= ONE
    level = "green" if met else "red"
    if not met:
        b.warn("monitoring-indicator-behind-schedule", level, line.key, row, subject, to_date=num(value),
               standard=target.text, rate=pct(completion_rate(target.op, target.value, value), 2),
               rule="未达到指标值")
    return LineResult(line.key, done, None, level, "达到指标值" if met else "未达到指标值")


def evaluate(sheet: Sheet, profile: WarningProfile) -> tuple[Evaluation, list[Finding]]:
    """The warnings of one 监控表 and the findings behind them (sorted by row)."""
    b = _Builder(sheet, profile)
    tp = time_progress(sheet.as_of, profile.time_basis)
    rate, gap, ex_level = _execution(b, tp)
    results: list[LineResult] = []
    done_values: list[Decimal] = []
    for row, line in enumerate(sheet.lines, start=2):
        subject = f"{sheet.label} {line.name}"
        if line.target.kind.value == "empty":
            results.append(LineResult(line.key, None, None, None, "无年度指标值"))
            continue
        done = progress(line.target, line.to_date, line.value_unit)
        if profile.indicator_method != "pro_rata" and is_quantitative(line.target):
            other = in_target_unit(line.target, line.to_date, line.value_unit)[1]
            if other is not None:
                b.note("monitoring-value-unit-mismatch", row, subject, what="截至监控日完成值",
                       actual=line.to_date.strip(), unit=other, target=line.target.text, target_unit=line.target.unit)
        if not is_quantitative(line.target):
            result = _by_judgement(b, line, row, subject)
        elif profile.indicator_method == "pro_rata":
            result = _pro_rata(b, line, row, subject, tp, done)
        else:
            result = _expected(b, line, row, subject, done)
        if done is not None and (line.target.op in FORWARD_OPS or line.target.op in (None, "=")):
            done_values.append(min(done, ONE))
        b.need_reason(result.level, line.reason, row, subject, "指标完成情况")
        results.append(result)
    output = sum(done_values, ZERO) / len(done_values) if done_values else None
    lag_level = None
    if rate is not None and output is not None and profile.output_lag_gap is not None:
        lag = rate - output
        if lag > profile.output_lag_gap:
            lag_level = "amber"
            b.warn("monitoring-spending-ahead-of-output", "amber", None, 1, f"{sheet.label} 资金执行",
                   rate=pct(rate, 2), progress=pct(output, 2), gap=points(lag), threshold=points(profile.output_lag_gap))
    level = UNFILLED if sheet.unfilled else worst([ex_level, lag_level, *(r.level for r in results)])
    findings = sorted(b.findings, key=lambda f: (f.location.row, f.severity != "error", f.code))
    evaluation = Evaluation(tp, rate, gap, ex_level, tuple(results), tuple(b.warnings), level, output, tuple(findings))
    return evaluation, findings

"""A monitoring round's arithmetic and the 监控表 as the warnings engine reads it.

时间进度 is the share of the year elapsed at the round's date: by days (6月30日 → 181/365 =
49.59%) or by whole months (6月30日 → 6/12 = 50%), as the profile says. 执行率 = 支出 / 调整后预算.
完成进度 of an indicator = value to date against the year's target, by the direction of its
comparison (``scoring.methods.completion_rate``: ≥ → a/t; ≤ → 100% while within the bound).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jixiao.model.indicator import TargetValue
from jixiao.model.indicator import ValueKind
from jixiao.model.units import convert
from jixiao.model.units import unit_of
from jixiao.scoring.methods import QUALITATIVE_OP
from jixiao.scoring.methods import completion_rate
from jixiao.scoring.numbers import parse_number

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Line:
    """One indicator of a 监控表: its target and what the unit filled in."""

    key: int | str
    name: str
    level1: str | None
    level2: str | None
    target: TargetValue
    to_date: str | None = None  # 截至监控日完成值, as typed
    expected: str | None = None  # 全年预计完成值, as typed
    judgement: str | None = None  # 能 / 基本能 / 不能
    reason: str | None = None  # 偏差原因
    measure: str | None = None  # 纠偏措施
    value_unit: str | None = None  # the unit of values typed without one (a bound metric's: 件), else the target's


@dataclass(frozen=True, slots=True)
class Sheet:
    """The 监控表 of one target set at a round's date."""

    label: str  # names the sheet in findings (单位 · 项目)
    as_of: date
    budget: Decimal | None  # 调整后预算
    spent: Decimal | None  # 截至监控日支出
    lines: tuple[Line, ...] = ()
    unit: str = "万元"
    execution_reason: str | None = None

    @property
    def unfilled(self) -> bool:
        """Nothing entered yet: no amount spent and no indicator's value, expected value or judgement."""
        return self.spent is None and not any(
            (v or "").strip() for line in self.lines for v in (line.to_date, line.expected, line.judgement))


def time_progress(as_of: date, basis: str = "days") -> Decimal:
    """Share of the year elapsed at the end of ``as_of`` (a fraction, 0 < x ≤ 1)."""
    if basis == "months":
        last = calendar.monthrange(as_of.year, as_of.month)[1]
        months = as_of.month if as_of.day == last else as_of.month - 1
        return Decimal(months) / Decimal(12)
    days = 366 if calendar.isleap(as_of.year) else 365
    return Decimal(as_of.timetuple().tm_yday) / Decimal(days)


def execution_rate(budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
    """支出 / 调整后预算 (a fraction); None without a positive budget or an amount spent."""
    if budget is None or budget <= ZERO or spent is None:
        return None
    return spent / budget


def is_quantitative(target: TargetValue) -> bool:
    return target.kind is ValueKind.QUANTITATIVE and target.value is not None and target.op != QUALITATIVE_OP


def number(text: str | None) -> Decimal | None:
    """The one number in a typed value (``"92%"`` → 92); None for none or several."""
    return None if text is None or not str(text).strip() else parse_number(str(text))


def value_unit(text: str | None, default: str | None = None) -> str | None:
    """The unit a typed value is in: its own (``3万件`` → 万件), else ``default``."""
    if text is None or not str(text).strip():
        return default
    return unit_of(text) or default


def in_target_unit(target: TargetValue, text: str | None, default_unit: str | None = None) -> tuple[Decimal | None, str | None]:
    """A typed value as a number in the target's unit (130 件 against 30万件 → 0.013): (value, None);
    (None, the value's unit) when the units measure different things (件 and 人); (None, None) for no number."""
    value = number(text)
    if value is None:
        return None, None
    unit = value_unit(text, default_unit)
    converted = convert(value, unit, target.unit)
    return (converted, None) if converted is not None else (None, unit)


def progress(target: TargetValue, to_date: str | None, default_unit: str | None = None) -> Decimal | None:
    """完成进度 of a quantitative indicator: value to date (in the target's unit) against the year's target."""
    if not is_quantitative(target):
        return None
    return completion_rate(target.op, target.value, in_target_unit(target, to_date, default_unit)[0])

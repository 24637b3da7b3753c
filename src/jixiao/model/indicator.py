"""Indicators (三级指标) and their target values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jixiao.model.source import Location


class ValueKind(StrEnum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    DATE = "date"
    EMPTY = "empty"


# Canonical comparison operators. "定性" marks a qualitative target.
OPS = ("≥", "≤", "=", ">", "<", "定性")


@dataclass(frozen=True, slots=True)
class TargetValue:
    """A target value as parsed from its cells; ``text`` keeps what was printed.

    op: one of OPS or None; value: the number alone; unit: normalised (百分比 → %);
    note: text after the value (``≥90%；满意以上`` → note ``满意以上``);
    date: ISO ``YYYY-MM-DD`` deadline for date targets (``2023年底前`` → 2023-12-31).
    op_text: the printed comparison-type cell when the layout has one.
    """

    text: str
    kind: ValueKind
    op: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    note: str | None = None
    date: str | None = None
    op_text: str | None = None
    unit_text: str | None = None


@dataclass(frozen=True, slots=True)
class Indicator:
    """One 三级指标 row of a target table."""

    level1: str | None
    level2: str | None
    name: str
    target: TargetValue
    location: Location
    explanation: str | None = None  # 指标值说明 / 指标解释 / 指标值内容
    scoring: str | None = None  # 评（扣）分标准
    weight: Decimal | None = None  # 分值 / 权重 (seed 001 prints it in 备注)
    standard: str | None = None  # 绩效标准 (计划标准, 历史标准 …)
    note: str | None = None  # 备注 when it is not a weight


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A category row listed without an indicator (``社会成本指标`` with empty cells, ``/``, ``无``)."""

    level1: str | None
    level2: str | None
    location: Location
    text: str = ""
    weight: Decimal | None = None

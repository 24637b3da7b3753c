"""Money and numbers: Decimal only, with explicit units (元 / 万元)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from decimal import Decimal
from decimal import InvalidOperation
from enum import StrEnum
from functools import lru_cache

WAN = Decimal(10000)
CENT = Decimal("0.01")


class Unit(StrEnum):
    """Money unit of a table or a stated amount."""

    YUAN = "元"
    WANYUAN = "万元"


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def D(text: str | int | float | Decimal | None) -> Decimal | None:
    """Parse a printed number (``5,073.08``, ``　70``, ``1,955.15``) into a Decimal, or None."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(round(text, 6)))
    return _printed_number(text)


@lru_cache(maxsize=65536)
def _printed_number(text: str) -> Decimal | None:
    """D() for printed text; memoized (documents repeat the same figures; Decimal is immutable)."""
    s = text.strip().replace("\u3000", "").replace(" ", "").replace("，", ",")
    if not s or not _NUMBER.match(s):
        return None
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None


def to_wan(value: Decimal, unit: Unit) -> Decimal:
    """Convert an amount into 万元."""
    return value / WAN if unit is Unit.YUAN else value


def precision_of(value: Decimal) -> Decimal:
    """Half a unit of the last printed digit: 2 decimals → 0.005."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return Decimal("0.005")
    return Decimal(5) * Decimal(10) ** (exponent - 1)


def tolerance_for(*values: Decimal) -> Decimal:
    """Tolerance of a sum check, derived from the printed precision of its terms.

    Each printed term carries up to half a unit of its last digit of rounding; a total of
    n rounded parts may differ from their sum by n × that.  Never below 0.005 (2 decimals).
    """
    if not values:
        return Decimal("0.005")
    worst = max(precision_of(v) for v in values)
    return max(Decimal("0.005"), worst * len(values)).quantize(Decimal("0.00001"))


def fmt_wan(value: Decimal | None) -> str:
    """Two decimals, as the documents print 万元 amounts."""
    if value is None:
        return ""
    return f"{value.quantize(CENT):,.2f}"


def bounds(value: Decimal) -> tuple[Decimal, Decimal]:
    """The interval a printed figure stands for: ± half a unit of its last digit (25.77 → 25.765–25.775)."""
    half = precision_of(value)
    return value - half, value + half


def value_range(f: Callable[..., Decimal], *values: Decimal) -> tuple[Decimal, Decimal] | None:
    """The range of ``f`` over the intervals of its printed arguments (``bounds``), for ``f``
    monotone in each argument (a ratio of positive amounts, a difference): its extremes are at the
    corners. None when ``f`` is undefined at a corner (a denominator that may be 0 or negative)."""
    results = []
    for corner in itertools.product(*(bounds(v) for v in values)):
        try:
            result = f(*corner)
        except (ArithmeticError, ValueError):
            return None
        if result is None:
            return None
        results.append(result)
    return min(results), max(results)


def gap(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> Decimal:
    """How far apart two intervals are (0 when they overlap)."""
    return max(Decimal(0), a[0] - b[1], b[0] - a[1])

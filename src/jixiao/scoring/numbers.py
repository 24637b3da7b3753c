"""Decimal helpers shared by the scoring modules: parsing numbers out of cells, rounding, display."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")


def round2(value: Decimal) -> Decimal:
    """Round to 2 decimals, half up (the convention of every 自评表)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def clip(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def cn_number(text: str) -> Decimal:
    """``"1"`` / ``"0.5"`` / ``"一"`` / ``"两"`` → Decimal (single Chinese digits and 十 only)."""
    if text in _CN_DIGITS:
        return Decimal(_CN_DIGITS[text])
    return Decimal(text)


def parse_number(value: object) -> Decimal | None:
    """The number in a cell: Decimal/int as is; ``"92%"``, ``"175个"``, ``"1,234.5万元"`` → the number.

    Returns None when the text holds no number or more than one (``"90%-95%"``): such a value
    is not a single measurement.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip()
    found = _NUMBER.findall(text)
    if len(found) != 1:
        return None
    try:
        return Decimal(found[0].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
        return None


def num(value: Decimal) -> str:
    """Plain display: ``Decimal("0.50")`` → ``0.5``, ``Decimal("10")`` → ``10``, never exponent form."""
    if value == value.to_integral_value():
        return str(value.quantize(ONE))
    return format(value.normalize(), "f")


def pct(fraction: Decimal, places: int | None = None) -> str:
    """A fraction as a percentage: ``0.9`` → ``90%``; with ``places`` fixed decimals (``90.00%``)."""
    value = fraction * HUNDRED
    if places is None:
        return f"{num(round2(value))}%"
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"


def money(value: Decimal) -> str:
    return f"{round2(value)}"

"""Units with a magnitude prefix: ``万件`` is 10,000 ``件``, ``万元`` 10,000 ``元``, ``亿元`` 10⁸ ``元``.

A value and a target meet only in the same unit: 130 件 against ``≥30万件`` is 130 / 300,000, not
130 / 30. :func:`convert` converts exactly (Decimal) between units that differ by a magnitude prefix
(十 百 千 万 十万 百万 千万 亿) and says None when the units are of different things (件 and 人).
Percent-like units (``%``, ``‰``, ``百分点``) are never split.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

MAGNITUDES = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000),
              "十万": Decimal(100_000), "百万": Decimal(1_000_000), "千万": Decimal(10_000_000),
              "亿": Decimal(100_000_000)}
WHOLE = frozenset({"%", "‰", "百分点", "百分比", "千分比", "个百分点", "十分制", "百分制"})
_LONGEST_FIRST = sorted(MAGNITUDES, key=len, reverse=True)


def split_magnitude(unit: str) -> tuple[Decimal, str]:
    """``万人次`` → (10000, ``人次``); ``件`` → (1, ``件``); a bare ``万`` → (10000, ``""``)."""
    unit = unit.strip()
    if unit in WHOLE:
        return Decimal(1), unit
    for prefix in _LONGEST_FIRST:
        if unit.startswith(prefix):
            return MAGNITUDES[prefix], unit[len(prefix):]
    return Decimal(1), unit


def convert(value: Decimal, from_unit: str | None, to_unit: str | None) -> Decimal | None:
    """``value`` in ``from_unit`` expressed in ``to_unit``, exactly; the value unchanged when either unit
    is not known or both are the same; None when the units measure different things (件 and 人)."""
    if not from_unit or not to_unit or from_unit.strip() == to_unit.strip():
        return value
    f_factor, f_base = split_magnitude(from_unit)
    t_factor, t_base = split_magnitude(to_unit)
    if f_base != t_base:
        return None
    return value * f_factor / t_factor


def compatible(from_unit: str | None, to_unit: str | None) -> bool:
    return convert(Decimal(1), from_unit, to_unit) is not None


_AFTER_NUMBER = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?\s*([^\d\s,.;:，。；：、()（）]{1,8})?\s*$")
_NOTES = ("以上", "以下", "以内", "左右", "及以上", "及以下")


def unit_of(text: str | None) -> str | None:
    """The unit a typed value is written in: ``3万件`` → ``万件``, ``92%`` → ``%``, ``130`` → None
    (a note after it — ``以上``, ``左右`` — is not part of the unit)."""
    if text is None:
        return None
    found = _AFTER_NUMBER.search(unicodedata.normalize("NFKC", str(text)).strip())
    unit = found.group(1) if found else None
    for note in sorted(_NOTES, key=len, reverse=True):
        if unit and unit.endswith(note):
            unit = unit[: -len(note)]
    return unit or None

"""Interval arithmetic on printed figures (model.money.bounds / value_range / gap)."""

from __future__ import annotations

from decimal import Decimal as Dec

from jixiao.model.money import bounds
from jixiao.model.money import gap
from jixiao.model.money import value_range


def test_bounds_follow_the_printed_precision():
    assert bounds(Dec("25.77")) == (Dec("25.765"), Dec("25.775"))
    assert bounds(Dec("25")) == (Dec("24.5"), Dec("25.5"))
    assert bounds(Dec("0.3")) == (Dec("0.25"), Dec("0.35"))


def test_range_of_a_change_rate_over_rounded_amounts():
    lo, hi = value_range(lambda now, then: (now - then) / then * 100, Dec("0.39"), Dec("0.31"))
    assert lo < Dec("25.81") < hi  # 0.08 / 0.31
    assert lo < Dec("22.3") and hi > Dec("29.5")  # 0.385 / 0.315 and 0.395 / 0.305
    # a base that may be 0 gives no range (the function says so with None)
    rate = lambda now, then: (now - then) / then * 100 if then > 0 else None  # noqa: E731
    assert value_range(rate, Dec("25.00"), Dec("0.00")) is None


def test_gap_between_intervals():
    assert gap((Dec(1), Dec(2)), (Dec("1.5"), Dec(3))) == 0
    assert gap((Dec(1), Dec(2)), (Dec(3), Dec(4))) == 1
    assert gap((Dec(3), Dec(4)), (Dec(1), Dec(2))) == 1

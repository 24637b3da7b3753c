"""store/sums.py: exact sums of Decimal text in SQL on SQLite (the ``dsum`` aggregate every
connection registers) and PostgreSQL (NUMERIC), where SQLite's own ``sum`` is a binary float."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Column
from sqlalchemy import Integer
from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from jixiao.store.base import Money
from jixiao.store.sums import exact_sum

AMOUNTS = ["0.1", "0.2"] * 500 + ["1234567.89"] * 300 + [None, "-0.000001"]


def _table(database, rows, kind=Money):
    """A table ``v`` of one column ``x`` (a Money column, or text) holding ``rows``."""
    v = Table("sums_test", MetaData(), Column("id", Integer, primary_key=True), Column("x", kind()))
    v.create(database.engine)
    with database.session() as s:
        s.execute(insert(v), [{"x": None if r is None else (Decimal(r) if kind is Money else r)} for r in rows])
    return v


def test_exact_sum_of_decimal_text(database):
    v = _table(database, AMOUNTS)
    with database.session(write=False) as s:
        total = s.scalar(select(exact_sum(s, v.c.x)))
        nothing = s.scalar(select(exact_sum(s, v.c.x)).where(v.c.id < 0))
        by_value = dict(s.execute(select(v.c.x, exact_sum(s, v.c.x)).group_by(v.c.x)).all())
    assert isinstance(total, Decimal) and total == Decimal("370370516.999999")
    assert nothing is None  # like sum(): NULL over no rows
    assert by_value[Decimal("0.1")] == Decimal("50.0") and by_value[None] is None
    if database.engine.dialect.name == "sqlite":  # what store/sums.py is for: SQLite's own sum is a float
        with database.session(write=False) as s:
            own = s.scalar(select(func.sum(v.c.x)))
        assert own == Decimal(370370516.9999963) != total  # the float's binary value, as Money reads it


def test_dsum_refuses_text_that_is_not_a_number(database):
    v = _table(database, ["1.5", "abc"], kind=String)
    with database.session(write=False) as s, pytest.raises(DBAPIError):
        s.scalar(select(exact_sum(s, v.c.x)))

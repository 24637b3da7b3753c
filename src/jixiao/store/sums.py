"""Exact sums of Decimal values in SQL, on both databases.

PostgreSQL sums NUMERIC exactly. SQLite has no decimal arithmetic: its ``sum()`` and ``avg()`` of
the text a ``Money`` column keeps (or of a JSON field) go through ``CAST(… AS NUMERIC)``, a binary
float, and lose cents once the figures are large or many. So every SQLite connection gets
``dsum(x)``, an aggregate written in Python that adds ``Decimal(text)`` and returns the exact sum
as text (:func:`register`, installed by ``store.db.make_engine``), and :func:`exact_sum` gives the
one expression a query uses: ``sum(CAST(x AS NUMERIC))`` on PostgreSQL, ``dsum(x)`` on SQLite,
read back as a Decimal on both. A mean is an exact sum divided by a count (``func.count(x)``) in
Python, so that means of groups roll up exactly too.
"""

from __future__ import annotations

from decimal import Context
from decimal import Decimal
from decimal import localcontext

from sqlalchemy import Numeric
from sqlalchemy import cast
from sqlalchemy import func

from jixiao.store.base import Money

# wide enough that adding amounts never rounds (the default context keeps 28 digits)
_EXACT = Context(prec=120)


def _decimal(value) -> Decimal:
    if isinstance(value, str):
        return Decimal(value.strip())
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # only a JSON number (jixiao writes amounts as JSON strings) or a REAL column gives one;
        # its shortest repr is the number's text as written
        return Decimal(repr(value))
    if isinstance(value, bytes):
        return Decimal(value.decode())
    raise TypeError(f"dsum: not a number: {value!r}")


class DecimalSum:
    """SQLite aggregate ``dsum(x)``: the exact sum of the non-NULL ``x`` as Decimal text, NULL when
    there is none (like ``sum``). Text that is not a number is an error, as the cast is on PostgreSQL.

    ``step`` only keeps the value and ``finalize`` adds them all at once (about 1 µs a row, 5–10
    times SQLite's float ``sum``; adding in ``step`` took 1.6 times as long), so a group's values are
    held until its end: fine for the thousands of rows a report sums, not meant for millions."""

    def __init__(self) -> None:
        self.values: list = []

    def step(self, value) -> None:
        self.values.append(value)

    def finalize(self) -> str | None:
        present = [v for v in self.values if v is not None]
        if not present:
            return None
        # Money and JSON text are str: Decimal reads them directly (the common, fast case)
        numbers = map(Decimal if all(type(v) is str for v in present) else _decimal, present)
        with localcontext(_EXACT):
            return format(sum(numbers, Decimal(0)), "f")


def register(dbapi_connection, _record=None) -> None:
    """Install ``dsum`` on a new sqlite3 connection (a ``connect`` event listener)."""
    dbapi_connection.create_aggregate("dsum", 1, DecimalSum)


def exact_sum(bind, expr):
    """Σ ``expr`` (a Money column, or text holding a decimal) as an exact Decimal, None over no
    rows. ``bind``: a Session, Connection or Engine (its dialect picks the SQL)."""
    bind = bind.get_bind() if hasattr(bind, "get_bind") else bind
    if bind.dialect.name == "sqlite":
        return func.dsum(expr, type_=Money())
    return func.sum(cast(expr, Numeric()), type_=Numeric(asdecimal=True))

"""Budget disclosure tables (部门预算公开 tables 1–8, special-fund summary) and their rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.money import Unit
from jixiao.model.source import Location


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One row: functional/economic code (digits only) or None, name, total and named columns."""

    name: str
    location: Location
    code: str | None = None
    total: Decimal | None = None
    values: tuple[tuple[str, Decimal | str | None], ...] = ()
    side: str | None = None  # "income" | "expenditure" for two-sided overview tables
    # keys whose printed cell could not be read ("code" for a code cell, "total"/… for an amount):
    # the parser reported each once; the rules neither count them nor check sums over them
    malformed: tuple[str, ...] = ()

    def value(self, key: str) -> Decimal | str | None:
        for k, v in self.values:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True)
class BudgetTable:
    kind: str
    title: str
    location: Location
    year: int | None = None
    org: str | None = None
    unit: Unit = Unit.WANYUAN
    columns: tuple[str, ...] = ()
    rows: tuple[BudgetRow, ...] = ()
    empty_statement: str | None = None  # "此表如无数字则表示…" when printed

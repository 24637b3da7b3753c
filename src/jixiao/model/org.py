"""Departments (部门) and their budget units (单位)."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.model.source import Location


@dataclass(frozen=True, slots=True)
class Org:
    """A department or one of its budget units, as a document names it.

    ``code`` is the 单位编码 (seed 001: 152001) when printed; ``level`` is ``department`` for the
    部门 a document is about and ``unit`` for the 预算单位 it consolidates.
    """

    name: str
    level: str  # "department" | "unit"
    location: Location
    code: str | None = None

"""政府收支分类科目 by year (DOMAIN §3.4): the name each classification code has in a budget year.

The table is package data (``jixiao/data/classification.csv``, read once, read-only), one row per
(scheme, code, name, first year, last year) with the document or source that confirms it. Schemes:
``func`` 支出功能分类 (类 3 digits, 款 5, 项 7), ``econ`` 部门预算支出经济分类 (3xx), ``gov_econ``
政府预算支出经济分类 (5xx). A code without a row for a year is unknown in that year: it is not
checked by name (unknown is not an error).

Names are compared after ``normalise``: width (NFKC), spaces, brackets, a leading ordinal
(``1、``) or ``其中：`` and a trailing ``支出`` / ``费用`` / ``费`` are ignored, so ``维修(护)费`` =
``维修（护）费`` and ``机关事业单位基本养老保险缴费`` = ``…缴费支出``. A ``其他`` prefix is ignored only
for the 99 codes (``2059999 其他教育支出`` printed ``教育支出``): elsewhere it is the difference
(``310 资本性支出`` against the pre-2018 ``其他资本性支出``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from functools import lru_cache
from importlib import resources

SCHEMES = ("func", "econ", "gov_econ")


@dataclass(frozen=True, slots=True)
class CodeName:
    scheme: str
    code: str
    name: str
    first: int
    last: int | None  # None: still in force
    basis: str = ""

    def in_force(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)


@cache
def entries() -> tuple[CodeName, ...]:
    """Every row of the table, in file order."""
    text = resources.files("jixiao").joinpath("data/classification.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    out = []
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        out.append(CodeName(row["scheme"], row["code"], row["name"], int(row["from"]),
                            int(row["to"]) if row["to"] else None, row["basis"]))
    return tuple(out)


@cache
def _by_code() -> dict[tuple[str, str], tuple[CodeName, ...]]:
    index: dict[tuple[str, str], list[CodeName]] = {}
    for e in entries():
        index.setdefault((e.scheme, e.code), []).append(e)
    return {k: tuple(sorted(v, key=lambda e: e.first)) for k, v in index.items()}


def scheme_of(code: str, economic: bool) -> str:
    """``func`` for a functional code; ``econ`` / ``gov_econ`` for an economic one (3xx / 5xx)."""
    if not economic:
        return "func"
    return "gov_econ" if code.startswith("5") else "econ"


def known(scheme: str, code: str) -> bool:
    """Does the table list the code in any year?"""
    return (scheme, code) in _by_code()


def names(scheme: str, code: str) -> tuple[CodeName, ...]:
    """Every name the code has had, oldest first."""
    return _by_code().get((scheme, code), ())


def name_in(scheme: str, code: str, year: int | None) -> CodeName | None:
    """The code's name in that year; with no year, its latest name. None when the table has none."""
    rows = names(scheme, code)
    if year is None:
        return rows[-1] if rows else None
    return next((e for e in rows if e.in_force(year)), None)


def same_name(code: str, a: str, b: str) -> bool:
    """Are two printed names the same name of ``code``? (see the module docstring)"""
    x, y = normalise(a), normalise(b)
    if x == y:
        return True
    if code.endswith("99"):
        return _other(x) == _other(y)
    return False


def _other(text: str) -> str:
    return text[2:] if text.startswith("其他") and len(text) > 2 else text


def is_name_of(scheme: str, code: str, name: str) -> bool:
    """Is ``name`` a name the code has had in some year?"""
    return any(same_name(code, e.name, name) for e in names(scheme, code))


def outdated(scheme: str, code: str, name: str, year: int) -> tuple[CodeName, CodeName] | None:
    """(the old row the printed name is, the row in force in ``year``) when ``name`` is the code's
    name of an earlier year that was renamed by ``year``; else None."""
    current = name_in(scheme, code, year)
    if current is None or same_name(code, current.name, name):
        return None
    old = next((e for e in names(scheme, code) if same_name(code, e.name, name) and e.last is not None and e.last < year), None)
    return (old, current) if old else None


def class_by_name(name: str, year: int | None) -> CodeName | None:
    """The 类 (3-digit functional code) whose name, in that year (any year when None), is ``name``."""
    key = normalise(name)
    for e in entries():
        if e.scheme == "func" and len(e.code) == 3 and normalise(e.name) == key and (year is None or e.in_force(year)):
            return e
    return None


def code_by_name(scheme: str, name: str, length: int, year: int | None) -> tuple[str, ...]:
    """The codes of that length whose name (in that year, or any year) is ``name``."""
    key = normalise(name)
    return tuple(sorted({
        e.code for e in entries()
        if e.scheme == scheme and len(e.code) == length and normalise(e.name) == key
        and (year is None or e.in_force(year))
    }))


def renamed_classes() -> tuple[CodeName, ...]:
    """类 rows that ended with a rename (a later row of the same code has another name)."""
    out = []
    for (scheme, code), rows in _by_code().items():
        if scheme == "func" and len(code) == 3:
            out.extend(e for e in rows if e.last is not None and any(r.first > e.last for r in rows))
    return tuple(out)


_BRACKETS = re.compile(r"[()\[\]【】〔〕<>《》“”\"'‘’]")
_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.](?!\d)|其中:?)")
_SUFFIX = re.compile(r"(支出|费用|费)$")


@lru_cache(maxsize=8192)
def normalise(name: str) -> str:
    """A name for comparison (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name or "").replace("*", "")
    text = _BRACKETS.sub("", re.sub(r"\s+", "", text))
    text = _LEAD.sub("", text)
    while len(text) > 2 and _SUFFIX.search(text):
        text = _SUFFIX.sub("", text)
    return text

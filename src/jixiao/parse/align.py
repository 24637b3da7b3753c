"""Align a table row's cells to the columns of its layout by what the cells contain.

Real rows lose their leading cells, gain spurious empty ones or slide sideways (seed 001).
Each column has a type predicate (a 6-digit unit code, money, an indicator level name, a
comparison type, a unit, a weight …). A row whose cells all fit their positional columns is
taken as printed; otherwise a small dynamic programme finds the monotone assignment of
cells to columns with the best fit, where leading columns may be skipped for free (a
continuation row carries them down), interior gaps cost a little and dropping a non-empty
cell costs a lot. The caller reports every realignment and every poor fit as a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jixiao.model import levels
from jixiao.model.money import D

# Column fields. Money fields end in "$"; everything else is text-like.
MONEY = {"total", "general_budget", "gov_fund", "special_account", "other", "basic", "project_amount", "superior"}

_OPS = re.compile(r"^(≥|≤|=|＝|>|<|＞|＜|≧|≦|>=|<=|定性|定量|定量（其他）|定量\(其他\)|不适用)$")
_UNITS = {
    "%", "％", "百分比", "个", "次", "件", "万件", "人次", "人", "家", "项", "篇", "场", "万元", "元", "天", "日",
    "月", "年", "平方米", "平方", "台", "辆", "份", "套", "户", "条", "起",
    "分", "小时", "工作日", "元/人", "期", "批", "册", "张", "本", "处", "所", "座", "公里", "亩", "吨", "万人次",
}
# printed in unit columns although they are not units (seed 001): fit, but less than a value does
_JUNK_UNITS = {"率", "时间", "是", "无", "/", "-", "／", "—"}
_NUMBERISH = re.compile(r"^[≥≤=＝<>＜＞≧≦]?\s*-?[\d,，.]+\s*(%|％)?$")
_VALUEISH = re.compile(r"^[≥≤=＝<>＜＞≧≦]?\s*-?\d[\d,，.]*\s*\S{0,4}$")
_LEADS_WITH_NUMBER = re.compile(r"^[≥≤=＝<>＜＞≧≦]?\s*\d")
_CODE = re.compile(r"^\d{6}$")
_STANDARD = re.compile(r"^(计划|历史|行业|其他|预算支出)标准$")
_SCORING = re.compile(r"(得分|不得分|扣\d|扣完|满分|计\d|得\d|分值)")
# "does not apply" printed in every cell of an unused template row: fits any text column, neutrally
_NOT_APPLICABLE = {"不适用", "无此项"}
_TEXT_FIELDS = {"name", "value", "explanation", "scoring", "unit", "goal", "label"}


def _is_level(text: str) -> bool:
    return levels.is_level1(text) or levels.is_level2(text)


@lru_cache(maxsize=65536)
def fit(text: str, field: str) -> float:
    """How well a cell's text fits a column: > 0 fits, 0 neutral (empty), < 0 does not."""
    if not text:
        return 0.0
    if text in _NOT_APPLICABLE and field in _TEXT_FIELDS:
        return 0.0
    if field.startswith("m_"):  # monitoring columns: an actual, a forecast, ticks, a reason
        return -2.0 if _is_level(text) else 0.5
    if field == "unit_code":
        return 3.0 if _CODE.match(text) else -3.0
    if field in MONEY:
        return 2.0 if D(text) is not None else -3.0
    if field == "level1":
        if levels.is_level1(text):
            return 3.0
        return -1.5 if levels.is_level2(text) else -3.0
    if field == "level2":
        if levels.is_level2(text):
            return 3.0
        return 1.0 if levels.is_level1(text) else -3.0
    if field == "op":
        return 3.0 if _OPS.match(text) else -3.0
    if field == "unit":
        if text in _UNITS:
            return 1.5
        if text in _JUNK_UNITS:
            return 0.3
        if _OPS.match(text) or _NUMBERISH.match(text) or _LEADS_WITH_NUMBER.match(text) or _is_level(text):
            return -3.0
        return 0.1 if len(text) <= 3 else -2.0
    if field == "weight":
        number = D(text)
        if number is not None:
            return 1.5 if 0 <= number <= 100 else -1.0
        return -0.5 if _OPS.match(text) else 0.2
    if field == "standard":
        return 3.0 if _STANDARD.match(text) else -1.0
    if field == "value":
        if _is_level(text) or _OPS.match(text):
            return -3.0
        return 2.0 if _VALUEISH.match(text) else 0.5
    if field in ("name", "unit_name", "project"):
        if _is_level(text):
            # a 三级 may repeat its category's name (社会成本, 服务对象满意度): weakly unlikely
            return -0.5 if field == "name" and levels.is_level2(text) else -2.0
        if _OPS.match(text) or _NUMBERISH.match(text):
            return -1.5
        return 0.5
    if field == "scoring":
        if _is_level(text) or _OPS.match(text) or _NUMBERISH.match(text):
            return -2.0
        return 1.0 if _SCORING.search(text) else 0.3
    # free text: goal, explanation, label, task fields …
    if levels.is_level2(text):
        return -0.5
    if _is_level(text) or _OPS.match(text):
        return -2.0
    return 0.3 if not _NUMBERISH.match(text) else -0.5


def _level2_printed_as_level1(texts: list[str], fields: tuple[str, ...], i: int) -> bool:
    """Cell ``i`` is a 二级 name printed in the 一级 column (服务对象满意度指标) while the row's 二级
    cell is blank, names the same 二级 or names the 一级 (the two swapped): the row is as printed,
    not slid (the set builder maps the names)."""
    if fields[i] != "level1" or not levels.is_level2(texts[i]) or "level2" not in fields:
        return False
    j = fields.index("level2")
    other = texts[j] if j < len(texts) else ""
    return not other or levels.level2_key(other) == levels.level2_key(texts[i]) or levels.is_level1_only(other)


@dataclass(frozen=True, slots=True)
class Alignment:
    columns: tuple[int | None, ...]  # column index per cell (None: dropped)
    score: float
    realigned: bool  # some non-empty cell is not in its printed position
    poor: tuple[int, ...]  # cells placed where they do not fit (negative fit)
    dropped: tuple[int, ...]  # non-empty cells that could not be placed
    shift: int = 0  # column of the first non-empty cell minus its printed position


_SKIP_INTERIOR = -0.3
_DROP_EMPTY = -0.2
_DROP_TEXT = -6.0
_POSITIONAL = 0.01


def align(texts: list[str], fields: tuple[str, ...]) -> Alignment:
    """Assign cells to columns, positional when every cell fits, else by best fit."""
    while texts and not texts[-1]:
        texts = texts[:-1]
    n, m = len(texts), len(fields)
    if n <= m:
        fits = [fit(t, f) for t, f in zip(texts, fields)]
        if all(x >= 0 or _level2_printed_as_level1(texts, fields, i) for i, x in enumerate(fits)):
            return Alignment(tuple(range(n)), sum(max(x, 0.0) for x in fits), False, (), ())
    return _shifted(texts, fields) or _best(tuple(texts), fields)


def _shifted(texts: list[str], fields: tuple[str, ...]) -> Alignment | None:
    """The whole row slid sideways: the one shift under which every filled cell fits well.

    A fast path before the general search; taken only when exactly one shift places every
    non-empty cell in a column it positively fits.
    """
    filled = [i for i, t in enumerate(texts) if t]
    if not filled:
        return None
    m = len(fields)
    found: Alignment | None = None
    for shift in range(-filled[0], m - filled[-1]):
        if shift == 0:
            continue
        fits = [fit(texts[i], fields[i + shift]) for i in filled]
        if min(fits) < 0.3:
            continue
        if found is not None:
            return None  # two shifts fit: leave it to the search
        columns = tuple(i + shift if texts[i] else None for i in range(len(texts)))
        found = Alignment(columns, sum(fits), True, (), (), shift)
    return found


def _best(texts: tuple[str, ...], fields: tuple[str, ...]) -> Alignment:
    n, m = len(texts), len(fields)
    width = m + 1
    neg = float("-inf")
    gains = [[fit(t, f) + (_POSITIONAL if i == j else 0.0) for j, f in enumerate(fields)] for i, t in enumerate(texts)]
    drops = [_DROP_EMPTY if not t else _DROP_TEXT for t in texts]
    # score[i * width + j]: best for the first i cells over the first j columns;
    # how[...]: 0 skip column, 1 place cell in column, 2 drop cell
    score = [neg] * ((n + 1) * width)
    how = [0] * ((n + 1) * width)
    score[0] = 0.0
    # Band: with every filled cell placed, the first i cells have used at least ``before[i]``
    # columns and must leave ``m - after[i]`` for the filled cells still to come. Exact unless a
    # filled cell is dropped, which only happens when there are more filled cells than columns.
    filled = [bool(t) for t in texts]
    total = sum(filled)
    before = [0] * (n + 1)
    for i in range(n):
        before[i + 1] = before[i] + filled[i]
    banded = total <= m
    for i in range(n + 1):
        row = i * width
        nxt = row + width
        skip_cost = 0.0 if i == 0 else _SKIP_INTERIOR
        gain_row = gains[i] if i < n else None
        drop = drops[i] if i < n else 0.0
        lo, hi = (before[i], m - (total - before[i])) if banded else (0, m)
        for j in range(lo, hi + 1):
            here = score[row + j]
            if here == neg:
                continue
            if j < m:
                value = here + skip_cost
                if value > score[row + j + 1]:
                    score[row + j + 1], how[row + j + 1] = value, 0
                if gain_row is not None:
                    value = here + gain_row[j]
                    if value > score[nxt + j + 1]:
                        score[nxt + j + 1], how[nxt + j + 1] = value, 1
            if gain_row is not None:
                value = here + drop
                if value > score[nxt + j]:
                    score[nxt + j], how[nxt + j] = value, 2
    columns: list[int | None] = [None] * n
    i, j = n, m
    while i or j:
        step = how[i * width + j]
        if step == 0:
            j -= 1
        elif step == 1:
            i, j = i - 1, j - 1
            columns[i] = j
        else:
            i -= 1
    poor = tuple(k for k, c in enumerate(columns) if c is not None and fit(texts[k], fields[c]) <= -1)
    dropped = tuple(k for k, c in enumerate(columns) if c is None and texts[k])
    realigned = any(texts[k] and c != k for k, c in enumerate(columns))
    first = next((k for k, t in enumerate(texts) if t and columns[k] is not None), None)
    shift = 0 if first is None else columns[first] - first  # type: ignore[operator]
    return Alignment(tuple(columns), score[n * width + m], realigned, poor, dropped, shift)

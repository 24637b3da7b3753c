"""Classification codes as the budget tables print them (DOMAIN §3.4).

Functional codes (支出功能分类) are printed over three cells 类 / 款 / 项: ``201 | 03 | 01``.
A lower level often omits its parents (``| 03 |`` under 类 201); some exports print the full
code in one cell (``2010301``) or prefix the name with it (``2010301 行政运行``). The joiner
turns any of these into the digits-only code: 类 3, 款 5, 项 7 digits.

Economic codes (部门预算支出经济分类) are one cell: 类 3 or 款 5 digits.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

FUNCTIONAL_LENGTHS = (3, 5, 7)
ECONOMIC_LENGTHS = (3, 5)

_SEGMENT = (3, 2, 2)  # digits each of 类 / 款 / 项 adds
_FULL = (3, 5, 7)  # length of the code once that level is known
_NAME_WITH_CODE = re.compile(r"^[\[【(（]?(\d{3}(?:\d{2}){0,2})[\]】)）]?\s*(?![\d.,])(.*)$")


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def digits(text: str) -> str | None:
    """The digits of a code cell (spaces and NFKC width removed); None when it holds anything else."""
    cleaned = _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))
    if not cleaned:
        return ""
    return cleaned if cleaned.isdigit() else None


def is_placeholder(parts: list[str]) -> bool:
    """``0 | 0 | 0``: the zero code some systems print in an empty table."""
    filled = [p for p in (digits(x) for x in parts) if p]
    return bool(filled) and all(set(p) == {"0"} for p in filled)


def join_code(lei: str, kuan: str = "", xiang: str = "", context: str | None = None) -> str | None:
    """Join 类 / 款 / 项 cells into a functional code, digits only.

    Args:
        lei, kuan, xiang: the printed cells (blank when not printed). Each holds its own
            segment (``201``, ``03``, ``01``) or the full code up to that level (``20103``).
        context: the code of the row above (its 类 and 款 stand in for omitted parents).

    Returns:
        ``2010301`` / ``20103`` / ``201``; None when every cell is blank, a cell is not digits,
        a segment has the wrong length or a parent is needed and unknown.
    """
    cells = [digits(c) for c in (lei, kuan, xiang)]
    if any(c is None for c in cells) or not any(cells):
        return None
    code = ""
    for cell, seg, full in zip(cells, _SEGMENT, _FULL):
        if not cell:
            continue
        if len(code) >= full:
            # the full code is already known: this cell must repeat its segment (or itself)
            if cell in (code[full - seg : full], code[:full]):
                continue
            return None
        if len(cell) in FUNCTIONAL_LENGTHS and len(cell) >= full and cell.startswith(code) and (
            len(cell) != seg or not code
        ):
            code = cell  # a full code printed in one cell
            continue
        if len(cell) != seg:
            return None
        if len(code) != full - seg:
            parent = (context or "")[: full - seg]
            if len(parent) != full - seg or not parent.isdigit():
                return None
            code = parent
        code += cell
    return code if len(code) in FUNCTIONAL_LENGTHS else None


def economic_code(text: str) -> str | None:
    """A 3- or 5-digit economic code, or None."""
    value = digits(text)
    return value if value and len(value) in ECONOMIC_LENGTHS else None


def split_name_code(name: str, economic: bool = False) -> tuple[str | None, str]:
    """``2010301 行政运行`` / ``[2010301]行政运行`` → (``2010301``, ``行政运行``); else (None, name).

    Functional codes start with 2 (类 201–233), economic ones with 3 or 5, so a name such as
    ``12345政务热线中心`` is never split.
    """
    m = _NAME_WITH_CODE.match(name.strip())
    if not m or not m.group(2) or m.group(1)[0] not in ("35" if economic else "2"):
        return None, name
    if economic and len(m.group(1)) not in ECONOMIC_LENGTHS:
        return None, name
    return m.group(1), m.group(2).strip()

"""Read a classification code cell that is not a valid code as printed (DOMAIN §3.4), when the
row itself says which code it is.

Real exports lose leading zeros (``301 | 2 | 津贴补贴`` for 30102: a spreadsheet made ``02`` a
number), truncate a cell (``7 | | | 文化旅游体育与传媒支出`` for 207) or garble a digit (``5O`` for
``50``). One bad cell must be one finding, not a cascade: a wrong or missing code would break every
sum above the row and every row under it that omits its parents. So, in this order:

1. the printed segments zero-padded (``2`` → ``02``) and OCR look-alikes read as digits
   (``O`` → 0, ``l``/``I`` → 1), when the code so read is not listed with another name;
2. the code whose name, in the 政府收支分类科目 of the table's year, is the printed name, when it
   is the only one at the row's level that fits the printed digits (its last segment ends with
   them) and the parent the row stands under.

Anything else stays unread (the caller reports it once).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from jixiao.model import classification
from jixiao.parse.budget_codes import join_code

_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1"})
_SEGMENT = {0: 3, 1: 2, 2: 2}  # digits of 类 / 款 / 项


def _cell(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@lru_cache(maxsize=4096)
def repair(parts: tuple[str, ...], name: str, economic: bool, context: str | None, year: int | None) -> tuple[str, str] | None:
    """(code, how it was read) for the printed code cells ``parts`` of a row named ``name``, or None.

    ``parts``: functional (类, 款, 项, whole code) or economic (类, 款, whole code) as printed;
    ``context``: the code of the coded row above (its 类 and 款 stand in for omitted parents).
    """
    parts = _split_whole(parts, economic)
    cells = [_cell(p) for p in parts]
    if not any(cells) or any(len(c) > 8 for c in cells):
        return None
    fixed = [c.translate(_LOOKALIKE) for c in cells]
    if all(c == "" or c.isdigit() for c in fixed):
        code = _padded(fixed, economic, context)
        if code and _agrees(code, name, economic):
            return code, "补足缺失的前导零" if fixed == cells else "形近字符（O 为 0、l 为 1）"
    return _by_name(fixed, name, economic, context, year)


def _split_whole(parts: tuple[str, ...], economic: bool) -> tuple[str, ...]:
    """A whole-code cell printed with spaces between its segments (``301 2``, ``201 3 1``): the
    segments in their own cells."""
    whole = parts[-1]
    tokens = unicodedata.normalize("NFKC", whole or "").split()
    if len(tokens) < 2 or any(parts[:-1]) or len(tokens) > (2 if economic else 3):
        return parts
    cells = tokens + [""] * ((2 if economic else 3) - len(tokens))
    return (*cells, "")


def _padded(cells: list[str], economic: bool, context: str | None) -> str | None:
    """Each segment zero-padded to its length (``2`` → ``02``; a 类 is never padded)."""
    if economic:
        lei, kuan = (cells + ["", ""])[:2]
        whole = cells[2] if len(cells) > 2 else ""
        if whole:
            return whole if len(whole) in (3, 5) else None
        if len(lei) == 3 and 0 < len(kuan) <= 2:
            return lei + kuan.zfill(2)
        if not lei and 0 < len(kuan) <= 2 and context and len(context) >= 3:
            return context[:3] + kuan.zfill(2)
        return None
    lei, kuan, xiang, whole = (cells + ["", "", "", ""])[:4]
    if whole:
        return whole if len(whole) in (3, 5, 7) else None
    if lei and len(lei) != 3:
        return None
    segments = [lei, kuan.zfill(2) if kuan else "", xiang.zfill(2) if xiang else ""]
    if any(len(s) > 2 for s in segments[1:]):
        return None
    return join_code(*segments, context=context)


def _agrees(code: str, name: str, economic: bool) -> bool:
    """The code read is not listed under another name (listed with this one, or not listed)."""
    scheme = classification.scheme_of(code, economic)
    if not classification.known(scheme, code):
        return True
    return classification.is_name_of(scheme, code, name)


def _by_name(cells: list[str], name: str, economic: bool, context: str | None, year: int | None) -> tuple[str, str] | None:
    if not name:
        return None
    digits = [re.sub(r"\D", "", c) for c in cells]
    if economic:
        level = 5 if (len(digits) > 1 and digits[1]) or len(digits[0]) > 3 else 3
        scheme_candidates = [("econ", level), ("gov_econ", level)]
    else:
        filled = [i for i, d in enumerate(digits[:3]) if d]
        level = (3, 5, 7)[max(filled)] if filled else (len(digits[3]) if len(digits) > 3 and len(digits[3]) in (3, 5, 7) else 0)
        if not level:
            return None
        scheme_candidates = [("func", level)]
    found = set()
    for scheme, length in scheme_candidates:
        for code in classification.code_by_name(scheme, name, length, year):
            if _fits(code, digits, context, length, economic):
                found.add(code)
    if len(found) != 1:
        return None
    code = found.pop()
    return code, f"科目名称“{name}”"


def _fits(code: str, digits: list[str], context: str | None, length: int, economic: bool) -> bool:
    """The lowest printed cell ends the code's own segment (``7`` for 207, ``3`` for 20103), the
    higher printed cells are the code's parents, and a row that omits its parents stands under
    the row above."""
    whole = digits[-1] if len(digits) > (2 if economic else 3) else ""
    if whole:
        return code.endswith(whole)
    cells = digits[:2] if economic else digits[:3]
    filled = [i for i, d in enumerate(cells) if d]
    if not filled:
        return False
    starts = (0, 3, 5)
    low = filled[-1]
    segment = code[starts[low] : starts[low] + (3 if low == 0 else 2)]
    if not segment.endswith(cells[low]):
        return False
    for i in filled[:-1]:
        if code[starts[i] : starts[i] + (3 if i == 0 else 2)] != cells[i].zfill(3 if i == 0 else 2):
            return False
    parent = starts[low]
    if parent and not cells[0]:  # the 类 omitted (and maybe the 款): the row above's
        return bool(context) and (context or "")[: starts[filled[0]]] == code[: starts[filled[0]]]
    return True

"""Indicator target values (指标值): ``≥30万件`` → (≥, 30, 万件), ``2023年底前`` → ≤ 2023-12-31.

A value cell is read together with the separate comparison-type cell (指标值类型 / 计算符号) and
unit cell (度量单位) when the layout has them (DOMAIN §1.3, TECH §8). The parser is hand-written:
NFKC first (full-width digits, ％, ＝, U+3000), comparison words and symbols, thousands
separators, units kept apart from the number (``115.62万元`` → 115.62 + 万元), a note after the
value (``≥90%；满意以上`` → note ``满意以上``), deadlines as dates, Chinese numerals through
cn2an (after ``百分之``), everything else qualitative. Numbers are ``Decimal``, never float.

It records rather than judges: an invalid type cell (``定量``) gives ``op=None`` with the printed
``op_text``; a type cell that contradicts the value's own operator keeps both (``op`` from the
value, ``op_text`` as printed); a number under ``定性`` stays quantitative with ``op=定性``.
The review rules flag those. ``parse_value`` never raises.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from decimal import Decimal
from decimal import InvalidOperation
from functools import lru_cache

from jixiao.model.indicator import TargetValue
from jixiao.model.indicator import ValueKind

__all__ = ["parse_value", "normalise_op", "normalise_unit", "EMPTY_VALUES", "NOT_UNITS"]

# --- comparison operators -------------------------------------------------------------------

# Printed forms (after NFKC, without whitespace) → canonical operator.
_OP_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("≥", "≧", "⩾", ">=", "=>", "≥=", "大于等于", "大于或等于", "不低于", "不少于", "不小于", "至少"), "≥"
    ),
    **dict.fromkeys(
        (
            "≤",
            "≦",
            "⩽",
            "<=",
            "=<",
            "≤=",
            "小于等于",
            "小于或等于",
            "不超过",
            "不超",
            "不高于",
            "不大于",
            "不多于",
            "至多",
            "最多",
        ),
        "≤",
    ),
    **dict.fromkeys(("=", "==", "等于"), "="),
    **dict.fromkeys((">", "大于", "高于", "超过", "多于"), ">"),
    **dict.fromkeys(("<", "小于", "低于", "少于"), "<"),
}
# Only for the type cell: 定性 is a type, not something printed in front of a number.
_TYPE_WORDS: dict[str, str] = {**_OP_WORDS, "定性": "定性", "定性指标": "定性"}

# Suffixes after the number or unit: ``30万件以上``, ``115万元以内``.
_SUFFIX_OPS: dict[str, str] = {
    **dict.fromkeys(("以上", "及以上", "或以上"), "≥"),
    **dict.fromkeys(("以下", "及以下", "或以下", "以内", "之内", "内"), "≤"),
}

# Words before a number that do not change its meaning (``达到95%以上``, ``控制在115万元以内``).
_FILLERS = ("控制在", "达到", "保持", "累计", "完成", "实现", "约", "达", "为", "在", "共")

# A value cell that says nothing.
EMPTY_VALUES = frozenset(["", *r"/ 无 - -- — —— － \ * ** _ N/A n/a /-".split()])

# Unit cells that are not units (``/``, ``是``, ``时间`` …): ``unit`` None, ``unit_text`` keeps them.
NOT_UNITS = frozenset(r"/ \ 无 是 否 是/否 时间 率 - -- — —— * _ 定性 定量 N/A n/a".split())
_UNIT_ALIASES = {
    "百分比": "%",
    "百分率": "%",
    "百分数": "%",
    "％": "%",
    "m2": "平方米",
    "m3": "立方米",
    "km2": "平方公里",
    "个小时": "小时",  # the measure word before a time unit: ``3个小时内``, ``5个工作日``
    "个工作日": "工作日",
}
# Units recognised right after a number, even when more text follows (``5项特色试点`` → 项).
_KNOWN_UNITS = tuple(
    sorted(
        set(
            """
            % ‰ 万元 亿元 千元 元 万 亿 万件 件 万人次 人次 万人 人 个 个工作日 工作日 个月 次 家 项 篇 场
            天 日 月 年 周 小时 个小时 分钟 秒 平方米 平方公里 平方 亩 公里 千米 米 m2 m3 km2 台 套 份 期 批 条 户
            所 座 辆 册 本 张 部 名 位 处 宗 例 分 倍 元/人 人/次 吨 公斤 万册 万次 课时 学时
            """.split()
        ),
        key=len,
        reverse=True,
    )
)

# --- patterns (applied to NFKC text) ---------------------------------------------------------


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_LEAD = re.compile(
    rf"\s*(?:(?:{_alternation(_FILLERS)})\s*)?(?:(?P<op>{_alternation(_OP_WORDS)})\s*)?(?:(?:{_alternation(_FILLERS)})\s*)?"
)
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?")
_CN_DIGITS = "零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟"
_CN_NUMBER = re.compile(rf"[{_CN_DIGITS}]+(?:[万亿][{_CN_DIGITS}]+)*(?:点[零〇一二两三四五六七八九]+)?")
_PERCENT_WORDS = re.compile(r"百分之\s*")
_DATE = re.compile(
    r"(?P<y>(?:19|20)[0-9]{2})\s*"
    r"(?:年\s*(?:(?P<m>[0-9]{1,2})\s*月\s*(?:(?P<d>[0-9]{1,2})\s*[日号]|(?P<part>底|末|份|上旬|中旬|下旬))?"
    r"|(?P<yend>年底|年末|底|末))?"
    r"|[-./](?P<m2>[0-9]{1,2})[-./](?P<d2>[0-9]{1,2})(?![0-9]))"
)
_MONTH_DEADLINE = re.compile(
    r"(?P<m>[0-9]{1,2})\s*月\s*(?:(?:[0-9]{1,2})\s*[日号]\s*)?(?:底|末|上旬|中旬|下旬)?\s*(?:之前|以前|前|内|止)?(?=$|[\s;；,，。])"
    r"(?<=[底末旬前内止日号])"
)
_BEFORE = re.compile(r"\s*(?P<w>之前|以前|以内|之内|为止|前|内|止)")
_UNIT_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z/·°]+")
_SUFFIX = re.compile(rf"\s*(?P<s>{_alternation(_SUFFIX_OPS)})")
_SUFFIX_ANYWHERE = re.compile(_alternation(_SUFFIX_OPS))
_INCLUSIVE = re.compile(r"\s*\(含\)")
_ENUMERATION = re.compile(r"、|\.\s*[\u4e00-\u9fff]")
_NOTE_STRIP = " \t\r\n\u3000;；,，、:：.．。"
_SEPARATORS = frozenset(" \t\r\n\u3000;；,，、:：。()（）")
_ARITHMETIC = frozenset("*×÷")
_GENERIC_UNIT_MAX = 3
_RUN_ON_MAX = 4  # text glued to the value (``100%完成``) longer than this makes the cell a sentence


# Up to 16 characters of words (no digits) before a comparison word: ``出具评估报告总成本不超过0.3万元``.
_NAMED_LEAD = re.compile(rf"(?:(?:19|20)\d{{2}}年度?)?[\u4e00-\u9fff]{{1,16}}?(?=(?:{_alternation(_OP_WORDS)}))")
_OP_AGAIN = re.compile(rf"\s*({_alternation(_OP_WORDS)})\s*")


def _starts_number(s: str, pos: int) -> bool:
    return bool(re.match(r"\s*(?:百分之)?[0-9]", s[pos:]))


def normalise_op(text: str | None) -> str | None:
    """The canonical operator of a comparison-type cell (``≧``, ``>=``, ``不低于`` → ``≥``), else None.

    ``定性`` is kept; ``定量`` and anything unknown give None (the caller keeps the printed text).
    """
    if not text:
        return None
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    return _TYPE_WORDS.get(key)


def normalise_unit(text: str | None) -> str | None:
    """The unit of a unit cell: NFKC, stripped, ``百分比``/``％`` → ``%``; None for non-units (``/``, ``是``, ``时间``)."""
    if not text:
        return None
    unit = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    if not unit or unit in NOT_UNITS:
        return None
    return _UNIT_ALIASES.get(unit, unit)


@lru_cache(maxsize=65536)
def parse_value(text: str, op_text: str | None = None, unit_text: str | None = None) -> TargetValue:
    """Parse a target value cell, with the layout's comparison-type and unit cells when it has them."""
    printed = _clean(text)
    op_raw = _clean(op_text) or None
    unit_raw = _clean(unit_text) or None
    type_op = normalise_op(op_raw)
    cell_unit = normalise_unit(unit_raw)
    common = {"op_text": op_raw, "unit_text": unit_raw}

    norm, index = _normalise(printed)
    if re.sub(r"\s+", "", norm) in EMPTY_VALUES:
        return TargetValue(printed, ValueKind.EMPTY, op=type_op, unit=cell_unit, **common)

    lead = _LEAD.match(norm)
    text_op = _OP_WORDS[lead.group("op")] if lead and lead.group("op") else None
    pos = lead.end() if lead else 0
    if text_op is None and (named := _NAMED_LEAD.match(norm)):
        # ``总成本不超过41.98万元``: the indicator's name repeated before the comparison word
        lead = _LEAD.match(norm, named.end())
        if lead and lead.group("op") and _starts_number(norm, lead.end()):
            text_op, pos = _OP_WORDS[lead.group("op")], lead.end()
    if text_op is not None and (again := _OP_AGAIN.match(norm, pos)) and _OP_WORDS[again.group(1)] == text_op:
        pos = again.end()  # ``≤不超过37.02万``: the operator printed twice
    formula = norm.lstrip().startswith("=") and any(c in _ARITHMETIC for c in norm)

    if not formula:
        parsed = _date(norm, pos) or _number(norm, pos)
        if parsed is not None:
            kind, value, unit, date, suffix_op, end = parsed
            op = text_op or suffix_op or type_op
            if kind is ValueKind.QUANTITATIVE:
                unit = _combine_units(unit, cell_unit)
            else:
                unit = cell_unit
            return TargetValue(
                printed,
                kind,
                op=op,
                value=value,
                unit=unit,
                note=_note(printed, index, end),
                date=date,
                **common,
            )
        if text_op and not norm[pos:].strip():
            # Only an operator (``≥``): the value itself is missing.
            return TargetValue(printed, ValueKind.EMPTY, op=text_op, unit=cell_unit, **common)

    op = type_op if op_raw else "定性"
    return TargetValue(printed, ValueKind.QUALITATIVE, op=op, unit=cell_unit, **common)


# --- helpers ---------------------------------------------------------------------------------


def _clean(text) -> str:
    if text is None:
        return ""
    return (text if isinstance(text, str) else str(text)).strip()


def _normalise(printed: str) -> tuple[str, list[int] | None]:
    """NFKC text and, when it differs from ``printed``, the printed offset of each character."""
    if unicodedata.is_normalized("NFKC", printed):
        return printed, None
    parts: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(printed):
        n = unicodedata.normalize("NFKC", ch)
        parts.append(n)
        index.extend([i] * len(n))
    return "".join(parts), index


def _note(printed: str, index: list[int] | None, end: int) -> str | None:
    """What follows the value, as printed, without the separators around it."""
    if index is None:
        rest = printed[end:]
    elif end >= len(index):
        rest = ""
    else:
        rest = printed[index[end] :]
    rest = rest.strip(_NOTE_STRIP)
    return rest or None


def _combine_units(text_unit: str | None, cell_unit: str | None) -> str | None:
    """The value's own unit wins; a bare ``万`` becomes ``万元`` only when the unit cell says so."""
    if text_unit is None:
        return cell_unit
    if cell_unit and cell_unit != text_unit and cell_unit.startswith(text_unit) and text_unit in ("万", "亿"):
        return cell_unit
    return text_unit


def _decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def _date(s: str, pos: int):
    """``2023年12月31日前``, ``2023年底前``, ``2023年9月底``, ``2023年12月``, ``2023-12-31``; a deadline
    without its year (``11月底``, ``6月30日前``) is a date whose day is unknown (``date`` None)."""
    m = _DATE.match(s, pos)
    if not m:
        month_only = _MONTH_DEADLINE.match(s, pos)
        if month_only and 1 <= int(month_only.group("m")) <= 12:
            return ValueKind.DATE, None, None, None, "≤", month_only.end()
        return None
    year = int(m.group("y"))
    end = m.end()
    before = _BEFORE.match(s, end)
    if m.group("m2"):
        month, day = int(m.group("m2")), int(m.group("d2"))
    elif m.group("m"):
        month = int(m.group("m"))
        day = int(m.group("d")) if m.group("d") else None
    elif m.group("yend") or before:
        month, day = 12, 31
    elif s.startswith("全年", end):
        month, day, end = 12, 31, end + 2  # ``2023年全年``: through the end of that year
        before = _BEFORE.match(s, end)
    else:
        return None  # ``2023年`` alone: a number of years, not a deadline
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        part = m.group("part")
        day = {"上旬": 10, "中旬": 20}.get(part or "", last)
    if not 1 <= day <= last:
        return None
    suffix_op = None
    if before:
        suffix_op = "≤"
        end = before.end()
    return ValueKind.DATE, None, None, f"{year:04d}-{month:02d}-{day:02d}", suffix_op, end


def _number(s: str, pos: int):
    """An Arabic or Chinese number, its unit and a suffix operator."""
    percent_words = _PERCENT_WORDS.match(s, pos)
    start = percent_words.end() if percent_words else pos
    m = _NUMBER.match(s, start)
    chinese = False
    if m:
        value = _decimal(m.group())
        end = m.end()
    else:
        m = _CN_NUMBER.match(s, start)
        if not m:
            return None
        value = _chinese_number(m.group())
        end = m.end()
        chinese = True
    if value is None or _ENUMERATION.match(s, end):  # ``1.获得…``, ``二、制定…``: a numbered list
        return None
    if percent_words:
        unit = "%"
    else:
        unit, end = _unit(s, end, generic=not chinese)
    suffix_op = None
    inclusive = _INCLUSIVE.match(s, end)
    if inclusive:
        end = inclusive.end()
    suffix = _SUFFIX.match(s, end)
    if suffix:
        suffix_op = _SUFFIX_OPS[suffix.group("s")]
        end = suffix.end()
        inclusive = _INCLUSIVE.match(s, end)
        if inclusive:
            end = inclusive.end()
    if end < len(s) and s[end] not in _SEPARATORS:
        if chinese:
            return None  # ``一件事``, ``一般``, ``十分满意``: words, not numbers
        if len(s[end:].rstrip(_NOTE_STRIP)) > _RUN_ON_MAX:
            return None  # ``2023年长沙市政务公开工作…``: a sentence that starts with a number
    return ValueKind.QUANTITATIVE, value, unit, None, suffix_op, end


def _unit(s: str, pos: int, *, generic: bool = True) -> tuple[str | None, int]:
    """The unit right after a number: a known unit, or a short run of letters (``万件``, ``次/年``).

    ``generic=False`` (after a Chinese numeral) accepts known units only: ``一般`` is not 1 般.
    """
    while pos < len(s) and s[pos] in " \t":
        pos += 1
    if pos >= len(s):
        return None, pos
    if s[pos] in "%‰":
        return s[pos], pos + 1
    known = next((u for u in _KNOWN_UNITS if s.startswith(u, pos)), None)
    run = ""
    m = _UNIT_RUN.match(s, pos) if generic else None
    if m:
        run = m.group()
        cut = _SUFFIX_ANYWHERE.search(run)
        if cut:
            run = run[: cut.start()]
        if len(run) > _GENERIC_UNIT_MAX:
            run = ""
    unit = run if len(run) >= len(known or "") else known
    if known and run.startswith(known) and len(run) - len(known) >= 2 and known not in _MONEY_UNITS:
        unit = known  # ``5个社区``: the measure word is the unit, the noun after it is a note
    if known in _MONEY_UNITS and run != known and run[len(known):] in _PER_YEAR:
        unit = known  # ``37.02万一年``: money per year, the period is a note
    if unit in _MONEY_UNITS and (per := _PER_UNIT.match(s, pos + len(unit))):
        unit += per.group()  # ``20万元/场``: a unit cost, not a total
    if not unit:
        return None, pos
    return _UNIT_ALIASES.get(unit, unit), pos + len(unit)


_MONEY_UNITS = ("万元", "万", "元", "亿元")
_PER_YEAR = ("一年", "每年", "/年", "年")
_PER_UNIT = re.compile(r"/(?!年)[\u4e00-\u9fff]{1,2}(?![\u4e00-\u9fff])")

_CN_MAX = 40  # longer runs of numeral characters are words, not numbers
_CN_FRACTION = dict(zip("零〇一二两三四五六七八九", "001223456789", strict=True))


def _chinese_number(numeral: str) -> Decimal | None:
    """A Chinese numeral through cn2an; the decimals after 点 digit by digit, so no float is involved."""
    import cn2an  # slow to import (0.2 s): only when a Chinese numeral occurs

    if len(numeral) > _CN_MAX:
        return None
    whole, _, fraction = numeral.partition("点")
    try:
        integer = cn2an.cn2an(whole, "normal") if whole else 0
        if not isinstance(integer, int):
            return None
        digits = "".join(_CN_FRACTION[c] for c in fraction)
        return Decimal(f"{integer}.{digits}") if digits else Decimal(integer)
    except Exception:  # cn2an raises assorted errors on odd input
        return None

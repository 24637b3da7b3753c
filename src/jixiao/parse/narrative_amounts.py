"""Amounts stated in narrative text (部门预算说明, 自评报告): ``收入预算 5073.08 万元`` → StatedAmount.

What counts as an amount: a number followed by 万元 / 元 / 亿元 / %; a number without a unit
when its label names money (收入, 支出, 经费, 资金, 预算, 拨款, …费 …; read as 万元 with an
``amount-unit-missing`` finding) — unless what the label names after its money word is a rate
(预算执行率, 资金到位率, 三公经费同比减少率, 经费占比: a ratio, not an amount; the indicator rows of a
自评报告's results table read this way); and head counts (人 / 名) whose label names 人数 / 编制 /
在职 / 在编 / 退休 / 实有. Not amounts: years and dates (2023 年, 12 月), other counts (3 辆,
40 个, 24.1 万件), thresholds (50 万元以上, 100万元（含）以上), numbers inside names (12345 政务热线中心, IPV6),
classification codes and 文号 years — an integer alone in brackets (（208类）, （05款）, （01项）,
(2080505), 【30201】, 〔2024〕, [2024], （2024）5号), a 3/5/7-digit code printed against its name
(2080505机关事业单位…) or after 科目/编码/代码.

Units come from where the text states them: beside the number, else in the label (项目资金（元）：
120000, 资金总额（万元）：50), else a ``单位：元`` earlier in the paragraph; only then is 万元
assumed (``amount-unit-missing``). A zero needs no unit (为0, 0 — no finding).

How a label is built — the nearest noun phrase before the number, within its clause:

1. the clause is the text since the last ``，；：。`` (brackets are kept: 因公出国（境）费); right
   after a colon, the clause before it (``收入预算：5073.08万元`` → 收入预算); bracketed codes and a
   bracketed unit are removed from it;
2. it is cut after the last counted quantity (``等 3 家``), then after the last ``、``, then after
   ``的`` (``…单位的机关运行经费`` → 机关运行经费; when what follows ``的`` is generic — 金额,
   资金 — the phrase before it is kept: ``纳入…绩效目标的金额`` → 部门整体支出绩效目标金额);
3. leading noise is removed: list numbers (1、 （一）), years (2023 年, 2021 年度), 其中,
   本部门 / 本单位 / 单位, 纳入, and a scope ending in 单位 (``行政事业单位“三公”经费`` →
   “三公”经费); trailing noise: 为 / 是 / 共 / 达 / 约 and 预算数 (基本支出预算数 → 基本支出);
4. a quoted budget line before the number is the label as printed, quotes kept:
   ``“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元`` →
   ``“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目`` (Shanghai 说明: the 类-款-项
   path, also ``…（类）…（款）…（项）``); ``X项目支出`` becomes the project name ``X项目``; a bare ``占`` becomes ``<previous>占比`` and a
   comparison without subject (``比上年预算增加``) is prefixed with the previous label of the
   sentence (``机关运行经费比上年预算增加``). Spaces are removed.

``change`` is ``increase`` / ``decrease`` when the label ends with a change verb (增加, 上升,
增长, 提高 / 减少, 下降, 降低).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.money import D
from jixiao.model.narrative import StatedAmount
from jixiao.model.source import Location

NUMBER = re.compile(r"(?<![\d.,A-Za-z])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")
_UNIT = re.compile(r"^\s*(万元|亿元|元|%|％|人(?![次民])|名(?!称|单))")
_THRESHOLD = re.compile(r"^\s*(?:[（(]含[)）])?\s*(及)?(以上|以下|以内|左右)")
_MEASURE = re.compile(
    r"^\s*(年|月|日|号|时|分|秒|辆|台|个|项|件|家|次|处|条|所|座|批|户|位|张|套|期|级|类|岗|天|周|倍|万|亿|千|百|米|"
    r"平方|公里|吨|份|本|部|支|页|篇|期|轮|场|间|栋|亩|人次|余|多|款|—|-|~|～|至|\.)"
)
# A classification code or a 文号 year is not an amount: an integer alone in brackets
# (（208类）, （05款）, (2080505), 【30201】, 〔2024〕, [2024], （2024）5号), a 3/5/7-digit code
# printed against its name (2080505机关事业单位…), or an integer after 科目/编码/代码.
_OPEN = "（([【〔［〖"
_CLOSE = "）)]】〕］〗"
_BRACKETED = re.compile(rf"^\s*(类|款|项|级|科目)?\s*[{re.escape(_CLOSE)}]")
_CODE_NAME = re.compile(r"^[\u4e00-\u9fff]")
_CODE_WORD = re.compile(r"(科目|编码|代码|类|款|项)\s*[：:]?\s*$")
# A unit stated in the label: 项目资金（元）, 资金总额（万元）, 金额（单位：元）
_LABEL_UNIT = re.compile(r"[（(]\s*(?:单位\s*[：:]\s*)?(?:人民币)?(万元|亿元|元)\s*[)）]\s*[：:]?\s*$")
# 单位：元 stated in the paragraph before a number without a unit
_STATED_UNIT = re.compile(r"(?:金额)?单位\s*[：:]\s*(?:人民币)?(万元|亿元|元)")
_BRACKET_CODE = re.compile(rf"[{re.escape(_OPEN)}]\s*\d+\s*(?:类|款|项|级)?\s*[{re.escape(_CLOSE)}]")
_MONEY = re.compile(r"收入|支出|经费|资金|预算|拨款|费|金额|总额|结转|结余|采购")
_HEADS = re.compile(r"人数|编制|在职|在编|退休|实有")
_RATE = re.compile(r"率|比例|占比|比重|[%％]")
_CLAUSE_END = re.compile(r"[，,；;：:。！？!?]")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
_COUNTED = re.compile(r"\d+(?:\.\d+)?\s*(?!年|月|日|万元|元)[\u4e00-\u9fff]")
_GENERIC = ("金额", "资金", "数额", "总额", "额度")
_LEAD = re.compile(
    r"^(?:\s+|[（(]|\d{1,2}[、.．](?!\d)|[（(]?[一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|"
    r"\d{4}\s*年度?|其中|另外|此外|同时|纳入|本(?:部门|单位)|单位(?!价值)|部门(?!整体|预算)|共有?)"
)
_TRAIL = re.compile(r"(?:\s+|为|是|共|共计|合计|(?<![未不])达到?|约|预计|预算数)$")
_QUOTED = re.compile(r"“[^“”]{2,}”\s*(科目)?\s*$")
_INCREASE = re.compile(r"(增加|上升|增长|提高|新增|增)$")
_DECREASE = re.compile(r"(减少|下降|降低|压减|缩减|减)$")


@dataclass(frozen=True, slots=True)
class Piece:
    """Where a joined paragraph's text came from: offset in the joined text → its line."""

    offset: int
    location: Location


def extract_amounts(text: str, pieces: list[Piece]) -> tuple[list[StatedAmount], list[Finding]]:
    """Every amount stated in one paragraph (see the module docstring for what and how).

    Args:
        text: the paragraph, markdown removed; fragments of a broken paragraph already joined.
        pieces: the source line of each fragment, by offset (at least one).

    Returns:
        (amounts in text order, ``amount-unit-missing`` findings).
    """
    amounts: list[StatedAmount] = []
    findings: list[Finding] = []
    stated_units: list[re.Match[str]] | None = None
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group()
        if not sentence.strip():
            continue
        previous: str | None = None
        ends = [m.end() for m in _CLAUSE_END.finditer(sentence)]  # once per sentence: linear in its length
        for m in NUMBER.finditer(sentence):
            if _is_code(sentence, m):
                continue
            found = _classify(sentence, m)
            if found is None:
                continue
            unit, missing = found
            clause = _clause_before(sentence, m.start(), ends=ends)
            if not clause.strip():  # 收入预算：5073.08万元 — the label is the clause before the colon
                clause = _clause_before(sentence, m.start(), colon=True, ends=ends)
            if missing and stated_units is None:
                stated_units = list(_STATED_UNIT.finditer(text))
            if missing and (stated := _LABEL_UNIT.search(clause) or _last_stated_unit(stated_units, sm.start() + m.start())):
                unit, missing = stated.group(1), False
            label = make_label(clause, previous)
            if unit in ("人", "名") and not _HEADS.search(label):
                continue
            if missing and not _names_money(label):
                continue
            value = D(m.group())
            if value is None:  # pragma: no cover - NUMBER only matches numbers D reads
                continue
            location = _location(pieces, sm.start() + m.start())
            context = sentence.strip()
            offset = m.start() - (len(sentence) - len(sentence.lstrip()))
            amounts.append(StatedAmount(label, value, unit, location, context, _change(label), period=_period(clause),
                                        offset=offset))
            if missing and value != 0:  # a zero needs no unit
                findings.append(
                    make("amount-unit-missing", location, subject=label, value=m.group(), unit=unit, text=context)
                )
            previous = label
    return amounts, findings


# how far from a number its unit, bracket or code word is looked for: a bounded window keeps a
# sentence of a million characters linear (slicing the rest of it for every number is quadratic)
_NEAR = 64


def _classify(sentence: str, m: re.Match[str]) -> tuple[str, bool] | None:
    """(unit, unit-was-missing) of a number, or None when it is not an amount."""
    after = sentence[m.end() : m.end() + _NEAR]
    unit_match = _UNIT.match(after)
    if unit_match:
        unit = "%" if unit_match.group(1) in ("%", "％") else unit_match.group(1)
        if _THRESHOLD.match(after[unit_match.end() :]):
            return None
        return unit, False
    if _MEASURE.match(after) or _THRESHOLD.match(after):
        return None
    return "万元", True


def _is_code(sentence: str, m: re.Match[str]) -> bool:
    """A classification code or a 文号 year printed as a number (see ``_BRACKETED``)."""
    digits = m.group()
    if not digits.isdigit():
        return False
    before = sentence[max(0, m.start() - _NEAR) : m.start()].rstrip()
    after = sentence[m.end() : m.end() + _NEAR]
    if before.endswith(tuple(_OPEN)) and _BRACKETED.match(after):
        return True
    if len(digits) in (3, 5, 7) and _CODE_NAME.match(after) and not _UNIT.match(after) and not _MEASURE.match(after):
        return True
    return bool(_CODE_WORD.search(before)) and len(digits) in (3, 5, 7)


def _last_stated_unit(stated: list[re.Match[str]], offset: int) -> re.Match[str] | None:
    """The last ``单位：元`` of the paragraph (``stated``: all of them) that ends before ``offset``."""
    i = bisect_right([m.end() for m in stated], offset)
    return stated[i - 1] if i else None


def _clause_before(sentence: str, end: int, colon: bool = False, ends: list[int] | None = None) -> str:
    """The clause before ``end``; with ``colon``, the clause before the colon that ends there.
    ``ends``: the ends of the sentence's clause marks, when the caller has them."""
    stop = end
    if colon:
        found = _colon_start(sentence, end)
        if found is None:
            return ""
        stop = found
    if ends is None:
        ends = [m.end() for m in _CLAUSE_END.finditer(sentence)]
    i = bisect_right(ends, stop)  # clause marks before stop: the last one starts the clause
    start = ends[i - 1] if i else 0
    # 支出预算（单位：元）：… — a colon inside brackets does not end the clause
    while colon and i and _depth(sentence[start:stop]) < 0:
        i -= 1
        start = ends[i - 1] if i else 0
    return sentence[start:stop]


def _depth(text: str) -> int:
    return sum(text.count(c) for c in "（(") - sum(text.count(c) for c in "）)")


def _colon_start(sentence: str, end: int) -> int | None:
    i = end - 1
    while i >= 0 and sentence[i].isspace():
        i -= 1
    return i if i >= 0 and sentence[i] in "：:" else None


def _names_money(label: str) -> bool:
    """Whether a unitless number's label names money: a money word not followed by a rate."""
    ends = [m.end() for m in _MONEY.finditer(label)]
    return bool(ends) and not _RATE.search(label, ends[-1])


def make_label(clause: str, previous: str | None = None) -> str:
    """The label of a number from the clause text before it (module docstring, steps 2–4)."""
    quoted = _QUOTED.search(clause)
    if quoted:
        return re.sub(r"\s+", "", quoted.group(0))
    text = _BRACKET_CODE.sub("", clause.replace("*", ""))
    unit = _LABEL_UNIT.search(text)
    if unit:
        text = text[: unit.start()]
    counted = list(_COUNTED.finditer(text))
    if counted and counted[-1].end() < len(text.rstrip()):
        text = text[counted[-1].end() :]
    if "、" in text.rstrip("、"):
        text = text.rstrip("、").rsplit("、", 1)[1]
    if "的" in text:
        before, after = text.rsplit("的", 1)
        after = _strip(after)
        text = _strip(before) + after if after in _GENERIC else after
    label = _strip(text)
    if "单位" in label[:-2]:
        rest = label[label.rindex("单位") + 2 :]
        label = rest if len(rest) >= 2 else label
    label = re.sub(r"\s+", "", label)
    if label.endswith("项目支出") and len(label) > 4:
        label = label[:-2]
    if previous and (label in ("占", "占比") or label.startswith(("比", "较"))):
        label = previous + ("占比" if label in ("占", "占比") else label)
    return label


def _strip(text: str) -> str:
    text = text.strip()
    while True:
        lead = _LEAD.match(text)
        if lead and lead.end() < len(text):
            text = text[lead.end() :]
            continue
        trail = _TRAIL.search(text)
        if trail and trail.start() > 0:
            text = text[: trail.start()]
            continue
        return text.strip()


_YEAR = re.compile(r"(\d{4})\s*年")
_RELATIVE = re.compile(r"上一?年度?|去年|前一年|本年度?|今年|当年")


def _period(clause: str) -> str | None:
    """The period a clause names: its last year (``2023``; 2023年当年 → 2023), else its last
    relative word (上年, 本年, 当年 …)."""
    years = _YEAR.findall(clause)
    if years:
        return years[-1]
    words = _RELATIVE.findall(clause)
    return re.sub(r"度$", "", words[-1]) if words else None


def _change(label: str) -> str | None:
    if _DECREASE.search(label):
        return "decrease"
    if _INCREASE.search(label):
        return "increase"
    return None


def _location(pieces: list[Piece], offset: int) -> Location:
    location = pieces[0].location
    for piece in pieces:
        if piece.offset <= offset:
            location = piece.location
    return location

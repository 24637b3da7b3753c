"""The 说明 against itself (DOMAIN §6 rule 28, §3.2 B11): an item's amount stated twice in one
paragraph, and the stated changes (增加/减少/增长/下降 N% or N 万元, 持平) recomputed from the
amounts they name.

Stage: rules, over a parsed disclosure's stated amounts (``doc.amounts``); used by
``disclosure_text``. Lookups and arithmetic only: nothing here makes a finding.

* ``restatements``: pairs (first, second) of amounts of one paragraph that state the same item —
  a Shanghai “类-款-项” line and the year's ``预算安排`` after it, the one item a paragraph names
  and a later ``（该项目）预算安排`` of the year, or the same label (收入预算,
  机关运行经费 …) of the same period stated again at the start of a later sentence (an opening
  clause that names a unit or a scope — ``政务中心：基本支出…`` — makes it another item).
* ``stated_changes``: each stated change with the amounts it names: its current amount and, when
  the sentence states it, the amount it is compared with (``2023年当年预算执行数为A，2024年预算安排
  B，比2023年预算执行数减少P%``; ``上年预算Y万元，本年X万元，增加D万元``), else (a 增加/减少 in 万元
  and its percentage) the year's amount of the same topic before it.
* Arithmetic is interval arithmetic (``model.money.value_range``): a printed figure stands for
  every value within half a unit of its last digit, so a percentage recomputed from rounded
  amounts is wrong only when no values in those intervals give it at its printed precision — a
  small base (0.31 → 0.39 万元, 25.81%) never gives a false mismatch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.document import Document
from jixiao.model.money import bounds
from jixiao.model.money import gap
from jixiao.model.money import value_range
from jixiao.model.narrative import StatedAmount
from jixiao.rules._disclosure_text_match import MONEY_UNITS
from jixiao.rules._disclosure_text_match import item_context
from jixiao.rules._disclosure_text_match import stated_wan
from jixiao.rules.disclosure import label

INCREASE = "增加|增长|上升|提高|新增"
DECREASE = "减少|下降|降低|压减|缩减"
_VERB = re.compile(rf"(?:比|较|与|同比)(.*?)(?:{INCREASE}|{DECREASE}|增|减)$")
_FLAT = re.compile(r"(?:比|较|与|同比)([^，,；;。]*?)(基本)?(?:持平|保持不变|无变化|没有变化)")
# a restatement of the item before it (Shanghai: …”科目 X 万元 … 2024年预算安排 Y 万元)
RESTATE = {"预算安排", "预算安排数", "安排", "预算", "预算数", "本年预算", "年初预算", "预算金额", "安排资金", "安排预算"}
_DEMONSTRATIVE = re.compile(r"^(?:该项目|该项|此项|本项目|上述项目|其)")
_GENERIC = RESTATE | {"资金", "金额", "经费", "支出", "收入", "合计", "总计", "小计", "其中"}
# what may stand in the clauses before a restatement (no unit, no scope): years and connectors
_CONNECTOR = re.compile(r"\d{4}\s*年度?|其中|另外|此外|同时|即|也就是|本年度?|今年|全年|[\s、]")
_PREVIOUS_WORDS = ("上年", "上一年", "去年", "前一年")
_CURRENT_WORDS = ("本年", "今年")


def period(p: str | None, year: int | None) -> str:
    """A period normalised against the document's year: ``current``, ``previous`` or as printed."""
    if p is None or p in _CURRENT_WORDS or (year and p == str(year)):
        return "current"
    if p in _PREVIOUS_WORDS or (year and p == str(year - 1)):
        return "previous"
    return p


def year_of(doc: Document) -> int | None:
    """The document's year (its tables'), else the latest year its titles or stated amounts name —
    a budget 说明 states the coming year and compares it with the years before."""
    if doc.year:
        return doc.year
    years = [int(a.period) for a in doc.amounts if a.period and a.period.isdigit() and not a.change]
    titles = [p.text for p in doc.paragraphs if (p.heading or p.section is None) and len(p.text) <= 40]
    years += [int(y) for t in titles for y in re.findall(r"((?:19|20)\d{2})\s*年", t)]
    return max(years) if years else None


def wan_bounds(a: StatedAmount) -> tuple[Decimal, Decimal] | None:
    """The interval a stated money amount stands for, in 万元."""
    factor = MONEY_UNITS.get(a.unit)
    if factor is None:
        return None
    lo, hi = bounds(a.value)
    return lo * factor, hi * factor


def differ(a: StatedAmount, b: StatedAmount, slack: Decimal = Decimal(0)) -> bool:
    """Two stated money amounts that no rounding of their prints makes equal."""
    x, y = wan_bounds(a), wan_bounds(b)
    return x is not None and y is not None and gap(x, y) > slack


_CLAUSE_MARK = re.compile(r"[，,；;：:]")


def _opens_sentence(a: StatedAmount) -> bool:
    """The amount's clause is the first of its sentence that says anything (years, 其中 aside)."""
    if a.offset is None:
        return False
    start = 0  # clause by clause up to the first that says something (never the whole context: quadratic)
    for mark in _CLAUSE_MARK.finditer(a.context, 0, a.offset):
        if _CONNECTOR.sub("", a.context[start : mark.start()]):
            return False
        start = mark.end()
    return True


def restatements(doc: Document) -> list[tuple[int, int]]:
    """(first, second) indices in ``doc.amounts`` of one paragraph's amounts that state the same item."""
    amounts = doc.amounts
    year = year_of(doc)
    items = item_context(doc)
    index = {id(a): i for i, a in enumerate(amounts)}
    pairs: list[tuple[int, int]] = []
    for j, b in enumerate(amounts):
        if b.change or stated_wan(b) is None or b.paragraph is None:
            continue
        name = label(b.label)
        if j in items:  # within 3 lines of its “类-款-项” line (a paragraph the extraction may have broken)
            first = items[j][1]
            if name in RESTATE and period(b.period, year) == "current":
                pairs.append((index[id(first)], j))
            continue
        if not _opens_sentence(b):
            continue
        bare = _DEMONSTRATIVE.sub("", name)
        if bare in RESTATE and period(b.period, year) == "current":
            # 信息化建设项目50.00万元，…。该项目预算安排55.00万元: the one item stated before it
            earlier = [
                i for i in range(j)
                if amounts[i].paragraph == b.paragraph and amounts[i].context != b.context and not amounts[i].change
                and stated_wan(amounts[i]) is not None and period(amounts[i].period, year) == "current"
            ]
            named = [i for i in earlier if label(amounts[i].label) not in _GENERIC]
            if len(named) == 1 and all(label(amounts[i].label) in _GENERIC for i in earlier if i > named[0]):
                pairs.append((named[0], j))
            continue
        if name in _GENERIC or len(name) < 3:
            continue
        same = [
            i for i in range(j)
            if amounts[i].paragraph == b.paragraph and amounts[i].context != b.context and not amounts[i].change
            and label(amounts[i].label) == name and amounts[i].unit in MONEY_UNITS
            and period(amounts[i].period, year) == period(b.period, year)
        ]
        if same:
            pairs.append((same[-1], j))
    return pairs


@dataclass(frozen=True, slots=True)
class StatedChange:
    """A stated change and the amounts it names."""

    index: int  # the change's amount in doc.amounts (for 持平: the current amount)
    kind: str  # "money" (增加 D 万元) | "percent" (增长 P%) | "flat" (持平)
    direction: str  # "increase" | "decrease" | "flat"
    base_text: str  # what it is compared with, as printed: 2023年预算执行数, 上年
    current: int | None  # the amount now
    previous: int | None  # the amount compared with, when the sentence states it
    delta: int | None = None  # for a percentage: the 增加/减少 in 万元 of its sentence
    loose: bool = False  # 基本持平


def _sentences(amounts) -> list[list[int]]:
    """Indices of ``amounts`` grouped by sentence, in order."""
    groups: dict[tuple[int | None, str], list[int]] = {}
    for k, a in enumerate(amounts):
        groups.setdefault((a.paragraph, a.context), []).append(k)
    return list(groups.values())


def _base_period(base_text: str, year: int | None) -> str | None:
    m = re.search(r"(\d{4})\s*年", base_text)
    if m:
        return period(m.group(1), year)
    if any(w in base_text for w in _PREVIOUS_WORDS):
        return "previous"
    return None


def _pick(doc: Document, before: list[int], base_text: str) -> tuple[int | None, int | None]:
    """(current, previous) among the plain money amounts stated before a change in its sentence:
    previous is of the period (or ends with the name) the change compares with, current the last
    other one of the document's year."""
    amounts = doc.amounts
    year = year_of(doc)
    plain = [k for k in before if not amounts[k].change and stated_wan(amounts[k]) is not None]
    wanted = _base_period(base_text, year)
    base_name = re.sub(r"\d{4}\s*年度?|上一?年度?|去年|当年|相比", "", base_text)
    previous = None
    for k in reversed(plain):
        p = period(amounts[k].period, year)
        named = len(base_name) >= 2 and label(amounts[k].label).endswith(base_name)
        if p != "current" and (p == wanted or named or (wanted is None and len(base_name) < 2 and p == "previous")):
            previous = k
            break
    current = next((k for k in reversed(plain) if k != previous and period(amounts[k].period, year) == "current"), None)
    return current, previous


def stated_changes(doc: Document) -> list[StatedChange]:
    """Every stated change of the 说明 with the amounts it names (see the module docstring)."""
    amounts = doc.amounts
    out: list[StatedChange] = []
    for sentence in _sentences(amounts):
        for i in sentence:
            a = amounts[i]
            if a.change not in ("increase", "decrease") or not (a.unit == "%" or stated_wan(a) is not None):
                continue
            before = [k for k in sentence if k < i]
            m = _VERB.search(label(a.label))
            base_text = m.group(1) if m else ""
            kind = "percent" if a.unit == "%" else "money"
            delta = None
            if kind == "percent":
                delta = next((k for k in reversed(before) if amounts[k].change and stated_wan(amounts[k]) is not None), None)
                if delta is not None and not base_text:
                    found = _VERB.search(label(amounts[delta].label))
                    base_text = found.group(1) if found else ""
            current, previous = _pick(doc, [k for k in before if k != delta], base_text)
            if not m and delta is None and previous is None:
                continue  # 增长20% with neither a comparison nor an amount: nothing to recompute
            out.append(StatedChange(i, kind, a.change, base_text, current, previous, delta))
        # 持平: …A万元，…B万元，比…持平 (recomputed when the sentence names both amounts)
        context = amounts[sentence[0]].context
        for m in _FLAT.finditer(context):
            before = [k for k in sentence if amounts[k].offset is not None and amounts[k].offset < m.start()]
            current, previous = _pick(doc, before, m.group(1))
            if current is not None:
                out.append(StatedChange(current, "flat", "flat", m.group(1), current, previous, loose=bool(m.group(2))))
    return sorted(out, key=lambda c: c.index)


def percent_range(now: StatedAmount | Decimal, then: StatedAmount | Decimal) -> tuple[Decimal, Decimal] | None:
    """(now − then) / then × 100 over the printed intervals (a table figure is exact)."""
    return _range(lambda x, y: (x - y) / y * 100 if y > 0 else None, now, then)


def delta_percent_range(delta: StatedAmount, now: StatedAmount | Decimal, direction: str) -> tuple[Decimal, Decimal] | None:
    """A 增加/减少 D 万元's percentage of the year before (D / (now ∓ D) × 100) over the intervals."""
    sign = -1 if direction == "increase" else 1
    return _range(lambda d, x: d / (x + sign * d) * 100 if x + sign * d > 0 else None, delta, now)


def difference_range(now: StatedAmount, then: StatedAmount) -> tuple[Decimal, Decimal] | None:
    return _range(lambda x, y: x - y, now, then)


def _range(f, *args: StatedAmount | Decimal) -> tuple[Decimal, Decimal] | None:
    """``f`` over the intervals of stated amounts (in 万元) and exact table figures."""
    printed: list[Decimal] = []
    factors: list[Decimal | None] = []
    for a in args:
        if isinstance(a, StatedAmount):
            factor = MONEY_UNITS.get(a.unit)
            if factor is None:
                return None
            printed.append(a.value)
            factors.append(factor)
        else:
            printed.append(a)
            factors.append(None)

    def scaled(*values: Decimal) -> Decimal | None:
        real = [v * f if f is not None else exact for v, f, exact in zip(values, factors, printed, strict=True)]
        return f(*real)

    return value_range(scaled, *printed)

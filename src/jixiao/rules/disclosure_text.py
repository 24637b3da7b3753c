"""The 部门预算说明 against the tables and against itself (DOMAIN §6 rule 28 BUD-TEXT-TABLE, §3.2 B11).

A stated amount is given a topic from its label (收入, 财政拨款支出, 基本支出, 机关运行经费, 公务接待费,
a 功能分类 类 name …) and compared with every table figure of that topic; it is reported only when
it matches none of them (the printed precision, at least 0.01 万元). Topics are precise: 财政拨款支出
is the 财政拨款 table's 本年支出, 一般公共预算 its table, never 支出总计 of all funds.

The 说明 against itself (``_disclosure_changes``): an item stated twice in one paragraph with two
figures (a Shanghai “类-款-项” line and the year's 预算安排 after it; the same label restated) is
``text-text-mismatch``, naming both places and, when a table has the item, which of the two it
agrees with. A stated change — 增加/减少 D 万元, 增长/下降 P%, 持平 — is recomputed from the amounts it
names, in its direction (a 增加 when the amounts fall is wrong), by interval arithmetic on the
printed figures (``change-mismatch``): P% against 本年 and D (P = D / (本年 ∓ D)), or against the two
amounts of its sentence (``2023年当年预算执行数为A万元，2024年预算安排B万元，比2023年预算执行数减少
P%``: P = (B − A) / A); D against those two amounts; 持平 needs them equal (基本持平: within 5%).
The slack beyond the intervals is ``tolerance_pct`` (0.1 percentage point) for percentages and the
text tolerance for amounts.

One error, one finding: an amount that disagrees with the table is reported as that amount; a
percentage or a restatement that follows from the table's figure (or from the item's other
statement) is not reported again, and both statements of a restated item are covered by its one
``text-text-mismatch``.

A change's reason may be in its paragraph, the next one, or a later paragraph of its section that
names the same direction and the item or no other item (``财政拨款收入支出减少的主要原因是项目调整``).
In a Shanghai list, a reason that names the item with the other direction (``减少2.98%。主要原因是：
宣传事务一般行政管理事务经费增加``) or names another item of the list (a reason copied from the
item above) is ``change-reason-contradicts`` (warning).

Shanghai 说明 list the 财政拨款支出 by 功能分类 line: ``“一般公共服务支出-政府办公厅（室）及相关
机构事务-行政运行”科目1,202.95万元`` (or ``“…（类）…（款）…（项）”``); the line is found by its 类/款/项
names in the 一般公共预算 / 政府性基金 / 国有资本经营预算 功能分类 tables (else 支出预算总表) and
its amount, and the year's ``预算安排`` stated after it, must equal that row. 机关运行经费 is
compared with the 三公 table's 机关运行经费 column when the table has one (Shanghai: it covers the
行政 and 参公 units only), else with 基本支出表 公用经费.

Stage: rules. The table figures are gathered by ``_disclosure_figures``, the 说明's amounts are
given topics by ``_disclosure_text_match`` and paired with their changes by ``_disclosure_changes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.money import bounds
from jixiao.model.money import fmt_wan
from jixiao.model.money import gap
from jixiao.model.narrative import StatedAmount
from jixiao.model.source import Location
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules._disclosure_changes import DECREASE
from jixiao.rules._disclosure_changes import INCREASE
from jixiao.rules._disclosure_changes import StatedChange
from jixiao.rules._disclosure_changes import delta_percent_range
from jixiao.rules._disclosure_changes import difference_range
from jixiao.rules._disclosure_changes import percent_range
from jixiao.rules._disclosure_changes import restatements
from jixiao.rules._disclosure_changes import stated_changes
from jixiao.rules._disclosure_figures import Figure
from jixiao.rules._disclosure_figures import figures
from jixiao.rules._disclosure_text_match import MONEY_UNITS
from jixiao.rules._disclosure_text_match import REASON
from jixiao.rules._disclosure_text_match import base_of
from jixiao.rules._disclosure_text_match import item_context
from jixiao.rules._disclosure_text_match import item_path
from jixiao.rules._disclosure_text_match import squash
from jixiao.rules._disclosure_text_match import stated_wan
from jixiao.rules._disclosure_text_match import topic_of
from jixiao.rules.disclosure import PROFILES
from jixiao.rules.disclosure import label
from jixiao.rules.disclosure import shown
from jixiao.rules.disclosure import sum_check
from jixiao.rules.disclosure import tolerance

_TABLE_KINDS = ("budget_overview", "expenditure", "three_public", "basic_expenditure")


def where(location: Location) -> str:
    """A place in the document for a message: 第 3 页 (PDF), 第 12 段 (Word), 第 154 行 (text)."""
    if location.page is not None:
        return f"第 {location.page} 页"
    if location.sheet is not None:
        return f"{location.sheet}!{location.cell or ''}"
    if location.paragraph is not None:
        return f"第 {location.paragraph} 段"
    if location.line is not None:
        return f"第 {location.line} 行"
    return "同段"


class _Text:
    """What the rule knows about one document: table figures, restatements, items."""

    def __init__(self, ctx: Context, doc: Document) -> None:
        self.ctx = ctx
        self.doc = doc
        self.amounts = doc.amounts
        self.has_tables = any(t.kind in _TABLE_KINDS for t in doc.tables)
        self.figs = figures(doc) if self.has_tables else {}
        self.classes = {k[6:]: v for k, v in self.figs.items() if k.startswith("class:")}
        self.items = item_context(doc)
        self.pairs = restatements(doc)
        self.partner: dict[int, list[int]] = {}
        for i, j in self.pairs:
            self.partner.setdefault(i, []).append(j)
            self.partner.setdefault(j, []).append(i)

    def table_figures(self, i: int) -> list[Figure]:
        """The table figures amount ``i`` states: its “类-款-项” row, the row of the item it restates, or its topic."""
        a = self.amounts[i]
        path = item_path(a.label)
        if path:
            return self.figs.get(f"item:{path}", [])
        if i in self.items and self.items[i][0] and any(i in (x, y) for x, y in self.pairs):
            return self.figs.get(f"item:{self.items[i][0]}", [])
        topic = topic_of(a.label, self.classes)
        return self.figs.get(topic, []) if topic else []

    def agrees(self, value: Decimal, figs: list[Figure]) -> bool:
        return any(abs(value - f.value) <= tolerance(self.ctx, "text", [value, f.value]) for f in figs)

    def alternatives(self, i: int) -> list[Decimal]:
        """Other figures for amount ``i``: the table's, and the item's other statement in its paragraph."""
        values = [f.value for f in self.table_figures(i)]
        values += [v for k in self.partner.get(i, []) if (v := stated_wan(self.amounts[k])) is not None]
        return values


def _mismatch(t: _Text, a: StatedAmount, figs: list[Figure], prefer: str | None, subject: str | None = None) -> Finding | None:
    value = stated_wan(a)
    if value is None or not figs or t.agrees(value, figs):
        return None
    best = next((f for f in figs if prefer and f.basis.endswith(prefer)), figs[0])
    return make("text-table-mismatch", a.location, subject=subject or shown(a.label) or "说明", basis=best.basis,
                expected=f"{fmt_wan(best.value)} 万元", actual=f"{fmt_wan(value)} 万元",
                difference=f"{fmt_wan(abs(value - best.value))} 万元", source_text=a.context or None)


def _restated(t: _Text) -> Iterator[Finding]:
    """An item stated twice in one paragraph with two figures: one finding, at the wrong one."""
    for i, j in t.pairs:
        a, b = t.amounts[i], t.amounts[j]
        x, y = stated_wan(a), stated_wan(b)
        if x is None or y is None or abs(x - y) <= tolerance(t.ctx, "text", [x, y]):
            continue
        figs = t.table_figures(i) or t.table_figures(j)
        wrong, right, table = b, a, ""
        if figs:
            ok_a, ok_b = t.agrees(x, figs), t.agrees(y, figs)
            basis = f"；{figs[0].basis}为 {fmt_wan(figs[0].value)} 万元"
            if ok_a and not ok_b:
                table = f"{basis}，与{where(a.location)}一致"
            elif ok_b and not ok_a:
                wrong, right = a, b
                table = f"{basis}，与{where(b.location)}一致"
            else:
                table = f"{basis}，两处{'均一致' if ok_a else '均不一致'}"
        subject = shown(a.label) if item_path(a.label) else shown(b.label)
        yield make("text-text-mismatch", wrong.location, subject=subject,
                   first_at=f"{where(a.location)}{_quoted(a.label)}", first=f"{fmt_wan(x)} 万元",
                   second_at=f"{where(b.location)}{_quoted(b.label)}", second=f"{fmt_wan(y)} 万元", table=table,
                   expected=f"{fmt_wan(stated_wan(right))} 万元", actual=f"{fmt_wan(stated_wan(wrong))} 万元",
                   source_text=wrong.context or None)


def _quoted(name: str) -> str:
    text = shown(name)
    return text if text.startswith("“") else f"“{text}”"


def _word(value: Decimal) -> str:
    return "增长" if value > 0 else "下降" if value < 0 else "持平"


def _quantize(value: Decimal, like: Decimal) -> Decimal:
    exponent = like.as_tuple().exponent
    places = Decimal(1).scaleb(exponent) if isinstance(exponent, int) and exponent < 0 else Decimal("0.01")
    return value.quantize(places)


def _direction_note(stated: Decimal, expected: tuple[Decimal, Decimal]) -> str:
    if (stated > 0 and expected[1] < 0) or (stated < 0 and expected[0] > 0):
        return "（增减方向相反）"
    return ""


def _subject(t: _Text, c: StatedChange, current: StatedAmount | None) -> str:
    name = shown(current.label) if current is not None else re.split(r"比|较|与|同比", shown(t.amounts[c.index].label))[0]
    item = t.items.get(c.current if c.current is not None else c.index)
    base = c.base_text or "上年"
    if item is not None:
        return f"{shown(item[1].label)}（{name}较{base}变动）"
    return f"{name}较{base}变动"


def _percent(t: _Text, c: StatedChange) -> Finding | None:
    a = t.amounts[c.index]
    slack = Decimal(str(t.ctx.options.get("tolerance_pct", "0.1")))
    stated = a.value if c.direction == "increase" else -a.value
    if c.current is not None and c.previous is not None:
        now, then = t.amounts[c.current], t.amounts[c.previous]
        expected = percent_range(now, then)
        alternatives = [percent_range(v, then) for v in t.alternatives(c.current)]
        basis = f"{shown(now.label)} {fmt_wan(stated_wan(now))} 万元、{shown(then.label)} {fmt_wan(stated_wan(then))} 万元"
        exact = _exact(lambda: (stated_wan(now) - stated_wan(then)) / stated_wan(then) * 100)
        current = now
    elif c.delta is not None:
        delta = t.amounts[c.delta]
        base = t.amounts[c.current] if c.current is not None else base_of(t.amounts, c.delta, t.classes)
        if base is None or stated_wan(base) is None:
            return None
        index = t.amounts.index(base)
        sign = 1 if delta.change == "increase" else -1
        signed = _signed(delta_percent_range(delta, base, delta.change), sign)
        expected = signed
        alternatives = [_signed(delta_percent_range(delta, v, delta.change), sign) for v in t.alternatives(index)]
        d, now = stated_wan(delta), stated_wan(base)
        before = now - d if delta.change == "increase" else now + d
        word = "增加" if delta.change == "increase" else "减少"
        basis = f"本年 {fmt_wan(now)} 万元、{word} {fmt_wan(d)} 万元（上年 {fmt_wan(before)} 万元）"
        exact = _exact(lambda: sign * d / before * 100)
        current = base
    else:
        return None
    if expected is None or exact is None:
        return None
    if gap(bounds(stated), expected) <= slack or any(r is not None and gap(bounds(stated), r) <= slack for r in alternatives):
        return None
    shown_exact = _quantize(exact, a.value)
    return make("change-mismatch", a.location, subject=_subject(t, c, current), stated=f"{shown(a.label)} {a.value}%",
                basis=basis,
                expected=f"{_word(shown_exact)} {abs(shown_exact)}%", detail=_direction_note(stated, expected),
                actual=f"{shown(a.label)} {a.value}%", source_text=a.context or None)


def _signed(r: tuple[Decimal, Decimal] | None, sign: int) -> tuple[Decimal, Decimal] | None:
    if r is None:
        return None
    return (r[0], r[1]) if sign > 0 else (-r[1], -r[0])


def _exact(f) -> Decimal | None:
    try:
        return f()
    except (ArithmeticError, TypeError):
        return None


def _money(t: _Text, c: StatedChange) -> Finding | None:
    """增加/减少 D 万元 against the two amounts of its sentence; 持平 against them too."""
    if c.current is None or c.previous is None:
        return None
    now, then = t.amounts[c.current], t.amounts[c.previous]
    expected = difference_range(now, then)
    if expected is None:
        return None
    difference = stated_wan(now) - stated_wan(then)
    basis = f"{shown(now.label)} {fmt_wan(stated_wan(now))} 万元、{shown(then.label)} {fmt_wan(stated_wan(then))} 万元"
    a = t.amounts[c.index]
    if c.kind == "flat":
        if c.loose:
            pct = percent_range(now, then)
            if pct is None or gap(pct, (Decimal(-5), Decimal(5))) == 0:
                return None
        elif gap(expected, (Decimal(0), Decimal(0))) == 0:
            return None
        stated_text = f"较{c.base_text}{'基本' if c.loose else ''}持平"
        detail = ""
        if any(gap(difference_range_value(v, then), (Decimal(0), Decimal(0))) == 0 for v in t.alternatives(c.current)):
            return None
    else:
        delta = stated_wan(a)
        stated = delta if c.direction == "increase" else -delta
        lo, hi = bounds(a.value)
        factor = MONEY_UNITS[a.unit]
        stated_range = (lo * factor, hi * factor) if stated > 0 else (-hi * factor, -lo * factor)
        if gap(stated_range, expected) <= Decimal(t.ctx.tolerance_text):
            return None
        stated_text = shown(a.label) + f" {a.value}{a.unit}"
        detail = _direction_note(stated, expected)
    word = "增加" if difference > 0 else "减少" if difference < 0 else "持平"
    return make("change-mismatch", a.location, subject=_subject(t, c, now), stated=stated_text, basis=basis,
                expected=f"{word} {fmt_wan(abs(difference))} 万元" if difference else "持平", detail=detail,
                actual=stated_text, source_text=a.context or None)


def difference_range_value(value: Decimal, then: StatedAmount) -> tuple[Decimal, Decimal]:
    lo, hi = bounds(then.value)
    factor = MONEY_UNITS.get(then.unit, Decimal(1))
    return value - hi * factor, value - lo * factor


_DIRECTIONS = {"increase": INCREASE + "|增", "decrease": DECREASE + "|减"}


def _has_reason(t: _Text, a: StatedAmount) -> bool:
    """The change's reason: in its paragraph (from its sentence on) or the next one, or in a later
    paragraph of its section that names its direction and its item (or no other item)."""
    paragraphs = t.doc.paragraphs
    if a.paragraph is None or a.paragraph >= len(paragraphs):
        return True  # nowhere to look: never report what cannot be checked
    here = paragraphs[a.paragraph]
    text = here.text
    start = squash(text).find(squash(a.context))
    after = squash(text)[max(start, 0) :]
    following = paragraphs[a.paragraph + 1] if a.paragraph + 1 < len(paragraphs) else None
    if REASON.search(after) or (following is not None and not following.heading and REASON.search(following.text)):
        return True
    direction = _DIRECTIONS.get(a.change or "", "")
    item = re.split(r"比|较|与|同比", label(a.label))[0]
    item = re.sub(r"(预算)?(数)?$", "", item)
    topic = topic_of(item, t.classes)
    for p in paragraphs[a.paragraph + 1 :]:
        if p.section != here.section or (p.heading and p is not here):
            break
        for sentence in re.split(r"[。；;]", p.text):
            m = re.search(direction, sentence) if direction else None
            if not m or not REASON.search(sentence):
                continue
            subject = label(sentence[: m.start()])
            if (item and item in subject) or topic_of(subject, t.classes) in (None, topic):
                return True
    return False


def _changes(t: _Text) -> Iterator[Finding | None]:
    for c in stated_changes(t.doc):
        a = t.amounts[c.index]
        if c.kind == "percent":
            yield _percent(t, c)
        else:
            yield _money(t, c)
        # a percentage after its 增加/减少 in 万元 shares that one's reason; 持平 needs none
        needs_reason = c.kind == "money" or (c.kind == "percent" and c.delta is None)
        if needs_reason and not _has_reason(t, a):
            yield _reason_missing(a)


def _reason_missing(a: StatedAmount) -> Finding:
    direction = "增加" if a.change == "increase" else "减少"
    amount = f"{fmt_wan(stated_wan(a))} 万元" if a.unit in MONEY_UNITS else f"{a.value}%"
    return make("change-reason-missing", a.location, subject=shown(a.label), direction=direction,
                amount=amount, expected="说明增减原因", actual="未说明原因", source_text=a.context or None)


_ITEM_REASON = re.compile(r"(?:主要)?原因(?:是|为|在于)?[：:]?\s*([^。；;，,]{2,60}?)(?:经费|支出|资金)?(增加|增长|上升|减少|下降|降低|保持不变|持平|不变)")
_REASON_WORDS = {"增加": "increase", "增长": "increase", "上升": "increase", "减少": "decrease", "下降": "decrease",
                 "降低": "decrease", "保持不变": "flat", "持平": "flat", "不变": "flat"}


_DIRECTION_WORD = {"increase": "增加", "decrease": "减少", "flat": "持平"}


def _item_names(path: str) -> set[str]:
    """How a reason may name a 功能分类 line: its 项, or 款 + 项 (宣传事务一般行政管理事务)."""
    parts = path.split("/")
    names = {parts[-1]}
    if len(parts) >= 2:
        names.add(parts[-2] + parts[-1])
    return {n for n in names if len(n) >= 2}


def _item_reasons(t: _Text) -> Iterator[Finding | None]:
    """Shanghai lists: the reason given after an item's change names that item with the change's
    direction (``减少2.98%。主要原因是：宣传事务一般行政管理事务经费增加`` contradicts it) and not
    another item of the list (a reason copied from the item above)."""
    paths = {item_path(a.label) for a in t.amounts if item_path(a.label)}
    names = {p: _item_names(p) for p in paths if p}
    done: set[int] = set()
    for c in stated_changes(t.doc):
        anchor = c.current if c.current is not None else c.index
        item = t.items.get(anchor) or t.items.get(c.index)
        if item is None or c.kind not in ("percent", "flat") or id(item[1]) in done:
            continue
        a = t.amounts[c.index]
        paragraph = t.doc.paragraphs[a.paragraph].text if a.paragraph is not None else ""
        after = squash(paragraph)[squash(paragraph).find(squash(a.context)) + len(squash(a.context)) :]
        if a.paragraph is not None and a.paragraph + 1 < len(t.doc.paragraphs):
            following = t.doc.paragraphs[a.paragraph + 1]
            if not following.heading and not item_path(following.text.split("”")[0] + "”"):
                after += squash(following.text)
        m = _ITEM_REASON.match(after) or _ITEM_REASON.search(after[:40])
        if not m:
            continue
        said, direction = squash(m.group(1)).lstrip("：:"), _REASON_WORDS[m.group(2)]
        own = names.get(item[0], set())
        others = {n for p, ns in names.items() if p != item[0] for n in ns} - own
        stated = f"较{c.base_text}持平" if c.kind == "flat" else f"{shown(a.label)} {a.value}%"
        detail = None
        if said in own and direction != c.direction:
            detail = "增减方向相反"
        elif said not in own and said in others:
            detail = f"所写为另一科目“{said}”"
        if detail:
            done.add(id(item[1]))
            yield make("change-reason-contradicts", a.location, subject=shown(item[1].label), stated=stated,
                       reason=m.group(0).lstrip("主要原因是为：: "), detail=detail,
                       expected=f"本科目“{item[0].split('/')[-1]}”{_DIRECTION_WORD[c.direction]}的原因",
                       actual=m.group(0), source_text=a.context or None)


def _items(t: _Text) -> Iterator[Finding | None]:
    """A 功能分类 line of the 说明 (``“类-款-项”科目 X 万元``) and the year's ``预算安排`` stated after
    it equal the table row of that path (a restated item is reported once, by ``_restated``)."""
    doc = t.doc
    year = f"{doc.year}年预算安排" if doc.year else None
    covered = t.partner
    for i, a in enumerate(t.amounts):
        path = item_path(a.label)
        if path:
            if not _pair_differs(t, i):
                yield _mismatch(t, a, t.figs.get(f"item:{path}", []), None)
            continue
        current = t.items.get(i)
        if current is None or a.change is not None or stated_wan(a) is None or (i in covered and _pair_differs(t, i)):
            continue
        if label(a.label) in ("预算安排", "预算安排数") and year and year in squash(a.context):
            yield _mismatch(t, a, t.figs.get(f"item:{current[0]}", []), None,
                            subject=f"{shown(current[1].label)}（{doc.year}年预算安排）")


def _pair_differs(t: _Text, i: int) -> bool:
    x = stated_wan(t.amounts[i])
    return any(
        (y := stated_wan(t.amounts[k])) is not None and x is not None
        and abs(x - y) > tolerance(t.ctx, "text", [x, y])
        for k in t.partner.get(i, [])
    )


def _procurement(ctx: Context, doc: Document) -> Iterator[Finding | None]:
    """政府采购预算总额 = 货物 + 工程 + 服务 (stated in one paragraph)."""
    for a in doc.amounts:
        if a.change or "政府采购" not in label(a.label) or stated_wan(a) is None:
            continue
        parts = {}
        for b in doc.amounts:
            name = label(b.label)
            if b is a or b.context != a.context or stated_wan(b) is None:
                continue
            for part in ("货物", "工程", "服务"):
                if part in name and "政府采购" not in name:
                    parts.setdefault(part, stated_wan(b))
        if parts:
            yield sum_check(ctx, a.location, "政府采购", f"{shown(a.label)}（{' + '.join(parts)}）", stated_wan(a),
                            list(parts.values()), source_text=a.context or None)


@rule("disclosure.text-table", codes=("text-table-mismatch", "text-text-mismatch", "change-mismatch",
                                      "change-reason-missing", "change-reason-contradicts", "amount-sum-mismatch"),
      family="disclosure", profiles=PROFILES)
def check_text_table(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 28 BUD-TEXT-TABLE (§3.2 B11; G C-003, R009, BUD-T006): amounts in the 部门预算说明
    equal the tables (收入/支出 totals, 财政拨款 收入/支出, 一般公共预算, 基本/项目, 功能分类 类 and,
    Shanghai, each “类-款-项” line and its 预算安排, 机关运行经费 = 三公表 机关运行经费 or else 基本支出表
    公用经费, "三公" total and parts) and themselves (an item stated twice in a paragraph);
    政府采购 = 货物 + 工程 + 服务; a stated change (增加/减少 D 万元, 增长/下降 P%, 持平) recomputes
    from the amounts it names, in its direction, within the rounding of the printed figures, and
    gives a reason ("主要是…", warning). One error gives one finding."""
    if not doc.amounts:
        return
    t = _Text(ctx, doc)
    found: list[Finding | None] = [*_restated(t), *_changes(t), *_item_reasons(t)]
    if t.has_tables:
        for i, a in enumerate(doc.amounts):
            if a.change is not None or a.unit not in MONEY_UNITS or item_path(a.label) or _pair_differs(t, i):
                continue
            topic = topic_of(a.label, t.classes)
            if topic:
                prefer = next((c for c in ("项目支出", "基本支出") if c in (a.context or "").split(str(a.value))[0]), None)
                found.append(_mismatch(t, a, t.figs.get(topic, []), prefer if topic.startswith("class:") else None))
        found += [*_items(t), *_procurement(ctx, doc)]
    yield from (f for f in found if f)

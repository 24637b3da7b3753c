"""The 部门预算说明 against the tables (DOMAIN §6 rule 28 BUD-TEXT-TABLE, §3.2 B11).

A stated amount is given a topic from its label (收入, 基本支出, 机关运行经费, 公务接待费, a 功能
分类 类 name …) and compared with every table figure of that topic; it is reported only when it
matches none of them (0.5 万元, DOMAIN's text-vs-table tolerance). A stated change (增加/减少 X 万元,
Y%) is recomputed from the year's amount: Y = X / (本年 − X) for an increase, X / (本年 + X) for a
decrease, within 0.1 percentage point. A change given only as a percentage against an amount of
the same sentence (Shanghai: ``2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年
预算执行数减少57.14%``) is recomputed as (本年 − 基数) / 基数. A change's reason may be in its
paragraph, the next one, or a later paragraph of its section that names the same item and
direction (``财政拨款收入支出减少的主要原因是项目调整``).

Shanghai 说明 list the 财政拨款支出 by 功能分类 line: ``“一般公共服务支出-政府办公厅（室）及相关
机构事务-行政运行”科目1,202.95万元`` (or ``“…（类）…（款）…（项）”``); the line is found by its 类/款/项
names in the 一般公共预算 / 政府性基金 / 国有资本经营预算 功能分类 tables (else 支出预算总表) and
its amount, and the year's ``预算安排`` stated after it, must equal that row. 机关运行经费 is
compared with the 三公 table's 机关运行经费 column when the table has one (Shanghai: it covers the
行政 and 参公 units only), else with 基本支出表 公用经费.

Stage: rules. This module holds the rule and its checks; the table figures are gathered by
``_disclosure_figures``, the 说明's amounts are given topics and contexts by
``_disclosure_text_match``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.money import fmt_wan
from jixiao.model.money import precision_of
from jixiao.model.narrative import StatedAmount
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules._disclosure_figures import Figure
from jixiao.rules._disclosure_figures import figures
from jixiao.rules._disclosure_text_match import MONEY_UNITS
from jixiao.rules._disclosure_text_match import REASON
from jixiao.rules._disclosure_text_match import base_of
from jixiao.rules._disclosure_text_match import item_context
from jixiao.rules._disclosure_text_match import item_path
from jixiao.rules._disclosure_text_match import paragraph_of
from jixiao.rules._disclosure_text_match import percent_after
from jixiao.rules._disclosure_text_match import reason_later
from jixiao.rules._disclosure_text_match import squash
from jixiao.rules._disclosure_text_match import stated_wan
from jixiao.rules._disclosure_text_match import topic_of
from jixiao.rules.disclosure import PROFILES
from jixiao.rules.disclosure import label
from jixiao.rules.disclosure import shown
from jixiao.rules.disclosure import sum_check
from jixiao.rules.disclosure import tolerance


def _mismatch(ctx: Context, a: StatedAmount, figs: list[Figure], prefer: str | None, subject: str | None = None) -> Finding | None:
    value = stated_wan(a)
    if value is None or not figs:
        return None
    for f in figs:
        if abs(value - f.value) <= tolerance(ctx, "text", [value, f.value]):
            return None
    best = next((f for f in figs if prefer and f.basis.endswith(prefer)), figs[0])
    return make("text-table-mismatch", a.location, subject=subject or shown(a.label) or "说明", basis=best.basis,
                expected=f"{fmt_wan(best.value)} 万元", actual=f"{fmt_wan(value)} 万元",
                difference=f"{fmt_wan(abs(value - best.value))} 万元", source_text=a.context or None)


def _changes(ctx: Context, doc: Document, classes) -> Iterator[Finding | None]:
    amounts = list(doc.amounts)
    for i, a in enumerate(amounts):
        delta = stated_wan(a)
        if a.change not in ("increase", "decrease") or delta is None:
            continue
        direction = "增加" if a.change == "increase" else "减少"
        paragraph = paragraph_of(doc, a)
        if paragraph is not None and not REASON.search(paragraph) and not reason_later(doc, a, direction):
            yield make("change-reason-missing", a.location, subject=shown(a.label), direction=direction,
                       amount=fmt_wan(delta), expected="说明增减原因", actual="未说明原因", source_text=a.context or None)
        pct, base = percent_after(amounts, i), base_of(amounts, i, classes)
        current = stated_wan(base) if base else None
        if pct is None or current is None:
            continue
        previous = current - delta if a.change == "increase" else current + delta
        if previous <= 0:
            continue
        expected = (delta / previous * 100).quantize(Decimal("0.01"))
        tol = max(Decimal(str(ctx.options.get("tolerance_pct", "0.1"))), precision_of(pct.value))
        wrong_way = bool(re.search(r"下降|减少|降低" if a.change == "increase" else r"增长|增加|上升|提高", pct.label))
        if abs(pct.value - expected) > tol or wrong_way:
            word = "下降" if a.change == "decrease" else "增长"
            yield make("text-table-mismatch", pct.location, subject=f"{shown(base.label)}较上年变动",
                       basis=f"按本年 {fmt_wan(current)} 万元、{direction} {fmt_wan(delta)} 万元计算（上年 {fmt_wan(previous)} 万元）",
                       expected=f"{word} {expected}%", actual=f"{shown(pct.label)} {pct.value}%",
                       difference=f"{abs(pct.value - expected).quantize(Decimal('0.01'))} 个百分点",
                       source_text=pct.context or None)


_YEAR = re.compile(r"^(20\d\d年度?|当年|本年|上年)+")


def _pct_changes(ctx: Context, doc: Document) -> Iterator[Finding | None]:
    """``…执行数为A万元，…预算安排B万元，比…执行数增加P%``: P = (B − A) / A, in one sentence."""
    amounts = list(doc.amounts)
    items = item_context(doc)
    for i, p in enumerate(amounts):
        m = re.search(r"比(.+?)(增加|减少|增长|下降|上升|降低)$", label(p.label))
        if p.unit != "%" or p.change is None or not m:
            continue
        base_name = _YEAR.sub("", m.group(1))
        before = [a for a in amounts[:i] if a.context == p.context and a.change is None and stated_wan(a) is not None]
        if len(before) < 2 or not base_name:
            continue
        current = before[-1]
        base = next((a for a in reversed(before[:-1]) if _YEAR.sub("", label(a.label)) == base_name), None)
        if base is None or not stated_wan(base):
            continue
        now, then = stated_wan(current), stated_wan(base)
        if now is None or then is None or then <= 0:
            continue
        expected = ((now - then) / then * 100).quantize(Decimal("0.01"))
        word = "增长" if expected >= 0 else "下降"
        stated = -p.value if p.change == "decrease" else p.value
        tol = max(Decimal(str(ctx.options.get("tolerance_pct", "0.1"))), precision_of(p.value))
        if abs(stated - expected) > tol:
            item = f"{shown(items[i][1].label)}（{shown(current.label)}较{base_name}变动）" if i in items else None
            yield make("text-table-mismatch", p.location, subject=item or f"{shown(current.label)}较{base_name}变动",
                       basis=f"按{shown(current.label)} {fmt_wan(now)} 万元、{shown(base.label)} {fmt_wan(then)} 万元计算",
                       expected=f"{word} {abs(expected)}%", actual=f"{shown(p.label)} {p.value}%",
                       difference=f"{abs(stated - expected).quantize(Decimal('0.01'))} 个百分点",
                       source_text=p.context or None)


def _items(ctx: Context, doc: Document, figs: dict[str, list[Figure]]) -> Iterator[Finding | None]:
    """A 功能分类 line of the 说明 (``“类-款-项”科目 X 万元``) and the year's ``预算安排`` stated after
    it in the same paragraph equal the table row of that path."""
    year = f"{doc.year}年预算安排" if doc.year else None
    items = item_context(doc)
    for i, a in enumerate(doc.amounts):
        path = item_path(a.label)
        if path:
            yield _mismatch(ctx, a, figs.get(f"item:{path}", []), None)
            continue
        current = items.get(i)
        if current is None or a.change is not None or stated_wan(a) is None:
            continue
        if label(a.label) in ("预算安排", "预算安排数") and year and year in squash(a.context):
            yield _mismatch(ctx, a, figs.get(f"item:{current[0]}", []), None,
                            subject=f"{shown(current[1].label)}（{doc.year}年预算安排）")


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


@rule("disclosure.text-table", codes=("text-table-mismatch", "change-reason-missing", "amount-sum-mismatch"),
      family="disclosure", profiles=PROFILES)
def check_text_table(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 28 BUD-TEXT-TABLE (§3.2 B11; G C-003, R009, BUD-T006): amounts in the 部门预算说明
    equal the tables (收入/支出 totals, 财政拨款, 基本/项目, 功能分类 类 and, Shanghai, each “类-款-项”
    line and its 预算安排, 机关运行经费 = 三公表 机关运行经费 or else 基本支出表 公用经费, "三公" total and
    parts); 政府采购 = 货物 + 工程 + 服务; a stated change 增加/减少 X 万元, Y% recomputes (Y = X / 上年),
    as does a percentage against a base stated in the same sentence (比…执行数增加 P%), and gives a
    reason ("主要是…", warning)."""
    if not doc.amounts or not any(t.kind in ("budget_overview", "expenditure", "three_public", "basic_expenditure")
                                  for t in doc.tables):
        return
    figs = figures(doc)
    classes = {k[6:]: v for k, v in figs.items() if k.startswith("class:")}
    found: list[Finding | None] = []
    for a in doc.amounts:
        if a.change is not None or a.unit not in MONEY_UNITS or item_path(a.label):
            continue
        topic = topic_of(a.label, classes)
        if topic:
            prefer = next((c for c in ("项目支出", "基本支出") if c in (a.context or "").split(str(a.value))[0]), None)
            found.append(_mismatch(ctx, a, figs.get(topic, []), prefer if topic.startswith("class:") else None))
    found += [*_changes(ctx, doc, classes), *_pct_changes(ctx, doc), *_items(ctx, doc, figs), *_procurement(ctx, doc)]
    yield from (f for f in found if f)

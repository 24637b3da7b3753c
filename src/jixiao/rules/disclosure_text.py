"""The 部门预算说明 against the tables (DOMAIN §6 rule 28 BUD-TEXT-TABLE, §3.2 B11).

A stated amount is given a topic from its label (收入, 基本支出, 机关运行经费, 公务接待费, a 功能
分类 类 name …) and compared with every table figure of that topic; it is reported only when it
matches none of them (0.5 万元, DOMAIN's text-vs-table tolerance). A stated change (增加/减少 X 万元,
Y%) is recomputed from the year's amount: Y = X / (本年 − X) for an increase, X / (本年 + X) for a
decrease, within 0.1 percentage point.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.money import fmt_wan
from jixiao.model.money import precision_of
from jixiao.model.narrative import StatedAmount
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules.disclosure import _CLASS_EXCLUDE
from jixiao.rules.disclosure import PROFILES
from jixiao.rules.disclosure import budget_tables
from jixiao.rules.disclosure import coded_rows
from jixiao.rules.disclosure import label
from jixiao.rules.disclosure import shown
from jixiao.rules.disclosure import side_row
from jixiao.rules.disclosure import sum_check
from jixiao.rules.disclosure import tolerance
from jixiao.rules.disclosure import total_row
from jixiao.rules.disclosure import wan

# (topic, label pattern), first match wins: the specific before the general.
TOPICS: tuple[tuple[str, str], ...] = (
    ("vehicle", r"公务用车购置(及|和|与)运行"),
    ("vehicle_purchase", r"公务用车购置"),
    ("vehicle_operation", r"公务用车运行"),
    ("reception", r"公务接待"),
    ("abroad", r"因公出国|出国（境）|出国\(境\)"),
    ("sangong", r"三公"),
    ("operating_costs", r"机关运行经费"),
    ("personnel", r"人员经费$"),
    ("public_funds", r"公用经费$"),
    ("basic", r"基本支出"),
    ("project", r"项目支出"),
    ("gf_spending", r"政府性基金(预算)?(财政)?(拨款)?支出"),
    ("gb_spending", r"一般公共预算(财政)?(拨款)?支出"),
    ("gb_income", r"一般公共预算(财政)?拨款(收入)?$"),
    ("fiscal_income", r"本级财政拨款(收入)?$|财政拨款收入$"),
    ("income", r"收入(预算|总计|合计)(数|总额)?$|收入预算|^(本部门|本单位)?收入$"),
    ("spending", r"支出(预算|总计|合计)(数|总额)?$|支出预算|^(本部门|本单位)?支出$|绩效目标的?(金额|资金)"),
)
SANGONG_KEYS = ("vehicle", "vehicle_purchase", "vehicle_operation", "reception", "abroad")
_CHANGE_WORDS = re.compile(r"(较|比|同比|与)?(上年|去年|上一年度?|20\d\d\s*年)(预算)?(相比)?(增加|减少|增长|下降|上升|降低)?")
_REASON = re.compile(r"主要|原因|由于|因此|所以|用于|是因为")
_MONEY_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000)}


@dataclass(frozen=True, slots=True)
class Figure:
    value: Decimal
    basis: str  # where in the tables: "部门收支总表 本年收入合计"


def topic_of(text: str, classes: dict[str, list[Figure]] | None = None) -> str | None:
    name = _CHANGE_WORDS.sub("", label(text))
    for cls in classes or {}:
        if cls and name.endswith(cls):
            return f"class:{cls}"
    for topic, pattern in TOPICS:
        if re.search(pattern, name):
            return topic
    return None


def _wan(a: StatedAmount) -> Decimal | None:
    factor = _MONEY_UNITS.get(a.unit)
    return a.value * factor if factor is not None else None


def figures(doc: Document) -> dict[str, list[Figure]]:
    """Every table figure a narrative amount may state, by topic."""
    out: dict[str, list[Figure]] = {}

    def add(topic: str, value: Decimal | None, basis: str) -> None:
        if value is not None:
            out.setdefault(topic, []).append(Figure(value, basis))

    for t in budget_tables(doc, "budget_overview"):
        for topic, side, pattern in (
            ("income", "income", r"^本年收入合计"), ("income", "income", r"^收入总计"),
            ("spending", "expenditure", r"^本年支出合计"), ("spending", "expenditure", r"^支出总计"),
            ("fiscal_income", "income", r"^本级财政拨款"), ("basic", "expenditure", r"^基本支出"),
            ("project", "expenditure", r"^项目支出"),
        ):
            row = side_row(t, side, pattern)
            if row:
                add(topic, wan(t, row), f"部门收支总表 {shown(row.name)}")
    for t in budget_tables(doc, "fiscal_overview"):
        for topic, side, pattern in (("fiscal_income", "income", r"^本年收入"), ("gb_income", "income", r"^一般公共预算")):
            row = side_row(t, side, pattern)
            if row:
                add(topic, wan(t, row), f"财政拨款收支总表 {shown(row.name)}")
        spend = side_row(t, "expenditure", r"^本年支出")
        if spend:
            add("gb_spending", wan(t, spend, "general_budget"), "财政拨款收支总表 本年支出/一般公共预算")
    for kind, name, topic in (("expenditure", "部门支出总表", "spending"), ("general_budget_expenditure", "一般公共预算支出表", "gb_spending"),
                              ("gov_fund_expenditure", "政府性基金预算支出表", "gf_spending")):
        for t in budget_tables(doc, kind):
            row = total_row(t)
            if row:
                add(topic, wan(t, row), f"{name} 合计")
                if kind != "gov_fund_expenditure":
                    add("basic", wan(t, row, "basic"), f"{name} 合计/基本支出")
                    add("project", wan(t, row, "project"), f"{name} 合计/项目支出")
            for r in coded_rows(t):
                if len(r.code or "") == 3 and label(r.name):
                    for key, col in (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")):
                        add(f"class:{label(r.name)}", wan(t, r, key), f"{name} {r.code} {shown(r.name)}/{col}")
    for t in budget_tables(doc, "fiscal_overview"):
        for r in t.rows:
            name = label(r.name)
            if r.side == "expenditure" and not _CLASS_EXCLUDE.search(name) and wan(t, r):
                add(f"class:{name}", wan(t, r), f"财政拨款收支总表 {name}")
    for t in budget_tables(doc, "basic_expenditure"):
        row = total_row(t)
        if row:
            add("operating_costs", wan(t, row, "public"), "一般公共预算基本支出表 合计/公用经费")
            add("personnel", wan(t, row, "personnel"), "一般公共预算基本支出表 合计/人员类")
            add("public_funds", wan(t, row, "public"), "一般公共预算基本支出表 合计/公用经费")
            add("basic", wan(t, row), "一般公共预算基本支出表 合计")
    for t in budget_tables(doc, "three_public"):
        row = total_row(t) or next((r for r in t.rows if r.total is not None), None)
        if row:
            add("sangong", wan(t, row) or Decimal(0), "“三公”经费支出表 合计/小计")
            for key, col in zip(SANGONG_KEYS, ("公务用车购置及运行费", "公务用车购置", "公务用车运行费", "公务接待费", "因公出国（境）费"), strict=True):
                add(key, wan(t, row, key) or Decimal(0), f"“三公”经费支出表 合计/{col}")
    return out


def _mismatch(ctx: Context, a: StatedAmount, figs: list[Figure], prefer: str | None) -> Finding | None:
    value = _wan(a)
    if value is None or not figs:
        return None
    for f in figs:
        if abs(value - f.value) <= tolerance(ctx, "text", [value, f.value]):
            return None
    best = next((f for f in figs if prefer and f.basis.endswith(prefer)), figs[0])
    return make("text-table-mismatch", a.location, subject=shown(a.label) or "说明", basis=best.basis,
                expected=f"{fmt_wan(best.value)} 万元", actual=f"{fmt_wan(value)} 万元",
                difference=f"{fmt_wan(abs(value - best.value))} 万元", source_text=a.context or None)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _paragraph(doc: Document, a: StatedAmount) -> str | None:
    """The paragraph around a stated amount and the one after it (None when not found)."""
    sentence = _squash(a.context)
    if not sentence:
        return None
    tail = sentence[-24:]  # a heading like （一）机关运行经费： may be the section's title, not its text
    for s in doc.sections:
        paragraphs = s.text.split("\n")
        for i, paragraph in enumerate(paragraphs):
            if tail in _squash(paragraph):
                return "\n".join(paragraphs[i : i + 2])
    return None


def _percent(amounts: list[StatedAmount], i: int) -> StatedAmount | None:
    """The percentage stated right after the change at ``i``, in the same sentence."""
    for b in amounts[i + 1 :]:
        if b.context != amounts[i].context:
            return None
        if b.unit == "%":
            changed = re.search(r"增|减|升|降|提高", b.label) and "占" not in b.label
            return b if changed else None
        if b.unit in _MONEY_UNITS:
            return None
    return None


def _base(amounts: list[StatedAmount], i: int, classes) -> StatedAmount | None:
    """The current-year amount the change at ``i`` refers to: the closest earlier amount of its
    topic, or (no topic) the first amount of its sentence."""
    change = amounts[i]
    topic = topic_of(change.label, classes)
    before = [a for a in amounts[:i] if a.change is None and _wan(a) is not None]
    if topic:
        return next((a for a in reversed(before) if topic_of(a.label, classes) == topic), None)
    return next((a for a in before if a.context == change.context), None)


def _changes(ctx: Context, doc: Document, classes) -> Iterator[Finding | None]:
    amounts = list(doc.amounts)
    for i, a in enumerate(amounts):
        delta = _wan(a)
        if a.change not in ("increase", "decrease") or delta is None:
            continue
        direction = "增加" if a.change == "increase" else "减少"
        paragraph = _paragraph(doc, a)
        if paragraph is not None and not _REASON.search(paragraph):
            yield make("change-reason-missing", a.location, subject=shown(a.label), direction=direction,
                       amount=fmt_wan(delta), expected="说明增减原因", actual="未说明原因", source_text=a.context or None)
        pct, base = _percent(amounts, i), _base(amounts, i, classes)
        current = _wan(base) if base else None
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


def _procurement(ctx: Context, doc: Document) -> Iterator[Finding | None]:
    """政府采购预算总额 = 货物 + 工程 + 服务 (stated in one paragraph)."""
    for a in doc.amounts:
        if a.change or "政府采购" not in label(a.label) or _wan(a) is None:
            continue
        parts = {}
        for b in doc.amounts:
            name = label(b.label)
            if b is a or b.context != a.context or _wan(b) is None:
                continue
            for part in ("货物", "工程", "服务"):
                if part in name and "政府采购" not in name:
                    parts.setdefault(part, _wan(b))
        if parts:
            yield sum_check(ctx, a.location, "政府采购", f"{shown(a.label)}（{' + '.join(parts)}）", _wan(a),
                            list(parts.values()), source_text=a.context or None)


@rule("disclosure.text-table", codes=("text-table-mismatch", "change-reason-missing", "amount-sum-mismatch"),
      family="disclosure", profiles=PROFILES)
def check_text_table(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 28 BUD-TEXT-TABLE (§3.2 B11; G C-003, R009, BUD-T006): amounts in the 部门预算说明
    equal the tables (收入/支出 totals, 财政拨款, 基本/项目, 功能分类 类, 机关运行经费 = 基本支出表
    公用经费, "三公" total and parts); 政府采购 = 货物 + 工程 + 服务; a stated change 增加/减少 X 万元,
    Y% recomputes (Y = X / 上年) and gives a reason ("主要是…", warning)."""
    if not doc.amounts or not any(t.kind in ("budget_overview", "expenditure", "three_public", "basic_expenditure")
                                  for t in doc.tables):
        return
    figs = figures(doc)
    classes = {k[6:]: v for k, v in figs.items() if k.startswith("class:")}
    found: list[Finding | None] = []
    for a in doc.amounts:
        if a.change is not None or a.unit not in _MONEY_UNITS:
            continue
        topic = topic_of(a.label, classes)
        if topic:
            prefer = next((c for c in ("项目支出", "基本支出") if c in (a.context or "").split(str(a.value))[0]), None)
            found.append(_mismatch(ctx, a, figs.get(topic, []), prefer if topic.startswith("class:") else None))
    found += [*_changes(ctx, doc, classes), *_procurement(ctx, doc)]
    yield from (f for f in found if f)

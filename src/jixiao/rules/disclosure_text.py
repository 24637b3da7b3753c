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
from jixiao.rules.disclosure import SH_TABLE_NAMES
from jixiao.rules.disclosure import budget_tables
from jixiao.rules.disclosure import coded_rows
from jixiao.rules.disclosure import label
from jixiao.rules.disclosure import shown
from jixiao.rules.disclosure import side_row
from jixiao.rules.disclosure import sum_check
from jixiao.rules.disclosure import table_name
from jixiao.rules.disclosure import tolerance
from jixiao.rules.disclosure import total_row
from jixiao.rules.disclosure import wan
from jixiao.rules.disclosure import year_total

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
    ("sc_spending", r"国有资本经营预算(财政)?(拨款)?支出"),
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


def _name(t, default: str) -> str:
    """A table's name in messages: the Shanghai name for a Shanghai table, else ``default``."""
    name = table_name(t)
    return name if name in SH_TABLE_NAMES.values() else default


def _empty(t) -> bool:
    return not any(isinstance(v, Decimal) for r in t.rows for v in [r.total, *(v for _, v in r.values)])


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
            ("fiscal_income", "income", r"^(本级)?财政拨款"), ("basic", "expenditure", r"^基本支出"),
            ("project", "expenditure", r"^项目支出"),
        ):
            row = side_row(t, side, pattern)
            if row:
                add(topic, wan(t, row), f"{_name(t, '部门收支总表')} {shown(row.name)}")
    for t in budget_tables(doc, "fiscal_overview"):
        name = _name(t, "财政拨款收支总表")
        for topic, row in (("fiscal_income", year_total(t, "income")), ("gb_income", side_row(t, "income", r"^一般公共预算"))):
            if row:
                add(topic, wan(t, row), f"{name} {shown(row.name)}")
        spend = year_total(t, "expenditure")
        if spend:
            add("gb_spending", wan(t, spend, "general_budget"), f"{name} {shown(spend.name)[:4]}/一般公共预算")
    for kind, name, topic in (("expenditure", "部门支出总表", "spending"), ("general_budget_expenditure", "一般公共预算支出表", "gb_spending"),
                              ("gov_fund_expenditure", "政府性基金预算支出表", "gf_spending"),
                              ("state_capital_expenditure", "国有资本经营预算支出表", "sc_spending")):
        for t in budget_tables(doc, kind):
            name = _name(t, name)
            row = total_row(t)
            if row and row.total is None and _empty(t):  # an empty table (空表): nothing budgeted
                add(topic, Decimal(0), f"{name}（空表）")
            if row:
                add(topic, wan(t, row), f"{name} 合计")
                if kind not in ("gov_fund_expenditure", "state_capital_expenditure"):
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
    running = [(t, r) for t in budget_tables(doc, "three_public") for r in t.rows if isinstance(r.value("running_costs"), Decimal)]
    for t, r in running[:1]:
        add("operating_costs", wan(t, r, "running_costs"), f"{_name(t, '“三公”经费支出表')} 机关运行经费预算数")
    for t in budget_tables(doc, "basic_expenditure"):
        row = total_row(t)
        if row:
            name = _name(t, "一般公共预算基本支出表")
            if not running:
                add("operating_costs", wan(t, row, "public"), f"{name} 合计/公用经费")
            add("personnel", wan(t, row, "personnel"), f"{name} 合计/人员类")
            add("public_funds", wan(t, row, "public"), f"{name} 合计/公用经费")
            add("basic", wan(t, row), f"{name} 合计")
    for t in budget_tables(doc, "three_public"):
        row = total_row(t) or next((r for r in t.rows if r.total is not None), None)
        name = _name(t, "“三公”经费支出表")
        if row:
            add("sangong", wan(t, row) or Decimal(0), f"{name} 合计/小计")
            for key, col in zip(SANGONG_KEYS, ("公务用车购置及运行费", "公务用车购置", "公务用车运行费", "公务接待费", "因公出国（境）费"), strict=True):
                add(key, wan(t, row, key) or Decimal(0), f"{name} 合计/{col}")
    for (path, basis), value in _item_rows(doc).items():
        add(f"item:{path}", value, basis)
    return out


_ITEM = re.compile(r"^“(.+)”(科目)?$")


def item_path(text: str) -> str | None:
    """``“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目`` → its 类/款/项 names joined
    by ``/`` (also ``“…（类）…（款）…（项）”``); None for other labels."""
    m = _ITEM.match(label(text))
    if not m:
        return None
    body = m.group(1)
    if re.search(r"\((类|款|项)\)", body):
        names = [n for n in re.split(r"\((?:类|款|项)\)", body) if n]
    else:
        names = body.split("-")
    names = [re.sub(r"[()（）]", "", n) for n in names]
    return "/".join(names) if len(names) >= 2 and all(names) else None


def _item_rows(doc: Document) -> dict[tuple[str, str], Decimal]:
    """Every 功能分类 row's 类/款/项 path → its 合计 (财政拨款 tables first; 支出预算总表 only for
    paths they do not have)."""
    out: dict[tuple[str, str], Decimal] = {}
    seen: set[str] = set()
    for group in (("general_budget_expenditure", "gov_fund_expenditure", "state_capital_expenditure"), ("expenditure",)):
        found: set[str] = set()
        for kind in group:
            for t in budget_tables(doc, kind):
                names: dict[str, str] = {}
                for r in coded_rows(t):
                    code = r.code or ""
                    names[code] = re.sub(r"[()（）]", "", label(r.name))
                    parts = [names.get(code[:n]) for n in (3, 5, 7) if n <= len(code)]
                    value = wan(t, r)
                    if value is None or not all(parts) or len(parts) < 2:
                        continue
                    path = "/".join(p for p in parts if p)
                    if path in seen:
                        continue
                    found.add(path)
                    out[(path, f"{table_name(t)} {code} {shown(r.name)}")] = value
        seen |= found
    return out


def _mismatch(ctx: Context, a: StatedAmount, figs: list[Figure], prefer: str | None, subject: str | None = None) -> Finding | None:
    value = _wan(a)
    if value is None or not figs:
        return None
    for f in figs:
        if abs(value - f.value) <= tolerance(ctx, "text", [value, f.value]):
            return None
    best = next((f for f in figs if prefer and f.basis.endswith(prefer)), figs[0])
    return make("text-table-mismatch", a.location, subject=subject or shown(a.label) or "说明", basis=best.basis,
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


def _reason_later(doc: Document, a: StatedAmount, direction: str) -> bool:
    """A later paragraph of the section gives the reason for this change: it names the item
    (the label before 比/较) and the direction, and says 原因 / 主要."""
    item = re.split(r"比|较|与", label(a.label))[0]
    tail = _squash(a.context)[-24:]
    if not item or not tail:
        return False
    for s in doc.sections:
        paragraphs = s.text.split("\n")
        for i, paragraph in enumerate(paragraphs):
            if tail in _squash(paragraph):
                return any(
                    item in label(p) and direction in p and _REASON.search(p) for p in paragraphs[i + 2 : i + 5]
                )
    return False


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
        if paragraph is not None and not _REASON.search(paragraph) and not _reason_later(doc, a, direction):
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


_YEAR = re.compile(r"^(20\d\d年度?|当年|本年|上年)+")


def _item_context(doc: Document) -> dict[int, tuple[str, StatedAmount]]:
    """Amounts stated after a 功能分类 line (``“类-款-项”科目 X 万元``), within 3 lines and before the
    next one: index → (the line's path, its amount)."""
    out: dict[int, tuple[str, StatedAmount]] = {}
    current: tuple[str, StatedAmount] | None = None
    for i, a in enumerate(doc.amounts):
        path = item_path(a.label)
        if path:
            current = (path, a)
            continue
        if current and a.location.line is not None and current[1].location.line is not None:
            if a.location.line - current[1].location.line > 3:
                current = None
                continue
            out[i] = current
    return out


def _pct_changes(ctx: Context, doc: Document) -> Iterator[Finding | None]:
    """``…执行数为A万元，…预算安排B万元，比…执行数增加P%``: P = (B − A) / A, in one sentence."""
    amounts = list(doc.amounts)
    items = _item_context(doc)
    for i, p in enumerate(amounts):
        m = re.search(r"比(.+?)(增加|减少|增长|下降|上升|降低)$", label(p.label))
        if p.unit != "%" or p.change is None or not m:
            continue
        base_name = _YEAR.sub("", m.group(1))
        before = [a for a in amounts[:i] if a.context == p.context and a.change is None and _wan(a) is not None]
        if len(before) < 2 or not base_name:
            continue
        current = before[-1]
        base = next((a for a in reversed(before[:-1]) if _YEAR.sub("", label(a.label)) == base_name), None)
        if base is None or not _wan(base):
            continue
        now, then = _wan(current), _wan(base)
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
    items = _item_context(doc)
    for i, a in enumerate(doc.amounts):
        path = item_path(a.label)
        if path:
            yield _mismatch(ctx, a, figs.get(f"item:{path}", []), None)
            continue
        current = items.get(i)
        if current is None or a.change is not None or _wan(a) is None:
            continue
        if label(a.label) in ("预算安排", "预算安排数") and year and year in _squash(a.context):
            yield _mismatch(ctx, a, figs.get(f"item:{current[0]}", []), None,
                            subject=f"{shown(current[1].label)}（{doc.year}年预算安排）")


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
        if a.change is not None or a.unit not in _MONEY_UNITS or item_path(a.label):
            continue
        topic = topic_of(a.label, classes)
        if topic:
            prefer = next((c for c in ("项目支出", "基本支出") if c in (a.context or "").split(str(a.value))[0]), None)
            found.append(_mismatch(ctx, a, figs.get(topic, []), prefer if topic.startswith("class:") else None))
    found += [*_changes(ctx, doc, classes), *_pct_changes(ctx, doc), *_items(ctx, doc, figs), *_procurement(ctx, doc)]
    yield from (f for f in found if f)

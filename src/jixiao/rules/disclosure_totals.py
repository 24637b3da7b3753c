"""The arithmetic of the overview tables (DOMAIN §6 rule 23 BUD-TOTALS, §3.2 B1–B7).

Stage: rules, over a parsed disclosure's tables (the first table of each kind). Each overview
table balances in itself (本年合计 = Σ the items above it, 总计 = 本年合计 + 结转 / 结余,
支出 = 收入), the column tables sum across their columns row by row, and the tables agree with one
another: 收入总表 and 支出总表 with 收支总表, 财政拨款收支总表 with 收支总表 and with the 一般公共
预算 / 政府性基金 / 国有资本经营预算 tables, 一般公共预算's 基本支出 with 基本支出表. Every check
is a ``disclosure.sum_check`` (0.01 万元 within a table, 0.05 across tables), so the rule
emits only ``amount-sum-mismatch`` and ``amounts-missing``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.model.budget import BudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.document import Document
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules.disclosure import _CARRY
from jixiao.rules.disclosure import _CLASS_EXCLUDE
from jixiao.rules.disclosure import PROFILES
from jixiao.rules.disclosure import SUM
from jixiao.rules.disclosure import _column
from jixiao.rules.disclosure import _row_identity
from jixiao.rules.disclosure import _subject
from jixiao.rules.disclosure import amount_keys
from jixiao.rules.disclosure import budget_tables
from jixiao.rules.disclosure import coded_rows
from jixiao.rules.disclosure import label
from jixiao.rules.disclosure import shown
from jixiao.rules.disclosure import side_row
from jixiao.rules.disclosure import sum_check
from jixiao.rules.disclosure import table_name
from jixiao.rules.disclosure import total_row
from jixiao.rules.disclosure import wan
from jixiao.rules.disclosure import year_total

# the columns of 收入总表 / 支出总表, each with the 收支总表 row its 合计 must equal
_INCOME_KEYS = (
    (r"^(本级)?财政拨款", "fiscal"), (r"^财政专户管理", "special_account"), (r"^(事业单位)?经营", "operating"),
    (r"^上级补助", "superior"), (r"^其[它他]收入", "other"), (r"^事业收入", "business"), (r"^上年结转", "carryover"),
    (r"^附属单位上缴", "affiliated"),
)
_SPEND_KEYS = (
    (r"^基本支出", "basic"), (r"^项目支出", "project"), (r"^(事业单位)?经营", "operating"),
    (r"^对附属单位补助", "subsidiary"), (r"^上缴上级", "remit"),
)
_FISCAL = re.compile(r"^(本级)?财政拨款")
_FISCAL_SUB = re.compile(r"^(其中|一般公共预算|政府性基金|国有资本经营)")


def _block(t: BudgetTable, side: str, head: str, tail: str) -> tuple[BudgetRow | None, list[BudgetRow], BudgetRow | None, list[BudgetRow]]:
    """(本年合计, rows before it, 总计, the 结转/结余 rows between the two) of one side of an overview table."""
    rows = [r for r in t.rows if r.side == side]
    total = next((r for r in rows if re.search(head, label(r.name))), None)
    grand = next((r for r in rows if re.search(tail, label(r.name))), None)
    i = rows.index(total) if total else len(rows)
    j = rows.index(grand) if grand else len(rows)
    before = [r for r in rows[:i] if r is not grand]
    if any(_FISCAL.search(label(r.name)) for r in before):
        before = [r for r in before if not _FISCAL_SUB.search(label(r.name))]
    extra = [r for r in rows[i + 1 : j] if _CARRY.search(label(r.name))] if total else []
    return total, before, grand, extra


def _fiscal_parts(ctx: Context, t: BudgetTable) -> Iterator[Finding | None]:
    """财政拨款收入 = the 一般公共预算 / 政府性基金 / 国有资本经营 rows printed under it."""
    rows = [r for r in t.rows if r.side == "income"]
    for i, row in enumerate(rows):
        if not _FISCAL.search(label(row.name)) or not re.search(r"收入$|^本级财政拨款$", label(row.name)):
            continue
        parts = []
        for r in rows[i + 1 :]:
            if not re.search(r"^(一般公共预算|政府性基金|国有资本经营)", label(r.name)):
                break
            parts.append(r)
        if parts:
            names = " + ".join(label(r.name) for r in parts)
            yield sum_check(ctx, row.location, _subject(t, row), f"{label(row.name)}（{names}）", wan(t, row),
                            [wan(t, r) for r in parts])


def _overview(ctx: Context, t: BudgetTable, final: bool = False) -> Iterator[Finding | None]:
    """B1 inside 部门收支总表 (Shanghai 财务收支预算总表: 总计 = Σ the items above it; a 单位预算's
    expenditure rows: 合计 = 人员经费 + 公用经费 + 项目支出). In a 决算 (``final``) the year's income
    and spending differ by design (结转和结余): only the 总计 of both sides agree."""
    inc, inc_parts, inc_all, inc_extra = _block(t, "income", r"^本年收入合计", r"^(收入)?总计$")
    exp, exp_parts, exp_all, exp_extra = _block(t, "expenditure", r"^本年支出合计", r"^(支出)?总计$")
    for total, parts, what in ((inc, inc_parts, "各项收入之和"), (exp, exp_parts, "各项支出之和")):
        if total:
            yield sum_check(ctx, total.location, _subject(t, total), f"{label(total.name)}（{what}）",
                            wan(t, total), [wan(t, r) for r in parts])
    for total, grand, side, what in ((inc, inc_all, "income", "各项收入之和"), (exp, exp_all, "expenditure", "各项支出之和")):
        if grand and not total:  # Shanghai: no 本年合计 row
            rows = [r for r in t.rows if r.side == side]
            parts = rows[: rows.index(grand)]
            if any(_FISCAL.search(label(r.name)) for r in parts):
                parts = [r for r in parts if not _FISCAL_SUB.search(label(r.name))]
            if parts:
                yield sum_check(ctx, grand.location, _subject(t, grand), f"{label(grand.name)}（{what}）",
                                wan(t, grand), [wan(t, r) for r in parts])
    yield from _fiscal_parts(ctx, t)
    spending = [r for r in t.rows if r.side == "expenditure"]
    split = ["basic", "project"] if any("basic" in dict(r.values) for r in spending) else ["personnel", "public", "project"]
    yield from _row_identity(ctx, t, "total", split, spending)
    for grand, total, extra, parts in ((inc_all, inc, inc_extra, inc_parts), (exp_all, exp, exp_extra, exp_parts)):
        if grand and total:
            names = " + ".join([label(total.name), *(label(r.name) for r in extra)])
            found = sum_check(ctx, grand.location, _subject(t, grand), f"{label(grand.name)}（{names}）",
                              wan(t, grand), [wan(t, total), *(wan(t, r) for r in extra)])
            if found and parts and _recounted(ctx, t, grand, total, extra, parts):
                continue  # the 本年合计 is the one wrong cell (reported above), not the 总计 as well
            yield found
    for a, b in ([(exp_all, inc_all)] if final else [(exp, inc), (exp_all, inc_all)]):
        if a and b:
            yield sum_check(ctx, a.location, _subject(t, a), f"{label(a.name)}（= {label(b.name)}）", wan(t, a), [wan(t, b)])


def _recounted(ctx: Context, t: BudgetTable, grand: BudgetRow, total: BudgetRow, extra: list[BudgetRow],
               parts: list[BudgetRow]) -> bool:
    """The 本年合计 disagrees with its own items, and with the items in its place the 总计 adds up."""
    items = [wan(t, r) for r in parts]
    if sum_check(ctx, total.location, "", "", wan(t, total), items) is None:
        return False
    return sum_check(ctx, grand.location, "", "", wan(t, grand), [*items, *(wan(t, r) for r in extra)]) is None


def _cross(ctx: Context, t: BudgetTable, row: BudgetRow | None, key: str, other: Decimal | None, basis: str):
    """A cell of ``t`` equals a figure of another table (cross-table tolerance)."""
    if row is None or key in row.malformed:
        return None
    return sum_check(ctx, row.location, _subject(t, row), f"{_column(key)}（= {basis}）", wan(t, row, key), [other],
                     kind="cross")


def _first(doc: Document, kind: str) -> BudgetTable | None:
    tables = budget_tables(doc, kind)
    return tables[0] if tables else None


@rule("disclosure.totals", codes=SUM, family="disclosure", profiles=PROFILES)
def check_totals(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 23 BUD-TOTALS (§3.2 B1–B7; G B1/B3/B7): 收支总表 balances; 收入总表 and 支出总表 sum
    across their columns and agree with 收支总表; 财政拨款收支总表 agrees with 收支总表 (B4), sums by
    column and 类 (B5) and matches the 一般公共预算 / 政府性基金 / 国有资本经营预算 tables (B6); those
    tables' 合计 = 基本 + 项目 and 一般公共预算's 基本 = 基本支出表 合计 (B7). Where the overview tables
    list the 功能分类 类 by name (Shanghai 九张表), each 类 row equals that 类 in 支出预算总表 /
    the 功能分类 tables; 财政拨款收入 = the 资金 rows under it; a 单位预算's 支出 split into 人员经费 /
    公用经费 / 项目支出 sums and agrees with 支出预算总表."""
    yield from (f for f in _totals(doc, ctx) if f is not None)


def _totals(doc: Document, ctx: Context) -> Iterator[Finding | None]:
    ov, rev, exp = _first(doc, "budget_overview"), _first(doc, "revenue"), _first(doc, "expenditure")
    fo, gb = _first(doc, "fiscal_overview"), _first(doc, "general_budget_expenditure")
    gf, basic = _first(doc, "gov_fund_expenditure"), _first(doc, "basic_expenditure")
    final = doc.kind == "final_accounts"
    if ov:
        yield from _overview(ctx, ov, final)
    if rev:  # B2
        yield from _row_identity(ctx, rev, "total", [k for _, k in _INCOME_KEYS])
    if exp:  # B3
        yield from _row_identity(ctx, exp, "total", [k for _, k in _SPEND_KEYS])
    for t, keys, side in ((rev, _INCOME_KEYS, "income"), (exp, _SPEND_KEYS, "expenditure")):
        row = total_row(t) if t else None
        if not (ov and t and row):
            continue
        for pattern, key in keys:
            other = side_row(ov, side, pattern)
            if other:
                yield _cross(ctx, t, row, key, wan(ov, other), f"{table_name(ov)} {label(other.name)}")
        head = side_row(ov, side, r"^本年(收入|支出)合计") or year_total(ov, side)
        if head:
            parts, basis = [wan(ov, head)], f"{table_name(ov)} {label(head.name)}"
            carry = side_row(ov, side, r"^上年结转") if side == "income" else None
            if carry:
                parts.append(wan(ov, carry))
                basis += " + 上年结转"
            yield sum_check(ctx, row.location, _subject(t, row), f"合计（= {basis}）", wan(t, row), parts, kind="cross")
    if ov and exp:
        yield from _overview_split(ctx, ov, exp)
    sc = _first(doc, "state_capital_expenditure")
    if fo:
        yield from _fiscal(ctx, doc, fo, ov, gb, gf, sc, final)
    for t in (gb, gf, sc):  # B7
        if t:
            yield from _row_identity(ctx, t, "total", ["basic", "project"])
    gb_total, basic_total = (total_row(t) if t else None for t in (gb, basic))
    if gb and gb_total and basic and basic_total:
        yield _cross(ctx, gb, gb_total, "basic", wan(basic, basic_total), f"{table_name(basic)} 合计")
    # B3/B5 by 类 (where the overview tables list the 功能分类 类 by name, as the Shanghai ones do)
    if ov and exp:
        yield from _by_class(ctx, ov, [(exp, "total", "total")])
    if fo:
        yield from _by_class(ctx, fo, [(gb, "general_budget", "total"), (gf, "gov_fund", "total"), (sc, "state_capital", "total")])


def _overview_split(ctx: Context, ov: BudgetTable, exp: BudgetTable) -> Iterator[Finding | None]:
    """A Shanghai 单位预算's 支出总计 split into 人员经费 / 公用经费 / 项目支出 = 支出预算总表 合计's
    基本支出 (人员 + 公用) and 项目支出."""
    grand, row = side_row(ov, "expenditure", r"^支出总计"), total_row(exp)
    if not grand or not row:
        return
    basis = f"{table_name(ov)} {label(grand.name)}"
    if any(isinstance(grand.value(k), Decimal) for k in ("personnel", "public")):
        yield _cross(ctx, exp, row, "basic", sum((wan(ov, grand, k) or Decimal(0) for k in ("personnel", "public")), Decimal(0)),
                     f"{basis} 人员经费 + 公用经费")
    if isinstance(grand.value("project"), Decimal):
        yield _cross(ctx, exp, row, "project", wan(ov, grand, "project"), f"{basis} 项目支出")


def _by_class(ctx: Context, ov: BudgetTable, targets) -> Iterator[Finding | None]:
    """Each 类 row of an overview table's expenditure side = the 类 row of that name in a 功能分类
    table: (table, the overview's column, the table's column)."""
    for t, mine, theirs in targets:
        if t is None:
            continue
        classes = {label(r.name): r for r in coded_rows(t) if len(r.code or "") == 3}
        for row in ov.rows:
            other = classes.get(label(row.name)) if row.side == "expenditure" else None
            if other is None or (wan(ov, row, mine) is None and wan(t, other, theirs) is None):
                continue
            yield _cross(ctx, ov, row, mine, wan(t, other, theirs), f"{table_name(t)} {other.code} {shown(other.name)}")


def _short(row: BudgetRow) -> str:
    """本年收入 / 本年支出 as the messages name them; a Shanghai 总计 by its own name."""
    name = label(row.name)
    return name[:4] if name.startswith("本年") else name


def _fiscal(ctx, doc, fo: BudgetTable, ov, gb, gf, sc=None, final: bool = False) -> Iterator[Finding | None]:
    """B4–B6 on 财政拨款收支总表 (财政拨款收入支出决算总表: 本年收入 and 本年支出 differ by the
    结转和结余, whose own 一般公共预算 / 政府性基金 rows follow 本年收入合计)."""
    inc = year_total(fo, "income")
    spend = year_total(fo, "expenditure")
    if ov and inc:  # B4
        fiscal = side_row(ov, "income", r"^(本级)?财政拨款")
        if fiscal:
            yield sum_check(ctx, fiscal.location, _subject(ov, fiscal),
                            f"{label(fiscal.name)}（= {table_name(fo)} {_short(inc)}）",
                            wan(ov, fiscal), [wan(fo, inc)], kind="cross")
    if inc:
        income = [r for r in fo.rows if r.side == "income"]
        fund = re.compile(r"^(一般公共预算|政府性基金|国有资本)")
        at = income.index(inc) if inc in income else len(income)
        parts = []  # the fund rows under 本年收入 (Hunan), else those above 本年收入合计 (决算)
        for r in income[at + 1 :]:
            if not fund.search(label(r.name)):
                break
            parts.append(r)
        parts = parts or [r for r in income[:at] if fund.search(label(r.name))]
        if parts:
            yield sum_check(ctx, inc.location, _subject(fo, inc), f"{_short(inc)}（一般公共预算 + 政府性基金 + 国有资本经营预算拨款收入）",
                            wan(fo, inc), [wan(fo, r) for r in parts])
    _, _, inc_all, inc_extra = _block(fo, "income", r"^本年收入", r"^(收入)?总计$")
    _, _, exp_all, exp_extra = _block(fo, "expenditure", r"^本年支出", r"^(支出)?总计$")
    for grand, head, extra in ((inc_all, inc, inc_extra), (exp_all, spend, exp_extra)):
        if grand and head and grand is not head:
            names = " + ".join([label(head.name), *(label(r.name) for r in extra)])
            yield sum_check(ctx, grand.location, _subject(fo, grand), f"{label(grand.name)}（{names}）",
                            wan(fo, grand), [wan(fo, head), *(wan(fo, r) for r in extra)])
    pairs = ([] if final else [(spend, inc)]) + ([(exp_all, inc_all)] if (exp_all, inc_all) != (spend, inc) else [])
    for a, b in pairs:
        if a and b:
            yield sum_check(ctx, a.location, _subject(fo, a), f"{label(a.name)}（= {label(b.name)}）", wan(fo, a), [wan(fo, b)])
    spending = [r for r in fo.rows if r.side == "expenditure"]
    yield from _row_identity(ctx, fo, "total", ["general_budget", "gov_fund", "state_capital"], spending)  # B5
    classes = [r for r in spending if not _CLASS_EXCLUDE.search(label(r.name))]
    if spend and classes:
        for key in amount_keys(fo):
            if key == "total" or any(isinstance(r.value(key), Decimal) for r in spending):
                yield sum_check(ctx, spend.location, _subject(fo, spend), f"{_short(spend)} {_column(key)}（各类支出之和）",
                                wan(fo, spend, key), [wan(fo, r, key) for r in classes])
    for t, key in ((gb, "general_budget"), (gf, "gov_fund"), (sc, "state_capital")):  # B6
        row = total_row(t) if t else None
        if spend and t and row:
            yield _cross(ctx, fo, spend, key, wan(t, row), f"{table_name(t)} 合计")

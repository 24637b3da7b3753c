"""The identities only a 部门决算 (final accounts) has (DOMAIN §3.2 as it applies to 决算).

Stage: rules, over a parsed ``final_accounts`` document. The identities a 决算 shares with a 预算
run in ``disclosure_totals`` / ``disclosure_classes`` (totals = Σ parts, 总计 = 本年合计 + 结转和结余,
收入总计 = 支出总计, 功能分类 and 经济分类 trees, “三公” 小计 = Σ items). Here:

* 财政拨款收入: the 收入支出决算总表's 一般公共预算 / 政府性基金预算 / 国有资本经营预算财政拨款收入 rows
  equal the 财政拨款收入支出决算总表's rows of those funds, and their sum its 本年收入合计 and the
  收入决算表's 财政拨款收入;
* 基本支出决算表: 人员经费合计 = 301 + 303, 公用经费合计 = the other 类, and their sum = the
  一般公共预算财政拨款支出决算表's 基本支出;
* “三公”经费决算表's 预算数 block: 合计 = 因公出国（境）+ 公务用车购置及运行 + 公务接待, 公务用车 =
  购置 + 运行;
* 政府性基金 / 国有资本经营预算 (and 一般公共预算) 财政拨款收入支出决算表: 年初结转和结余 + 本年收入 −
  本年支出 = 年末结转和结余 in every row.
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
from jixiao.rules.disclosure import PROFILES
from jixiao.rules.disclosure import SUM
from jixiao.rules.disclosure import _column
from jixiao.rules.disclosure import _placeholder
from jixiao.rules.disclosure import _subject
from jixiao.rules.disclosure import budget_tables
from jixiao.rules.disclosure import coded_rows
from jixiao.rules.disclosure import label
from jixiao.rules.disclosure import sum_check
from jixiao.rules.disclosure import table_name
from jixiao.rules.disclosure import total_row
from jixiao.rules.disclosure import wan

_FUNDS = (("一般公共预算", "general_budget"), ("政府性基金", "gov_fund"), ("国有资本经营", "state_capital"))


def _first(doc: Document, kind: str) -> BudgetTable | None:
    tables = budget_tables(doc, kind)
    return tables[0] if tables else None


def _income_before_total(t: BudgetTable) -> list[BudgetRow]:
    rows = [r for r in t.rows if r.side == "income"]
    end = next((i for i, r in enumerate(rows) if re.match(r"^本年收入", label(r.name))), len(rows))
    return rows[:end]


def _fund_row(rows: list[BudgetRow], fund: str) -> BudgetRow | None:
    return next((r for r in rows if label(r.name).startswith(fund) and "财政拨款" in label(r.name)), None)


@rule("disclosure.final", codes=SUM, family="disclosure", profiles=PROFILES)
def check_final(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §3.2 B4, B7, B9, B10 as they apply to a 部门决算 (its own tables and 行 names): 财政拨款
    收入 by fund across 收入支出决算总表, 财政拨款收入支出决算总表 and 收入决算表; 人员经费合计 /
    公用经费合计 of 基本支出决算表 and their sum against 一般公共预算财政拨款支出决算表's 基本支出;
    “三公” 预算数 = Σ items; 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余 in the 政府性基金 /
    国有资本经营预算 tables."""
    if doc.kind != "final_accounts":
        return
    yield from (f for f in _checks(doc, ctx) if f is not None)


def _checks(doc: Document, ctx: Context) -> Iterator[Finding | None]:
    ov, fo, rev = _first(doc, "budget_overview"), _first(doc, "fiscal_overview"), _first(doc, "revenue")
    if ov and fo:
        yield from _fiscal_income(ctx, ov, fo, rev)
    basic, gb = _first(doc, "basic_expenditure"), _first(doc, "general_budget_expenditure")
    if basic:
        yield from _basic(ctx, basic, gb)
    for t in budget_tables(doc, "three_public"):
        yield from _sangong_budget(ctx, t)
    for kind in ("general_budget_expenditure", "gov_fund_expenditure", "state_capital_expenditure"):
        for t in budget_tables(doc, kind):
            yield from _balance(ctx, t)  # where the table prints 年初 / 本年收入 / 年末 columns


def _fiscal_income(ctx: Context, ov: BudgetTable, fo: BudgetTable, rev: BudgetTable | None) -> Iterator[Finding | None]:
    mine, theirs = _income_before_total(ov), _income_before_total(fo)
    found = []
    for fund, _ in _FUNDS:
        a, b = _fund_row(mine, fund), _fund_row(theirs, fund)
        if a is not None:
            found.append(a)
        if a is not None and b is not None:
            yield sum_check(ctx, a.location, _subject(ov, a), f"{label(a.name)}（= {table_name(fo)} {label(b.name)}）",
                            wan(ov, a), [wan(fo, b)], kind="cross")
    if not found:
        return
    fiscal = sum((wan(ov, r) or Decimal(0) for r in found), Decimal(0))
    names = " + ".join(label(r.name) for r in found)
    head = next((r for r in fo.rows if r.side == "income" and re.match(r"^本年收入", label(r.name))), None)
    if head is not None:
        yield sum_check(ctx, head.location, _subject(fo, head), f"{label(head.name)}（= {table_name(ov)} {names}）",
                        wan(fo, head), [fiscal], kind="cross")
    grand = total_row(rev) if rev else None
    if rev is not None and grand is not None and isinstance(grand.value("fiscal"), Decimal):
        yield sum_check(ctx, grand.location, _subject(rev, grand), f"{_column('fiscal')}（= {table_name(ov)} {names}）",
                        wan(rev, grand, "fiscal"), [fiscal], kind="cross")


_PEOPLE = ("301", "303")


def _basic(ctx: Context, t: BudgetTable, gb: BudgetTable | None) -> Iterator[Finding | None]:
    """人员经费合计 / 公用经费合计 rows (the 财政部 format) and the table's sum against 一般公共预算
    财政拨款支出决算表's 基本支出."""
    classes = [r for r in coded_rows(t) if len(r.code or "") == 3]
    people = [r for r in classes if r.code in _PEOPLE]
    public = [r for r in classes if r.code not in _PEOPLE]
    totals = {}
    for row in t.rows:
        name = label(row.name)
        for key, word, parts, what in (("personnel", "人员经费", people, "301 + 303"), ("public", "公用经费", public, "302 等其他类")):
            if row.code is None and name.startswith(word) and name.endswith("合计"):
                totals[key] = row
                yield sum_check(ctx, row.location, _subject(t, row), f"{name}（{what} 之和）", wan(t, row),
                                [wan(t, r) for r in parts])
    grand = total_row(t)
    if gb is None or not classes:
        return
    gb_total = total_row(gb)
    if gb_total is None or not isinstance(gb_total.value("basic"), Decimal):
        return
    if grand is not None and grand.total is not None:
        amount, basis = wan(t, grand), f"{table_name(t)} 合计"
    elif totals:
        amount = sum((wan(t, r) or Decimal(0) for r in totals.values()), Decimal(0))
        basis = f"{table_name(t)} " + " + ".join(label(r.name) for r in totals.values())
    else:
        amount, basis = sum((wan(t, r) or Decimal(0) for r in classes), Decimal(0)), f"{table_name(t)} 各类之和"
    yield sum_check(ctx, gb_total.location, _subject(gb, gb_total), f"{_column('basic')}（= {basis}）",
                    wan(gb, gb_total, "basic"), [amount], kind="cross")


def _sangong_budget(ctx: Context, t: BudgetTable) -> Iterator[Finding | None]:
    for row in t.rows:
        if _placeholder(row):
            continue
        for total, parts in (("budget_total", ("budget_abroad", "budget_vehicle", "budget_reception")),
                             ("budget_vehicle", ("budget_vehicle_purchase", "budget_vehicle_operation"))):
            present = [k for k in parts if any(k in dict(r.values) for r in t.rows)]
            values = [wan(t, row, k) for k in present]
            if not present or all(v is None for v in values):
                continue
            what = " + ".join(_column(k.removeprefix("budget_")) for k in present)
            yield sum_check(ctx, row.location, _subject(t, row), f"预算数 {_column(total.removeprefix('budget_'))}（{what}）",
                            wan(t, row, total), values)


def _balance(ctx: Context, t: BudgetTable) -> Iterator[Finding | None]:
    """年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, row by row."""
    if not any("closing" in dict(r.values) for r in t.rows):
        return
    for row in t.rows:
        opening, income, spent = wan(t, row, "opening"), wan(t, row, "income"), wan(t, row)
        if _placeholder(row) or all(v is None for v in (opening, income, spent)):
            continue
        if set(row.malformed) & {"opening", "income", "total", "closing"}:
            continue
        expected = (opening or Decimal(0)) + (income or Decimal(0)) - (spent or Decimal(0))
        yield sum_check(ctx, row.location, _subject(t, row), "年末结转和结余（年初结转和结余 + 本年收入 − 本年支出）",
                        wan(t, row, "closing"), [expected])

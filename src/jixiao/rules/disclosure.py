"""Disclosure-table rules (DOMAIN §6 rules 22–27): the table set, B1–B10, codes.

Two table sets are known (DOMAIN §3.1): the Hunan 10 tables and the Shanghai district 九张表
(财务收支预算总表 … “三公”经费和机关运行经费预算表; money in 元 except the 三公 table in 万元; no
target tables). A document is Shanghai when one of its table titles is one only the Shanghai set
uses (``table_format``); tables are then named as the Shanghai set names them. The Shanghai
overview tables have no 本年收入合计 / 本年支出合计 rows: 收入总计 / 支出总计 stand in for them
when the side has no 上年结转 / 结转下年 row.

All amounts are compared in 万元 (元 tables are divided by 10,000); a blank cell is 0. Each
check's tolerance is the DOMAIN one (0.01 万元 within a table, 0.05 across tables) and never
below the printed precision of its terms (``tolerance_for``). The helpers at the top are
shared with ``disclosure_text`` and ``selfeval_report``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from collections.abc import Sequence
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.budget import BudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.document import Document
from jixiao.model.money import fmt_wan
from jixiao.model.money import precision_of
from jixiao.model.money import to_wan
from jixiao.model.money import tolerance_for
from jixiao.model.source import Location
from jixiao.rules import Context
from jixiao.rules import rule

SUM = ("amount-sum-mismatch", "amounts-missing")
PROFILES = ("disclosure",)

# DOMAIN §3.1: the 10 Hunan tables, in their published order.
TABLES = (
    ("budget_overview", "部门收支总表"),
    ("revenue", "部门收入总表"),
    ("expenditure", "部门支出总表"),
    ("fiscal_overview", "财政拨款收支总表"),
    ("general_budget_expenditure", "一般公共预算支出表"),
    ("basic_expenditure", "一般公共预算基本支出表"),
    ("three_public", "一般公共预算“三公”经费支出表"),
    ("gov_fund_expenditure", "政府性基金预算支出表"),
    ("project_targets", "项目支出绩效目标表"),
    ("department_targets", "部门整体支出绩效目标表"),
)
TABLE_NAMES = dict(TABLES)
# DOMAIN §3.1 "Other formats": the Shanghai district 九张表, in their published order, and the
# title ending that marks each (on the normalised title).
SH_TABLES = (
    ("budget_overview", "财务收支预算总表", r"财务收支预算总表$"),
    ("revenue", "收入预算总表", r"收入预算总表$"),
    ("expenditure", "支出预算总表", r"支出预算总表$"),
    ("fiscal_overview", "财政拨款收支预算总表", r"财政拨款收支预算总表$"),
    ("general_budget_expenditure", "一般公共预算支出功能分类预算表", r"支出功能分类预算表$"),
    ("gov_fund_expenditure", "政府性基金预算支出功能分类预算表", r"支出功能分类预算表$"),
    ("state_capital_expenditure", "国有资本经营预算支出功能分类预算表", r"支出功能分类预算表$"),
    ("basic_expenditure", "一般公共预算基本支出部门预算经济分类预算表", r"经济分类预算表$"),
    ("three_public", "“三公”经费和机关运行经费预算表", r"和机关运行经费预算表$"),
)
SH_TABLE_NAMES = {kind: name for kind, name, _ in SH_TABLES}
_SH_TITLE = {kind: re.compile(rx) for kind, _, rx in SH_TABLES}
# Titles only the Shanghai set uses (收入预算总表 may be a Hunan county's title too).
_SH_ONLY = re.compile(r"财务收支预算总表$|功能分类预算表$|经济分类预算表$|和机关运行经费预算表$")
FUNC_TABLES = ("revenue", "expenditure", "general_budget_expenditure", "gov_fund_expenditure", "state_capital_expenditure")

# ---------------------------------------------------------------- shared helpers


def label(text: str | None) -> str:
    """A name for matching: NFKC, no spaces, no markdown, no leading 一、/1、/（一）."""
    text = unicodedata.normalize("NFKC", text or "").replace("*", "")
    text = re.sub(r"\s+", "", text)
    return re.sub(r"^(\(?[一二三四五六七八九十]+[)、.]|\d+[、.](?!\d))", "", text)


def shown(text: str | None) -> str:
    """A printed name for messages: as printed, without spaces or markdown."""
    return re.sub(r"[\s*]+", "", text or "")


def wan(table: BudgetTable, row: BudgetRow, key: str = "total") -> Decimal | None:
    """A cell in 万元 (None when blank or not a number)."""
    value = row.total if key == "total" else row.value(key)
    return to_wan(value, table.unit) if isinstance(value, Decimal) else None


def money(value: Decimal | None) -> str:
    return f"{fmt_wan(value or Decimal(0))} 万元"


def tolerance(ctx: Context, kind: str, values: Sequence[Decimal | None]) -> Decimal:
    """DOMAIN tolerance of ``kind`` (table, cross, text), never below the printed precision."""
    base = Decimal(getattr(ctx, f"tolerance_{kind}"))
    printed = [v for v in values if v is not None]
    if not printed:
        return base
    if kind == "text":  # one stated figure against one table figure: the coarser print decides
        return max(base, max(precision_of(v) for v in printed))
    return max(base, tolerance_for(*printed))


def sum_check(
    ctx: Context,
    location: Location,
    subject: str,
    what: str,
    actual: Decimal | None,
    parts: Sequence[Decimal | None],
    *,
    kind: str = "table",
    source_text: str | None = None,
) -> Finding | None:
    """``actual`` = Σ ``parts`` within the tolerance; blanks count as 0; all blank → no check.

    A blank ``actual`` whose parts are not zero is ``amounts-missing`` (the total was not filled
    in), otherwise a difference is ``amount-sum-mismatch``.
    """
    if actual is None and all(p is None for p in parts):
        return None
    expected = sum((p or Decimal(0) for p in parts), Decimal(0))
    difference = abs(expected - (actual or Decimal(0)))
    if difference <= tolerance(ctx, kind, [actual, *parts]):
        return None
    if actual is None:
        return make("amounts-missing", location, subject=subject, what=f"{what}未填写，应为 {money(expected)}",
                    expected=money(expected), actual="空", source_text=source_text)
    return make(
        "amount-sum-mismatch", location, subject=subject, what=what, expected=money(expected),
        actual=money(actual), difference=money(difference),
        source_text=source_text,
    )


def budget_tables(doc: Document, kind: str) -> list[BudgetTable]:
    return [t for t in doc.tables_of(kind) if isinstance(t, BudgetTable)]


def is_total(row: BudgetRow) -> bool:
    return row.code is None and label(row.name) in ("合计", "总计", "小计")


def total_row(table: BudgetTable) -> BudgetRow | None:
    return next((r for r in table.rows if is_total(r)), None)


def side_row(table: BudgetTable, side: str, pattern: str) -> BudgetRow | None:
    """The first row of one side of a two-sided table whose name matches ``pattern``."""
    rx = re.compile(pattern)
    return next((r for r in table.rows if r.side == side and rx.search(label(r.name))), None)


def _placeholder(row: BudgetRow) -> bool:
    """The printed ``0 0 0 0.00`` row of an empty table, or a stray text line without amounts."""
    amounts = [v for _, v in row.values if isinstance(v, Decimal)] + ([row.total] if row.total is not None else [])
    if row.code and set(row.code) == {"0"}:
        return not any(amounts)
    return row.code is None and not is_total(row) and not amounts


def coded_rows(table: BudgetTable) -> list[BudgetRow]:
    return [r for r in table.rows if r.code and not _placeholder(r)]


def amount_keys(table: BudgetTable) -> list[str]:
    keys = ["total"]
    for row in table.rows:
        keys += [k for k, v in row.values if isinstance(v, Decimal) and k not in keys]
    return keys


def table_format(doc: Document) -> str:
    """``shanghai`` when a table title is one only the Shanghai 九张表 use, else ``hunan``."""
    for t in doc.tables:
        if t.kind == "state_capital_expenditure" or _SH_ONLY.search(label(t.title)):
            return "shanghai"
    return "hunan"


def table_name(table: BudgetTable) -> str:
    """The table's name in its set: the Shanghai name when its title is a Shanghai one."""
    rx = _SH_TITLE.get(table.kind)
    if rx and rx.search(label(table.title)):
        return SH_TABLE_NAMES[table.kind]
    return TABLE_NAMES.get(table.kind, table.title)


def _subject(table: BudgetTable, row: BudgetRow | None = None) -> str:
    name = table_name(table)
    what = " ".join(x for x in (row.code, shown(row.name)) if x) if row is not None else ""
    return f"{name}/{what}" if what else name


def _column(key: str) -> str:
    return COLUMN_NAMES.get(key, key)


COLUMN_NAMES = {
    "total": "合计", "fiscal": "本级财政拨款", "fiscal_funding": "其中：经费拨款", "special_account": "财政专户管理事业收入",
    "operating": "事业单位经营", "superior": "上级补助收入", "other": "其它收入", "business": "事业收入",
    "carryover": "上年结转", "basic": "基本支出", "project": "项目支出", "subsidiary": "对附属单位补助支出",
    "remit": "上缴上级支出", "personnel": "人员类", "public": "公用经费", "general_budget": "一般公共预算",
    "gov_fund": "政府性基金预算", "state_capital": "国有资本经营预算", "reception": "公务接待费",
    "abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行费", "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费", "running_costs": "机关运行经费",
}


def _same_name(a: str, b: str) -> bool:
    x, y = (re.sub(r"[()（）、·]|费用$|支出$|费$", "", label(s)) for s in (a, b))
    return x in y or y in x


# ---------------------------------------------------------------- rule 22


def _empty(table: BudgetTable) -> bool:
    return not any(
        v for r in table.rows for v in [r.total, *(v for _, v in r.values)] if isinstance(v, Decimal)
    )


_EMPTY_NOTE = re.compile(r"空表(表示|即|则)|无数字则?表示|(无|没有)(相关|该项)?(收支|收入|支出)")
_EMPTY_TOPIC = {
    "gov_fund_expenditure": "政府性基金", "state_capital_expenditure": "国有资本经营", "three_public": "三公",
    "basic_expenditure": "基本支出",
}


def _states_empty(doc: Document, table: BudgetTable) -> bool:
    if table.empty_statement:
        return True
    texts = [s.text + s.title for s in doc.sections] + [a.context for a in doc.amounts]
    topic = _EMPTY_TOPIC.get(table.kind)
    for text in texts:
        if re.search(r"空表(表示|即|则)", text):
            return True
        if topic and re.search(rf"(无|没有)[^。；]{{0,12}}{topic}", text):
            return True
    return False


# a note that asserts emptiness (本表为空表) — not the conditional 此表如无数字则表示…
_ASSERTS_EMPTY = re.compile(r"(本表为空表|故[^。；]{0,6}空表|本(部门|单位)\d{0,4}年?(无|没有|未安排))")
_CONDITIONAL = re.compile(r"如无|若无|如果没有")


@rule("disclosure.tables", codes=("disclosure-table-missing", "disclosure-table-order", "disclosure-empty-unstated",
                                  "disclosure-empty-contradicted"),
      family="disclosure", profiles=PROFILES)
def check_tables(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 22 BUD-TABLES (§3.1, G BUD-001/005): a 部门预算公开 has the 10 Hunan tables, in
    order 1–10 (or, when its titles are the Shanghai ones, the 九张表 in order 1–9), and every
    empty table says the department has no such income or spending."""
    if doc.kind != "budget_disclosure":
        return
    tables = [(kind, name) for kind, name, _ in SH_TABLES] if table_format(doc) == "shanghai" else list(TABLES)
    names = dict(tables)
    number = {kind: i + 1 for i, (kind, _) in enumerate(tables)}
    subject = doc.org or doc.source
    present = {t.kind for t in doc.tables}
    for kind, name in tables:
        if kind not in present:
            yield make("disclosure-table-missing", Location(doc.source), subject=subject, number=number[kind], table=name,
                       expected=f"第 {number[kind]} 张表“{name}”", actual="未找到")
    last: tuple[int, str] | None = None
    for table in doc.tables:
        n = number.get(table.kind)
        if n is None:
            continue
        if last and n < last[0]:
            yield make("disclosure-table-order", table.location, subject=subject, number=n, count=len(tables),
                       table=names[table.kind],
                       after_number=last[0], after=last[1], expected=f"第 {n} 张表在第 {last[0]} 张表之前",
                       actual=f"第 {n} 张表在第 {last[0]} 张表之后")
        elif not last or n > last[0]:
            last = (n, names[table.kind])
    for table in doc.tables:
        if not isinstance(table, BudgetTable) or table.kind not in number:
            continue
        note = table.empty_statement or ""
        if not _empty(table) and _ASSERTS_EMPTY.search(note) and not _CONDITIONAL.search(note):
            amount = next(v for r in table.rows for v in [r.total, *(x for _, x in r.values)]
                          if isinstance(v, Decimal) and v != 0)
            yield make("disclosure-empty-contradicted", table.location, subject=_subject(table),
                       statement=note[:40], amount=f"{amount:,}", expected="空表说明与金额一致", actual="表注称空表而列有金额")
        if _empty(table) and not _states_empty(doc, table):
            yield make("disclosure-empty-unstated", table.location, subject=_subject(table),
                       expected="空表说明（此表如无数字则表示本部门无该项收支）", actual="表中无金额，也无说明")


# ---------------------------------------------------------------- rule 23 (B1–B7)

_INCOME_KEYS = (
    (r"^(本级)?财政拨款", "fiscal"), (r"^财政专户管理", "special_account"), (r"^事业单位经营", "operating"),
    (r"^上级补助", "superior"), (r"^其[它他]收入", "other"), (r"^事业收入", "business"), (r"^上年结转", "carryover"),
)
_SPEND_KEYS = (
    (r"^基本支出", "basic"), (r"^项目支出", "project"), (r"^事业单位经营", "operating"),
    (r"^对附属单位补助", "subsidiary"), (r"^上缴上级", "remit"),
)
_FISCAL = re.compile(r"^(本级)?财政拨款")
_FISCAL_SUB = re.compile(r"^(其中|一般公共预算|政府性基金|国有资本经营)")
_CARRY = re.compile(r"^(上年结转|结转下年|年终结转|结余分配|用事业基金弥补|上年结余|结余)")
_CLASS_EXCLUDE = re.compile(r"^(本年支出|结转下年|年终结转|支出总计|结余|合计|总计)")


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


def year_total(t: BudgetTable, side: str) -> BudgetRow | None:
    """本年收入(合计) / 本年支出(合计) of an overview table; the Shanghai tables print none, and
    their 总计 stands in when the side has no 结转 / 结余 amount."""
    word = "收入" if side == "income" else "支出"
    head = side_row(t, side, rf"^本年{word}")
    if head:
        return head
    rows = [r for r in t.rows if r.side == side]
    if any(_CARRY.search(label(r.name)) and wan(t, r) for r in rows):
        return None
    return side_row(t, side, rf"^{word}总计")


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


def _overview(ctx: Context, t: BudgetTable) -> Iterator[Finding | None]:
    """B1 inside 部门收支总表 (Shanghai 财务收支预算总表: 总计 = Σ the items above it; a 单位预算's
    expenditure rows: 合计 = 人员经费 + 公用经费 + 项目支出)."""
    inc, inc_parts, inc_all, inc_extra = _block(t, "income", r"^本年收入合计", r"^收入总计")
    exp, exp_parts, exp_all, exp_extra = _block(t, "expenditure", r"^本年支出合计", r"^支出总计")
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
    for grand, total, extra in ((inc_all, inc, inc_extra), (exp_all, exp, exp_extra)):
        if grand and total:
            names = " + ".join([label(total.name), *(label(r.name) for r in extra)])
            yield sum_check(ctx, grand.location, _subject(t, grand), f"{label(grand.name)}（{names}）",
                            wan(t, grand), [wan(t, total), *(wan(t, r) for r in extra)])
    for a, b in ((exp, inc), (exp_all, inc_all)):
        if a and b:
            yield sum_check(ctx, a.location, _subject(t, a), f"{label(a.name)}（= {label(b.name)}）", wan(t, a), [wan(t, b)])


def _row_identity(ctx: Context, t: BudgetTable, total_key: str, keys: Sequence[str], rows=None) -> Iterator[Finding | None]:
    """Per row: ``total_key`` = Σ ``keys`` (rows with no component printed are skipped)."""
    present = [k for k in keys if any(k in dict(r.values) for r in t.rows)]
    what = " + ".join(_column(k) for k in present)
    for row in rows if rows is not None else t.rows:
        parts = [wan(t, row, k) for k in present]
        if _placeholder(row) or all(p is None for p in parts):
            continue
        yield sum_check(ctx, row.location, _subject(t, row), f"{_column(total_key)}（{what}）", wan(t, row, total_key), parts)


def _cross(ctx: Context, t: BudgetTable, row: BudgetRow | None, key: str, other: Decimal | None, basis: str):
    """A cell of ``t`` equals a figure of another table (cross-table tolerance)."""
    if row is None:
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
    if ov:
        yield from _overview(ctx, ov)
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
        yield from _fiscal(ctx, doc, fo, ov, gb, gf, sc)
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


def _fiscal(ctx, doc, fo: BudgetTable, ov, gb, gf, sc=None) -> Iterator[Finding | None]:
    """B4–B6 on 财政拨款收支总表."""
    inc = year_total(fo, "income")
    spend = year_total(fo, "expenditure")
    if ov and inc:  # B4
        fiscal = side_row(ov, "income", r"^(本级)?财政拨款")
        if fiscal:
            yield sum_check(ctx, fiscal.location, _subject(ov, fiscal),
                            f"{label(fiscal.name)}（= {table_name(fo)} {_short(inc)}）",
                            wan(ov, fiscal), [wan(fo, inc)], kind="cross")
    if inc:
        parts = [r for r in fo.rows if r.side == "income" and re.search(r"^(一般公共预算|政府性基金|国有资本)", label(r.name))]
        if parts:
            yield sum_check(ctx, inc.location, _subject(fo, inc), f"{_short(inc)}（一般公共预算 + 政府性基金 + 国有资本经营预算拨款收入）",
                            wan(fo, inc), [wan(fo, r) for r in parts])
    _, _, inc_all, inc_extra = _block(fo, "income", r"^本年收入", r"^收入总计")
    _, _, exp_all, exp_extra = _block(fo, "expenditure", r"^本年支出", r"^支出总计")
    for grand, head, extra in ((inc_all, inc, inc_extra), (exp_all, spend, exp_extra)):
        if grand and head and grand is not head:
            names = " + ".join([label(head.name), *(label(r.name) for r in extra)])
            yield sum_check(ctx, grand.location, _subject(fo, grand), f"{label(grand.name)}（{names}）",
                            wan(fo, grand), [wan(fo, head), *(wan(fo, r) for r in extra)])
    pairs = [(spend, inc)] + ([(exp_all, inc_all)] if (exp_all, inc_all) != (spend, inc) else [])
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

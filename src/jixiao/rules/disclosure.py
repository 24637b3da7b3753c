"""Shared helpers of the disclosure-table rules (DOMAIN §6 rules 22–28): table sets, names, cells in 万元, sums.

Stage: rules — pure functions over a parsed ``Document``; this module registers no rule. Its users
are ``disclosure_tables`` (rule 22), ``disclosure_totals`` (23), ``disclosure_classes`` (24–27),
``disclosure_text`` (28) and ``selfeval_report``.

Two table sets are known (DOMAIN §3.1): the Hunan 10 tables and the Shanghai district 九张表
(财务收支预算总表 … “三公”经费和机关运行经费预算表; money in 元 except the 三公 table in 万元; no
target tables). A document is Shanghai when one of its table titles is one only the Shanghai set
uses (``table_format``); tables are then named as the Shanghai set names them. The Shanghai
overview tables have no 本年收入合计 / 本年支出合计 rows: 收入总计 / 支出总计 stand in for them
when the side has no 上年结转 / 结转下年 row (``year_total``).

All amounts are compared in 万元 (元 tables are divided by 10,000); a blank cell is 0. Each
check's tolerance is the DOMAIN one (0.01 万元 within a table, 0.05 across tables) and never
below the printed precision of its terms (``tolerance_for``); ``sum_check`` is the one place a
sum becomes ``amount-sum-mismatch`` or ``amounts-missing``.
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
# The 部门决算 tables (财政部 部门决算公开表 公开01–09表), in their published order, by the kind of the
# 预算 table each mirrors (a 决算 table's title has 决算).
FINAL_TABLES = (
    ("budget_overview", "收入支出决算总表"),
    ("revenue", "收入决算表"),
    ("expenditure", "支出决算表"),
    ("fiscal_overview", "财政拨款收入支出决算总表"),
    ("general_budget_expenditure", "一般公共预算财政拨款支出决算表"),
    ("basic_expenditure", "一般公共预算财政拨款基本支出决算表"),
    ("three_public", "一般公共预算财政拨款“三公”经费支出决算表"),
    ("gov_fund_expenditure", "政府性基金预算财政拨款收入支出决算表"),
    ("state_capital_expenditure", "国有资本经营预算财政拨款支出决算表"),
)
FINAL_TABLE_NAMES = dict(FINAL_TABLES)
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
    """The table's name in its set: the Shanghai name when its title is a Shanghai one, the 决算
    name when it is a 决算 table."""
    if "决算" in label(table.title) and table.kind in FINAL_TABLE_NAMES:
        return FINAL_TABLE_NAMES[table.kind]
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
    "affiliated": "附属单位上缴收入", "opening": "年初结转和结余", "income": "本年收入", "closing": "年末结转和结余",
    "budget_initial": "年初预算数", "budget_adjusted": "调整预算数",
}


def _same_name(a: str, b: str) -> bool:
    x, y = (re.sub(r"[()（）、·]|费用$|支出$|费$", "", label(s)) for s in (a, b))
    return x in y or y in x


# ---------------------------------------------------------------- overview rows and per-row sums

# the 结转 / 结余 rows of an overview side (between its 本年合计 and its 总计)
_CARRY = re.compile(r"^(上年结转|结转下年|年终结转|结余分配|用事业基金弥补|上年结余|结余|年初|年末|使用非财政拨款结余)")
# expenditure rows of an overview table that are not a 功能分类 类
_CLASS_EXCLUDE = re.compile(r"^(本年支出|结转下年|年终结转|支出总计|结余|合计|总计|年末|年初)")


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


def _row_identity(ctx: Context, t: BudgetTable, total_key: str, keys: Sequence[str], rows=None) -> Iterator[Finding | None]:
    """Per row: ``total_key`` = Σ ``keys`` (rows with no component printed are skipped)."""
    present = [k for k in keys if any(k in dict(r.values) for r in t.rows)]
    what = " + ".join(_column(k) for k in present)
    for row in rows if rows is not None else t.rows:
        parts = [wan(t, row, k) for k in present]
        if _placeholder(row) or all(p is None for p in parts):
            continue
        if set(row.malformed) & {total_key, *present}:
            continue  # a cell the parser could not read (reported once, by the parser)
        yield sum_check(ctx, row.location, _subject(t, row), f"{_column(total_key)}（{what}）", wan(t, row, total_key), parts)

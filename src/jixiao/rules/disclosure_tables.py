"""The disclosure's table set (DOMAIN §6 rule 22 BUD-TABLES, §3.1): every table present, in order,
and every empty table explained.

Stage: rules, over a parsed ``budget_disclosure``. The set is the Hunan 10 tables or, when a title
is one only the Shanghai 九张表 use (``disclosure.table_format``), the 九张表; a missing or
misplaced table is named by its number and name in that set. A table without a single amount
must say so — its own note, a 空表 sentence or a 无…政府性基金… sentence of the 说明 — and a note
asserting the table is empty (本表为空表, not the conditional 此表如无数字则…) is contradicted
by any amount the table lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.budget import BudgetTable
from jixiao.model.document import Document
from jixiao.model.source import Location
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules.disclosure import PROFILES
from jixiao.rules.disclosure import SH_TABLES
from jixiao.rules.disclosure import TABLES
from jixiao.rules.disclosure import _subject
from jixiao.rules.disclosure import table_format


def _empty(table: BudgetTable) -> bool:
    return not any(
        v for r in table.rows for v in [r.total, *(v for _, v in r.values)] if isinstance(v, Decimal)
    )


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

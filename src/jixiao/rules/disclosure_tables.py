"""The disclosure's table set (DOMAIN §6 rule 22 BUD-TABLES, §3.1): every table present, in order,
and every empty table explained.

Stage: rules, over a parsed ``budget_disclosure``. The set is the Hunan 10 tables or, when a title
is one only the Shanghai 九张表 use (``disclosure.table_format``), the 九张表; a missing or
misplaced table is named by its number and name in that set. A table without a single amount
must say so — its own note, a 空表 sentence, a 无…政府性基金… sentence of the 说明 or its amount
stated as 0 there (then a warning: the table lacks its own note) — and a table left out whose
emptiness the 说明 states is a warning, not an error (severity says how sure and how bad); a note
asserting the table is empty (本表为空表, not the conditional 此表如无数字则…) is contradicted
by any amount the table lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.findings import make
from jixiao.model.budget import BudgetTable
from jixiao.model.document import Document
from jixiao.model.source import Location
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules._disclosure_text_match import topic_of
from jixiao.rules.disclosure import FINAL_TABLES
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
# the topics (``_disclosure_text_match.topic_of``) of a stated amount that says the table's total
_EMPTY_AMOUNT_TOPICS = {
    "gov_fund_expenditure": ("gf_spending",), "state_capital_expenditure": ("sc_spending",),
    "three_public": ("sangong",), "basic_expenditure": ("basic",),
}


def _states_empty(doc: Document, table: BudgetTable) -> str | None:
    """How the document states a table is empty: ``note`` (its own), ``text`` (a sentence of the
    说明), ``zero`` (the 说明 only gives its amount as 0), or None."""
    if table.empty_statement:
        return "note"
    return _narrative_states_empty(doc, table.kind)


def _narrative_states_empty(doc: Document, kind: str) -> str | None:
    """The 说明 says the department has none of a table's income or spending: a 空表 sentence,
    ``本部门无政府性基金安排的支出`` / ``未安排…`` / ``不涉及…`` (``text``), or only the amount stated
    as 0 (``政府性基金拨款支出预算0万元``: ``zero``)."""
    texts = [s.text + s.title for s in doc.sections] + [a.context for a in doc.amounts] + [p.text for p in doc.paragraphs]
    topic = _EMPTY_TOPIC.get(kind)
    for text in texts:
        if re.search(r"空表(表示|即|则)", text):
            return "text"
        if topic and re.search(rf"(无|没有|未安排|不涉及|未使用)[^。；]{{0,12}}{topic}|{topic}[^。；，]{{0,16}}(为零|为空)", text):
            return "text"
    topics = _EMPTY_AMOUNT_TOPICS.get(kind, ())
    if any(a.value == 0 and a.change is None and a.unit in ("万元", "元") and topic_of(a.label) in topics for a in doc.amounts):
        return "zero"
    return None


# a note that asserts emptiness (本表为空表) — not the conditional 此表如无数字则表示…
_ASSERTS_EMPTY = re.compile(r"(本表为空表|故[^。；]{0,6}空表|本(部门|单位)\d{0,4}年?(无|没有|未安排))")
_CONDITIONAL = re.compile(r"如无|若无|如果没有")


@rule("disclosure.tables", codes=("disclosure-table-missing", "disclosure-table-order", "disclosure-empty-unstated",
                                  "disclosure-empty-contradicted", "final-table-missing"),
      family="disclosure", profiles=PROFILES)
def check_tables(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 22 BUD-TABLES (§3.1, G BUD-001/005): a 部门预算公开 has the 10 Hunan tables, in
    order 1–10 (or, when its titles are the Shanghai ones, the 九张表 in order 1–9), and every
    empty table says the department has no such income or spending. A 部门决算 has the 9 tables of the
    财政部 部门决算公开 format (公开01–09表); one missing is a warning (formats vary by region)."""
    final = doc.kind == "final_accounts"
    if doc.kind != "budget_disclosure" and not final:
        return
    if final:
        tables = list(FINAL_TABLES)
    else:
        tables = [(kind, name) for kind, name, _ in SH_TABLES] if table_format(doc) == "shanghai" else list(TABLES)
    names = dict(tables)
    number = {kind: i + 1 for i, (kind, _) in enumerate(tables)}
    subject = doc.org or doc.source
    present = {t.kind for t in doc.tables}
    for kind, name in tables:
        if kind not in present:
            # the 说明 says the department has none of it: the empty table was left out (warning)
            stated = kind in _EMPTY_TOPIC and _narrative_states_empty(doc, kind) is not None
            yield make("final-table-missing" if final else "disclosure-table-missing", Location(doc.source), subject=subject,
                       number=number[kind], table=name,
                       note="（说明中已称无此项收支；空表也应公开，并注明“本表为空表”）" if stated else "",
                       expected=f"第 {number[kind]} 张表“{name}”", actual="未找到",
                       severity=Severity.WARNING if stated else None)
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
        stated = _states_empty(doc, table) if _empty(table) else "note"
        if stated in (None, "zero"):  # a 0 in the 说明 explains it: at most a warning
            yield make("disclosure-empty-unstated", table.location, subject=_subject(table),
                       expected="空表说明（此表如无数字则表示本部门无该项收支）", actual="表中无金额，也无说明",
                       severity=Severity.WARNING if stated == "zero" else None)

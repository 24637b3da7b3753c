"""Scorecards of real target tables with actuals set in code, for the tests of the documents written
from a self-evaluation (write.selfeval_table, write.selfeval_report).

Seed 002 (沅江市行政审批服务局 2023: the 部门整体 target set and six projects): every indicator is
given its target as 完成值 (a qualitative one “达成年度指标”) except the first indicator of each set,
completed at 90% with a reason; the department spends 95% of its 资金总额, project n spends
(100 − 4n)%, project 2 with no reason (below 90%: a finding).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal
from functools import lru_cache

from hypothesis import strategies as st

from jixiao.model.indicator import ValueKind
from jixiao.model.source import Location
from jixiao.pipeline import parse_file
from jixiao.selfeval.actuals import ActualRow
from jixiao.selfeval.actuals import BudgetRow
from jixiao.selfeval.actuals import Match
from jixiao.selfeval.scorecard import Scorecard
from jixiao.selfeval.scorecard import score_document
from jixiao.selfeval.template import indicator_entries
from jixiao.selfeval.template import initial_budget
from jixiao.selfeval.template import set_entries
from tests.conftest import seed

REASON = "部分工作推迟至次年完成"


@lru_cache(maxsize=1)
def _doc_002():
    doc, _ = parse_file(seed("002"))
    return doc


def card_002(budgets: dict[int, tuple[Decimal, Decimal]] | None = None) -> Scorecard:
    """``budgets``: set number → (全年预算数, 全年执行数) instead of the defaults (年初 = 全年 = 资金总额)."""
    doc = _doc_002()
    sets = set_entries(doc)
    rows, rows_budget = {}, {}
    first = set()
    for e in indicator_entries(doc, sets):
        i, where = e.indicator, Location("actuals.xlsx", sheet="实际完成值", row=len(rows) + 3)
        lead = e.set_entry.key not in first
        first.add(e.set_entry.key)
        if i.target.kind == ValueKind.QUANTITATIVE and i.target.value is not None:
            value: Decimal | str = i.target.value * Decimal("0.9") if lead and i.target.op in ("≥", "＞") else i.target.value
        else:
            value = "达成年度指标"
        reason = REASON if lead and value != i.target.value and isinstance(value, Decimal) else None
        rows[e.key] = ActualRow(len(rows) + 3, e.key, e.names, value, reason, where)
    for n, s in enumerate(sets):
        initial = initial_budget(s.target_set)
        share = Decimal("0.95") if n == 0 else Decimal(100 - 4 * n) / 100
        spent = (initial * share).quantize(Decimal("0.01"))
        reason = None if n == 2 or share >= Decimal("0.9") else "采购合同尾款次年支付"
        budget = initial
        if budgets and n in budgets:
            budget, spent = budgets[n]
            reason = "采购合同尾款次年支付"
        rows_budget[s.key] = BudgetRow(n + 3, s.key, s.names, initial, budget, spent, (), reason,
                                       Location("actuals.xlsx", sheet="预算执行", row=n + 3))
    return score_document(doc, Match(rows, rows_budget))


CENTS = st.integers(min_value=100, max_value=500_000).map(lambda c: Decimal(c) / 100)


@st.composite
def executions(draw) -> dict[int, tuple[Decimal, Decimal]]:
    """全年预算数 and 全年执行数 (0 to 130% of it) of some of seed 002's seven target sets (for card_002)."""
    sets = draw(st.sets(st.integers(min_value=0, max_value=6), min_size=1))
    out = {}
    for n in sets:
        budget = draw(CENTS)
        share = draw(st.integers(min_value=0, max_value=13_000))
        out[n] = budget, (budget * share / 10_000).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return out

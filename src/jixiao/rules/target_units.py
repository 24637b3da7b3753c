"""The unit of a project form's amounts, and amounts left at 0 (DOMAIN §6 rules 18 and 20).

Project-library exports print ``本年度项目金额（万元）`` but some hold 元 in those cells
(137584 for a project whose cost target is 13.7584 万元). The unit is judged from the form's own
figures, never from magnitude alone:

* **evidence in the set**: the 经济成本 targets come to 50–125 % of the amount read as 元 and to
  at most 1 % of it read as 万元; or an amount its 测算依据 states in 万元 (one, or their sum) is
  the amount read as 元, to the cent or 0.1 %. A cost target
  that matched one ten-thousandth of the budget by chance would be a remarkable coincidence;
  a real 万元 form has costs near its budget, where this never fires.
* **the same table**: a form exported by one system uses one unit. When some sets of a table
  show the evidence and none shows the opposite (costs near the amount read as 万元), the other
  sets' amounts are reported as warnings.

``amount_scale`` gives the other rules the divisor, so a cost-vs-budget comparison is not
reported again as a consequence (the unit is the one cause).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.money import Unit
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules._targets_common import clean
from jixiao.rules._targets_common import levels
from jixiao.rules._targets_common import money
from jixiao.rules._targets_common import real
from jixiao.rules._targets_common import set_label
from jixiao.rules._targets_common import target_tables
from jixiao.rules._targets_common import to_wan

WAN = Decimal(10000)
_LOW, _HIGH = Decimal("0.5"), Decimal("1.25")  # a cost covers 50–125 % of its budget
_FAR = Decimal(100)  # … and is at most 1 % of the amount read in the labelled unit
_CENT = Decimal("0.01")  # a stated 万元 figure matches to the printed cent, or to 0.1 %
_STATED = re.compile(r"(\d+(?:\.\d+)?)\s*万(?:元(?![/每])|(?![元/每]))")


def _amount(ts: TargetSet) -> Decimal | None:
    a = ts.amounts
    return a.total if a.total else a.period_total


def _costs(ts: TargetSet) -> Decimal | None:
    """Σ 经济成本 targets stated as amounts of money, in 万元 (unit costs such as 元/人 left out)."""
    total = Decimal(0)
    for ind in real(ts):
        lv = levels(ind)
        t = ind.target
        if (lv.level1, lv.level2) != ("成本", "经济成本") or t.value is None or t.op in ("≥", ">"):
            continue
        unit = (t.unit or t.unit_text or "").strip()
        if "/" in unit or (t.note or "").startswith("/"):
            continue
        wan = to_wan(t.value, unit)
        if wan is not None:
            total += wan
    return total or None


def _stated(ts: TargetSet) -> list[Decimal]:
    """Amounts the 测算依据 states in 万元: each one and their sum."""
    found: list[Decimal] = []
    for name, text, _where in ts.texts:
        if name == "calculation":
            found += [Decimal(x) for x in _STATED.findall(text)]
    return [*found, sum(found, Decimal(0))] if len(found) > 1 else found


def _fits(part: Decimal, whole: Decimal) -> bool:
    return whole > 0 and _LOW <= part / whole <= _HIGH


def _evidence(ts: TargetSet) -> tuple[str | None, bool]:
    """(why the amount is in 元, whether its figures fit the labelled 万元 instead)."""
    amount = _amount(ts)
    if not amount or amount < 0 or ts.amounts.unit is not Unit.WANYUAN:
        return None, False
    cost = _costs(ts)
    if cost is not None:
        if _fits(cost, amount / WAN) and cost * _FAR <= amount:
            if abs(cost - amount / WAN) <= max(_CENT, amount / WAN / 1000):
                return f"其经济成本指标合计 {money(cost)} 万元恰为该数的万分之一", False
            share = f"{cost * WAN * 100 / amount:.0f}%"
            return (f"其经济成本指标合计 {money(cost)} 万元，是该数按元折合（{money(amount / WAN)} 万元）的 {share}，"
                    f"按万元读则不足其 1%"), False
        if _fits(cost, amount):
            return None, True
    for stated in _stated(ts):
        if stated * _FAR <= amount and abs(stated - amount / WAN) <= max(_CENT, amount / WAN / 1000):
            return f"测算依据写明 {money(stated)} 万元，恰为该数的万分之一", False
    return None, False


_VERDICTS: dict[int, tuple[TargetTable, tuple[tuple[str | None, bool], ...]]] = {}


def _table_verdicts(table: TargetTable) -> tuple[tuple[str | None, bool], ...]:
    """Each set's evidence, once per table (by identity: hashing a whole table per set would be quadratic)."""
    hit = _VERDICTS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    verdicts = tuple(_evidence(ts) for ts in table.target_sets)
    if len(_VERDICTS) >= 16:
        _VERDICTS.clear()
    _VERDICTS[id(table)] = (table, verdicts)  # the table is kept, so its id is not reused while cached
    return verdicts


def _inferred(table: TargetTable) -> int:
    """How many sets of the table prove amounts in 元 (0 when any set's figures fit 万元)."""
    verdicts = _table_verdicts(table)
    if any(fits_wan for _, fits_wan in verdicts):
        return 0
    return sum(1 for why, _ in verdicts if why)


def amount_scale(table: TargetTable, ts: TargetSet) -> Decimal:
    """The divisor that turns the set's amounts into 万元: 10000 when they are 元 under a 万元 label."""
    why, _ = _evidence(ts)
    if why or (_amount(ts) and _inferred(table)):
        return WAN
    return Decimal(1)


def _printed(ts: TargetSet) -> str:
    a = ts.amounts
    parts = []
    if a.total:
        parts.append(f"本年度金额 {_plain(a.total)}")
    if a.period_total and a.period_total != a.total:
        parts.append(f"项目总金额 {_plain(a.period_total)}")
    return "、".join(parts)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():,f}"


@rule("targets.amount-unit", codes=("amount-unit-suspect",), family="targets", profiles=("targets",))
def check_amount_unit(doc: Document, ctx: Context) -> Iterator[Finding]:
    """Amounts labelled 万元 that hold 元 (DOMAIN §6 rules 18/20; issue 7 §8 "units come from where the
    document states them").

    E when the set's own cost targets or 测算依据 put the amount at 10,000 × their 万元 figure;
    W for the other sets of a table where some sets prove it and none contradicts it.
    """
    for table in target_tables(doc):
        proven = _inferred(table)
        for ts, (why, _) in zip(table.target_sets, _table_verdicts(table), strict=True):
            amount = _amount(ts)
            if not amount:
                continue
            where = ts.amounts_location or ts.location
            if why:
                yield make("amount-unit-suspect", where, subject=set_label(table, ts), actual=_printed(ts),
                           expected=money(amount / WAN), evidence=why)
            elif proven:
                yield make("amount-unit-suspect", where, subject=set_label(table, ts), actual=_printed(ts),
                           expected=money(amount / WAN), severity=Severity.WARNING,
                           evidence=f"同表另有 {proven} 个项目的成本指标或测算依据证实金额以元填写")


@rule("targets.amount-zero", codes=("amounts-missing",), family="targets", profiles=("targets",))
def check_amount_zero(doc: Document, ctx: Context) -> Iterator[Finding]:
    """A project form whose amounts are 0 (DOMAIN §6 rule 20: every target set states its money).

    Project-library exports print 0.0 where no amount was entered. E when the set's cost targets
    spend money or another table of the document gives the project an amount (the 0 contradicts
    them), else W. A blank amount is ``targets.header-funds``'.
    """
    for table in target_tables(doc):
        if table.kind not in ("project_targets", "special_fund_targets"):
            continue
        for ts in table.target_sets:
            a = ts.amounts
            if a.total is None or a.total != 0 or a.period_total:
                continue
            cost = _costs(ts)
            elsewhere = _budgeted_elsewhere(doc, table, ts)
            what = "本年度项目金额为 0，未填列预算金额"
            if cost:
                what += f"，而经济成本指标合计 {money(cost)} 万元"
            if elsewhere:
                what += f"，而{elsewhere[0]}中本项目的金额为 {money(elsewhere[1])} 万元"
            yield make("amounts-missing", ts.amounts_location or ts.location, subject=set_label(table, ts),
                       what=what, severity=Severity.ERROR if cost or elsewhere else Severity.WARNING)


def _budgeted_elsewhere(doc: Document, table: TargetTable, ts: TargetSet) -> tuple[str, Decimal] | None:
    """The same project's amount in another table of the document (a 执行监控表's 年初预算数 …)."""
    name = clean(ts.project)
    if not name:
        return None
    for other in doc.tables:
        if other is table or not isinstance(other, TargetTable):
            continue
        for s in other.target_sets:
            if clean(s.project) == name and s.amounts.total:
                return other.title, s.amounts.total / amount_scale(other, s)
    return None

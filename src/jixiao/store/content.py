"""A parsed Document as rows, and stored target sets back as the model the rules read.

Rows keep what the parser produced: printed text, parsed values (exact Decimal), locations.
What has no column of its own (tasks, expense details, placeholders of a target set) is kept
as JSON in ``extra``; the whole parse result is also kept as the parse JSON contract on the
document (``Document.parsed``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.model import document as m
from jixiao.model.budget import BudgetRow as MBudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.indicator import Indicator as MIndicator
from jixiao.model.indicator import Placeholder
from jixiao.model.indicator import TargetValue
from jixiao.model.indicator import ValueKind
from jixiao.model.money import Unit
from jixiao.model.source import Location
from jixiao.model.targets import ExpenseDetail
from jixiao.model.targets import FundAmounts
from jixiao.model.targets import TargetSet as MTargetSet
from jixiao.model.targets import TargetTable
from jixiao.model.targets import Task
from jixiao.store import schema as db


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _loc(location: Location | None) -> str:
    return str(location) if location is not None else ""


def indicator_row(ind: MIndicator, position: int) -> db.Indicator:
    t = ind.target
    return db.Indicator(
        position=position, level1=ind.level1, level2=ind.level2, name=ind.name, target_text=t.text,
        kind=t.kind.value, op=t.op, value=t.value, unit=t.unit, note=t.note, date=t.date,
        op_text=t.op_text, unit_text=t.unit_text, explanation=ind.explanation, scoring=ind.scoring,
        weight=ind.weight, standard=ind.standard, remark=ind.note, location=_loc(ind.location),
    )


def _extra(s: MTargetSet) -> dict:
    return {
        "tasks": [{"name": t.name, "content": t.content, "owner": t.owner, "location": _loc(t.location)}
                  for t in s.tasks],
        "details": [{"summary": d.summary, "detail": d.detail, "amount": _dec(d.amount), "basis": d.basis,
                     "location": _loc(d.location)} for d in s.details],
        "details_total": _dec(s.details_total),
        "placeholders": [{"level1": p.level1, "level2": p.level2, "text": p.text, "weight": _dec(p.weight),
                          "location": _loc(p.location)} for p in s.placeholders],
        "superior": _dec(s.amounts.superior),
        "period_total": _dec(s.amounts.period_total),
        "amounts_location": _loc(s.amounts_location) or None,
        # every header cell as printed, where it is printed (the rules locate header findings by it)
        "texts": [[name, text, _loc(where)] for name, text, where in s.texts],
    }


def target_set_row(s: MTargetSet, position: int) -> db.TargetSet:
    row = db.TargetSet(
        position=position, unit_code=s.unit_code, unit=s.unit, project=s.project, project_code=s.project_code,
        amounts={k: _dec(v) for k, v in s.amounts.as_dict().items()}, amounts_unit=s.amounts.unit.value,
        goal=s.goal, period_goal=s.period_goal, functions=s.functions, category=s.category, period=s.period,
        parent_fund=s.parent_fund, extra=_extra(s), location=_loc(s.location),
    )
    row.indicator_rows = [indicator_row(ind, i) for i, ind in enumerate(s.indicators)]
    return row


def _cell(value: object) -> object:
    return _dec(value) if isinstance(value, Decimal) else value


def content_rows(doc: m.Document) -> list[tuple[db.DocTable, list]]:
    """Every table of ``doc`` with its target sets (each carrying ``indicator_rows``) or budget rows."""
    out = []
    for position, table in enumerate(doc.tables):
        row = db.DocTable(position=position, kind=table.kind, title=table.title or "", year=table.year,
                          org=table.org, location=_loc(table.location))
        children: list = []
        if isinstance(table, TargetTable):
            row.layout = table.layout
            children = [target_set_row(s, i) for i, s in enumerate(table.target_sets)]
        elif isinstance(table, BudgetTable):
            row.unit = table.unit.value
            children = [
                db.BudgetRow(position=i, code=r.code, name=r.name, total=r.total,
                             values={k: _cell(v) for k, v in r.values}, side=r.side, location=_loc(r.location))
                for i, r in enumerate(table.rows)
            ]
        out.append((row, children))
    return out


def narrative_rows(doc: m.Document) -> tuple[list[db.Section], list[db.StatedAmount]]:
    sections = [db.Section(position=i, number=s.number, title=s.title, level=s.level, location=_loc(s.location))
                for i, s in enumerate(doc.sections)]
    amounts = [db.StatedAmount(position=i, label=a.label, value=a.value, unit=a.unit, change=a.change,
                               period=a.period, location=_loc(a.location))
               for i, a in enumerate(doc.amounts)]
    return sections, amounts


# ---- back to the model (the rules run on an edited target set) --------------------------------

def parse_location(text: str | None) -> Location:
    """A stored location back as a Location the rules can order by: the file, and the line when
    the text form carries one (``file:12``); other forms keep their text as the file."""
    text = text or ""
    head, _, tail = text.rpartition(":")
    if head and tail.isdigit():
        return Location(file=head, line=int(tail))
    return Location(file=text)


def _d(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)


def indicator_model(row: db.Indicator) -> MIndicator:
    target = TargetValue(text=row.target_text or "", kind=ValueKind(row.kind or "empty"), op=row.op,
                         value=row.value, unit=row.unit, note=row.note, date=row.date, op_text=row.op_text,
                         unit_text=row.unit_text)
    return MIndicator(level1=row.level1, level2=row.level2, name=row.name, target=target,
                      location=parse_location(row.location), explanation=row.explanation,
                      scoring=row.scoring, weight=row.weight, standard=row.standard, note=row.remark)


def target_set_model(row: db.TargetSet, indicators: list[db.Indicator]) -> MTargetSet:
    extra = row.extra or {}
    amounts = FundAmounts(**{k: _d(v) for k, v in (row.amounts or {}).items()},
                          superior=_d(extra.get("superior")), period_total=_d(extra.get("period_total")),
                          unit=Unit(row.amounts_unit or "万元"))
    return MTargetSet(
        location=parse_location(row.location), unit_code=row.unit_code, unit=row.unit, project=row.project,
        project_code=row.project_code, amounts=amounts, goal=row.goal, period_goal=row.period_goal,
        functions=row.functions, category=row.category, period=row.period, parent_fund=row.parent_fund,
        tasks=tuple(Task(name=t["name"], content=t["content"], owner=t.get("owner"),
                         location=parse_location(t.get("location"))) for t in extra.get("tasks", [])),
        indicators=tuple(indicator_model(i) for i in sorted(indicators, key=lambda i: i.position)),
        placeholders=tuple(Placeholder(level1=p["level1"], level2=p["level2"], text=p.get("text") or "",
                                       weight=_d(p.get("weight")), location=parse_location(p.get("location")))
                           for p in extra.get("placeholders", [])),
        details=tuple(ExpenseDetail(summary=d["summary"], detail=d["detail"], amount=_d(d.get("amount")),
                                    basis=d["basis"], location=parse_location(d.get("location")))
                      for d in extra.get("details", [])),
        details_total=_d(extra.get("details_total")),
        texts=tuple((name, text, parse_location(where)) for name, text, where in extra.get("texts", [])),
        amounts_location=parse_location(extra["amounts_location"]) if extra.get("amounts_location") else None,
    )


def target_document(table: db.DocTable, target_set: MTargetSet, *, source: str, year: int | None,
                    org: str | None) -> m.Document:
    """One target set as the document the target rules review."""
    t = TargetTable(kind=table.kind, title=table.title, location=parse_location(table.location), year=year,
                    org=org, layout=table.layout, target_sets=(target_set,))
    return m.Document(source=source, tables=(t,), kind="targets", year=year, org=org)


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _value(value: object) -> object:
    """A stored budget cell: Decimal text back as Decimal, other text as it is."""
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return Decimal(value)
    return value


def budget_table_model(table: db.DocTable, rows: list[db.BudgetRow]) -> BudgetTable:
    """A stored budget table back as the model (its columns in the order the rows name them)."""
    columns: dict[str, None] = {}
    model_rows = []
    for r in sorted(rows, key=lambda r: r.position):
        values = tuple((k, _value(v)) for k, v in (r.values or {}).items())
        columns.update(dict.fromkeys(k for k, _v in values))
        model_rows.append(MBudgetRow(name=r.name, location=parse_location(r.location), code=r.code, total=r.total,
                                     values=values, side=r.side))
    return BudgetTable(kind=table.kind, title=table.title, location=parse_location(table.location), year=table.year,
                       org=table.org, unit=Unit(table.unit or "万元"), columns=tuple(columns), rows=tuple(model_rows))

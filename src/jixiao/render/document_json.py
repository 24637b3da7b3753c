"""The canonical JSON of parsed documents (the contract other tools read; names are stable)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.findings import Finding
from jixiao.model.budget import BudgetTable
from jixiao.model.document import Document
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import TargetValue
from jixiao.model.selfeval_table import FormText
from jixiao.model.selfeval_table import SelfEvalTable
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _value(value: object) -> object:
    return _dec(value) if isinstance(value, Decimal) else value


def _target_json(t: TargetValue) -> dict[str, Any]:
    """A target value: the contract's op/value/unit/text/kind and the printed cells."""
    return {
        "op": t.op,
        "value": _dec(t.value),
        "unit": t.unit,
        "text": t.text,
        "kind": t.kind.value,
        "note": t.note,
        "date": t.date,
        "op_text": t.op_text,
        "unit_text": t.unit_text,
    }


def indicator_json(ind: Indicator) -> dict[str, Any]:
    return {
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        **_target_json(ind.target),
        "explanation": ind.explanation,
        "scoring": ind.scoring,
        "weight": _dec(ind.weight),
        "standard": ind.standard,
        "remark": ind.note,
        "location": str(ind.location),
    }


def target_set_json(s: TargetSet) -> dict[str, Any]:
    return {
        "unit_code": s.unit_code,
        "unit": s.unit,
        "project": s.project,
        "project_code": s.project_code,
        "amounts": {k: _dec(v) for k, v in s.amounts.as_dict().items()},
        "amounts_unit": s.amounts.unit.value,
        "superior_funds": _dec(s.amounts.superior),
        "period_total": _dec(s.amounts.period_total),
        "goal": s.goal,
        "period_goal": s.period_goal,
        "functions": s.functions,
        "category": s.category,
        "period": s.period,
        "parent_fund": s.parent_fund,
        "tasks": [
            {"name": t.name, "content": t.content, "owner": t.owner, "location": str(t.location)} for t in s.tasks
        ],
        "indicators": [indicator_json(i) for i in s.indicators],
        "placeholders": [
            {
                "level1": p.level1,
                "level2": p.level2,
                "text": p.text,
                "weight": _dec(p.weight),
                "location": str(p.location),
            }
            for p in s.placeholders
        ],
        "details": [
            {
                "summary": d.summary,
                "detail": d.detail,
                "amount": _dec(d.amount),
                "basis": d.basis,
                "location": str(d.location),
            }
            for d in s.details
        ],
        "details_total": _dec(s.details_total),
        "amounts_location": str(s.amounts_location) if s.amounts_location else None,
        "location": str(s.location),
    }


def _form_text_json(f: FormText | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"label": f.label, "text": f.text, "printed": f.printed, "instruction": f.instruction,
            "location": str(f.location)}


def _selfeval_table_json(t: SelfEvalTable) -> dict[str, Any]:
    loc = lambda x: str(x) if x is not None else None  # noqa: E731
    return {
        "project": _form_text_json(t.project),
        "department": _form_text_json(t.department),
        "implementer": _form_text_json(t.implementer),
        "goal": _form_text_json(t.goal),
        "goal_completion": _form_text_json(t.goal_completion),
        "texts": [_form_text_json(f) for f in t.texts],
        "budget_points": _dec(t.budget_points),
        "budget_location": loc(t.budget_location),
        "budget_lines": [
            {
                "label": b.label,
                "initial": _dec(b.initial),
                "adjusted": _dec(b.adjusted),
                "spent": _dec(b.spent),
                "rate": _dec(b.rate),
                "rate_text": b.rate_text,
                "weight": _dec(b.weight),
                "score": _dec(b.score),
                "score_text": b.score_text,
                "reason": b.reason,
                "reason_printed": b.reason_printed,
                "location": str(b.location),
                "cells": {k: str(v) for k, v in b.cells},
            }
            for b in t.budget_lines
        ],
        "indicator_points": _dec(t.indicator_points),
        "indicator_location": loc(t.indicator_location),
        "indicators": [
            {
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                **_target_json(i.target),
                "actual": i.actual,
                "weight": _dec(i.weight),
                "score": _dec(i.score),
                "score_text": i.score_text,
                "reason": i.reason,
                "location": str(i.location),
                "cells": {k: str(v) for k, v in i.cells},
            }
            for i in t.indicators
        ],
        "total_weight": _dec(t.total_weight),
        "total_score": _dec(t.total_score),
        "total_score_text": t.total_score_text,
        "total_location": loc(t.total_location),
        "grade": t.grade,
        "grade_location": loc(t.grade_location),
        "conclusion": _form_text_json(t.conclusion),
        "problems": _form_text_json(t.problems),
        "measures": _form_text_json(t.measures),
        "signatures": [_form_text_json(f) for f in t.signatures],
        "missing": list(t.missing),
    }


def table_json(table: TargetTable | BudgetTable | SelfEvalTable) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": table.kind,
        "title": table.title,
        "year": table.year,
        "org": table.org,
        "location": str(table.location),
    }
    if isinstance(table, SelfEvalTable):
        out.update(_selfeval_table_json(table))
        out["target_sets"] = []
        out["rows"] = []
    elif isinstance(table, TargetTable):
        out["layout"] = table.layout
        out["target_sets"] = [target_set_json(s) for s in table.target_sets]
        out["subtotals"] = [
            {"label": s.label, "unit_code": s.unit_code, "amount": _dec(s.amount), "location": str(s.location)}
            for s in table.subtotals
        ]
        out["rows"] = []
    else:
        out["unit"] = table.unit.value
        out["columns"] = list(table.columns)
        out["empty_statement"] = table.empty_statement
        out["target_sets"] = []
        out["rows"] = [
            {
                "code": r.code,
                "name": r.name,
                "total": _dec(r.total),
                "values": {k: _value(v) for k, v in r.values},
                "side": r.side,
                "location": str(r.location),
            }
            for r in table.rows
        ]
    return out


def document_json(doc: Document | None, source: str, findings: list[Finding]) -> dict[str, Any]:
    return {
        "source": source,
        "kind": doc.kind if doc else None,
        "year": doc.year if doc else None,
        "org": doc.org if doc else None,
        "orgs": [
            {"name": o.name, "level": o.level, "code": o.code, "location": str(o.location)}
            for o in (doc.orgs if doc else ())
        ],
        "tables": [table_json(t) for t in doc.tables] if doc else [],
        "sections": [
            {"number": s.number, "title": s.title, "level": s.level, "location": str(s.location)}
            for s in (doc.sections if doc else ())
        ],
        "amounts": [
            {
                "label": a.label,
                "value": _dec(a.value),
                "unit": a.unit,
                "change": a.change,
                "location": str(a.location),
            }
            for a in (doc.amounts if doc else ())
        ],
        "findings": [f.as_dict() for f in findings],
    }

"""Is a document a blank template? (An official form whose tables were never filled in.)

A document is a blank template when it has tables, none of them holds anything filled in
(no amount other than 0, no indicator with a value, no amount in a target set) and none says
that it is empty on purpose (a 空表 statement belongs to a real document), and the document
shows that it is a form: placeholder text (``XX局``, ``x,xxx万元``, ``XXX个``, ``……``) in its
narrative or tables, or no organisation named anywhere. Tables of a kind the parser reads only
partly (自评表) never make a template: they have their own unfilled-form findings.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.model.budget import BudgetTable
from jixiao.model.targets import TargetTable
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import Row

_MARKER = re.compile(r"(?<![A-Za-z])(XX+|xx+|x,xxx|××+|ＸＸ+)(?![A-Za-z])|…{2,}|\.{6,}")


def is_blank_template(tables: list, narrative: list[Paragraph | Row]) -> bool:
    if not tables or not all(isinstance(t, (BudgetTable, TargetTable)) and _blank(t) for t in tables):
        return False
    if all(t.org is None for t in tables):
        return True
    return bool(markers(narrative))


def is_blank_outline(tables: list, sections: list, amounts: list) -> bool:
    """A report outline never written: no tables, at least three section headings, no amount
    stated, and no section with a body (a heading's own bracketed note, such as
    ``一、项目综述（立项背景、总体执行情况……）``, says what to write, it is not the writing)."""
    if tables or len(sections) < 3 or amounts:
        return False
    return all(not _body(s.text) for s in sections)


def _body(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text or "")


def markers(narrative: list[Paragraph | Row]) -> list[str]:
    """The placeholder texts of the narrative, in order, each once (``XX``, ``x,xxx``, ``……``)."""
    found: dict[str, None] = {}
    for line in narrative:
        text = line.text if isinstance(line, Paragraph) else " ".join(line.filled)
        for m in _MARKER.finditer(text):
            found.setdefault(m.group(), None)
    return list(found)


def _blank(table: BudgetTable | TargetTable) -> bool:
    if isinstance(table, BudgetTable):
        if table.empty_statement:
            return False
        for row in table.rows:
            if _filled(row.total) or any(_filled(v) for _, v in row.values):
                return False
        return True
    for ts in table.target_sets:
        if any(_filled(v) for v in (*ts.amounts.as_dict().values(), ts.amounts.period_total)):
            return False
        if any(i.target.text.strip() for i in ts.indicators):
            return False
    return True


def _filled(value: object) -> bool:
    return isinstance(value, Decimal) and value != 0

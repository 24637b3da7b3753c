"""Parse a 评（扣）分标准 into a :class:`ScoringRule`.

normalise (NFKC, no spaces, known typos fixed and reported) → split into clauses at ，；。 →
classify every clause by one pattern (an *atom*) → assemble the atoms into one family →
check the family's internal consistency and, when given, its points against the weight.

A text is parsed only when every clause was classified and the atoms make one family; any
leftover clause, placeholder (``XX分``), overlap or contradiction gives ``None`` and a finding
saying why, and the caller scores with the default method. Boundary gaps that the printed
formula closes (``小于60%不得分，超过61%…``) are parsed and reported as info findings.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.source import Location
from jixiao.scoring.assemble import assemble
from jixiao.scoring.clauses import EMPTY_TEXTS
from jixiao.scoring.clauses import PLACEHOLDER
from jixiao.scoring.clauses import RuleError
from jixiao.scoring.clauses import classify_all
from jixiao.scoring.clauses import clauses
from jixiao.scoring.clauses import contradiction
from jixiao.scoring.clauses import normalise
from jixiao.scoring.families import ScoringRule
from jixiao.scoring.families import weight_conflict

__all__ = ["parse_rule"]


def parse_rule(
    text: str | None,
    weight: Decimal | None = None,
    *,
    subject: str | None = None,
    location: Location | None = None,
) -> tuple[ScoringRule | None, list[Finding]]:
    """Parse a 评（扣）分标准. Returns ``(rule, findings)``; ``rule`` is None when the text is
    empty or not parseable, and the findings then say why (the caller falls back to the default
    method). ``weight`` (分值) lets the parser reject rules whose points contradict it."""
    prefix = f"{subject}：" if subject else ""
    original = (text or "").strip()

    def finding(code: str, **fields: object) -> Finding:
        return make(
            code,
            location,
            subject=subject,
            source_text=original or None,
            prefix=prefix,
            text=original,
            **fields,
        )

    s, typos = normalise(original)
    if s in EMPTY_TEXTS:
        return None, [finding("scoring-rule-missing")]
    placeholder = PLACEHOLDER.search(s)
    if placeholder:
        return None, [finding("scoring-rule-placeholder", placeholder=placeholder.group(0))]
    notes: list[tuple[str, dict[str, str]]] = []
    try:
        atoms = classify_all(clauses(s))
        rule = assemble(atoms, notes)
        conflict = weight_conflict(rule, weight)
        if conflict:
            raise contradiction(conflict)
    except RuleError as fail:
        return None, [finding(fail.code, **fail.fields)]
    infos = [finding("scoring-rule-typo", typo=old, fixed=new) for old, new in typos]
    infos += [finding(code, **fields) for code, fields in notes]
    return replace(rule, text=original), infos

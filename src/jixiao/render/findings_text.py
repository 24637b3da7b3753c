"""Findings as text: one ``location: severity [code] message`` line each, then a summary (C11)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from jixiao.findings import Finding
from jixiao.findings import Severity


def summary(findings: Iterable[Finding]) -> str:
    """``共 3 条：错误 1，警告 2，提示 0``."""
    counts = Counter(f.severity for f in findings)
    total = sum(counts.values())
    parts = "，".join(f"{s.label} {counts.get(s, 0)}" for s in Severity)
    return f"共 {total} 条：{parts}"


def format_line(finding: Finding) -> str:
    prefix = f"{finding.location}: " if finding.location else ""
    return f"{prefix}{finding.severity.label} [{finding.code}] {finding.message}"


def render_text(findings: Iterable[Finding]) -> str:
    """All findings sorted by location (C8), one per line, and the summary line last."""
    items = sorted(findings, key=Finding.sort_key)
    return "\n".join([*(format_line(f) for f in items), summary(items)]) + "\n"

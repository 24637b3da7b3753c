"""The Finding record and its constructor; messages come only from the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from jixiao.model.source import Location


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

# what a finding quotes from its document is capped here, once for every code: a cell of a
# million characters gives a finding of a few hundred, in linear time
QUOTE_LIMIT = 200
SOURCE_LIMIT = 2000


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text``, or its first ``limit`` characters and ``…（共 N 字）`` when it is longer."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text)} 字）"


def _capped(value: object) -> object:
    return quote(value) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location | None
    subject: str | None = None
    expected: str | None = None
    actual: str | None = None
    source_text: str | None = None  # the row or sentence the finding is about

    def sort_key(self) -> tuple:
        loc = self.location.sort_key() if self.location else ("", "", 0, 0, 0)
        return (*loc, _RANK[self.severity], self.code, self.subject or "", self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": str(self.location) if self.location else None,
            "subject": self.subject,
            "expected": self.expected,
            "actual": self.actual,
        }


def make(
    code: str,
    location: Location | None,
    *,
    subject: str | None = None,
    expected: object | None = None,
    actual: object | None = None,
    source_text: str | None = None,
    severity: Severity | None = None,
    **fields: object,
) -> Finding:
    """Build a finding whose message is rendered from the catalogue template.

    ``fields`` fill the template; ``subject``, ``expected`` and ``actual`` are available to
    it too; every text they quote is capped (:func:`quote`). ``severity`` overrides the
    catalogue default only where a rule grades its findings (e.g. E when the identity is certain, W when it is inferred).
    """
    from jixiao.findings.catalog import CATALOG

    kind = CATALOG[code]
    subject, expected, actual = _capped(subject), _capped(expected), _capped(actual)
    fields = {k: _capped(v) for k, v in fields.items()}
    if source_text is not None:
        source_text = quote(source_text, SOURCE_LIMIT)
    values = {"subject": subject or "", "expected": expected, "actual": actual, **fields}
    message = kind.template.format(**values)
    return Finding(
        code=code,
        severity=severity or kind.severity,
        message=message,
        location=location,
        subject=subject,
        expected=None if expected is None else str(expected),
        actual=None if actual is None else str(actual),
        source_text=source_text,
    )

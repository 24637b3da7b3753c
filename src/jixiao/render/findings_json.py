"""Findings as JSON: ``{"findings": [...]}`` (C9, C11), sorted by location, no timestamps."""

from __future__ import annotations

import json
from collections.abc import Iterable

from jixiao.findings import Finding


def render_json(findings: Iterable[Finding]) -> str:
    """Each finding's code, severity, message, location (``file:line``), subject, expected, actual."""
    items = [f.as_dict() for f in sorted(findings, key=Finding.sort_key)]
    return json.dumps({"findings": items}, ensure_ascii=False, indent=2) + "\n"

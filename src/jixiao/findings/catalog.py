"""The one catalogue of finding codes. docs/findings.md is generated from it.

Each family keeps its codes in its own module (codes_*.py) so that stages can grow
independently; this module merges them and refuses duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.findings.finding import Severity


@dataclass(frozen=True, slots=True)
class FindingType:
    code: str  # stable kebab-case id, never translated
    severity: Severity
    title: str  # Chinese title
    template: str  # Chinese message, str.format over the finding's fields
    source: str = ""  # policy source: rule number and section of docs/sources.md, document and 文号
    tags: tuple[str, ...] = ()


def _merge(*families: tuple[FindingType, ...]) -> dict[str, FindingType]:
    merged: dict[str, FindingType] = {}
    for family in families:
        for kind in family:
            if kind.code in merged:
                raise ValueError(f"duplicate finding code {kind.code}")
            merged[kind.code] = kind
    return merged


def _load() -> dict[str, FindingType]:
    """Merge every ``jixiao.findings.codes_*`` module's CODES, in name order."""
    import importlib
    import pkgutil

    import jixiao.findings as package

    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("codes_"))
    return _merge(*(importlib.import_module(f"jixiao.findings.{name}").CODES for name in names))


CATALOG: dict[str, FindingType] = _load()

"""Review rules: pure functions of a parsed Document that yield findings.

Registry (immutable, built once): ``@rule(id, codes=(...), family=..., profiles=(...))``
declares a rule, the codes it may emit and the profiles it belongs to. ``run`` executes a
profile's rules; a rule that raises becomes a ``rule-crashed`` finding and the others run.
Rule modules register themselves on import; ``all_rules()`` imports them all.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field

from jixiao.findings import Finding
from jixiao.model.document import Document

log = logging.getLogger(__name__)

PROFILES = ("targets", "disclosure", "self-evaluation")


@dataclass(frozen=True, slots=True)
class Context:
    """Read-only options of a review run (the profile, tolerances, region settings)."""

    profile: str = "all"
    tolerance_table: str = "0.01"  # 万元, within a table (DOMAIN §6)
    tolerance_cross: str = "0.05"  # 万元, across tables
    # 万元, text vs table: DOMAIN allows up to 0.5, but a figure printed to the fen must match to the
    # fen; coarser prints (5073 万元) get their own precision via tolerance_for.
    tolerance_text: str = "0.01"
    options: dict = field(default_factory=dict)


RuleFn = Callable[[Document, Context], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    fn: RuleFn
    codes: tuple[str, ...]
    family: str
    profiles: tuple[str, ...]
    doc: str


_REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, *, codes: tuple[str, ...], family: str, profiles: tuple[str, ...]):
    """Register a rule function. ``codes`` are the only codes it may emit."""

    def decorate(fn: RuleFn) -> RuleFn:
        if rule_id in _REGISTRY:
            raise ValueError(f"duplicate rule id {rule_id}")
        for p in profiles:
            if p not in PROFILES:
                raise ValueError(f"unknown profile {p}")
        _REGISTRY[rule_id] = Rule(rule_id, fn, tuple(codes), family, tuple(profiles), (fn.__doc__ or "").strip())
        return fn

    return decorate


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, in id order (imports every rule module once)."""
    import jixiao.rules as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"jixiao.rules.{module.name}")
    return tuple(sorted(_REGISTRY.values(), key=lambda r: r.id))


def rules_for(profile: str = "all") -> tuple[Rule, ...]:
    rules = all_rules()
    if profile == "all":
        return rules
    if profile not in PROFILES:
        raise ValueError(f"未知的审核方案：{profile}（可选：all, {', '.join(PROFILES)}）")
    return tuple(r for r in rules if profile in r.profiles)


def run(document: Document, ctx: Context | None = None) -> list[Finding]:
    """Run the profile's rules over one document; findings sorted by location."""
    from jixiao.findings import make

    ctx = ctx or Context()
    findings: list[Finding] = []
    if document.kind == "template":
        return findings  # a blank template has nothing to review (the parser reported it: template-unfilled)
    for r in rules_for(ctx.profile):
        try:
            findings.extend(list(_checked(r, r.fn(document, ctx))))  # all of a rule's findings, or none
        except Exception as exc:  # a crashing rule must not end the review (C6)
            log.exception("rule %s crashed", r.id)
            findings.append(make("rule-crashed", None, subject=r.id, rule=r.id, error=type(exc).__name__))
    return sorted(findings, key=Finding.sort_key)


def _checked(r: Rule, found: Iterable[Finding]) -> Iterator[Finding]:
    for f in found:
        if f.code not in r.codes:
            raise AssertionError(f"rule {r.id} emitted undeclared code {f.code}")
        yield f

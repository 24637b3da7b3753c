"""The rule registry: crashes become findings, codes are enforced, profiles select rules."""

from __future__ import annotations

import dataclasses

import pytest

import jixiao.rules as registry
from jixiao.findings import make
from jixiao.rules import Context
from jixiao.rules import all_rules
from jixiao.rules import rule
from jixiao.rules import rules_for
from jixiao.rules import run


def _replace(monkeypatch, rule_id: str, fn) -> None:
    all_rules()
    monkeypatch.setitem(registry._REGISTRY, rule_id, dataclasses.replace(registry._REGISTRY[rule_id], fn=fn))


def test_a_crashing_rule_becomes_a_finding_and_the_others_still_run(monkeypatch, parsed_seeds):
    doc, _ = parsed_seeds["001"]
    before = {f.code for f in run(doc)}

    def boom(document, ctx):
        raise ZeroDivisionError("division by zero")

    _replace(monkeypatch, "targets.weights", boom)
    found = run(doc)
    crashed = [f for f in found if f.code == "rule-crashed"]
    assert [(f.subject, f.severity.value) for f in crashed] == [("targets.weights", "error")]
    assert "ZeroDivisionError" in crashed[0].message
    own = set(registry._REGISTRY["targets.weights"].codes)
    assert not own & {f.code for f in found}
    assert before - own <= {f.code for f in found}  # every other rule still ran


def test_a_rule_that_crashes_midway_leaves_no_partial_findings(monkeypatch, parsed_seeds):
    doc, _ = parsed_seeds["001"]

    def halfway(document, ctx):
        yield make("weights-sum", None, subject="半途", actual="1")
        raise KeyError("level2")

    _replace(monkeypatch, "targets.weights", halfway)
    found = run(doc)
    assert not [f for f in found if f.subject == "半途"]
    assert [f.subject for f in found if f.code == "rule-crashed"] == ["targets.weights"]


def test_a_rule_may_emit_only_the_codes_it_declares(monkeypatch, parsed_seeds):
    doc, _ = parsed_seeds["000"]

    def stray(document, ctx):
        yield make("template-residue", None, subject="x", field="y", text="XX")

    _replace(monkeypatch, "targets.weights", stray)
    assert [f.subject for f in run(doc) if f.code == "rule-crashed"] == ["targets.weights"]


def test_profiles_select_their_rules():
    every = all_rules()
    assert isinstance(every, tuple) and rules_for("all") == every
    for profile in registry.PROFILES:
        chosen = rules_for(profile)
        assert chosen and all(profile in r.profiles for r in chosen)
    assert {r.id for r in rules_for("targets")}.isdisjoint({r.id for r in rules_for("disclosure")})
    with pytest.raises(ValueError, match="未知的审核方案"):
        rules_for("nope")


def test_a_profile_run_emits_only_that_profiles_codes(parsed_seeds):
    doc, _ = parsed_seeds["001"]
    declared = {c for r in rules_for("disclosure") for c in r.codes}
    assert {f.code for f in run(doc, Context(profile="disclosure"))} <= declared


def test_rule_ids_are_unique_and_profiles_known():
    all_rules()
    with pytest.raises(ValueError, match="duplicate rule id"):
        rule("targets.weights", codes=(), family="x", profiles=("targets",))(lambda d, c: ())
    with pytest.raises(ValueError, match="unknown profile"):
        rule("new.rule", codes=(), family="x", profiles=("nope",))(lambda d, c: ())

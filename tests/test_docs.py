"""The generated docs are current and the catalogue, rules and profiles agree (C3, C5; datasette test_docs)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from jixiao.findings.catalog import CATALOG
from jixiao.render import docs
from jixiao.rules import PROFILES
from jixiao.rules import all_rules

REVIEW_MODULES = ("codes_disclosure", "codes_targets")


def _review_codes() -> list[str]:
    import jixiao.findings as package

    present = {m.name for m in pkgutil.iter_modules(package.__path__)}
    return [k.code for name in REVIEW_MODULES if name in present
            for k in importlib.import_module(f"jixiao.findings.{name}").CODES]


@pytest.mark.parametrize("path", sorted(docs.outputs()), ids=lambda p: p.name)
def test_generated_docs_are_up_to_date(path):
    expected = docs.outputs()[path]
    assert path.is_file(), f"{path} missing: run python -m jixiao.render.docs"
    assert path.read_text(encoding="utf-8") == expected, f"{path} is stale: run python -m jixiao.render.docs"


def test_docs_check_mode(tmp_path):
    assert docs.main(["--check", "--root", str(tmp_path)]) == 1
    assert docs.main(["--root", str(tmp_path)]) == 0
    assert docs.main(["--check", "--root", str(tmp_path)]) == 0


def test_every_catalogue_code_is_documented():
    text = docs.findings_md()
    missing = [code for code in CATALOG if f"| `{code}` |" not in text]
    assert not missing


def test_every_rule_is_documented_and_in_a_profile():
    text = docs.rules_md()
    for r in all_rules():
        assert r.profiles and set(r.profiles) <= set(PROFILES), r.id
        assert f"## `{r.id}`" in text
        assert r.doc, f"rule {r.id} has no docstring citing its DOMAIN rule"


def test_declared_codes_are_in_the_catalogue():
    undeclared = {(r.id, c) for r in all_rules() for c in r.codes if c not in CATALOG}
    assert not undeclared


def test_every_review_code_is_declared_by_a_rule():
    declared = {c for r in all_rules() for c in r.codes}
    orphans = [code for code in _review_codes() if code not in declared]
    assert not orphans, f"codes no rule declares: {orphans}"


def test_disclosure_codes_are_all_review_codes():
    assert "text-table-mismatch" in _review_codes()
    assert "amount-sum-mismatch" in CATALOG

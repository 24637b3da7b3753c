"""Golden tests: every finding of `jixiao check` on every seed, pinned.

Each finding in these files was reviewed by hand against the source document: a wrong finding
is a bug in the rule, fixed in the rule, never recorded here.
"""

from __future__ import annotations

import pytest

from jixiao.findings import Finding
from jixiao.rules import run
from tests.conftest import SEED_FILES
from tests.golden_util import check_golden


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_check_golden(path, parsed_seeds):
    doc, parse_findings = parsed_seeds[path.name[:3]]
    findings = sorted([*parse_findings, *run(doc)], key=Finding.sort_key)
    assert not [f for f in findings if f.code == "rule-crashed"]
    check_golden(f"{path.stem}.check.json", {"findings": [f.as_dict() for f in findings]})

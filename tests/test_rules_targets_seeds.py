"""The target rules on the seed documents: the real problems found by hand, and the silences.

Each expectation below was checked against the seed text (line numbers are the seeds').
"""

from __future__ import annotations

import pytest

from jixiao.findings import Severity
from jixiao.rules import Context
from jixiao.rules import all_rules
from jixiao.rules import run


@pytest.fixture(scope="module")
def reviewed(parsed_seeds):
    return {k: run(doc, Context(profile="targets")) for k, (doc, _) in parsed_seeds.items()}


def _at(findings, code):
    return [f.location.line for f in findings if f.code == code]


def test_no_rule_crashes_and_codes_are_declared(reviewed):
    declared = {c for r in all_rules() if r.id.startswith("targets.") for c in r.codes}
    for findings in reviewed.values():
        assert not [f for f in findings if f.code == "rule-crashed"]
        assert {f.code for f in findings} <= declared | {"rule-crashed"}


def test_seed_000(reviewed):
    found = reviewed["000"]
    # 资金总额 580.25 with both breakdowns blank (line 24); cost ≤ 580.253937 is within the printed
    # precision of 580.25, and the project's cost 290 = its budget 290.
    assert _at(found, "amounts-missing") == [24]
    assert _at(found, "cost-budget-mismatch") == [] and _at(found, "cost-indicator-invalid") == []
    assert _at(found, "vague-target") == [36, 37, 39, 61, 62]  # 提升 / 显著提升 with no grading scale
    # 每月相关业务培训不低于1场 (line 30) is per month, 达到10万件以上 (line 31) equals the value
    assert _at(found, "value-explanation-mismatch") == []


def test_seed_001(reviewed):
    found = reviewed["001"]
    (cost,) = [f for f in found if f.code == "cost-budget-mismatch" and f.severity is Severity.ERROR]
    assert (cost.location.line, cost.expected, cost.actual) == (687, "1,955.15", "3,473.12")
    # 90 vs 不低于95% (573, 575), 95 vs 不低于75% (577); 40 and 8 in "覆盖到40个…、8个…" (381/382) are fine
    assert _at(found, "value-explanation-mismatch") == [573, 575, 577]
    assert _at(found, "template-residue") == [687, 688]  # 得XX分
    assert _at(found, "text-typo") == [415, 434, 610]  # 90%一下, 不登封 ×2
    # headers (1,093.68 = 845.68 + 248.00 …), unit subtotals (248.00 = 25 + 30 + 88 + 70 + 35 …),
    # 合计 2,475.05 and the department total 5,073.08 all reconcile
    assert _at(found, "amount-sum-mismatch") == [] and _at(found, "projects-not-covered") == []
    assert _at(found, "value-type-mismatch") == [394, 399, 400, 472, 518, 537, 553, 561, 577, 591]


def test_seed_002(reviewed):
    found = reviewed["002"]
    (cover,) = [f for f in found if f.code == "projects-not-covered"]
    assert (cover.location.line, cover.expected, cover.actual) == (4, "496.70", "395.00")  # 96+70+64+25+20+120
    assert _at(found, "amount-sum-mismatch") == []  # 864.3 = 864.3 = 367.6 + 496.7
    assert _at(found, "cost-indicator-invalid") == [69, 172, 261, 350, 432]  # ≥ N% cost rows
    assert _at(found, "process-as-output") == [69, 81, 254, 605]
    assert _at(found, "repeated-text") == [41, 69]  # 高效高效 (the goal cell), 三公经费经费
    assert _at(found, "text-typo") == [99]  # 提很
    assert _at(found, "indicator-missing-category") == [295]  # 物业管理费 has no 数量指标


def test_seed_004(reviewed):
    found = reviewed["004"]
    # ≦115.62 = 资金总额 115.62 = 111.62 + 4; 专项 ≦4 = 4 = 明细 4
    assert [f for f in found if f.severity is Severity.ERROR] == []
    assert _at(found, "vague-target") == [125, 131, 137, 297, 318, 326, 337]  # 较好完成
    assert _at(found, "value-cell-multiple") == [131, 143]

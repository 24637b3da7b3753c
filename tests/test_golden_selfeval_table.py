"""Golden files of the real 四川 项目支出绩效自评表 (青神县发展和改革局 2023, pipe-cells layout).

The parse golden pins every field read (with its cell's line); the check golden pins every finding
of every profile. Both findings were reviewed by hand against the file (see
tests/test_selfeval_table.py::test_sc_findings_reviewed_by_hand).
"""

from __future__ import annotations

from jixiao.findings import Finding
from jixiao.pipeline import parse_file
from jixiao.render.document_json import document_json
from jixiao.rules import run
from tests.conftest import DATA
from tests.golden_util import check_golden

SC = DATA / "pg_qingshen_fgj_2023_project_selfeval_table_SC.txt"


def test_parse_golden():
    doc, findings = parse_file(SC, name=SC.name)
    check_golden(f"{SC.stem}.parse.json", document_json(doc, SC.name, findings))


def test_check_golden():
    doc, found = parse_file(SC, name=SC.name)
    findings = sorted([*found, *run(doc)], key=Finding.sort_key)
    assert not [f for f in findings if f.code == "rule-crashed"]
    check_golden(f"{SC.stem}.check.json", {"findings": [f.as_dict() for f in findings]})

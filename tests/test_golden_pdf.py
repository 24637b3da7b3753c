"""Goldens of the real Shanghai PDFs read directly (``jixiao check tests/data/real/*.pdf``): the
parsed document and every finding, located by page, table and row (``file.pdf:p11:t1r6``) or by
page and dump line for text (``file.pdf:p9:155``). The same documents' text exports have their
own goldens (test_golden_real.py); test_readers_pdf.py checks that both read alike."""

from __future__ import annotations

from functools import cache

import pytest

from jixiao.findings import Finding
from jixiao.pipeline import parse_file
from jixiao.render.document_json import document_json
from jixiao.rules import run
from tests.conftest import DATA
from tests.golden_util import check_golden

PDFS = sorted((DATA / "real").glob("*.pdf"))


@cache
def parsed(name: str):
    path = DATA / "real" / name
    return parse_file(path, name=path.name)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_parse_golden(path):
    doc, findings = parsed(path.name)
    assert doc is not None
    check_golden(f"{path.name}.parse.json", document_json(doc, path.name, findings))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_check_golden(path):
    doc, found = parsed(path.name)
    findings = sorted([*found, *run(doc)], key=Finding.sort_key)
    assert not [f for f in findings if f.code == "rule-crashed"]
    assert all(f.location is None or f.location.page for f in findings)
    check_golden(f"{path.name}.check.json", {"findings": [f.as_dict() for f in findings]})

"""Golden tests: the parsed output of every seed, pinned (reviewed by hand against the source)."""

from __future__ import annotations

import pytest

from jixiao.render.document_json import document_json
from tests.conftest import SEED_FILES
from tests.golden_util import check_golden


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_parse_golden(path, parsed_seeds):
    doc, findings = parsed_seeds[path.name[:3]]
    check_golden(f"{path.stem}.parse.json", document_json(doc, path.name, findings))

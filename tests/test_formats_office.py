"""One document, every format (issue 7 item 6): each seed written as XLSX (xlsxwriter, merged
ranges, numbers with their number formats), XLS (LibreOffice from the XLSX), DOC (LibreOffice
from the DOCX, via ODT) and PDF (LibreOffice from the DOCX) parses to the same Document JSON as the
text original, and `jixiao check` gives the same findings, locations aside.

LibreOffice takes about a second per run: every seed goes through one soffice run per target
format, once per test session (``office_files``), and only for the formats the selected tests use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.pipeline import parse_file
from jixiao.pipeline import read
from jixiao.render.document_json import document_json
from jixiao.rules import run
from tests.conftest import SEED_FILES
from tests.writers.docx import write_docx
from tests.writers.office import to_doc
from tests.writers.office import to_pdf
from tests.writers.office import to_xls
from tests.writers.xlsx import write_xlsx

FORMATS = ("xlsx", "xls", "doc", "pdf")


@pytest.fixture(scope="session")
def office_files(tmp_path_factory):
    """fmt → {seed file name → the seed written in that format}, built on first use."""
    root = tmp_path_factory.mktemp("office-formats")
    raws = {p.name: read(p, name=p.name)[0] for p in SEED_FILES}
    made: dict[str, dict[str, Path]] = {}

    def files(fmt: str) -> dict[str, Path]:
        if fmt in made:
            return made[fmt]
        names = list(raws)
        if fmt == "xlsx":
            paths = [write_xlsx(raws[n], root / "xlsx" / f"{Path(n).stem}.xlsx") for n in _mkdir(root / "xlsx", names)]
        elif fmt == "docx":
            paths = [write_docx(raws[n], root / "docx" / f"{Path(n).stem}.docx") for n in _mkdir(root / "docx", names)]
        elif fmt == "xls":
            paths = to_xls(list(files("xlsx").values()), root / "xls")
        elif fmt == "doc":
            paths = to_doc(list(files("docx").values()), root / "doc")
        elif fmt == "pdf":
            paths = to_pdf(list(files("docx").values()), root / "pdf")
        else:  # pragma: no cover - the parametrisation names the formats
            raise ValueError(fmt)
        made[fmt] = dict(zip(names, paths))
        return made[fmt]

    return files


def _mkdir(folder: Path, names: list[str]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    return names


def _strip(value):
    """The JSON without locations (keys ``location``, ``amounts_location`` …, and ``line``)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if not k.endswith("location") and k != "line"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _comparable(path: Path, name: str):
    """(document JSON, sorted check findings), locations aside, read from ``path`` as ``name``."""
    doc, found = parse_file(path, name=name)
    assert doc is not None, [f.message for f in found]
    findings = [*found, *run(doc)]
    assert not [f for f in findings if f.code == "rule-crashed"]
    parsed = _strip(document_json(doc, name, found))
    checked = sorted(json.dumps(_strip(f.as_dict()), ensure_ascii=False, sort_keys=True) for f in findings)
    return parsed, checked


@pytest.fixture(scope="session")
def originals():
    return {p.name: _comparable(p, p.name) for p in SEED_FILES}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_format_parses_like_the_text_original(fmt, seed, office_files, originals):
    path = office_files(fmt)[seed.name]
    parsed, checked = _comparable(path, seed.name)
    expected_parsed, expected_checked = originals[seed.name]
    assert parsed == expected_parsed, f"{fmt}: the parsed document differs from the text original"
    assert checked == expected_checked, f"{fmt}: the check findings differ from the text original's"

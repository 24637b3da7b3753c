"""The 文档 page's paragraphs and other tables are kept when the file is imported, so that its
first view does not read the file again; what is kept is what reading it again gives."""

from __future__ import annotations

import hashlib

import pytest

from jixiao.services import document_view
from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services.context import Ctx
from tests.conftest import DATA
from tests.conftest import seed


@pytest.mark.parametrize("path", [seed("001"), DATA / "real" / "sh_putuo_govoffice_2025_dept_budget.pdf",
                                  DATA / "real" / "gd_shenzhen_songgang_street_2023_project_target_tables_set1_filled.xlsx"],
                         ids=["text", "pdf", "xlsx"])
def test_an_imported_files_blocks_are_kept_and_equal_a_fresh_read(database, tmp_path, monkeypatch, path):
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path))
    ctx = Ctx(database)
    with database.session() as s:
        orgs.add_org(s, name="测试地区", level="region", code="T1")
    data = path.read_bytes()
    doc = imports.import_bytes(ctx, data, path.name, org="T1", year=2025)
    sha = hashlib.sha256(data).hexdigest()
    kept = document_view._cache_file(sha)
    assert kept.exists(), "kept at import"
    fresh = document_view._read(path.name, data)
    assert fresh["blocks"], "the file has blocks"
    assert document_view.raw_blocks(path.name, lambda: b"", sha) == fresh  # from memory, not read again
    document_view._MEMORY.clear()
    assert document_view.raw_blocks(path.name, lambda: b"", sha) == fresh  # from the file kept
    document_view._VIEWS.clear()  # kept per (document id, version): another test's database had an id 1 too
    drawn = document_view.document_view(ctx, doc["id"])
    document_view._MEMORY.clear()
    kept.unlink()  # read again from the stored original: the same view
    document_view._VIEWS.clear()
    again = document_view.document_view(ctx, doc["id"])
    assert {k: v for k, v in again.items() if k != "keys"} == {k: v for k, v in drawn.items() if k != "keys"}
    assert kept.exists()

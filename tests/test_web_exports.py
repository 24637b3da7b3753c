"""Browser test of the download buttons (Chromium via Playwright, the demo server): on a document's
page the 导出绩效目标表 menu gives the official form as Word, and the file read back by jixiao's
readers holds the document's target sets; the 审核 page's 导出审核意见书 gives the workbook, and the
单位与年度 page one 审核意见书 of the documents it lists."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from jixiao.model.targets import TargetTable
from jixiao.store import schema as db
from tests.web_helpers import login
from tests.web_helpers import screenshots_dir
from tests.write_helpers import read_back


def test_download_buttons(web, demo_server):
    with demo_server.db.session(write=False) as s:
        doc_id = s.scalar(select(db.Document.id).where(db.Document.id.in_(select(db.TargetSet.document_id)))
                          .order_by(db.Document.id))
        n_sets = len(s.scalars(select(db.TargetSet.id).where(db.TargetSet.document_id == doc_id)).all())
    login(web, demo_server, "caizheng")
    web.goto(f"{demo_server.url}/documents/{doc_id}")
    web.click("#export-targets summary")
    web.screenshot(path=str(screenshots_dir() / "export-menu.png"), clip={"x": 560, "y": 0, "width": 720, "height": 300})
    with web.expect_download() as download:
        web.click("#export-targets a[data-format=docx]")
    name = download.value.suggested_filename
    assert name.endswith("绩效目标表.docx"), name
    _raw, document, _found = read_back(download.value.path().read_bytes(), name)
    sets = [s for t in document.tables if isinstance(t, TargetTable) for s in t.target_sets]
    assert len(sets) == n_sets and all(s.indicators for s in sets)

    web.goto(f"{demo_server.url}/documents/{doc_id}/review")
    web.click("#export-review summary")
    with web.expect_download() as download:
        web.click("#export-review a[data-format=xlsx]")
    assert download.value.suggested_filename.endswith("_审核意见书.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.active["A1"].value.endswith("审核意见书")

    web.goto(f"{demo_server.url}/orgs?year=")  # every year's documents listed: one 审核意见书 of them all
    listed = web.locator("#documents td.name").count()
    assert listed > 1
    web.click("#export-review-page summary")
    with web.expect_download() as download:
        web.click("#export-review-page a[data-format=xlsx]")
    assert download.value.suggested_filename == f"审核意见书_{listed}个文件.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) == listed + 1

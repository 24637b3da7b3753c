"""Browser journeys through 上传 and 文档 (Chromium via Playwright, the real server on SQLite).

The server here is this module's own (the demo region without the two files the tests upload,
so that the uploads really import and the shared demo server of the other page tests keeps its
ten documents): upload a real Shanghai PDF through the file input and a seed text by dropping it
on the drop zone, watch the progress end and read the per-file summary; open the document, click
a finding and find its row highlighted in view; the PDF's page view with the row boxed; filters;
a second version and its difference; the workflow buttons; a user of another region gets 404 for
the document and its page images. Every state is screenshotted."""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path

import pytest

from jixiao.services import documents
from jixiao.services import imports
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from tests.web_helpers import DATA
from tests.web_helpers import Server
from tests.web_helpers import _Uvicorn
from tests.web_helpers import free_port
from tests.web_helpers import login
from tests.web_helpers import shot

PDF = DATA / "real" / "sh_putuo_govoffice_2025_unit_budget.pdf"
SEED = DATA / "seeds" / "000_82772c604d1a37f5.txt"


@pytest.fixture(scope="module")
def docs_server(tmp_path_factory, sqlite_template):
    """The demo region without PDF and SEED, served on 127.0.0.1; caches in a data folder of its own."""
    from jixiao.server import create_app
    from jixiao.services.demo import create_demo
    from jixiao.store.db import Database

    base = tmp_path_factory.mktemp("web-docs")
    data = base / "demo-data"
    for sub in ("seeds", "real"):
        (data / sub).mkdir(parents=True)
        for f in (DATA / sub).iterdir():
            if f.is_file() and f not in (PDF, SEED):
                os.symlink(f, data / sub / f.name)
    before = os.environ.get("JIXIAO_DATA_DIR")
    os.environ["JIXIAO_DATA_DIR"] = str(base / "var")
    path = base / "jixiao-web-docs.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    demo = create_demo(db, data)
    assert sorted(Path(f).name for f, _m in demo["failed"]) == sorted([PDF.name, SEED.name])
    server = _Uvicorn(create_app(db), free_port())
    server.start()
    yield Server(url=f"http://127.0.0.1:{server.server.config.port}", db=db,
                 logins={u: pw for u, _role, _org, pw in demo["logins"]})
    server.stop()
    db.dispose()
    if before is None:
        os.environ.pop("JIXIAO_DATA_DIR", None)
    else:
        os.environ["JIXIAO_DATA_DIR"] = before


def _drop(page, path: Path) -> None:
    """Drop ``path`` on the drop zone as a browser does (a DragEvent carrying a DataTransfer)."""
    page.evaluate(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, {type: "text/plain"}));
            const zone = document.getElementById("dropzone");
            zone.dispatchEvent(new DragEvent("dragenter", {dataTransfer: dt, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        [path.name, base64.b64encode(path.read_bytes()).decode()],
    )


def _in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => { const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""")


def _upload(web, server) -> dict[str, str]:
    """Upload PDF (file input) and SEED (dropped); returns {file name: document href}."""
    web.click(".sidenav >> text=上传")
    assert web.inner_text("h1") == "上传"
    shot(web, "20-upload-empty")
    web.set_input_files("#f-files", str(PDF))
    _drop(web, SEED)
    names = web.locator("#dz-files .dz-name").all_inner_texts()
    assert names == [PDF.name, SEED.name]  # the dropped file joins the picked one
    assert web.locator("#f-org option:checked").inner_text().strip() == "jixiao 演示（全部地区）"
    shot(web, "21-upload-files-chosen")
    web.click("#upload-submit")
    web.wait_for_url(re.compile(r"/upload\?jobs="))
    if web.locator("#upload-progress.finished").count() == 0:
        assert web.locator("#upload-progress[hx-trigger='every 1s']").count() == 1  # polling while it imports
        assert sorted(web.locator("#upload-files td.name").all_inner_texts()) == sorted([PDF.name, SEED.name])
        shot(web, "22-upload-in-progress")
    web.wait_for_selector("#upload-progress.finished", timeout=60_000)
    assert "全部完成：2 / 2 个文件" in web.inner_text(".overall-text")
    assert web.locator("#upload-progress[hx-trigger]").count() == 0  # polling has stopped
    rows = web.locator("#upload-files tbody tr")
    assert rows.count() == 2
    out = {}
    for i in range(2):
        row = rows.nth(i)
        assert row.get_attribute("data-state") == "done"
        assert "已导入" in row.inner_text()
        out[row.locator("td.name").inner_text()] = row.locator("a.doc-link").get_attribute("href")
    pdf_row = web.locator("#upload-files tbody tr", has_text=PDF.name)
    cells = pdf_row.locator("td").all_inner_texts()
    assert "预算公开" in cells[2] and "上海市普陀区人民政府办公室" in cells[2] and "2025" in cells[2]
    assert cells[3] == "9"  # the nine tables of the unit budget
    doc_id = int(pdf_row.locator("a.doc-link").get_attribute("href").rsplit("/", 1)[1])
    counts = documents.get_document(Ctx(server.db, SYSTEM), doc_id)["findings"]
    assert pdf_row.locator(".badge").all_inner_texts() == [f"错误 {counts['error']}", f"警告 {counts['warning']}",
                                                           f"提示 {counts['info']}"]
    seed_row = web.locator("#upload-files tbody tr", has_text=SEED.name)
    cells = seed_row.locator("td").all_inner_texts()
    assert "绩效目标表" in cells[2] and "株洲市渌口区行政审批服务局" in cells[2]
    assert cells[3] == "2" and cells[4].startswith("2") and "指标 20" in cells[4]
    shot(web, "23-upload-done")
    return out


def test_upload_then_the_document_and_its_findings(web, docs_server):
    login(web, docs_server, "admin")
    docs = _upload(web, docs_server)
    assert set(docs) == {PDF.name, SEED.name} and all(re.fullmatch(r"/documents/\d+", h) for h in docs.values())

    # a failed file says why, in Chinese
    web.goto(docs_server.url + "/upload")
    web.set_input_files("#f-files", files=[{"name": "坏文件.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 broken"}])
    web.click("#upload-submit")
    web.wait_for_selector("#upload-progress.finished", timeout=30_000)
    assert web.locator("#upload-files tbody tr").get_attribute("data-state") == "failed"
    assert "文件已损坏或不完整" in web.inner_text("#upload-files td.reason")
    shot(web, "24-upload-failed-file")

    # the seed's document: the target table drawn with the 一级/二级 spans
    web.goto(docs_server.url + docs[SEED.name])
    assert web.inner_text("h1") == "2026年部门整体支出绩效目标表"
    assert "株洲市渌口区行政审批服务局" in web.inner_text("#doc-head")
    assert "草稿" in web.inner_text("#doc-state")
    indicators = web.locator("table.indicators tbody tr.indicator")
    assert indicators.count() == 20
    spans = [int(s) for s in web.locator("table.indicators td.l1[rowspan]").evaluate_all("els => els.map(e => e.rowSpan)")]
    assert max(spans) > 1  # 一级指标 spans its rows
    assert web.locator("table.indicators tr[data-loc='26'] td.val").inner_text() == "≤580.253937"
    assert web.locator("table.ts-form td.amounts .num").first.inner_text() == "580.25"
    shot(web, "25-document-targets")

    # click a finding: its row is highlighted and scrolled into view
    finding = web.locator(".finding[data-target='55']").first
    assert "数量指标" in finding.inner_text()
    finding.click()
    row = "#doc-body [data-loc='55']"
    web.wait_for_function(f"document.querySelector(\"{row}\").classList.contains('hl')")
    assert "hl" in web.get_attribute(row, "class")
    assert _in_viewport(web, row)
    assert web.locator("#doc-body .hl").count() == 1
    shot(web, "26-document-finding-clicked")
    # a finding stated with its expected and actual values side by side
    compared = web.locator(".finding:has(.f-compare)")
    if compared.count():
        assert compared.first.locator(".f-expected .f-label").inner_text() == "应为"
        assert compared.first.locator(".f-actual .f-label").inner_text() == "实际"

    # the filters redraw the list (htmx)
    total = web.locator(".finding[data-finding]").count()
    web.select_option("select[name=severity]", "warning")
    web.wait_for_function("document.querySelector('#findings-list').dataset.shown !== undefined && "
                          "document.querySelectorAll('.finding.sev-line-error').length === 0")
    shown = web.locator(".finding[data-finding]")
    assert 0 < shown.count() < total
    assert shown.count() == web.locator(".finding.sev-line-warning").count()
    shot(web, "27-document-findings-filtered")

    # the PDF: narrative amounts marked, the budget tables, the page view with the row boxed
    web.goto(docs_server.url + docs[PDF.name])
    assert web.locator("table.budget-table").count() == 9
    first = web.locator("table.budget-table").first
    first.scroll_into_view_if_needed()  # blocks far below are drawn when they come near (content-visibility)
    assert first.locator("thead th").first.text_content() == "收入项目"
    cell = first.locator("tbody tr").first.locator("td.num").first
    assert cell.text_content() == "91,016,775.35"
    assert cell.evaluate("e => getComputedStyle(e).textAlign") == "right"
    marks = web.locator("mark.amount")
    assert marks.count() >= 10
    assert "万元" in marks.first.get_attribute("title")
    shot(web, "28-document-pdf")
    with web.expect_download() as download:  # the original, under its own name
        web.click("#download-source")
    assert download.value.suggested_filename == PDF.name
    assert Path(download.value.path()).read_bytes() == PDF.read_bytes()
    paged = web.locator(".finding[data-page][data-row]:not([data-row=''])").first
    paged.click()
    target = paged.get_attribute("data-target")
    assert "hl" in web.get_attribute(f"#doc-body [data-loc='{target}']", "class")
    web.click("#page-tab-button")
    web.wait_for_selector("#page-view img#page-image")
    web.wait_for_function("document.querySelector('#page-image').complete && document.querySelector('#page-image').naturalWidth > 0")
    assert web.locator("#page-hl").is_visible()
    box = web.locator("#page-hl").bounding_box()
    image = web.locator("#page-image").bounding_box()
    assert box["width"] > image["width"] * 0.5 and 5 < box["height"] < image["height"] * 0.2  # one row
    assert "已框出位置" in web.inner_text(".page-nav")
    web.locator("#page-hl").scroll_into_view_if_needed()
    shot(web, "29-document-pdf-page-view")


def test_versions_diff_workflow_and_scope(web, docs_server):
    ctx = Ctx(docs_server.db, SYSTEM)
    first = imports.import_bytes(ctx, SEED.read_bytes(), SEED.name, org="HN-LK")
    changed = SEED.read_text(encoding="utf-8").replace("580.253937", "600.00", 1)
    second = imports.import_bytes(ctx, changed.encode("utf-8"), SEED.name, org="HN-LK")
    assert second["version"] == first["version"] + 1
    login(web, docs_server, "admin")
    web.goto(f"{docs_server.url}/documents/{second['id']}")
    assert web.locator("#versions .version").count() >= 2
    web.click("#diff-previous")
    assert "版本比较" in web.inner_text("h1")
    assert "600.00" in web.inner_text("#diff") and "580.253937" in web.inner_text("#diff")
    shot(web, "30-document-diff")

    # workflow: 提交 needs an explanation of each open error, then the state moves
    web.goto(f"{docs_server.url}/documents/{second['id']}")
    web.guard.allow("status of 422")
    web.click("#workflow button[value=submit]")
    assert "说明" in web.inner_text(".notice-error")
    for area in web.locator("#workflow details.explanations textarea").all():
        area.fill("已与财政部门沟通，按批复口径填报")
    web.click("#workflow button[value=submit]")
    assert "已提交" in web.inner_text("#doc-state")
    assert "已提交" in web.inner_text(".notice-success")
    shot(web, "31-document-submitted")

    # a user of another region: the document and its page images are "not found"
    pdf_id = next(d for d in imports_list(docs_server) if d["name"] == "sh_putuo_govoffice_2025_dept_budget.pdf")["id"]
    web.context.clear_cookies()
    login(web, docs_server, "shenji")
    web.guard.allow("status of 404")
    assert web.goto(f"{docs_server.url}/documents/{pdf_id}").status == 404
    assert web.goto(f"{docs_server.url}/documents/{pdf_id}/pages/1.png").status == 404
    assert web.goto(f"{docs_server.url}/documents/{pdf_id}/source").status == 404
    web.guard.allow("status of 403")
    assert web.goto(f"{docs_server.url}/upload").status == 403  # 只读 may not import


def imports_list(server) -> list[dict]:
    return documents.list_documents(Ctx(server.db, SYSTEM), limit=100)["items"]


def test_every_finding_points_at_a_drawn_element_and_pdf_rows_have_boxes(docs_server):
    """Services behind the page: each finding of each demo document is pointed at an element the
    page draws (its own key, its row, or the nearest line before it); every row of a PDF's budget
    tables has a box on its page image, numbered as the reader numbers tables and rows."""
    from jixiao.services import document_view
    from jixiao.services import page_images
    from jixiao.services.errors import Invalid
    from jixiao.services.errors import NotFound
    from jixiao.services.users import add_user

    ctx = Ctx(docs_server.db, SYSTEM)
    checked = 0
    for item in imports_list(docs_server):
        view = document_view.document_view(ctx, item["id"])
        drawn = view["keys"].drawn
        panel = document_view.findings_panel(ctx, view)
        for f in panel["items"]:
            if f["key"]:
                assert f["target"] in drawn, (item["name"], f["code"], f["location"])
                checked += 1
        if item["name"].endswith(".pdf"):
            for block in view["blocks"]:
                if block["type"] != "budget":
                    continue
                for row in block["rows"]:
                    m = re.fullmatch(r"p(\d+):t(\d+)r(\d+)", row["key"])
                    assert m, row["key"]
                    rows = page_images.page_rows(ctx, item["id"], int(m.group(1)))
                    box = page_images.row_box(rows, int(m.group(2)), int(m.group(3)))
                    assert box is not None and 0 <= box[0] < box[2] <= 1 and 0 <= box[1] < box[3] <= 1, row["key"]
                    assert box[3] - box[1] < 0.2  # a row, not the table
        else:
            try:
                page_images.page_png(ctx, item["id"], 1)
            except Invalid as exc:
                assert "不是 PDF" in exc.message
            else:
                raise AssertionError("a page image of a document that is not a PDF")
    assert checked > 100
    # outside the actor's scope: not found, as the document itself
    pdf = next(d for d in imports_list(docs_server) if d["name"] == "sh_putuo_wanli_street_2024_dept_budget.pdf")
    add_user(ctx, "hn_reader", role="auditor", org="HN", password="reader-password-1")
    from jixiao.services import auth

    token = auth.login(ctx, "hn_reader", "reader-password-1", kind="session")["token"]
    actor, _info = auth.actor_for_token(docs_server.db, token, kind="session")
    for call in (lambda: page_images.page_png(Ctx(docs_server.db, actor), pdf["id"], 1),
                 lambda: page_images.page_rows(Ctx(docs_server.db, actor), pdf["id"], 1),
                 lambda: document_view.document_view(Ctx(docs_server.db, actor), pdf["id"])):
        with pytest.raises(NotFound):
            call()

"""The 绩效运行监控 pages in Chromium, one journey on the demo region (tests/monitoring_web.py makes
沅江 and 石峰's 2023 targets approved): the finance reviewer opens a round (the 预警分布图 drawn),
沅江's filer uploads 办件 records (a refused file lists its row errors; a good one is imported) and
sees the bound indicator's value from them, fills the 监控表 and sees the red warning appear as the
spending is typed, types over the bound value (a reason is asked for) and saves; the reviewer opens
a 整改 task from the red item; the filer closes it with the measure taken; 石峰 gets 404 on 沅江's
监控表. Screenshots under $JIXIAO_SCREENSHOTS."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from jixiao.services import operational_data
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.store import schema as db
from tests.monitoring_web import PASSWORDS
from tests.monitoring_web import SOURCE
from tests.monitoring_web import prepare
from tests.monitoring_web import records_csv
from tests.web_helpers import login
from tests.web_helpers import shot


def login_as(web, server, username: str) -> None:
    web.context.clear_cookies()
    login(web, server, username, PASSWORDS[username])


BOUND = "受理、办结全市政务服务事项数量"  # 沅江's 整体 indicator bound to 政务大厅办件量


def test_a_round_from_opening_to_a_closed_rectification(web, demo_server, tmp_path):
    db_ = demo_server.db
    prepare(db_)
    with db_.session(write=False) as s:
        yj = s.scalar(select(db.Org).where(db.Org.code == "HN-YJ"))
        whole = s.scalar(select(db.TargetSet).join(db.Document, db.Document.id == db.TargetSet.document_id)
                         .where(db.Document.org_id == yj.id, db.TargetSet.project.is_(None)))
        bound = s.scalar(select(db.Indicator.id).where(db.Indicator.target_set_id == whole.id,
                                                       db.Indicator.name == BOUND))
    operational_data.bind_indicator(Ctx(db_, SYSTEM), bound, "政务大厅办件量")

    # -- the finance reviewer opens a round for 2023-06-30 over the region
    login_as(web, demo_server, "fin")
    web.goto(demo_server.url + "/monitoring?year=2023")
    web.select_option("#f-org", web.locator("#f-org option", has_text="湖南省财政厅").get_attribute("value"))
    web.fill("#f-as_of", "2023-06-30")
    web.click("#mo-open button[type=submit]")
    web.wait_for_selector("#mo-chart svg")
    assert "时间进度 49.59%" in web.inner_text(".notice-success")
    assert web.inner_text("#count-unfilled") == "9" and web.inner_text("#count-green") == "0"
    round_url = web.url.split("?")[0]
    shot(web, "monitoring_round_opened")
    # the round's page is of the round's year, whatever year was chosen elsewhere; choosing a
    # year on it goes to the rounds of that year
    web.goto(demo_server.url + "/monitoring?year=2025")
    web.goto(round_url)
    web.wait_for_selector("#mo-chart svg")
    assert web.input_value("#year-select") == "2023"
    assert web.inner_text("#year-select option:checked").strip() == "2023 年"
    with web.expect_navigation():
        web.select_option("#year-select", "all")
    assert web.url.split("?")[0] == demo_server.url + "/monitoring" and web.input_value("#year-select") == "all"
    web.goto(demo_server.url + "/monitoring?year=2023")
    assert "2023年绩效运行监控（截至6月30日）" in web.inner_text("#mo-rounds")
    shot(web, "monitoring_rounds")

    # -- 沅江's filer uploads a file with a bad row (refused, row listed), then the good one
    login_as(web, demo_server, "yj_filer")
    web.goto(demo_server.url + "/opdata")
    web.click(f"#od-sources >> text={SOURCE}")
    bad = tmp_path / "办件_有误.csv"
    good = records_csv(120, "沅江市行政审批服务局")
    bad.write_bytes(good.replace(b"2023-03-", b"2023-13-", 1))
    web.guard.allow("422")  # the refused file is answered 422
    web.set_input_files("#od-upload-file", str(bad))
    web.click("#od-upload button[type=submit]")
    web.wait_for_selector("#od-errors")
    assert "整个文件未导入" in web.inner_text("#od-refused")
    first = web.inner_text("#od-errors tbody tr:first-child")
    assert re.search(r"第 \d+ 行", first) and "不是日期" in first
    shot(web, "opdata_import_refused")
    path = tmp_path / "办件_2023上半年.csv"
    path.write_bytes(good)
    web.set_input_files("#od-upload-file", str(path))
    web.click("#od-upload button[type=submit]")
    web.wait_for_selector("#od-result")
    assert "120 条记录" in web.inner_text("#od-result")

    # -- the filer opens 沅江's 整体 监控表: the bound value comes from the records
    web.goto(demo_server.url + "/monitoring?year=2024")
    web.goto(demo_server.url + round_url.removeprefix(demo_server.url))
    assert web.input_value("#year-select") == "2023"
    web.click(f"#mo-sheets tr:has-text('{whole.unit}') >> nth=0 >> a.action")
    web.wait_for_selector("#mo-form")
    assert web.input_value("#year-select") == "2023"  # the sheet's page is of its round's year too
    assert web.input_value(f"#to_date-{bound}") == "120"
    assert "120 条记录" in web.inner_text(f"#data-{bound}")
    # spending typed: 100 of 864.30 万元 is 11.57%, 38 points behind 49.59% → 红, before saving
    web.fill("#mo-spent", "100")
    web.wait_for_function("document.querySelector('#mo-rate').textContent === '11.57%'")
    assert web.get_attribute("#mo-level", "data-level") == "red"
    assert "资金执行" in web.inner_text("#mo-warnings")
    # typing over the bound value asks for a reason
    web.fill(f"#to_date-{bound}", "130")
    web.wait_for_selector(f"#data-{bound}[data-typed-over='yes']", state="attached")
    assert web.is_visible(f"#override-{bound}")
    web.click("#mo-save")
    web.wait_for_selector("#mo-notice .notice-error")
    assert "须说明原因" in web.inner_text("#mo-notice")
    web.fill(f"#override-{bound}", "含窗口线下补录 10 件")
    web.fill("#mo-exec-reason", "项目采购合同 7 月签订，资金下半年支付")
    web.wait_for_function("!document.querySelector('#mo-warnings').textContent.includes('须填写偏差原因')")
    web.click("#mo-save")
    web.wait_for_selector("#mo-notice .notice-success")
    shot(web, "monitoring_sheet_saved")
    sheet_url = web.url
    with db_.session(write=False) as s:
        stored = s.scalar(select(db.MonitoringSheet).where(db.MonitoringSheet.target_set_id == whole.id))
        assert f"第 {stored.row_version} 版" in web.inner_text("#mo-notice") and stored.level == "red"
        assert stored.spent == 100 and stored.execution_reason.startswith("项目采购合同")
        override = s.scalar(select(db.OpOverride).where(db.OpOverride.indicator_id == bound))
        assert override is not None and str(override.value) in ("130", "130.0000") and override.reason

    # -- the reviewer opens a 整改 task from the red money item
    login_as(web, demo_server, "fin")
    web.goto(sheet_url)
    web.click("button[data-dialog='task-dialog-money']")
    web.select_option("#task-dialog-money select[name=owner]", "yj_filer")
    shot(web, "monitoring_task_dialog")
    web.click("#task-dialog-money button[type=submit]")
    web.wait_for_selector(".notice-success >> text=已下达整改任务")
    assert "整改中" in web.inner_text("#tasks")

    # -- the round now shows 沅江 red on the 分布图; the monitoring report downloads
    web.goto(round_url)
    web.wait_for_selector("#mo-chart svg")
    assert web.inner_text("#count-red") == "1" and web.inner_text("#count-unfilled") == "8"
    shot(web, "monitoring_round_red")
    with web.expect_download() as download:
        web.click(".mo-export a:has-text('XLSX')")
    assert download.value.suggested_filename.endswith("_监控报告.xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "沅江市行政审批服务局" in text and "11.57%" in text

    # -- the filer closes it with the measure taken: the 整改 of the year chosen (2024: none), or
    # of the round, which are of the round's year
    login_as(web, demo_server, "yj_filer")
    web.goto(demo_server.url + "/rectification?year=2024")
    assert web.locator("#rx-tasks tr[data-state]").count() == 0 and web.inner_text("#rx-year") == "2024 年度"
    # … but the open task of the 2023 round is named there, linked to its year, and waits on the 工作台
    assert web.inner_text("#rx-elsewhere").strip().startswith("另有 2023 年度未关闭的整改任务 1 项")
    web.goto(demo_server.url + "/")
    mine = web.locator("#my-tasks tr[data-task]")
    assert mine.count() == 1 and "资金执行" in mine.inner_text() and "2023" in mine.inner_text()
    assert "（我）" in mine.inner_text() and re.search(r"\d{4}-\d{2}-\d{2}（", mine.inner_text())
    web.goto(demo_server.url + "/rectification?year=2024")
    with web.expect_navigation():
        web.click("#rx-elsewhere a[data-year='2023']")
    assert web.inner_text("#rx-year") == "2023 年度" and web.locator("#rx-tasks tr[data-state=open]").count() == 1
    web.goto(round_url)
    web.click(".page-actions a:has-text('整改任务')")
    web.wait_for_selector("#rx-tasks")
    assert web.input_value("#year-select") == "2023" and web.inner_text("#rx-year") == "2023 年度"
    row = web.locator("#rx-tasks tr[data-state=open]").first
    assert "资金执行" in row.inner_text() and "yj_filer" in row.inner_text()
    row.locator("textarea[name=measure]").fill("已与供应商签订合同，7 月支付首期 300 万元")
    row.locator("button[type=submit]").click()
    web.wait_for_selector(".notice-success >> text=整改任务已完成")
    assert "已与供应商签订合同" in web.inner_text("#rx-tasks tr[data-state=closed]")
    shot(web, "rectification_closed")

    # -- 石峰 may not see 沅江's 监控表
    web.guard.allow("404")
    login_as(web, demo_server, "sf_dept")
    response = web.goto(sheet_url)
    assert response.status == 404
    assert "不存在" in web.inner_text("main")


def test_a_new_source_is_mapped_from_its_first_file_and_imports_it(web, demo_server, tmp_path):
    import csv

    from tests.opdata_records import generate

    with demo_server.db.session(write=False) as s:  # prepared by the journey above when it ran first
        ready = s.scalar(select(db.User.id).where(db.User.username == "yj_dept")) is not None
    if not ready:
        prepare(demo_server.db)
    rows = list(generate("好差评", 30, ["沅江市行政审批服务局"], seed=3))
    path = tmp_path / "好差评_2026.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        f.write("沅江市好差评系统导出\n")  # a title above the header, as exports print it
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    login_as(web, demo_server, "yj_dept")
    web.goto(demo_server.url + "/opdata")
    web.select_option("#f-org", web.locator("#f-org option", has_text="沅江市行政审批服务局").get_attribute("value"))
    web.fill("#f-name", "好差评")
    web.set_input_files("#od-file", str(path))
    web.click("#od-new button[type=submit]")
    web.wait_for_selector("#od-columns")
    assert "表头在文件第 2 行" in web.inner_text("#od-mapping")
    # the date and unit columns are guessed from their names; the other two stay as text fields
    assert web.input_value("#od-date") == "评价日期" and web.input_value("#od-unit") == "被评价单位"
    shot(web, "opdata_mapping")
    web.click("#od-mapping button[type=submit]")
    web.wait_for_selector("#od-result")
    assert "30 条记录" in web.inner_text("#od-result")
    assert [c.strip() for c in web.locator("#od-mapping-table tbody td:first-child").all_inner_texts()] == [
        "日期", "单位", "评价结果", "评价渠道"]
    shot(web, "opdata_source_imported")

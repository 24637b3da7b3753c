"""Browser journeys through 绩效自评, 总览, 审核发现 and 规则 (Chromium via Playwright on the demo
region, SQLite): a unit filer enters actuals and watches each score, the total and the grade
change as it types, gives the reasons the rules ask for, saves, exports the 自评表, and reads a
filled actuals template back; the dashboard's charts are drawn (SVG, series with data) and a
click on a bar opens the list behind it; 试一试 scores a 评（扣）分标准 as ``jixiao rule`` does; the
read-only role sees the stored self-evaluation without the 填报 form. Every page is screenshotted; every test fails
on a console error or a request leaving 127.0.0.1."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from jixiao.services import catalogue
from jixiao.services import dashboard
from jixiao.services import editing
from jixiao.services import findings
from jixiao.services import imports
from jixiao.services import selfevals
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.store import schema as db
from tests.conftest import seed
from tests.web_helpers import login
from tests.web_helpers import shot as _shot

# seed 000's 整体 indicators in order (tests/test_services_selfevals.py: with 551.20 spent, 84.14 良)
ACTUALS = ["560", "3513.14", "18", "12", "96%", "100", "达成", "部分达成", "未达成", "90"]


def _unit_target_set(server, copy: int = 1) -> int:
    """Seed 000 filed under the unit filer's organisation (长沙市政务服务中心, 152002), as a file
    of its own (``copy`` more lines, so neither the demo's bytes nor another test's): its 整体
    target set's id."""
    ctx = Ctx(server.db, SYSTEM)
    data = seed("000").read_bytes() + b"\n" * copy
    doc = imports.import_bytes(ctx, data, f"政务服务中心_2026_绩效目标表_{copy}.txt", org="152002", year=2026)["id"]
    with server.db.session(write=False) as s:
        return s.scalar(select(db.TargetSet.id).where(db.TargetSet.document_id == doc)
                        .order_by(db.TargetSet.position).limit(1))


def shot(page, name: str):
    """The screenshot from the top of the page (sticky bars stay where they belong)."""
    page.evaluate("window.scrollTo(0, 0)")
    return _shot(page, name)


def _own_user(server, username: str, role: str, org: str) -> str:
    """A user of this module's own (other modules lock the demo users out on purpose): its password."""
    from jixiao.services import users

    password = f"{username}-password-1"
    with server.db.session(write=False) as s:
        exists = s.scalar(select(db.User.id).where(db.User.username == username))
    if exists is None:
        users.add_user(Ctx(server.db, SYSTEM), username, role=role, org=org, password=password)
    return password


def _wait_total(page, total: str) -> None:
    page.wait_for_selector(f'#se-total[data-total="{total}"]', timeout=10_000)


def test_unit_enters_actuals_and_sees_scores_total_and_grade(web, demo_server):
    ts_id = _unit_target_set(demo_server)
    ts = editing.get_target_set(Ctx(demo_server.db, SYSTEM), ts_id)
    ids = [i["id"] for i in ts["indicators"]]
    login(web, demo_server, "liuwei", _own_user(demo_server, "liuwei", "unit_filer", "152002"))
    web.click(".sidenav >> text=绩效自评")
    web.wait_for_url(re.compile(r"/self-evaluations$"))
    web.select_option("#year-select", "all")
    web.wait_for_url(re.compile(r"/self-evaluations\?year=all"))
    link = web.locator(f'a[href="/target-sets/{ts_id}/self-evaluation"]')
    assert link.inner_text() == "填报自评"
    shot(web, "50-selfeval-list-unit")
    link.click()
    web.wait_for_url(re.compile(rf"/target-sets/{ts_id}/self-evaluation$"))
    assert "绩效自评" in web.inner_text("h1")
    assert web.inner_text("#se-total") == "—" and web.locator("#se-grade .grade-x").count() == 1
    shot(web, "51-selfeval-empty")
    # the first actual: its score and explanation appear, nothing else has one yet
    web.fill(f"#actual-{ids[2]}", "18")
    web.wait_for_function(f"document.querySelector('#score-{ids[2]}').dataset.score !== ''")
    assert web.inner_text(f"#score-{ids[2]} strong") == "7.50"
    assert "18/20×8.33 = 7.50" in web.inner_text(f"#expl-{ids[2]}")
    assert web.get_attribute(f"#score-{ids[3]}", "data-score") == ""
    # all of them, then the budget block: the total and grade of the service
    for ident, actual in zip(ids, ACTUALS, strict=True):
        web.fill(f"#actual-{ident}", actual)
    web.fill("#se-spent", "551.20")
    _wait_total(web, "84.14")
    assert web.inner_text("#se-total") == "84.14"
    assert web.inner_text("#se-grade") == "良"
    assert web.inner_text("#exec-rate") == "94.99%" and web.inner_text("#exec-score") == "9.50"
    # 部分达成 and 未达成 lost points without a reason: the rules ask for one there
    assert web.get_attribute(f"#need-{ids[7]}", "data-required") == "yes"
    assert web.get_attribute(f"#need-{ids[8]}", "data-required") == "yes"
    assert web.get_attribute(f"#need-{ids[6]}", "data-required") == "no"  # 达成: full points
    assert "须说明偏差原因" in web.inner_text(f"#row-{ids[7]}")
    shot(web, "52-selfeval-typed")
    web.fill(f"#reason-{ids[7]}", "窗口改造延期，已列入下一年度计划")
    web.wait_for_selector(f'#need-{ids[7]}[data-required="no"]', state="attached")
    # a lower execution: the rate, its score and the total follow, and a reason is asked for
    web.fill("#se-spent", "300")
    web.wait_for_function("document.querySelector('#exec-rate').textContent === '51.70%'")
    assert web.inner_text("#exec-score") == "5.17"
    assert "须说明执行偏差原因" in web.inner_text("#exec-result")
    web.fill("#se-spent", "551.20")
    _wait_total(web, "84.14")
    # save: stored with its version; the export is offered
    web.click("#se-save")
    web.wait_for_selector("#se-notice .notice-success")
    assert "已保存：总分 84.14，等级“良”（第 1 版）" in web.inner_text("#se-notice")
    assert web.input_value("#se-version") == "1"
    assert web.inner_text("#se-state").startswith("已保存第 1 版")
    stored = selfevals.get_self_evaluation(Ctx(demo_server.db, SYSTEM), ts_id)
    assert stored["total"] == "84.14" and stored["grade"] == "良"
    assert stored["reasons"] == {str(ids[7]): "窗口改造延期，已列入下一年度计划"}
    shot(web, "53-selfeval-saved")
    with web.expect_download() as download:
        web.click("#se-export")
    assert download.value.suggested_filename.endswith("自评表.xlsx")
    report = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert report.sheetnames[0] == "汇总" and "评分说明" in report.sheetnames
    # saving again names the version it replaces
    web.fill(f"#actual-{ids[8]}", "部分达成")
    web.wait_for_function("document.querySelector('#se-total').dataset.total !== '84.14'")
    web.click("#se-save")
    web.wait_for_selector("#se-notice >> text=第 2 版")
    assert selfevals.get_self_evaluation(Ctx(demo_server.db, SYSTEM), ts_id)["row_version"] == 2
    # someone else saves meanwhile: this form's save is refused, its entries kept on the page
    other = dict(zip(ids, ACTUALS, strict=True))
    selfevals.score_self_evaluation(Ctx(demo_server.db, SYSTEM), ts_id, other, expected_version=2)
    web.fill(f"#actual-{ids[9]}", "93")
    web.click("#se-save")
    web.wait_for_selector("#se-notice .notice-error")
    assert "自评已保存过（当前版本 3，您修改的是版本 2）" in web.inner_text("#se-notice")
    assert web.input_value(f"#actual-{ids[9]}") == "93"
    assert selfevals.get_self_evaluation(Ctx(demo_server.db, SYSTEM), ts_id)["row_version"] == 3
    shot(web, "53b-selfeval-conflict")
    # a reload shows what was saved last (the other user's actuals, without reasons or budget)
    web.reload()
    assert web.input_value(f"#actual-{ids[8]}") == "未达成"
    assert web.input_value(f"#actual-{ids[9]}") == "90"
    assert web.input_value("#se-version") == "3"


def test_upload_a_filled_actuals_template(web, demo_server, tmp_path):
    from jixiao.selfeval.template import ACTUAL
    from jixiao.selfeval.template import ACTUALS_SHEET
    from jixiao.selfeval.template import BUDGET_SHEET
    from jixiao.selfeval.template import SPENT

    ts_id = _unit_target_set(demo_server, copy=2)
    login(web, demo_server, "liuwei", _own_user(demo_server, "liuwei", "unit_filer", "152002"))
    web.goto(demo_server.url + f"/target-sets/{ts_id}/self-evaluation")
    with web.expect_download() as download:
        web.click("#se-template")
    assert download.value.suggested_filename.endswith("实际完成值填报表.xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book[ACTUALS_SHEET]
    header = {c.value: c.column for c in sheet[2]}
    for n, actual in enumerate(ACTUALS, start=3):
        sheet.cell(n, header[ACTUAL], actual)
    budget = book[BUDGET_SHEET]
    budget.cell(3, {c.value: c.column for c in budget[2]}[SPENT], 551.2)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    web.set_input_files("#se-file", str(filled))
    web.click("#se-upload button[type=submit]")
    web.wait_for_selector("#se-notice .notice-info")
    assert "已从“filled.xlsx”读入 10 / 10 项指标的实际完成值" in web.inner_text("#se-notice")
    assert web.inner_text("#se-total") == "84.14" and web.inner_text("#se-grade") == "良"
    assert web.input_value("#se-spent") == "551.2"
    assert selfevals.get_self_evaluation(Ctx(demo_server.db, SYSTEM), ts_id) is None  # read, not saved
    shot(web, "54-selfeval-uploaded")
    # a file that is not a workbook: said in Chinese, nothing changes
    web.guard.allow("status of 422")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    web.set_input_files("#se-file", str(bad))
    web.click("#se-upload button[type=submit]")
    web.wait_for_selector("#se-notice .notice-error")
    assert "bad.xlsx" in web.inner_text("#se-notice")


def test_read_only_role_sees_the_stored_self_evaluation_without_a_form(web, demo_server):
    ctx = Ctx(demo_server.db, SYSTEM)
    ts_id = _unit_target_set(demo_server, copy=3)
    ids = [i["id"] for i in editing.get_target_set(ctx, ts_id)["indicators"]]
    stored = selfevals.score_self_evaluation(ctx, ts_id, dict(zip(ids, ACTUALS, strict=True)),
                                             execution={"spent": "551.20"})
    login(web, demo_server, "wangshen", _own_user(demo_server, "wangshen", "auditor", "HN"))
    response = web.goto(demo_server.url + f"/target-sets/{ts_id}/self-evaluation")
    assert response.status == 200
    assert "绩效自评" in web.inner_text("h1")
    assert "只读查看" in web.inner_text("#se-readonly")
    # the stored scores, total and grade, as the service stored them; no field to type in, no save
    assert web.inner_text("#se-total") == stored["total"] == "84.14"
    assert web.inner_text("#se-grade") == stored["grade"] == "良"
    assert web.inner_text(f"#score-{ids[2]} strong") == "7.50"
    assert "18/20×8.33 = 7.50" in web.inner_text(f"#expl-{ids[2]}")
    assert web.inner_text("#exec-rate") == "94.99%" and web.inner_text("#exec-score") == "9.50"
    assert web.locator("main input:not([type=hidden]), main textarea, main select").count() == 0
    assert web.locator("#se-save, #se-form, #se-upload").count() == 0
    shot(web, "55-selfeval-read-only-auditor")
    # the list is theirs to read: 查看自评 on a scored row, no 填报 links
    web.goto(demo_server.url + "/self-evaluations?year=all")
    assert web.locator("#se-list tbody tr").count() > 0
    links = web.locator('#se-list a[href$="/self-evaluation"]')
    assert links.count() > 0 and set(links.all_inner_texts()) == {"查看自评"}
    assert web.locator(f'#se-list a[href="/target-sets/{ts_id}/self-evaluation"]').count() == 1


def _score_some(server) -> None:
    """Self-evaluations for the dashboard: seed 001's project sets, their targets met or partly
    met (set n falls short by 8n % on every other indicator), spending 100 − 6n % of the budget."""
    ctx = Ctx(server.db, SYSTEM)
    listed = dashboard.list_self_evaluations(ctx, org="152", scored="no", limit=6)["items"]
    for n, item in enumerate(listed):
        ts = editing.get_target_set(ctx, item["target_set_id"])
        actuals = {}
        for k, i in enumerate(ts["indicators"]):
            if i["value"] is None:
                actuals[i["id"]] = "达成" if k % 2 else "部分达成"
            else:
                short = Decimal(1) - Decimal("0.08") * n * (k % 2)
                actuals[i["id"]] = format((Decimal(i["value"]) * short).quantize(Decimal("0.01")), "f")
        form = selfevals.self_evaluation_form(ctx, item["target_set_id"])
        budget = Decimal(form["target_set"]["initial_budget"] or "100")
        spent = (budget * Decimal(100 - 6 * n) / 100).quantize(Decimal("0.01"))
        selfevals.score_self_evaluation(ctx, item["target_set_id"], actuals, execution={"spent": str(spent)})


def _chart_data(page, element: str) -> list:
    return page.evaluate(
        """(id) => { const c = echarts.getInstanceByDom(document.getElementById(id));
                     return c ? c.getOption().series.map(s => s.data.length) : null; }""", element)


def _click_chart(page, element: str, series: int, point: list) -> None:
    """Click the chart element drawn at ``point`` (data coordinates) of a series."""
    page.locator(f"#{element}").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([id, s, p]) => echarts.getInstanceByDom(document.getElementById(id))
                              .convertToPixel({seriesIndex: s}, p)""", [element, series, point])
    box = page.locator(f"#{element}").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_dashboard_charts_are_drawn_and_click_through(web, demo_server):
    _score_some(demo_server)
    login(web, demo_server, "zhaocai", _own_user(demo_server, "zhaocai", "finance_reviewer", "HN"))
    web.click(".sidenav >> text=总览")
    web.wait_for_url(re.compile(r"/dashboard$"))
    web.select_option("#year-select", "all")
    web.wait_for_url(re.compile(r"/dashboard\?year=all"))
    ctx = Ctx(demo_server.db, web_actor(demo_server, "zhaocai"))
    board = dashboard.dashboard(ctx)
    assert web.inner_text("#kpi-documents") == str(board["documents"])
    assert web.inner_text("#kpi-findings") == str(board["findings_total"]["all"])
    for chart in ("chart-codes", "chart-departments", "chart-share", "chart-grades", "chart-execution", "chart-years"):
        web.wait_for_selector(f"#{chart} svg")
        lengths = _chart_data(web, chart)
        assert lengths and all(n > 0 for n in lengths), (chart, lengths)
    # the labels are the catalogue's Chinese titles
    assert board["findings_by_code"][0]["title"][:8] in web.inner_text("#chart-codes")
    assert "良" in web.inner_text("#chart-grades") or "优" in web.inner_text("#chart-grades")
    assert "%" in web.inner_text("#chart-execution")
    shot(web, "56-dashboard")
    # a bar of a finding code → the findings of that code
    top = board["findings_by_code"][0]
    _click_chart(web, "chart-codes", 0, [max(1, top["count"] // 2), 0])
    web.wait_for_url(re.compile(r"/findings\?"))
    assert f"code={top['code']}" in web.url
    codes = set(web.locator("#findings tbody td:nth-child(2)").all_inner_texts())
    assert codes == {top["code"]}
    listed = findings.list_findings(ctx, code=top["code"], limit=1)["total"]
    assert f"共 {listed} 条" in web.inner_text(".pagination") or web.locator("#findings tbody tr").count() == listed
    shot(web, "57-findings-by-code")
    # a grade bar → the self-evaluations of that grade
    web.go_back()
    web.wait_for_selector("#chart-grades svg")
    grades = [g for g in board["grades"] if g["count"]]
    index = next(i for i, g in enumerate(board["grades"]) if g["count"])
    _click_chart(web, "chart-grades", 0, [index, max(grades[0]["count"] / 2, 0.5)])
    web.wait_for_url(re.compile(r"/self-evaluations\?"))
    grade = board["grades"][index]["grade"]
    assert set(web.locator("#se-list tbody td:nth-child(6)").all_inner_texts()) == {grade}
    assert web.locator("#se-list tbody tr").count() == board["grades"][index]["count"]
    shot(web, "58-selfevals-by-grade")


def web_actor(server, username: str):
    from jixiao.services.context import Actor

    with server.db.session(write=False) as s:
        user = s.scalar(select(db.User).where(db.User.username == username))
        org = s.get(db.Org, user.org_id)
        return Actor(user_id=user.id, username=user.username, role=user.role, org_id=org.id, org_path=org.path)


def test_rules_page_try_a_scoring_text(web, demo_server):
    login(web, demo_server, "wangshen", _own_user(demo_server, "wangshen", "auditor", "HN"))
    web.click(".sidenav >> text=规则")
    assert web.inner_text("h1") == "规则"
    assert web.locator(".profile").count() == 3
    assert web.locator("#codes tbody tr[id^=code-]").count() == len(catalogue.findings_catalogue(
        Ctx(demo_server.db, SYSTEM))["families"][0]["codes"]) + sum(
        len(f["codes"]) for f in catalogue.findings_catalogue(Ctx(demo_server.db, SYSTEM))["families"][1:])
    text = "大于等于90%得10分；90%-80%（含）得8分；小于80%不得分"
    web.fill("#try-text", text)
    web.fill("#try-target", "≥95%")
    web.fill("#try-actual", "85%")
    web.fill("#try-weight", "10")
    web.click("#try-form button[type=submit]")
    expected = catalogue.try_rule(text, "10", target="≥95%", actual="85%")
    web.wait_for_function("([e]) => { const x = document.querySelector('#try-explanation'); "
                          "return x && x.textContent === e; }", arg=[expected["explanation"]])
    assert web.inner_text("#try-score") == expected["score"]
    assert web.inner_text("#try-method").startswith(expected["method"][:4])
    shot(web, "59-rules-try")
    web.fill("#try-weight", "十分")
    web.click("#try-form button[type=submit]")
    web.wait_for_selector("#try-result .notice-error")
    assert "不是非负数" in web.inner_text("#try-result")
    # the catalogue's search
    web.goto(demo_server.url + "/rules?q=权重#catalogue")
    rows = web.locator("#codes tbody tr[id^=code-]")
    assert 0 < rows.count() < 30
    shot(web, "60-rules-catalogue-search")

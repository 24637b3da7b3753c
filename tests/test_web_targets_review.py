"""Browser journeys through 绩效目标编辑 and 审核 (Chromium via Playwright on the demo region):
the unit fixes a target and watches its finding disappear and the weight total change, picks a
三级指标 from the suggestions, adds, moves and deletes rows by keyboard and buttons; submits with
an explanation for the open error; the department returns it with a comment; the unit fixes and
resubmits; 部门审核 and 财政审核 approve; two editors of one target set: the second gets the
conflict with the first one's values; roles on pages they must not see get the 403 page.

The tests run on a demo region of their own (``server``: the journey moves documents through the
workflow, which the other page tests must not see); the documents are filed for the demo unit
长沙市政务服务中心 (152002) by the import service: seed 000 (the journey) and seed 002 (the
conflict, the suggestions' earlier year, the 403 pages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jixiao.services import documents
from jixiao.services import editing
from jixiao.services import findings
from jixiao.services import imports
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from tests.web_helpers import VIEWPORT
from tests.web_helpers import Guard
from tests.web_helpers import login
from tests.web_helpers import shot

SEEDS = Path(__file__).parent / "data" / "seeds"


def _filed(server, seed: str) -> dict:
    ctx = Ctx(server.db, SYSTEM)
    result = imports.import_path(ctx, SEEDS / seed, org="152002")
    doc = documents.get_document(ctx, result["id"])
    return {"id": doc["id"], "sets": [r["id"] for r in doc["target_set_refs"]]}


@pytest.fixture(scope="module")
def server(demo_server):
    """The demo region served for this module alone (``demo_server`` is one per module)."""
    return demo_server


@pytest.fixture(scope="module")
def journey_doc(server):
    return _filed(server, "000_82772c604d1a37f5.txt")


@pytest.fixture(scope="module")
def other_doc(server):
    return _filed(server, "002_736e426451e9b52c.txt")


def _second_page(browser, opened: list):
    """A page in a context of its own (another user), guarded like ``web``; closed by ``_close``."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    guard = Guard()
    page.on("console", guard.on_console)
    page.on("pageerror", guard.on_page_error)
    page.on("request", guard.on_request)
    page.guard = guard
    opened.append(page)
    return page


def _close(opened: list) -> None:
    problems = []
    for page in opened:
        problems += page.guard.problems()
        page.context.close()
    assert not problems, "\n".join(problems)


def _ctx(server) -> Ctx:
    return Ctx(server.db, SYSTEM)


def _row_of(page, name: str):
    """The editor's row whose 三级指标 is ``name``."""
    rows = page.locator("#ind-body tr[data-id]")
    for i in range(rows.count()):
        row = rows.nth(i)
        if row.locator('[data-col="name"]').input_value() == name:
            return row
    raise AssertionError(f"no row {name}")


def _wait_saved(page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_timeout(100)


def _wait_draft_focus(page) -> None:
    """Wait until the focus is in a new row's 三级指标 (it moves there after the row is swapped in and
    settled; keys pressed before that go to the cell the user left)."""
    page.wait_for_function("() => { const a = document.activeElement;"
                           " return !!a && a.dataset.col === 'name' && !!a.closest('tr.draft'); }")


def _codes(page) -> list[str]:
    return page.locator("#findings-panel li.finding").evaluate_all("els => els.map(e => e.dataset.code)")


def test_unit_fixes_a_target_and_the_finding_disappears(web, server, journey_doc):
    ts_id = journey_doc["sets"][0]
    login(web, server, "danwei")
    web.goto(f"{server.url}/target-sets/{ts_id}/edit")
    assert web.inner_text("h1").startswith("绩效目标编辑")
    assert web.locator("#ind-body tr[data-id]").count() == 10
    shot(web, "20-targets-edit")
    assert "unit-invalid" in _codes(web)
    area = _row_of(web, "服务面积")
    assert area.locator("td.row-status.worst-warning").count() == 1  # the row carries its finding
    # 度量单位 平方 → 平方米: the review answers as one types, the finding goes
    unit = area.locator('[data-col="unit_text"]')
    unit.click()
    unit.press("End")
    unit.type("米")
    web.wait_for_function("() => !document.querySelector('#findings-panel li[data-code=\"unit-invalid\"]')")
    assert "unit-invalid" not in _codes(web)
    # the row's status cell takes its new class when htmx settles the swap (20 ms after it): wait for it
    expect(area.locator("td.row-status.worst-warning")).to_have_count(0)
    assert web.input_value("#ts-version") == "2"
    stored = editing.get_target_set(_ctx(server), ts_id)
    assert [i["unit_text"] for i in stored["indicators"] if i["name"] == "服务面积"] == ["平方米"]
    assert "unit-invalid" not in [f["code"] for f in stored["findings"]]
    shot(web, "21-targets-finding-fixed")
    # the weight total: none filled (orange), then wrong (red), then 90 + 预算执行率 10 (green)
    assert web.get_attribute("#weight-total", "data-state") == "empty"
    rows = web.locator("#ind-body tr[data-id]")
    rows.nth(0).locator('[data-col="weight"]').fill("20")
    web.wait_for_function("() => document.querySelector('#weight-total').dataset.total === '20'")
    assert web.get_attribute("#weight-total", "data-state") == "wrong"
    assert "还差 70 分" in web.inner_text("#weight-total")
    assert "weights-sum" in _codes(web)  # the rules agree: the weights do not add up
    shot(web, "22-targets-weight-wrong")
    for n in range(1, 10):
        rows.nth(n).locator('[data-col="weight"]').fill("10" if n < 8 else "5")
        _wait_saved(web)
    web.wait_for_function("() => document.querySelector('#weight-total').dataset.total === '100'")
    rows.nth(0).locator('[data-col="weight"]').fill("10")
    web.wait_for_function("() => document.querySelector('#weight-total').dataset.total === '90'")
    assert web.get_attribute("#weight-total", "data-state") == "ok"
    assert "90 + 预算执行率 10 = 100" in web.inner_text("#weight-total")
    assert "weights-sum" not in _codes(web)
    shot(web, "23-targets-weight-ok")


def test_suggestions_keyboard_new_row_move_and_delete(web, server, journey_doc, other_doc):
    # other_doc: the unit's 2023 targets (seed 002), where the suggestions come from
    ts_id = journey_doc["sets"][0]
    login(web, server, "danwei")
    web.goto(f"{server.url}/target-sets/{ts_id}/edit")
    before = web.locator("#ind-body tr[data-id]").count()
    training = _row_of(web, "培训场次")
    weight = training.locator('[data-col="weight"]')
    weight.focus()
    weight.press("Enter")  # Enter in the last cell: a new row after this one, 一级 / 二级 copied
    draft = web.locator("#ind-body tr.draft")
    draft.wait_for()
    assert draft.locator('[data-col="level2"]').input_value() == "数量指标"
    name = draft.locator('[data-col="name"]')
    _wait_draft_focus(web)  # the new row's 三级指标 takes the focus once htmx has settled the row
    name.type("培训")  # suggestions from the stored indicators under 数量指标
    box = draft.locator(".suggest-box")
    draft.locator(".suggest-head", has_text="培训").wait_for()  # the list for what is typed
    names = box.locator("button.suggestion .s-name").all_inner_texts()
    assert names == ["培训人次"], names  # the one 数量指标 of the unit's earlier year close to it
    assert "培训场次" not in names  # the set has it already
    shot(web, "24-targets-suggestions")
    pick = box.locator("button.suggestion").first
    picked = pick.locator(".s-name").inner_text()
    name.press("ArrowDown")  # the keyboard takes it: ↓ into the list, Enter
    assert web.evaluate("() => document.activeElement.dataset.name") == picked
    web.keyboard.press("Enter")
    web.wait_for_function("n => [...document.querySelectorAll('#ind-body tr[data-id] [data-col=name]')]"
                          ".some(i => i.value === n)", arg=picked)
    assert web.locator("#ind-body tr[data-id]").count() == before + 1
    new = _row_of(web, picked)
    assert int(new.get_attribute("data-position")) == int(training.get_attribute("data-position")) + 1
    assert new.locator('[data-col="target_text"]').input_value() == "≥260人次"  # its value came along
    # Tab goes through the cells of the row
    new.locator('[data-col="name"]').focus()
    web.keyboard.press("Tab")
    assert web.evaluate("() => document.activeElement.dataset.col") == "op_text"
    shot(web, "25-targets-row-added")
    # a new row typed by keyboard alone: Enter in 分值 opens it, Enter in its 分值 saves it and opens the next
    new.locator('[data-col="weight"]').press("Enter")
    typed = web.locator("#ind-body tr.draft")
    typed.wait_for()
    _wait_draft_focus(web)  # as a user does: type once the cursor is in the new row
    web.keyboard.type("窗口服务人次")
    for _ in range(6):
        web.keyboard.press("Tab")
    assert web.evaluate("() => document.activeElement.dataset.col") == "weight"
    web.keyboard.type("5")
    web.keyboard.press("Enter")
    web.wait_for_function("() => [...document.querySelectorAll('#ind-body tr[data-id] [data-col=name]')]"
                          ".some(i => i.value === '窗口服务人次') && document.querySelectorAll('#ind-body tr.draft').length === 1")
    _wait_draft_focus(web)  # in the next new row
    web.locator("#ind-body tr.draft button[data-discard]").click()
    assert web.locator("#ind-body tr.draft").count() == 0
    assert [i["weight"] for i in editing.get_target_set(_ctx(server), ts_id)["indicators"]
            if i["name"] == "窗口服务人次"] == ["5"]
    web.once("dialog", lambda dialog: dialog.accept())
    _row_of(web, "窗口服务人次").locator("button[title=删除此行]").click()
    web.wait_for_function("() => ![...document.querySelectorAll('#ind-body [data-col=name]')]"
                          ".some(i => i.value === '窗口服务人次')")
    # ↑ moves it up, 删除 removes it (after the confirmation)
    new.locator("button[title=上移]").click()
    web.wait_for_function("n => { const r = [...document.querySelectorAll('#ind-body tr[data-id]')]"
                          ".find(r => r.querySelector('[data-col=name]').value === n);"
                          " return r && r.dataset.position === '2'; }", arg=picked)
    assert _row_of(web, picked).get_attribute("data-position") == "2"
    web.once("dialog", lambda dialog: dialog.accept())
    _row_of(web, picked).locator("button[title=删除此行]").click()
    web.wait_for_function("n => ![...document.querySelectorAll('#ind-body [data-col=name]')]"
                          ".some(i => i.value === n)", arg=picked)
    assert web.locator("#ind-body tr[data-id]").count() == before
    stored = editing.get_target_set(_ctx(server), ts_id)
    assert picked not in [i["name"] for i in stored["indicators"]]


def test_two_editors_of_one_target_set_the_second_gets_the_conflict(web, server, other_doc, browser):
    ts_id = other_doc["sets"][1]
    login(web, server, "danwei")
    web.goto(f"{server.url}/target-sets/{ts_id}/edit")
    opened: list = []
    second = _second_page(browser, opened)
    login(second, server, "bumen")  # the department manager edits the same set
    second.goto(f"{server.url}/target-sets/{ts_id}/edit")
    first_row = web.locator("#ind-body tr[data-id]").first
    name = first_row.locator('[data-col="name"]').input_value()
    first_row.locator('[data-col="explanation"]').fill("单位填报员写的说明")
    web.wait_for_function("() => document.querySelector('#ts-version').value !== '1'")
    second.guard.allow("status of 409")
    row = second.locator("#ind-body tr[data-id]").first
    row.locator('[data-col="explanation"]').fill("部门写的说明")
    second.locator("#conflict .conflict").wait_for()
    text = second.inner_text("#conflict")
    assert "绩效目标已被他人修改" in text and "对方已保存" in text
    assert "单位填报员写的说明" in second.inner_text("#conflict tr.theirs")
    assert "部门写的说明" in second.inner_text("#conflict tr.mine")
    assert "未保存" in second.inner_text("#save-state")
    shot(second, "26-targets-conflict")
    stored = editing.get_target_set(_ctx(server), ts_id)
    assert [i["explanation"] for i in stored["indicators"] if i["name"] == name][0] == "单位填报员写的说明"
    second.click("#reload")  # the latest content, then the edit goes through
    second.wait_for_load_state()
    assert second.locator("#ind-body tr[data-id]").first.locator('[data-col="explanation"]').input_value() \
        == "单位填报员写的说明"
    second.locator("#ind-body tr[data-id]").first.locator('[data-col="explanation"]').fill("部门改后的说明")
    second.wait_for_function("() => document.querySelector('#save-state').textContent.includes('已保存')")
    assert second.locator("#conflict .conflict").count() == 0
    _close(opened)


def _transition_form(page, button: str, comment: str | None = None) -> None:
    if comment is not None:
        page.fill("#decision-comment", comment)
    page.click(button)
    page.wait_for_load_state()


def test_submit_return_fix_resubmit_and_approve(web, server, journey_doc, browser):
    doc_id, ts_id = journey_doc["id"], journey_doc["sets"][0]
    ctx = _ctx(server)
    login(web, server, "danwei")
    web.goto(f"{server.url}/documents/{doc_id}/review")
    assert web.inner_text("h1").startswith("审核")
    errors = [f for f in findings.list_findings(ctx, document_id=doc_id, limit=500)["items"]
              if f["severity"] == "error" and f["status"] == "open"]
    assert errors, "seed 000 has an open error (amounts-missing)"
    assert web.locator(".explain li").count() == len(errors)
    shot(web, "30-review-unit-before-submit")
    # submitting without the explanations is refused, naming the missing ones
    web.guard.allow("status of 422")
    web.click("#submit-doc")
    assert "提交前请逐条说明理由" in web.inner_text("#review-error")
    assert web.locator(".explain li.missing").count() == len(errors)
    shot(web, "31-review-submit-needs-explanations")
    for f in errors:
        web.fill(f"textarea[name=explain-{f['id']}]", "资金构成按财政批复口径另表填报")
    web.click("#submit-doc")
    web.wait_for_url(re.compile(r"done=submit"))
    assert "已提交" in web.inner_text(".review-head")
    assert web.locator("#no-action").count() == 1  # the unit waits now
    # the editor is read only now
    web.goto(f"{server.url}/target-sets/{ts_id}/edit")
    assert "本页只读" in web.inner_text(".notice-warning")
    assert web.locator("#ind-body input").count() == 0
    shot(web, "32-targets-read-only-submitted")

    # the department manager: a comment on a row, a finding not accepted, then 退回
    opened: list = []
    dept = _second_page(browser, opened)
    login(dept, server, "bumen")
    dept.goto(f"{server.url}/documents/{doc_id}/review")
    row = dept.locator("#targets table").first.locator("tr", has_text="政务大厅办件量")
    row.locator("details.add-comment summary").click()
    row.locator("input[name=text]").fill("办件量目标偏低，请按上年实际调高")
    row.locator("form.comment-form button").click()
    row.locator(".comments li", has_text="办件量目标偏低").wait_for()
    vague = findings.list_findings(ctx, document_id=doc_id, code="vague-target", limit=5)["items"][0]
    item = dept.locator(f"#finding-{vague['id']}")
    item.locator("button[value=rejected]").click()  # no reason: refused in the row
    item = dept.locator(f"#finding-{vague['id']}")
    item.locator(".row-error").wait_for()
    assert "不予采纳时必须说明理由" in item.inner_text()
    item.locator("textarea[name=reason]").fill("定性指标，按年度工作总结评价")
    item.locator("button[value=rejected]").click()
    dept.wait_for_function(f"() => document.querySelector('#finding-{vague['id']}').dataset.status === 'rejected'")
    assert "定性指标，按年度工作总结评价" in dept.inner_text(f"#finding-{vague['id']}")
    shot(dept, "33-review-department")
    dept.guard.allow("status of 422")
    _transition_form(dept, "#return", "")
    assert "退回时必须填写意见" in dept.inner_text("#review-error")
    _transition_form(dept, "#return", "政务大厅办件量目标请调整后重新提交")
    dept.wait_for_url(re.compile(r"done=return"))
    assert "已退回" in dept.inner_text(".review-head")
    assert "政务大厅办件量目标请调整后重新提交" in dept.inner_text("#history")
    shot(dept, "34-review-returned")

    # the unit: sees the comment, fixes the target, resubmits (the explanation kept counts)
    web.goto(f"{server.url}/documents/{doc_id}/review")
    assert "政务大厅办件量目标请调整后重新提交" in web.inner_text("#history")
    assert "办件量目标偏低" in web.inner_text("#targets")
    web.click("#targets a:has-text('编辑此绩效目标')")
    web.wait_for_url(re.compile(r"/target-sets/\d+/edit"))
    row = _row_of(web, "政务大厅办件量")
    row.locator('[data-col="target_text"]').fill("12")
    # the explanation still says 10 万件: the review says so at once (an error), and the fix of it clears it
    web.locator('#findings-panel li[data-code="value-explanation-mismatch"]').wait_for()
    expect(row.locator("td.row-status.worst-error")).to_have_count(1)  # once htmx settles the class
    shot(web, "35-targets-new-error-while-typing")
    row.locator('[data-col="explanation"]').fill("政务大厅办件量达到12万件以上")
    web.wait_for_function("() => !document.querySelector('#findings-panel li[data-code=\"value-explanation-mismatch\"]')")
    web.click("#diff-link")
    web.wait_for_url(re.compile(r"/review"))
    changes = web.inner_text("#changes-table")
    assert "政务大厅办件量" in changes and "10" in changes and "12" in changes
    shot(web, "36-review-changes-since-return")
    assert web.locator(".explain textarea").first.input_value() == "资金构成按财政批复口径另表填报"
    web.click("#submit-doc")
    web.wait_for_url(re.compile(r"done=submit"))

    # 部门审核通过, then 财政审核通过（批复）
    dept.goto(f"{server.url}/documents/{doc_id}/review")
    _transition_form(dept, "#approve", "同意")
    dept.wait_for_url(re.compile(r"done=approve"))
    assert "部门审核通过" in dept.inner_text(".review-head")
    finance = _second_page(browser, opened)
    login(finance, server, "caizheng")
    finance.goto(f"{server.url}/documents/{doc_id}/review")
    assert finance.locator("#approve").inner_text() == "财政审核通过（批复）"
    shot(finance, "37-review-finance")
    _transition_form(finance, "#approve", "")
    finance.wait_for_url(re.compile(r"done=approve"))
    assert "已批复" in finance.inner_text(".review-head")
    assert "审核通过（当前状态：已批复）" in finance.inner_text(".notice-success")
    assert finance.inner_text("#publish") == "公开"  # the next step the finance bureau may take
    steps = finance.locator("#history li").all_inner_texts()
    assert [s.split("：")[0].split()[-1] for s in steps] == ["提交", "部门审核退回", "重新提交", "部门审核通过",
                                                             "财政审核通过（批复）"]
    shot(finance, "38-review-approved")
    _close(opened)
    assert documents.get_document(ctx, doc_id)["state"] == "approved"


def test_roles_on_pages_they_must_not_see(web, server, other_doc):
    web.guard.allow("status of 403")
    web.guard.allow("status of 404")
    ts_id, doc_id = other_doc["sets"][0], other_doc["id"]
    login(web, server, "caizheng")  # the finance reviewer does not edit targets
    response = web.goto(f"{server.url}/target-sets/{ts_id}/edit")
    assert response.status == 403 and web.inner_text("h1") == "无权访问"
    assert "无权编辑绩效目标" in web.inner_text(".error-message")
    shot(web, "40-targets-forbidden-finance")
    web.context.clear_cookies()
    login(web, server, "shenji")  # the auditor reads, but neither reviews nor edits
    response = web.goto(f"{server.url}/documents/{doc_id}/review")
    assert response.status == 403 and "无权处理审核发现" in web.inner_text(".error-message")
    shot(web, "41-review-forbidden-auditor")
    response = web.goto(f"{server.url}/target-sets/{ts_id}/edit")
    assert response.status == 403
    web.context.clear_cookies()
    login(web, server, "danwei")  # the unit: no administration; another unit's targets do not exist for it
    assert web.goto(f"{server.url}/admin/users").status == 403
    hidden = next(d for d in documents.list_documents(_ctx(server), org="HN-YJ", limit=5)["items"])
    sets = documents.get_document(_ctx(server), hidden["id"])["target_set_refs"]
    response = web.goto(f"{server.url}/target-sets/{sets[0]['id']}/edit")
    assert response.status == 404
    web.context.clear_cookies()
    login(web, server, "bumen")  # the department manager: no user administration
    assert web.goto(f"{server.url}/admin/users").status == 403


def test_a_corrected_file_is_compared_with_the_previous_version(web, server, other_doc, tmp_path):
    # the unit uploads a corrected 2023 file (日均政务服务办件量 ≥100件 → ≥120件): version 2 of the series
    text = (SEEDS / "002_736e426451e9b52c.txt").read_text(encoding="utf-8")
    assert text.count("≥100件") == 1
    corrected = tmp_path / "002_更正.txt"
    corrected.write_text(text.replace("≥100件", "≥120件"), encoding="utf-8")
    result = imports.import_path(_ctx(server), corrected, org="152002")
    assert result["version"] == 2 and result["id"] != other_doc["id"]
    sets = documents.get_document(_ctx(server), result["id"])["target_set_refs"]
    login(web, server, "danwei")
    web.goto(f"{server.url}/target-sets/{sets[1]['id']}/edit")
    assert "与上一版（第 1 版）比较" in web.inner_text("#diff-link")
    web.click("#diff-link")
    web.wait_for_url(re.compile(rf"/documents/{result['id']}/review\?against={other_doc['id']}"))
    diff = web.inner_text("#diff")
    assert "第 1 版 → 第 2 版" in diff
    assert "日均政务服务办件量" in diff and "≥100件" in diff and "≥120件" in diff
    assert "target_text" not in diff and "None" not in diff  # field names and blanks in Chinese
    shot(web, "39-review-version-diff")
    # the old version is read only: a newer one exists
    web.goto(f"{server.url}/target-sets/{other_doc['sets'][1]}/edit")
    assert "已有更新版本" in web.inner_text(".notice-warning")

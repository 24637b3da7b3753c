"""预警阈值 in the browser (Playwright on the demo server): the finance bureau sees the menu entry,
edits its thresholds, a wrong value is refused with the reason in Chinese at its field (nothing
stored), a right one is stored as the bureau's copy; a department manager has no menu entry and
may not save. Screenshots under the screenshots directory."""

from __future__ import annotations

from sqlalchemy import select

from jixiao.store import schema as db
from tests.monitoring_web import prepare
from tests.test_web_monitoring import login_as
from tests.web_helpers import shot


def test_a_bureau_edits_its_warning_thresholds(web, demo_server):
    db_ = demo_server.db
    prepare(db_)
    login_as(web, demo_server, "fin")
    web.goto(demo_server.url + "/")
    web.click("nav >> text=预警阈值")
    web.wait_for_selector("#mo-profile")
    assert web.input_value("#f-execution-amber_gap") == "10" and web.input_value("#f-execution-red_gap") == "20"

    # amber above red: refused at the field, in Chinese, nothing stored
    web.guard.allow("422")  # the refused thresholds are answered 422
    web.fill("#f-execution-amber_gap", "25")
    web.click("#mo-profile button[type=submit]")
    web.wait_for_selector("#err-execution-amber_gap")
    said = web.inner_text("#err-execution-amber_gap")
    assert "“执行率低于时间进度超过（黄色）”（25）不能大于" in said and "（红色）" in said, said
    assert web.input_value("#f-execution-amber_gap") == "25"  # what was typed stays
    web.fill("#f-indicator-red_below", "九十")
    web.click("#mo-profile button[type=submit]")
    assert "须为数字" in web.inner_text("#err-indicator-red_below")
    shot(web, "monitoring_profiles_refused")
    with db_.session(write=False) as s:
        assert s.scalar(select(db.WarningProfile.id)) is None

    web.fill("#f-execution-amber_gap", "5")
    web.fill("#f-execution-red_gap", "15")
    web.fill("#f-indicator-red_below", "85")
    web.click("#mo-profile button[type=submit]")
    web.wait_for_selector(".notice-success")
    assert "第 1 版" in web.inner_text(".notice-success")
    assert web.input_value("#f-execution-amber_gap") == "5"
    shot(web, "monitoring_profiles_saved")
    with db_.session(write=False) as s:
        row = s.scalar(select(db.WarningProfile))
        org = s.get(db.Org, row.org_id)
        assert org.code == "HN" and row.thresholds["execution"]["amber_gap"] in ("5", 5)

    # a department manager reads no such menu entry and may not save
    web.guard.allow("403")
    login_as(web, demo_server, "yj_dept")
    web.goto(demo_server.url + "/")
    assert web.locator("nav >> text=预警阈值").count() == 0
    response = web.request.post(demo_server.url + "/monitoring/profiles/default", form={"execution.amber_gap": "1"})
    assert response.status in (403, 400)

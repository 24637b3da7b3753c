"""定义取数口径 in the browser (Playwright on the demo server): a department manager reaches the page
from the menu, builds 按时办结率 (a ratio of two filtered counts by 办结日期) field by field, sees
the formula in words previewed while typing (htmx, nothing stored), a definition the source cannot
take said before saving, and saves it; the metric is listed with its formula. Screenshot taken."""

from __future__ import annotations

from sqlalchemy import select

from jixiao.store import schema as db
from tests.monitoring_web import prepare
from tests.test_web_monitoring import login_as
from tests.web_helpers import shot

FORMULA = ("按时办结率 = 「办理状态」为「已办结」且「是否按时办结」为「是」的记录数 ÷ 「办理状态」为「已办结」的记录数"
           " × 100%")


def test_a_metric_is_defined_with_its_formula_previewed(web, demo_server):
    db_ = demo_server.db
    prepare(db_)
    login_as(web, demo_server, "yj_dept")
    web.goto(demo_server.url + "/")
    web.click("nav >> text=定义取数口径")
    web.wait_for_selector("#od-metric")

    # a sum without its number field: said while typing, before anything is saved
    web.fill("#f-name", "按时办结率")
    web.select_option("#f-kind", "sum")
    web.wait_for_selector("#od-formula-problems")
    assert "求和须指明数值字段" in web.inner_text("#od-formula-problems")

    web.select_option("#f-kind", "ratio")
    web.select_option("#w0_field", "办理状态")
    web.fill("#w0_values", "已办结")
    web.select_option("#n0_field", "是否按时办结")
    web.select_option("#n0_op", "true")
    web.select_option("#f-date_field", "办结日期")
    web.wait_for_function("document.querySelector('#od-formula-text') && "
                          "document.querySelector('#od-formula-text').textContent.includes('按「办结日期」')")
    text = web.inner_text("#od-formula-text")
    assert text.startswith(FORMULA) and "数据源「政务大厅办件」" in text, text
    shot(web, "opdata_metric_preview")
    with db_.session(write=False) as s:
        assert s.scalar(select(db.OpMetric.id).where(db.OpMetric.name == "按时办结率")) is None  # previewed only

    web.click("#od-metric-save")
    web.wait_for_url("**/opdata?metric=*")
    assert FORMULA in web.inner_text("#od-metrics")
    with db_.session(write=False) as s:
        m = s.scalar(select(db.OpMetric).where(db.OpMetric.name == "按时办结率"))
        assert m.definition["kind"] == "ratio" and m.definition["date_field"] == "办结日期"

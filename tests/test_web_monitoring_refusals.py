"""The monitoring pages' refusals without a browser, on SQLite and PostgreSQL (the demo region as
tests/monitoring_web.py prepares it): who may not open a round, fill a 监控表, open or close a
整改 task, define or import operational data (403), who may not see another department's 监控表,
task or source (404), a missing CSRF token (403), a value typed over a bound one without a reason
(422, nothing stored), a stale version (409), a task on a green item (422), closing without the
measure (422)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jixiao.services import operational_data
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.services.demo import create_demo
from jixiao.store import schema as db
from tests.conftest import seed
from tests.monitoring_web import PASSWORDS
from tests.monitoring_web import SOURCE
from tests.monitoring_web import prepare
from tests.monitoring_web import records_csv

DATA = seed("000").parents[1]


def _client(database, username: str, password: str) -> TestClient:
    from jixiao.server import create_app

    client = TestClient(create_app(database), raise_server_exceptions=False)
    r = client.post("/login", data={"username": username, "password": password, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    client.headers["X-CSRF-Token"] = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
    return client


def _form(sheet_html: str) -> dict:
    """The 监控表 form's fields as the page drew them (inputs, textareas, selected options)."""
    fields = dict(re.findall(r'<input type="(?:text|hidden)"[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', sheet_html))
    fields.update(re.findall(r'<textarea[^>]*?name="([^"]+)"[^>]*>([^<]*)</textarea>', sheet_html))
    fields.pop("csrf_token", None)
    return fields


def test_the_monitoring_pages_refuse_what_a_role_or_scope_does_not_allow(database):
    demo = create_demo(database, DATA)
    demo_pw = {u: pw for u, _role, _org, pw in demo["logins"]}
    prepare(database)
    fin = _client(database, "fin", PASSWORDS["fin"])
    auditor = _client(database, "shenji", demo_pw["shenji"])
    filer = _client(database, "yj_filer", PASSWORDS["yj_filer"])
    dept = _client(database, "yj_dept", PASSWORDS["yj_dept"])
    other = _client(database, "sf_dept", PASSWORDS["sf_dept"])
    with database.session(write=False) as s:
        hn = s.scalar(select(db.Org.id).where(db.Org.code == "HN"))

    # -- opening a round: the 只读 role may read the rounds but not open one
    page = auditor.get("/monitoring")
    assert page.status_code == 200 and "绩效运行监控" in page.text and 'id="mo-open"' not in page.text
    assert auditor.post("/monitoring", data={"org": hn, "as_of": "2023-06-30"}).status_code == 403
    opened = fin.post("/monitoring", data={"org": hn, "as_of": "2023-06-30", "profile": "default"},
                      follow_redirects=False)
    assert opened.status_code == 303
    assert fin.post("/monitoring", data={"org": hn, "as_of": "2023-06-30"}).status_code == 409  # the same round again
    assert fin.post("/monitoring", data={"org": hn, "as_of": "2023-13-01"}).status_code == 422
    round_page = fin.get(opened.headers["location"])
    assert round_page.status_code == 200
    with database.session(write=False) as s:
        yj = s.scalar(select(db.Org).where(db.Org.code == "HN-YJ"))
        sheet = s.scalar(select(db.MonitoringSheet).where(db.MonitoringSheet.org_id == yj.id)
                         .order_by(db.MonitoringSheet.id))
        ind = s.scalar(select(db.Indicator.id).where(db.Indicator.target_set_id == sheet.target_set_id)
                       .order_by(db.Indicator.position, db.Indicator.id))
        source = s.scalar(select(db.OpSource.id).where(db.OpSource.name == SOURCE))
    url = f"/monitoring/sheets/{sheet.id}"

    # -- another department sees nothing of 沅江's: 404 on the sheet, its saves, its report and its source
    for response in (other.get(url), other.post(url, data={"spent": "1"}), other.post(url + "/preview", data={}),
                     other.get(url + "/report.xlsx"), other.get(f"/opdata/sources/{source}")):
        assert response.status_code == 404, response.request.url
    assert "不存在" in other.get(url).text

    # -- filling: the finance reviewer may read the sheet, not fill it; no CSRF token → 403
    view = fin.get(url)
    assert view.status_code == 200 and 'id="mo-save"' not in view.text and "readonly" in view.text
    assert fin.post(url, data={"spent": "10", "row_version": sheet.row_version}).status_code == 403
    bare = TestClient(filer.app, raise_server_exceptions=False, cookies=filer.cookies)
    assert bare.post(url, data={"spent": "10"}).status_code == 403

    # -- a bound value typed over without a reason: 422, nothing stored; with one: saved and audited
    operational_data.bind_indicator(Ctx(database, SYSTEM), ind, "政务大厅办件量")
    filer.post(f"/opdata/sources/{source}/upload", files={"file": ("办件.csv", records_csv(40, "HN-YJ"))})
    page = filer.get(url)
    fields = _form(page.text)
    assert fields[f"to_date-{ind}"] == "40" and "40 条记录" in page.text
    fields.update({f"to_date-{ind}": "45", "spent": "100"})
    refused = filer.post(url, data=fields)
    assert refused.status_code == 422 and "须说明原因" in refused.text
    with database.session(write=False) as s:
        assert s.get(db.MonitoringSheet, sheet.id).spent is None
    fields[f"override-{ind}"] = "5 件线下办理未进系统"
    assert filer.post(url, data=fields, follow_redirects=False).status_code == 303
    with database.session(write=False) as s:
        saved = s.get(db.MonitoringSheet, sheet.id)
        assert saved.spent == 100 and saved.level == "red"
        assert s.scalar(select(db.OpOverride.reason).where(db.OpOverride.indicator_id == ind)) == "5 件线下办理未进系统"
        version = saved.row_version
    # a stale version: 409, the page keeps what was typed
    fields.update({"row_version": str(version - 1), "spent": "200"})
    stale = filer.post(url, data=fields)
    assert stale.status_code == 409 and "已被他人保存" in stale.text and 'value="200"' in stale.text

    # -- the monitoring report: the filer downloads its sheet as DOCX; an unknown format is 422
    rid = opened.headers["location"].split("/")[-1].split("?")[0]
    docx = filer.get(url + "/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "filename*=UTF-8''" in docx.headers["content-disposition"]
    assert fin.get(f"/monitoring/rounds/{rid}/report.csv").status_code == 422

    # -- 整改: the filer may not open one; a green item needs none; closing needs the measure
    assert filer.post(url + "/tasks", data={"owner": "yj_filer", "deadline": "2023-07-31"}).status_code == 403
    green = dept.post(url + "/tasks", data={"owner": "yj_filer", "deadline": "2023-07-31", "indicator_id": ind})
    assert green.status_code == 422 and "无需整改" in green.text
    made = dept.post(url + "/tasks", data={"owner": "yj_filer", "deadline": "2023-07-31"}, follow_redirects=False)
    assert made.status_code == 303
    with database.session(write=False) as s:
        task = s.scalar(select(db.RectificationTask.id).where(db.RectificationTask.sheet_id == sheet.id))
    assert filer.post(f"/rectification/{task}/close", data={"measure": "  "}).status_code == 422
    assert auditor.post(f"/rectification/{task}/close", data={"measure": "已整改"}).status_code == 403
    assert other.post(f"/rectification/{task}/close", data={"measure": "已整改"}).status_code == 404
    assert "资金执行" not in other.get("/rectification").text
    assert filer.post(f"/rectification/{task}/close", data={"measure": "已签订合同"},
                      follow_redirects=False).status_code == 303
    with database.session(write=False) as s:
        assert s.get(db.RectificationTask, task).state == "closed"

    # -- 目标调整 from the sheet: the reviewer may not ask for one; a reason is required; the editor opens
    assert fin.post(url + "/adjust", data={"reason": "政策调整"}).status_code == 403
    assert dept.post(url + "/adjust", data={"reason": " "}).status_code == 422
    asked = dept.post(url + "/adjust", data={"reason": "上级政策调整，年度指标下调"}, follow_redirects=False)
    assert asked.status_code == 303 and re.fullmatch(r"/target-sets/\d+/edit", asked.headers["location"])
    assert dept.get(asked.headers["location"]).status_code == 200
    with database.session(write=False) as s:
        assert s.scalar(select(db.TargetAdjustment.reason).where(db.TargetAdjustment.sheet_id == sheet.id)) == \
            "上级政策调整，年度指标下调"
    assert "调整版本" in dept.get(url).text and 'id="mo-adjust"' not in dept.get(url).text  # no longer current

    # -- operational data: a filer may import but not define a source or bind; the 只读 role neither
    csv = ("f.csv", b"a,b\n1,2\n")
    assert filer.post("/opdata/sources/new", data={"org": yj.id, "name": "x"}, files={"file": csv}).status_code == 403
    assert auditor.post(f"/opdata/sources/{source}/upload", files={"file": csv}).status_code == 403
    assert filer.post(url + "/bind", data={"indicator_id": ind, "metric": ""}).status_code == 403
    assert 'id="od-new"' not in filer.get("/opdata").text and 'id="od-upload"' not in auditor.get(
        f"/opdata/sources/{source}").text

"""The REST API through its HTTP interface (FastAPI's TestClient) on SQLite and PostgreSQL:
login and tokens, uploads, the error shape, exports, pages, the OpenAPI document, editing
against a version, transitions."""

from __future__ import annotations

import csv
import io
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jixiao.api.app import create_app
from jixiao.api.deps import api_routes
from jixiao.api.deps import rule_of
from jixiao.services import orgs
from jixiao.services import users
from jixiao.services.context import Ctx
from tests.api_world import PASSWORD
from tests.conftest import seed

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def small(database):
    """A region, a department and one unit filer in it; the client of the API on the database."""
    with database.session() as s:
        region = orgs.add_org(s, name="湖南省财政厅", level="region", code="43")
        orgs.add_org(s, name="长沙市行政审批服务局", level="department", parent=region, code="152")
    users.add_user(Ctx(database), "filer", role="unit_filer", org="152", password=PASSWORD)
    with TestClient(create_app(database)) as client:
        yield client


def login(client: TestClient, username: str = "filer", password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def upload(client: TestClient, headers: dict, data: bytes, name: str = "000.txt", org: str = "152",
           year: str = "2026"):
    return client.post("/api/v1/documents", headers=headers, files={"file": (name, data, "text/plain")},
                       data={"org": org, "year": year})


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]) <= {"code", "message", "detail"}
    assert CJK.search(body["error"]["message"]), body  # said in Chinese
    if code:
        assert body["error"]["code"] == code
    return body["error"]


# ---- login, tokens, sessions ---------------------------------------------------------------------

def test_login_gives_a_token_that_lists_the_documents(small):
    anonymous = small.get("/api/v1/documents")
    assert_error(anonymous, 401, "unauthenticated")
    assert anonymous.headers["www-authenticate"] == "Bearer"
    headers = login(small)
    assert small.get("/api/v1/documents", headers=headers).json()["items"] == []
    created = upload(small, headers, seed("000").read_bytes()).json()
    listed = small.get("/api/v1/documents", headers=headers).json()
    assert listed["total"] == 1 and [d["id"] for d in listed["items"]] == [created["id"]]
    assert listed["items"][0]["kind"] == "targets" and listed["items"][0]["state_label"] == "草稿"
    me = small.get("/api/v1/me", headers=headers).json()
    assert me["username"] == "filer" and me["role_label"] == "单位填报" and "document.import" in me["permissions"]


def test_a_wrong_password_and_a_bad_token_are_401_in_chinese(small):
    error = assert_error(small.post("/api/v1/login", json={"username": "filer", "password": "wrong-one"}), 401)
    assert error["message"] == "用户名或密码错误"
    assert_error(small.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"}), 401)


def test_too_many_failed_logins_are_429(small):
    for _ in range(5):
        assert_error(small.post("/api/v1/login", json={"username": "filer", "password": "wrong-one"}), 401)
    error = assert_error(small.post("/api/v1/login", json={"username": "filer", "password": PASSWORD}), 429,
                         "too_many_requests")
    assert "登录尝试过多" in error["message"] and error["detail"]["retry_after"] > 0


def test_logout_revokes_the_token(small):
    headers = login(small)
    assert small.post("/api/v1/logout", headers=headers).json() == {"ok": True}
    assert_error(small.get("/api/v1/me", headers=headers), 401)


def test_a_session_cookie_needs_the_csrf_token_to_write(small):
    response = small.post("/api/v1/login", json={"username": "filer", "password": PASSWORD, "kind": "session"})
    assert response.status_code == 200
    body = response.json()
    assert "token" not in body and body["csrf"]  # the secret is only in the HttpOnly cookie
    cookie = response.cookies.get("jixiao_session")
    assert cookie and "httponly" in response.headers["set-cookie"].lower()
    small.cookies.set("jixiao_session", cookie)
    assert small.get("/api/v1/me").json()["username"] == "filer"  # reading needs no CSRF token
    assert_error(small.post("/api/v1/logout"), 403, "csrf")
    assert_error(small.post("/api/v1/logout", headers={"X-CSRF-Token": "forged"}), 403, "csrf")
    assert small.post("/api/v1/logout", headers={"X-CSRF-Token": body["csrf"]}).status_code == 200
    small.cookies.set("jixiao_session", cookie)
    assert_error(small.get("/api/v1/me"), 401)


def test_a_session_cookie_is_not_a_bearer_token(small):
    response = small.post("/api/v1/login", json={"username": "filer", "password": PASSWORD, "kind": "session"})
    cookie = response.cookies.get("jixiao_session")
    assert_error(small.get("/api/v1/me", headers={"Authorization": f"Bearer {cookie}"}), 401)


# ---- upload --------------------------------------------------------------------------------------

def test_upload_is_201_then_200_with_the_same_id_then_a_new_version(small):
    headers = login(small)
    data = seed("000").read_bytes()
    first = upload(small, headers, data)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["kind"] == "targets" and body["version"] == 1 and body["created"] is True
    assert set(body["findings"]) == {"error", "warning", "info"} and body["findings"]["error"] >= 1
    assert first.headers["location"] == f"/api/v1/documents/{body['id']}"
    again = upload(small, headers, data, name="另一个名字.txt")
    assert again.status_code == 200 and again.json()["id"] == body["id"] and again.json()["created"] is False
    corrected = data.decode("utf-8").replace("培训场次\t≥\t20", "培训场次\t≥\t24", 1).encode("utf-8")
    assert corrected != data
    third = upload(small, headers, corrected)
    assert third.status_code == 201 and third.json()["id"] != body["id"] and third.json()["version"] == 2
    versions = small.get(f"/api/v1/documents/{third.json()['id']}/versions", headers=headers).json()
    assert [v["version"] for v in versions["items"]] == [1, 2]
    diff = small.get(f"/api/v1/documents/{body['id']}/diff/{third.json()['id']}", headers=headers).json()
    changed = [i for ts in diff["target_sets"] for i in ts["indicators"] if i["status"] == "changed"]
    assert [i["key"][-1] for i in changed] == ["培训场次"]
    assert changed[0]["changes"]["target_text"] == ["20", "24"]
    source = small.get(f"/api/v1/documents/{body['id']}/source", headers=headers)
    assert source.status_code == 200 and source.content == data
    assert "filename*=UTF-8''" in source.headers["content-disposition"]


def test_upload_errors(small):
    headers = login(small)
    missing = assert_error(small.post("/api/v1/documents", headers=headers, data={"org": "152"}), 422, "invalid")
    assert missing["message"].startswith("请求参数有误：") and "file" in missing["message"]
    assert_error(upload(small, headers, seed("000").read_bytes(), org="没有这个单位"), 404, "not_found")
    assert_error(upload(small, headers, b"PK\x03\x04" + b"\x00" * 40, name="broken.docx"), 422)


def test_an_upload_over_the_size_limit_is_413_before_it_is_read(small, monkeypatch):
    import jixiao.readers.safety as safety

    headers = login(small)
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    error = assert_error(upload(small, headers, b"x" * 5000, name="大文件.pdf"), 413, "file_too_large")
    assert "大文件.pdf" in error["message"]
    assert small.get("/api/v1/documents", headers=headers).json()["total"] == 0


# ---- the error shape -----------------------------------------------------------------------------

def test_every_error_has_one_shape_with_a_chinese_message(small):
    headers = login(small)
    error = assert_error(small.get("/api/v1/no-such-thing", headers=headers), 404, "not_found")
    assert "/api/v1/no-such-thing" in error["message"]
    assert_error(small.delete("/api/v1/documents", headers=headers), 405, "method_not_allowed")
    invalid = assert_error(small.get("/api/v1/documents?limit=abc&offset=-1", headers=headers), 422, "invalid")
    assert invalid["message"] == "请求参数有误：查询参数 limit 应为整数；查询参数 offset 不能小于 0"
    assert [d["loc"] for d in invalid["detail"]] == [["query", "limit"], ["query", "offset"]]
    body = assert_error(small.post("/api/v1/login", json={"username": "filer"}), 422)
    assert body["message"] == "请求参数有误：请求体 password 必须填写"
    assert_error(small.post("/api/v1/login", content=b"{not json", headers={"Content-Type": "application/json"}), 422)
    forbidden = assert_error(small.get("/api/v1/users", headers=headers), 403, "forbidden")
    assert "单位填报" in forbidden["message"]
    assert_error(small.get("/api/v1/documents/999999", headers=headers), 404, "not_found")
    too_large = assert_error(small.get(f"/api/v1/documents/{2**70}", headers=headers), 422)  # not a crash
    assert too_large["message"] == f"请求参数有误：路径参数 document_id 不能大于 {2**31 - 1}"


# ---- lists: pages, filters, exports --------------------------------------------------------------

def test_lists_are_paginated_and_filtered(world):
    c, headers, doc = world.client, world.role("admin"), world.doc()
    everything = c.get(f"/api/v1/documents/{doc}/findings", headers=headers).json()
    assert everything["total"] == len(everything["items"]) >= 5
    ids = [f["id"] for f in everything["items"]]
    pages = [c.get(f"/api/v1/documents/{doc}/findings?limit=2&offset={o}", headers=headers).json()
             for o in range(0, len(ids), 2)]
    assert [f["id"] for p in pages for f in p["items"]] == ids
    assert all(p["total"] == len(ids) and len(p["items"]) <= 2 for p in pages)
    errors = c.get("/api/v1/findings", params={"severity": "error", "org": "A0"}, headers=headers).json()
    assert errors["total"] >= 1 and {f["severity"] for f in errors["items"]} == {"error"}
    assert {f["document_id"] for f in errors["items"]} == {doc}  # region B's document is not in scope
    assert c.get("/api/v1/documents", params={"year": 2025}, headers=headers).json()["total"] == 0
    assert c.get("/api/v1/documents", params={"kind": "targets", "org": "A1"}, headers=headers).json()["total"] == 1
    code = errors["items"][0]["code"]
    by_code = c.get("/api/v1/documents", params={"code": code}, headers=headers).json()
    assert [d["id"] for d in by_code["items"]] == [doc]
    assert_error(c.get("/api/v1/documents?limit=0", headers=headers), 422)
    assert_error(c.get("/api/v1/documents?limit=1001", headers=headers), 422)


def test_exports_read_back_as_the_list(world):
    c, headers, doc = world.client, world.role("admin"), world.doc()
    listed = c.get(f"/api/v1/documents/{doc}/findings", headers=headers).json()["items"]
    response = c.get(f"/api/v1/documents/{doc}/findings?format=csv&limit=1", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(listed)  # an export has every row, whatever the page size
    assert [int(r["编号"]) for r in rows] == [f["id"] for f in listed]
    assert [r["代码"] for r in rows] == [f["code"] for f in listed]
    assert [r["处理状态"] for r in rows] == [f["status_label"] for f in listed]

    response = c.get("/api/v1/documents?format=xlsx", headers=headers)
    assert response.status_code == 200 and "spreadsheetml" in response.headers["content-type"]
    assert ".xlsx" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    header, body = table[0], table[1:]
    assert header[:2] == ("编号", "文件名")
    documents = c.get("/api/v1/documents", headers=headers).json()["items"]
    assert [(r[0], r[1]) for r in body] == [(d["id"], d["name"]) for d in documents]
    assert_error(c.get("/api/v1/documents?format=pdf", headers=headers), 422)


def test_an_export_too_large_is_refused(world, monkeypatch):
    from jixiao.api import listing

    monkeypatch.setattr(listing, "EXPORT_MAX", 3)
    response = world.client.get(f"/api/v1/documents/{world.doc()}/findings?format=csv", headers=world.role("admin"))
    error = assert_error(response, 422, "export_too_large")
    assert "最多 3 条" in error["message"]


# ---- the OpenAPI document ------------------------------------------------------------------------

def test_the_openapi_document_lists_every_route_with_a_chinese_summary(small):
    app = create_app()
    spec = small.get("/api/openapi.json").json()
    assert spec["info"]["title"] and CJK.search(spec["info"]["description"])
    listed = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    routes = {(m, path) for path, r in api_routes(app) for m in r.methods}
    assert len(routes) >= 25 and routes == listed  # nothing undocumented, nothing the walk misses
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert CJK.search(operation.get("summary", "")), (method, path)
            assert operation["x-permission"], (method, path)
    assert {"/api/v1/login", "/api/v1/documents", "/api/v1/documents/{document_id}/transitions",
            "/api/v1/target-sets/{target_set_id}", "/api/v1/audit", "/api/v1/jobs/{job_id}"} <= set(spec["paths"])
    assert small.get("/api/docs").status_code == 200 and "swagger" in small.get("/api/docs").text.lower()


# ---- editing against a version -------------------------------------------------------------------

def test_a_stale_patch_is_409_with_the_current_state(world):
    c, headers = world.client, world.role("unit_filer")
    ts_id = c.get(f"/api/v1/documents/{world.doc()}", headers=headers).json()["target_set_refs"][0]["id"]
    read = c.get(f"/api/v1/target-sets/{ts_id}", headers=headers)
    etag = read.headers["etag"]
    assert etag == f'"{read.json()["row_version"]}"'
    first = c.patch(f"/api/v1/target-sets/{ts_id}", headers={**headers, "If-Match": etag},
                    json={"goal": "全年完成培训 24 场"})
    assert first.status_code == 200, first.text
    assert first.json()["goal"] == "全年完成培训 24 场" and first.headers["etag"] != etag
    stale = c.patch(f"/api/v1/target-sets/{ts_id}", headers={**headers, "If-Match": etag},
                    json={"goal": "另一人的修改"})
    error = assert_error(stale, 409, "conflict")
    assert error["detail"]["row_version"] == first.json()["row_version"]
    assert error["detail"]["goal"] == "全年完成培训 24 场"  # the current state, not the stale one
    by_body = c.patch(f"/api/v1/target-sets/{ts_id}", headers=headers,
                      json={"goal": "又一次", "row_version": read.json()["row_version"]})
    assert_error(by_body, 409)
    assert_error(c.patch(f"/api/v1/target-sets/{ts_id}", headers=headers, json={"goal": "没有版本号"}), 422)
    assert c.get(f"/api/v1/target-sets/{ts_id}", headers=headers).json()["goal"] == "全年完成培训 24 场"


def test_indicators_are_added_changed_reordered_and_deleted(world):
    c, headers = world.client, world.role("unit_filer")
    ts_id = c.get(f"/api/v1/documents/{world.doc()}", headers=headers).json()["target_set_refs"][0]["id"]
    ts = c.get(f"/api/v1/target-sets/{ts_id}", headers=headers).json()
    added = c.post(f"/api/v1/target-sets/{ts_id}/indicators", headers=headers,
                   json={"level1": "产出指标", "level2": "数量指标", "name": "新增培训人次", "op_text": "≥",
                         "target_text": "300", "unit_text": "人次", "row_version": ts["row_version"]})
    assert added.status_code == 201, added.text
    new = [i for i in added.json()["indicators"] if i["name"] == "新增培训人次"]
    assert len(new) == 1 and new[0]["value"] == "300"
    changed = c.patch(f"/api/v1/target-sets/{ts_id}/indicators/{new[0]['id']}",
                      headers={**headers, "If-Match": added.headers["etag"]}, json={"target_text": "350"})
    assert changed.status_code == 200, changed.text
    assert [i["value"] for i in changed.json()["indicators"] if i["id"] == new[0]["id"]] == ["350"]
    order = [i["id"] for i in changed.json()["indicators"]][::-1]
    reordered = c.post(f"/api/v1/target-sets/{ts_id}/indicators/order", headers=headers,
                       json={"order": order, "row_version": changed.json()["row_version"]})
    assert reordered.status_code == 200 and [i["id"] for i in reordered.json()["indicators"]] == order
    deleted = c.delete(f"/api/v1/target-sets/{ts_id}/indicators/{new[0]['id']}",
                       params={"row_version": reordered.json()["row_version"]}, headers=headers)
    assert deleted.status_code == 200, deleted.text
    assert new[0]["id"] not in [i["id"] for i in deleted.json()["indicators"]]
    assert isinstance(deleted.json()["findings"], list)
    audit = c.get("/api/v1/audit", params={"object": f"target_set:{ts_id}"}, headers=headers).json()
    assert [e["action"] for e in audit["items"]][:4] == ["indicator.delete", "indicator.reorder", "indicator.update",
                                                        "indicator.add"]


# ---- findings, transitions, audit ----------------------------------------------------------------

def test_a_finding_is_reviewed_and_the_document_moves_through_the_workflow(world):
    c, filer, dept = world.client, world.role("unit_filer"), world.role("department_manager")
    doc = world.doc()
    errors = c.get(f"/api/v1/documents/{doc}/findings", params={"severity": "error"}, headers=filer).json()["items"]
    assert errors
    rejected = assert_error(c.patch(f"/api/v1/findings/{errors[0]['id']}", headers=filer,
                                    json={"status": "rejected"}), 422)
    assert "理由" in rejected["message"]
    no_explanation = assert_error(c.post(f"/api/v1/documents/{doc}/transitions", headers=filer,
                                         json={"action": "submit"}), 422)
    assert no_explanation["detail"]["findings"] == [f["id"] for f in errors]
    submitted = c.post(f"/api/v1/documents/{doc}/transitions", headers=filer,
                       json={"action": "submit", "explanations": {str(f["id"]): "已按实际情况说明" for f in errors}})
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["state"] == "submitted" and submitted.json()["state_label"] == "已提交"
    assert_error(c.post(f"/api/v1/documents/{doc}/transitions", headers=filer, json={"action": "approve"}), 403)
    assert_error(c.post(f"/api/v1/documents/{doc}/transitions", headers=dept, json={"action": "return"}), 422)
    approved = c.post(f"/api/v1/documents/{doc}/transitions", headers=dept, json={"action": "approve", "comment": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == "dept_approved"
    assert_error(c.post(f"/api/v1/documents/{doc}/transitions", headers=dept, json={"action": "approve"}), 403)
    assert_error(c.post(f"/api/v1/documents/{doc}/transitions", headers=world.role("admin"),
                        json={"action": "publish"}), 409)
    assert_error(c.post(f"/api/v1/documents/{doc}/transitions", headers=filer, json={"action": "fly"}), 422)
    log = c.get("/api/v1/audit", params={"object": f"document:{doc}"}, headers=world.role("auditor")).json()
    assert [e["action"] for e in log["items"]][:2] == ["workflow.approve", "workflow.submit"]
    assert log["items"][0]["before"]["state"] == "submitted" and log["items"][0]["comment"] == "同意"
    exported = c.get("/api/v1/audit", params={"object": f"document:{doc}", "format": "csv"},
                     headers=world.role("auditor"))
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [r["操作"] for r in rows] == [e["action"] for e in log["items"]]
    assert rows[0]["意见"] == "同意" and '"submitted"' in rows[0]["修改前"]


def test_another_organisations_objects_are_404_even_for_an_admin(world):
    c, admin = world.client, world.role("admin")
    other = world.doc("B")
    for path in (f"/api/v1/documents/{other}", f"/api/v1/documents/{other}/findings",
                 f"/api/v1/documents/{other}/source"):
        assert_error(c.get(path, headers=admin), 404, "not_found")
    assert c.get(f"/api/v1/documents/{other}", headers=world.admin("B")).status_code == 200
    assert c.get("/api/v1/documents", headers=admin).json()["total"] == 1


# ---- self-evaluation, jobs -----------------------------------------------------------------------

def test_a_self_evaluation_is_scored_read_and_rescored_against_its_version(world):
    c, filer = world.client, world.role("unit_filer")
    ts_id = c.get(f"/api/v1/documents/{world.doc()}", headers=filer).json()["target_set_refs"][0]["id"]
    assert_error(c.get(f"/api/v1/target-sets/{ts_id}/self-evaluation", headers=filer), 404, "not_scored")
    indicators = c.get(f"/api/v1/target-sets/{ts_id}", headers=filer).json()["indicators"]
    actuals = {str(i["id"]): i["target_text"] for i in indicators if i["target_text"]}
    scored = c.put(f"/api/v1/target-sets/{ts_id}/self-evaluation", headers=filer, json={"actuals": actuals})
    assert scored.status_code == 200, scored.text
    body = scored.json()
    assert body["total"] is not None and body["grade"] and scored.headers["etag"] == body["etag"]
    assert {s["indicator_id"] for s in body["scores"]} >= {int(k) for k in actuals}
    assert all(CJK.search(s["explanation"]) for s in body["scores"] if s.get("explanation"))
    read = c.get(f"/api/v1/target-sets/{ts_id}/self-evaluation", headers=world.role("auditor"))
    assert read.status_code == 200 and read.json()["total"] == body["total"]
    assert_error(c.put(f"/api/v1/target-sets/{ts_id}/self-evaluation", headers=filer, json={"actuals": actuals}), 409)
    again = c.put(f"/api/v1/target-sets/{ts_id}/self-evaluation", headers={**filer, "If-Match": body["etag"]},
                  json={"actuals": actuals})
    assert again.status_code == 200 and again.json()["row_version"] == body["row_version"] + 1
    assert_error(c.put(f"/api/v1/target-sets/{ts_id}/self-evaluation", headers=world.role("auditor"),
                       json={"actuals": actuals}), 403)


def test_an_import_job_reports_its_progress(world):
    c, filer = world.client, world.role("unit_filer")
    files = [("files", (f"{p}.txt", seed(p).read_bytes(), "text/plain")) for p in ("003", "004")]
    response = c.post("/api/v1/jobs/import", headers=filer, files=files,
                      data={"org": str(world.regions["A"].unit["id"]), "year": "2026"})
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/api/v1/jobs/{job['id']}" and job["total"] == 2
    deadline = time.monotonic() + 120
    while job["state"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = c.get(f"/api/v1/jobs/{job['id']}", headers=filer).json()
    assert job["state"] == "done", job
    assert job["done"] == 2
    assert_error(c.get(f"/api/v1/jobs/{job['id']}", headers=world.admin("B")), 404)
    listed = c.get("/api/v1/jobs", headers=filer).json()
    assert [j["id"] for j in listed["items"]] == [job["id"]]


def test_docs_api_md_lists_every_route_with_its_rule():
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`").split("?")[0]: line.split("|")[3]
            for line in text.splitlines() if line.startswith("| `")}
    missing = []
    for path, route in api_routes(create_app()):
        for method in route.methods:
            key = f"{method} {path.removeprefix('/api/v1')}"
            rule = rule_of(route)
            if key not in rows or not all(f"`{r}`" in rows[key] for r in rule):
                missing.append(key)
    assert missing == []


# ---- concurrency through HTTP --------------------------------------------------------------------

def test_two_clients_saving_the_same_target_set_one_wins_the_other_gets_409(world):
    filer, dept = world.role("unit_filer"), world.role("department_manager")
    ts_id = world.client.get(f"/api/v1/documents/{world.doc()}", headers=filer).json()["target_set_refs"][0]["id"]
    read = world.client.get(f"/api/v1/target-sets/{ts_id}", headers=filer)
    clients = [TestClient(world.client.app) for _ in range(2)]

    def save(i: int):
        headers = {**(filer if i == 0 else dept), "If-Match": read.headers["etag"]}
        return clients[i].patch(f"/api/v1/target-sets/{ts_id}", headers=headers, json={"goal": f"第{i}人的目标"})

    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(save, range(2)))
    assert sorted(r.status_code for r in responses) == [200, 409]
    won = next(r for r in responses if r.status_code == 200).json()
    lost = next(r for r in responses if r.status_code == 409).json()["error"]
    assert lost["detail"]["goal"] == won["goal"] and lost["detail"]["row_version"] == won["row_version"]
    final = world.client.get(f"/api/v1/target-sets/{ts_id}", headers=filer).json()
    assert final["goal"] == won["goal"] and final["row_version"] == read.json()["row_version"] + 1


def test_twenty_clients_uploading_the_same_file_make_one_document(small):
    headers = login(small)
    data = seed("000").read_bytes()
    clients = [TestClient(small.app) for _ in range(20)]
    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(lambda c: upload(c, headers, data), clients))
    assert sorted(r.status_code for r in responses) == [200] * 19 + [201], [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert small.get("/api/v1/documents", headers=headers).json()["total"] == 1

"""The authorisation matrix: every /api/v1 route × every role × own / other organisation.

Generated from the app's routes: each route's declared rule (``needs(...)``, read back by
``deps.rule_of``) and ``policy.GRANTS`` give the expected status of every request:

* no token → 401 (a public route: as for anyone);
* an object of another organisation named in the URL → 404, whatever the role;
* a role without the permission → 403;
* an organisation of another region named in the request (``org``, ``parent``) → 404;
* otherwise → 2xx.

A route without a rule, or without a request here to try it with, fails the test. Each route
runs on a fresh copy of the world (tests/api_world.py): region A's users ask for region A's
objects ("own") and for region B's ("other"). Requests that change state are prepared by the
region's admin first (a document brought back to the state the step starts from, an indicator
added to be deleted), so that every allowed request can succeed whichever role came before.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

import pytest
from fastapi import FastAPI

from jixiao.api.app import create_app
from jixiao.api.deps import AUTHENTICATED
from jixiao.api.deps import PUBLIC
from jixiao.api.deps import needs
from jixiao.api.deps import rule_table
from jixiao.services import auth
from jixiao.services.context import Ctx
from jixiao.services.policy import GRANTS
from jixiao.services.policy import ROLES
from tests.api_world import PASSWORD
from tests.api_world import World
from tests.conftest import seed

ORGS = ("own", "other")
KEY = {"own": "A", "other": "B"}
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


# ---- what the region's admin prepares ------------------------------------------------------------

def admin_get(w: World, key: str, url: str, **kwargs) -> dict:
    response = w.client.get(url, headers=w.admin(key), **kwargs)
    assert response.status_code == 200, (url, response.text)
    return response.json()


def admin_send(w: World, key: str, method: str, url: str, **kwargs) -> dict:
    response = w.client.request(method, url, headers={**w.admin(key), **kwargs.pop("headers", {})}, **kwargs)
    assert 200 <= response.status_code < 300, (method, url, response.text)
    return response.json()


def unit(w: World, key: str) -> str:
    return str(w.regions[key].unit["id"])


def current_doc(w: World, key: str) -> int:
    items = admin_get(w, key, "/api/v1/documents", params={"org": unit(w, key), "kind": "targets"})["items"]
    return items[0]["id"]


def target_set(w: World, key: str) -> dict:
    refs = admin_get(w, key, f"/api/v1/documents/{current_doc(w, key)}")["target_set_refs"]
    return admin_get(w, key, f"/api/v1/target-sets/{refs[0]['id']}")


def finding(w: World, key: str) -> int:
    return admin_get(w, key, f"/api/v1/documents/{w.doc(key)}/findings", params={"limit": 1})["items"][0]["id"]


def explanations(w: World, key: str, doc: int) -> dict:
    errors = admin_get(w, key, f"/api/v1/documents/{doc}/findings", params={"severity": "error", "status": "open"})
    return {str(f["id"]): "已核实，情况属实" for f in errors["items"]}


ORDER = {"draft": 0, "returned": 0, "submitted": 1, "dept_approved": 2, "approved": 3, "published": 4}
FORWARD = {0: "submit", 1: "approve", 2: "approve", 3: "publish"}


def bring(w: World, key: str, target: str) -> int:
    """The current targets document of region ``key`` in state ``target`` (moved there by the
    region's admin; from 已批复 or 已公开, which cannot go back, a new version is imported)."""
    doc = current_doc(w, key)
    for _step in range(10):
        state = admin_get(w, key, f"/api/v1/documents/{doc}")["state"]
        if ORDER[state] == ORDER[target]:
            return doc
        if ORDER[state] > ORDER[target]:
            if state in ("submitted", "dept_approved"):
                admin_send(w, key, "POST", f"/api/v1/documents/{doc}/transitions",
                           json={"action": "return", "comment": "退回重做"})
            else:  # a corrected file: the next version, in draft
                data = seed("000").read_bytes() + ("\n" * next(_counter)).encode()
                doc = admin_send(w, key, "POST", "/api/v1/documents", files={"file": ("000.txt", data)},
                                 data={"org": unit(w, key), "year": "2026"})["id"]
            continue
        action = FORWARD[ORDER[state]]
        body = {"action": action, "comment": "同意"}
        if action == "submit":
            body["explanations"] = explanations(w, key, doc)
        admin_send(w, key, "POST", f"/api/v1/documents/{doc}/transitions", json=body)
    raise AssertionError(f"could not bring the document to {target}")


def wait_for_jobs(w: World) -> None:
    deadline = time.monotonic() + 120
    for key in ("A", "B"):
        while time.monotonic() < deadline:
            jobs = admin_get(w, key, "/api/v1/jobs", params={"limit": 1000})["items"]
            if all(j["state"] in ("done", "failed") for j in jobs):
                break
            time.sleep(0.2)


# ---- one request per route (and per step for the transitions) -----------------------------------

@dataclass(frozen=True)
class Spec:
    """How to call a route for one region's object. ``scope``: ``path`` (the object is in the URL),
    ``param`` (the request names an organisation or an object in its body or query), or None (the
    answer does not depend on the region). ``permission``: for a route whose rule names several,
    the one this request needs. ``build(world, region key, role)`` → the request."""

    build: Callable[[World, str, str | None], dict]
    scope: str | None = None
    permission: str | None = None
    name: str = ""


def _req(method: str, url: str, **kwargs) -> dict:
    return {"method": method, "url": url, **kwargs}


def _logout(w: World, key: str, role: str | None) -> dict:
    if role is None:
        return _req("POST", "/api/v1/logout")
    token = auth.login(Ctx(w.db), w.usernames[role], PASSWORD)["token"]  # its own token: logging out revokes it
    return _req("POST", "/api/v1/logout", headers={"Authorization": f"Bearer {token}"})


def _transition(target: str, action: str) -> Callable:
    def build(w: World, key: str, role: str | None) -> dict:
        doc = bring(w, key, target)
        body = {"action": action, "comment": "意见"}
        if action == "submit":
            body["explanations"] = explanations(w, key, doc)
        return _req("POST", f"/api/v1/documents/{doc}/transitions", json=body)

    return build


def _patch_target_set(w, key, role):
    ts = target_set(w, key)
    return _req("PATCH", f"/api/v1/target-sets/{ts['id']}", json={"goal": unique("年度目标")},
                headers={"If-Match": ts["etag"]})


def _add_indicator(w, key, role):
    ts = target_set(w, key)
    return _req("POST", f"/api/v1/target-sets/{ts['id']}/indicators",
                json={"level1": "产出指标", "level2": "数量指标", "name": unique("新指标"), "op_text": "≥",
                      "target_text": "5", "unit_text": "次", "row_version": ts["row_version"]})


def _replace_indicators(w, key, role):
    ts = target_set(w, key)
    return _req("PUT", f"/api/v1/target-sets/{ts['id']}/indicators",
                json={"items": ts["indicators"], "row_version": ts["row_version"]})


def _update_indicator(w, key, role):
    ts = target_set(w, key)
    return _req("PATCH", f"/api/v1/target-sets/{ts['id']}/indicators/{ts['indicators'][0]['id']}",
                json={"remark": unique("备注")}, headers={"If-Match": ts["etag"]})


def _delete_indicator(w, key, role):
    ts = target_set(w, key)
    added = admin_send(w, key, "POST", f"/api/v1/target-sets/{ts['id']}/indicators",
                       json={"name": unique("待删指标"), "target_text": "1", "row_version": ts["row_version"]})
    victim = added["indicators"][-1]["id"]
    return _req("DELETE", f"/api/v1/target-sets/{ts['id']}/indicators/{victim}",
                params={"row_version": added["row_version"]})


def _reorder(w, key, role):
    ts = target_set(w, key)
    order = [i["id"] for i in ts["indicators"]][::-1]
    return _req("POST", f"/api/v1/target-sets/{ts['id']}/indicators/order",
                json={"order": order, "row_version": ts["row_version"]})


def _evaluation(w: World, key: str, ts: dict) -> dict | None:
    response = w.client.get(f"/api/v1/target-sets/{ts['id']}/self-evaluation", headers=w.admin(key))
    return response.json() if response.status_code == 200 else None


def _actuals(ts: dict) -> dict:
    return {"actuals": {str(i["id"]): i["target_text"] or "完成" for i in ts["indicators"]}}


def _score(w, key, role):
    ts = target_set(w, key)
    current = _evaluation(w, key, ts)
    headers = {"If-Match": current["etag"]} if current else {}
    return _req("PUT", f"/api/v1/target-sets/{ts['id']}/self-evaluation", json=_actuals(ts), headers=headers)


def _read_score(w, key, role):
    ts = target_set(w, key)
    if _evaluation(w, key, ts) is None:
        admin_send(w, key, "PUT", f"/api/v1/target-sets/{ts['id']}/self-evaluation", json=_actuals(ts))
    return _req("GET", f"/api/v1/target-sets/{ts['id']}/self-evaluation")


def _disclosure_doc(w: World, key: str) -> int:
    """A document with budget tables (seed 001) in the region's unit, imported by the admin once."""
    found = admin_get(w, key, "/api/v1/documents", params={"org": unit(w, key), "kind": "budget_disclosure"})["items"]
    if found:
        return found[0]["id"]
    files = {"file": ("001.txt", seed("001").read_bytes(), "text/plain")}
    return admin_send(w, key, "POST", "/api/v1/documents", files=files,
                      data={"org": unit(w, key), "year": "2023"})["id"]


def _scored_export(what: str) -> Callable:
    def build(w, key, role):
        ts = target_set(w, key)
        if _evaluation(w, key, ts) is None:
            admin_send(w, key, "PUT", f"/api/v1/target-sets/{ts['id']}/self-evaluation", json=_actuals(ts))
        if what == "set":
            return _req("GET", f"/api/v1/target-sets/{ts['id']}/self-evaluation/table/export", params={"format": "xlsx"})
        doc = current_doc(w, key)
        return _req("GET", f"/api/v1/documents/{doc}/self-evaluation/{what}/export", params={"format": "docx"})

    return build


def _job(w, key, role):
    job = admin_send(w, key, "POST", "/api/v1/jobs/check", json={"documents": [w.doc(key)], "org": unit(w, key)})
    return _req("GET", f"/api/v1/jobs/{job['id']}")


def _upload(url: str) -> Callable:
    def build(w, key, role):
        files = {"files" if url.endswith("import") else "file": ("000.txt", seed("000").read_bytes(), "text/plain")}
        return _req("POST", url, files=files, data={"org": unit(w, key), "year": "2026"})

    return build


# -- monitoring (issue 11): a round of the region's approved targets, its 监控表, 整改 tasks, 目标调整

MONITORING = "/api/v1/monitoring"
_days = itertools.count(1)


def _approved_set(w: World, key: str) -> dict:
    """The current targets document of the region, approved (by its admin), and its first target set."""
    bring(w, key, "approved")
    return target_set(w, key)


def _round(w: World, key: str, *, fresh: bool = False, as_of: str | None = None) -> dict:
    """An open round of the region over its approved targets (a new one when ``fresh``)."""
    _approved_set(w, key)
    region = w.regions[key].region["id"]
    if not fresh:
        for r in admin_get(w, key, f"{MONITORING}/rounds")["items"]:
            if r["state"] == "open" and r["org"]["id"] == region and (as_of is None or r["as_of"] == as_of):
                admin_send(w, key, "POST", f"{MONITORING}/rounds/{r['id']}/sheets")
                return r
    day = as_of or (date(2026, 1, 1) + timedelta(days=next(_days) % 365)).isoformat()
    return admin_send(w, key, "POST", f"{MONITORING}/rounds", json={"org": str(region), "year": 2026, "as_of": day})


def _sheet(w: World, key: str, *, as_of: str | None = None) -> dict:
    r = _round(w, key, as_of=as_of)
    sheets = admin_get(w, key, f"{MONITORING}/rounds/{r['id']}")["sheets"]
    return admin_get(w, key, f"{MONITORING}/sheets/{sheets[-1]['id']}")


def _flagged_sheet(w: World, key: str) -> dict:
    """A 监控表 at 12月31日 with nothing spent (红) and no open 整改 task on its money."""
    sheet = _sheet(w, key, as_of="2026-12-31")
    if sheet["spent"] != "0":
        sheet = admin_send(w, key, "PATCH", f"{MONITORING}/sheets/{sheet['id']}", json={"spent": "0"})
    for t in sheet["tasks"]:
        if t["state"] == "open" and t["indicator_id"] is None:
            admin_send(w, key, "POST", f"{MONITORING}/tasks/{t['id']}/close", json={"measure": "已整改"})
    return sheet


def _task_body(w: World, key: str) -> dict:
    owner = w.usernames["unit_filer"] if key == "A" else "admin_B"
    return {"sheet_id": _flagged_sheet(w, key)["id"], "owner": owner, "deadline": "2027-01-31"}


def _open_task(w: World, key: str) -> dict:
    return admin_send(w, key, "POST", f"{MONITORING}/tasks", json=_task_body(w, key))


def _adjustment(w: World, key: str) -> dict:
    ts = _approved_set(w, key)
    return admin_send(w, key, "POST", f"{MONITORING}/adjustments", json={"target_set_id": ts["id"], "reason": "调整"})


def _prefill(w, key, role):
    sheet = _sheet(w, key)
    entry = sheet["entries"][0]["indicator_id"]
    admin_send(w, key, "PATCH", f"{MONITORING}/sheets/{sheet['id']}", json={"entries": {str(entry): {"to_date": "1"}}})
    return _req("GET", f"{MONITORING}/prefill/{sheet['target_set']['id']}")


# -- operational data (issue 11): a source of the region's unit, a metric over it, a bound indicator

OPDATA = "/api/v1/opdata"
_OP_MAPPING = {"date": "日期", "unit": "单位", "fields": [{"name": "结果", "column": "结果"}]}


def _op_source(w: World, key: str) -> dict:
    return admin_send(w, key, "PUT", f"{OPDATA}/sources", json={"org": unit(w, key), "name": "好差评",
                                                                 "mapping": _OP_MAPPING})


def _op_metric(w: World, key: str) -> dict:
    source = _op_source(w, key)
    return admin_send(w, key, "PUT", f"{OPDATA}/metrics", json={
        "org": unit(w, key), "name": "好评率", "source": str(source["id"]),
        "definition": {"kind": "ratio", "numerator": {"结果": "好评"}}})


def _op_upload(w, key, role):
    rows = f"日期,单位,结果\n2026-03-01,{unit(w, key)},好评\n2026-03-02,{unit(w, key)},{unique('差评')}\n"
    return _req("POST", f"{OPDATA}/sources/{_op_source(w, key)['id']}/imports",
                files={"file": ("好差评.csv", rows.encode("gbk"), "text/csv")})


def _op_drop(w, key, role):
    rows = f"日期,单位,结果\n2026-04-01,{unit(w, key)},{unique('好评')}\n"
    made = admin_send(w, key, "POST", f"{OPDATA}/sources/{_op_source(w, key)['id']}/imports",
                      files={"file": ("错传.csv", rows.encode(), "text/csv")})
    return _req("DELETE", f"{OPDATA}/imports/{made['id']}")


def _op_bound(w: World, key: str) -> tuple[int, int]:
    """(target set id, its first indicator's id), the indicator bound to the region's 好评率."""
    ts = target_set(w, key)
    indicator = ts["indicators"][0]["id"]
    admin_send(w, key, "PUT", f"{OPDATA}/indicators/{indicator}/binding", json={"metric": str(_op_metric(w, key)["id"])})
    return ts["id"], indicator


def _op_override(w, key, role):
    _ts, indicator = _op_bound(w, key)
    return _req("PUT", f"{OPDATA}/indicators/{indicator}/override",
                json={"from": "2026-01-01", "to": "2026-06-30", "value": "96", "reason": unique("系统停机补录")})


V1 = "/api/v1"
SPECS: dict[tuple[str, str], list[Spec]] = {
    ("POST", f"{V1}/login"): [Spec(lambda w, k, r: _req("POST", f"{V1}/login",
                                                        json={"username": "auditor_A", "password": PASSWORD}))],
    ("POST", f"{V1}/logout"): [Spec(_logout)],
    ("GET", f"{V1}/me"): [Spec(lambda w, k, r: _req("GET", f"{V1}/me"))],
    ("GET", f"{V1}/orgs"): [Spec(lambda w, k, r: _req("GET", f"{V1}/orgs"))],
    ("POST", f"{V1}/orgs"): [Spec(lambda w, k, r: _req("POST", f"{V1}/orgs", json={
        "name": unique("新单位"), "level": "unit", "parent": unit(w, k)}), scope="param")],
    ("GET", f"{V1}/users"): [Spec(lambda w, k, r: _req("GET", f"{V1}/users"))],
    ("POST", f"{V1}/users"): [Spec(lambda w, k, r: _req("POST", f"{V1}/users", json={
        "username": unique("user"), "role": "auditor", "org": unit(w, k), "password": PASSWORD}), scope="param")],
    ("POST", f"{V1}/documents"): [Spec(_upload(f"{V1}/documents"), scope="param")],
    ("GET", f"{V1}/documents"): [Spec(lambda w, k, r: _req("GET", f"{V1}/documents", params={"org": unit(w, k)}),
                                      scope="param")],
    ("GET", f"{V1}/documents/{{document_id}}"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/documents/{w.doc(k)}"), scope="path")],
    ("GET", f"{V1}/documents/{{document_id}}/source"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/documents/{w.doc(k)}/source"), scope="path")],
    ("GET", f"{V1}/documents/{{document_id}}/findings"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/documents/{w.doc(k)}/findings"), scope="path")],
    ("GET", f"{V1}/documents/{{document_id}}/versions"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/documents/{w.doc(k)}/versions"), scope="path")],
    ("GET", f"{V1}/documents/{{document_id}}/diff/{{other_id}}"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/documents/{w.doc(k)}/diff/{w.doc(k)}"), scope="path")],
    ("POST", f"{V1}/documents/{{document_id}}/transitions"): [
        Spec(_transition("draft", "submit"), scope="path", permission="workflow.submit", name="submit"),
        Spec(_transition("submitted", "approve"), scope="path", permission="workflow.dept_review",
             name="dept-approve"),
        Spec(_transition("submitted", "return"), scope="path", permission="workflow.dept_review",
             name="dept-return"),
        Spec(_transition("dept_approved", "approve"), scope="path", permission="workflow.finance_review",
             name="finance-approve"),
        Spec(_transition("dept_approved", "return"), scope="path", permission="workflow.finance_review",
             name="finance-return"),
        Spec(_transition("approved", "publish"), scope="path", permission="workflow.publish", name="publish"),
    ],
    ("GET", f"{V1}/findings"): [Spec(lambda w, k, r: _req("GET", f"{V1}/findings", params={"org": unit(w, k)}),
                                     scope="param")],
    ("PATCH", f"{V1}/findings/{{finding_id}}"): [
        Spec(lambda w, k, r: _req("PATCH", f"{V1}/findings/{finding(w, k)}", json={"status": "fixed"}),
             scope="path")],
    ("GET", f"{V1}/target-sets/{{target_set_id}}"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/target-sets/{target_set(w, k)['id']}"), scope="path")],
    ("PATCH", f"{V1}/target-sets/{{target_set_id}}"): [Spec(_patch_target_set, scope="path")],
    ("POST", f"{V1}/target-sets/{{target_set_id}}/indicators"): [Spec(_add_indicator, scope="path")],
    ("PUT", f"{V1}/target-sets/{{target_set_id}}/indicators"): [Spec(_replace_indicators, scope="path")],
    ("PATCH", f"{V1}/target-sets/{{target_set_id}}/indicators/{{indicator_id}}"): [
        Spec(_update_indicator, scope="path")],
    ("DELETE", f"{V1}/target-sets/{{target_set_id}}/indicators/{{indicator_id}}"): [
        Spec(_delete_indicator, scope="path")],
    ("POST", f"{V1}/target-sets/{{target_set_id}}/indicators/order"): [Spec(_reorder, scope="path")],
    ("PUT", f"{V1}/target-sets/{{target_set_id}}/self-evaluation"): [Spec(_score, scope="path")],
    ("GET", f"{V1}/target-sets/{{target_set_id}}/self-evaluation"): [Spec(_read_score, scope="path")],
    ("GET", f"{V1}/audit"): [Spec(lambda w, k, r: _req("GET", f"{V1}/audit",
                                                       params={"object": f"document:{w.doc(k)}"}))],
    ("POST", f"{V1}/jobs/import"): [Spec(_upload(f"{V1}/jobs/import"), scope="param")],
    ("POST", f"{V1}/jobs/check"): [Spec(lambda w, k, r: _req("POST", f"{V1}/jobs/check",
                                                             json={"documents": [w.doc(k)]}), scope="param")],
    ("GET", f"{V1}/jobs"): [Spec(lambda w, k, r: _req("GET", f"{V1}/jobs"))],
    ("GET", f"{V1}/jobs/{{job_id}}"): [Spec(_job, scope="path")],
    ("GET", f"{V1}/documents/{{document_id}}/target-table/export"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/documents/{w.doc(k)}/target-table/export",
                                  params={"format": "xlsx"}), scope="path")],
    ("GET", f"{V1}/target-sets/{{target_set_id}}/target-table/export"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/target-sets/{target_set(w, k)['id']}/target-table/export",
                                  params={"format": "docx"}), scope="path")],
    ("GET", f"{V1}/documents/{{document_id}}/review-opinion/export"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/documents/{w.doc(k)}/review-opinion/export",
                                  params={"format": "xlsx"}), scope="path")],
    ("GET", f"{V1}/documents/{{document_id}}/disclosure/export"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/documents/{_disclosure_doc(w, k)}/disclosure/export",
                                  params={"format": "xlsx"}), scope="path")],
    ("GET", f"{V1}/target-sets/{{target_set_id}}/self-evaluation/table/export"): [
        Spec(_scored_export("set"), scope="path")],
    ("GET", f"{V1}/documents/{{document_id}}/self-evaluation/table/export"): [
        Spec(_scored_export("table"), scope="path")],
    ("GET", f"{V1}/documents/{{document_id}}/self-evaluation/report/export"): [
        Spec(_scored_export("report"), scope="path")],
    ("GET", f"{V1}/review-opinion/export"): [
        Spec(lambda w, k, r: _req("GET", f"{V1}/review-opinion/export",
                                  params={"documents": str(w.doc(k)), "format": "docx"}), scope="param")],
    ("POST", f"{MONITORING}/rounds"): [
        Spec(lambda w, k, r: (_approved_set(w, k), _req("POST", f"{MONITORING}/rounds", json={
            "org": str(w.regions[k].region["id"]), "year": 2026,
            "as_of": (date(2026, 1, 1) + timedelta(days=next(_days) % 365)).isoformat()}))[1], scope="param")],
    ("GET", f"{MONITORING}/rounds"): [Spec(lambda w, k, r: _req("GET", f"{MONITORING}/rounds"))],
    ("GET", f"{MONITORING}/rounds/{{round_id}}"): [
        Spec(lambda w, k, r: _req("GET", f"{MONITORING}/rounds/{_round(w, k)['id']}"), scope="path")],
    ("POST", f"{MONITORING}/rounds/{{round_id}}/close"): [
        Spec(lambda w, k, r: _req("POST", f"{MONITORING}/rounds/{_round(w, k, fresh=True)['id']}/close"), scope="path")],
    ("POST", f"{MONITORING}/rounds/{{round_id}}/evaluate"): [
        Spec(lambda w, k, r: _req("POST", f"{MONITORING}/rounds/{_round(w, k)['id']}/evaluate"), scope="path")],
    ("POST", f"{MONITORING}/rounds/{{round_id}}/sheets"): [
        Spec(lambda w, k, r: _req("POST", f"{MONITORING}/rounds/{_round(w, k)['id']}/sheets"), scope="path")],
    ("GET", f"{MONITORING}/sheets/{{sheet_id}}"): [
        Spec(lambda w, k, r: _req("GET", f"{MONITORING}/sheets/{_sheet(w, k)['id']}"), scope="path")],
    ("PATCH", f"{MONITORING}/sheets/{{sheet_id}}"): [
        Spec(lambda w, k, r: _req("PATCH", f"{MONITORING}/sheets/{_sheet(w, k)['id']}",
                                  json={"spent": "1", "execution_reason": unique("原因")}), scope="path")],
    ("POST", f"{MONITORING}/sheets/{{sheet_id}}/preview"): [
        Spec(lambda w, k, r: _req("POST", f"{MONITORING}/sheets/{_sheet(w, k)['id']}/preview",
                                  json={"spent": "2"}), scope="path")],
    ("GET", f"{MONITORING}/profiles"): [Spec(lambda w, k, r: _req("GET", f"{MONITORING}/profiles"))],
    ("GET", f"{MONITORING}/profiles/{{name}}"): [Spec(lambda w, k, r: _req("GET", f"{MONITORING}/profiles/shanxi"))],
    ("PUT", f"{MONITORING}/profiles/{{name}}"): [
        Spec(lambda w, k, r: _req("PUT", f"{MONITORING}/profiles/default", json={
            "org": str(w.regions[k].region["id"]), "changes": {"execution": {"amber_gap": 12}}}), scope="param")],
    ("POST", f"{MONITORING}/tasks"): [
        Spec(lambda w, k, r: _req("POST", f"{MONITORING}/tasks", json=_task_body(w, k)), scope="param")],
    ("GET", f"{MONITORING}/tasks"): [Spec(lambda w, k, r: _req("GET", f"{MONITORING}/tasks"))],
    ("GET", f"{MONITORING}/tasks/{{task_id}}"): [
        Spec(lambda w, k, r: _req("GET", f"{MONITORING}/tasks/{_open_task(w, k)['id']}"), scope="path")],
    ("POST", f"{MONITORING}/tasks/{{task_id}}/close"): [
        Spec(lambda w, k, r: _req("POST", f"{MONITORING}/tasks/{_open_task(w, k)['id']}/close",
                                  json={"measure": "已加快支付"}), scope="path")],
    ("POST", f"{MONITORING}/adjustments"): [
        Spec(lambda w, k, r: _req("POST", f"{MONITORING}/adjustments", json={
            "target_set_id": _approved_set(w, k)["id"], "reason": "目标调整"}), scope="param")],
    ("GET", f"{MONITORING}/adjustments/{{adjustment_id}}"): [
        Spec(lambda w, k, r: _req("GET", f"{MONITORING}/adjustments/{_adjustment(w, k)['id']}"), scope="path")],
    ("GET", f"{MONITORING}/prefill/{{target_set_id}}"): [Spec(_prefill, scope="path")],
    ("GET", f"{MONITORING}/rounds/{{round_id}}/report/export"): [
        Spec(lambda w, k, r: _req("GET", f"{MONITORING}/rounds/{_round(w, k)['id']}/report/export",
                                  params={"format": "docx"}), scope="path")],
    ("GET", f"{OPDATA}/sources"): [Spec(lambda w, k, r: _req("GET", f"{OPDATA}/sources"))],
    ("PUT", f"{OPDATA}/sources"): [Spec(lambda w, k, r: _req("PUT", f"{OPDATA}/sources", json={
        "org": unit(w, k), "name": "好差评", "mapping": _OP_MAPPING}), scope="param")],
    ("GET", f"{OPDATA}/sources/{{source_id}}"): [
        Spec(lambda w, k, r: _req("GET", f"{OPDATA}/sources/{_op_source(w, k)['id']}"), scope="path")],
    ("POST", f"{OPDATA}/sources/{{source_id}}/imports"): [Spec(_op_upload, scope="path")],
    ("DELETE", f"{OPDATA}/imports/{{import_id}}"): [Spec(_op_drop, scope="path")],
    ("GET", f"{OPDATA}/metrics"): [Spec(lambda w, k, r: _req("GET", f"{OPDATA}/metrics"))],
    ("PUT", f"{OPDATA}/metrics"): [Spec(lambda w, k, r: _req("PUT", f"{OPDATA}/metrics", json={
        "org": unit(w, k), "name": "好评率", "source": str(_op_source(w, k)["id"]),
        "definition": {"kind": "ratio", "numerator": {"结果": "好评"}}}), scope="param")],
    ("GET", f"{OPDATA}/metrics/{{metric_id}}/by-unit"): [
        Spec(lambda w, k, r: _req("GET", f"{OPDATA}/metrics/{_op_metric(w, k)['id']}/by-unit",
                                  params={"from": "2026-01-01", "to": "2026-12-31"}), scope="path")],
    ("PUT", f"{OPDATA}/indicators/{{indicator_id}}/binding"): [
        Spec(lambda w, k, r: _req("PUT", f"{OPDATA}/indicators/{target_set(w, k)['indicators'][0]['id']}/binding",
                                  json={"metric": str(_op_metric(w, k)["id"])}), scope="path")],
    ("GET", f"{OPDATA}/target-sets/{{target_set_id}}/values"): [
        Spec(lambda w, k, r: _req("GET", f"{OPDATA}/target-sets/{_op_bound(w, k)[0]}/values",
                                  params={"from": "2026-01-01", "to": "2026-06-30"}), scope="path")],
    ("PUT", f"{OPDATA}/indicators/{{indicator_id}}/override"): [Spec(_op_override, scope="path")],
}


# ---- the expectation -----------------------------------------------------------------------------

def expected(rule: tuple[str, ...], spec: Spec, role: str | None, org: str) -> str:
    """``"2xx"`` or the status a request must get."""
    if rule == (PUBLIC,):
        return "2xx"
    if role is None:
        return "401"
    if rule == (AUTHENTICATED,):
        return "2xx"
    permission = spec.permission or rule[0]
    if spec.scope == "path" and org == "other":
        return "404"
    if permission not in GRANTS[role]:
        return "403"
    if spec.scope == "param" and org == "other":
        return "404"
    return "2xx"


def _matches(status: int, want: str) -> bool:
    return 200 <= status < 300 if want == "2xx" else status == int(want)


def api_v1_routes(app: FastAPI) -> dict[tuple[str, str], tuple[str, ...] | None]:
    return {k: v for k, v in rule_table(app).items() if k[1].startswith("/api/v1/")}


def undeclared(app: FastAPI) -> list[tuple[str, str]]:
    return sorted(k for k, rule in api_v1_routes(app).items() if rule is None)


TABLE = api_v1_routes(create_app())
CASES = [(method, path, i) for (method, path) in sorted(TABLE) for i in range(len(SPECS.get((method, path), [None])))]


def _case_id(case) -> str:
    method, path, i = case
    specs = SPECS.get((method, path))
    name = specs[i].name if specs and specs[i].name else ""
    return f"{method} {path.removeprefix(V1)}" + (f" [{name}]" if name else "")


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_route_by_role_and_organisation(case, world):
    method, path, i = case
    rule = TABLE[(method, path)]
    assert rule is not None, f"{method} {path} declares no rule: give it needs(...)"
    assert (method, path) in SPECS, f"{method} {path} has no request in the authorisation matrix (SPECS)"
    spec = SPECS[(method, path)][i]
    if len(rule) > 1:
        assert spec.permission in rule, f"{method} {path}: the request's permission must be one of {rule}"
    wrong = []
    callers = [(None, "own"), *((role, org) for org in ORGS for role in ROLES)]
    for role, org in sorted(callers, key=lambda c: c[1] == "own"):  # other organisations first: they change nothing
        request = spec.build(world, KEY[org], role)
        assert request["method"] == method
        headers = request.pop("headers", None)
        if headers is None or "Authorization" not in headers:
            headers = {**(headers or {}), **(world.role(role) if role else {})}
        response = world.client.request(headers=headers, **request)
        want = expected(rule, spec, role, org)
        if not _matches(response.status_code, want):
            wrong.append(f"{role or '未登录'} / {org}: {response.status_code} (expected {want}) {response.text[:200]}")
        elif response.status_code >= 400:
            assert response.json()["error"]["code"], response.text
    if path.startswith(f"{V1}/jobs"):
        wait_for_jobs(world)
    assert wrong == [], f"{method} {path}:\n" + "\n".join(wrong)


# ---- the matrix covers every route ---------------------------------------------------------------

def test_every_route_declares_a_rule_and_has_a_request_in_the_matrix():
    app = create_app()
    assert undeclared(app) == []
    assert set(api_v1_routes(app)) == set(SPECS)
    assert len(CASES) >= 30


def test_a_route_without_a_rule_is_caught():
    app = create_app()
    app.add_api_route("/api/v1/unruled", lambda: {"ok": True}, methods=["GET"], summary="无规则")
    assert undeclared(app) == [("GET", "/api/v1/unruled")]
    assert ("GET", "/api/v1/unruled") not in SPECS  # and the matrix would have no request for it


def test_a_rule_names_known_permissions_only():
    with pytest.raises(KeyError):
        needs("document.reed")
    with pytest.raises(ValueError):
        needs(PUBLIC, "document.read")


def test_the_matrix_size():
    """Routes × roles × organisations, plus one request without a token per route."""
    cells = sum(len(SPECS[route]) for route in TABLE) * len(ROLES) * len(ORGS)
    assert cells == len(CASES) * 10 and len(ROLES) == 5

"""/api/v1/opdata over HTTP: a mapping refused with its reasons, an upload refused with each bad
row (422, nothing stored), a good upload (201) and the same file again (409), a metric with its
formula, an indicator bound, its value over the half year with the records behind it, and a
value typed by hand with its reason (in the audit log)."""

from __future__ import annotations

MAPPING = {"date": "评价日期", "unit": "被评价单位", "fields": [{"name": "评价结果", "column": "评价结果",
                                                          "required": True}]}


def _csv(unit: str, rows: list[tuple[str, str]]) -> bytes:
    return ("评价日期,被评价单位,评价结果\n" + "".join(f"{d},{unit},{v}\n" for d, v in rows)).encode("gbk")


def test_a_source_an_upload_a_metric_and_a_bound_value_over_http(world):
    w, h = world, world.role("department_manager")
    unit = str(w.regions["A"].unit["id"])
    bad = w.client.put("/api/v1/opdata/sources", headers=h, json={"org": unit, "name": "好差评", "mapping": {"unit": "x"}})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "opdata_mapping_invalid"
    source = w.client.put("/api/v1/opdata/sources", headers=h, json={"org": unit, "name": "好差评", "mapping": MAPPING})
    assert source.status_code == 200, source.text
    url = f"/api/v1/opdata/sources/{source.json()['id']}/imports"

    refused = w.client.post(url, headers=h, files={"file": ("3月.csv", _csv(unit, [
        ("2026-03-01", "满意"), ("2026-03-41", "满意"), ("2026-03-02", "")]), "text/csv")})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "opdata_rows_invalid" and (error["detail"]["rows"], error["detail"]["error_rows"]) == (3, 2)
    assert [(e["location"], e["code"]) for e in error["detail"]["errors"]] == [
        ("3月.csv:3", "opdata-date-invalid"), ("3月.csv:4", "opdata-value-missing")]

    good = _csv(unit, [(f"2026-0{m}-0{d}", v) for m in (2, 5, 8) for d in (1, 2, 3, 4) for v in ("满意", "不满意", "满意")])
    created = w.client.post(url, headers=h, files={"file": ("好差评.csv", good, "text/csv")})
    assert created.status_code == 201 and created.json()["rows"] == 36
    again = w.client.post(url, headers=h, files={"file": ("好差评（重传）.csv", good, "text/csv")})
    assert again.status_code == 409 and again.json()["error"]["code"] == "opdata_duplicate"

    metric = w.client.put("/api/v1/opdata/metrics", headers=h, json={
        "org": unit, "name": "好评率", "source": str(source.json()["id"]),
        "definition": {"kind": "ratio", "numerator": {"评价结果": "满意"}}})
    assert metric.json()["formula"].startswith("好评率 = 「评价结果」为「满意」的记录数 ÷ 全部记录数 × 100%")
    doc = w.client.get(f"/api/v1/documents/{w.doc('A')}", headers=h).json()
    ts = w.client.get(f"/api/v1/target-sets/{doc['target_set_refs'][0]['id']}", headers=h).json()
    indicator = ts["indicators"][0]["id"]
    bound = w.client.put(f"/api/v1/opdata/indicators/{indicator}/binding", headers=h,
                         json={"metric": str(metric.json()["id"])})
    assert bound.status_code == 200 and bound.json()["scope"]["id"] == int(unit)
    period = {"from": "2026-01-01", "to": "2026-06-30"}
    values = w.client.get(f"/api/v1/opdata/target-sets/{ts['id']}/values", headers=h, params=period).json()
    (item,) = values["items"]
    assert (item["indicator"]["id"], item["value"], item["records"], item["source"]) == (indicator, "66.67", 24, "data")

    typed = w.client.put(f"/api/v1/opdata/indicators/{indicator}/override", headers=h,
                         json={**period, "value": "90", "reason": ""})
    assert typed.status_code == 422 and typed.json()["error"]["code"] == "reason_required"
    typed = w.client.put(f"/api/v1/opdata/indicators/{indicator}/override", headers=h,
                         json={**period, "value": "90", "reason": "窗口纸质评价未录入系统"})
    assert (typed.json()["value"], typed.json()["computed"], typed.json()["source"]) == ("90", "66.67", "manual")
    log = w.client.get("/api/v1/audit", headers=w.admin("A"), params={"object": f"indicator:{indicator}"}).json()
    assert log["items"][0]["action"] == "opdata.override" and log["items"][0]["comment"] == "窗口纸质评价未录入系统"

"""The services behind 绩效目标编辑 and 审核: the weight total, findings by indicator row,
三级指标 suggestions (scope, ranking), comments in the audit log (permission, scope), the
workflow history and the edits since the last 退回 folded per field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.services import comments
from jixiao.services import documents
from jixiao.services import editing
from jixiao.services import target_editor
from jixiao.services import workflow
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from tests.flow_setup import region


def _weights(*values):
    return target_editor.weight_total([{"weight": v} for v in values])


def test_weight_total_states():
    assert _weights(None, None)["state"] == "empty"
    assert _weights("50", "30", "20") == _weights("50", "30", "20") | {"state": "ok", "ok": True, "total": "100"}
    ninety = _weights("60", "30")
    assert ninety["state"] == "ok" and "90 + 预算执行率 10 = 100" in ninety["text"]
    short = _weights(Decimal("20"), None)
    assert short["state"] == "wrong" and short["blank"] == 1 and "还差 70 分" in short["text"]
    over = _weights("60", "50.5")
    assert over["state"] == "wrong" and "多出 10.5 分" in over["text"]


def test_row_key_drops_the_column_only():
    assert target_editor.row_key("a.xlsx:Sheet1!D7") == target_editor.row_key("a.xlsx:Sheet1!B7") == "a.xlsx:Sheet1!7"
    assert target_editor.row_key("a.pdf:p3:t1r5c2") == "a.pdf:p3:t1r5"
    assert target_editor.row_key("a.txt:29") == "a.txt:29"
    assert target_editor.row_key("a.xlsx:Sheet1!B7") != target_editor.row_key("a.xlsx:Sheet1!B17")


@pytest.fixture
def world(database):
    r = region(database)
    doc = r.load("000", "U1", 2026)
    old = r.load("002", "U1", 2023)  # the unit's earlier year: where suggestions come from
    other = r.load("002", "U2", 2023)  # a sibling unit's: outside the unit's scope
    refs = documents.get_document(r.ctx("unit1"), doc["id"])["target_set_refs"]
    return r, doc, old, other, refs[0]["id"]


def test_findings_by_row_and_header(world):
    r, _doc, _old, _other, ts_id = world
    ts = editing.get_target_set(r.ctx("unit1"), ts_id)
    by_row, other = target_editor.row_findings(ts)
    names = {i["id"]: i["name"] for i in ts["indicators"]}
    assert {names[i]: sorted(f["code"] for f in fs) for i, fs in by_row.items()}["服务面积"] == ["unit-invalid"]
    assert [f["code"] for f in other] == ["amounts-missing"]  # the set's amounts: no row
    assert sum(len(v) for v in by_row.values()) + len(other) == len(ts["findings"])


def test_suggestions_from_the_scope_ranked_by_what_is_typed(world):
    r, _doc, _old, other, ts_id = world
    found = target_editor.suggest_indicators(r.ctx("unit1"), ts_id, "数量指标", "培训")
    assert [s["name"] for s in found["items"]] == ["培训人次"]
    assert found["items"][0]["target_text"] == "≥260人次"
    plain = [s["name"] for s in target_editor.suggest_indicators(r.ctx("unit1"), ts_id, "数量指标")["items"]]
    assert plain and "培训场次" not in plain  # the set's own names are not suggested
    assert all(s["count"] == 1 for s in target_editor.suggest_indicators(r.ctx("unit1"), ts_id, "数量指标")["items"])
    # the region sees both units' 2023 targets: each name counted twice
    region_wide = target_editor.suggest_indicators(r.ctx("finance"), ts_id, "数量指标", "培训")["items"]
    assert region_wide[0] == {**region_wide[0], "name": "培训人次", "count": 2}
    assert target_editor.suggest_indicators(r.ctx("unit1"), ts_id, "", "培训")["items"] == []
    with pytest.raises(NotFound):  # another unit's target set does not exist for the unit
        other_set = documents.get_document(r.ctx("unit2"), other["id"])["target_set_refs"][0]["id"]
        target_editor.suggest_indicators(r.ctx("unit1"), other_set, "数量指标", "")


def test_comments_are_audit_entries_of_the_document(world):
    r, doc, _old, other, _ts = world
    c = comments.comment(r.ctx("dept"), doc["id"], "000.txt:31", "  请核对面积  ", subject="服务面积")
    assert c["text"] == "请核对面积" and c["user"] == "dept" and c["location"] == "000.txt:31"
    comments.comment(r.ctx("unit1"), doc["id"], "", "已核对，按租赁合同填报")
    listed = comments.list_comments(r.ctx("auditor"), doc["id"])
    assert [x["text"] for x in listed["items"]] == ["请核对面积", "已核对，按租赁合同填报"]
    assert list(listed["by_location"]) == ["000.txt:31", ""]
    with pytest.raises(Invalid):
        comments.comment(r.ctx("dept"), doc["id"], "", "   ")
    with pytest.raises(Forbidden):  # the auditor reads, but does not comment
        comments.comment(r.ctx("auditor"), doc["id"], "", "意见")
    with pytest.raises(NotFound):  # a sibling unit's document does not exist for the unit
        comments.comment(r.ctx("unit1"), other["id"], "", "意见")


def test_changes_since_the_last_return_fold_per_field(world):
    r, doc, _old, _other, ts_id = world
    unit = r.ctx("unit1")
    ts = editing.get_target_set(unit, ts_id)
    area = next(i for i in ts["indicators"] if i["name"] == "服务面积")
    ts = editing.update_indicator(unit, ts_id, area["id"], {"unit_text": "平方米"}, expected_version=ts["row_version"])
    before = comments.changes_since_return(unit, doc["id"])
    assert before["since"] is None and [c["indicator"] for c in before["items"]] == ["产出指标/数量指标/服务面积"]
    errors = [f["id"] for f in ts["findings"] if f["severity"] == "error" and f["status"] == "open"]
    workflow.transition(unit, doc["id"], "submit", explanations=dict.fromkeys(errors, "另表填报"))
    workflow.transition(r.ctx("dept"), doc["id"], "return", comment="办件量偏低")
    assert comments.changes_since_return(unit, doc["id"]) == {
        "since": comments.changes_since_return(unit, doc["id"])["since"], "items": []}
    hall = next(i for i in ts["indicators"] if i["name"] == "政务大厅办件量")
    ts = editing.update_indicator(unit, ts_id, hall["id"], {"target_text": "11"}, expected_version=ts["row_version"])
    ts = editing.update_indicator(unit, ts_id, hall["id"], {"target_text": "12"}, expected_version=ts["row_version"])
    ts = editing.update_indicator(unit, ts_id, area["id"], {"unit_text": "平方"}, expected_version=ts["row_version"])
    ts = editing.update_indicator(unit, ts_id, area["id"], {"unit_text": "平方米"}, expected_version=ts["row_version"])
    ts = editing.add_indicator(unit, ts_id, {"level1": "产出指标", "level2": "数量指标", "name": "临时指标"},
                               expected_version=ts["row_version"])
    added = next(i for i in ts["indicators"] if i["name"] == "临时指标")
    ts = editing.delete_indicator(unit, ts_id, added["id"], expected_version=ts["row_version"])
    changes = comments.changes_since_return(unit, doc["id"])
    assert changes["since"]["comment"] == "办件量偏低" and changes["since"]["step"] == "部门审核退回"
    # 10 → 11 → 12 is one change; 平方米 → 平方 → 平方米 and a row added then deleted are none
    assert [(c["indicator"], c["status"], [(f["label"], f["before"], f["after"]) for f in c["fields"]])
            for c in changes["items"]] == [("产出指标/数量指标/政务大厅办件量", "changed", [("指标值", "10", "12")])]
    history = comments.workflow_history(r.ctx("auditor"), doc["id"])["items"]
    assert [(h["step"], h["comment"]) for h in history] == [("提交", None), ("部门审核退回", "办件量偏低")]
    assert list(history[0]["explanations"].values()) == ["另表填报"] * len(errors)

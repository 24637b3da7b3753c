"""A finding's review status survives a rename of what its subject names (三级指标, 一级/二级, the
set's unit): the stored finding keeps its row (id, status, reason, history) and takes the new
subject, message and fingerprint; a rename that fixes a finding still removes it; of two findings
of one code on a row, each follows the one that says the same (services/editing.py)."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from jixiao.services import audit
from jixiao.services import editing
from jixiao.services import findings
from jixiao.services.imports import fingerprint
from jixiao.store import schema as db
from tests.test_services_editing import _by_name
from tests.test_services_editing import _imported

UNIT = "单位“株洲市渌口区行政审批服务局”"


def _at(ts: dict, code: str, row: str) -> list[dict]:
    return [f for f in ts["findings"] if f["code"] == code and f["location"].rsplit(":", 1)[-1] == row]


def _stored_fingerprint(database, finding_id: int) -> str:
    with database.session(write=False) as s:
        return s.scalar(select(db.Finding.fingerprint).where(db.Finding.id == finding_id))


def _fingerprint_of(f: dict) -> str:
    """The fingerprint of a finding with this code, location and subject."""
    return fingerprint(SimpleNamespace(code=f["code"], location=f["location"], subject=f["subject"]))


def test_a_rejected_finding_keeps_its_status_and_reason_when_its_indicator_is_renamed(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    (vague,) = _at(ts, "vague-target", "36")
    assert vague["subject"] == f"{UNIT}/效益指标/社会效益/政务办理效率提升"
    findings.set_finding_status(ctx, vague["id"], "rejected", "“提升”已在评分标准中分档")
    row = _by_name(ts, "政务办理效率提升")

    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": "政务服务办理效率"}, expected_version=1)
    (kept,) = _at(ts, "vague-target", "36")
    assert kept["id"] == vague["id"]
    assert (kept["status"], kept["status_label"], kept["reason"]) == ("rejected", "不予采纳", "“提升”已在评分标准中分档")
    assert kept["subject"] == f"{UNIT}/效益指标/社会效益/政务服务办理效率"
    assert kept["message"].startswith(f"{UNIT}/效益指标/社会效益/政务服务办理效率：目标值“提升”含糊")
    assert _stored_fingerprint(database, kept["id"]) == _fingerprint_of(kept) != _fingerprint_of(vague)
    assert len(ts["findings"]) == 5  # no duplicate, nothing else lost

    # the 二级 renamed too (it is part of the subject): still the same finding
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"level2": "社会效益指标"}, expected_version=2)
    (kept,) = _at(ts, "vague-target", "36")
    assert (kept["id"], kept["status"], kept["reason"]) == (vague["id"], "rejected", "“提升”已在评分标准中分档")
    assert kept["subject"] == f"{UNIT}/效益指标/社会效益指标/政务服务办理效率"

    # the whole list saved at once (the table editor's save) with a new name: the same
    ts = editing.replace_indicators(ctx, ts_id, [{**i, "name": "办事效率"} if i["id"] == row["id"] else i
                                                 for i in ts["indicators"]], expected_version=3)
    (kept,) = _at(ts, "vague-target", "36")
    assert (kept["id"], kept["status"], kept["subject"]) == (vague["id"], "rejected", f"{UNIT}/效益指标/社会效益指标/办事效率")

    # the edits are in the audit log, and so is the finding's history under its unchanged id
    entries = audit.list_entries(ctx, object=f"target_set:{ts_id}")["items"]
    assert [e["action"] for e in entries] == ["indicators.replace", "indicator.update", "indicator.update"]
    assert (entries[2]["before"]["name"], entries[2]["after"]["name"]) == ("政务办理效率提升", "政务服务办理效率")
    assert entries[2]["before"]["indicator_id"] == row["id"]
    (status,) = audit.list_entries(ctx, object=f"finding:{vague['id']}")["items"]
    assert status["after"]["status"] == "rejected"
    listed = findings.list_findings(ctx, document_id=doc, status="rejected")["items"]
    assert [(f["id"], f["reason"]) for f in listed] == [(vague["id"], "“提升”已在评分标准中分档")]


def test_a_rename_that_fixes_a_finding_removes_it_and_one_that_keeps_it_keeps_its_status(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    row = _by_name(ts, "培训场次")

    # two indicators in one 三级 name: flagged, and the reviewer does not accept the finding
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": "培训场次；参训人数"}, expected_version=1)
    (multiple,) = _at(ts, "value-cell-multiple", "30")
    assert "三级指标名称“培训场次；参训人数”含多个目标" in multiple["message"]
    findings.set_finding_status(ctx, multiple["id"], "rejected", "两项同属培训")

    # renamed and still two: the message quotes the new name, the status stays (the only one of its
    # code on the row, quoting the same expected/actual)
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": "培训场次；参训人次"}, expected_version=2)
    (kept,) = _at(ts, "value-cell-multiple", "30")
    assert (kept["id"], kept["status"], kept["reason"]) == (multiple["id"], "rejected", "两项同属培训")
    assert "“培训场次；参训人次”" in kept["message"]

    # the rename is the fix: the finding goes, whatever its status was
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": "培训场次"}, expected_version=3)
    assert _at(ts, "value-cell-multiple", "30") == []
    with database.session(write=False) as s:
        assert s.get(db.Finding, multiple["id"]) is None
        assert s.scalar(select(db.Document.n_warning).where(db.Document.id == doc)) == len(s.scalars(
            select(db.Finding.id).where(db.Finding.document_id == doc, db.Finding.severity == "warning")).all())
    entries = audit.list_entries(ctx, object=f"target_set:{ts_id}")["items"]
    assert [(e["before"]["name"], e["after"]["name"]) for e in entries] == [
        ("培训场次；参训人次", "培训场次"), ("培训场次；参训人数", "培训场次；参训人次"), ("培训场次", "培训场次；参训人数")]


def test_two_findings_of_one_code_on_a_renamed_row_each_follow_what_they_say(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    row = _by_name(ts, "培训场次")
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": "培训培训场次", "explanation": "每月每月相关业务培训"},
                                  expected_version=1)
    repeated = _at(ts, "repeated-text", "30")
    by_text = {f["actual"]: f for f in repeated}
    assert sorted(by_text) == ["培训培训", "每月每月"] and len(repeated) == 2
    assert len({f["subject"] for f in repeated}) == 1  # one subject: the fingerprint cannot tell them apart
    findings.set_finding_status(ctx, by_text["培训培训"]["id"], "rejected", "专有名称")
    findings.set_finding_status(ctx, by_text["每月每月"]["id"], "fixed")

    # renamed keeping the doubled word: both stay, each with its own status
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": "培训培训次数"}, expected_version=2)
    now = {f["actual"]: f for f in _at(ts, "repeated-text", "30")}
    assert {k: (f["id"], f["status"], f["reason"]) for k, f in now.items()} == {
        "培训培训": (by_text["培训培训"]["id"], "rejected", "专有名称"),
        "每月每月": (by_text["每月每月"]["id"], "fixed", None)}
    assert all(f["subject"].endswith("/培训培训次数") for f in now.values())

    # the rename removes the name's doubled word: that finding goes, the other keeps its status
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": "业务培训次数"}, expected_version=3)
    (left,) = _at(ts, "repeated-text", "30")
    assert (left["id"], left["actual"], left["status"]) == (by_text["每月每月"]["id"], "每月每月", "fixed")
    assert left["subject"] == f"{UNIT}/产出指标/数量指标/业务培训次数"

    # a rename that brings another doubled word is another finding: new and open, the old one gone
    findings.set_finding_status(ctx, left["id"], "rejected", "原文如此")
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": "会议会议次数", "explanation": "每月相关业务培训"},
                                  expected_version=4)
    (other,) = _at(ts, "repeated-text", "30")
    assert other["actual"] == "会议会议" and other["status"] == "open" and other["id"] != left["id"]


def test_renaming_the_unit_or_an_added_indicator_keeps_the_statuses(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    statuses = {f["id"]: ("rejected", f"理由{n}") for n, f in enumerate(ts["findings"])}
    for ident, (status, reason) in statuses.items():
        findings.set_finding_status(ctx, ident, status, reason)

    # the unit's name is in every subject of the set (set-level and indicator findings)
    ts = editing.update_target_set(ctx, ts_id, {"unit": "株洲市渌口区政务服务中心"}, expected_version=1)
    assert {f["id"]: (f["status"], f["reason"]) for f in ts["findings"]} == statuses
    assert all(f["subject"].startswith("单位“株洲市渌口区政务服务中心”") for f in ts["findings"])

    # an indicator added by an edit (location <file>:新增指标<id>), then renamed
    ts = editing.add_indicator(ctx, ts_id, {"level1": "效益指标", "level2": "社会效益", "name": "群众获得感",
                                            "target_text": "提升"}, expected_version=2)
    added = _by_name(ts, "群众获得感")
    assert added["location"].endswith(f":新增指标{added['id']}")
    here = {f["code"]: f for f in ts["findings"] if f["location"] == added["location"]}
    assert sorted(here) == ["indicator-field-missing", "vague-target"]  # no 指标值类型 given
    vague = here["vague-target"]
    findings.set_finding_status(ctx, vague["id"], "rejected", "分档见附件")
    ts = editing.update_indicator(ctx, ts_id, added["id"], {"name": "群众办事获得感"}, expected_version=3)
    now = {f["code"]: f for f in ts["findings"] if f["location"] == added["location"]}
    kept = now["vague-target"]
    assert (kept["id"], kept["status"], kept["reason"]) == (vague["id"], "rejected", "分档见附件")
    assert kept["subject"].endswith("/群众办事获得感")
    assert now["indicator-field-missing"]["id"] == here["indicator-field-missing"]["id"]
    assert {f["id"]: (f["status"], f["reason"]) for f in ts["findings"] if f["id"] in statuses} == statuses


def test_a_name_still_too_long_keeps_its_status_a_new_value_with_the_rename_is_a_new_finding(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    row = _by_name(ts, "培训场次")
    long_name = "按计划组织开展的政务服务业务培训场次" * 6  # 108 字
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": long_name}, expected_version=1)
    (too_long,) = _at(ts, "indicator-name-too-long", "30")
    assert "108 字" in too_long["message"]
    findings.set_finding_status(ctx, too_long["id"], "rejected", "名称须列明全部内容")

    # shortened but still over 100: the message changes (its length), the finding and status stay
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": long_name[:-3]}, expected_version=2)
    (kept,) = _at(ts, "indicator-name-too-long", "30")
    assert (kept["id"], kept["status"], kept["reason"]) == (too_long["id"], "rejected", "名称须列明全部内容")
    assert "105 字" in kept["message"]
    # under 100: fixed by the rename, gone
    ts = editing.update_indicator(ctx, ts_id, row["id"], {"name": "培训场次"}, expected_version=3)
    assert _at(ts, "indicator-name-too-long", "30") == []

    # a vague target renamed and given another vague value in one save: it quotes another value, so
    # it is another finding (open); renamed alone it would have kept its status
    (vague,) = _at(ts, "vague-target", "37")
    findings.set_finding_status(ctx, vague["id"], "rejected", "见评分标准")
    ts = editing.update_indicator(ctx, ts_id, _by_name(ts, "便民服务水平提升")["id"],
                                  {"name": "便民服务水平", "target_text": "有效"}, expected_version=4)
    (other,) = _at(ts, "vague-target", "37")
    assert (other["actual"], other["status"]) == ("有效", "open") and other["id"] != vague["id"]

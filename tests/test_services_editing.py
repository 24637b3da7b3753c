"""Editing target sets through the service: re-parsed values, rules on every save, findings kept
by fingerprint, optimistic concurrency (409 with the current state), drafts only, audit."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import select

from jixiao.services import audit
from jixiao.services import editing
from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Conflict
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.store import schema as db
from tests.conftest import DATA
from tests.conftest import seed

SEED = seed("000").name
REAL = DATA / "real"


def _imported(database) -> tuple[Ctx, int, int]:
    """Seed 000 imported under its department: (ctx, document id, the unit's target set id)."""
    ctx = Ctx(database)
    with database.session() as s:
        region = orgs.add_org(s, name="湖南省", level="region", code="43")
        orgs.add_org(s, name="株洲市渌口区行政审批服务局", level="department", parent=region, code="152")
    doc = imports.import_path(ctx, seed("000"), org="152", year=2026)["id"]
    with database.session(write=False) as s:
        ts_id = s.scalar(select(db.TargetSet.id).where(db.TargetSet.document_id == doc, db.TargetSet.position == 0,
                                                        db.TargetSet.unit.is_not(None)))
    return ctx, doc, ts_id


def _by_name(ts: dict, name: str) -> dict:
    (found,) = [i for i in ts["indicators"] if i["name"] == name]
    return found


def _codes(ts: dict) -> list[tuple[str, str]]:
    return [(f["code"], f["location"].rsplit(":", 1)[-1]) for f in ts["findings"]]


def test_import_attributes_findings_to_their_target_set(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    assert ts["row_version"] == 1 and ts["etag"] == '"1"' and ts["editable"] is True
    assert ts["unit"] == "株洲市渌口区行政审批服务局" and ts["amounts"]["total"] == "580.25"
    assert [i["name"] for i in ts["indicators"]][:3] == ["各项支出总额", "服务面积", "培训场次"]
    assert _codes(ts) == [("amounts-missing", "24"), ("unit-invalid", "29"), ("vague-target", "36"),
                          ("vague-target", "37"), ("vague-target", "39")]
    with database.session(write=False) as s:
        project_set = s.scalars(select(db.Finding.code).where(db.Finding.target_set_id != ts_id)).all()
        assert "row-realigned" in project_set and "amounts-missing" not in project_set


def test_an_edited_target_is_reparsed_and_rechecked(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    area, count = _by_name(ts, "服务面积"), _by_name(ts, "政务大厅办件量")

    # the unit cell corrected: 平方 → 平方米, and the unit-invalid finding goes
    ts = editing.update_indicator(ctx, ts_id, area["id"], {"unit_text": "平方米"}, expected_version=1)
    assert ts["row_version"] == 2 and _by_name(ts, "服务面积")["unit"] == "平方米"
    assert ("unit-invalid", "29") not in _codes(ts)

    # the value made to contradict its explanation (达到10万件以上): parsed as printed, then flagged
    ts = editing.update_indicator(ctx, ts_id, count["id"], {"target_text": "不少于8.5万件"}, expected_version=2)
    edited = _by_name(ts, "政务大厅办件量")
    assert (edited["target_text"], edited["op"], edited["value"], edited["unit"], edited["kind"]) == \
        ("不少于8.5万件", "≥", "8.5", "万件", "quantitative")
    (mismatch,) = [f for f in ts["findings"] if f["code"] == "value-explanation-mismatch"]
    assert mismatch["location"] == f"{SEED}:31" and "8.5万件" in mismatch["message"] and mismatch["status"] == "open"

    # a weight on one indicator only: the weights no longer add up
    ts = editing.update_indicator(ctx, ts_id, count["id"], {"weight": "12.50"}, expected_version=3)
    assert _by_name(ts, "政务大厅办件量")["weight"] == "12.50"
    (weights,) = [f for f in ts["findings"] if f["code"] == "weights-sum"]
    assert "12.5" in weights["message"]

    with database.session(write=False) as s:
        stored = s.get(db.Document, doc)
        rows = s.scalars(select(db.Finding).where(db.Finding.document_id == doc)).all()
        assert stored.n_error + stored.n_warning + stored.n_info == len(rows)
        assert sorted(f.code for f in rows if f.target_set_id == ts_id) == sorted(c for c, _ in _codes(ts))
        shown = stored.parsed["tables"][0]["target_sets"][0]["indicators"]
        assert [i for i in shown if i["name"] == "政务大厅办件量"][0]["text"] == "不少于8.5万件"
        row = s.get(db.Indicator, count["id"])
        assert row.value == Decimal("8.5") and row.weight == Decimal("12.50")


def test_a_findings_review_status_survives_an_edit(database):
    ctx, doc, ts_id = _imported(database)
    with database.session() as s:
        vague = s.scalars(select(db.Finding).where(db.Finding.target_set_id == ts_id,
                                                   db.Finding.code == "vague-target")).first()
        vague.status, vague.reason, vague_id = "rejected", "提升即为目标", vague.id
    ts = editing.get_target_set(ctx, ts_id)
    ts = editing.update_indicator(ctx, ts_id, _by_name(ts, "培训场次")["id"], {"remark": "每月1场"},
                                  expected_version=1)
    (kept,) = [f for f in ts["findings"] if f["id"] == vague_id]
    assert (kept["status"], kept["reason"], kept["status_label"]) == ("rejected", "提升即为目标", "不予采纳")
    assert len(ts["findings"]) == 5


def test_the_second_save_of_the_same_version_gets_a_conflict_with_the_current_state(database):
    ctx, doc, ts_id = _imported(database)
    alice = editing.get_target_set(ctx, ts_id)
    bob = editing.get_target_set(ctx, ts_id)
    training = _by_name(alice, "培训场次")["id"]
    editing.update_indicator(ctx, ts_id, training, {"target_text": "24"}, expected_version=alice["row_version"])
    with pytest.raises(Conflict) as caught:
        editing.update_indicator(ctx, ts_id, training, {"target_text": "30"}, expected_version=bob["row_version"])
    assert caught.value.status == 409 and caught.value.code == "conflict"
    current = caught.value.detail
    assert current["row_version"] == 2 and _by_name(current, "培训场次")["target_text"] == "24"
    assert editing.get_target_set(ctx, ts_id)["indicators"] == current["indicators"]  # nothing lost
    again = editing.update_indicator(ctx, ts_id, training, {"explanation": "每月2场"},
                                     expected_version=current["row_version"])
    assert _by_name(again, "培训场次")["target_text"] == "24" and again["row_version"] == 3
    with pytest.raises(Invalid):
        editing.update_indicator(ctx, ts_id, training, {"remark": "x"}, expected_version=None)


def test_two_sessions_saving_at_once_one_wins_the_other_conflicts(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    training = _by_name(ts, "培训场次")["id"]
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def save(who: str, text: str) -> None:
        start.wait()
        try:
            outcome[who] = editing.update_indicator(ctx, ts_id, training, {"target_text": text}, expected_version=1)
        except Conflict as exc:
            outcome[who] = exc

    threads = [threading.Thread(target=save, args=(who, text)) for who, text in (("a", "21"), ("b", "22"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    won = [v for v in outcome.values() if isinstance(v, dict)]
    lost = [v for v in outcome.values() if isinstance(v, Conflict)]
    assert len(won) == 1 and len(lost) == 1
    final = editing.get_target_set(ctx, ts_id)
    assert final["row_version"] == 2
    assert _by_name(final, "培训场次")["target_text"] == _by_name(won[0], "培训场次")["target_text"]
    assert lost[0].detail["row_version"] == 2
    with database.session(write=False) as s:
        edits = s.scalars(select(db.AuditEntry).where(db.AuditEntry.action == "indicator.update")).all()
        assert len(edits) == 1


def test_reorder_delete_add_and_replace(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    ids = [i["id"] for i in ts["indicators"]]
    ts = editing.reorder_indicators(ctx, ts_id, list(reversed(ids)), expected_version=1)
    assert [i["id"] for i in ts["indicators"]] == list(reversed(ids))
    assert [i["position"] for i in ts["indicators"]] == list(range(len(ids)))
    with pytest.raises(Invalid):
        editing.reorder_indicators(ctx, ts_id, ids[:-1], expected_version=2)

    vague = _by_name(ts, "政务服务制度完善度")["id"]
    ts = editing.delete_indicator(ctx, ts_id, vague, expected_version=2)
    assert vague not in [i["id"] for i in ts["indicators"]] and ("vague-target", "39") not in _codes(ts)
    assert [i["position"] for i in ts["indicators"]] == list(range(len(ids) - 1))
    with pytest.raises(NotFound):
        editing.delete_indicator(ctx, ts_id, vague, expected_version=3)

    ts = editing.add_indicator(ctx, ts_id, {"level1": "产出指标", "level2": "数量指标", "name": "窗口服务人次",
                                            "target_text": "≥ 5,000人次", "explanation": "全年"},
                               expected_version=3)
    added = ts["indicators"][-1]
    assert (added["name"], added["op"], added["value"], added["unit"]) == ("窗口服务人次", "≥", "5000", "人次")
    assert added["location"] == f"{SEED}:新增指标{added['id']}"

    # the whole list saved at once: the first two swapped, one changed, one new, the rest dropped
    first, second = ts["indicators"][0], ts["indicators"][1]
    items = [second, {**first, "target_text": "≤600"}, {"level1": "满意度指标", "level2": "服务对象满意度",
                                                       "name": "企业满意度", "target_text": "≥90%"}]
    ts = editing.replace_indicators(ctx, ts_id, items, expected_version=4)
    assert [i["name"] for i in ts["indicators"]] == [second["name"], first["name"], "企业满意度"]
    assert ts["indicators"][1]["value"] == "600" and ts["indicators"][2]["unit"] == "%"
    with database.session(write=False) as s:
        assert len(s.scalars(select(db.Indicator).where(db.Indicator.target_set_id == ts_id)).all()) == 3
    entries = audit.list_entries(ctx, object=f"target_set:{ts_id}")["items"]
    assert [e["action"] for e in reversed(entries)] == ["indicator.reorder", "indicator.delete", "indicator.add",
                                                       "indicators.replace"]
    reorder, delete, add, replace = reversed(entries)
    assert reorder["before"]["order"] == ids and reorder["after"]["order"] == list(reversed(ids))
    assert delete["before"]["indicator"]["name"] == "政务服务制度完善度" and delete["after"]["row_version"] == 3
    assert add["after"]["indicator"]["target_text"] == "≥ 5,000人次"
    assert [i["name"] for i in replace["after"]["indicators"]] == [second["name"], first["name"], "企业满意度"]
    assert len(replace["before"]["indicators"]) == len(ids)


def test_parsed_fields_follow_the_text(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    count = _by_name(ts, "政务大厅办件量")
    # the indicator as read, sent back with one printed field changed: accepted
    ts = editing.update_indicator(ctx, ts_id, count["id"], {**count, "explanation": "全年办件"}, expected_version=1)
    assert _by_name(ts, "政务大厅办件量")["explanation"] == "全年办件"
    with pytest.raises(Invalid) as caught:
        editing.update_indicator(ctx, ts_id, count["id"], {"value": "12"}, expected_version=2)
    assert caught.value.code == "derived_field"
    with pytest.raises(Invalid):
        editing.update_indicator(ctx, ts_id, count["id"], {"weight": "十分"}, expected_version=2)
    with pytest.raises(Invalid):
        editing.update_indicator(ctx, ts_id, count["id"], {"colour": "red"}, expected_version=2)
    with pytest.raises(Invalid):
        editing.update_indicator(ctx, ts_id, count["id"], {"name": " "}, expected_version=2)
    assert editing.get_target_set(ctx, ts_id)["row_version"] == 2  # refused edits change nothing


def test_target_set_fields_and_amounts_exact(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.update_target_set(ctx, ts_id, {"amounts": {"general_budget": "580.25", "basic": "480.10",
                                                            "project": "100.15"}, "goal": "提升政务服务效能"},
                                   expected_version=1)
    assert ts["amounts"]["general_budget"] == "580.25" and ts["amounts"]["project"] == "100.15"
    assert ts["goal"] == "提升政务服务效能"
    assert ("amounts-missing", "24") not in _codes(ts)
    ts = editing.update_target_set(ctx, ts_id, {"amounts": {"project": "101.15"}}, expected_version=2)
    assert any(f["code"] == "amount-sum-mismatch" for f in ts["findings"])
    with pytest.raises(Invalid):
        editing.update_target_set(ctx, ts_id, {"amounts": {"total": "五百"}}, expected_version=3)
    with pytest.raises(Invalid):
        editing.update_target_set(ctx, ts_id, {"amounts_unit": "千元"}, expected_version=3)
    entries = audit.list_entries(ctx, object=f"target_set:{ts_id}")["items"]
    assert [e["action"] for e in entries] == ["target_set.update", "target_set.update"]
    assert entries[0]["before"]["amounts"]["project"] == "100.15"
    assert entries[0]["after"]["amounts"]["project"] == "101.15"
    assert (entries[0]["before"]["row_version"], entries[0]["after"]["row_version"]) == (2, 3)


def test_editing_is_refused_once_submitted(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    first = ts["indicators"][0]["id"]
    for state in ("submitted", "dept_approved", "approved", "published"):
        with database.session() as s:
            s.get(db.Document, doc).state = state
        with pytest.raises(Conflict) as caught:
            editing.update_indicator(ctx, ts_id, first, {"remark": "改"}, expected_version=1)
        assert caught.value.code == "not_editable" and "已提交的文档不能修改" in caught.value.message
        assert editing.get_target_set(ctx, ts_id)["editable"] is False
    with database.session() as s:
        s.get(db.Document, doc).state = "returned"
    ts = editing.update_indicator(ctx, ts_id, first, {"remark": "改"}, expected_version=1)
    assert ts["indicators"][0]["remark"] == "改"


def test_an_old_version_cannot_be_edited(database, tmp_path):
    ctx, doc, ts_id = _imported(database)
    corrected = tmp_path / SEED
    corrected.write_text(seed("000").read_text(encoding="utf-8").replace("培训场次\t≥\t20", "培训场次\t≥\t24", 1),
                         encoding="utf-8")
    imports.import_path(ctx, corrected, org="152", year=2026)
    with pytest.raises(Conflict) as caught:
        editing.update_indicator(ctx, ts_id, editing.get_target_set(ctx, ts_id)["indicators"][0]["id"],
                                 {"remark": "x"}, expected_version=1)
    assert caught.value.code == "not_current"


def test_scope_and_permission(database):
    ctx, doc, ts_id = _imported(database)
    with database.session() as s:
        other = orgs.add_org(s, name="别的部门", level="department", parent=s.get(db.Org, 1), code="999")
        dept = s.scalar(select(db.Org).where(db.Org.code == "152"))
        stranger = Actor(user_id=None, username="stranger", role="unit_filer", org_id=other.id, org_path=other.path)
        reader = Actor(user_id=None, username="reader", role="auditor", org_id=dept.id, org_path=dept.path)
        filer = Actor(user_id=None, username="filer", role="unit_filer", org_id=dept.id, org_path=dept.path)
    with pytest.raises(NotFound):
        editing.get_target_set(Ctx(database, stranger), ts_id)
    with pytest.raises(NotFound):
        editing.update_target_set(Ctx(database, stranger), ts_id, {"goal": "x"}, expected_version=1)
    assert editing.get_target_set(Ctx(database, reader), ts_id)["id"] == ts_id
    with pytest.raises(Forbidden):
        editing.update_target_set(Ctx(database, reader), ts_id, {"goal": "x"}, expected_version=1)
    with pytest.raises(NotFound):
        editing.get_target_set(ctx, 999999)
    ts = editing.update_target_set(Ctx(database, filer), ts_id, {"goal": "新目标"}, expected_version=1)
    (entry,) = audit.list_entries(ctx, object=f"target_set:{ts_id}")["items"]
    assert entry["user"] == "filer" and entry["after"]["goal"] == "新目标" and ts["row_version"] == 2


def test_the_sets_of_a_document_read_at_once_equal_each_read_alone(database):
    ctx, doc, ts_id = _imported(database)
    with database.session(write=False) as s:
        ids = list(s.scalars(select(db.TargetSet.id).where(db.TargetSet.document_id == doc)
                             .order_by(db.TargetSet.position.desc())))
        other = orgs.add_org(s, name="别的部门", level="department", parent=s.get(db.Org, 1), code="998")
    assert len(ids) > 1
    editing.update_indicator(ctx, ts_id, editing.get_target_set(ctx, ts_id)["indicators"][2]["id"],
                             {"unit_text": "平方米"}, expected_version=1)  # a set whose version and order moved
    editing.move_indicator(ctx, ts_id, editing.get_target_set(ctx, ts_id)["indicators"][3]["id"], -1,
                           expected_version=2)
    together = editing.get_target_sets(ctx, ids)
    assert together == [editing.get_target_set(ctx, i) for i in ids]
    assert [ts["id"] for ts in together] == ids and sum(len(ts["findings"]) for ts in together) > 5
    assert editing.get_target_sets(ctx, []) == []
    stranger = Actor(user_id=None, username="stranger", role="unit_filer", org_id=other.id, org_path=other.path)
    with pytest.raises(NotFound):
        editing.get_target_sets(Ctx(database, stranger), ids)
    with pytest.raises(NotFound):
        editing.get_target_sets(ctx, [*ids, 999999])


@pytest.mark.parametrize("source", [seed("002"), REAL / "gd_shenzhen_songgang_street_2023_project_target_tables_set1_filled.xlsx"],
                         ids=["text", "xlsx"])
def test_an_edit_that_changes_nothing_the_rules_see_keeps_every_finding(database, source):
    """Findings are found where the import found them, after an edit as at import (seed 002's
    header text 高效高效 in 年度绩效目标; a workbook's cells): every set edited, the document's
    findings stay the same rows, none duplicated, none lost."""
    ctx = Ctx(database)
    with database.session() as s:
        orgs.add_org(s, name="湖南省", level="region", code="43")
    doc = imports.import_path(ctx, source, org="43", year=2023)["id"]
    with database.session(write=False) as s:
        sets = s.scalars(select(db.TargetSet.id).where(db.TargetSet.document_id == doc)
                         .order_by(db.TargetSet.table_id, db.TargetSet.position)).all()
        before = {(f.id, f.code, f.location) for f in s.scalars(select(db.Finding).where(db.Finding.document_id == doc))}
    assert len(before) > 20 and any(code in ("repeated-text", "vague-target") for _, code, _ in before)
    for ts_id in sets:
        ts = editing.get_target_set(ctx, ts_id)
        if ts["indicators"]:
            editing.update_indicator(ctx, ts_id, ts["indicators"][0]["id"], {"remark": "已核对"},
                                     expected_version=ts["row_version"])
    with database.session(write=False) as s:
        after = {(f.id, f.code, f.location) for f in s.scalars(select(db.Finding).where(db.Finding.document_id == doc))}
    assert after == before


def test_two_sets_of_one_document_saved_at_once_both_succeed(database):
    """Each save recounts the document's findings: the document row is taken first, so the two
    saves queue instead of one failing on the document's version."""
    ctx, doc, ts_id = _imported(database)
    with database.session(write=False) as s:
        other = s.scalar(select(db.TargetSet.id).where(db.TargetSet.document_id == doc, db.TargetSet.id != ts_id))
    sets = [editing.get_target_set(ctx, i) for i in (ts_id, other)]
    start = threading.Barrier(2)
    outcome: list[object] = []

    def save(ts: dict) -> None:
        start.wait()
        try:
            outcome.append(editing.update_indicator(ctx, ts["id"], ts["indicators"][0]["id"], {"unit_text": "平方"},
                                                    expected_version=1))
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
            outcome.append(exc)

    threads = [threading.Thread(target=save, args=(ts,)) for ts in sets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [type(o) for o in outcome] == [dict, dict], outcome
    with database.session(write=False) as s:
        stored = s.get(db.Document, doc)
        rows = s.scalars(select(db.Finding).where(db.Finding.document_id == doc)).all()
        assert stored.n_error + stored.n_warning + stored.n_info == len(rows)
        assert sum(f.code == "unit-invalid" for f in rows) == 3  # 服务面积 (imported) + both edited cells


def test_move_an_indicator_one_place_and_not_past_either_end(database):
    ctx, _doc, ts_id = _imported(database)
    ids = [i["id"] for i in editing.get_target_set(ctx, ts_id)["indicators"]]
    ts = editing.move_indicator(ctx, ts_id, ids[1], -1, expected_version=1)
    assert [i["id"] for i in ts["indicators"]] == [ids[1], ids[0], *ids[2:]]
    ts = editing.move_indicator(ctx, ts_id, ids[1], -1, expected_version=ts["row_version"])  # already first
    assert [i["id"] for i in ts["indicators"]] == [ids[1], ids[0], *ids[2:]]
    ts = editing.move_indicator(ctx, ts_id, ids[-1], 1, expected_version=ts["row_version"])  # already last
    assert [i["id"] for i in ts["indicators"]][-1] == ids[-1]
    with pytest.raises(Conflict):
        editing.move_indicator(ctx, ts_id, ids[2], 1, expected_version=1)

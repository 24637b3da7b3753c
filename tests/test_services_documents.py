"""Stored documents through the service: filters, pages, scope, versions and their difference,
the original file."""

from __future__ import annotations

import pytest

from jixiao.services import documents
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from tests.conftest import seed
from tests.flow_setup import region


@pytest.fixture
def stocked(database):
    """000 and 003 for U1 (2026, 2025), 004 for U2 (2025), 001 for D itself (2023)."""
    r = region(database)
    ids = {
        "000": r.load("000", "U1", 2026)["id"],
        "003": r.load("003", "U1", 2025)["id"],
        "004": r.load("004", "U2", 2025)["id"],
        "001": r.load("001", "D", 2023)["id"],
    }
    return r, ids


def _ids(result) -> set[int]:
    return {d["id"] for d in result["items"]}


def test_filters(stocked):
    r, ids = stocked
    ctx = r.ctx("admin")
    everything = documents.list_documents(ctx)
    assert everything["total"] == 4 and _ids(everything) == set(ids.values())
    assert _ids(documents.list_documents(ctx, year=2025)) == {ids["003"], ids["004"]}
    assert _ids(documents.list_documents(ctx, year="2023")) == {ids["001"]}
    assert _ids(documents.list_documents(ctx, org="U1")) == {ids["000"], ids["003"]}
    assert _ids(documents.list_documents(ctx, org="D")) == set(ids.values())  # the subtree
    assert _ids(documents.list_documents(ctx, org="第二服务中心")) == {ids["004"]}
    assert _ids(documents.list_documents(ctx, kind="targets")) == {ids["000"], ids["004"]}
    assert _ids(documents.list_documents(ctx, kind="targets,budget_disclosure")) == {ids["000"], ids["004"], ids["001"]}
    assert documents.list_documents(ctx, state="submitted")["total"] == 0
    assert documents.list_documents(ctx, state="draft")["total"] == 4
    # 000 and 001 have error findings; 003 and 004 none
    assert _ids(documents.list_documents(ctx, severity="error")) == {ids["000"], ids["001"]}
    with_code = documents.list_documents(ctx, code="org-differs")  # imported into a unit that is not the one named
    assert ids["000"] in _ids(with_code) and ids["001"] not in _ids(with_code)
    assert documents.list_documents(ctx, code="no-such-code")["total"] == 0
    summary = next(d for d in everything["items"] if d["id"] == ids["000"])
    assert summary["org"] == {"id": summary["org"]["id"], "code": "U1", "name": "第一服务中心"}
    assert summary["state"] == "draft" and summary["state_label"] == "草稿" and summary["is_current"] is True
    assert summary["findings"]["error"] == 1 and summary["kind"] == "targets" and summary["year"] == 2026
    for bad in ({"state": "nonsense"}, {"severity": "fatal"}, {"year": "二〇二五"}, {"limit": 0}, {"offset": -1}):
        with pytest.raises(Invalid):
            documents.list_documents(ctx, **bad)
    with pytest.raises(NotFound):
        documents.list_documents(ctx, org="no such org")


def test_pagination(stocked):
    r, ids = stocked
    ctx = r.ctx("finance")
    pages = [documents.list_documents(ctx, limit=3, offset=o) for o in (0, 3, 6)]
    assert [len(p["items"]) for p in pages] == [3, 1, 0]
    assert all(p["total"] == 4 for p in pages)
    seen = [d["id"] for p in pages for d in p["items"]]
    assert seen == sorted(ids.values(), reverse=True)  # newest first, no repeats across pages


def test_scope(stocked):
    r, ids = stocked
    assert _ids(documents.list_documents(r.ctx("unit1"))) == {ids["000"], ids["003"]}
    assert _ids(documents.list_documents(r.ctx("unit2"))) == {ids["004"]}
    assert _ids(documents.list_documents(r.ctx("dept"))) == set(ids.values())
    # the sibling unit's document does not exist for U2's filer, by every way in
    for call in (lambda: documents.get_document(r.ctx("unit2"), ids["000"]),
                 lambda: documents.document_versions(r.ctx("unit2"), ids["000"]),
                 lambda: documents.source_file(r.ctx("unit2"), ids["000"]),
                 lambda: documents.diff_versions(r.ctx("unit2"), ids["000"], ids["000"])):
        with pytest.raises(NotFound):
            call()
    # nor the department's own document, above the unit
    with pytest.raises(NotFound):
        documents.get_document(r.ctx("unit1"), ids["001"])
    # an organisation outside the scope is unknown as a filter too
    with pytest.raises(NotFound):
        documents.list_documents(r.ctx("unit2"), org="U1")
    with pytest.raises(NotFound):
        documents.get_document(r.ctx("admin"), 999999)


def test_get_document_is_the_parse_contract_with_its_state(stocked):
    r, ids = stocked
    doc = documents.get_document(r.ctx("unit1"), ids["000"])
    assert doc["id"] == ids["000"] and doc["kind"] == "targets" and doc["version"] == 1
    assert doc["state"] == "draft" and doc["state_label"] == "草稿" and doc["editable"] is True
    assert doc["org"]["code"] == "U1" and doc["org_text"] == "株洲市渌口区行政审批服务局"
    assert doc["process"] == "绩效目标申报" and doc["allowed"] == ["submit"]
    table = doc["tables"][0]
    assert table["target_sets"][0]["indicators"][0]["name"] == "各项支出总额"
    assert doc["findings"] == {"error": 1, "warning": 7, "info": doc["findings"]["info"]}
    assert doc["versions"] == [{"id": ids["000"], "version": 1, "created_at": doc["created_at"], "is_current": True,
                                "state": "draft", "state_label": "草稿", "name": seed("000").name,
                                "findings": doc["findings"]}]
    assert len(doc["target_set_refs"]) == 2 and doc["target_set_refs"][1]["project"] == "政务大厅运行经费"
    assert documents.get_document(r.ctx("auditor"), ids["000"])["allowed"] == []
    facts = documents.get_document(r.ctx("unit1"), ids["000"], parsed=False)  # the 审核 page: no parse JSON
    assert "tables" not in facts and "org_text" not in facts
    assert facts == {k: v for k, v in doc.items() if k in facts} and facts["target_set_refs"] == doc["target_set_refs"]
    assert set(doc) - set(facts) >= {"tables", "org_text"} and "versions" in facts and "allowed" in facts


def test_source_file_is_the_original(stocked):
    r, ids = stocked
    name, data, fmt = documents.source_file(r.ctx("unit1"), ids["000"])
    assert name == seed("000").name and data == seed("000").read_bytes() and fmt == "text"


def _corrected(tmp_path):
    text = seed("000").read_text(encoding="utf-8")
    changed = text.replace("培训场次\t≥\t20", "培训场次\t≥\t24", 1)
    changed = changed.replace("\t\t政务大厅办件量\t≥\t10\t万件\t政务大厅办件量达到10万件以上\t\n", "", 1)
    changed = changed.replace("\t质量指标\t政府服务好评率",
                              "\t\t窗口咨询量\t≥\t5\t万件\t新增的指标\t\n\t质量指标\t政府服务好评率", 1)
    assert changed.count("\n") == text.count("\n")  # one line removed, one added
    path = tmp_path / "000-corrected.txt"
    path.write_text(changed, encoding="utf-8")
    return path


def test_versions_and_their_difference(database, tmp_path):
    r = region(database)
    old = r.load("000", "U1", 2026)
    new = r.load(_corrected(tmp_path), "U1", 2026)
    assert new["version"] == 2
    versions = documents.document_versions(r.ctx("unit1"), old["id"])
    assert [(v["id"], v["version"], v["is_current"]) for v in versions["items"]] == \
        [(old["id"], 1, False), (new["id"], 2, True)]
    assert documents.get_document(r.ctx("unit1"), new["id"])["versions"] == versions["items"]
    # only the current version is listed unless asked
    assert _ids(documents.list_documents(r.ctx("unit1"))) == {new["id"]}
    assert _ids(documents.list_documents(r.ctx("unit1"), current_only=False)) == {old["id"], new["id"]}

    diff = documents.diff_versions(r.ctx("unit1"), old["id"], new["id"])
    assert diff["old"] == {"id": old["id"], "version": 1} and diff["new"] == {"id": new["id"], "version": 2}
    (changed,) = diff["target_sets"]  # the project's target set did not change
    assert changed["key"] == "株洲市渌口区行政审批服务局（整体）" and changed["status"] == "changed"
    by_name = {i["key"][2]: i for i in changed["indicators"]}
    assert set(by_name) == {"培训场次", "政务大厅办件量", "窗口咨询量"}
    assert by_name["培训场次"] == {"key": ["产出指标", "数量指标", "培训场次"], "status": "changed",
                                "changes": {"target_text": ["20", "24"], "value": ["20", "24"]}}
    assert by_name["政务大厅办件量"]["status"] == "removed"
    assert by_name["政务大厅办件量"]["changes"]["value"] == ["10", None]
    assert by_name["窗口咨询量"]["status"] == "added"
    assert by_name["窗口咨询量"]["changes"]["explanation"] == [None, "新增的指标"]
    # the other way round, added and removed swap
    back = documents.diff_versions(r.ctx("unit1"), new["id"], old["id"])
    statuses = {i["key"][2]: i["status"] for i in back["target_sets"][0]["indicators"]}
    assert statuses == {"培训场次": "changed", "政务大厅办件量": "added", "窗口咨询量": "removed"}
    assert documents.diff_versions(r.ctx("unit1"), old["id"], old["id"])["target_sets"] == []


def test_diff_needs_two_versions_of_one_series(database):
    r = region(database)
    a = r.load("000", "U1", 2026)
    other_kind = r.load("003", "U1", 2026)  # a self-evaluation report of the same unit and year
    other_unit = r.load("000", "U2", 2026)  # the same file for the sibling unit
    other_year = r.load("000", "U1", 2025)
    for other in (other_kind, other_unit, other_year):
        assert other["id"] != a["id"]
        with pytest.raises(Invalid):
            documents.diff_versions(r.ctx("admin"), a["id"], other["id"])

"""Findings through the service: lists, filters, scope, review status (audited), and the list
exports (CSV with a BOM, XLSX) read back."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from jixiao.services import audit
from jixiao.services import documents
from jixiao.services import exports
from jixiao.services import findings
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.store import schema as db
from tests.flow_setup import region


@pytest.fixture
def stocked(database):
    r = region(database)
    return r, {"000": r.load("000", "U1", 2026), "004": r.load("004", "U2", 2025), "001": r.load("001", "D", 2023)}


def test_findings_of_a_document_and_filters(stocked, database):
    r, docs = stocked
    ctx = r.ctx("admin")
    d000 = docs["000"]
    mine = findings.list_findings(ctx, document_id=d000["id"], limit=1000)
    assert mine["total"] == sum(d000["findings"].values()) == len(mine["items"])
    item = mine["items"][0]
    assert set(item) >= {"id", "document_id", "code", "severity", "message", "location", "subject", "expected",
                         "actual", "status", "status_label", "reason", "status_by", "status_at"}
    assert item["status"] == "open" and item["status_label"] == "待处理" and item["document_id"] == d000["id"]
    errors = findings.list_findings(ctx, severity="error", limit=1000)
    assert errors["total"] == d000["findings"]["error"] + docs["001"]["findings"]["error"]
    assert {f["severity"] for f in errors["items"]} == {"error"}
    assert findings.list_findings(ctx, org="U2")["total"] == sum(docs["004"]["findings"].values())
    assert findings.list_findings(ctx, year=2026)["total"] == mine["total"]
    code = item["code"]
    by_code = findings.list_findings(ctx, code=code, limit=1000)
    assert by_code["total"] > 0 and {f["code"] for f in by_code["items"]} == {code}
    # pages
    first, second = (findings.list_findings(ctx, document_id=d000["id"], limit=5, offset=o) for o in (0, 5))
    assert [f["id"] for f in first["items"] + second["items"]] == [f["id"] for f in mine["items"][:10]]
    for bad in ({"status": "done"}, {"severity": "bad"}, {"limit": 5000}):
        with pytest.raises(Invalid):
            findings.list_findings(ctx, **bad)


def test_scope(stocked):
    r, docs = stocked
    visible = findings.list_findings(r.ctx("unit1"), limit=1000)
    assert {f["document_id"] for f in visible["items"]} == {docs["000"]["id"]}
    with pytest.raises(NotFound):
        findings.list_findings(r.ctx("unit2"), document_id=docs["000"]["id"])
    fid = visible["items"][0]["id"]
    with pytest.raises(NotFound):
        findings.set_finding_status(r.ctx("unit2"), fid, "fixed")
    with pytest.raises(NotFound):
        findings.set_finding_status(r.ctx("unit1"), 999999, "fixed")


def test_status_changes_are_checked_recorded_and_audited(stocked, database):
    r, docs = stocked
    ctx = r.ctx("unit1")
    fid = findings.list_findings(ctx, document_id=docs["000"]["id"], severity="error")["items"][0]["id"]
    with pytest.raises(Invalid):
        findings.set_finding_status(ctx, fid, "rejected")  # 不予采纳 needs a reason
    with pytest.raises(Invalid):
        findings.set_finding_status(ctx, fid, "ignored")
    with pytest.raises(Forbidden):
        findings.set_finding_status(r.ctx("auditor"), fid, "fixed")
    out = findings.set_finding_status(ctx, fid, "rejected", reason="该指标按上级文件口径填写")
    assert (out["status"], out["status_label"], out["reason"], out["status_by"]) == \
        ("rejected", "不予采纳", "该指标按上级文件口径填写", "unit1")
    assert out["status_at"]
    listed = findings.list_findings(r.ctx("dept"), status="rejected")
    assert [f["id"] for f in listed["items"]] == [fid] and listed["items"][0]["status_by"] == "unit1"
    out = findings.set_finding_status(r.ctx("finance"), fid, "fixed")
    assert out["status"] == "fixed" and out["reason"] == "该指标按上级文件口径填写" and out["status_by"] == "finance"
    # the document has no open error left: it may be submitted without explanations
    assert findings.list_findings(ctx, document_id=docs["000"]["id"], severity="error", status="open")["total"] == 0
    entries = audit.list_entries(r.ctx("admin"), object=f"finding:{fid}")["items"]
    assert [(e["user"], e["before"]["status"], e["after"]["status"]) for e in entries] == \
        [("finance", "rejected", "fixed"), ("unit1", "open", "rejected")]
    assert entries[1]["comment"] == "该指标按上级文件口径填写"
    with database.session(write=False) as s:
        row = s.get(db.Finding, fid)
        assert (row.status, row.status_by) == ("fixed", r.actors["finance"].user_id)
        assert len(s.scalars(select(db.AuditEntry).where(db.AuditEntry.object_type == "finding")).all()) == 2
    # the sibling unit's filer does not see the entries either
    assert audit.list_entries(r.ctx("unit2"), object=f"finding:{fid}")["items"] == []


def test_exports_read_back(stocked):
    r, docs = stocked
    listed = documents.list_documents(r.ctx("admin"))
    data = exports.export_rows(listed["items"], exports.DOCUMENT_COLUMNS, "csv")
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 by its BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == [header for _k, header in exports.DOCUMENT_COLUMNS]
    assert len(rows) == 1 + listed["total"]
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    d000 = by_id[str(docs["000"]["id"])]
    assert (d000["单位编码"], d000["单位"], d000["状态"], d000["当前版本"], d000["错误"]) == \
        ("U1", "第一服务中心", "草稿", "是", str(docs["000"]["findings"]["error"]))

    book = openpyxl.load_workbook(io.BytesIO(exports.export_rows(listed["items"], exports.DOCUMENT_COLUMNS, "xlsx")))
    sheet = book.active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == rows[0]
    assert [row[0] for row in cells[1:]] == [d["id"] for d in listed["items"]]  # numbers stay numbers
    assert [row[5] for row in cells[1:]] == [d["org"]["name"] for d in listed["items"]]

    items = findings.list_findings(r.ctx("admin"), limit=1000)["items"]
    rows = list(csv.reader(io.StringIO(exports.export_rows(items, exports.FINDING_COLUMNS).decode("utf-8-sig"),
                                       newline="")))
    assert len(rows) == 1 + len(items) and [row[4] for row in rows[1:]] == [f["message"] for f in items]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.export_rows(items, exports.FINDING_COLUMNS, "xlsx"))).active
    assert sheet.max_row == 1 + len(items) and sheet.cell(2, 3).value == items[0]["code"]
    with pytest.raises(Invalid):
        exports.export_rows(items, exports.FINDING_COLUMNS, "pdf")


def test_exports_never_write_formulas():
    items = [{"a": "=HYPERLINK(\"http://x\")", "b": "+1+2", "c": "-3.5", "d": "-x", "e": "第一行\n第二行", "f": None}]
    columns = [(k, k.upper()) for k in "abcdef"]
    rows = list(csv.reader(io.StringIO(exports.export_rows(items, columns).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", "'+1+2", "-3.5", "'-x", "第一行\n第二行", ""]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.export_rows(items, columns, "xlsx"))).active
    assert [c.value for c in sheet[2]] == ["=HYPERLINK(\"http://x\")", "+1+2", "-3.5", "-x", "第一行\n第二行", None]
    assert sheet.cell(2, 1).data_type == "s"  # text, not a formula

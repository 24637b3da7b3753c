"""Official documents out of the database (services/official_documents.py), on SQLite and PostgreSQL:
each kind written from the stored rows and read back by jixiao's own readers, the 审核意见书 prefilled
from the review's statuses, comments and the unit's explanations, scope and refusals."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from jixiao.model.budget import BudgetTable
from jixiao.model.targets import TargetTable
from jixiao.services import comments
from jixiao.services import editing
from jixiao.services import findings
from jixiao.services import imports
from jixiao.services import official_documents as od
from jixiao.services import official_files as of
from jixiao.services import selfevals
from jixiao.services import workflow
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.store import schema as db
from tests.conftest import seed
from tests.flow_setup import region
from tests.write_helpers import compact
from tests.write_helpers import read_back

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _rows(data: bytes) -> list[list[str]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [["" if v is None else str(v) for v in row] for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)]


def test_review_opinion_prefilled_from_the_review(database):
    r = region(database)
    doc = r.load("001", "U1", 2023)["id"]
    with database.session(write=False) as s:
        stored = s.scalars(select(db.Finding).where(db.Finding.document_id == doc).order_by(db.Finding.id)).all()
        errors = [f.id for f in stored if f.severity == "error"]
        warning = next(f for f in stored if f.severity == "warning" and f.location)
        n_findings, location = len(stored), warning.location
    explanations = {fid: f"该项按批复口径填报（{fid}）" for fid in errors}
    workflow.transition(r.ctx("unit1"), doc, "submit", explanations=explanations)
    findings.set_finding_status(r.ctx("dept"), warning.id, "rejected", "口径符合本地规定")
    comments.comment(r.ctx("dept"), doc, location, "请补充测算依据")

    name, media, data = od.review_opinion(r.ctx("auditor"), [doc], "xlsx")  # reading is enough
    assert media == XLSX and name.endswith("_审核意见书.xlsx") and "第一服务中心" in name
    rows = _rows(data)
    items = [row for row in rows if row[0].isdigit()]
    assert [int(row[0]) for row in items] == list(range(1, n_findings + 1))
    responses = {row[7] for row in items if row[7]}
    assert responses == set(explanations.values())
    (rejected,) = [row for row in items if row[6].startswith("不予采纳")]
    assert rejected[6] == "不予采纳：口径符合本地规定；请补充测算依据（dept）"
    assert rejected[5] == (warning.actual or "") and rejected[2] == (warning.subject or "")
    assert any(row[0] == f"错误（{len(errors)} 条）" for row in rows)

    # several documents: the summary counts each
    other = r.load("000", "U1", 2026)["id"]
    name, _media, data = od.review_opinion(r.ctx("admin"), [doc, other], "docx")
    assert name == "审核意见书_2个文件.docx"
    _raw, _doc, _found = read_back(data, name)
    text = compact(" ".join(getattr(b, "text", "") for b in _raw.blocks))
    assert "审核意见书汇总" in text

    with pytest.raises(NotFound):  # the sibling unit sees nothing of U1
        od.review_opinion(r.ctx("unit2"), [doc], "xlsx")
    with pytest.raises(Invalid) as caught:
        od.review_opinion(r.ctx("admin"), [doc], "odt")
    assert caught.value.code == "invalid_format" and "xlsx、docx、pdf" in caught.value.message
    with pytest.raises(Invalid):
        od.review_opinion(r.ctx("admin"), [], "xlsx")


def _stored_sets(database, doc: int) -> list[tuple[str, list[tuple]]]:
    with database.session(write=False) as s:
        sets = s.scalars(select(db.TargetSet).where(db.TargetSet.document_id == doc)
                         .order_by(db.TargetSet.table_id, db.TargetSet.position)).all()
        out = []
        for ts in sets:
            inds = s.scalars(select(db.Indicator).where(db.Indicator.target_set_id == ts.id)
                             .order_by(db.Indicator.position)).all()
            out.append((ts.project or ts.unit, [(i.name, i.value) for i in inds]))
        return out


def _read_sets(data: bytes, name: str) -> list[tuple[str, list[tuple]]]:
    _raw, document, _found = read_back(data, name)
    return [(s.project or s.unit, [(i.name, i.target.value) for i in s.indicators])
            for t in document.tables if isinstance(t, TargetTable) for s in t.target_sets]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_target_table_of_a_document_and_of_one_set(database, fmt):
    r = region(database)
    doc = r.load("000", "U1", 2026)["id"]
    stored = _stored_sets(database, doc)
    name, media, data = od.target_table(r.ctx("unit1"), doc, fmt)
    assert name.endswith(f".{fmt}") and media in (XLSX, DOCX)
    assert _read_sets(data, name) == stored  # every set and indicator value, read back
    with database.session(write=False) as s:
        project = s.scalars(select(db.TargetSet).where(db.TargetSet.document_id == doc,
                                                       db.TargetSet.project.is_not(None))).first()
    name, _media, data = od.target_table(r.ctx("dept"), None, fmt, target_set_id=project.id)
    assert project.project in name
    assert _read_sets(data, name) == [s for s in stored if s[0] == project.project]
    with pytest.raises(NotFound):
        od.target_table(r.ctx("unit2"), doc, fmt)
    with pytest.raises(NotFound):
        od.target_table(r.ctx("unit1"), None, fmt, target_set_id=999999)


def test_kinds_that_do_not_apply_are_refused_in_chinese(database):
    r = region(database)
    report = r.load("003", "U1", 2023)["id"]  # a self-evaluation report: no tables of either kind
    targets = r.load("000", "U1", 2026)["id"]
    with pytest.raises(Invalid) as caught:
        od.target_table(r.ctx("admin"), report, "docx")
    assert caught.value.code == "not_applicable" and "没有绩效目标表" in caught.value.message
    with pytest.raises(Invalid) as caught:
        od.disclosure_package(r.ctx("admin"), targets, "docx")
    assert caught.value.code == "not_applicable" and "没有预算表" in caught.value.message
    with pytest.raises(Invalid) as caught:
        od.selfeval_report(r.ctx("admin"), targets, "docx")
    assert caught.value.code == "not_scored" and "尚未自评" in caught.value.message
    with pytest.raises(Invalid) as caught:
        od.disclosure_package(r.ctx("admin"), targets, "txt")
    assert caught.value.code == "invalid_format"


def _totals(tables) -> dict[str, Decimal]:
    """Each table's first printed total (an all-zero table prints empty, with the 空表 statement)."""
    out = {t.kind: next((row.total for row in t.rows if row.total), None) for t in tables}
    return {k: v for k, v in out.items() if v is not None}


def test_disclosure_package_from_the_stored_tables_and_the_year_before(database):
    r = region(database)
    doc = r.load("001", "U1", 2023)["id"]
    with database.session(write=False) as s:
        stored = od._budget_tables(s, s.get(db.Document, doc))
    # the tables alone as a workbook, read back: the same first totals of every table
    name, media, data = od.disclosure_package(r.ctx("auditor"), doc, "xlsx")
    assert media == XLSX and name.endswith(".xlsx")
    _raw, document, _found = read_back(data, name)
    read = [t for t in document.tables if isinstance(t, BudgetTable)]
    assert {k: v for k, v in _totals(read).items() if k in _totals(stored)} == _totals(stored)
    _name, _media, package = od.disclosure_package(r.ctx("auditor"), doc, "docx")
    text = compact(" ".join(getattr(b, "text", "") for b in read_back(package, "a.docx")[0].blocks))
    assert "比上年" not in text  # no year before stored: no change sentences

    # the same tables stored as the year before: the 说明 states that nothing changed
    imports.import_bytes(Ctx(database), seed("001").read_bytes() + b"\n", "2022年预算.txt", org="U1", year=2022)
    _name, _media, package = od.disclosure_package(r.ctx("auditor"), doc, "docx")
    text = compact(" ".join(getattr(b, "text", "") for b in read_back(package, "a.docx")[0].blocks))
    assert "与上年预算持平" in text and "比上年预算增加" not in text


def test_self_evaluation_table_and_report_from_the_stored_scores(database):
    from tests.test_services_selfevals import _actuals

    r = region(database)
    doc = r.load("000", "U1", 2026)["id"]
    with database.session(write=False) as s:
        whole = s.scalar(select(db.TargetSet.id).where(db.TargetSet.document_id == doc, db.TargetSet.position == 0,
                                                       db.TargetSet.unit.is_not(None)))
    ts = editing.get_target_set(r.ctx("unit1"), whole)
    result = selfevals.score_self_evaluation(r.ctx("unit1"), whole, _actuals(ts), execution={"spent": "551.20"})
    assert (result["total"], result["grade"]) == ("84.14", "良")

    name, media, data = od.selfeval_table(r.ctx("auditor"), "xlsx", target_set_id=whole)
    assert media == XLSX and name.endswith("_自评表.xlsx")
    cells = {c for row in _rows(data) for c in row}
    assert {"84.14", "良"} <= cells or {"84.14", "良"} <= {c.strip() for c in cells}
    _n, _m, whole_doc = od.selfeval_table(r.ctx("auditor"), "docx", document_id=doc)  # the document's scored sets
    text = compact(" ".join(" ".join(row.texts) if hasattr(b, "rows") else b.text
                            for b in read_back(whole_doc, "a.docx")[0].blocks for row in getattr(b, "rows", [b])))
    assert "84.14" in text

    name, media, data = od.selfeval_report(r.ctx("dept"), doc, "docx")
    assert media == DOCX and name.endswith("部门整体支出绩效自评报告.docx")
    raw, _document, _found = read_back(data, name)
    text = compact(" ".join(b.text for b in raw.blocks if hasattr(b, "text")))
    assert "自评得分为84.14分，评价等级为“良”" in text
    assert "【待填写" in text  # the places only the department can write
    with pytest.raises(Invalid) as caught:
        od.selfeval_report(r.ctx("dept"), doc, "xlsx")
    assert caught.value.code == "invalid_format"
    with pytest.raises(NotFound):
        od.selfeval_table(r.ctx("unit2"), "xlsx", target_set_id=whole)


def test_special_fund_summary_goes_with_its_forms(database):
    r = region(database)
    doc = r.load("004", "U1", 2025)["id"]
    name, _media, data = od.target_table(r.ctx("admin"), doc, "xlsx")
    assert name.endswith("绩效目标表.xlsx")
    sheets = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert sheets[1] == "2023年区级专项资金绩效目标汇总表" and len(sheets) == 3  # in the document's order
    with database.session(write=False) as s:
        (summary,) = [t for t in od._target_tables(s, s.get(db.Document, doc), None, summaries=True)
                      if isinstance(t, BudgetTable)]
    _raw, document, _found = read_back(data, name)
    (again,) = [t for t in document.tables if t.kind == "special_fund_summary"]
    assert [(row.name, row.total) for row in again.rows] == [(row.name, row.total) for row in summary.rows]


def test_pdf_without_libreoffice_is_a_clear_503(monkeypatch, tmp_path):
    from jixiao.services.errors import Unavailable

    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this server
    with pytest.raises(Unavailable) as caught:
        of.review_opinion_of_files([seed("000")], "pdf")
    assert caught.value.status == 503 and caught.value.code == "pdf_failed"
    assert "LibreOffice" in caught.value.message


def test_a_final_accounts_file_is_no_disclosure_package(tmp_path):
    from tests.test_final_accounts import FINAL
    from tests.test_final_accounts import to_text

    path = tmp_path / "2023年部门决算.txt"
    path.write_text(to_text(FINAL), encoding="utf-8")
    with pytest.raises(Invalid) as caught:
        of.disclosure_package_of_file(path, "docx")
    assert caught.value.code == "not_applicable" and "是部门决算" in caught.value.message
    with pytest.raises(Invalid) as caught:  # seed 004: target tables and a 专项资金 summary, no package tables
        of.disclosure_package_of_file(seed("004"), "docx")
    assert caught.value.code == "not_applicable" and "没有预算公开的表格" in caught.value.message
    _name, _media, data = of.disclosure_package_of_file(seed("001"), "xlsx")  # the real package still is one
    assert data[:2] == b"PK"


def test_shanghai_unit_budget_in_its_layout():
    """A Shanghai 单位预算 (tables titled 预算单位…) in the 单位预算 variant, the district as its {region}."""
    from tests.conftest import DATA

    path = DATA / "real" / "sh_putuo_govoffice_2025_unit_budget.txt"
    assert od.region_of("上海市普陀区人民政府办公室") == "上海市普陀区" and od.region_of("长沙市行政审批服务局") == ""
    name, _media, data = of.disclosure_package_of_file(path, "docx")
    raw, document, _found = read_back(data, name)
    text = compact(" ".join(getattr(b, "text", "") for b in raw.blocks))
    assert text.startswith("上海市普陀区2025年区级单位预算预算单位：上海市普陀区人民政府办公室")
    _raw, source, _found = read_back(path.read_bytes(), path.name)
    assert _totals(t for t in document.tables if isinstance(t, BudgetTable)) == \
        _totals(t for t in source.tables if isinstance(t, BudgetTable))

"""Import into the database: idempotent, versioned, all or nothing, organisations matched."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services.context import Ctx
from jixiao.store import schema as db
from tests.conftest import seed


def _region(database) -> Ctx:
    ctx = Ctx(database)
    with database.session() as s:
        region = orgs.add_org(s, name="湖南省财政厅", level="region", code="43")
        orgs.add_org(s, name="长沙市行政审批服务局", level="department", parent=region, code="152")
    return ctx


def _count(database, table) -> int:
    with database.session(write=False) as s:
        return s.scalar(select(func.count()).select_from(table))


def test_import_stores_the_document_its_tables_and_findings(database):
    ctx = _region(database)
    result = imports.import_path(ctx, seed("001"), org="152")
    assert result["created"] is True and result["version"] == 1 and result["kind"] == "budget_disclosure"
    assert result["org"]["name"] == "长沙市行政审批服务局"
    assert result["year"] == 2023
    with database.session(write=False) as s:
        doc = s.get(db.Document, result["id"])
        assert doc.parsed["kind"] == "budget_disclosure" and len(doc.parsed["tables"]) == 10
        assert s.scalar(select(func.count()).select_from(db.DocTable).where(db.DocTable.document_id == doc.id)) == 10
        rows = s.scalars(select(db.BudgetRow)).all()
        assert rows and all(r.location for r in rows)
        stored = s.scalars(select(db.Finding).where(db.Finding.document_id == doc.id)).all()
        assert sum(result["findings"].values()) == len(stored) > 0
        assert s.get(db.SourceFile, doc.source_sha256).size == seed("001").stat().st_size
        assert s.get(db.FiscalYear, 2023).label == "2023年度"
        entry = s.scalars(select(db.AuditEntry)).one()
        assert entry.action == "document.import" and entry.object_id == str(doc.id)


def test_same_bytes_twice_is_one_document(database):
    ctx = _region(database)
    first = imports.import_path(ctx, seed("000"), org="152", year=2026)
    again = imports.import_path(ctx, seed("000"), org="152", year=2026)
    assert again["id"] == first["id"] and again["created"] is False
    assert _count(database, db.Document) == 1 and _count(database, db.SourceFile) == 1


def test_a_corrected_file_is_the_next_version_and_the_old_one_stays(database, tmp_path):
    ctx = _region(database)
    first = imports.import_path(ctx, seed("000"), org="152", year=2026)
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(seed("000").read_text(encoding="utf-8").replace("培训场次\t≥\t20", "培训场次\t≥\t24", 1), encoding="utf-8")
    second = imports.import_path(ctx, corrected, org="152", year=2026)
    assert second["id"] != first["id"] and second["version"] == 2 and second["org"] == first["org"]
    with database.session(write=False) as s:
        old, new = s.get(db.Document, first["id"]), s.get(db.Document, second["id"])
        assert (old.is_current, new.is_current) == (False, True)
        assert s.scalar(select(func.count()).select_from(db.Finding).where(db.Finding.document_id == old.id)) \
            == sum(first["findings"].values())


def test_an_unknown_organisation_is_created_under_the_given_department(database):
    ctx = _region(database)
    result = imports.import_path(ctx, seed("002"), org="43")  # 沅江市行政审批服务局: not registered
    assert result["org"]["name"] == "沅江市行政审批服务局"
    with database.session(write=False) as s:
        created = s.get(db.Org, result["org"]["id"])
        assert created.level == "department" and created.path.startswith("/1/")
        codes = s.scalars(select(db.Finding.code).where(db.Finding.document_id == result["id"])).all()
        assert "org-created" in codes


def test_an_unreadable_file_stores_nothing(database, tmp_path):
    ctx = _region(database)
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    try:
        imports.import_path(ctx, bad, org="152", year=2024)
    except Exception as exc:  # noqa: BLE001
        assert "broken.docx" in str(exc)
    else:
        raise AssertionError("an unreadable file was imported")
    assert _count(database, db.Document) == 0 and _count(database, db.SourceFile) == 0
    assert _count(database, db.AuditEntry) == 0


def test_target_tables_of_other_projects_are_not_versions_of_each_other(database):
    ctx = _region(database)
    real = seed("000").parents[1] / "real"
    a = imports.import_path(ctx, real / "gd_shenzhen_songgang_street_2023_project_target_tables_set1_filled.xlsx",
                            org="152", year=2023)
    b = imports.import_path(ctx, real / "gd_shenzhen_songgang_street_2023_project_target_tables_set3_multi_unit.xlsx",
                            org="152", year=2023)
    assert a["kind"] == b["kind"] == "targets" and a["org"] == b["org"]
    assert a["series"] != b["series"] and a["version"] == b["version"] == 1
    with database.session(write=False) as s:
        assert all(d.is_current for d in s.scalars(select(db.Document)))


def test_the_demo_region_files_every_sample_under_its_organisation(database):
    from jixiao.services.demo import USERS
    from jixiao.services.demo import create_demo

    data = seed("000").parents[1]
    first = create_demo(database, data)
    assert first["failed"] == [] and len(first["documents"]) == 10
    assert {u for u, *_ in first["logins"]} == {u for u, *_ in USERS}
    again = create_demo(database, data)  # run twice: nothing twice, new passwords
    assert [r["id"] for r in again["documents"]] == [r["id"] for r in first["documents"]]
    assert not any(r["created"] for r in again["documents"])
    assert {p for *_, p in again["logins"]}.isdisjoint({p for *_, p in first["logins"]})
    with database.session(write=False) as s:
        by_name = {d.name: s.get(db.Org, d.org_id).name for d in s.scalars(select(db.Document))}
    assert by_name["sh_putuo_wanli_street_2024_dept_budget.pdf"] == "上海市普陀区人民政府万里街道办事处"
    assert by_name["001_c182bc71c99e727c.txt"] == "长沙市行政审批服务局"

"""总览 aggregates (services/dashboard.py) and the self-evaluation form's services
(services/selfevals.py: preview, form, export, actuals template and upload), on SQLite and
PostgreSQL: counts equal to what the lists say, scope by organisation, exact rates."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlalchemy import select

from jixiao.services import dashboard
from jixiao.services import editing
from jixiao.services import findings
from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services import selfevals
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.store import schema as db
from tests.conftest import seed

# seed 000's 整体 indicators in order (tests/test_services_selfevals.py: total 84.14, 良)
ACTUALS = ["560", "3513.14", "18", "12", "96%", "100", "达成", "部分达成", "未达成", "90"]


def _region(database) -> tuple[Ctx, dict[str, int]]:
    """Two departments of one region: seeds 000 (2026) and 002 (2023) under the first, 004 (2023) under the second."""
    ctx = Ctx(database)
    with database.session() as s:
        region = orgs.add_org(s, name="湖南省", level="region", code="43")
        a = orgs.add_org(s, name="渌口区行政审批服务局", level="department", parent=region, code="LK")
        b = orgs.add_org(s, name="石峰区优化营商环境协调事务中心", level="department", parent=region, code="SF")
        ids = {"region": region.id, "LK": a.id, "SF": b.id}
    ids["000"] = imports.import_path(ctx, seed("000"), org="LK", year=2026)["id"]
    ids["002"] = imports.import_path(ctx, seed("002"), org="LK", year=2023)["id"]
    ids["004"] = imports.import_path(ctx, seed("004"), org="SF")["id"]
    return ctx, ids


def _first_set(database, doc_id: int) -> int:
    with database.session(write=False) as s:
        return s.scalar(select(db.TargetSet.id).where(db.TargetSet.document_id == doc_id)
                        .order_by(db.TargetSet.position).limit(1))


def _score_000(ctx, database, ids) -> int:
    ts_id = _first_set(database, ids["000"])
    ts = editing.get_target_set(ctx, ts_id)
    actuals = {i["id"]: a for i, a in zip(ts["indicators"], ACTUALS, strict=True)}
    selfevals.score_self_evaluation(ctx, ts_id, actuals, execution={"spent": "551.20"})
    return ts_id


def test_findings_by_code_and_department_equal_the_lists(database):
    ctx, ids = _region(database)
    board = dashboard.dashboard(ctx)
    assert board["documents"] == 3
    listed = findings.list_findings(ctx, limit=1)["total"]
    assert board["findings_total"]["all"] == listed > 0
    for item in board["findings_by_code"][:5]:  # every bar is what the findings list filtered by its code gives
        assert item["count"] == findings.list_findings(ctx, code=item["code"], limit=1)["total"]
        assert item["title"] and item["title"] != item["code"]
    counts = [c["count"] for c in board["findings_by_code"]]
    assert counts == sorted(counts, reverse=True)
    by_name = {d["name"]: d for d in board["departments"]}
    assert set(by_name) == {"渌口区行政审批服务局", "石峰区优化营商环境协调事务中心"}
    lk = by_name["渌口区行政审批服务局"]
    assert lk["documents"] == 2 and lk["id"] == ids["LK"]
    assert lk["findings"]["error"] == findings.list_findings(ctx, org="LK", severity="error", limit=1)["total"]
    # a year and an organisation narrow it
    only_2026 = dashboard.dashboard(ctx, year=2026)
    assert only_2026["documents"] == 1 and [d["name"] for d in only_2026["departments"]] == ["渌口区行政审批服务局"]
    only_sf = dashboard.dashboard(ctx, org="SF")
    assert only_sf["documents"] == 1 and only_sf["org"]["name"] == "石峰区优化营商环境协调事务中心"


def test_share_of_target_sets_with_errors(database):
    ctx, ids = _region(database)
    board = dashboard.dashboard(ctx)
    with database.session(write=False) as s:
        n_sets = s.scalar(select(func.count(db.TargetSet.id)))
        with_errors = s.scalar(select(func.count(db.Finding.target_set_id.distinct()))
                               .where(db.Finding.severity == "error"))
    sets = board["target_sets"]
    assert sets["total"] == n_sets and sets["with_errors"] == with_errors
    assert sets["with_errors"] + sets["without_errors"] == n_sets
    assert Decimal(sets["share"]) == (Decimal(with_errors) / n_sets * 100).quantize(Decimal("0.01"))


def test_grades_score_bands_and_execution_rate_by_department(database):
    ctx, ids = _region(database)
    empty = dashboard.dashboard(ctx)
    assert empty["evaluations"] == 0 and all(d["execution_rate"] is None for d in empty["departments"])
    ts_id = _score_000(ctx, database, ids)
    board = dashboard.dashboard(ctx)
    assert board["evaluations"] == 1
    assert {g["grade"]: g["count"] for g in board["grades"]} == {"优": 0, "良": 1, "中": 0, "差": 0}
    assert {b["band"]: b["count"] for b in board["score_bands"]}["80–90 分"] == 1
    lk = next(d for d in board["departments"] if d["name"] == "渌口区行政审批服务局")
    evaluation = selfevals.get_self_evaluation(ctx, ts_id)
    budget = Decimal(evaluation["execution"]["budget"])
    assert lk["evaluations"] == 1 and Decimal(lk["spent"]) == Decimal("551.20")
    assert Decimal(lk["budget"]) == budget.quantize(Decimal("0.01"))
    assert lk["execution_rate"] == "94.99" == evaluation["execution"]["rate"].rstrip("%")
    assert lk["mean_score"] == "84.14"
    # the list behind the grade bar and the score band
    listed = dashboard.list_self_evaluations(ctx, grade="良")
    assert [i["target_set_id"] for i in listed["items"]] == [ts_id] and listed["items"][0]["total"] == "84.14"
    assert dashboard.list_self_evaluations(ctx, band="80–90 分")["total"] == 1
    assert dashboard.list_self_evaluations(ctx, band="90–100 分")["total"] == 0
    everything = dashboard.list_self_evaluations(ctx, limit=1000)
    with database.session(write=False) as s:
        assert everything["total"] == s.scalar(select(func.count(db.TargetSet.id)))
    assert dashboard.list_self_evaluations(ctx, scored="no")["total"] == everything["total"] - 1
    with pytest.raises(Invalid):
        dashboard.list_self_evaluations(ctx, band="100 分以上")


def test_a_department_year_over_year(database):
    ctx, ids = _region(database)
    _score_000(ctx, database, ids)
    yoy = dashboard.department_years(ctx, "LK")
    assert yoy["org"]["name"] == "渌口区行政审批服务局"
    assert [y["year"] for y in yoy["years"]] == [2023, 2026]
    y2023, y2026 = yoy["years"]
    assert y2023["documents"] == 1 and y2023["evaluations"] == 0 and y2023["mean_score"] is None
    assert y2026["evaluations"] == 1 and y2026["mean_score"] == "84.14" and y2026["execution_rate"] == "94.99"
    assert y2026["errors"] == findings.list_findings(ctx, org="LK", year=2026, severity="error", limit=1)["total"]


def test_execution_sums_and_mean_scores_are_exact(database):
    """241 self-evaluations of one department: 全年预算数 0.1 and 0.2 (50 each), 34567890.12 (140
    times) and 0.005 sum to exactly 4839504631.805 万元, so 4839504631.81; summed as floats (SQLite's
    own sum, as before store/sums.py) they come to 4839504631.804988…, shown as 4839504631.80."""
    ctx, ids = _region(database)
    budgets = ["0.1", "0.2"] * 50 + ["34567890.12"] * 140 + ["0.005"]
    spent = ["0.1", "0.2"] * 50 + ["34567890.11"] * 140 + ["0.005"]
    totals = ["84.14", "91.20"] * 120 + ["60.05"]
    with database.session() as s:
        first = s.scalar(select(db.TargetSet).where(db.TargetSet.document_id == ids["000"])
                         .order_by(db.TargetSet.position).limit(1))
        for n, (b, x, t) in enumerate(zip(budgets, spent, totals, strict=True)):
            ts = db.TargetSet(document_id=ids["000"], table_id=first.table_id, position=1000 + n,
                              unit=first.unit, project=f"项目{n}", amounts={}, extra={}, location=first.location)
            s.add(ts)
            s.flush()
            s.add(db.SelfEvaluation(target_set_id=ts.id, document_id=ids["000"], actuals={}, total=Decimal(t),
                                    grade="良", scores={"indicators": [], "execution": {"budget": b, "spent": x}}))
    exact_budget, exact_spent = sum(map(Decimal, budgets)), sum(map(Decimal, spent))
    assert exact_budget == Decimal("4839504631.805") and exact_spent == Decimal("4839504630.405")
    assert Decimal(repr(sum(map(float, budgets)))).quantize(Decimal("0.01")) == Decimal("4839504631.80")  # a float sum's

    board = dashboard.dashboard(ctx)
    lk = next(d for d in board["departments"] if d["name"] == "渌口区行政审批服务局")
    assert lk["evaluations"] == 241 and board["evaluations"] == 241
    assert lk["budget"] == "4839504631.81" and lk["spent"] == "4839504630.41"
    assert lk["execution_rate"] == "100.00"  # 99.99999997…
    assert lk["mean_score"] == "87.56" == _q_str(sum(map(Decimal, totals)) / 241)  # 21100.85 / 241 = 87.5553…
    y2026 = {y["year"]: y for y in dashboard.department_years(ctx, "LK")["years"]}[2026]
    assert y2026["evaluations"] == 241 and y2026["mean_score"] == "87.56" and y2026["execution_rate"] == "100.00"


def _q_str(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def test_scope_a_unit_sees_its_own(database):
    ctx, ids = _region(database)
    with database.session(write=False) as s:
        sf = s.get(db.Org, ids["SF"])
    filer = Ctx(database, Actor(user_id=None, username="sf", role="unit_filer", org_id=sf.id, org_path=sf.path))
    board = dashboard.dashboard(filer)
    assert board["documents"] == 1 and [d["name"] for d in board["departments"]] == ["石峰区优化营商环境协调事务中心"]
    own = dashboard.list_self_evaluations(filer, limit=1000)
    assert own["total"] > 0 and {i["document"]["id"] for i in own["items"]} == {ids["004"]}
    with pytest.raises(NotFound):  # another department: not found, not forbidden
        dashboard.dashboard(filer, org="LK")
    with pytest.raises(NotFound):
        dashboard.department_years(filer, "LK")


def test_preview_scores_without_storing_and_the_form(database):
    ctx, ids = _region(database)
    ts_id = _first_set(database, ids["000"])
    form = selfevals.self_evaluation_form(ctx, ts_id)
    assert form["evaluation"] is None and len(form["indicators"]) == len(ACTUALS)
    assert form["document"]["id"] == ids["000"] and form["org"]["name"] == "株洲市渌口区行政审批服务局"  # filed under the unit the file names
    assert form["target_set"]["initial_budget"] == "580.25"
    actuals = {i["id"]: a for i, a in zip(form["indicators"], ACTUALS, strict=True)}
    preview = selfevals.preview_self_evaluation(ctx, ts_id, actuals, execution={"spent": "551.20"})
    assert preview["total"] == "84.14" and preview["grade"] == "良"
    assert selfevals.get_self_evaluation(ctx, ts_id) is None  # nothing stored
    by_name = {s["name"]: s for s in preview["scores"]}
    # 部分达成 loses points without a reason: a reason is required there, not where the target was met
    assert by_name["便民服务水平提升"]["reason_required"] is True
    assert any(f["code"] == "selfeval-deviation-unexplained" for f in by_name["便民服务水平提升"]["findings"])
    met = [s for s in preview["scores"] if s["score"] == s["weight"]]
    assert met and not any(s["reason_required"] for s in met)
    target = by_name["便民服务水平提升"]["indicator_id"]
    explained = {**actuals, target: {"actual": "部分达成", "reason": "窗口改造延期，下一年度完成"}}
    preview = selfevals.preview_self_evaluation(ctx, ts_id, explained, execution={"spent": "551.20"})
    assert {s["indicator_id"]: s for s in preview["scores"]}[target]["reason_required"] is False
    assert preview["execution"]["reason_required"] is False  # 94.99 % ≥ 90 %
    low = selfevals.preview_self_evaluation(ctx, ts_id, actuals, execution={"spent": "300"})
    assert low["execution"]["reason_required"] is True and low["execution"]["rate"] == "51.70%"
    # stored then read back by the form with what was entered
    selfevals.score_self_evaluation(ctx, ts_id, explained, execution={"spent": "551.20"})
    form = selfevals.self_evaluation_form(ctx, ts_id)
    assert form["evaluation"]["reasons"] == {str(target): "窗口改造延期，下一年度完成"}
    assert form["evaluation"]["entered_execution"]["spent"] == "551.20"
    auditor = Ctx(database, Actor(user_id=None, username="a", role="auditor", org_id=ids["region"], org_path="/"))
    with pytest.raises(Forbidden):
        selfevals.self_evaluation_form(auditor, ts_id)
    with pytest.raises(Forbidden):
        selfevals.preview_self_evaluation(auditor, ts_id, actuals)


def test_export_the_scored_table_and_upload_a_filled_template(database):
    from openpyxl import load_workbook

    from jixiao.selfeval.template import ACTUAL
    from jixiao.selfeval.template import ACTUALS_SHEET
    from jixiao.selfeval.template import BUDGET_SHEET
    from jixiao.selfeval.template import REASON
    from jixiao.selfeval.template import SPENT

    ctx, ids = _region(database)
    ts_id = _first_set(database, ids["000"])
    with pytest.raises(NotFound):
        selfevals.export_self_evaluation(ctx, ts_id)
    name, data = selfevals.actuals_template(ctx, ts_id)
    assert name.endswith("实际完成值填报表.xlsx")
    book = load_workbook(io.BytesIO(data))
    sheet = book[ACTUALS_SHEET]
    header = {c.value: c.column for c in sheet[2]}
    assert sheet.max_row == 2 + len(ACTUALS)
    for n, actual in enumerate(ACTUALS, start=3):
        sheet.cell(n, header[ACTUAL], actual)
    sheet.cell(10, header[REASON], "部分事项推迟")
    budget = book[BUDGET_SHEET]
    budget.cell(3, {c.value: c.column for c in budget[2]}[SPENT], 551.2)
    filled = io.BytesIO()
    book.save(filled)
    read = selfevals.actuals_from_workbook(ctx, ts_id, filled.getvalue(), "filled.xlsx")
    assert read["matched"] == read["indicators"] == len(ACTUALS)
    form = selfevals.self_evaluation_form(ctx, ts_id)
    assert [read["actuals"][str(i["id"])]["actual"] for i in form["indicators"]] == ACTUALS
    assert read["actuals"][str(form["indicators"][7]["id"])]["reason"] == "部分事项推迟"
    assert Decimal(read["execution"]["spent"]) == Decimal("551.2")
    with pytest.raises(Invalid):
        selfevals.actuals_from_workbook(ctx, ts_id, b"not a workbook", "bad.xlsx")
    # scored from the upload, then exported as the 自评表
    result = selfevals.score_self_evaluation(ctx, ts_id, read["actuals"], execution=read["execution"])
    name, data = selfevals.export_self_evaluation(ctx, ts_id)
    assert name.endswith("自评表.xlsx")
    report = load_workbook(io.BytesIO(data))
    assert report.sheetnames[0] == "汇总" and "评分说明" in report.sheetnames
    summary = [[c for c in row if c is not None] for row in report["汇总"].iter_rows(values_only=True)]
    assert any(float(result["total"]) in row and result["grade"] in row for row in summary)


def test_a_template_of_the_whole_document_fills_one_set(database, tmp_path):
    """The template `jixiao selfeval template` writes for the whole file (both of seed 000's sets)
    fills the set it is uploaded to; the other set's rows are left out, not errors."""
    from openpyxl import load_workbook

    from jixiao.pipeline import parse_file
    from jixiao.selfeval.template import ACTUAL
    from jixiao.selfeval.template import ACTUALS_SHEET
    from jixiao.selfeval.template import write_template

    ctx, ids = _region(database)
    ts_id = _first_set(database, ids["000"])
    parsed, _ = parse_file(seed("000"), name=seed("000").name)
    template = tmp_path / "whole.xlsx"
    write_template(parsed, template)
    book = load_workbook(template)
    sheet = book[ACTUALS_SHEET]
    header = {c.value: c.column for c in sheet[2]}
    assert sheet.max_row > 2 + len(ACTUALS)  # the project set's rows follow
    for n, actual in enumerate(ACTUALS, start=3):
        sheet.cell(n, header[ACTUAL], actual)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    read = selfevals.actuals_from_workbook(ctx, ts_id, filled.read_bytes(), "filled.xlsx")
    assert read["matched"] == len(ACTUALS)
    form = selfevals.self_evaluation_form(ctx, ts_id)
    assert [read["actuals"][str(i["id"])]["actual"] for i in form["indicators"]] == ACTUALS
    assert not any(f["code"] == "selfeval-actuals-unknown-row" for f in read["findings"])

"""Self-evaluation through the service: the scores `jixiao selfeval score` gives, exact Decimal
totals, stored with their explanations, versioned and audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from jixiao.services import audit
from jixiao.services import editing
from jixiao.services import selfevals
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Conflict
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.store import schema as db
from tests.conftest import seed
from tests.test_services_editing import _imported

# seed 000's 整体 indicators in order, and what was achieved
ACTUALS = ["560", "3513.14", "18", "12", "96%", "100", "达成", "部分达成", "未达成", "90"]


def _actuals(ts: dict) -> dict[int, str]:
    return {i["id"]: a for i, a in zip(ts["indicators"], ACTUALS, strict=True)}


def test_scores_total_and_grade_are_stored_exactly(database):
    ctx, doc, ts_id = _imported(database)
    assert selfevals.get_self_evaluation(ctx, ts_id) is None
    ts = editing.get_target_set(ctx, ts_id)
    result = selfevals.score_self_evaluation(ctx, ts_id, _actuals(ts), execution={"spent": "551.20"})
    by_name = {s["name"]: s for s in result["scores"]}
    assert [s["indicator_id"] for s in result["scores"]] == [i["id"] for i in ts["indicators"]]
    training = by_name["培训场次"]
    assert (training["weight"], training["actual"], training["score"]) == ("8.33", "18", "7.50")
    assert training["method"] == "默认方法（正向指标）" and "18/20×8.33 = 7.50" in training["explanation"]
    assert by_name["便民服务水平提升"]["score"] == "6.00" and by_name["便民服务水平提升"]["method"] == "默认方法（定性指标）"
    assert by_name["办事市民满意度"]["score"] == "9.47"
    assert result["execution"]["score"] == "9.50" and result["execution"]["rate"] == "94.99%"
    points = sum((Decimal(s["score"]) for s in result["scores"]), Decimal(0)) + Decimal(result["execution"]["score"])
    assert result["total"] == str(points) == "84.14" and result["grade"] == "良"
    assert {f["code"] for f in result["findings"]} >= {"selfeval-weights-default", "selfeval-deviation-unexplained"}

    assert selfevals.get_self_evaluation(ctx, ts_id) == result
    with database.session(write=False) as s:
        row = s.scalars(select(db.SelfEvaluation)).one()
        assert row.total == Decimal("84.14") and isinstance(row.total, Decimal) and row.grade == "良"
        assert row.actuals["indicators"][str(training["indicator_id"])] == {"actual": "18", "reason": None}
    (entry,) = audit.list_entries(ctx, object=f"self_evaluation:{ts_id}")["items"]
    assert entry["action"] == "selfeval.score" and entry["after"]["total"] == "84.14" and entry["before"] is None


def test_the_same_scores_as_the_selfeval_command(database, tmp_path):
    """The filled actuals template scored as `jixiao selfeval score` does, against the service."""
    from openpyxl import load_workbook

    from jixiao.pipeline import parse_file
    from jixiao.scoring import PROFILES
    from jixiao.selfeval.actuals import match_actuals
    from jixiao.selfeval.actuals import read_actuals
    from jixiao.selfeval.scorecard import score_document
    from jixiao.selfeval.template import ACTUAL
    from jixiao.selfeval.template import ACTUALS_SHEET
    from jixiao.selfeval.template import BUDGET_SHEET
    from jixiao.selfeval.template import REASON
    from jixiao.selfeval.template import SPENT
    from jixiao.selfeval.template import write_template

    ctx, doc, ts_id = _imported(database)
    parsed, _ = parse_file(seed("000"), name=seed("000").name)
    template = tmp_path / "actuals.xlsx"
    write_template(parsed, template)
    book = load_workbook(template)
    sheet = book[ACTUALS_SHEET]
    header = {c.value: c.column for c in sheet[2]}
    for n, actual in enumerate(ACTUALS, start=3):  # the 整体 set's rows come first
        sheet.cell(n, header[ACTUAL], actual)
    sheet.cell(5, header[REASON], "场地改造，停训两月")
    budget = book[BUDGET_SHEET]
    budget.cell(3, {c.value: c.column for c in budget[2]}[SPENT], Decimal("551.20"))
    book.save(template)
    actuals, problems = read_actuals(template)
    assert actuals is not None, problems
    card = score_document(parsed, match_actuals(parsed, actuals, seed("000").name), PROFILES["default"])
    command = card.sets[0]

    ts = editing.get_target_set(ctx, ts_id)
    given = _actuals(ts)
    training = ts["indicators"][2]["id"]
    given[training] = {"actual": "18", "reason": "场地改造，停训两月"}
    result = selfevals.score_self_evaluation(ctx, ts_id, given, execution={"spent": "551.20"})
    assert [s["score"] for s in result["scores"]] == [str(i.points) for i in command.indicators]
    assert [s["explanation"] for s in result["scores"]] == [i.explanation for i in command.indicators]
    assert result["total"] == str(command.total) and result["grade"] == command.grade
    assert result["execution"]["score"] == str(command.execution.score.score)
    deviations = {f["subject"] for f in result["findings"] if f["code"] == "selfeval-deviation-unexplained"}
    assert not any(s.endswith("/培训场次") for s in deviations)  # the reason was given


def test_printed_weights_and_rules_are_used(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    items = [{**i, "weight": "9"} for i in ts["indicators"]]
    items[2] = {**items[2], "scoring": "每少1场扣1分，扣完为止"}
    ts = editing.replace_indicators(ctx, ts_id, items, expected_version=1)
    result = selfevals.score_self_evaluation(ctx, ts_id, _actuals(ts), execution={"spent": "580.25"})
    training = result["scores"][2]
    assert training["weight"] == "9" and training["score"] == "7.00" and training["parsed"] is True
    assert training["method"] == "按单位扣分"
    assert result["weight_rule"] == "printed" and result["execution"]["score"] == "10.00"
    points = sum((Decimal(s["score"]) for s in result["scores"]), Decimal(0)) + Decimal("10.00")
    assert Decimal(result["total"]) == points


def test_scoring_again_needs_the_current_version(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    first = selfevals.score_self_evaluation(ctx, ts_id, _actuals(ts))
    with pytest.raises(Conflict) as caught:
        selfevals.score_self_evaluation(ctx, ts_id, {ts["indicators"][2]["id"]: "20"})
    assert caught.value.detail == first
    with pytest.raises(Conflict):
        selfevals.score_self_evaluation(ctx, ts_id, {ts["indicators"][2]["id"]: "20"}, expected_version=7)
    again = selfevals.score_self_evaluation(ctx, ts_id, {**_actuals(ts), ts["indicators"][2]["id"]: "20"},
                                            expected_version=first["row_version"])
    assert again["row_version"] == first["row_version"] + 1 and again["id"] == first["id"]
    assert Decimal(again["total"]) - Decimal(first["total"]) == Decimal("0.83")  # 7.50 → 8.33
    entries = audit.list_entries(ctx, object=f"self_evaluation:{ts_id}")["items"]
    assert entries[0]["before"]["total"] == first["total"] and entries[0]["after"]["total"] == again["total"]


def test_bad_input_and_permissions(database):
    ctx, doc, ts_id = _imported(database)
    ts = editing.get_target_set(ctx, ts_id)
    with pytest.raises(Invalid) as caught:
        selfevals.score_self_evaluation(ctx, ts_id, {999999: "1"})
    assert caught.value.code == "unknown_indicator"
    with pytest.raises(Invalid):
        selfevals.score_self_evaluation(ctx, ts_id, _actuals(ts), execution={"spent": "很多"})
    with pytest.raises(Invalid):
        selfevals.score_self_evaluation(ctx, ts_id, _actuals(ts), profile="火星")
    with database.session(write=False) as s:
        dept = s.scalar(select(db.Org).where(db.Org.code == "152"))
        reader = Actor(user_id=None, username="reader", role="auditor", org_id=dept.id, org_path=dept.path)
    with pytest.raises(Forbidden):
        selfevals.score_self_evaluation(Ctx(database, reader), ts_id, _actuals(ts))
    assert selfevals.get_self_evaluation(Ctx(database, reader), ts_id) is None

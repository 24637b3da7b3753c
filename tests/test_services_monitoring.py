"""A whole monitoring round on the demo region's (services/demo.py) target sets, on SQLite and
PostgreSQL: the targets approved through the workflow, a round opened by the finance bureau, 监控表
filled, warnings exactly where the profile's thresholds say, 整改 tasks opened and closed, a 目标调整
approved as a new version (the old one visible), the year-end self-evaluation prefilled from the
round; thresholds edited by the bureau; who may do what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from jixiao.services import adjustments
from jixiao.services import editing
from jixiao.services import monitoring
from jixiao.services import rectification
from jixiao.services import selfevals
from jixiao.services.errors import Conflict
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.store import schema as db
from tests.monitoring_world import approve
from tests.monitoring_world import ctx
from tests.monitoring_world import hunan_region
from tests.monitoring_world import quantitative_forward


@pytest.fixture
def hunan(database):
    return hunan_region(database)


D = Decimal


def test_a_whole_round(hunan):
    database, who, docs = hunan
    fin, yj = ctx(database, who["finance"]), ctx(database, who["yj"])

    # -- the finance bureau opens a round: every approved 2023 target set of the region gets a 监控表
    r = monitoring.open_round(fin, org="HN", year=2023, as_of="2023-06-30")
    with database.session(write=False) as s:
        approved = s.scalars(select(db.TargetSet.id).where(db.TargetSet.document_id.in_(
            [docs["HN-YJ"], docs["HN-SF"]]))).all()
    assert r["sheets"] == len(approved) == 9 and r["time_progress"] == "49.59%"
    with pytest.raises(Conflict):
        monitoring.open_round(fin, org="HN", year=2023, as_of="2023-06-30")
    whole = monitoring.get_round(fin, r["id"])
    assert {s["target_set_id"] for s in whole["sheets"]} == set(approved)
    assert {d["code"] for d in whole["departments"]} == {"HN-YJ", "HN-SF"}

    # -- 沅江 sees its own sheets only; the round is visible to it
    mine = monitoring.get_round(yj, r["id"])["sheets"]
    assert mine and all(s["org"]["code"] == "HN-YJ" for s in mine) and len(mine) < 9
    sheet = monitoring.get_sheet(yj, mine[0]["id"])
    budget = D(sheet["budget"])
    assert budget > 0  # the set's 资金总额
    lines = quantitative_forward(sheet)
    assert len(lines) >= 3
    red_line, amber_line, green_line = lines[0], lines[1], lines[2]

    def target(e):
        from jixiao.scoring.numbers import parse_number
        return parse_number(e["target_text"])

    spent = (budget * D("0.2")).quantize(D("0.01"))
    filled = monitoring.fill_sheet(yj, sheet["id"], {
        "spent": str(spent),
        "entries": {
            str(red_line["indicator_id"]): {"to_date": str(target(red_line) * D("0.4")),
                                            "expected": str(target(red_line) * D("0.85")), "will_meet": "不能"},
            str(amber_line["indicator_id"]): {"expected": str(target(amber_line) * D("0.95")),
                                              "will_meet": "基本能", "reason": "下半年集中办理"},
            str(green_line["indicator_id"]): {"expected": str(target(green_line)), "will_meet": "能"},
        },
    }, expected_version=sheet["row_version"])
    # 执行率 20% against 时间进度 49.59%: 29.59 points behind, more than 20 → 红
    assert filled["execution_rate"] == "20.00%" and filled["execution_level"] == "red"
    levels = {e["indicator_id"]: e["level"] for e in filled["entries"]}
    assert levels[red_line["indicator_id"]] == "red" and levels[amber_line["indicator_id"]] == "amber"
    assert levels[green_line["indicator_id"]] == "green"
    warned = {(w["code"], w["indicator"], w["level"]) for w in filled["warnings"]}
    assert ("monitoring-execution-behind", None, "red") in warned
    assert ("monitoring-indicator-off-target", red_line["indicator_id"], "red") in warned
    assert ("monitoring-indicator-off-target", amber_line["indicator_id"], "amber") in warned
    # nothing else is red or amber but what the thresholds say
    flagged = {w["indicator"] for w in filled["warnings"] if w["code"] != "monitoring-execution-behind"}
    assert flagged == {red_line["indicator_id"], amber_line["indicator_id"]}
    unexplained = [f for f in filled["findings"] if f["code"] == "monitoring-deviation-unexplained"]
    assert {f["subject"].split(" ")[-1] for f in unexplained} == {red_line["name"], "资金执行"}
    assert all(f["severity"] == "error" for f in unexplained)
    assert filled["level"] == "red" and filled["output_progress"] is not None

    # a stale save is refused, nothing overwritten
    with pytest.raises(Conflict):
        monitoring.fill_sheet(yj, sheet["id"], {"spent": "1"}, expected_version=sheet["row_version"])
    # the live preview stores nothing
    preview = monitoring.preview_sheet(yj, sheet["id"], {"spent": str(budget)})
    assert preview["execution_level"] == "green"
    assert monitoring.get_sheet(yj, sheet["id"])["execution_level"] == "red"

    # reasons given: the error findings go, the warnings stay
    filled = monitoring.fill_sheet(yj, sheet["id"], {
        "execution_reason": "项目资金下半年拨付", "execution_measure": "加快采购进度",
        "entries": {str(red_line["indicator_id"]): {"reason": "系统改造延期", "measure": "增加窗口"}}},
        expected_version=filled["row_version"])
    assert not [f for f in filled["findings"] if f["code"] == "monitoring-deviation-unexplained"]
    assert filled["level"] == "red"

    # -- who may: the auditor reads but does not fill; 长沙 does not see 沅江's sheet
    assert monitoring.get_sheet(ctx(database, who["auditor"]), sheet["id"])["id"] == sheet["id"]
    with pytest.raises(Forbidden):
        monitoring.fill_sheet(ctx(database, who["auditor"]), sheet["id"], {"spent": "1"})
    with pytest.raises(NotFound):
        monitoring.get_sheet(ctx(database, who["changsha"]), sheet["id"])
    with pytest.raises(Forbidden):
        monitoring.open_round(yj, org="HN-YJ", year=2023, as_of="2023-08-31")

    # -- 整改: opened from the red item, closed only with the measure
    with pytest.raises(Invalid, match="无需整改"):  # a green item needs none
        rectification.open_task(fin, sheet["id"], indicator_id=green_line["indicator_id"], owner="yj_dept",
                                deadline="2023-09-30")
    task = rectification.open_task(fin, sheet["id"], indicator_id=red_line["indicator_id"], owner="yj_dept",
                                   deadline="2023-09-30")
    assert task["level"] == "red" and task["state"] == "open" and task["owner"] == "yj_dept"
    money = rectification.open_task(fin, sheet["id"], owner="yj_dept", deadline="2023-08-31")
    assert money["item"] == "资金执行"
    # the owner as people read it: the user's display name and organisation (the user name without one)
    assert task["owner_name"] == "yj_dept" and task["owner_org"] == "沅江市行政审批服务局"
    with database.session() as s:
        s.scalar(select(db.User).where(db.User.username == "yj_dept")).display_name = "李四"
    listed = {t["id"]: t for t in rectification.list_tasks(fin, round_id=r["id"])["items"]}
    assert listed[task["id"]]["owner_name"] == "李四" and listed[task["id"]]["owner_label"] == "李四（沅江市行政审批服务局）"
    assert {t["owner_label"] for t in monitoring.get_sheet(yj, sheet["id"])["tasks"]} == {"李四（沅江市行政审批服务局）"}
    with pytest.raises(Conflict):
        rectification.open_task(fin, sheet["id"], indicator_id=red_line["indicator_id"], owner="yj_dept",
                                deadline="2023-09-30")
    with pytest.raises(Invalid, match="整改措施"):
        rectification.close_task(yj, task["id"], measure="  ")
    with pytest.raises(Forbidden):
        rectification.close_task(fin, task["id"], measure="财政代为整改")
    closed = rectification.close_task(yj, task["id"], measure="增设两个窗口，延长服务时间")
    assert closed["state"] == "closed" and closed["measure"] == "增设两个窗口，延长服务时间"
    assert [t["id"] for t in rectification.list_tasks(fin, round_id=r["id"], state="open")["items"]] == [money["id"]]
    assert monitoring.get_round(fin, r["id"])["tasks"] == {"open": 1, "closed": 1}

    # -- 目标调整: a new version through the workflow; the old targets stay visible
    ts_id = sheet["target_set"]["id"]
    adj = adjustments.start_adjustment(yj, ts_id, reason="上级政策调整，办件量目标下调", sheet_id=sheet["id"])
    new_doc, new_ts = adj["to_document"]["id"], adj["target_sets"][str(ts_id)]
    assert adj["to_document"]["version"] == 2 and adj["to_document"]["state"] == "draft"
    current = editing.get_target_set(yj, new_ts)
    changed = next(i for i in current["indicators"] if i["id"] and i["name"] == red_line["name"])
    editing.update_indicator(yj, new_ts, changed["id"], {"target_text": str(target(red_line) * D("0.8"))},
                             expected_version=current["row_version"])
    approve(database, new_doc, who["yj"], who["finance"])
    old = editing.get_target_set(yj, ts_id)
    assert old["document"]["is_current"] is False and old["document"]["state"] == "approved"
    assert next(i for i in old["indicators"] if i["name"] == red_line["name"])["target_text"] == red_line["target_text"]
    assert adjustments.get_adjustment(yj, adj["id"])["to_document"]["state"] == "approved"
    assert monitoring.get_sheet(yj, sheet["id"])["adjustments"][0]["state"] == "approved"
    added = monitoring.add_sheets(fin, r["id"])
    assert added["added"] == 7  # the new version's sets (the whole 沅江 document was copied)

    # -- the year-end self-evaluation starts from the round's values (on the adjusted version)
    pre = selfevals.prefill_from_monitoring(yj, new_ts)
    by_name = {i["name"]: i["id"] for i in editing.get_target_set(yj, new_ts)["indicators"]}
    red_new = str(by_name[red_line["name"]])
    assert pre["actuals"][red_new] == {"actual": format(target(red_line) * D("0.4"), "f"), "reason": "系统改造延期"}
    assert pre["execution"] == {"budget": format(budget, "f"), "spent": format(spent, "f"),
                                "reason": "项目资金下半年拨付"}
    assert pre["round"]["id"] == r["id"]
    assert selfevals.self_evaluation_form(yj, new_ts)["monitoring"] == pre  # the 自评 form starts from it
    scored = selfevals.score_self_evaluation(yj, new_ts, pre["actuals"], execution=pre["execution"])
    assert scored["actuals"][red_new] == pre["actuals"][red_new]["actual"] and scored["total"] is not None

    # -- the round closes: nothing more is filled in
    monitoring.close_round(fin, r["id"])
    with pytest.raises(Conflict):
        monitoring.fill_sheet(yj, sheet["id"], {"spent": "1"})


def test_an_empty_sheet_is_unfilled_and_each_save_is_one_version(hunan):
    database, who, _docs = hunan
    fin, yj = ctx(database, who["finance"]), ctx(database, who["yj"])
    r = monitoring.open_round(fin, org="HN", year=2023, as_of="2023-06-30")
    whole = monitoring.get_round(fin, r["id"])
    # nothing entered: 未填报, stored so (not 绿), in the counts and the map by department
    assert {s["level"] for s in whole["sheets"]} == {"unfilled"}
    assert whole["counts"] == {"red": 0, "amber": 0, "green": 0, "unfilled": 9}
    assert {d["level"] for d in whole["departments"]} == {"unfilled"}
    with database.session(write=False) as s:
        assert set(s.scalars(select(db.MonitoringSheet.level))) == {"unfilled"}
    sheet_id = monitoring.get_round(yj, r["id"])["sheets"][0]["id"]
    sheet = monitoring.get_sheet(yj, sheet_id)
    assert sheet["level"] == "unfilled" and sheet["level_label"] == "未填报" and sheet["row_version"] == 1
    budget = D(sheet["budget"])
    saved = monitoring.fill_sheet(yj, sheet_id, {"spent": str(budget / 2)}, expected_version=1)
    assert saved["row_version"] == 2 and saved["level"] == "green"
    saved = monitoring.fill_sheet(yj, sheet_id, {"execution_reason": "按进度"}, expected_version=2)
    assert saved["row_version"] == 3 == monitoring.get_sheet(yj, sheet_id)["row_version"]
    with pytest.raises(Conflict):
        monitoring.fill_sheet(yj, sheet_id, {"spent": "1"}, expected_version=2)
    after = monitoring.get_round(fin, r["id"])
    assert after["counts"] == {"red": 0, "amber": 0, "green": 1, "unfilled": 8} and after["total"] == 9

    # a page of the round by department and level (the web page's): the whole list's sheets
    # filtered, in its order; the counts and the departments stay the whole round's
    green = monitoring.get_round(fin, r["id"], level="green")
    assert green["total"] == 1 and [s["id"] for s in green["sheets"]] == [sheet_id]
    assert green["counts"] == after["counts"] and green["departments"] == after["departments"]
    yj_dept = next(d["id"] for d in after["departments"] if d["code"] == "HN-YJ")
    by_dept = [s["id"] for s in after["sheets"] if s["department"]["id"] == yj_dept]
    assert sheet_id in by_dept and len(by_dept) > 4
    paged = monitoring.get_round(fin, r["id"], dept=yj_dept, offset=1, limit=3)
    assert paged["total"] == len(by_dept) and [s["id"] for s in paged["sheets"]] == by_dept[1:4]
    unfilled = monitoring.get_round(fin, r["id"], dept=str(yj_dept), level="unfilled")
    assert [s["id"] for s in unfilled["sheets"]] == [i for i in by_dept if i != sheet_id]
    assert unfilled["total"] == len(by_dept) - 1
    mine = monitoring.get_round(yj, r["id"], limit=1)  # 沅江's scope: its own sheets and department only
    assert mine["total"] == len(by_dept) and len(mine["sheets"]) == 1
    assert [d["code"] for d in mine["departments"]] == ["HN-YJ"]


def test_a_bureau_edits_its_thresholds(hunan):
    database, who, _docs = hunan
    fin, yj = ctx(database, who["finance"]), ctx(database, who["yj"])
    r = monitoring.open_round(fin, org="HN", year=2023, as_of="2023-06-30")
    sheet_id = monitoring.get_round(yj, r["id"])["sheets"][0]["id"]
    budget = D(monitoring.get_sheet(yj, sheet_id)["budget"])
    # 执行率 35%: 14.59 points behind → 黄 by the default profile
    assert monitoring.fill_sheet(yj, sheet_id, {"spent": str(budget * D("0.35"))})["execution_level"] == "amber"
    with pytest.raises(Invalid) as refused:
        monitoring.set_profile(fin, org="HN", name="default", changes={"execution": {"amber_gap": 30, "red_gap": 20}})
    assert "execution.amber_gap（30）不能大于 red_gap（20）" in refused.value.detail["problems"]
    with pytest.raises(Forbidden):
        monitoring.set_profile(yj, org="HN-YJ", name="default", changes={"execution": {"amber_gap": 15}})
    stored = monitoring.set_profile(fin, org="HN", name="default", changes={"execution": {"amber_gap": 15}})
    assert stored["stored"] and stored["execution"] == {"amber_gap": "15", "red_gap": "20"}
    assert monitoring.get_profile(yj, "default")["execution"]["amber_gap"] == "15"  # 沅江 is under HN
    assert monitoring.evaluate_round(fin, r["id"])["sheets"]
    assert monitoring.get_sheet(yj, sheet_id)["execution_level"] == "green"  # 14.59 ≤ 15
    names = [p["name"] for p in monitoring.list_profiles(fin)["items"]]
    assert names.count("default") == 2 and "shanxi" in names

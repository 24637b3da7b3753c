"""Weights of the 自评: default weights on weightless tables, 100 → 90 scaling, month arithmetic."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from jixiao.model.indicator import Indicator
from jixiao.model.indicator import TargetValue
from jixiao.model.indicator import ValueKind
from jixiao.model.source import Location
from jixiao.scoring import DEFAULT_PROFILE
from jixiao.scoring import PROFILES
from jixiao.selfeval.scorecard import default_weights
from jixiao.selfeval.scorecard import months_late
from tests.conftest import seed

D = Decimal

SCALED = """
## 2023年项目支出绩效目标表

部门名称：测试局

单位：万元

单位编码|单位（项目）名称|资金总额|绩效目标|绩效指标||||||||
||||一级指标|二级指标|三级指标|指标值|指标值内容|评（扣）分标准|度量单位|指标值类型|备注
152001|政务服务专项|40.00|提升政务服务能力|产出指标|数量指标|评价部门个数|40|评价范围覆盖40个部门|完成率*指标分值|个|≥|40
|||||时效指标|报告按时提交|按时提交|年底前提交评估报告|按时完成得满分，未完成不得分|次|定性|20
||||成本指标|经济成本指标|项目总成本|40|反映项目总成本|偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分|万元|≤|20
||||效益指标|社会效益指标|政策知晓率|80|群众政策知晓率|完成率*指标分值|%|≥|10
||||满意度指标|服务对象满意度指标|服务对象满意度|95|满意度达到95%以上|完成率*指标分值|%|≥|10
"""


def _app() -> typer.Typer:
    from jixiao.cli import app

    return app


def _roundtrip(tmp_path, source, values: dict[str, object], budget: dict[str, tuple], *extra: str):
    """template → fill by 三级指标 name (and budget by 项目 or 单位) → score --json."""
    runner, app = CliRunner(), _app()
    template = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["selfeval", "template", str(source), "-o", str(template)]).exit_code == 0
    book = openpyxl.load_workbook(template)
    sheet = book["实际完成值"]
    head = {c.value: c.column for c in sheet[2]}
    for r in range(3, sheet.max_row + 1):
        name = sheet.cell(r, head["三级指标"]).value
        if name in values:
            sheet.cell(r, head["实际完成值"]).value = values[name]
    sheet = book["预算执行"]
    head = {c.value: c.column for c in sheet[2]}
    for r in range(3, sheet.max_row + 1):
        label = sheet.cell(r, head["项目"]).value or sheet.cell(r, head["单位"]).value
        if label in budget:
            sheet.cell(r, head["全年预算数"]).value, sheet.cell(r, head["全年执行数"]).value = budget[label]
    book.save(tmp_path / "filled.xlsx")
    args = ["selfeval", "score", str(source), "--actuals", str(tmp_path / "filled.xlsx"), "--json", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["scorecards"][0]


def test_default_weights_on_seed_000(tmp_path):
    """Seed 000 (渌口区 2026) prints no weights: 产出 50 over 5 产出 + 1 成本 indicators
    (8.33 each, the last of the pool — 项目总成本 — takes 50 − 5 × 8.33 = 8.35), 效益 30 over 3
    (10 each), 满意度 10 over 1."""
    values = {
        "政务大厅办件量": 9,  # ≥ 10 万件: 9/10 × 8.33 = 7.497 → 7.50
        "政务大厅办证量": 5200,  # ≥ 5000: met → 8.33
        "政务大厅咨询量": 10,  # met → 8.33
        "优质政务服务比率": "95%",  # met → 8.33
        "各项工作按计划及时完成": 100,  # = 100%: met → 8.33
        "政务办理效率提升": "达成",  # 定性: 达成 → 10
        "便民服务水平提升": "部分达成",  # 定性: 部分达成 → 0.6 × 10 = 6
        "服务规范制度覆盖率": 90,  # ≥ 95%: 90/95 × 10 = 9.4737 → 9.47
        "办事市民满意度": 96,  # met → 10
        "政务大厅运行安排金额": 300,  # ≤ 290: (1 − 10/290) × 8.35 = 8.0621 → 8.06
    }
    data = _roundtrip(tmp_path, seed("000"), values, {"政务大厅运行经费": (290, 290)})
    (project,) = [s for s in data["target_sets"] if s["project"] == "政务大厅运行经费"]
    assert project["weight_rule"] == "default"
    got = {i["name"]: (i["weight"], i["score"]) for i in project["indicators"]}
    assert got == {
        "政务大厅办件量": ("8.33", "7.50"),
        "政务大厅办证量": ("8.33", "8.33"),
        "政务大厅咨询量": ("8.33", "8.33"),
        "优质政务服务比率": ("8.33", "8.33"),
        "各项工作按计划及时完成": ("8.33", "8.33"),
        "政务办理效率提升": ("10", "10.00"),
        "便民服务水平提升": ("10", "6.00"),
        "服务规范制度覆盖率": ("10", "9.47"),
        "办事市民满意度": ("10", "10.00"),
        "政务大厅运行安排金额": ("8.35", "8.06"),
    }
    # Σ = 7.50 + 4 × 8.33 + 10 + 6 + 9.47 + 10 + 8.06 = 84.35; 执行率 290/290 → 10; total 94.35 → 优
    assert (project["execution"]["score"], project["total"], project["grade"]) == ("10.00", "94.35", "优")
    assert project["indicators"][0]["explanation"].startswith("按默认分值 8.33：")
    infos = [f for f in data["findings"] if f["code"] == "selfeval-weights-default"]
    assert len(infos) == 2 and all(f["severity"] == "info" for f in infos)
    (message,) = [f["message"] for f in infos if "政务大厅运行经费" in f["message"]]
    assert (
        "产出 50 分 ÷ 6 项（含成本指标） = 8.33（末项 8.35）；效益 30 分 ÷ 3 项 = 10；满意度 10 分 ÷ 1 项 = 10"
        in message
    )
    # no "weights missing" noise when the defaults apply
    assert not [
        f for f in data["findings"] if f["code"] in ("selfeval-weight-missing", "selfeval-weights-total")
    ]


def test_default_weights_on_seed_002_pre_2021(tmp_path):
    """Seed 002 (沅江市): 成本 is a 二级 under 产出 and 满意度 is printed 社会公众或服务对象满意度指标."""
    data = _roundtrip(tmp_path, seed("002"), {}, {})
    for s in data["target_sets"]:
        assert s["weight_rule"] == "default"
        weights = [D(i["weight"]) for i in s["indicators"]]
        assert sum(weights) == 90
    (first,) = [s for s in data["target_sets"] if s["project"] == "新增劳务派遣人员工资"]
    # 产出 5 (数量 2, 质量, 时效, 成本) → 50/5 = 10; 效益 1 → 30; 满意度 1 → 10
    assert [i["weight"] for i in first["indicators"]] == ["10", "10", "10", "10", "10", "30", "10"]


def test_weights_summing_to_100_are_scaled_to_90(tmp_path):
    source = tmp_path / "scaled.txt"
    source.write_text(SCALED.replace("|", "\t"), encoding="utf-8")
    values = {
        "评价部门个数": 30,  # 完成率*指标分值: 30/40 = 75% × 40 = 30 → × 0.9 = 27.00
        "报告按时提交": "按时完成",  # binary → 20 → × 0.9 = 18.00
        # deviation (46 − 40)/40 = 15% ≥ 10% → 15 of the printed 20 (a scaled 18 would contradict the
        # printed 5/10/15 steps, hence scoring against the printed weight) → × 0.9 = 13.50
        "项目总成本": 46,
        "政策知晓率": 72,  # 72/80 = 90% × 10 = 9 → × 0.9 = 8.10
        "服务对象满意度": 95,  # met → 10 → 9.00
    }
    data = _roundtrip(tmp_path, source, values, {"政务服务专项": (40, 38)})
    (s,) = data["target_sets"]
    assert s["weight_rule"] == "scaled"
    got = {i["name"]: (i["weight"], i["score"]) for i in s["indicators"]}
    assert got == {
        "评价部门个数": ("36", "27.00"),
        "报告按时提交": ("18", "18.00"),
        "项目总成本": ("18", "13.50"),
        "政策知晓率": ("9", "8.10"),
        "服务对象满意度": ("9", "9.00"),
    }
    cost = s["indicators"][2]
    assert cost["family"] == "deviation_steps" and cost["parsed"]
    assert cost["explanation"].endswith("分值 20 按 90/100 折算为 18，得分 15.00×0.9 = 13.50")
    # Σ = 27 + 18 + 13.5 + 8.1 + 9 = 75.60; 执行率 38/40 = 95% → 9.50; total 85.10 → 良
    assert (s["execution"]["score"], s["total"], s["grade"]) == ("9.50", "85.10", "良")
    (scaled,) = [f for f in data["findings"] if f["code"] == "selfeval-weights-scaled"]
    assert scaled["severity"] == "warning" and "已按 90/100 等比例折算" in scaled["message"]
    assert scaled["location"] == "scaled.txt:10"
    assert not [f for f in data["findings"] if f["code"] == "selfeval-weights-total"]


def test_other_totals_are_kept_and_reported(tmp_path):
    """Seed 001's 行政审批服务宣传专项 prints 4 × 8 = 32 points: used as printed, reported."""
    data = _roundtrip(tmp_path, seed("001"), {}, {})
    (s,) = [s for s in data["target_sets"] if s["project"] == "行政审批服务宣传专项"]
    assert s["weight_rule"] == "printed" and [i["weight"] for i in s["indicators"]] == ["8"] * 4
    (total,) = [
        f for f in data["findings"] if f["code"] == "selfeval-weights-total" and "宣传专项" in f["message"]
    ]
    assert total["actual"] == "32" and total["location"] == "001_c182bc71c99e727c.txt:399"


def _ind(level1: str | None, level2: str | None, name: str = "x") -> Indicator:
    return Indicator(
        level1, level2, name, TargetValue("1", ValueKind.QUANTITATIVE, "≥", D(1)), Location("m.txt", 1)
    )


def test_missing_level1_pools_are_redistributed():
    # no 满意度 indicator: 产出 50 and 效益 30 carry the 90 in proportion → 56.25 and 33.75
    weights, detail = default_weights(
        [_ind("产出指标", "数量指标"), _ind("成本指标", "经济成本指标"), _ind("效益指标", "社会效益指标")],
        DEFAULT_PROFILE,
    )
    # 56.25 / 2 = 28.125 → 28.13, the last one 56.25 − 28.13 = 28.12
    assert weights == [D("28.13"), D("28.12"), D("33.75")]
    assert "无满意度指标，其分值按比例分给其他一级指标" in detail


def test_unknown_level1_uses_level2_then_output():
    weights, _ = default_weights(
        [_ind(None, "服务对象满意度指标"), _ind(None, None), _ind("效益", None)], DEFAULT_PROFILE
    )
    assert weights == [D(10), D(50), D(30)]


def test_profile_without_level1_weights_splits_evenly():
    hubei = PROFILES["hubei"]  # 执行率 20 → indicators carry 80, 一级 split unknown
    weights, detail = default_weights([_ind("产出指标", "数量指标")] * 3, hubei)
    assert weights == [D("26.67"), D("26.67"), D("26.66")]
    assert detail.startswith("全部指标 80 分 ÷ 3 项")
    assert default_weights([_ind("产出指标", "数量指标")], replace(DEFAULT_PROFILE, level1_weights=()))[
        0
    ] == [D(90)]


@pytest.mark.parametrize(
    ("due", "done", "late"),
    [
        ("2023-10-31", "2023-10-31", 0),
        ("2023-10-31", "2023-10-02", 0),
        ("2023-10-31", "2023-11-30", 1),  # month ends stay month ends
        ("2023-10-31", "2023-12-01", 2),
        ("2023-10-15", "2023-11-15", 1),
        ("2023-10-15", "2023-11-16", 2),
        ("2023-11-30", "2024-02-29", 3),
    ],
)
def test_months_late(due, done, late):
    assert months_late(dt.date.fromisoformat(due), dt.date.fromisoformat(done)) == late

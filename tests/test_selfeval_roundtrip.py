"""Seed 001 (长沙市行政审批服务局 2023) through the whole 自评 workflow, scores computed by hand.

template → fill 实际完成值 with openpyxl as finance staff would → score (--json and -o) → check every
score of two projects, their 执行率, totals and grades, and the written 自评表 cell by cell.
"""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from jixiao.parse.selfeval_labels import is_instruction
from tests.conftest import seed

A = "“互联网+政务服务”能力专项"
B = "“12345”市民热线工作专项经费"
C = "行政审批服务运行费"
D = "政务公开评估专项"

# (project, 三级指标) → (实际完成值, 偏差原因)
ACTUALS = {
    (A, "“互联网+政务服务”一体化平台上政务服务能力大幅提升"): (85, "部分事项仍需线下核验"),
    (A, "“我的长沙”APP政务服务能力大幅提升"): (55, "APP改版推迟"),
    (A, "评估市直部门个数"): (40, None),
    (A, "评价区县（市）个数"): (10, None),
    (A, "开展全市培训"): (1, None),
    (A, "评价园区个数"): (14, None),
    (A, "评估完成及时率"): ("及时开展", None),
    (A, "项目总成本"): (28, "追加评估范围"),
    (A, "服务对象对网上办理政务服务事项满意度"): ("92%", "个别事项办理时间较长"),
    (B, "人员培训"): ("部分达成", "培训计划部分完成"),
    (B, "席位配置"): (170, "招聘未到位"),
    (B, "群众回访满意率"): (81, "回访样本偏少"),
    (B, "上级部门奖励"): (2, None),
    (B, "办事群众满意度"): (72, "高峰期等待时间长"),
    (B, "宣传报道数量"): (5, "宣传计划调整"),
    (B, "现场电话接通率"): ("93%", "话务高峰"),
    (B, "工作考核"): ("按要求完成", None),
    (B, "回访率"): (0.8, "人力不足"),  # written as 80% (percent-formatted cell) below
    (B, "按时办结率"): (97, "个别工单跨部门"),
    (B, "安全事故发生率"): (0, None),
    (B, "服务工作能力水平"): ("提升效果一般", "培训不足"),
    (B, "工作具有可持续"): ("具有可持续性", None),
    (C, "服务对象满意度"): (92, "窗口高峰"),
    (C, "加强对全市改革推进情况的调度"): ("9月", "方案审议推迟"),
    (C, "宣传报道数量"): (4, "宣传计划调整"),
    (D, "按时完成2023年长沙市政务公开工作情况的摸底调研；"): ("2023-12-15", "调研范围扩大"),
}

# Project A (“互联网+政务服务”能力专项), printed weights 10+10+5+5+5+5+20+20+10 = 90:
A_SCORES = {
    # threshold_linear (完成小于60%不得分，超过60%得分=完成率*指标分值): 85/100 = 85% ≥ 60% → 0.85 × 10
    "“互联网+政务服务”一体化平台上政务服务能力大幅提升": "8.50",
    # threshold_linear: 55/100 = 55% < 60% → 0
    "“我的长沙”APP政务服务能力大幅提升": "0.00",
    "评估市直部门个数": "5.00",  # 40/40 = 100% → 1 × 5
    "评价区县（市）个数": "5.00",  # 10/8 = 125%, capped at 100% → 5
    "开展全市培训": "5.00",  # binary: 1 ≥ target 1 → 完成培训 → 满分 5
    "评价园区个数": "5.00",  # 14/10 = 140% capped → 5 (and ≥ 130%: over-achievement finding)
    "评估完成及时率": "20.00",  # binary: “及时开展” → 满分 20
    # deviation_steps on a ≤ 25 cost: deviation (28 − 25)/25 = 12% ≥ 10% → 15 分
    "项目总成本": "15.00",
    # band_table printed with overlapping bands (90-95 and 85-95): 92% is in both → the more
    # favourable 90%-95% band, 8 分 (reported: scoring-rule-bands-overlap, scoring-band-ambiguous)
    "服务对象对网上办理政务服务事项满意度": "8.00",
}
# Σ = 8.50 + 0 + 5 + 5 + 5 + 5 + 20 + 15 + 8 = 71.50; 执行率 26.6/28 = 95% → 0.95 × 10 = 9.50
A_TOTAL, A_GRADE = "81.00", "良"  # 71.50 + 9.50 = 81.00 ∈ [80, 90)

# Project B (“12345”市民热线工作专项经费), printed weights 10+10+4+3+3+5+5+10+10+10+10+5+5 = 90:
B_SCORES = {
    # 评分标准 prints a 1-point top grade for a 10-point indicator → contradiction → default 定性:
    # “部分达成” → band [0.6w, 0.8w), scored at its lower end 0.6 × 10
    "人员培训": "6.00",
    "席位配置": "8.00",  # deduction_per_unit: 180 − 170 = 10 席位 short × 0.2 → 10 − 2
    "群众回访满意率": "3.00",  # rescaled_linear: 81/90 = 90% → (90% − 60%)/(1 − 60%) × 4 = 3
    "上级部门奖励": "4.00",  # counts: 2 ≥ 1 → 满分 3, one more → +1 (bonus) = 4
    "办事群众满意度": "1.50",  # rescaled: 72/90 = 80% → (0.8 − 0.6)/0.4 × 3 = 1.5
    "宣传报道数量": "0.00",  # rescaled: 5/10 = 50% < 60% → 0
    # rescaled: 93/95 = 97.894…% → (0.978947 − 0.6)/0.4 × 5 = 4.7368… → 4.74
    "现场电话接通率": "4.74",
    "工作考核": "10.00",  # binary: “按要求完成” → 满分
    "回访率": "5.00",  # rescaled, target = 100: 80% → (0.8 − 0.6)/0.4 × 10 = 5
    # rescaled: 97/98 = 98.979…% → (0.989796 − 0.6)/0.4 × 10 = 9.7449 → 9.74
    "按时办结率": "9.74",
    "安全事故发生率": "10.00",  # binary: 0 meets target 0 → “安全行驶，无人员伤亡” → 满分
    "服务工作能力水平": "1.00",  # qualitative_grades: “提升效果一般” → 1 分
    "工作具有可持续": "5.00",  # qualitative_grades: “具有可持续性” → 满分
}
# Σ = 6 + 8 + 3 + 4 + 1.5 + 0 + 4.74 + 10 + 5 + 9.74 + 10 + 1 + 5 = 67.98
# 执行率 1700/2000 = 85% → 8.50; total 67.98 + 8.50 = 76.48 ∈ [60, 80) → 中
B_TOTAL, B_GRADE = "76.48", "中"


def _app() -> typer.Typer:
    from jixiao.cli import app

    return app


def fill(template, out, actuals=ACTUALS) -> None:
    """Write 实际完成值 and the budget rows the way finance staff would (openpyxl)."""
    book = openpyxl.load_workbook(template)
    sheet = book["实际完成值"]
    head = {c.value: c.column for c in sheet[2]}
    todo = dict(actuals)
    for r in range(3, sheet.max_row + 1):
        key = (sheet.cell(r, head["项目"]).value, sheet.cell(r, head["三级指标"]).value)
        if key in todo:
            value, reason = todo.pop(key)
            cell = sheet.cell(r, head["实际完成值"])
            cell.value = value
            if isinstance(value, float):
                cell.number_format = "0%"  # typed as 80% in Excel: stored 0.8, read back as 80
            sheet.cell(r, head["偏差原因分析及改进措施"]).value = reason
    assert not todo, f"rows not found in the template: {todo}"
    budget = book["预算执行"]
    head = {c.value: c.column for c in budget[2]}
    for r in range(3, budget.max_row + 1):
        project = budget.cell(r, head["项目"]).value
        if project == A:  # 年初 25 (prefilled), adjusted to 28, spent 26.6, all 财政拨款
            for column, value in (("全年预算数", 28), ("全年执行数", 26.6), ("财政拨款·全年预算数", 28)):
                budget.cell(r, head[column]).value = value
            budget.cell(r, head["财政拨款·全年执行数"]).value = 26.6
        elif project == B:  # 1500 + 150 ≠ 1700: split mismatch; 85% < 90% with no reason
            budget.cell(r, head["全年预算数"]).value = 2000
            budget.cell(r, head["全年执行数"]).value = 1700
            budget.cell(r, head["财政拨款·全年执行数"]).value = 1500
            budget.cell(r, head["其他资金·全年执行数"]).value = 150
    book.save(out)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("selfeval")
    runner, app, source = CliRunner(), _app(), str(seed("001"))
    template = tmp / "actuals.xlsx"
    made = runner.invoke(app, ["selfeval", "template", source, "-o", str(template)])
    assert made.exit_code == 0, made.output
    filled = tmp / "filled.xlsx"
    fill(template, filled)
    report = tmp / "自评表.xlsx"
    result = runner.invoke(
        app, ["selfeval", "score", source, "--actuals", str(filled), "--json", "-o", str(report)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["scorecards"][0]
    return {"data": data, "report": report, "template": template}


def _set(data, project):
    (found,) = [s for s in data["target_sets"] if s["project"] == project]
    return found


def _scores(target_set):
    return {i["name"]: i["score"] for i in target_set["indicators"]}


def test_template_has_a_row_per_indicator_and_a_hidden_key(run):
    book = openpyxl.load_workbook(run["template"])
    assert book.sheetnames == ["说明", "实际完成值", "预算执行"]
    sheet = book["实际完成值"]
    head = [c.value for c in sheet[2]]
    assert head[-3:] == ["实际完成值", "偏差原因分析及改进措施", "匹配键"]
    assert sheet.column_dimensions["P"].hidden
    assert sheet.freeze_panes == "A3"
    assert sheet.protection.sheet
    assert sheet["N3"].protection.locked is False and sheet["M3"].protection.locked is True
    assert sheet.max_row - 2 == 131  # every indicator of the 13 target sets
    first = [c.value for c in sheet[3]]
    assert first[7] == "“互联网+政务服务”一体化平台上政务服务能力大幅提升"
    assert first[11] == 10 and first[-1] == "001_c182bc71c99e727c.txt:378|" + first[7]
    budget = book["预算执行"]
    assert [c.value for c in budget[3]][4:8] == [A, 25, 25, None]  # 年初 prefilled, 全年预算数 = 年初


def test_project_a_scores_by_hand(run):
    a = _set(run["data"], A)
    assert _scores(a) == A_SCORES
    families = {i["name"]: (i["family"], i["parsed"]) for i in a["indicators"]}
    assert families["项目总成本"] == ("deviation_steps", True)
    assert families["服务对象对网上办理政务服务事项满意度"] == ("band_table", True)
    assert a["execution"] == {
        "initial": "25",
        "budget": "28",
        "spent": "26.6",
        "rate": "95.00%",
        "score": "9.50",
        "explanation": "执行率 = 26.6/28 = 95.00%：95%×10 = 9.50",
    }
    assert (a["total"], a["grade"]) == (A_TOTAL, A_GRADE)
    assert a["weight_rule"] == "printed"


def test_project_b_scores_by_hand(run):
    b = _set(run["data"], B)
    assert _scores(b) == B_SCORES
    assert {i["family"] for i in b["indicators"]} >= {
        "deduction_per_unit",
        "rescaled_linear",
        "counts",
        "binary",
        "qualitative_grades",
        "default_qualitative",
    }
    assert (b["execution"]["rate"], b["execution"]["score"]) == ("85.00%", "8.50")
    assert (b["total"], b["grade"]) == (B_TOTAL, B_GRADE)


def test_other_families_and_dates(run):
    c = _scores(_set(run["data"], C))
    assert c["服务对象满意度"] == "4.00"  # band_table: 92% in [90%, 95%) → 4 分
    assert c["加强对全市改革推进情况的调度"] == "2.00"  # 每超过1个月扣1分: 9月 − 7月 = 2 → 4 − 2
    assert c["宣传报道数量"] == "3.00"  # base_plus_increments: 3 次 → 2, 4 次 → 2 + 1
    d = _set(run["data"], D)
    (late,) = [i for i in d["indicators"] if i["actual"] == "2023-12-15"]
    # deadline 2023-10-31, done 2023-12-15: within 2 months → 推迟1月扣1分 → 4 − 2 = 2 (floor 2)
    assert late["score"] == "2.00" and "晚于期限 2023-10-31" in late["explanation"]
    assert d["weight_rule"] == "incomplete"  # one indicator without 分值


def test_findings(run):
    codes = {(f["code"], f["subject"]) for f in run["data"]["findings"]}
    assert ("selfeval-over-achievement", f"{A}/评价园区个数") in codes
    assert ("selfeval-budget-split-mismatch", f"项目支出/{B}") in codes
    assert ("selfeval-execution-unexplained", f"项目支出/{B}") in codes
    assert ("scoring-rule-bands-overlap", f"{A}/服务对象对网上办理政务服务事项满意度") in codes
    assert ("scoring-band-ambiguous", f"{A}/服务对象对网上办理政务服务事项满意度") in codes
    assert ("scoring-bonus", f"{B}/上级部门奖励") in codes
    assert ("selfeval-weight-missing", f"{D}/上级部门满意") in codes
    # rows left blank are reported once, at the cell to fill
    missing = [f for f in run["data"]["findings"] if f["subject"] == f"{C}/简政放权“回头看”"]
    assert [f["code"] for f in missing] == ["selfeval-actual-missing"]
    assert missing[0]["location"].startswith("filled.xlsx:实际完成值!N")
    # every scored A/B indicator that lost points has a reason: no unexplained deviation there
    unexplained = [
        f["subject"] for f in run["data"]["findings"] if f["code"] == "selfeval-deviation-unexplained"
    ]
    assert not [s for s in unexplained if s.startswith((A, B))]


def _sheet_of(book, project):
    (sheet,) = [s for s in book.worksheets if s["B2"].value == project]
    return sheet


def _row_of(sheet, column, value):
    (row,) = [c.row for c in sheet[column] if c.value == value]
    return row


def test_report_project_a(run):
    book = openpyxl.load_workbook(run["report"])
    assert book.sheetnames[0] == "汇总" and book.sheetnames[-2:] == ["评分说明", "问题清单"]
    sheet = _sheet_of(book, A)
    assert sheet["A1"].value == "项目支出绩效自评表（2023年度）"
    # project A's indicators carry a 评（扣）分标准: printed in column J after 得分, 原因 in K
    assert "A1:K1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].font.name == "宋体" and sheet["C15"].border.left.style == "thin"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    # a form is printed one page wide; the lists repeat their header row (under the title) on every page
    assert sheet.print_title_rows is None and book["评分说明"].print_title_rows == "$2:$2"
    # 预算执行情况（10分）: 总额 row
    r = _row_of(sheet, "A", "总额")
    assert sheet[f"A{r - 2}"].value == "预算执行情况（10分）"
    assert [sheet.cell(r, c).value for c in range(3, 9)] == [25, 28, 26.6, 0.95, 10, 9.5]
    assert sheet[f"A{r + 1}"].value == "其中：财政拨款"
    assert [sheet.cell(r + 1, c).value for c in range(4, 7)] == [28, 26.6, 0.95]
    # 绩效指标（90分）: every indicator with 完成值, 权重, 得分, 原因
    head = _row_of(sheet, "A", "一级指标")
    assert sheet[f"A{head - 1}"].value == "绩效指标（90分）"
    rows = {sheet[f"C{n}"].value: n for n in range(head + 1, head + 10)}
    assert len(rows) == 9
    for name, expected in A_SCORES.items():
        n = rows[name]
        assert Decimal(str(sheet[f"I{n}"].value)) == Decimal(expected), name
    n = rows["项目总成本"]
    assert [sheet[f"{c}{n}"].value for c in "ABDEFGHK"] == [
        "成本指标",
        "经济成本指标",
        "≤",
        "25",
        "万元",
        28,
        20,
        "追加评估范围",
    ]
    assert sheet[f"J{head}"].value == "评（扣）分标准" and sheet[f"J{n}"].value.startswith("偏离目标40%不得分")
    assert sheet[f"G{rows['服务对象对网上办理政务服务事项满意度']}"].value == "92%"
    total = _row_of(sheet, "A", "合计")
    assert total == head + 10
    assert (sheet[f"H{total}"].value, sheet[f"I{total}"].value, sheet[f"J{total}"].value) == (  # 等级 over J:K
        100,
        81,
        "等级：良",
    )
    assert sheet[f"B{total + 1}"].value.startswith(
        "自评得分 81.00 分，等级“良”。9 项绩效指标中 4 项未完全达成"
    )
    # left to the department, with the form's instruction (the reader takes it for a blank)
    assert sheet[f"A{total + 2}"].value == "存在问题" and is_instruction(sheet[f"B{total + 2}"].value)


def test_report_project_b_summary_and_explanations(run):
    book = openpyxl.load_workbook(run["report"])
    sheet = _sheet_of(book, B)
    r = _row_of(sheet, "A", "总额")
    assert [sheet.cell(r, c).value for c in range(3, 9)] == [1955.15, 2000, 1700, 0.85, 10, 8.5]
    total = _row_of(sheet, "A", "合计")
    assert (sheet[f"H{total}"].value, sheet[f"I{total}"].value) == (100, 76.48)
    summary = book["汇总"]
    rows = {row[4]: row for row in summary.iter_rows(min_row=3, values_only=True)}
    assert rows[A][5:11] == (90, 71.5, "95.00%", 9.5, 81, "良")
    assert rows[B][5:11] == (90, 67.98, "85.00%", 8.5, 76.48, "中")
    notes = book["评分说明"]
    working = {(row[1], row[2]): row[8] for row in notes.iter_rows(min_row=3, values_only=True)}
    assert working[(A, "“互联网+政务服务”一体化平台上政务服务能力大幅提升")] == (
        "完成率 = 85/100 = 85.00% ≥ 60%：85%×10 = 8.50"
    )
    assert working[(B, "预算执行率")] == "执行率 = 1700/2000 = 85.00%：85%×10 = 8.50"

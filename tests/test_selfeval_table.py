"""The 项目支出绩效自评表 read back (DOMAIN §2.6b) and rule 29 SE-SCORE on it.

The real form is 青神县发展和改革局's 2023 部门预算项目支出绩效自评表 (四川), in the pipe-cells text
layout: one cell per line ending in " |", a lone "|" an empty cell. It is left unfilled (完成值,
得分, 评价结论 …): every field is asserted with its line, and its two findings (the unfilled fields;
the scores not printed, with the 执行率 score they should have) were checked by hand against the
file. The inline forms below are filled in the same layout and break one thing at a time.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.findings import Finding
from jixiao.model.indicator import ValueKind
from jixiao.model.selfeval_table import SelfEvalTable
from jixiao.model.source import Location
from jixiao.parse.selfeval_table import is_instruction
from jixiao.pipeline import parse_file
from jixiao.pipeline import parse_text
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import Row
from jixiao.readers.text import read_text_bytes
from jixiao.render.document_json import document_json
from jixiao.rules import Context
from jixiao.rules import rules_for
from jixiao.rules import run
from tests.conftest import DATA

SC = DATA / "pg_qingshen_fgj_2023_project_selfeval_table_SC.txt"
PROJECT = "51000021R000000019951-工资性支出"


def sc():
    return parse_file(SC, name=SC.name)


def only_table(doc) -> SelfEvalTable:
    (table,) = doc.tables
    assert isinstance(table, SelfEvalTable)
    return table


def line(location) -> int:
    return location.line


def check(text: str) -> list[Finding]:
    doc, found = parse_text(text, "form.txt")
    return sorted([*found, *run(doc)], key=Finding.sort_key)


def codes(findings) -> list[tuple[str, int | None]]:
    return [(f.code, f.location.line if f.location else None) for f in findings]


# ---------------------------------------------------------------- the reader


def test_the_form_is_read_as_pipe_cells_each_on_its_line():
    raw, found = read_text_bytes(SC.read_bytes(), SC.name)
    assert raw.layout == "pipe-cells" and found == []
    rows = raw.lines()
    assert all(isinstance(r, Row) and len(r.cells) == 1 for r in rows)
    assert len(rows) == 110  # every line is one cell, empty cells included
    assert [(r.cells[0].text, r.location.line) for r in rows[6:9]] == [
        ("部门预算项目支出绩效自评表(2023年度)", 7), ("项目名称", 8), (PROJECT, 9)]
    assert rows[20].is_blank() and rows[20].location.line == 21
    assert rows[11].cells[0].text == "实施单位 (盖章)" and str(rows[11].cells[0].location) == f"{SC.name}:12"


def test_a_wrapped_cell_keeps_its_first_line_and_a_loose_paragraph_stays_one():
    text = "说明文字\n\n标题行 |\n项目名称 |\n第一行\n第二行 |\n| \n a |\nb |\nc |\nd |\ne |\n"
    raw, _ = read_text_bytes(text.encode(), "w.txt")
    assert raw.layout == "pipe-cells"
    lines = raw.lines()
    assert isinstance(lines[0], Paragraph) and (lines[0].text, lines[0].location.line) == ("说明文字", 1)
    cells = [(r.cells[0].text, r.location.line) for r in lines[1:]]
    assert cells == [("标题行", 3), ("项目名称", 4), ("第一行第二行", 5), ("", 7), ("a", 8), ("b", 9), ("c", 10),
                     ("d", 11), ("e", 12)]


def test_other_layouts_are_not_pipe_cells():
    markdown = "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n| 7 | 8 |\n"
    raw, _ = read_text_bytes(markdown.encode(), "m.txt")
    assert raw.layout == "tab-rows"
    prose = "一、基本情况 |\n" + "正文一行。\n" * 10
    raw, _ = read_text_bytes(prose.encode(), "p.txt")
    assert raw.layout == "tab-rows"


# ---------------------------------------------------------------- the real SC form


def test_sc_header_fields_with_their_lines():
    doc, _ = sc()
    t = only_table(doc)
    assert doc.kind == "self_evaluation_table" and doc.year == 2023 and doc.org == "青神县发展和改革局本级"
    assert (t.kind, t.title, line(t.location), t.year) == ("selfeval_table", "部门预算项目支出绩效自评表(2023年度)", 7, 2023)
    assert (t.project.text, line(t.project.location)) == (PROJECT, 9)
    assert (t.department.text, line(t.department.location)) == ("青神县发展和改革局本级", 11)
    assert (t.implementer.text, line(t.implementer.location)) == ("青神县发展和改革局", 13)
    assert line(t.goal.location) == 18 and t.goal.text.startswith("严格执行相关政策,保障工资及时")
    # the completion cell still holds the form's instruction: unfilled, the instruction kept
    c = t.goal_completion
    assert (c.text, c.instruction, line(c.location)) == (None, True, 19)
    assert c.printed == "对照年度目标,说明相关任务目标的完成情况(100字以内)"
    (process,) = t.texts
    assert (process.label, process.text, line(process.location)) == ("项目实施内容及过程概述", None, 21)
    assert [(s.label, s.text, line(s.location)) for s in t.signatures] == [("项目负责人", None, 108), ("财务负责人", None, 109)]
    assert t.missing == ()


def test_sc_budget_block():
    t = only_table(sc()[0])
    assert (t.budget_points, line(t.budget_location)) == (Decimal(10), 22)
    total = t.budget_total
    assert (total.label, line(total.location)) == ("总额", 31)
    assert (total.initial, total.adjusted, total.spent) == (Decimal("238.93"), Decimal("251.89"), Decimal("251.89"))
    assert (total.rate, total.rate_text, total.weight, total.score, total.score_text) == (
        Decimal("100.00"), "100.00%", Decimal(10), None, "")
    assert [line(total.where(k)) for k in ("initial", "adjusted", "spent", "rate", "weight", "score", "reason")] == [
        32, 33, 34, 35, 36, 37, 38]
    # the merged 原因 cell holds the form's note: an instruction, not a reason
    assert total.reason is None and total.reason_printed.startswith("1.预算执行率=预算执行数/调整后预算数")
    rows = [(b.label, line(b.location), b.initial, b.adjusted, b.spent, b.rate_text, b.weight, b.score_text)
            for b in t.budget_lines]
    assert rows == [
        ("总额", 31, Decimal("238.93"), Decimal("251.89"), Decimal("251.89"), "100.00%", Decimal(10), ""),
        ("其中:财政资金", 39, Decimal("238.93"), Decimal("251.89"), Decimal("251.89"), "100.00%", None, "/"),
        ("财政专户管理资金", 46, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), "0.00%", None, "/"),
        ("单位资金", 53, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), "0.00%", None, "/"),
        ("其他资金", 60, None, None, None, "", None, "/"),
    ]


def test_sc_indicators_and_total():
    t = only_table(sc()[0])
    assert (t.indicator_points, line(t.indicator_location)) == (Decimal(90), 67)
    read = [(i.level1, i.level2, i.name, line(i.location), i.target.op, i.target.op_text, i.target.value,
             i.target.unit, i.target.kind, i.actual, i.weight, i.score, i.reason) for i in t.indicators]
    assert read == [
        ("产出指标", "数量指标", "发放(缴纳)覆盖率", 80, "=", "=", Decimal(100), "%", ValueKind.QUANTITATIVE,
         None, Decimal(60), None, None),
        ("效益指标", "社会效益指标", "足额保障率(参保率)", 90, "=", "=", Decimal(100), "%", ValueKind.QUANTITATIVE,
         None, Decimal(30), None, None),
    ]
    first = t.indicators[0]
    assert [line(first.where(k)) for k in ("level1", "op", "value", "unit", "actual", "weight", "score", "reason")] == [
        78, 81, 82, 83, 84, 85, 86, 87]
    assert (t.total_weight, t.total_score, t.grade, line(t.total_location)) == (Decimal(100), None, None, 98)
    for f, at in ((t.conclusion, 103), (t.problems, 105), (t.measures, 107)):
        assert (f.text, f.instruction, line(f.location)) == (None, True, at)


def test_sc_findings_reviewed_by_hand():
    """Two findings, both notes: the form is blank where the department writes. No score is
    printed, so nothing mismatches: 251.89 / 251.89 = 100.00% as printed, 60 + 30 + 10 = 100 = the
    printed 合计 权重, 238.93 + 0.00 + 0.00 = 238.93 (总额 = 其中)."""
    doc, found = sc()
    findings = sorted([*found, *run(doc)], key=Finding.sort_key)
    assert codes(findings) == [("selfeval-table-unfilled", 19), ("selfeval-table-scores-missing", 98)]
    unfilled, scores = findings
    assert unfilled.severity.value == scores.severity.value == "info"
    assert unfilled.subject == scores.subject == PROJECT
    assert unfilled.message == (
        f"{PROJECT}：以下栏目未填写（空白或仍为表中的填表说明）：年度目标完成情况（仍为填表说明）、项目实施内容及过程概述、"
        "完成值（发放(缴纳)覆盖率、足额保障率(参保率)）、评价结论（仍为填表说明）、存在问题（仍为填表说明）、改进措施（仍为填表说明）")
    assert scores.message == (
        f"{PROJECT}：表中未填写预算执行率得分、2 项指标得分、合计得分；按表中数据，预算执行率得分应为 10.00；"
        "2 项指标未填写完成值，无法计算其得分和合计得分")
    assert not [f for f in findings if f.severity.value == "error"]


def test_the_rule_is_in_the_self_evaluation_profile_only():
    assert [r.id for r in rules_for("self-evaluation") if r.id == "selfeval.table-score"] == ["selfeval.table-score"]
    assert "selfeval.table-score" not in [r.id for r in rules_for("disclosure")]
    doc, _ = sc()
    assert not [f for f in run(doc, Context(profile="targets")) if f.code.startswith("selfeval-table")]


def test_a_form_is_no_budget_disclosure():
    doc, _ = sc()
    assert not [f for f in run(doc) if f.code.startswith("disclosure-")]


def test_instructions_are_not_content():
    assert is_instruction("结合自评情况,分析存在的问题及原因。(200字以内)")
    assert is_instruction("对照年度目标，说明相关任务目标的完成情况")  # without the limit, full-width comma
    assert not is_instruction("结合自评情况，本项目自评得分96.5分，等级为优。")
    assert not is_instruction(None) and not is_instruction("")


def test_document_json_of_the_form():
    doc, found = sc()
    table = document_json(doc, SC.name, found)["tables"][0]
    assert table["kind"] == "selfeval_table" and table["target_sets"] == [] and table["rows"] == []
    assert table["project"]["text"] == PROJECT and table["project"]["location"] == f"{SC.name}:9"
    assert table["budget_lines"][0]["rate_text"] == "100.00%" and table["budget_lines"][0]["adjusted"] == "251.89"
    assert [i["weight"] for i in table["indicators"]] == ["60", "30"] and table["total_weight"] == "100"


# ---------------------------------------------------------------- a form that ends early


SC_LINES = SC.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize("cut", range(7, len(SC_LINES)))
def test_any_cut_parses_without_crash(cut):
    doc, found = parse_text("".join(SC_LINES[:cut]), SC.name)
    findings = [*found, *run(doc)]
    assert not [f for f in findings if f.code == "rule-crashed"]
    table = only_table(doc)
    if cut < 102:  # 评价结论 not reached
        assert "selfeval-table-incomplete" in [f.code for f in findings] and table.missing


def test_cut_inside_the_indicators():
    doc, found = parse_text("".join(SC_LINES[:83]), SC.name)  # up to 度量单位 (line 83) of the first indicator
    t = only_table(doc)
    assert t.missing == ("合计", "评价结论", "存在问题", "改进措施")
    by_code = {f.code: f for f in found}
    assert by_code["selfeval-table-incomplete"].location.line == 83
    assert "未找到：合计、评价结论、存在问题、改进措施" in by_code["selfeval-table-incomplete"].message
    short = by_code["selfeval-table-row-short"]
    assert short.location.line == 78 and "缺少：完成值、权重、得分、未完成原因分析" in short.message
    # the last rows are unknown: no weight or total check, only the note on the scores
    assert [f.code for f in run(doc)] == ["selfeval-table-scores-missing"]


# ---------------------------------------------------------------- filled forms (inline)

NOTE = ("1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的(追加或调减),"
        "应单独说明理由;3.其他资金包括:社会投入资金、银行贷款.")
ROW3 = "效益指标 |\n社会效益指标 |\n群众知晓率 |\n≥ |\n90 |\n% |\n92 |\n30 |\n30.00 |\n|\n"
FORM = """部门预算项目支出绩效自评表(2023年度) |
项目名称 |
P01-业务培训 |
主管部门 |
某县测试局 |
实施单位 (盖章) |
某县测试局 |
项目基本情况 |
1.项目年度目标完成情况 |
项目年度目标 |
年度目标完成情况 |
全年培训200人次,合格率95%以上。 |
全年培训180人次,合格率96%。 |
2.项目实施内容及过程概述 |
分四期组织培训。 |
预算执行情况(10分) |
年度预算数(万元) |
年初预算 |
调整后预算数 |
预算执行数 |
预算执行率 |
权重 |
得分 |
原因 |
总额 |
100.00 |
120.00 |
{t_spent} |
{t_rate} |
10 |
{t_score} |
{t_reason} |
其中:财政资金 |
100.00 |
110.00 |
{f_spent} |
{f_rate} |
/ |
/ |
财政专户管理资金 |
0.00 |
0.00 |
0.00 |
0.00% |
/ |
/ |
单位资金 |
0.00 |
10.00 |
8.40 |
84.00% |
/ |
/ |
其他资金 |
|
|
|
|
/ |
/ |
绩效指标(90分) |
一级指标 |
二级指标 |
三级指标 |
指标性质 |
指标值 |
度量单位 |
完成值 |
权重 |
得分 |
未完成原因分析 |
产出指标 |
数量指标 |
培训人次 |
≥ |
200 |
人次 |
180 |
30 |
{i1_score} |
{i1_reason} |
产出指标 |
质量指标 |
培训合格率 |
≥ |
95 |
% |
96 |
20 |
20.00 |
|
{row3}满意度指标 |
服务对象满意度指标 |
学员满意度 |
≥ |
90 |
% |
95 |
{w4} |
{s4} |
|
合计 |
{total_w} |
{total} |
{grade} |
评价结论 |
自评得分{total}分,等级{grade}。 |
存在问题 |
培训场地不足,一期培训推迟。 |
改进措施 |
提前预订培训场地。 |
项目负责人:张三 |
财务负责人:李四 |
"""
GOOD = {
    "t_spent": "114.00", "t_rate": "95.00%", "t_score": "9.50", "t_reason": NOTE,
    "f_spent": "105.60", "f_rate": "96.00%",
    "i1_score": "27.00", "i1_reason": "场地受限,两期培训合并。",
    "row3": ROW3, "w4": "10", "s4": "10.00",
    "total_w": "100", "total": "96.50", "grade": "优",
}


def form(**changes: str) -> str:
    return FORM.format(**{**GOOD, **changes})


def form_line(text: str, cell: str) -> int:
    """The line of a cell in an inline form (it must be printed once)."""
    lines = [n for n, ln in enumerate(text.splitlines(), start=1) if ln == f"{cell} |"]
    assert len(lines) == 1, cell
    return lines[0]


def review(**changes: str) -> list[Finding]:
    return [f for f in check(form(**changes)) if f.code not in ("selfeval-table-unfilled",)]


def test_the_correct_form_is_read_and_passes():
    """180/200 × 30 = 27.00; 96 ≥ 95, 92 ≥ 90, 95 ≥ 90 → full; 114/120 = 95.00% → 9.50;
    27 + 20 + 30 + 10 + 9.5 = 96.50 → 优; 30 + 20 + 30 + 10 + 10 = 100; 100.00 + 0 + 0 = 100.00,
    110 + 0 + 10 = 120, 105.60 + 0 + 8.40 = 114.00."""
    text = form()
    doc, found = parse_text(text, "form.txt")
    t = only_table(doc)
    assert [(i.name, i.actual, i.weight, i.score) for i in t.indicators] == [
        ("培训人次", "180", Decimal(30), Decimal("27.00")), ("培训合格率", "96", Decimal(20), Decimal("20.00")),
        ("群众知晓率", "92", Decimal(30), Decimal("30.00")), ("学员满意度", "95", Decimal(10), Decimal("10.00"))]
    assert (t.total_weight, t.total_score, t.grade) == (Decimal(100), Decimal("96.50"), "优")
    assert t.conclusion.text == "自评得分96.50分,等级优。" and t.goal_completion.text == "全年培训180人次,合格率96%。"
    assert [(s.label, s.text) for s in t.signatures] == [("项目负责人", "张三"), ("财务负责人", "李四")]
    assert t.indicators[0].reason == "场地受限,两期培训合并。"
    assert [f.code for f in [*found, *run(doc)]] == []


def test_a_wrong_printed_execution_rate():
    text = form(t_rate="96.50%")
    (f,) = review(t_rate="96.50%")
    assert (f.code, f.severity.value, f.location.line) == ("selfeval-table-rate-mismatch", "error", form_line(text, "96.50%"))
    assert (f.expected, f.actual) == ("95.00%", "96.50%")
    assert "按预算执行数 114.00 万元 / 调整后预算数 120.00 万元应为 95.00%" in f.message


def test_a_rate_within_the_printed_precision_passes():
    # 114/120 = 95%: printed "95%" (precision 1) passes, so does 105.60/110 = 96% as "96.0%"
    assert review(t_rate="95%", f_rate="96.0%") == []
    (f,) = review(f_rate="96.1%")
    assert (f.code, f.expected) == ("selfeval-table-rate-mismatch", "96.0%")


def test_a_wrong_printed_indicator_score():
    text = form(i1_score="28.00", total="97.50")
    (f,) = review(i1_score="28.00", total="97.50")
    assert (f.code, f.location.line) == ("selfeval-table-score-mismatch", form_line(text, "28.00"))
    assert (f.expected, f.actual) == ("27.00", "28.00")
    assert "指标“培训人次”得分印为 28.00，应为 27.00" in f.message and "180/200" in f.message


def test_a_wrong_execution_score():
    (f,) = review(t_score="10.00", total="97.00")
    assert (f.code, f.expected, f.actual) == ("selfeval-table-score-mismatch", "9.50", "10.00")


def test_a_wrong_total():
    text = form(total="95.50")
    (f,) = review(total="95.50")
    assert (f.code, f.location.line) == ("selfeval-table-total-mismatch", form_line(text, "合计"))
    assert (f.expected, f.actual) == ("96.50", "95.50")


def test_a_wrong_grade():
    (f,) = review(grade="良")
    assert (f.code, f.expected, f.actual) == ("selfeval-table-grade-mismatch", "优", "良")


def test_weights_not_summing_to_100():
    found = review(w4="15", s4="15.00", total="101.50")
    assert [(f.code, f.expected, f.actual) for f in found] == [
        ("selfeval-table-weight-sum", "100", "105"),
        ("selfeval-table-weight-total-mismatch", "105", "100"),
    ]
    assert "绩效指标权重合计 95 分，加预算执行率 10 分共 105 分" in found[0].message


def test_an_indicator_below_target_without_reason():
    text = form(i1_reason="")
    (f,) = review(i1_reason="")
    assert (f.code, f.severity.value) == ("selfeval-table-reason-missing", "warning")
    assert f.location.line == form_line(text, "27.00") + 1  # the empty 未完成原因分析 cell
    assert "指标“培训人次”完成值 180 未达到指标值 ≥200人次（得分 27.00/30）" in f.message


def test_execution_below_90_percent_needs_a_reason():
    """96/120 = 80.00% → 8.00; 87.60/110 = 79.64%; total 27 + 20 + 30 + 10 + 8 = 95.00."""
    low = {"t_spent": "96.00", "t_rate": "80.00%", "t_score": "8.00", "f_spent": "87.60", "f_rate": "79.64%",
           "total": "95.00"}
    (f,) = review(**low)
    assert (f.code, f.severity.value) == ("selfeval-table-execution-unexplained", "warning")
    assert "预算执行率 80.00% 未达到 90%" in f.message
    assert review(**low, t_reason="两期培训推迟至次年,相应资金未支付。") == []


def test_split_rows_not_adding_up_to_the_total():
    (f,) = review(f_spent="104.60", f_rate="95.09%")
    assert (f.code, f.expected, f.actual) == ("selfeval-table-split-mismatch", "114.00", "113.00")


def test_a_qualitative_indicator_is_checked_against_its_band():
    qualitative = "效益指标 |\n社会效益指标 |\n培训成果转化 |\n定性 |\n好 |\n|\n达成年度指标 |\n30 |\n{s} |\n|\n"
    # 达成年度指标 → [24, 30]: 27 is inside
    assert review(row3=qualitative.format(s="27.00"), total="93.50") == []
    (f,) = review(row3=qualitative.format(s="20.00"), total="86.50", grade="良")
    assert (f.code, f.expected, f.actual) == ("selfeval-table-score-mismatch", "[24.00, 30.00]", "20.00")


def test_scores_not_printed_are_noted_with_what_they_should_be():
    found = review(t_score="", i1_score="", total="")
    assert [f.code for f in found] == ["selfeval-table-scores-missing"]
    assert found[0].message.endswith(
        "表中未填写预算执行率得分、指标“培训人次”得分、合计得分；按表中数据，预算执行率得分应为 9.50，"
        "指标“培训人次”得分应为 27.00，合计应为 96.50（优）")


def test_unfilled_fields_of_a_filled_form():
    text = form().replace("提前预订培训场地。 |", "针对项目自评中发现的问题,提出下一步改进完善的意见及有关政策性建议。(200字以内) |")
    (f,) = [f for f in check(text) if f.code == "selfeval-table-unfilled"]
    assert f.actual == "改进措施（仍为填表说明）"


def test_two_forms_in_one_file_are_two_tables():
    text = form() + form().replace("P01-业务培训", "P02-设备购置")
    doc, found = parse_text(text, "two.txt")
    assert [(t.name, t.location.line) for t in doc.tables] == [("P01-业务培训", 1), ("P02-设备购置", 124)]
    assert [f.code for f in [*found, *run(doc)]] == []


def test_the_writers_headers_are_read():
    """The 自评表 jixiao writes (write.selfeval_table) prints the headers this parser reads."""
    from jixiao.parse.selfeval_labels import BUDGET_COLUMNS
    from jixiao.parse.selfeval_labels import INDICATOR_COLUMNS
    from jixiao.parse.selfeval_labels import Cell
    from jixiao.parse.selfeval_labels import column
    from jixiao.write.selfeval_layout import load_table_layout

    form = load_table_layout().form
    BUDGET_HEADERS, INDICATOR_HEADERS = form["budget_headers"], form["indicator_headers"]  # noqa: N806

    def keys(headers, columns):
        return [column(Cell(h, Location("x.txt", 1)), columns) for h in headers]

    assert keys(INDICATOR_HEADERS, INDICATOR_COLUMNS) == [
        "level1", "level2", "name", "op", "value", "unit", "actual", "weight", "score", "reason"]
    assert keys(BUDGET_HEADERS, BUDGET_COLUMNS) == ["initial", "adjusted", "spent", "rate", "weight", "score"]


"""Project-library forms (central 项目库 export layout) on inline documents: the 绩效目标表 with its
中期/年度 money columns, the 执行监控表 (read, not reviewed), the other record sheets (recognised,
not read), and the target values these forms print. The real workbook is in
tests/test_golden_real_sheets.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.findings import Finding
from jixiao.model.indicator import ValueKind
from jixiao.parse.values import parse_value
from jixiao.pipeline import parse_text
from jixiao.rules import run

TARGET = """2019年210青少年校园足球扶持资金绩效目标表
项目名称\t\t\t2019年210青少年校园足球扶持资金
主管部门及代码\t\t\t[105]教育部\t\t实施单位\t\t北京大学
项目资金（万元）\t\t\t中期资金总额：\t{period}\t年度资金总额：\t\t{total}
\t\t\t其中：财政拨款\t{period}\t其中：财政拨款\t\t{total}
\t\t\t其他资金\t0.00\t其他资金\t\t5.00
绩效指标\t一级指标\t二级指标\t三级指标\t指标值
"""
MONITOR = """项目支出绩效目标执行监控表
项目名称\t\t\t2019年210青少年校园足球扶持资金
项目资金（万元）\t\t\t\t\t\t\t年初预算数\t\t\t1-7月执行数
\t\t\t年度资金总额：\t\t\t\t190.00\t\t\t0.00
年度总体目标\t完成校园足球运动技术动画20集的设计制作与播出
\t一级指标\t二级指标\t三级指标\t年度指标值\t1-7月执行数\t全年预计执行数\t偏差原因分析\t\t完成目标可能性\t\t备注
\t\t\t\t\t\t\t经费保障\t原因说明\t确定能\t有可能
\t产出指标\t数量指标\t完成动画短剧的制作\t20集\t一般\t100%\t\t制作5集样片\t✔\t\t前半年设计
\t满意度指标\t服务对象满意度指标\t校园用户满意度\t很满意\t一般\t100%\t✔\t\t\t✔
支出计划
序号\t预算年度\t支出计划\t年初预算
2\t2019\t190\t190
"""


def checked(text: str) -> tuple[object, list[Finding]]:
    doc, found = parse_text(text, "export.txt")
    return doc, sorted([*found, *run(doc)], key=Finding.sort_key)


def test_the_annual_column_is_the_amount_and_the_medium_term_one_is_kept_as_printed():
    doc, found = checked(TARGET.format(period="380.00", total="190.00"))
    (ts,) = doc.tables[0].target_sets
    assert (doc.tables[0].kind, ts.project, ts.unit) == ("project_targets", "2019年210青少年校园足球扶持资金", "北京大学")
    assert (ts.amounts.total, ts.amounts.period_total, ts.amounts.other) == (
        Decimal("190.00"), Decimal("380.00"), Decimal("5.00"))
    assert [(name, text) for name, text, _ in ts.texts if name.startswith("period_") and name != "period_total"] == [
        ("period_fiscal", "380.00"), ("period_other", "0.00")]
    assert "continued-text-differs" not in [f.code for f in found]


def test_monitoring_is_read_with_its_columns_and_not_reviewed():
    doc, found = checked(MONITOR)
    (table,) = doc.tables
    assert (table.kind, doc.kind) == ("target_monitoring", "targets")
    (ms,) = table.target_sets
    assert (ms.amounts.total, ms.goal) == (Decimal("190.00"), "完成校园足球运动技术动画20集的设计制作与播出")
    first, second = ms.indicators
    assert (first.name, first.target.value, first.target.unit) == ("完成动画短剧的制作", Decimal(20), "集")
    assert first.note == "1-7月执行数：一般；全年预计执行数：100%；原因说明：制作5集样片；完成目标可能性：确定能；备注：前半年设计"
    assert second.note == "1-7月执行数：一般；全年预计执行数：100%；偏差原因：经费保障；完成目标可能性：有可能"
    # 很满意 as a satisfaction target would be reported in a target table; a monitoring table is not one
    assert [f.code for f in found] == ["form-sheets-not-read"]
    assert "支出计划" in found[0].message


def test_a_zero_target_amount_against_the_monitoring_budget_is_an_error():
    doc, found = checked(TARGET.format(period="0.00", total="0.00") + MONITOR)
    (f,) = [f for f in found if f.code == "amounts-missing"]
    assert f.severity.value == "error" and "项目支出绩效目标执行监控表中本项目的金额为 190.00 万元" in f.message
    doc, found = checked(TARGET.format(period="0.00", total="0.00"))
    (f,) = [f for f in found if f.code == "amounts-missing"]
    assert f.severity.value == "warning"


@pytest.mark.parametrize(("text", "kind", "op", "value", "unit"), [
    ("出具评估报告总成本不超过0.3万元", ValueKind.QUANTITATIVE, "≤", Decimal("0.3"), "万元"),
    ("2023年支付成本不超过300万元", ValueKind.QUANTITATIVE, "≤", Decimal(300), "万元"),
    ("≤不超过37.02万一年", ValueKind.QUANTITATIVE, "≤", Decimal("37.02"), "万"),
    ("总成本不超9万", ValueKind.QUANTITATIVE, "≤", Decimal(9), "万"),
    ("≦20万元/场", ValueKind.QUANTITATIVE, "≤", Decimal(20), "万元/场"),
    ("不超过20万元/年", ValueKind.QUANTITATIVE, "≤", Decimal(20), "万元"),
    ("3个小时内", ValueKind.QUANTITATIVE, "≤", Decimal(3), "小时"),
    ("5个社区", ValueKind.QUANTITATIVE, None, Decimal(5), "个"),
    ("11月底", ValueKind.DATE, "≤", None, None),
    ("12月", ValueKind.QUANTITATIVE, None, Decimal(12), "月"),
    ("提升", ValueKind.QUALITATIVE, "定性", None, None),
])
def test_values_as_project_forms_print_them(text, kind, op, value, unit):
    v = parse_value(text)
    assert (v.kind, v.op, v.value, v.unit) == (kind, op, value, unit)


def test_a_deadline_with_its_year_keeps_its_date():
    assert parse_value("2023年全年").date == "2023-12-31"
    assert parse_value("11月底").date is None

"""The monitoring report of a filled round, written as XLSX and DOCX through the write/ layer and
read back with the project's own readers: the summary, each 监控表 in the layout of the
项目支出绩效目标执行监控表 (merged headers, ✔ under 完成目标可能性), the warnings and 整改 tasks."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from jixiao.readers.dump import to_text
from jixiao.readers.files import read_bytes
from jixiao.services import monitoring
from jixiao.services import rectification
from jixiao.services.errors import Invalid
from tests.monitoring_world import ctx
from tests.monitoring_world import hunan_region
from tests.monitoring_world import quantitative_forward


@pytest.fixture
def filled(database):
    database, who, _docs = hunan_region(database)
    fin, yj = ctx(database, who["finance"]), ctx(database, who["yj"])
    r = monitoring.open_round(fin, org="HN", year=2023, as_of="2023-06-30")
    sheet = monitoring.get_sheet(yj, monitoring.get_round(yj, r["id"])["sheets"][0]["id"])
    line = quantitative_forward(sheet)[0]
    filled = monitoring.fill_sheet(yj, sheet["id"], {
        "spent": "10", "execution_reason": "资金下半年拨付",
        "entries": {str(line["indicator_id"]): {"to_date": "3万件", "expected": "15万件", "will_meet": "不能",
                                                "reason": "系统改造延期", "measure": "增设窗口"}}})
    rectification.open_task(fin, sheet["id"], indicator_id=line["indicator_id"], owner="yj_dept",
                            deadline="2023-09-30")
    return fin, r, filled, line


def rows_of(data: bytes, name: str) -> list[list[str]]:
    raw, findings = read_bytes(data, name)
    assert raw is not None, findings
    return [line.split("\t") for line in to_text(raw).splitlines()]


def test_the_report_as_a_workbook(filled):
    fin, r, sheet, line = filled
    name, data = monitoring.export_report(fin, r["id"], "xlsx")
    assert name == "2023年绩效运行监控（截至6月30日）_监控报告.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "监控汇总" and book.sheetnames[-1] == "预警与整改"
    assert len(book.sheetnames) == 2 + len(monitoring.get_round(fin, r["id"])["sheets"])
    summary = book["监控汇总"]
    first = [c.value for c in next(summary.iter_rows(min_row=1)) if c.value]
    assert first == ["2023年绩效运行监控（截至6月30日）"]
    values = [[c.value for c in row] for row in summary.iter_rows()]
    spent = [v for v in values if isinstance(v[4], int | float)]
    assert len(spent) == 1  # only the one 监控表 filled in
    own = spent[0]
    assert own[2] == (sheet["target_set"]["project"] or sheet["target_set"]["unit"])
    assert Decimal(str(own[3])) == Decimal(sheet["budget"]) and own[4] == 10 and own[5] == "1.16%" and own[7] == "红"

    form = book[book.sheetnames[1]]
    merged = {str(m) for m in form.merged_cells.ranges}
    text = rows_of(data, name)
    head = next(i for i, row in enumerate(text) if row[:3] == ["一级指标", "二级指标", "三级指标"])
    assert text[head + 1][9:12] == ["确定能", "有可能", "完全不可能"]
    header_row = next(c.row for c in form["A"] if c.value == "一级指标")
    assert f"J{header_row}:L{header_row}" in merged  # 完成目标可能性 over its three choices
    assert f"A{header_row}:A{header_row + 1}" in merged  # 一级指标 over both header rows
    row = next(r for r in text[head + 2:] if len(r) > 2 and r[2] == line["name"])
    assert row[3:9] == [line["target_text"], "3万件", "15万件", row[6], "系统改造延期", "增设窗口"]
    assert row[6].endswith("%") and row[9:13] == ["", "", "✔", "红"]
    tasks = [r for r in text if "yj_dept（沅江市行政审批服务局）" in r]  # the owner with the organisation
    assert tasks and tasks[0][3] == line["name"] and "整改中" in tasks[0]


def test_the_report_as_a_document_and_one_sheet(filled):
    fin, r, sheet, line = filled
    name, data = monitoring.export_report(fin, r["id"], "docx", sheet_id=sheet["id"])
    assert name.endswith(".docx")
    text = rows_of(data, name)
    titles = [row for row in text if row == ["项目支出绩效目标执行监控表"]]
    assert len(titles) == 1  # the one 监控表 asked for
    row = next(r for r in text if len(r) > 2 and r[2] == line["name"])
    assert "✔" in row and "系统改造延期" in row
    assert any("执行率 1.16% 低于时间进度 49.59%" in cell for r in text for cell in r)
    with pytest.raises(Invalid):
        monitoring.export_report(fin, r["id"], "odt")

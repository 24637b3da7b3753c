"""Finding renderers: text lines + summary, JSON envelope, reviewer workbook."""

from __future__ import annotations

import json

import openpyxl

from jixiao.findings import make
from jixiao.model.source import Location
from jixiao.render.findings_json import render_json
from jixiao.render.findings_text import render_text
from jixiao.render.findings_text import summary
from jixiao.render.findings_xlsx import COLUMNS
from jixiao.render.findings_xlsx import render_xlsx
from jixiao.render.findings_xlsx import write_xlsx


def _findings(file: str = "a.txt"):
    later = make(
        "text-table-mismatch", Location(file, line=9), subject="三公经费", basis="三公经费表 合计",
        expected="18.34 万元", actual="19.34 万元", difference="1.00 万元", source_text="三公经费 19.34 万元",
    )
    earlier = make(
        "amount-sum-mismatch", Location(file, line=3), subject="部门收支总表/本年收入合计",
        what="本年收入合计（各项收入之和）", expected="5,073.08 万元", actual="5,000.00 万元", difference="73.08 万元",
    )
    warning = make("change-reason-missing", Location(file, line=5), subject="机关运行经费", direction="增加", amount="18.53")
    return [later, warning, earlier]


def test_text_sorted_by_location_with_summary():
    text = render_text(_findings())
    lines = text.splitlines()
    assert lines[0] == (
        "a.txt:3: 错误 [amount-sum-mismatch] 部门收支总表/本年收入合计：本年收入合计（各项收入之和）"
        "应为 5,073.08 万元，实为 5,000.00 万元，相差 73.08 万元"
    )
    assert lines[1].startswith("a.txt:5: 警告 [change-reason-missing] 机关运行经费：")
    assert lines[2].startswith("a.txt:9: 错误 [text-table-mismatch] ")
    assert lines[-1] == "共 3 条：错误 2，警告 1，提示 0"


def test_text_without_findings_is_just_the_summary():
    assert render_text([]) == "共 0 条：错误 0，警告 0，提示 0\n"
    assert summary([]) == "共 0 条：错误 0，警告 0，提示 0"


def test_json_envelope_and_fields():
    data = json.loads(render_json(_findings()))
    assert list(data) == ["findings"]
    first = data["findings"][0]
    assert first == {
        "code": "amount-sum-mismatch",
        "severity": "error",
        "message": first["message"],
        "location": "a.txt:3",
        "subject": "部门收支总表/本年收入合计",
        "expected": "5,073.08 万元",
        "actual": "5,000.00 万元",
    }
    assert [f["location"] for f in data["findings"]] == ["a.txt:3", "a.txt:5", "a.txt:9"]


def test_xlsx_rows_header_and_source_lines(tmp_path):
    source = tmp_path / "doc.txt"
    source.write_text("第一行\n第二行\n本年收入合计\t5,000.00\n第四行\n机关运行经费 271.17 万元，比上年增加 18.53 万元\n",
                      encoding="utf-8")
    out = tmp_path / "review.xlsx"
    write_xlsx(_findings(str(source)), out)
    book = openpyxl.load_workbook(out)
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(title for title, _, _ in COLUMNS)
    assert rows[0][-2:] == ("审核意见", "处理状态")
    assert len(rows) == 4
    file, line, severity, code, message, subject, expected, actual, original, note, status = rows[1]
    assert (file, line, severity, code) == (str(source), 3, "错误", "amount-sum-mismatch")
    assert (subject, expected, actual) == ("部门收支总表/本年收入合计", "5,073.08 万元", "5,000.00 万元")
    assert original == "本年收入合计 | 5,000.00"  # read from the file: the finding has no source text
    assert note is None and status is None
    assert rows[2][8].startswith("机关运行经费 271.17")
    assert rows[3][8] == "三公经费 19.34 万元"  # the finding's own source text wins
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K4"
    assert sheet["A1"].font.name == "宋体" and sheet["E2"].font.name == "宋体"
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["B"].width


def test_xlsx_in_memory_without_source_file():
    data = render_xlsx(_findings("missing.txt"))
    assert data[:2] == b"PK"

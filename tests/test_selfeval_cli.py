"""``jixiao selfeval`` through typer's CliRunner: exit codes, mismatched files, findings, --json shape."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from jixiao.selfeval.actuals import cell_value
from tests.conftest import seed


@pytest.fixture
def app() -> typer.Typer:
    from jixiao.cli import app

    return app


def invoke(app, *args):
    return CliRunner().invoke(app, ["selfeval", *map(str, args)])


@pytest.fixture
def template_000(app, tmp_path):
    path = tmp_path / "t000.xlsx"
    assert invoke(app, "template", seed("000"), "-o", path).exit_code == 0
    return path


def test_template_default_name(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(app, "template", seed("000"))
    assert result.exit_code == 0, result.output
    assert "2 个项目/单位，20 个绩效指标" in result.output
    assert (tmp_path / "000_82772c604d1a37f5-实际完成值.xlsx").is_file()


def test_template_without_target_tables_fails(app, tmp_path):
    result = invoke(app, "template", seed("003"), "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 1
    assert result.stderr == "“003_06aa0f6e24b01dc6.txt”中未识别出含绩效指标的绩效目标表，无法自评\n"
    assert not (tmp_path / "x.xlsx").exists()


def test_mismatched_actuals_exit_1_and_name_the_rows(app, template_000):
    result = invoke(app, "score", seed("002"), "--actuals", template_000)
    assert result.exit_code == 1
    err = result.stderr
    assert "与" in err and "不匹配" in err
    # rows of the file that belong to seed 000 …
    assert (
        "工作表“实际完成值”第 3 行（部门整体/株洲市渌口区行政审批服务局/成本指标/经济成本指标/各项支出总额）"
        in err
    )
    assert "工作表“预算执行”第 4 行（项目支出/政务大厅运行经费）" in err
    # … and the indicators of seed 002 that have no row
    assert "部门整体/沅江市行政审批服务局：实际完成值文件工作表“预算执行”中没有对应的行" in err
    assert "新增劳务派遣人员工资/日均政务服务办件量：实际完成值文件工作表“实际完成值”中没有对应的行" in err
    assert result.stdout == ""


def test_a_deleted_row_is_a_mismatch(app, template_000, tmp_path):
    book = openpyxl.load_workbook(template_000)
    book["实际完成值"].delete_rows(5)
    book.save(tmp_path / "short.xlsx")
    result = invoke(app, "score", seed("000"), "--actuals", tmp_path / "short.xlsx")
    assert result.exit_code == 1
    assert (
        "selfeval-actuals-row-missing" in result.stderr and "渌口区行政审批服务局/培训场次" in result.stderr
    )


def test_edited_source_matches_by_name(app, tmp_path, template_000):
    """Lines moved (a line inserted on top): keys no longer match, the names still do."""
    moved = tmp_path / seed("000").name
    moved.write_text("\n" + seed("000").read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke(app, "score", moved, "--actuals", template_000, "--json")
    assert result.exit_code == 0, result.output
    codes = [f["code"] for f in json.loads(result.stdout)["scorecards"][0]["findings"]]
    assert codes.count("selfeval-actuals-name-match") == 22  # 20 indicators + 2 budget rows


@pytest.mark.parametrize("content", [b"not a workbook", None])
def test_unreadable_actuals_exit_1(app, tmp_path, content):
    path = tmp_path / "bad.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = invoke(app, "score", seed("000"), "--actuals", path)
    assert result.exit_code == 1
    if content:
        assert result.stderr == "实际完成值文件“bad.xlsx”无法读取：不是有效的 Excel 工作簿（BadZipFile）\n"
    else:  # the one message for a missing file, everywhere
        assert f"{path}：文件不存在" in result.stderr


def test_workbook_without_the_sheet_is_unreadable(app, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.save(tmp_path / "other.xlsx")
    result = invoke(app, "score", seed("000"), "--actuals", tmp_path / "other.xlsx")
    assert result.exit_code == 1 and "缺少工作表“实际完成值”" in result.stderr


def test_blank_template_reports_missing_actuals(app, template_000):
    result = invoke(app, "score", seed("000"), "--actuals", template_000, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["scorecards"][0]
    missing = [f for f in data["findings"] if f["code"] == "selfeval-actual-missing"]
    assert len(missing) == 20
    assert missing[0]["location"].startswith("t000.xlsx:实际完成值!N")
    assert {f["severity"] for f in missing} == {"warning"}
    # nothing filled: every score 0, every indicator needs review, 执行率 missing
    for s in data["target_sets"]:
        assert s["total"] == "0.00" and s["grade"] == "差"
        assert all(i["needs_review"] for i in s["indicators"])
        assert s["execution"]["spent"] is None and s["execution"]["rate"] is None


def test_json_shape(app, template_000, tmp_path):
    book = openpyxl.load_workbook(template_000)
    sheet = book["实际完成值"]
    sheet["N3"] = 500  # 部门整体/各项支出总额 ≤ 580.253937 万元
    sheet["O3"] = "节约开支"
    book["预算执行"]["G3"] = 600
    book["预算执行"]["H3"] = 570.5
    book.save(tmp_path / "f.xlsx")
    result = invoke(app, "score", seed("000"), "--actuals", tmp_path / "f.xlsx", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["scorecards"][0]
    assert set(data) == {"source", "profile", "target_sets", "findings"}
    dept = data["target_sets"][0]
    assert set(dept) >= {"unit_code", "unit", "project", "indicators", "execution", "total", "grade"}
    first = dept["indicators"][0]
    assert set(first) >= {"name", "level1", "level2", "target", "actual", "weight", "score", "family"}
    assert set(first) >= {"parsed", "explanation"}
    assert first["name"] == "各项支出总额" and first["target"] == "580.253937"
    assert (first["actual"], first["weight"], first["score"]) == (
        "500",
        "8.33",
        "8.33",
    )  # 成本 is first of 产出
    assert (first["family"], first["parsed"]) == ("default_reverse", False)
    assert dept["execution"] == {
        "initial": "580.25",
        "budget": "600",
        "spent": "570.5",
        "rate": "95.08%",
        "score": "9.51",
        "explanation": "执行率 = 570.5/600 = 95.08%：95.08%×10 = 9.51",
    }
    assert (dept["unit"], dept["project"], dept["grade"]) == ("株洲市渌口区行政审批服务局", None, "差")
    assert isinstance(dept["total"], str)
    f = data["findings"][0]
    assert set(f) == {"code", "severity", "message", "location", "subject", "expected", "actual"}


def test_human_summary_and_report(app, template_000, tmp_path):
    out = tmp_path / "自评表.xlsx"
    result = invoke(app, "score", seed("000"), "--actuals", template_000, "-o", out)
    assert result.exit_code == 0, result.output
    assert "政务大厅运行经费" in result.stdout and "总分" in result.stdout and "预算执行率" in result.stdout
    assert "selfeval-actual-missing" in result.stdout and f"已生成自评表 {out}" in result.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "汇总",
        "01 株洲市渌口区行政审批服务局",
        "02 政务大厅运行经费",
        "评分说明",
        "问题清单",
    ]
    assert book["02 政务大厅运行经费"]["A1"].value == "项目支出绩效自评表（2026年度）"
    assert book["01 株洲市渌口区行政审批服务局"]["A1"].value == "部门整体支出绩效自评表（2026年度）"


def test_report_as_docx_by_its_suffix(app, template_000, tmp_path):
    """-o 自评表.docx writes the same 自评表 as a Word document (the format by the suffix)."""
    from tests.write_helpers import docx_facts

    out = tmp_path / "自评表.docx"
    result = invoke(app, "score", seed("000"), "--actuals", template_000, "-o", out)
    assert result.exit_code == 0, result.output
    facts = docx_facts(out.read_bytes())
    assert len(facts.sections) == 5 and facts.tables[2].texts[0][:2] == ["项目名称", "政务大厅运行经费"]


def test_unknown_profile(app, template_000):
    result = invoke(app, "score", seed("000"), "--actuals", template_000, "--profile", "mars")
    assert result.exit_code == 2


def test_profile_changes_execution_weight(app, tmp_path):
    """湖北: 执行率 20 — the weightless seed 000 gets its 80 split evenly, 执行率 out of 20."""
    shutil.copy(seed("000"), tmp_path / seed("000").name)
    source = tmp_path / seed("000").name
    template = tmp_path / "t.xlsx"
    assert invoke(app, "template", source, "-o", template).exit_code == 0
    result = invoke(app, "score", source, "--actuals", template, "--json", "--profile", "hubei")
    data = json.loads(result.stdout)["scorecards"][0]
    assert data["profile"] == "hubei"
    assert [i["weight"] for i in data["target_sets"][1]["indicators"]] == ["8"] * 10


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (0.92, "0%", "92"),
        (92, "General", "92"),
        (24.6, "General", "24.6"),
        (1 / 3, "General", "0.333333"),
        ("  推进较缓 ", "General", "推进较缓"),
        ("", "General", None),
        (True, "General", "是"),
    ],
)
def test_cell_values(value, fmt, expected):
    got = cell_value(value, fmt)
    assert (None if got is None else str(got)) == expected


def test_cell_dates():
    import datetime as dt

    assert cell_value(dt.datetime(2023, 11, 30, 0, 0)) == "2023-11-30"
    assert cell_value(dt.date(2023, 11, 30)) == "2023-11-30"

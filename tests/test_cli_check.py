"""``jixiao check``: formats, exit status, unreadable files."""

from __future__ import annotations

import json

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import seed
from tests.test_rules_disclosure import BASE
from tests.test_rules_disclosure import mutate
from tests.test_rules_disclosure import to_text

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    from jixiao.cli import app

    return app


@pytest.fixture
def broken(tmp_path):
    """The inline disclosure with one arithmetic error (本年收入合计 1,100 ≠ 1,000)."""
    path = tmp_path / "broken.txt"
    text = mutate("本 年 收 入 合 计|1,000.00|本 年 支 出 合 计|1,000.00", "本 年 收 入 合 计|1,100.00|本 年 支 出 合 计|1,000.00")
    path.write_text(to_text(text), encoding="utf-8")
    return path


def test_text_report_exit_0_without_errors(app):
    path = str(seed("003"))
    result = runner.invoke(app, ["check", path, "--profile", "self-evaluation"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == "共 6 条：错误 0，警告 3，提示 3"
    assert f"{path}:19: 警告 [report-budget-differs] 自评报告/预算资金：预算资金 440.32 万元" in result.stdout
    assert f"{path}: 警告 [report-score-missing] " in result.stdout  # document-level findings name the file
    assert all(line.startswith(path) for line in lines[:-1])


def test_errors_give_exit_1_and_json(app, broken):
    result = runner.invoke(app, ["check", str(broken), "--profile", "disclosure", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    codes = {(f["code"], f["location"]) for f in data["findings"]}
    line = next(i for i, t in enumerate(broken.read_text(encoding="utf-8").splitlines(), start=1) if "1,100.00" in t)
    assert ("amount-sum-mismatch", f"{broken}:{line}") in codes
    first = data["findings"][0]
    assert set(first) == {"code", "severity", "message", "location", "subject", "expected", "actual"}


def test_clean_inline_disclosure_exit_0(app, tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text(to_text(BASE), encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--profile", "disclosure"])
    assert result.exit_code == 0, result.output
    assert "错误 0" in result.stdout.splitlines()[-1]


def test_xlsx_needs_output(app):
    result = runner.invoke(app, ["check", str(seed("003")), "--format", "xlsx"])
    assert result.exit_code == 2
    assert "-o" in result.output


def test_xlsx_workbook(app, tmp_path, broken):
    out = tmp_path / "review.xlsx"
    result = runner.invoke(app, ["check", str(broken), str(seed("003")), "-p", "disclosure", "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 1
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("文件", "位置", "严重程度", "代码", "问题")
    body = [r for r in rows[1:] if r[3] == "amount-sum-mismatch"]
    assert body and all(r[0] == str(broken) for r in body)
    assert any("本 年 收 入 合 计 | 1,100.00" in (r[8] or "") for r in body)  # 原文 read back from the file


def test_unreadable_file_is_reported_and_others_still_checked(app, tmp_path):
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["check", str(missing), str(seed("003")), "-p", "self-evaluation"])
    assert result.exit_code == 1
    assert f"{missing}：文件不存在" in result.stderr
    assert "report-budget-differs" in result.stdout


def test_binary_file(app, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert "bad.txt" in result.stderr


def test_unknown_profile(app):
    result = runner.invoke(app, ["check", str(seed("003")), "--profile", "nope"])
    assert result.exit_code == 2
    assert "未知的审核方案" in result.output


def test_text_to_output_file(app, tmp_path):
    out = tmp_path / "out.txt"
    result = runner.invoke(app, ["check", str(seed("003")), "-p", "self-evaluation", "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").splitlines()[-1] == "共 6 条：错误 0，警告 3，提示 3"

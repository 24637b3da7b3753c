"""``jixiao monitor …`` on a demo region whose 2023 targets were approved through the workflow:
a round opened, a 监控表 filled with warnings printed, thresholds edited (and refused with every
problem named), a 整改 task opened and closed, the round closed."""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from tests.monitoring_world import hunan_region
from tests.monitoring_world import quantitative_forward

runner = CliRunner()


def jixiao(database, *args: str):
    return runner.invoke(app, ["monitor", *args], env={"JIXIAO_DATABASE_URL": database.url, "CI": "1"})


@pytest.fixture
def hunan(database):
    return hunan_region(database)


def test_a_round_from_the_command_line(hunan, tmp_path):
    database, _who, _docs = hunan
    opened = jixiao(database, "open", "HN", "2023", "2023-06-30", "--json")
    assert opened.exit_code == 0, opened.output
    round_id = json.loads(opened.stdout)["id"]
    shown = jixiao(database, "show", str(round_id))
    assert shown.exit_code == 0 and "沅江市行政审批服务局" in shown.stdout and "时间进度 49.59%" in shown.stdout

    round_json = json.loads(jixiao(database, "show", str(round_id), "--json").stdout)
    sheet_id = round_json["sheets"][0]["id"]
    sheet = json.loads(jixiao(database, "sheet", str(sheet_id), "--json").stdout)
    line = quantitative_forward(sheet)[0]
    budget = sheet["budget"]
    filled = jixiao(database, "fill", str(sheet_id), "--spent", "0", "--reason", "资金未到位",
                    "-e", f"{line['indicator_id']}.expected=0", "-e", f"{line['indicator_id']}.will_meet=不能")
    assert filled.exit_code == 0, filled.output
    assert f"调整后预算 {budget}" in filled.stdout and "执行率 0.00%  红" in filled.stdout
    assert "monitoring-indicator-off-target" in filled.stdout
    assert "monitoring-deviation-unexplained" in filled.stdout  # the indicator has no reason yet

    refused = jixiao(database, "profile", "set", "HN", "default", "-s", "execution.amber_gap=30",
                     "-s", "execution.red_gap=20")
    assert refused.exit_code == 1 and "execution.amber_gap（30）不能大于 red_gap（20）" in refused.output
    changed = jixiao(database, "profile", "set", "HN", "default", "-s", "execution.red_gap=60")
    assert changed.exit_code == 0 and "超过 60 个百分点为红" in changed.stdout

    task = jixiao(database, "task", "open", str(sheet_id), "--owner", "yj_dept", "--deadline", "2023-09-30",
                  "--indicator", str(line["indicator_id"]))
    assert task.exit_code == 0 and "整改中 红" in task.stdout, task.output
    task_id = task.stdout.split("]")[0].strip("[")
    no_measure = jixiao(database, "task", "close", task_id, "--measure", " ")
    assert no_measure.exit_code == 1 and "整改措施" in no_measure.output
    done = jixiao(database, "task", "close", task_id, "--measure", "调整采购计划")
    assert done.exit_code == 0 and "已完成" in done.stdout and "措施：调整采购计划" in done.stdout

    report = tmp_path / "监控报告.xlsx"
    exported = jixiao(database, "export", str(round_id), "-o", str(report), "--sheet", str(sheet_id))
    assert exported.exit_code == 0, exported.output
    assert openpyxl.load_workbook(report).sheetnames[0] == "监控汇总"
    assert jixiao(database, "export", str(round_id), "-o", str(tmp_path / "r.odt")).exit_code == 2

    assert jixiao(database, "close", str(round_id)).exit_code == 0
    late = jixiao(database, "fill", str(sheet_id), "--spent", "1")
    assert late.exit_code == 1 and "已关闭" in late.output

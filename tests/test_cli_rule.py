"""``jixiao rule`` through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

RESCALED = "完成率小于60%不得分，大于等于60%，得分=（完成率-60%）/（1-60%）*指标分值"
OVERLAP = "服务对象满意度95%以上计10分，90%-95%的计8分，85%-95%的计6分，80%-85%的计4分，75%-80%的计2分，75%以下不得分。"
SAME_SPAN = "95%以上计10分，95%以上计8分，95%以下不得分"  # two bands over the same values: not parsed


@pytest.fixture
def app() -> typer.Typer:
    from jixiao.cli import app

    return app


def run(app, *args):
    result = CliRunner().invoke(app, ["rule", *args])
    return result


def test_json_parsed(app):
    result = run(app, RESCALED, "--target", "95", "--actual", "90", "--weight", "10", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["family"] == "rescaled_linear"
    assert data["parsed"] is True
    assert data["score"] == "8.68"
    assert data["explanation"] == "完成率 = 90/95 = 94.74% ≥ 60%：(94.74%−60%)/(1−60%)×10 = 8.68"
    assert data["params"] == {"threshold": "60"}


def test_json_unparseable_falls_back(app):
    result = run(app, SAME_SPAN, "--target", "95", "--actual", "92", "--weight", "10", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["parsed"] is False
    assert data["family"] == "default_forward"
    assert data["score"] == "9.68"
    assert "两档重叠" in data["reason"]


def test_json_overlapping_bands_are_scored(app):
    result = run(app, OVERLAP, "--target", "95", "--actual", "92", "--weight", "10", "--json")
    data = json.loads(result.output)
    assert (data["parsed"], data["family"], data["score"]) == (True, "band_table", "8.00")


def test_op_option_and_target_prefix(app):
    rule = "偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分"
    by_op = json.loads(run(app, rule, "-t", "25", "-a", "28.75", "-w", "20", "--op", "<=", "--json").output)
    by_prefix = json.loads(run(app, rule, "-t", "≤25", "-a", "28.75", "-w", "20", "--json").output)
    assert by_op["score"] == by_prefix["score"] == "15.00"
    # without an op a numeric target is 正向: 28.75 ≥ 25 is no shortfall
    assert (
        json.loads(run(app, rule, "-t", "25", "-a", "28.75", "-w", "20", "--json").output)["score"] == "20.00"
    )


def test_qualitative_actual(app):
    data = json.loads(
        run(
            app,
            "持续推进得5分；推进较缓得3分，未推进不得分。",
            "--actual",
            "推进较缓",
            "--weight",
            "5",
            "--json",
        ).output
    )
    assert (data["family"], data["score"]) == ("qualitative_grades", "3.00")


def test_profile_option(app):
    # the profile changes only default methods; here the 定性 default band of 部分达成 = 0.6 w
    data = json.loads(
        run(
            app,
            "",
            "--op",
            "定性",
            "--actual",
            "部分达成",
            "--weight",
            "10",
            "--profile",
            "jiangxi",
            "--json",
        ).output
    )
    assert (data["parsed"], data["family"], data["score"]) == (False, "default_qualitative", "6.00")


def test_human_output(app):
    result = run(app, RESCALED, "--target", "95", "--actual", "90", "--weight", "10")
    assert result.exit_code == 0, result.output
    assert "折算线性" in result.output and "rescaled_linear" not in result.output
    assert "门槛（%）" in result.output and "threshold" not in result.output
    assert "8.68" in result.output
    unparsed = run(app, SAME_SPAN, "--target", "95", "--actual", "92", "--weight", "10")
    assert "未解析" in unparsed.output and "默认方法（正向指标）" in unparsed.output and "9.68" in unparsed.output


@pytest.mark.parametrize(
    "args",
    [
        ["--weight", "abc"],
        ["--weight", "10", "--op", "约等于"],
        ["--weight", "10", "--profile", "nowhere"],
    ],
)
def test_bad_options(app, args):
    result = run(app, RESCALED, "--target", "95", "--actual", "90", *args)
    assert result.exit_code == 2


def test_weight_is_required(app):
    assert run(app, RESCALED, "--target", "95", "--actual", "90").exit_code == 2

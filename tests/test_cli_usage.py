"""The command line a new user meets: version, usage and help in Chinese, Chinese usage errors,
Chinese names of the scoring methods and their parameters."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from typer.testing import CliRunner

from jixiao import __version__
from jixiao.cli import app

runner = CliRunner()


def test_version():
    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and result.stdout == f"jixiao {__version__}\n"


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        ([], "用法：jixiao [选项] 命令 [参数]…"),
        (["check"], "用法：jixiao check [选项] 文件或文件夹…"),
        (["parse"], "用法：jixiao parse [选项] 文件或文件夹…"),
        (["convert"], "用法：jixiao convert [选项] 文件"),
        (["rule"], "用法：jixiao rule [选项] 评分标准"),
        (["selfeval", "template"], "用法：jixiao selfeval template [选项] 文件或文件夹…"),
        (["selfeval", "score"], "用法：jixiao selfeval score [选项] 文件或文件夹…"),
    ],
)
def test_help_reads_in_chinese(args, usage):
    result = runner.invoke(app, [*args, "--help"], prog_name="jixiao")
    assert result.exit_code == 0
    text = result.stdout
    assert usage in text
    for english in ("Usage:", "Options", "Arguments", "Commands", "[default:", "Show this message", "<bool>",
                    "list[Path]", "TEXT", "PATH"):
        assert english not in text, english


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check"], "缺少参数 '文件或文件夹…'。"),
        (["selfeval", "score", "x.txt"], "缺少选项 '--actuals' / '-a'。"),
        (["check", "x", "--format", "pdf"], "“pdf”不是可选的值"),
        (["check", "x", "--bogus"], "没有这个选项：--bogus"),
        (["check", "x", "-j", "0"], "应不小于 1"),
        (["nope"], "没有这个命令：nope"),
        (["check", "x", "-p", "nope"], "未知的审核方案 nope"),
    ],
)
def test_usage_errors_in_chinese(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr and "用法：" in result.stderr and "错误" in result.stderr
    assert "Missing" not in result.stderr and "Invalid value" not in result.stderr


def test_every_scoring_family_and_parameter_has_a_chinese_name():
    from jixiao.render.scoring_names import FAMILY_NAMES
    from jixiao.render.scoring_names import PARAM_NAMES
    from jixiao.scoring import FAMILIES
    from jixiao.scoring import families

    classes = [c for _, c in inspect.getmembers(families, inspect.isclass)
               if issubclass(c, families.ScoringRule) and c.family]
    assert {c.family for c in classes} == set(FAMILIES) <= set(FAMILY_NAMES)
    params = {f.name for c in classes for f in dataclasses.fields(c) if f.name != "text"}
    assert params - set(PARAM_NAMES) == set()


def test_rule_output_names_method_parameters_and_values_in_chinese():
    rule = "每少1个席位扣0.2分，扣完为止"
    result = runner.invoke(app, ["rule", rule, "--target", "10", "--actual", "8", "--weight", "2"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "评分方法：按单位扣分" in text
    assert "扣分依据" in text and "少于目标的数量" in text and "扣完为止" in text and "是" in text
    assert "shortfall" not in text and "basis" not in text and "deduction_per_unit" not in text

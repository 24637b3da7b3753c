"""Rule 21 (part): the projects the 说明 lists each have a project target table."""

from __future__ import annotations

from jixiao.pipeline import parse_text
from jixiao.rules import Context
from jixiao.rules import run
from jixiao.rules.target_projects import project_key
from tests.conftest import seed

LISTED = "主要用于行政审批服务运行费、行政审批服务宣传、"


def _missing(text: str):
    doc, _ = parse_text(text, "001.txt")
    return [f for f in run(doc, Context(profile="targets")) if f.code == "project-target-missing"]


def test_every_listed_project_of_seed_001_has_a_target_set():
    text = seed("001").read_text(encoding="utf-8")
    assert LISTED in text
    assert _missing(text) == []


def test_a_listed_project_without_a_target_set_is_reported():
    text = seed("001").read_text(encoding="utf-8").replace(LISTED, LISTED + "办公楼维修改造、")
    (f,) = _missing(text)
    assert f.location.line == 106 and f.severity.value == "warning"
    assert "“办公楼维修改造”" in f.message


def test_names_compare_without_quotes_and_endings():
    assert project_key("“12345”市民热线工作专项经费") == project_key("“12345”市民热线工作") == "12345市民热线"
    assert project_key("中介超市运行管理专项工作经费") == project_key("中介超市运行管理")

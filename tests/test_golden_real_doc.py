"""The real legacy Word file (a WPS-saved .doc: 深圳市未来产业资金项目绩效自评报告提纲, copied from
../shared/real into tests/data/real, name kept), read through LibreOffice and the DOCX reader, and
pinned in golden files: an outline of six headings and no body is an unfilled outline (one
outline-unfilled finding, kind template, no rule run), never a 自评报告 with empty sections."""

from __future__ import annotations

from jixiao.pipeline import parse_file
from jixiao.pipeline import parse_text
from jixiao.render.document_json import document_json
from jixiao.rules import run
from tests.conftest import DATA
from tests.golden_util import check_golden

NAME = "gd_shenzhen_2017_future_industry_project_selfeval_report_outline_TEMPLATE.doc"
STEM = NAME.rsplit(".", 1)[0]


def _parsed():
    return parse_file(DATA / "real" / NAME, name=NAME)


def test_outline_is_an_unfilled_template_and_pinned():
    doc, findings = _parsed()
    assert doc is not None and doc.kind == "template"
    assert [s.title[:4] for s in doc.sections] == ["项目综述", "合同约定", "项目执行", "资金管理", "项目预算", "项目绩效"]
    assert [f.code for f in findings] == ["outline-unfilled"]
    assert "6 个章节标题" in findings[0].message and "XXX" in findings[0].message
    assert run(doc) == []
    check_golden(f"{STEM}.parse.json", document_json(doc, NAME, findings))
    check_golden(f"{STEM}.check.json", {"findings": [f.as_dict() for f in [*findings, *run(doc)]]})


def test_an_outline_with_a_body_is_a_report():
    text = (
        "2023年度部门整体支出绩效自评报告\n一、部门概况\n本部门主要职能是……负责全区政务服务。\n"
        "二、预算执行情况\n全年预算 120.00 万元，执行 118.50 万元，执行率 98.75%。\n三、绩效目标完成情况\n"
        "各项指标均已完成。\n"
    )
    doc, findings = parse_text(text)
    assert doc.kind != "template" and "outline-unfilled" not in {f.code for f in findings}


def test_headings_only_without_tables_is_an_outline():
    doc, findings = parse_text("XX单位绩效自评报告提纲\n一、基本情况\n二、绩效目标\n三、存在问题\n四、改进措施\n")
    assert doc.kind == "template"
    assert [f.code for f in findings] == ["outline-unfilled"]

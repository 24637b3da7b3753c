"""Blank templates: recognised table by table, reported once, nothing imported, nothing reviewed.

The real templates (Shanghai 普陀区 2026 部门预算 .xlsx and 单位预算 .xls) are in
tests/test_golden_real_sheets.py; these inline documents change one thing at a time.
"""

from __future__ import annotations

from jixiao.findings import Finding
from jixiao.pipeline import parse_text
from jixiao.rules import run

BLANK = """上海市普陀区2026年区级部门预算
预算主管部门：上海市普陀区XX局
2026年部门预算编制说明
2026年，XX收入预算x,xxx万元，其中：财政拨款收入x,xxx万元。
2026年部门财务收支预算总表
编制部门：\t编制部门：\t编制部门：\t单位：元
本年收入\t本年收入\t本年支出\t本年支出
项目\t预算数\t项目\t预算数
一、财政拨款收入\t\t一、一般公共服务支出\t
收入总计\t\t支出总计\t
2026年部门“三公”经费和机关运行经费预算表
编制部门：\t编制部门：\t\t单位:万元
“三公”经费预算数\t“三公”经费预算数\t“三公”经费预算数\t“三公”经费预算数\t“三公”经费预算数\t“三公”经费预算数\t机关运行经费预算数
合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行费\t公务用车购置及运行费\t公务用车购置及运行费\t机关运行经费预算数
合计\t因公出国(境)费\t公务接待费\t小计\t购置费\t运行费\t机关运行经费预算数
"""


def checked(text: str) -> tuple[object, list[Finding]]:
    doc, found = parse_text(text, "blank.txt")
    return doc, sorted([*found, *run(doc)], key=Finding.sort_key)


def test_a_blank_template_is_one_finding_and_no_review():
    doc, found = checked(BLANK)
    assert doc.kind == "template"
    assert [t.kind for t in doc.tables] == ["budget_overview", "three_public"]
    (f,) = found
    assert (f.code, f.location.line) == ("template-unfilled", 5)
    assert "识别出 2 张表（部门财务收支预算总表、部门“三公”经费和机关运行经费预算表）" in f.message
    assert "XX、x,xxx" in f.message
    assert not any(v for t in doc.tables for r in t.rows for v in (r.total, *(x for _, x in r.values)))


def test_one_amount_makes_it_a_document():
    doc, found = checked(BLANK.replace("收入总计\t\t支出总计\t", "收入总计\t100.00\t支出总计\t100.00"))
    assert doc.kind == "budget_disclosure"
    assert "template-unfilled" not in [f.code for f in found]
    assert "disclosure-empty-unstated" in [f.code for f in found]  # the empty 三公 table is reviewed


def test_empty_tables_of_a_named_department_without_placeholders_are_reviewed():
    text = (BLANK.replace("XX局", "人民政府办公室").replace("XX收入预算x,xxx万元，其中：财政拨款收入x,xxx万元。", "无。")
            .replace("编制部门：\t编制部门：\t编制部门：", "编制部门：上海市普陀区人民政府办公室\t\t")
            .replace("编制部门：\t编制部门：\t\t", "编制部门：上海市普陀区人民政府办公室\t\t\t"))
    doc, found = checked(text)
    assert doc.kind == "budget_disclosure"
    assert [f.code for f in found].count("disclosure-empty-unstated") == 2


def test_a_stated_empty_table_belongs_to_a_real_document():
    doc, _ = checked(BLANK + "注：本部门2026年无“三公”经费预算，故本表为空表。\n")
    assert doc.kind != "template"

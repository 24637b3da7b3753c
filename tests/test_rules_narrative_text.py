"""Rule narrative.text: unfinished sentences, doubled punctuation, unmatched brackets, 部门/单位 mixed up.

Paragraphs are written in the wordings of the Hunan (seed 001) and Shanghai (tests/data/real) 说明;
each family has true positives and true negatives.
"""

from __future__ import annotations

import pytest

from jixiao.pipeline import parse_text
from jixiao.rules import Context
from jixiao.rules.narrative_text import check_narrative_text
from jixiao.rules.narrative_text import document_kind
from tests.test_rules_disclosure import BASE
from tests.test_rules_disclosure import parse

HEAD = "一、部门收支总体情况\n"


def found(text: str, code: str | None = None):
    doc, _ = parse_text(text)
    return [(f.code, f.location.line) for f in check_narrative_text(doc, Context(profile="disclosure"))
            if code is None or f.code == code]


# ---------------------------------------------------------------- unfinished sentences


@pytest.mark.parametrize(
    "paragraph",
    [
        "2023年本部门收入预算1,000.00万元，比上年减少50.00万元，主要原因是。",
        "机关运行经费80.00万元，比上年增加5.00万元。主要原因是：。",
        "“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.77万元，主要用于。",
        "支出较去年减少199.05万元，下降3.78%。主要是……",
        "公务接待费1.35万元，比2023年预算增加0.35万元，主要原因是……。",
        "项目支出400.00万元，比上年增加20.00万元，原因为XX。",
        "“三公”经费预算较上年增加2.14万元，原因是：",
        "收入较去年减少199.05万元，原因在于；支出较去年减少199.05万元。",
    ],
)
def test_unfinished_sentences(paragraph):
    assert found(HEAD + paragraph + "\n", "text-unfinished") == [("text-unfinished", 2)]


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "收入较去年减少199.05万元，主要原因是一次性项目预算减少。\n",
        HEAD + "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元。主要原因是：项目调整。\n",
        HEAD + "财政拨款支出主要内容如下：\n1. 行政运行25.77万元。\n",
        HEAD + "支出减少的主要原因如下：\n一是项目调整；二是人员减少。\n",
        HEAD + "机关运行经费增加，原因是：\n（1）新增人员。\n",
        HEAD + "群众反映“办事难……”的问题，主要原因是窗口少。\n",  # an ellipsis in a quotation
        HEAD + "会议费主要用于全市政务服务工作部署会议等。\n",
    ],
)
def test_finished_sentences(text):
    assert found(text, "text-unfinished") == []


def test_unfinished_message():
    doc, _ = parse_text(HEAD + "机关运行经费比上年增加5.00万元，主要原因是。\n")
    (f,) = check_narrative_text(doc, Context())
    assert f.severity.value == "warning"
    assert f.message == "部门收支总体情况：“主要原因是”之后没有内容，句子未写完（模板未填写完整）"


# ---------------------------------------------------------------- punctuation


@pytest.mark.parametrize(
    "paragraph",
    ["收入预算1,000.00万元。。其中财政拨款1,000.00万元。", "本部门包括机关本级，，政务服务中心。", "一是加强管理；；二是压减支出。",
     "办公费、、印刷费等。", "支出预算1,000.00万元，。", "其中：：基本支出600.00万元。"],
)
def test_doubled_punctuation(paragraph):
    assert found(HEAD + paragraph + "\n", "punctuation-doubled") == [("punctuation-doubled", 2)]


@pytest.mark.parametrize(
    "paragraph",
    ["收入预算1,000.00万元。其中，财政拨款1,000.00万元。", "详见下表。。。", "办公费、印刷费、水电费等。", "他说：“已完成。”然后离开。"],
)
def test_single_punctuation(paragraph):
    assert found(HEAD + paragraph + "\n", "punctuation-doubled") == []


# ---------------------------------------------------------------- brackets and quotes


@pytest.mark.parametrize(
    "paragraph",
    [
        "因公出国（境费0.00万元。",
        "公务用车购置及运行费20.00万元（其中，公务用车购置费0.00万元，公务用车运行费20.00万元。",
        "“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行科目1,202.95万元。",
        "根据《预算法》和《政府信息公开条例的要求公开。",
        "依据沪府规【2016168号文。",
        "其中：机关运行经费80.00万元）。",
    ],
)
def test_unmatched_brackets(paragraph):
    assert found(HEAD + paragraph + "\n", "bracket-unmatched") == [("bracket-unmatched", 2)]


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "因公出国（境）费0.00万元，“三公”经费预算数为32.00万元。\n",
        HEAD + "根据《中华人民共和国预算法》（2018年修正）公开。\n",
        HEAD + "1）加强预算管理；2）压减一般性支出。\n",
        HEAD + "5. “社会保障和就业支出-行政事业单位养老支出-行政单位离退休”科目155.42万元，主要用于实行归口管理的行政单位（包括实\n"
        "行公务员管理的事业单位）开支的离退休经费。\n",
        # a line broken after the opening bracket: closed in the next line of the same paragraph
        HEAD + "公务用车购置及运行费20.00万元（\n其中公务用车运行费20.00万元）。\n",
        HEAD + "(一) 收入预算：本部门收入预算 1,000.00 万元。\n",
    ],
)
def test_matched_brackets(text):
    assert found(text, "bracket-unmatched") == []


def test_unmatched_bracket_message():
    doc, _ = parse_text(HEAD + "因公出国（境费0.00万元。\n")
    (f,) = check_narrative_text(doc, Context())
    assert f.message == "部门收支总体情况：圆括号不配对（缺少右半部分）：因公出国（境费0.00万元。"


# ---------------------------------------------------------------- 部门预算 / 单位预算


UNIT_BASE = BASE.replace("年部门收", "年单位收").replace("年部门支", "年单位支").replace("## 第一部分 2023 年部门预算说明",
                                                                             "## 第一部分 2023 年单位预算说明")


def test_document_kind_from_titles():
    assert document_kind(parse(BASE))[0] == "部门"
    assert document_kind(parse(UNIT_BASE))[0] == "单位"


def kind_findings(text: str):
    doc = parse(text)
    return [f for f in check_narrative_text(doc, Context(profile="disclosure")) if f.code == "document-kind-mismatch"]


def test_unit_budget_that_calls_itself_department():
    # UNIT_BASE's 说明 still says 本部门 throughout (copied from a 部门预算)
    found_ = kind_findings(UNIT_BASE)
    assert [f.actual for f in found_] == ["本部门"]
    assert found_[0].severity.value == "warning"
    assert "本文件为单位预算" in found_[0].message and "共 " in found_[0].message
    clean = UNIT_BASE.replace("本部门", "本单位")
    assert kind_findings(clean) == []


def test_department_budget_that_calls_itself_unit():
    text = BASE.replace("（一）基本支出：2023年本部门基本支出预算数600.00万元。", "（一）基本支出：2023年本单位基本支出预算数600.00万元。")
    text = text.replace("## 第一部分 2023 年部门预算说明", "## 第一部分 2023 年单位预算编制说明")
    assert sorted(f.actual for f in kind_findings(text)) == ["单位预算编制说明", "本单位"]
    assert kind_findings(BASE) == []


def test_shanghai_unit_budget_is_consistent():
    from jixiao.pipeline import parse_file
    from tests.conftest import DATA

    doc, _ = parse_file(DATA / "real" / "sh_putuo_govoffice_2025_unit_budget.txt")
    assert document_kind(doc) == ("单位", "上海市普陀区2025年区级单位预算")
    assert list(check_narrative_text(doc, Context())) == []
    # the same document with its 说明 heading copied from the 部门预算
    text = (DATA / "real" / "sh_putuo_govoffice_2025_unit_budget.txt").read_text(encoding="utf-8")
    doc, _ = parse_text(text.replace("2025年单位预算编制说明", "2025年部门预算编制说明"), "unit.txt")
    assert [(f.code, f.actual, f.location.line) for f in check_narrative_text(doc, Context())] == [
        ("document-kind-mismatch", "部门预算编制说明", 82)]


def test_a_colon_before_a_sub_list_is_finished():
    text = HEAD + "（一）项目支出：项目支出400.00万元，主要用于：\n1．信息化建设\n2．宣传经费\n二、其他\n"
    assert found(text, "text-unfinished") == []
    assert found(HEAD + "（一）项目支出：项目支出400.00万元，主要用于：\n（二）其他\n", "text-unfinished") == [
        ("text-unfinished", 2)]


def test_title_lines_decide_over_template_table_titles():
    # a Hunan 单位预算 printed on the 部门 table templates: its title says 单位预算
    text = "长沙市政务服务中心2023年单位预算公开\n" + BASE
    assert document_kind(parse(text))[0] == "单位"
    assert sorted(f.actual for f in kind_findings(text)) == ["本部门", "部门预算说明"]
    assert kind_findings(text.replace("本部门", "本单位").replace("年部门预算说明", "年单位预算说明")) == []

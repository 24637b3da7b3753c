"""Target-table structure rules (DOMAIN §6 rules 1–7) on inline documents in the seed 001 layout.

Each test breaks one cell of ``BASE`` (silent by construction) and asserts every finding that
change causes, by line; model-built documents cover what no layout prints.
"""

from __future__ import annotations

import pytest

from jixiao.findings import Severity
from jixiao.findings.catalog import CATALOG
from jixiao.rules import all_rules
from tests._builders import BASE
from tests._builders import complete
from tests._builders import document
from tests._builders import edit
from tests._builders import found
from tests._builders import ind
from tests._builders import line_of
from tests._builders import review
from tests._builders import table
from tests._builders import tset


def test_base_document_is_clean():
    assert found(BASE) == []


def test_every_target_rule_declares_catalogued_codes_and_cites_domain():
    rules = [r for r in all_rules() if r.id.startswith("targets.")]
    assert len(rules) >= 18
    for r in rules:
        assert set(r.codes) <= set(CATALOG), r.id
        assert "DOMAIN §6 rule" in r.doc, r.id


# --- rule 1 IND-LEVEL-MAP -------------------------------------------------------------------


def test_second_level_under_the_wrong_first_level_is_an_error():
    doc = edit(BASE, "|效益指标|社会效益指标|群众办事时间缩短率|", "|效益指标|数量指标|群众办事时间缩短率|")
    line = line_of(BASE, "群众办事时间缩短率")
    (f,) = review(doc)
    assert (f.location.line, f.code, f.severity) == (line, "category-misplaced", Severity.ERROR)
    assert "属于产出指标" in f.message and "测试局" in f.subject


def test_satisfaction_named_indicator_outside_satisfaction_is_a_warning():
    doc = edit(BASE, "|群众办事时间缩短率|≥|20|%|群众办事时间缩短20%以上|", "|群众满意度|≥|20|%||")
    (f,) = review(doc)
    assert (f.location.line, f.code, f.severity) == (line_of(BASE, "群众办事时间缩短率"), "category-misplaced",
                                                     Severity.WARNING)
    assert f.expected == "满意度指标/服务对象满意度指标"


def test_pre_2021_aliases_are_not_misplaced():
    """产出/成本 (pre-2021) and 社会公众或服务对象满意度 in the 二级 column under 效益 (seeds 002/004)."""
    inds = [
        ind("产出指标", "数量指标", "培训人次", "≥260人次", line=2),
        ind("产出指标", "质量指标", "培训覆盖率", "≥99%", line=3),
        ind("产出指标", "成本指标", "业务培训费用", "≤20万元", line=4),
        ind("效益指标", "社会效益指标", "人才梯队提升程度", "≥90%", line=5),
        ind("效益指标", "社会公众或服务对象满意度指标", "群众满意度", "≥98%", line=6),
    ]
    doc = document(table("project_targets", tset(*inds, total="20")))
    assert found(doc) == []


def test_indicator_without_levels_is_an_error():
    inds = [*complete(), ind(None, None, "其他指标", "5", "≥", "个", line=20, weight="0")]
    doc = document(table("project_targets", tset(*inds, total="25")))
    assert found(doc) == [(20, "indicator-level-missing")]


# --- rule 2 IND-COVERAGE --------------------------------------------------------------------


def test_missing_first_level_category():
    doc = edit(BASE, "||||满意度指标|服务对象满意度指标|服务对象满意度|95|满意度达到95%以上|满意度95%以上得满分|%|≥|10\n", "",
               count=2)
    p1, p2 = line_of(BASE, "政务服务专项"), line_of(BASE, "政策宣传专项")
    assert found(doc) == [(p1, "indicator-missing-category"), (p1, "weights-sum"),
                          (p2 - 1, "indicator-missing-category"), (p2 - 1, "weights-sum")]
    f = review(doc)[0]
    assert "缺少满意度指标" in f.message


def test_missing_quantity_is_an_error_and_missing_quality_and_timeliness_a_warning():
    line = line_of(BASE, "政策宣传专项")
    doc = edit(BASE, "|加强政策宣传|产出指标|数量指标|", "|加强政策宣传|产出指标|质量指标|")
    (f,) = review(doc)
    assert (f.location.line, f.code, f.severity) == (line, "indicator-missing-category", Severity.ERROR)
    assert "数量指标" in f.message
    doc = edit(BASE, "|||||时效指标|信息发布及时率|", "|||||数量指标|信息发布及时率|")
    (f,) = review(doc)
    assert (f.location.line, f.code, f.severity) == (line, "indicator-missing-category", Severity.WARNING)


def test_placeholder_rows_do_not_count_as_indicators():
    """An empty-valued row does not make its category present (and its value is reported missing)."""
    line = line_of(BASE, "评估报告审核通过率")
    doc = edit(BASE, "|评估报告审核通过率|100|", "|评估报告审核通过率||")
    assert found(doc) == [(line - 1, "indicator-missing-category"), (line, "indicator-field-missing")]


# --- rule 3 IND-FIELDS ----------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "field"), [
    ("|培训次数|≥|4|次|", "|培训次数||4|次|", "指标值类型"),
    ("|培训次数|≥|4|次|", "|培训次数|≥|4||", "计量单位"),
    ("|培训次数|≥|4|次|", "|培训次数|≥|4|无|", "计量单位"),
])
def test_missing_fields(old, new, field):
    (f,) = review(edit(BASE, old, new))
    assert (f.location.line, f.code) == (line_of(BASE, "培训次数"), "indicator-field-missing")
    assert f.message.endswith(f"未填写{field}")


def test_type_column_blank_for_a_whole_set_is_reported_once():
    inds = [ind(i.level1, i.level2, i.name, i.target.text, "", i.target.unit, line=i.location.line, weight="18")
            for i in complete()]
    doc = document(table("project_targets", tset(*inds, total="25"),
                         tset(*complete(line=30), name="另一项目", total="25", line=30)))
    (f,) = review(doc)
    assert (f.location.line, f.code) == (1, "indicator-field-missing") and "全部 5 个三级指标" in f.message


def test_name_over_100_characters():
    name = "深度融合湖南省“互联网+政务服务”一体化平台事项管理系统" * 4
    inds = [*complete()[:-1], ind("满意度指标", "服务对象满意度指标", name, "95", "≥", "%", line=30, weight="10")]
    doc = document(table("project_targets", tset(*inds, total="25")))
    (f,) = review(doc)
    assert (f.location.line, f.code) == (30, "indicator-name-too-long") and "超过 100 字" in f.message


# --- rules 4–5 IND-TYPE-ENUM / IND-TYPE-VALUE -----------------------------------------------


@pytest.mark.parametrize(("old", "new", "words", "codes"), [
    ("|培训次数|≥|4|次|", "|培训次数|定量|4|次|", "“定量”不是有效的指标值类型", ["value-type-mismatch"]),
    # the explanation (按时办结率达到98%以上) now disagrees too
    ("|办件按时办结率|≥|98|%|", "|办件按时办结率|≥|120|%|", "超过 100",
     ["value-explanation-mismatch", "value-type-mismatch"]),
    ("|形成整改报告|评估结果用于整改|形成报告得满分，未形成不得分|个|定性|",
     "|形成整改报告|评估结果用于整改|形成报告得满分，未形成不得分|%|定性|", "不应使用计量单位“%”",
     ["value-type-mismatch"]),
    # a second qualitative row in a set of five: 40 % qualitative
    ("|评估报告审核通过率|100|评估报告一次性通过审核|完成率*指标分值|%|=|",
     "|评估报告审核通过率|一次性通过|评估报告一次性通过审核|完成率*指标分值|%|=|", "要求数值",
     ["qualitative-share", "value-type-mismatch"]),
])
def test_type_and_value_must_agree(old, new, words, codes):
    findings = review(edit(BASE, old, new))
    assert [f.code for f in findings] == codes
    (f,) = [f for f in findings if f.code == "value-type-mismatch"]
    assert words in f.message


def test_qualitative_with_a_number_is_a_type_error():
    doc = edit(BASE, "|评估报告审核通过率|100|评估报告一次性通过审核|完成率*指标分值|%|=|",
               "|评估报告审核通过率|1|评估报告一次性通过审核|完成率*指标分值|/|定性|")
    line = line_of(BASE, "评估报告审核通过率")
    assert found(doc) == [(line - 1, "qualitative-share"), (line, "value-type-mismatch")]


def test_qualitative_with_a_count_unit_and_dates_are_accepted():
    """BASE has 定性 with 个 (no % / 万元) and a ≤ date target under 时效: no finding."""
    assert found(BASE, "value-type-mismatch") == []


# --- rule 6 IND-VALUE-CELL ------------------------------------------------------------------


def test_two_targets_in_one_cell():
    inds = [*complete(combined=True)[:-1],
            ind("满意度指标", None, "企业公众满意度；回访和考评", "≥90%；满意以上", line=30, weight="10")]
    doc = document(table("project_targets", tset(*inds, total="25")))
    (f,) = review(doc)
    assert (f.location.line, f.code, f.severity) == (30, "value-cell-multiple", Severity.WARNING)
    assert "≥90%；满意以上" in f.message


def test_single_target_cell_with_note_free_text_is_fine():
    inds = [*complete(combined=True)[:-1], ind("满意度指标", None, "企业满意度", "≥90%", line=30, weight="10")]
    assert found(document(table("project_targets", tset(*inds, total="25")))) == []


# --- rule 7 IND-UNIT ------------------------------------------------------------------------


def test_rate_needs_percent_and_units_come_from_the_list():
    line = line_of(BASE, "办件按时办结率")
    (f,) = review(edit(BASE, "|办件按时办结率|≥|98|%|", "|办件按时办结率|≥|98|率|"))
    assert (f.location.line, f.code, f.actual) == (line, "unit-invalid", "率")
    (f,) = review(edit(BASE, "|培训次数|≥|4|次|", "|培训次数|≥|4|平方|"))
    assert (f.code, f.actual) == ("unit-invalid", "平方")


def test_percent_written_out_is_accepted():
    assert found(edit(BASE, "|办件按时办结率|≥|98|%|", "|办件按时办结率|≥|98|百分比|")) == []

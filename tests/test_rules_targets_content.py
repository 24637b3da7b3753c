"""Target-content rules (DOMAIN §6 rules 8–15) on inline documents in the seed 001 layout."""

from __future__ import annotations

from jixiao.findings import Severity
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

GOAL = "|提升政务服务能力|"
EFFECT = "|政务服务评估结果应用|形成整改报告|评估结果用于整改|形成报告得满分，未形成不得分|个|定性|"

# --- rule 8 IND-QUANT-SHARE -----------------------------------------------------------------


def test_qualitative_share_over_30_percent():
    doc = edit(BASE, "|评估报告审核通过率|100|评估报告一次性通过审核|完成率*指标分值|%|=|",
               "|评估报告审核通过率|按规定审核|评估报告一次性通过审核|通过得满分，未通过不得分|/|定性|")
    (f,) = review(doc)
    assert (f.location.line, f.code, f.actual) == (line_of(BASE, "政务服务专项"), "qualitative-share", "40%")
    assert "2 个" in f.message and "5 个" in f.message


def test_share_limit_is_configurable():
    doc = edit(BASE, "|评估报告审核通过率|100|评估报告一次性通过审核|完成率*指标分值|%|=|",
               "|评估报告审核通过率|按规定审核|评估报告一次性通过审核|通过得满分，未通过不得分|/|定性|")
    assert found(doc, max_qualitative_share="0.5") == []


def test_quantity_indicator_must_be_a_number():
    doc = edit(BASE, "|宣传报道篇数|100|全年发布宣传报道篇数|完成率*指标分值|篇|≥|",
               "|宣传报道篇数|按需发布|全年发布宣传报道篇数|按需发布得满分，未发布不得分|/|定性|")
    assert found(doc) == [(line_of(BASE, "宣传报道篇数"), "quantity-qualitative")]


# --- rule 9 IND-VAGUE -----------------------------------------------------------------------


def test_vague_target_without_grading_scale():
    doc = edit(BASE, EFFECT, "|政务服务评估结果应用|显著提升|评估结果用于整改||个|定性|")
    (f,) = review(doc)
    assert (f.location.line, f.code, f.actual) == (line_of(BASE, "政务服务评估结果应用"), "vague-target", "显著提升")


def test_vague_target_with_grading_scale_is_fine():
    """Seed 001 line 592: 提升 with "达到提升目标得满分，提升效果一般得1分，未提升不得分"."""
    doc = edit(BASE, EFFECT, "|政务服务评估结果应用|提升|评估结果用于整改|达到提升目标得满分，提升效果一般得1分，未提升不得分|个|定性|")
    assert found(doc) == []


def test_vague_terms_are_configurable():
    doc = edit(BASE, EFFECT, "|政务服务评估结果应用|形成整改报告|评估结果用于整改||个|定性|")
    assert found(doc) == []
    assert found(doc, vague_terms=("整改报告",)) == [(line_of(BASE, "政务服务评估结果应用"), "vague-target")]


# --- rule 10 IND-EXPL-CONSISTENT ------------------------------------------------------------


def test_value_contradicts_its_explanation():
    """Seed 001 line 573: 90 against "满意率不低于95%"."""
    line = line_of(BASE, "服务对象满意度不低于90%")
    (f,) = review(edit(BASE, "|服务对象满意度|≥|90|%|服务对象满意度不低于90%|", "|服务对象满意度|≥|85|%|服务对象满意度不低于90%|"))
    assert (f.location.line, f.code, f.severity) == (line, "value-explanation-mismatch", Severity.ERROR)
    assert "不低于90%" in f.message and f.actual == "≥85%"


def test_direction_contradicts_its_explanation():
    doc = edit(BASE, "|信息发布及时率|95|信息发布及时率不低于95%|完成率*指标分值|%|≥|",
               "|信息发布及时率|95|信息发布及时率不低于95%|完成率*指标分值|%|≤|")
    (f,) = review(doc)
    assert f.code == "value-explanation-mismatch" and "比较方向" in f.message


def test_numbers_without_comparison_word_or_per_period_are_not_compared():
    """Seed 001 lines 381/382 (覆盖到40个…、8个…) and seed 000 line 30 (每月…不低于1场)."""
    doc = edit(BASE, "|评价部门个数|40|评价范围覆盖40个部门|", "|评价部门个数|8|评价范围覆盖到40个市直部门、8个区县（市）和10个园区|")
    assert found(doc) == []
    doc = edit(BASE, "|培训次数|≥|4|次|全年开展业务培训次数|", "|培训次数|≥|12|次|每季度开展培训不少于3次|")
    assert found(doc) == []
    doc = edit(BASE, "|按时办结率达到98%以上|", "|按时办结率较上年提高不低于2%|")
    assert found(doc) == []


def test_explanation_in_another_unit_is_not_compared():
    doc = edit(BASE, "|宣传报道篇数|100|全年发布宣传报道篇数|", "|宣传报道篇数|100|覆盖人数达到5000人以上|")
    assert found(doc) == []


# --- rule 11 IND-SAT ------------------------------------------------------------------------


def test_awards_and_counts_are_not_satisfaction():
    """Seed 001 lines 441/472/497: 上级部门满意度 2 个."""
    line = line_of(BASE, "政策宣传专项") + 4
    doc = edit(BASE, "|服务对象满意度|95|满意度达到95%以上|满意度95%以上得满分|%|≥|10\n", "|上级部门满意度|2|获得领导批示次数|获得1个得5分|个|≥|10\n",
               count=2)
    assert found(doc, "satisfaction-invalid") == [(line_of(BASE, "政务服务专项") + 4, "satisfaction-invalid"),
                                                  (line, "satisfaction-invalid")]


def test_qualitative_satisfaction():
    inds = [*complete()[:-1], ind("满意度指标", "服务对象满意度指标", "提升群众获得感、满意度", "持续推进", "定性",
                                  line=30, scoring="持续推进得10分；未推进不得分。", weight="10")]
    doc = document(table("project_targets", tset(*inds, total="25")))
    assert found(doc) == [(30, "satisfaction-invalid")]


# --- rule 12 IND-PROCESS-AS-OUTPUT ----------------------------------------------------------


def test_process_indicators_are_flagged():
    """Seed 002: 资金到位率 ≥95% under 时效指标."""
    doc = edit(BASE, "|信息发布及时率|95|信息发布及时率不低于95%|", "|资金到位率|95|资金到位率|")
    (f,) = review(doc)
    assert (f.location.line, f.code) == (line_of(BASE, "信息发布及时率"), "process-as-output")
    assert "资金到位率" in f.message


# --- rule 13 IND-DUPLICATE ------------------------------------------------------------------


def _projects(n: int):
    return [tset(*complete(line=10 * k), name=f"项目{k}", unit_code="152001", total="25", line=10 * k)
            for k in range(1, n + 1)]


def test_same_indicator_in_three_projects_of_one_unit():
    doc = document(table("project_targets", *_projects(3)))
    names = {f.message.split("三级指标“")[1].split("”")[0] for f in review(doc)}
    # cost (= each project's own budget) and satisfaction rows are uniform by design: not reported
    assert found(doc) == [(10, "indicator-duplicate"), (11, "indicator-duplicate"), (13, "indicator-duplicate")]
    assert names == {"评价部门个数", "报告通过率", "整改完成率"}
    assert "项目1、项目2、项目3" in review(doc)[0].message


def test_two_projects_sharing_indicators_are_fine():
    assert found(document(table("project_targets", *_projects(2)))) == []


# --- rule 14 TXT-PLACEHOLDER ----------------------------------------------------------------


def test_template_residue():
    """Seed 001 line 687 (得XX分) and seed 002 line 213 (（分级填报）)."""
    line = line_of(BASE, "政务服务专项")
    doc = edit(BASE, "|项目总成本|25|反映项目总成本|偏离10%以下得满分|", "|项目总成本|25|反映项目总成本|偏离目标30%得XX分|")
    (f,) = review(doc)
    assert (f.location.line, f.code, f.actual) == (line + 2, "template-residue", "XX")
    assert "评（扣）分标准" in f.message
    (f,) = review(edit(BASE, GOAL, "|提升政务服务能力（分级填报）|"))
    assert (f.location.line, f.code, f.actual) == (line, "template-residue", "（分级填报）")


def test_formulas_and_standard_numbers_are_not_residue():
    doc = edit(BASE, GOAL, "|按照GB/T 39554.2-2020标准，得分=完成率*指标分值|")
    assert found(doc) == []


# --- rule 15 TXT-TYPO -----------------------------------------------------------------------


def test_doubled_words_and_known_slips():
    """Seed 002 (高效高效, 三公经费经费, 提很) and seed 001 (不登封, 90%一下)."""
    line = line_of(BASE, "政务服务专项")
    (f,) = review(edit(BASE, GOAL, "|高效高效完成各项任务|"))
    assert (f.location.line, f.code, f.severity, f.expected) == (line, "repeated-text", Severity.INFO, "高效")
    doc = edit(BASE, "|培训次数|≥|4|次|全年开展业务培训次数|开展4次得满分，每少1次扣5分|",
               "|培训次数|≥|4|次|全年开展业务培训次数|开展4次得满分，少于2次不登封|")
    assert [(f.code, f.actual, f.expected) for f in review(doc)] == [("text-typo", "不登封", "不得分")]


def test_ordinary_text_has_no_typos():
    assert found(edit(BASE, GOAL, "|提很多建议，提高服务质量|")) == []

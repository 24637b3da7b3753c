"""Rules 24–27 on the inline disclosure: 功能分类 tree and codes, placement, 经济分类, "三公"."""

from __future__ import annotations

from tests.test_rules_disclosure import BASE
from tests.test_rules_disclosure import check
from tests.test_rules_disclosure import flat
from tests.test_rules_disclosure import line_of
from tests.test_rules_disclosure import mutate

CODES = ("func-code-invalid", "func-code-unknown", "func-code-name-mismatch")


def _rule(text: str, rule_prefix: str):
    from jixiao.rules import Context
    from jixiao.rules import rules_for
    from tests.test_rules_disclosure import parse

    doc = parse(text)
    ctx = Context(profile="disclosure")
    return [f for r in rules_for("disclosure") if r.id.startswith(rule_prefix) for f in r.fn(doc, ctx)]


def test_base_is_clean_for_every_classification_rule():
    for prefix in ("disclosure.func-tree", "disclosure.func-placement", "disclosure.econ", "disclosure.sangong"):
        assert _rule(BASE, prefix) == [], prefix


# ---------------------------------------------------------------- rule 24


def test_b8_kuan_differs_from_its_xiang_in_one_column():
    # 支出总表: 事业运行 100 → 110 in 合计 and 基本支出; the 款 row above no longer adds up.
    text = mutate("201|03|50|事业运行|100.00|100.00||||", "201|03|50|事业运行|110.00|110.00||||")
    found = _rule(text, "disclosure.func-tree")
    kuan = line_of(text, "|03||政府办公厅（室）及相关机构事务|1,000.00|600.00|400.00|||")
    assert sorted((f.location.line, f.message) for f in found) == [
        (kuan, "部门支出总表/20103 政府办公厅（室）及相关机构事务：合计（所属各项之和）应为 1,010.00 万元，实为 1,000.00 万元，相差 10.00 万元"),
        (kuan, "部门支出总表/20103 政府办公厅（室）及相关机构事务：基本支出（所属各项之和）应为 610.00 万元，实为 600.00 万元，相差 10.00 万元"),
    ]


def test_b8_grand_total_vs_classes():
    text = mutate("|||合计|1,000.00|600.00|400.00", "|||合计|1,000.00|600.00|420.00")  # 一般公共预算支出表
    found = [f for f in _rule(text, "disclosure.func-tree") if f.code == "amount-sum-mismatch"]
    assert [(f.subject, f.expected, f.actual) for f in found] == [("一般公共预算支出表/合计", "400.00 万元", "420.00 万元")]


def test_unknown_class_code_and_name_mismatch():
    text = BASE.replace("201|||一般公共服务支出|1,000.00|600.00|400.00|||", "201|||教育支出|1,000.00|600.00|400.00|||")
    found = _rule(text, "disclosure.func-tree")
    assert flat(found) == [(line_of(text, "201|||教育支出"), "func-code-name-mismatch")]
    assert found[0].message == "部门支出总表/201 教育支出：科目 201 应为“一般公共服务支出”，表中名称为“教育支出”"
    text = BASE.replace("201|03|50|事业运行|100.00|100.00|||", "218|03|50|事业运行|100.00|100.00|||")
    found = _rule(text, "disclosure.func-tree")
    assert ("func-code-unknown", "部门支出总表/2180350 事业运行：功能分类“类”级科目 218 不在政府收支分类科目表中，请核对编码") in [
        (f.code, f.message) for f in found]
    assert "func-code-invalid" in {f.code for f in found}  # 2180350 sits under 类 201


def test_known_codes_are_quiet_on_names():
    assert [f for f in _rule(BASE, "disclosure.func-tree") if f.code in CODES] == []


# ---------------------------------------------------------------- rule 25


def test_placement_of_administrative_running_costs():
    text = mutate("201|03|01|行政运行|500.00|500.00|", "201|03|01|行政运行|500.00|450.00|50.00")  # 一般公共预算支出表
    text = mutate("201|03|02|一般行政管理事务|400.00||400.00", "201|03|02|一般行政管理事务|400.00|50.00|350.00", text)
    found = _rule(text, "disclosure.func-placement")
    assert [(f.location.line, f.message) for f in found] == [
        (line_of(text, "行政运行|500.00|450.00"), "一般公共预算支出表/2010301 行政运行：“行政运行”应只列基本支出，但项目支出列了 50.00 万元"),
        (line_of(text, "一般行政管理事务|400.00|50.00"),
         "一般公共预算支出表/2010302 一般行政管理事务：“一般行政管理事务”应只列项目支出，但基本支出列了 50.00 万元"),
    ]
    assert found[0].severity.value == "warning"


# ---------------------------------------------------------------- rule 26


def test_b9_class_vs_kuan():
    text = mutate("30102|津贴补贴|200.00|200.00|", "30102|津贴补贴|210.00|210.00|")
    found = _rule(text, "disclosure.econ")
    line = line_of(text, "301|工资福利支出")
    assert [(f.location.line, f.message) for f in found] == [
        (line, "一般公共预算基本支出表/301 工资福利支出：合计（所属各款之和）应为 510.00 万元，实为 500.00 万元，相差 10.00 万元"),
        (line, "一般公共预算基本支出表/301 工资福利支出：人员类（所属各款之和）应为 510.00 万元，实为 500.00 万元，相差 10.00 万元"),
    ]


def test_b9_row_total_and_people_total():
    text = mutate("|合计|600.00|520.00|80.00", "|合计|600.00|510.00|80.00")
    found = _rule(text, "disclosure.econ")
    messages = [f.message for f in found]
    assert "一般公共预算基本支出表/合计：合计（人员类 + 公用经费）应为 590.00 万元，实为 600.00 万元，相差 10.00 万元" in messages
    assert "一般公共预算基本支出表/合计：人员类（301 + 303 之和）应为 520.00 万元，实为 510.00 万元，相差 10.00 万元" in messages


def test_econ_codes():
    text = mutate("30201|办公费|50.00||50.00", "30298|办公费|50.00||50.00")
    found = _rule(text, "disclosure.econ")
    assert [(f.code, f.message) for f in found] == [
        ("econ-code-unknown", "一般公共预算基本支出表/30298 办公费：经济分类科目 30298 不在部门预算支出经济分类科目表中，请核对编码")]
    text = mutate("30201|办公费|50.00||50.00", "30202|办公费|50.00||50.00")
    assert [f.code for f in _rule(text, "disclosure.econ")] == ["econ-code-name-mismatch"]
    text = mutate("30302|退休费|20.00|20.00|", "30102|退休费|20.00|20.00|")  # under 303
    codes = [f.code for f in _rule(text, "disclosure.econ")]
    assert "econ-code-invalid" in codes


# ---------------------------------------------------------------- rule 27


def test_b10_subtotal_and_vehicle():
    text = mutate("合计|32.00|12.00||20.00||20.00", "合计|33.00|12.00||20.00|1.00|20.00")
    found = _rule(text, "disclosure.sangong")
    line = line_of(text, "合计|33.00")
    assert sorted((f.location.line, f.message) for f in found) == sorted([
        (line, "一般公共预算“三公”经费支出表/合计：合计（公务接待费 + 因公出国（境）费 + 公务用车购置及运行费）应为 32.00 万元，实为 33.00 万元，相差 1.00 万元"),
        (line, "一般公共预算“三公”经费支出表/合计：公务用车购置及运行费（公务用车购置费 + 公务用车运行费）应为 21.00 万元，实为 20.00 万元，相差 1.00 万元"),
        (line, "一般公共预算“三公”经费支出表/合计：合计（各单位之和）应为 32.00 万元，实为 33.00 万元，相差 1.00 万元"),
        (line, "一般公共预算“三公”经费支出表/合计：公务用车购置费（各单位之和）应为 0.00 万元，实为 1.00 万元，相差 1.00 万元"),
    ])


def test_sangong_item_below_basic_line():
    text = mutate("30217|公务接待费|10.00||10.00", "30217|公务接待费|15.00||15.00")
    text = mutate("30201|办公费|50.00||50.00", "30201|办公费|45.00||45.00", text)
    found = _rule(text, "disclosure.sangong")
    assert [(f.code, f.severity.value, f.expected, f.actual) for f in found] == [
        ("sangong-item-below-basic", "warning", "15.00", "12.00")]
    assert "低于基本支出表“30217 公务接待费” 15.00 万元" in found[0].message


def test_full_profile_on_base_has_no_disclosure_findings():
    assert check(BASE, profile="all", codes=(*CODES, "sangong-item-below-basic", "econ-code-unknown")) == []

"""Names beside codes (DOMAIN §3.4): the name printed next to a 功能分类 / 经济分类 code is the code's
name in the 政府收支分类科目 of the document's year (package data ``jixiao/data/classification.csv``).

The inline disclosure is the consistent ``BASE`` of test_rules_disclosure (a 2023 部门预算); each test
changes one name or the year and asserts the finding it causes, or that there is none.
"""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.model import classification
from tests.test_rules_disclosure import line_of
from tests.test_rules_disclosure import mutate
from tests.test_rules_disclosure import parse

NAME_CODES = ("func-code-name-mismatch", "func-code-name-outdated", "econ-code-name-mismatch", "econ-code-name-outdated",
              "class-name-outdated", "func-code-unknown", "econ-code-unknown")
DATA = Path(__file__).parent / "data"
BASIS_FILES = {
    "seed001": DATA / "seeds" / "001_c182bc71c99e727c.txt",
    "sh-dept2025": DATA / "real" / "sh_putuo_govoffice_2025_dept_budget.txt",
    "sh-unit2025": DATA / "real" / "sh_putuo_govoffice_2025_unit_budget.txt",
    "sh-wanli2024": DATA / "real" / "sh_putuo_wanli_street_2024_dept_budget.txt",
}


def names_found(text: str):
    from jixiao.rules import Context
    from jixiao.rules import run

    return [f for f in run(parse(text), Context(profile="disclosure")) if f.code in NAME_CODES]


def with_year(text: str, year: int) -> str:
    return text.replace("2023", str(year))


# ---------------------------------------------------------------- the data


def test_every_entry_is_well_formed_and_ranges_do_not_overlap():
    rows = classification.entries()
    assert len(rows) > 250
    for e in rows:
        assert e.scheme in classification.SCHEMES and e.code.isdigit() and e.name and e.basis, e
        assert len(e.code) in ((3, 5, 7) if e.scheme == "func" else (3, 5)), e
        assert e.last is None or e.last >= e.first, e
        if len(e.code) > 3:  # every 款/项 sits under a listed parent
            assert classification.known(e.scheme, e.code[: len(e.code) - 2]), e
    for scheme, code in {(e.scheme, e.code) for e in rows}:
        spans = classification.names(scheme, code)
        for a, b in zip(spans, spans[1:]):
            assert a.last is not None and a.last < b.first, (a, b)


def test_every_basis_line_prints_the_code_and_its_name():
    """A ``seed001:219`` basis is a line of that file that prints the entry's name (and its code or
    the code's last segment, except for 类 listed by name in a 财政拨款收支总表)."""
    checked = 0
    for e in classification.entries():
        for ref in e.basis.split():
            if ":" not in ref:
                assert ref in ("book", "DOMAIN", "DOMAIN-◐"), ref
                continue
            stem, line = ref.split(":")
            text = BASIS_FILES[stem].read_text(encoding="utf-8").splitlines()[int(line) - 1]
            assert classification.normalise(e.name) in {classification.normalise(c) for c in re.split(r"\t", text)}, (e, text)
            checked += 1
    assert checked > 150


def test_renames_of_2019():
    assert classification.name_in("func", "210", 2018).name == "医疗卫生与计划生育支出"
    assert classification.name_in("func", "210", 2019).name == "卫生健康支出"
    assert classification.name_in("func", "207", 2024).name == "文化旅游体育与传媒支出"
    assert classification.name_in("func", "224", 2018) is None  # not yet a 类: unknown that year, not checked
    old, new = classification.outdated("func", "220", "国土海洋气象等支出", 2023)
    assert (old.last, new.name) == (2018, "自然资源海洋气象等支出")
    assert classification.outdated("func", "220", "国土海洋气象等支出", 2018) is None


def test_normalised_names():
    n = classification.normalise
    assert n("维修(护)费") == n("维修（护）费") == n("维 修（护）费用")
    assert n("机关事业单位基本养老保险缴费") == n("机关事业单位基本养老保险缴费支出")
    assert n("9、卫生健康支出") == n("卫生健康支出")
    assert n("其他资本性支出") != n("资本性支出")
    assert classification.same_name("2059999", "其他教育支出", "教育支出")  # 其他 only counts on a 99 code
    assert not classification.same_name("310", "其他资本性支出", "资本性支出")
    assert n("卫生健康支出") != n("医疗卫生与计划生育支出")


# ---------------------------------------------------------------- functional codes


HEALTH = "210|||医疗卫生与计划生育支出|1,000.00|600.00|400.00|||"


def test_old_class_name_after_its_rename_names_the_new_one():
    text = mutate("201|||一般公共服务支出|1,000.00|600.00|400.00|||", HEALTH)
    found = [f for f in names_found(text) if f.code.startswith("func-code-name")]
    assert [(f.location.line, f.code) for f in found] == [(line_of(text, HEALTH), "func-code-name-outdated")]
    assert found[0].message == ("部门支出总表/210 医疗卫生与计划生育支出：科目 210 的名称“医疗卫生与计划生育支出”是 2014–2018 年"
                                "的旧名称，2023 年应为“卫生健康支出”")
    assert (found[0].expected, found[0].actual, found[0].severity.value) == ("卫生健康支出", "医疗卫生与计划生育支出", "warning")


def test_old_class_name_in_its_own_years_is_right():
    text = with_year(mutate("201|||一般公共服务支出|1,000.00|600.00|400.00|||", HEALTH), 2018)
    assert [f for f in names_found(text) if f.code.startswith("func-code-name")] == []


def test_new_class_name_before_the_rename_is_a_mismatch():
    text = with_year(mutate("201|||一般公共服务支出|1,000.00|600.00|400.00|||", HEALTH.replace("医疗卫生与计划生育支出", "卫生健康支出")), 2017)
    found = [f for f in names_found(text) if f.code.startswith("func-code-name")]
    assert [(f.code, f.expected) for f in found] == [("func-code-name-mismatch", "医疗卫生与计划生育支出")]


def test_printed_variants_of_the_right_name_are_quiet():
    text = mutate("201|03|01|行政运行|500.00|500.00||||", "201|03|01|行 政 运 行|500.00|500.00||||")
    text = mutate("|03||政府办公厅（室）及相关机构事务|1,000.00|600.00|400.00|||",
                  "|03||政府办公厅(室)及相关机构事务|1,000.00|600.00|400.00|||", text)
    assert names_found(text) == []


def test_a_wrong_kuan_name_is_a_mismatch_and_an_unlisted_code_is_not_checked():
    text = mutate("201|03|50|事业运行|100.00|100.00||||", "201|03|50|机关服务|100.00|100.00||||")
    found = names_found(text)
    assert [(f.location.line, f.code, f.expected) for f in found] == [
        (line_of(text, "201|03|50|机关服务"), "func-code-name-mismatch", "事业运行")]
    # 2010304 is not in the table: no name check, and its 类 is known, so no finding at all
    text = mutate("201|03|50|事业运行|100.00|100.00||||", "201|03|04|专项服务|100.00|100.00||||")
    assert names_found(text) == []


def test_class_named_without_code_in_the_fiscal_overview():
    text = mutate("||4、教育支出||||", "||4、医疗卫生与计划生育支出||||")
    found = names_found(text)
    assert [(f.location.line, f.code, f.expected) for f in found] == [
        (line_of(text, "||4、医疗卫生与计划生育支出"), "class-name-outdated", "卫生健康支出")]
    assert found[0].message == ("财政拨款收支总表/医疗卫生与计划生育支出：“医疗卫生与计划生育支出”是功能分类 210 类 2014–2018 年的旧名称，"
                                "2023 年应为“卫生健康支出”")
    assert names_found(with_year(text, 2016)) == []


# ---------------------------------------------------------------- economic codes


def test_economic_names_of_the_2018_reform():
    text = mutate("30201|办公费|50.00||50.00", "30213|维修(护)费|50.00||50.00")
    assert names_found(text) == []  # brackets are not a difference
    text = mutate("303|对个人和家庭的补助|20.00|20.00|", "310|其他资本性支出|20.00|20.00|")
    text = mutate("30302|退休费|20.00|20.00|", "31002|办公设备购置|20.00|20.00|", text)
    found = names_found(text)
    assert [(f.code, f.expected, f.actual) for f in found] == [("econ-code-name-outdated", "资本性支出", "其他资本性支出")]
    assert "2014–2017 年的旧名称，2023 年应为“资本性支出”" in found[0].message
    assert names_found(with_year(text, 2017)) == []  # 2017: the old name is right; 31002 has no 2017 entry

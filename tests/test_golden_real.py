"""Real public documents (copied from ../shared/real into tests/data/real): the Shanghai 普陀区 部门预算 / 单位预算 (九张表).

The fixtures in tests/data/real/ are the PDFs' text as pdfplumber extracted it (table rows
tab-separated, merged cells repeated), file names kept; the PDF reader reads the PDFs themselves
to the same lines (tests/test_readers_pdf.py; their goldens: tests/test_golden_pdf.py). Goldens
pin the parsed document and every finding; each finding was reviewed by hand against the PDF (see the golden files and the
focused tests below, which recompute the ones that are errors). The focused tests assert exact
values read from the documents and break one thing at a time to show the rules see it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from jixiao.findings import Finding
from jixiao.model.budget import BudgetTable
from jixiao.model.money import Unit
from jixiao.model.money import fmt_wan
from jixiao.model.money import to_wan
from jixiao.pipeline import parse_file
from jixiao.pipeline import parse_text
from jixiao.render.document_json import document_json
from jixiao.rules import run
from jixiao.rules.disclosure import table_format
from tests.conftest import DATA
from tests.conftest import seed
from tests.golden_util import check_golden

REAL = DATA / "real"
REAL_FILES = sorted(REAL.glob("*.txt"))
DEPT = "sh_putuo_govoffice_2025_dept_budget"
UNIT = "sh_putuo_govoffice_2025_unit_budget"
WANLI = "sh_putuo_wanli_street_2024_dept_budget"
SH_KINDS = [
    "budget_overview", "revenue", "expenditure", "fiscal_overview", "general_budget_expenditure",
    "gov_fund_expenditure", "state_capital_expenditure", "basic_expenditure", "three_public",
]


@cache
def parsed(stem: str):
    path = REAL / f"{stem}.txt"
    return parse_file(path, name=path.name)


@cache
def checked(stem: str) -> list[Finding]:
    doc, found = parsed(stem)
    return sorted([*found, *run(doc)], key=Finding.sort_key)


def table(stem: str, kind: str) -> BudgetTable:
    doc, _ = parsed(stem)
    (t,) = [t for t in doc.tables if t.kind == kind]
    assert isinstance(t, BudgetTable)
    return t


def text_of(stem: str) -> str:
    return (REAL / f"{stem}.txt").read_text(encoding="utf-8")


def mutated(stem: str, old: str, new: str) -> list[Finding]:
    """Findings of the document with one printed string replaced (it must occur once)."""
    text = text_of(stem)
    assert text.count(old) == 1, old
    doc, found = parse_text(text.replace(old, new), f"{stem}.txt")
    return [*found, *run(doc)]


def codes(findings) -> list[tuple[str, int | None]]:
    return [(f.code, f.location.line if f.location else None) for f in findings]


# ---------------------------------------------------------------- goldens


def test_fixtures_are_the_three_documents():
    assert [p.stem for p in REAL_FILES] == [DEPT, UNIT, WANLI]


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.stem)
def test_parse_golden(path):
    doc, findings = parsed(path.stem)
    check_golden(f"{path.stem}.parse.json", document_json(doc, path.name, findings))


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.stem)
def test_check_golden(path):
    findings = checked(path.stem)
    assert not [f for f in findings if f.code == "rule-crashed"]
    check_golden(f"{path.stem}.check.json", {"findings": [f.as_dict() for f in findings]})


# ---------------------------------------------------------------- the text layout


def test_merged_header_cells_are_repeated_and_wrapped_cells_joined():
    lines = text_of(DEPT).splitlines()
    # 项目 spans 类/款/项/名称, 收入预算 the five amount columns; "事业单位\n经营收入" is one cell
    assert "项目\t项目\t项目\t项目\t收入预算\t收入预算\t收入预算\t收入预算\t收入预算" in lines
    assert "类\t款\t项\t功能分类科目名称\t合计\t财政拨款收入\t事业收入\t事业单位经营收入\t其他收入" in lines
    assert "合计\t合计\t合计\t合计\t91,016,775.35\t91,016,775.35\t\t\t" in lines
    assert "201\t03\t01\t行政运行\t12,029,501.84\t12,029,501.84\t\t\t" in lines


# ---------------------------------------------------------------- what the parser reads


@pytest.mark.parametrize("stem", [DEPT, UNIT, WANLI])
def test_the_nine_tables_are_read_in_order(stem):
    doc, findings = parsed(stem)
    assert [t.kind for t in doc.tables] == SH_KINDS
    assert doc.kind == "budget_disclosure" and table_format(doc) == "shanghai"
    assert [t.unit for t in doc.tables] == [Unit.YUAN] * 8 + [Unit.WANYUAN]
    assert {t.org for t in doc.tables} == {doc.org}
    assert doc.org == ("上海市普陀区人民政府万里街道办事处" if stem == WANLI else "上海市普陀区人民政府办公室")
    assert not [f for f in findings if f.code in ("budget-header-missing", "header-unrecognised", "cell-unplaced")]


def test_a_hunan_document_is_not_shanghai():
    doc, _ = parse_file(seed("001"), name=seed("001").name)
    assert table_format(doc) == "hunan"


def test_revenue_total_in_yuan_and_its_wanyuan():
    t = table(DEPT, "revenue")
    assert t.title == "2025年部门收入预算总表" and t.unit is Unit.YUAN
    assert t.columns == ("total", "fiscal", "business", "operating", "other")
    total = t.rows[-1]
    assert (total.name, total.code, total.total, total.value("fiscal")) == (
        "合计", None, Decimal("91016775.35"), Decimal("91016775.35"))
    assert to_wan(total.total, t.unit) == Decimal("9101.677535")
    assert fmt_wan(to_wan(total.total, t.unit)) == "9,101.68"  # the 说明's 收入预算9,101.68万元
    (stated,) = [a for a in parsed(DEPT)[0].amounts if a.label.endswith("收入预算")]
    assert (stated.value, stated.unit) == (Decimal("9101.68"), "万元")


def test_function_rows_join_their_class_kuan_xiang_cells():
    t = table(DEPT, "general_budget_expenditure")
    assert [(r.code, r.name, str(r.total), str(r.value("basic")), str(r.value("project"))) for r in t.rows] == [
        ("201", "一般公共服务支出", "82096797.42", "15686797.42", "66410000.00"),
        ("20103", "政府办公厅（室）及相关机构事务", "82096797.42", "15686797.42", "66410000.00"),
        ("2010301", "行政运行", "12029501.84", "11919501.84", "110000.00"),
        ("2010302", "一般行政管理事务", "46140000.00", "None", "46140000.00"),
        ("2010350", "事业运行", "3807295.58", "3767295.58", "40000.00"),
        ("2010399", "其他政府办公厅（室）及相关机构事务支出", "20120000.00", "None", "20120000.00"),
        ("208", "社会保障和就业支出", "4213779.28", "4213779.28", "None"),
        ("20805", "行政事业单位养老支出", "4213779.28", "4213779.28", "None"),
        ("2080501", "行政单位离退休", "1554220.00", "1554220.00", "None"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "1763159.52", "1763159.52", "None"),
        ("2080506", "机关事业单位职业年金缴费支出", "881579.76", "881579.76", "None"),
        ("2080599", "其他行政事业单位养老支出", "14820.00", "14820.00", "None"),
        ("210", "卫生健康支出", "1097073.43", "1097073.43", "None"),
        # page break: the table continues on page 15 under its repeated header (no title)
        ("21011", "行政事业单位医疗", "1097073.43", "1097073.43", "None"),
        ("2101101", "行政单位医疗", "782855.28", "782855.28", "None"),
        ("2101102", "事业单位医疗", "314218.15", "314218.15", "None"),
        ("221", "住房保障支出", "3609125.22", "3609125.22", "None"),
        ("22102", "住房改革支出", "3609125.22", "3609125.22", "None"),
        ("2210201", "住房公积金", "1741445.22", "1741445.22", "None"),
        ("2210203", "购房补贴", "1867680.00", "1867680.00", "None"),
        (None, "合计", "91016775.35", "24606775.35", "66410000.00"),
    ]


def test_economic_codes_join_their_class_kuan_cells():
    t = table(DEPT, "basic_expenditure")
    assert t.columns == ("total", "personnel", "public")
    codes_read = [r.code for r in t.rows]
    assert codes_read[:4] == ["301", "30101", "30102", "30107"] and codes_read[-3:] == ["310", "31002", None]
    assert (t.rows[-1].total, t.rows[-1].value("personnel"), t.rows[-1].value("public")) == (
        Decimal("24606775.35"), Decimal("22473997.81"), Decimal("2132777.54"))


def test_two_sided_overview_tables():
    ov = table(DEPT, "budget_overview")
    income = [(r.name, r.total) for r in ov.rows if r.side == "income"]
    assert income == [
        ("财政拨款收入", Decimal("91016775.35")), ("一般公共预算资金", Decimal("91016775.35")), ("政府性基金", None),
        ("国有资本经营预算", None), ("事业收入", None), ("事业单位经营收入", None), ("其他收入", None),
        ("收入总计", Decimal("91016775.35")),
    ]
    assert [r.name for r in ov.rows if r.side == "expenditure"] == [
        "一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出", "支出总计"]
    fo = table(DEPT, "fiscal_overview")
    assert fo.columns == ("total", "general_budget", "gov_fund", "state_capital")
    (spend,) = [r for r in fo.rows if r.name == "支出总计"]
    assert (spend.total, spend.value("general_budget"), spend.value("gov_fund")) == (
        Decimal("91016775.35"), Decimal("91016775.35"), None)


def test_unit_budget_overview_splits_expenditure_into_personnel_public_project():
    ov = table(UNIT, "budget_overview")
    assert ov.title == "2025年预算单位财务收支预算总表"
    assert ov.columns == ("total", "personnel", "public", "project")
    (first,) = [r for r in ov.rows if r.name == "一般公共服务支出"]
    assert [first.total, first.value("personnel"), first.value("public"), first.value("project")] == [
        Decimal("82096797.42"), Decimal("13819399.88"), Decimal("1867397.54"), Decimal("66410000.00")]


@pytest.mark.parametrize("stem", [DEPT, UNIT, WANLI])
@pytest.mark.parametrize("kind", ["gov_fund_expenditure", "state_capital_expenditure"])
def test_empty_tables_are_read_with_their_statement(stem, kind):
    t = table(stem, kind)
    assert [(r.name, r.total, r.values) for r in t.rows] == [("合计", None, (("basic", None), ("project", None)))]
    assert t.empty_statement == "故本表为空表"
    assert "disclosure-empty-unstated" not in [f.code for f in checked(stem)]


def test_an_empty_table_without_its_statement_is_reported():
    found = mutated(DEPT, "注:本部门2025年无国有资本经营预算财政拨款安排的预算，故本表为空表。\n", "")
    (f,) = [f for f in found if f.code == "disclosure-empty-unstated"]
    assert f.subject == "国有资本经营预算支出功能分类预算表" and f.location.line == 217
    # the 说明 gives 国有资本经营预算拨款支出预算0万元: explained there, so a warning, not an error
    assert f.severity.value == "warning"


def test_three_public_and_running_costs():
    t = table(DEPT, "three_public")
    assert t.unit is Unit.WANYUAN and t.title == "2025年部门“三公”经费和机关运行经费预算表"
    assert t.columns == ("total", "abroad", "reception", "vehicle", "vehicle_purchase", "vehicle_operation", "running_costs")
    (row,) = t.rows
    assert row.name == "" and row.total == Decimal("867.50")
    assert {k: v for k, v in row.values if v is not None} == {
        "abroad": Decimal("839.00"), "reception": Decimal("28.50"), "running_costs": Decimal("213.28")}
    (wanli,) = table(WANLI, "three_public").rows
    assert [wanli.total, *(wanli.value(k) for k in ("abroad", "reception", "vehicle", "vehicle_purchase",
                                                      "vehicle_operation", "running_costs"))] == [
        Decimal(x) for x in ("47.91", "0", "1.35", "46.56", "25", "21.56", "443.18")]


def test_sections_and_stated_amounts():
    doc, _ = parsed(DEPT)
    assert [(s.number, s.title) for s in doc.sections if s.level == 1][:6] == [
        ("", "上海市普陀区人民政府办公室主要职能"),
        ("", "上海市普陀区人民政府办公室机构设置"),
        ("", "名词解释"),
        ("", "2025年部门预算编制说明"),
        ("", "其他相关情况说明"),  # after the last table: narrative again
        ("一", "2025年“三公”经费预算情况说明"),
    ]
    items = [(a.label, a.value) for a in doc.amounts if a.label.endswith("”科目")]
    assert len(items) == 12
    assert items[0] == ("“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目", Decimal("1202.95"))
    assert items[-1] == ("“住房保障支出-住房改革支出-购房补贴”科目", Decimal("186.77"))


def test_text_after_the_last_table_is_narrative():
    """其他相关情况说明 ends the 三公 table's segment; its amounts are read and match the tables."""
    doc, findings = parsed(DEPT)
    assert not [f for f in findings if f.code == "budget-row-unplaced"]
    stated = {(a.label, a.value, a.location.line) for a in doc.amounts}
    assert ("“三公”经费", Decimal("867.50"), 271) in stated
    assert ("机关运行经费预算", Decimal("213.28"), 277) in stated
    assert not [f for f in checked(DEPT) if f.code == "text-table-mismatch"]


# ---------------------------------------------------------------- rules on the real documents


@pytest.mark.parametrize("stem", [DEPT, UNIT, WANLI])
def test_no_hunan_table_is_asked_of_a_shanghai_document(stem):
    assert not [f for f in checked(stem) if f.code.startswith("disclosure-table")]


def test_a_missing_shanghai_table_is_named_by_its_number():
    text = text_of(DEPT)
    start = text.index("2025年部门国有资本经营预算支出功能分类预算表\n")
    end = text.index("2025年部门一般公共预算基本支出部门预算经济分类预算表\n")
    doc, _ = parse_text(text[:start] + text[end:], f"{DEPT}.txt")
    (f,) = [f for f in run(doc) if f.code == "disclosure-table-missing"]
    assert f.expected == "第 7 张表“国有资本经营预算支出功能分类预算表”"


@pytest.mark.parametrize("stem", [DEPT, UNIT])
def test_govoffice_identities_hold(stem):
    """Every B1–B10 identity holds in the 2025 documents (recomputed by hand: 82,096,797.42 +
    4,213,779.28 + 1,097,073.43 + 3,609,125.22 = 91,016,775.35 …); only rule 25 warns."""
    assert {f.code for f in checked(stem)} <= {"func-code-placement", "budget-row-unplaced"}


def test_a_broken_total_in_yuan_is_reported_in_wanyuan():
    found = mutated(DEPT, "收入总计\t91,016,775.35\t支出总计\t91,016,775.35\n",
                    "收入总计\t91,016,775.35\t支出总计\t91,116,775.35\n")
    sums = [(f.location.line, f.subject, f.expected, f.actual) for f in found if f.code == "amount-sum-mismatch"]
    assert sorted(sums) == [
        (110, "财务收支预算总表/支出总计", "9,101.68 万元", "9,111.68 万元"),  # = 收入总计
        (110, "财务收支预算总表/支出总计", "9,101.68 万元", "9,111.68 万元"),  # = Σ 类 rows
        (166, "支出预算总表/合计", "9,111.68 万元", "9,101.68 万元"),  # 支出预算总表 合计 (元) = 支出总计
    ]


def test_a_class_row_differing_between_overview_and_function_table_is_reported():
    found = mutated(DEPT, "四、住房保障支出\t3,609,125.22\t3,609,125.22\t\t\n", "四、住房保障支出\t3,609,125.22\t3,509,125.22\t\t\n")
    mismatches = {(f.subject, f.expected, f.actual) for f in found if f.code == "amount-sum-mismatch"}
    assert ("财政拨款收支预算总表/住房保障支出", "360.91 万元", "350.91 万元") in mismatches


def test_a_stated_item_differing_from_its_row_is_reported():
    found = mutated(DEPT, "科目174.14万元", "科目175.14万元")
    (f,) = [f for f in found if f.code == "text-table-mismatch"]
    assert f.subject == "“住房保障支出-住房改革支出-住房公积金”科目"
    assert (f.expected, f.actual, f.location.line) == ("174.14 万元", "175.14 万元", 94)


def test_wanli_housing_fund_text_contradicts_its_table_and_itself():
    """Item 31 says 350.35 万元, then "2024年预算安排352.67万元，比2023年预算执行数增加0.53%": the
    table's 2210201 住房公积金 is 3,503,499 元 = 350.35 万元, and 0.53% is what 350.35 gives
    ((350.35 − 348.52) / 348.52), so the one wrong figure is the restated 352.67: one finding, at it,
    naming both places (not a second one for the percentage computed from it)."""
    errors = [f for f in checked(WANLI) if f.severity.value == "error"]
    assert [(f.code, f.location.line, f.expected, f.actual) for f in errors] == [
        ("text-text-mismatch", 155, "350.35 万元", "352.67 万元"),
    ]
    assert "第 154 行" in errors[0].message and "第 155 行" in errors[0].message


def test_wanli_economic_codes_printed_without_leading_zero():
    """The PDF prints 款 "2" and "7" under 类 301 (津贴补贴, 绩效工资): a spreadsheet dropped the
    leading zero. The parser reads them as 30102 and 30107 (one finding each), so 301 is summed
    over all its 款 — and adds up, which confirms the reading against the document."""
    found = checked(WANLI)
    assert [(f.code, f.location.line) for f in found if f.code.startswith("budget-code")] == [
        ("budget-code-repaired", 458), ("budget-code-repaired", 459)]
    assert "已按补足缺失的前导零读作 30102" in next(f.message for f in found if f.code == "budget-code-repaired")
    assert not [f for f in found if f.code == "amount-sum-mismatch"]
    t = table(WANLI, "basic_expenditure")
    assert [(r.code, r.name) for r in t.rows[1:4]] == [("30101", "基本工资"), ("30102", "津贴补贴"), ("30107", "绩效工资")]
    # printed 3 instead: 30103 is 奖金, not 津贴补贴, and 02 does not end in 3 — not read, reported once
    found = mutated(WANLI, "301\t2\t津贴补贴\t", "301\t3\t津贴补贴\t")
    assert [f.code for f in found if f.code.startswith("budget-code")] == ["budget-code-invalid", "budget-code-repaired"]
    assert not [f for f in found if f.code == "amount-sum-mismatch"]  # 301 is not summed over an unread row


def test_a_change_without_any_reason_is_still_reported():
    found = mutated(DEPT, "财政拨款收入支出减少的主要原因是项目调整。\n", "")
    assert [(f.code, f.location.line) for f in found if f.code == "change-reason-missing"] == [
        ("change-reason-missing", 68)]


def test_three_public_items_in_wanyuan_against_basic_lines_in_yuan():
    """30217 公务接待费 185,000.00 元 = 18.50 万元 ≤ the 三公 table's 28.50 万元; at 385,000.00 元 the
    basic line alone (38.50 万元) exceeds the 三公 item."""
    assert "sangong-item-below-basic" not in [f.code for f in checked(DEPT)]
    found = mutated(DEPT, "302\t17\t公务接待费\t185,000.00\t\t185,000.00\n", "302\t17\t公务接待费\t385,000.00\t\t385,000.00\n")
    (f,) = [f for f in found if f.code == "sangong-item-below-basic"]
    assert (f.subject, f.expected, f.actual) == ("“三公”经费和机关运行经费预算表", "38.50", "28.50")


def test_an_empty_statement_contradicted_by_amounts(parsed_seeds):
    # Wanli: "注:本部门2024年无“三公”经费…，故本表为空表。" under a table listing 47.91 万元
    (f,) = [f for f in checked(WANLI) if f.code == "disclosure-empty-contradicted"]
    assert f.location.line == 490 and "47.91" in f.message
    # seed 001: "此表如无数字则表示单位无该项支出" is conditional, and its 三公 table has amounts
    doc, _ = parsed_seeds["001"]
    assert not [f for f in run(doc) if f.code == "disclosure-empty-contradicted"]

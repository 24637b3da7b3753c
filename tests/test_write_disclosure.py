"""The 预算公开 package as blocks (write/disclosure.py): the 说明's sentences from the tables, the tables in
the Hunan 2023 and Shanghai 2025 layouts, read back through the text reader and checked. The files
(DOCX, XLSX, PDF) are tested in test_write_disclosure_files.py."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from jixiao.findings import Severity
from jixiao.model.budget import BudgetTable
from jixiao.pipeline import parse_text
from jixiao.rules import run
from jixiao.rules.disclosure import TABLES
from jixiao.write.disclosure import build_disclosure_package
from jixiao.write.disclosure import load_disclosure_layout
from jixiao.write.disclosure_tables import header_cells
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Table
from tests.disclosure_data import package_text
from tests.disclosure_data import source
from tests.disclosure_data import source_errors
from tests.disclosure_data import table_content

LAYOUTS = {"hunan": ("hunan", 2023), "shanghai": ("shanghai", 2025), "shanghai-unit": ("shanghai", 2025, "unit")}
# what the package must never contain: sums that do not add up, text that contradicts the tables, changes
# and percentages that do not recompute
ARITHMETIC = {"amount-sum-mismatch", "amounts-missing", "text-table-mismatch", "text-text-mismatch", "change-mismatch",
              "change-reason-contradicts", "disclosure-empty-unstated", "disclosure-empty-contradicted",
              "disclosure-table-order", "budget-row-unplaced", "budget-header-missing", "amount-unparsed"}


@cache
def built(province: str):
    tables, targets, info = source(province)
    layout = load_disclosure_layout(*LAYOUTS[province])
    return build_disclosure_package(tables, info, layout)


@cache
def read(province: str):
    doc, parsed = parse_text(package_text(built(province)), f"{province}.txt")
    return doc, [*parsed, *run(doc)]


def paragraphs(province: str) -> list[Paragraph]:
    return [b for p in built(province).parts for b in p.blocks if isinstance(b, Paragraph)]


def text(province: str) -> str:
    return "\n".join(p.text for p in paragraphs(province))


@pytest.mark.parametrize("province", LAYOUTS)
def test_read_back_gives_the_same_tables(province):
    tables, _targets, _info = source(province)
    doc, _ = read(province)
    back = {t.kind: t for t in doc.tables if isinstance(t, BudgetTable)}
    assert set(back) == {t.kind for t in tables}
    for t in tables:
        assert table_content(back[t.kind]) == table_content(t), t.kind
        assert back[t.kind].unit == t.unit


@pytest.mark.parametrize("province", LAYOUTS)
def test_check_finds_no_arithmetic_text_or_change_error(province):
    doc, findings = read(province)
    assert doc.kind == "budget_disclosure" and doc.org == source(province)[2].org
    assert not [f for f in findings if f.code in ARITHMETIC], [f.message for f in findings if f.code in ARITHMETIC]
    errors = {f.code for f in findings if f.severity is Severity.ERROR}
    # left to the department: its places to fill; Hunan tables 9 and 10 are target tables (not given here)
    assert errors <= {"report-fill-empty", "disclosure-table-missing"}, errors
    # every change the 说明 states asks for its reason until the department writes it
    reasons = [f for f in findings if f.code == "change-reason-missing"]
    assert reasons and all(f.severity is Severity.WARNING for f in reasons)


@pytest.mark.parametrize("province", LAYOUTS)
def test_filled_in_package_has_no_error(province):
    """The department writes its places (a reason: 主要是…; Shanghai's one sentence for 财政拨款 收入 and
    支出, as the 2025 document words it): nothing left to report but Hunan's target tables, which this
    package was built without."""
    doc = built(province)
    written = {"财政拨款增减原因": "财政拨款收入支出减少的主要原因是项目调整。"}
    filled = dataclasses.replace(doc, parts=tuple(
        dataclasses.replace(part, blocks=tuple(
            Paragraph(written.get(b.key, "主要是工作任务调整。")) if isinstance(b, Paragraph) and b.role == "fill" else b
            for b in part.blocks))
        for part in doc.parts))
    back, parsed = parse_text(package_text(filled), f"{province}-filled.txt")
    findings = [*parsed, *run(back)]
    errors = {f.code for f in findings if f.severity is Severity.ERROR}
    assert errors <= {"disclosure-table-missing"}, errors
    assert not [f for f in findings if f.code.startswith("change-")]


def test_hunan_package_with_its_target_tables():
    """Tables 9 and 10 from the seed's target tables (write.targets): the ten tables in order, nothing
    added to what check finds on the seed itself but the places to fill."""
    tables, targets, info = source("hunan")
    doc = build_disclosure_package(tables, info, load_disclosure_layout("hunan", 2023), targets=targets)
    back, parsed = parse_text(package_text(doc), "hunan-targets.txt")
    findings = [*parsed, *run(back)]
    assert [t.kind for t in back.tables] == [kind for kind, _name in TABLES]
    assert sum(len(t.target_sets) for t in back.tables if t.kind in ("project_targets", "department_targets")) == \
        sum(len(t.target_sets) for t in targets)
    assert not [f.message for f in findings if f.code in ARITHMETIC or f.code.startswith("disclosure-")]
    errors = {f.code for f in findings if f.severity is Severity.ERROR}
    assert errors - {"report-fill-empty"} <= source_errors("hunan"), errors - source_errors("hunan")


def test_hunan_sentences_state_the_seed_figures():
    """The figures seed 001's own 说明 states, now computed from its tables and last year's figures."""
    body = text("hunan")
    assert "2023年本部门收入预算5,073.08万元，其中，一般公共预算拨款5,073.08万元。收入比上年预算减少199.05万元，下降3.78%。" in body
    assert "2023年本部门支出预算5,073.08万元，其中：一般公共服务支出5,073.08万元。" in body
    assert "其中：一般公共服务支出5,073.08万元，占100.00%" in body
    assert "基本支出预算数2,598.03万元" in body and "项目支出预算2,475.05万元" in body
    assert "机关运行经费271.17万元，比上年预算增加18.53万元，增长7.33%" in body
    assert "“三公”经费预算数为18.34万元，其中，公务接待费7.70万元，公务用车购置及运行费10.64万元（其中，公务用车购置费0.00万元，" \
           "公务用车运行费10.64万元），因公出国（境）费0.00万元。" in body
    assert "2023年本部门无政府性基金安排的支出。" in body
    assert "政府采购预算总额2,068.63万元，其中，货物类采购预算37.78万元；工程类采购预算0.00万元；服务类采购预算2,030.85万元。" in body
    assert "纳入2023年部门整体支出绩效目标的金额为5,073.08万元，其中，基本支出2,598.03万元，项目支出2,475.05万元。" in body


def test_shanghai_sentences_state_the_pdf_figures():
    body = text("shanghai")
    assert "2025年，上海市普陀区人民政府办公室收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比2024年预算减少2,389.52万元" in body
    assert "政府性基金拨款支出预算0.00万元，比2024年预算持平" in body
    assert "1. “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元，主要用于行政单位的基本支出。" in body
    assert "12. “住房保障支出-住房改革支出-购房补贴”科目186.77万元" in body
    assert "2025年“三公”经费预算数为867.50万元，比2024年预算持平。" in body
    assert "机关运行经费预算为213.28万元" in body  # the 三公 table's 机关运行经费 column
    assert "2025年本部门政府采购预算34.00万元，其中，货物预算0.00万元、工程预算0.00万元、服务预算34.00万元。" in body
    assert "面向中小企业预留政府采购项目预算金额34.00万元，其中，预留给小型和微型企业的政府采购项目预算为34.00万元。" in body
    assert "本部门1个预算单位开展了2025年项目预算绩效目标编报工作，编报绩效目标的项目11个，涉及项目预算资金6,626.00万元。" in body


def test_shanghai_other_notes_follow_the_template():
    """The 2026 template's 其他相关情况说明: each 三公 item that changed asks its own reason; no 政府采购 is
    said so; the package goes on with 七、项目经费情况说明 for the department to write."""
    tables, _targets, info = source("shanghai")
    previous = {**info.previous, "abroad": Decimal("800"), "sangong": Decimal("828.50")}
    info = dataclasses.replace(info, previous=previous, procurement=(Decimal(0), Decimal(0), Decimal(0)))
    doc = build_disclosure_package(tables, info, load_disclosure_layout("shanghai", 2025))
    blocks = [b for p in doc.parts for b in p.blocks if isinstance(b, Paragraph)]
    body = "\n".join(b.text for b in blocks)
    assert "2025年“三公”经费预算数为867.50万元，比2024年预算增加39.00万元。其中：" in body
    assert "（一）因公出国（境）费839.00万元，比2024年预算增加39.00万元。" in body
    assert "（三）公务接待费28.50万元，比2024年预算持平。" in body
    keys = [b.key for b in blocks if b.role == "fill"]
    assert "因公出国（境）费增减原因" in keys and "公务接待费增减原因" not in keys and "三公经费增减原因" not in keys
    assert "上海市普陀区人民政府办公室2025年未安排政府采购预算。" in body and "中小企业预留" not in keys
    assert blocks[-2].text == "七、项目经费情况说明" and blocks[-1].key == "项目经费情况说明"
    back, parsed = parse_text(package_text(doc), "template.txt")
    assert not [f.message for f in [*parsed, *run(back)] if f.code in ARITHMETIC]


def test_reasons_are_places_to_fill():
    fills = {p.key: p.text for p in paragraphs("hunan") if p.role == "fill"}
    assert fills["收入增减原因"] == "【待填写：收入预算增减变化的理由】"
    assert {"支出增减原因", "机关运行经费增减原因", "三公经费增减原因"} <= set(fills)
    # Shanghai: 三公 unchanged → no reason asked; the 财政拨款 fell → asked once
    keys = [p.key for p in paragraphs("shanghai") if p.role == "fill"]
    assert "三公经费增减原因" not in keys and keys.count("财政拨款增减原因") == 1


def test_empty_tables_carry_the_statement():
    tables = {t.name: t for p in built("shanghai").parts for t in p.blocks if isinstance(t, Table)}
    notes = {p.name: [b.text for b in p.blocks if isinstance(b, Paragraph) and b.role == "note"] for p in built("shanghai").parts}
    assert notes["6 政府性基金预算支出功能分类预算表"] == ["注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"]
    assert notes["2 收入预算总表"] == []
    empty = tables["政府性基金预算支出功能分类预算表"]
    assert [c.text if c else None for c in empty.rows[-1]] == ["合计", None, None, None, "", "", ""]
    hunan = {p.name: [b.text for b in p.blocks if isinstance(b, Paragraph) and b.role == "note"] for p in built("hunan").parts}
    assert any("此表如无数字则表示单位无该项支出" in n for n in hunan["8 政府性基金预算支出表"])


def test_a_table_not_given_is_printed_empty_and_stated():
    tables, _targets, info = source("shanghai")
    without = [t for t in tables if t.kind != "state_capital_expenditure"]
    doc = build_disclosure_package(without, info, load_disclosure_layout("shanghai", 2025))
    back, parsed = parse_text(package_text(doc), "without.txt")
    findings = [*parsed, *run(back)]
    assert "state_capital_expenditure" in {t.kind for t in back.tables}
    assert not [f for f in findings if f.code.startswith("disclosure-")]


def test_headers_merge_as_the_layout_draws_them():
    layout = load_disclosure_layout("shanghai", 2025)
    three = header_cells(layout.table("three_public").header)
    assert (three[0][0].text, three[0][0].colspan) == ("“三公”经费预算数", 6)
    assert (three[0][6].text, three[0][6].rowspan) == ("机关运行经费预算数", 3)
    assert (three[1][3].text, three[1][3].colspan) == ("公务用车购置及运行费", 3)
    assert three[2][0] is None and three[1][6] is None
    revenue = header_cells(load_disclosure_layout("hunan", 2023).table("revenue").header)
    assert (revenue[0][5].text, revenue[0][5].colspan, revenue[0][0].rowspan) == ("本级财政拨款", 2, 2)
    table = next(b for p in built("hunan").parts for b in p.blocks if isinstance(b, Table) and b.name == "部门收入总表")
    assert table.header_rows == 3 and [c.text for c in table.rows[2]][:5] == ["**", "**", "**", "**", "1"]
    assert [c.text for c in table.rows[3]][:5] == ["", "", "", "合计", "5,073.08"]


@pytest.mark.parametrize(("tables_of", "province"), [("hunan", "shanghai"), ("shanghai", "hunan"), ("wanli", "shanghai")])
def test_any_department_in_any_layout(tables_of, province):
    """Seed 001's tables in the Shanghai layout (万元 printed in 元), the Shanghai office's in the Hunan
    one (its 三公 row without a name becomes 合计; 机关运行经费 from 公用经费, the Hunan 三公 table having no
    such column), the 万里街道 2024 tables (no previous year given): still no sum, text or change error."""
    tables, _targets, info = source(tables_of)
    doc = build_disclosure_package(tables, info, load_disclosure_layout(*LAYOUTS[province]))
    back, parsed = parse_text(package_text(doc), f"{tables_of}-in-{province}.txt")
    findings = [*parsed, *run(back)]
    assert not [f.message for f in findings if f.code in ARITHMETIC or f.code == "budget-label-missing"]
    assert {t.kind for t in back.tables} >= {t.kind for t in tables} & {t.kind for t in doc_layout_tables(province)}
    if (tables_of, province) == ("shanghai", "hunan"):  # each 类 with its share of the 一般公共预算 (元 → 万元)
        body = "\n".join(b.text for p in doc.parts for b in p.blocks if isinstance(b, Paragraph))
        assert "其中：一般公共服务支出8,209.68万元，占90.20%；社会保障和就业支出421.38万元，占4.63%；" in body
    if tables_of == "wanli":
        assert not [b for p in doc.parts for b in p.blocks if isinstance(b, Paragraph) and "比2023年" in b.text]
        for t in tables:
            assert table_content(next(b for b in back.tables if b.kind == t.kind)) == table_content(t), t.kind


def test_a_table_the_layout_has_no_place_for_is_refused():
    """Seed 001's 一般公共预算支出表 passed as a 国有资本经营预算 table with amounts: the Hunan set has no
    such table, and its amounts are not dropped silently."""
    tables, _targets, info = source("hunan")
    general = next(t for t in tables if t.kind == "general_budget_expenditure")
    extra = dataclasses.replace(general, kind="state_capital_expenditure", title="2023年国有资本经营预算支出表")
    with pytest.raises(ValueError, match="2023年国有资本经营预算支出表"):
        build_disclosure_package([*tables, extra], info, load_disclosure_layout("hunan", 2023))


def doc_layout_tables(province: str):
    return [t for t in load_disclosure_layout(*LAYOUTS[province]).tables if t.header]


def test_layout_rejects_a_header_of_the_wrong_width():
    from jixiao.write.disclosure_layout import parse_layout

    data = {"province": "x", "year": 2024, "title": "{org}", "tables": [
        {"kind": "revenue", "name": "收入", "title": "t", "columns": [{"key": "name", "width": 9}], "header": [["a", "b"]]}]}
    with pytest.raises(ValueError, match="header rows"):
        parse_layout(data, "x-2024/disclosure")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(income=st.decimals(min_value=Decimal("1000"), max_value=Decimal("99999"), places=2),
       running=st.decimals(min_value=Decimal("1"), max_value=Decimal("999"), places=2),
       sangong=st.decimals(min_value=Decimal("0"), max_value=Decimal("99"), places=2))
def test_any_previous_year_gives_changes_that_recompute(income, running, sangong):
    tables, _targets, info = source("hunan")
    info = dataclasses.replace(info, previous={"income": income, "spending": income, "operating_costs": running,
                                               "sangong": sangong})
    doc = build_disclosure_package(tables, info, load_disclosure_layout("hunan", 2023))
    back, parsed = parse_text(package_text(doc), "changes.txt")
    findings = [*parsed, *run(back)]
    assert not [f.message for f in findings if f.code in ARITHMETIC]


# 功能分类 items the property test draws from: (类, 款, 项) codes and names as DOMAIN §3.4 lists them
ITEMS = (
    ("201", "一般公共服务支出", "03", "政府办公厅（室）及相关机构事务", "01", "行政运行"),
    ("201", "一般公共服务支出", "03", "政府办公厅（室）及相关机构事务", "02", "一般行政管理事务"),
    ("201", "一般公共服务支出", "03", "政府办公厅（室）及相关机构事务", "50", "事业运行"),
    ("208", "社会保障和就业支出", "05", "行政事业单位养老支出", "05", "机关事业单位基本养老保险缴费支出"),
    ("208", "社会保障和就业支出", "05", "行政事业单位养老支出", "06", "机关事业单位职业年金缴费支出"),
    ("210", "卫生健康支出", "11", "行政事业单位医疗", "01", "行政单位医疗"),
    ("221", "住房保障支出", "02", "住房改革支出", "01", "住房公积金"),
)
_AMOUNT = st.one_of(st.none(), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2))


def _functional_table(items, province: str) -> BudgetTable:
    """A 一般公共预算支出表 whose 类 and 款 rows and 合计 add up its 项 rows, as the layout orders them."""
    from jixiao.model.budget import BudgetRow
    from jixiao.model.money import Unit
    from jixiao.model.source import Location

    where = Location("generated")
    rows, sums = [], {}
    for (cat, cat_name, kuan, kuan_name, xiang, name), (basic, project) in sorted(items.items()):
        for code, label in ((cat, cat_name), (cat + kuan, kuan_name)):
            if code not in sums:
                sums[code] = [label, Decimal(0), Decimal(0)]
                rows.append(code)
            sums[code][1] += basic or 0
            sums[code][2] += project or 0
        sums[cat + kuan + xiang] = [name, basic, project]
        rows.append(cat + kuan + xiang)
    total = [sum(sums[c][1] for c in rows if len(c) == 3), sum(sums[c][2] for c in rows if len(c) == 3)]

    def row(code, name, basic, project):
        values = (("basic", basic if basic else None), ("project", project if project else None))
        amount = (basic or 0) + (project or 0)
        return BudgetRow(name, where, code, amount if amount else None, values)

    body = [row(c, *sums[c]) for c in rows]
    first = row(None, "合计", *total)
    ordered = [first, *body] if province == "hunan" else [*body, first]
    return BudgetTable("general_budget_expenditure", "一般公共预算支出表", where, 2024, "测试局",
                       Unit.WANYUAN if province == "hunan" else Unit.YUAN, ("total", "basic", "project"),
                       tuple(ordered))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.dictionaries(st.sampled_from(ITEMS), st.tuples(_AMOUNT, _AMOUNT), min_size=1, max_size=len(ITEMS)),
       province=st.sampled_from(tuple(LAYOUTS)))
def test_any_functional_table_reads_back(items, province):
    """Any 功能分类 table (类 / 款 / 项 rows, blanks, amounts up to 99,999,999.99) printed in either layout
    reads back row for row, and its sums are what check recomputes."""
    table = _functional_table(items, province)
    info = dataclasses.replace(source(province)[2], previous={})
    doc = build_disclosure_package([table], info, load_disclosure_layout(*LAYOUTS[province]))
    back, parsed = parse_text(package_text(doc), "property.txt")
    (read_table,) = back.tables_of("general_budget_expenditure")
    assert table_content(read_table) == table_content(table)
    findings = [*parsed, *run(back)]
    assert not [f.message for f in findings if f.code in ("budget-row-unplaced", "amount-unparsed", "budget-code-invalid")]
    # the table's own sums (the other tables are empty: sums across tables do not hold, and need not)
    name = load_disclosure_layout(*LAYOUTS[province]).table("general_budget_expenditure").name
    assert not [f.message for f in findings if f.code == "amount-sum-mismatch" and f.message.startswith(f"{name}/")
                and "（=" not in f.message]


INCOME = ("本级财政拨款收入", "财政专户管理事业收入", "事业单位经营服务收入", "上级补助收入", "其它收入", "事业收入")
SPENDING = ("基本支出", "项目支出", "事业单位经营支出", "对附属单位补助支出", "上缴上级支出")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(income=st.lists(st.tuples(st.sampled_from(INCOME), _AMOUNT), min_size=1, max_size=6, unique_by=lambda t: t[0]),
       spending=st.lists(st.tuples(st.sampled_from(SPENDING), _AMOUNT), min_size=1, max_size=5, unique_by=lambda t: t[0]),
       carried=st.booleans(), kept=st.lists(st.sampled_from(("结余分配", "结转下年")), unique=True),
       province=st.sampled_from(tuple(LAYOUTS)))
def test_any_two_sided_table_reads_back(income, spending, carried, kept, province):
    """A 收支总表 with any items on either side, 上年结转 / 结余分配 / 结转下年 or not: the sides are set side by
    side (合计 beside 合计, 总计 last beside 总计) and read back as they were."""
    from jixiao.model.budget import BudgetRow
    from jixiao.model.money import Unit
    from jixiao.model.source import Location

    where = Location("generated")
    total_in = sum((a or 0) for _, a in income)
    total_out = sum((a or 0) for _, a in spending)
    rows = [BudgetRow(n, where, None, a, (), "income") for n, a in income]
    rows += [BudgetRow("本年收入合计", where, None, total_in or None, (), "income")]
    rows += [BudgetRow("上年结转", where, None, None, (), "income")] if carried else []
    rows += [BudgetRow("收入总计", where, None, total_in or None, (), "income")]
    rows += [BudgetRow(n, where, None, a, (), "expenditure") for n, a in spending]
    rows += [BudgetRow("本年支出合计", where, None, total_out or None, (), "expenditure")]
    rows += [BudgetRow(n, where, None, None, (), "expenditure") for n in kept]
    rows += [BudgetRow("支出总计", where, None, total_out or None, (), "expenditure")]
    table = BudgetTable("budget_overview", "部门收支总表", where, 2024, "测试局", Unit.WANYUAN, ("total",), tuple(rows))
    info = dataclasses.replace(source(province)[2], previous={})
    doc = build_disclosure_package([table], info, load_disclosure_layout(*LAYOUTS[province]))
    back, _parsed = parse_text(package_text(doc), "two-sided.txt")
    (read_table,) = back.tables_of("budget_overview")
    expected = table_content(table) if province == "hunan" else [  # printed in 元: amounts × 10,000
        (side, code, name, None if total is None else total * 10000, values)
        for side, code, name, total, values in table_content(table)]
    assert table_content(read_table) == expected


def test_a_variant_is_a_file_over_its_base():
    """shanghai-2025/disclosure-unit.toml gives only what the 单位预算 changes; the rest is the 部门预算's."""
    base, unit = load_disclosure_layout("shanghai", 2025), load_disclosure_layout("shanghai", 2025, "unit")
    assert unit.layout_id == "shanghai-2025/disclosure-unit" and [t.kind for t in unit.tables] == [t.kind for t in base.tables]
    assert unit.table("revenue").columns == base.table("revenue").columns
    assert unit.table("revenue").title == "{year}年预算单位收入预算总表" and unit.page == base.page
    overview = header_cells(unit.table("budget_overview").header)
    assert (overview[1][3].text, overview[1][3].colspan, overview[2][4].text, overview[2][4].colspan) == ("预算数", 4, "基本支出", 2)
    body = text("shanghai-unit")
    assert "2025年，上海市普陀区人民政府办公室收入预算9,101.68万元" in body and "本单位面向中小企业预留" in body
    assert unit.wording["org_line"] == "编制单位：{org}" and unit.wording["unit_line"] == base.wording["unit_line"]

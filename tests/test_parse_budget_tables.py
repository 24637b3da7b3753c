"""Budget disclosure tables: every row of seed 001's tables 1–8, seed 004's 附表2, and inline layouts."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.model.document import BUDGET_KINDS
from jixiao.model.money import Unit
from jixiao.parse.budget_codes import join_code
from jixiao.parse.budget_codes import split_name_code
from jixiao.parse.budget_tables import parse_budget_table
from jixiao.parse.segment import group
from jixiao.parse.segment import segment
from jixiao.readers.text import read_text
from jixiao.readers.text import read_text_bytes

SEEDS = Path(__file__).parent / "data" / "seeds"  # copies of ../shared/seeds


@cache
def seed_tables(prefix: str):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    raw, _ = read_text(path, name=path.name)
    _, segments = segment(raw)
    return {
        pages[0].kind: parse_budget_table(pages[0].kind, pages)
        for pages in group(segments)
        if pages[0].kind in BUDGET_KINDS
    }


def inline(text: str):
    raw, findings = read_text_bytes(text.encode(), "inline.txt")
    assert raw is not None, findings
    _, segments = segment(raw)
    groups = [g for g in group(segments) if g[0].kind in BUDGET_KINDS]
    assert len(groups) == 1
    return parse_budget_table(groups[0][0].kind, groups[0])


def rows(table):
    """(line, code, name, total, {key: value}) with blank values left out, amounts as printed."""
    return [
        (
            r.location.line,
            r.code,
            r.name,
            None if r.total is None else str(r.total),
            {k: str(v) for k, v in r.values if v is not None},
        )
        for r in table.rows
    ]


def codes(findings):
    return [(f.code, f.location.line if f.location else None) for f in findings]


FILE_001 = "001_c182bc71c99e727c.txt"
FUNC_ROWS = [
    (None, "合计", "5073.08"),
    ("201", "一般公共服务支出", "5073.08"),
    ("20103", "政府办公厅（室）及相关机构事务", "5073.08"),
    ("2010301", "行政运行", "2285.05"),
    ("2010302", "一般行政管理事务", "519.90"),
    ("2010350", "事业运行", "312.98"),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", "1955.15"),
]
BASIC_PROJECT = [
    {"basic": "2598.03", "project": "2475.05"},
    {"basic": "2598.03", "project": "2475.05"},
    {"basic": "2598.03", "project": "2475.05"},
    {"basic": "2285.05"},
    {"project": "519.90"},
    {"basic": "312.98"},
    {"project": "1955.15"},
]


# ---------------------------------------------------------------- seed 001


def test_every_budget_table_of_seed_001_is_read_with_its_metadata():
    tables = seed_tables("001")
    assert list(tables) == [
        "budget_overview",
        "revenue",
        "expenditure",
        "fiscal_overview",
        "general_budget_expenditure",
        "basic_expenditure",
        "three_public",
        "gov_fund_expenditure",
    ]
    for table, _ in tables.values():
        assert (table.year, table.org, table.unit) == (2023, "长沙市行政审批服务局", Unit.WANYUAN)
    overview = tables["budget_overview"][0]
    assert overview.title == "2023年部门收支总体情况表"
    assert str(overview.location) == f"{FILE_001}:140"


def test_budget_overview_two_sides_stitched_over_two_pages():
    table, findings = seed_tables("001")["budget_overview"]
    assert findings == []
    assert table.columns == ("total",)
    got = [(r.location.line, r.location.column, r.side, r.name, r.total) for r in table.rows]
    d = Decimal
    assert got == [
        (148, 1, "income", "本级财政拨款收入", d("5073.08")),
        (148, 3, "expenditure", "基本支出", d("2598.03")),
        (149, 1, "income", "财政专户管理事业收入", None),
        (149, 3, "expenditure", "项目支出", d("2475.05")),
        (150, 1, "income", "事业单位经营服务收入", None),
        (150, 3, "expenditure", "事业单位经营支出", None),
        (151, 1, "income", "上级补助收入", None),
        (151, 3, "expenditure", "对附属单位补助支出", None),
        (152, 1, "income", "其它收入", None),
        (152, 3, "expenditure", "上缴上级支出", None),
        (153, 1, "income", "事业收入", None),
        (154, 1, "income", "本年收入合计", d("5073.08")),
        (154, 3, "expenditure", "本年支出合计", d("5073.08")),
        (155, 1, "income", "上年结转", None),
        (155, 3, "expenditure", "结余分配", None),
        (165, 3, "expenditure", "结转下年", None),
        (166, 1, "income", "收入总计", d("5073.08")),
        (166, 3, "expenditure", "支出总计", d("5073.08")),
    ]
    assert all(r.code is None and r.values == () for r in table.rows)


def test_revenue_table_codes_names_and_every_column():
    table, findings = seed_tables("001")["revenue"]
    assert findings == []
    assert table.columns == (
        "total", "fiscal", "fiscal_funding", "special_account", "operating", "superior", "other", "business", "carryover",
    )
    assert rows(table) == [
        (line, code, name, total, {"fiscal": total, "fiscal_funding": total})
        for line, (code, name, total) in zip(range(179, 186), FUNC_ROWS)
    ]
    keys = [k for k, _ in table.rows[0].values]
    assert keys == list(table.columns[1:])  # every value key present, blanks as None
    assert table.rows[0].value("carryover") is None


def test_expenditure_table():
    table, findings = seed_tables("001")["expenditure"]
    assert findings == []
    assert table.columns == ("total", "basic", "project", "operating", "subsidiary", "remit")
    assert rows(table) == [
        (line, code, name, total, values)
        for line, (code, name, total), values in zip(range(200, 207), FUNC_ROWS, BASIC_PROJECT)
    ]


def test_general_budget_expenditure_table():
    table, findings = seed_tables("001")["general_budget_expenditure"]
    assert findings == []
    assert table.columns == ("total", "basic", "project")
    assert rows(table) == [
        (line, code, name, total, values)
        for line, (code, name, total), values in zip(range(264, 271), FUNC_ROWS, BASIC_PROJECT)
    ]
    assert table.rows[3].code == "2010301" and table.rows[3].total == Decimal("2285.05")


def test_fiscal_overview_income_and_expenditure_with_fund_columns():
    table, findings = seed_tables("001")["fiscal_overview"]
    assert findings == []
    assert table.columns == ("total", "general_budget", "gov_fund", "state_capital")
    income = [(r.location.line, r.name, r.total) for r in table.rows if r.side == "income"]
    d = Decimal
    assert income == [
        (218, "本年收入", d("5073.08")),
        (219, "一般公共预算拨款收入", d("5073.08")),
        (220, "政府性基金预算拨款收入", None),
        (221, "国有资本经营预算拨款收入", None),
        (250, "上年结转", None),
        (251, "收入总计", d("5073.08")),
    ]
    spending = [r for r in table.rows if r.side == "expenditure"]
    classes = [
        "外交支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出", "社会保障和就业支出",
        "社会保险基金支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
        "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出", "自然资源海洋气象等支出",
        "住房保障支出", "粮油物资储备支出", "灾害防治及应急管理支出", "其他支出",
    ]
    assert [r.name for r in spending] == ["本年支出", "一般公共服务支出", *classes, "结转下年", "支出总计"]
    assert [r.location.line for r in spending] == [218, 219, *range(220, 240), 249, 250, 251]
    assert {r.location.column for r in spending} == {3}
    assert [(r.total, r.value("general_budget"), r.value("gov_fund"), r.value("state_capital")) for r in spending[:2]] == [
        (d("5073.08"), d("5073.08"), None, None)
    ] * 2
    assert all(r.total is None and r.value("general_budget") is None for r in spending[2:-1])
    assert (spending[-1].total, spending[-1].value("general_budget")) == (d("5073.08"), None)
    assert [k for k, _ in spending[0].values] == ["general_budget", "gov_fund", "state_capital"]
    assert all(r.values == () for r in table.rows if r.side == "income")


BASIC_ROWS = [
    (282, None, "合计", "2598.03", {"personnel": "2326.86", "public": "271.17"}),
    (283, "301", "工资福利支出", "2286.20", "p"),
    (284, "30101", "基本工资", "264.87", "p"),
    (285, "30102", "津贴补贴", "206.86", "p"),
    (286, "30103", "奖金", "521.78", "p"),
    (287, "30107", "绩效工资", "36.90", "p"),
    (288, "30108", "机关事业单位基本养老保险缴费", "134.45", "p"),
    (289, "30109", "职业年金缴费", "40.44", "p"),
    (290, "30110", "职工基本医疗保险缴费", "43.97", "p"),
    (291, "30111", "公务员医疗补助缴费", "65.76", "p"),
    (292, "30112", "其他社会保障缴费", "11.15", "p"),
    (293, "30113", "住房公积金", "151.90", "p"),
    (294, "30199", "其他工资福利支出", "808.12", "p"),
    (295, "302", "商品和服务支出", "271.17", "c"),
    (296, "30201", "办公费", "22.18", "c"),
    (297, "30202", "印刷费", "2.00", "c"),
    (307, "30203", "咨询费", "7.00", "c"),
    (308, "30207", "邮电费", "2.00", "c"),
    (309, "30211", "差旅费", "3.50", "c"),
    (310, "30215", "会议费", "1.30", "c"),
    (311, "30216", "培训费", "2.00", "c"),
    (312, "30217", "公务接待费", "3.00", "c"),
    (313, "30226", "劳务费", "4.00", "c"),
    (314, "30227", "委托业务费", "5.10", "c"),
    (315, "30228", "工会经费", "10.73", "c"),
    (316, "30229", "福利费", "1.24", "c"),
    (317, "30231", "公务用车运行维护费", "2.64", "c"),
    (318, "30239", "其他交通费用", "52.99", "c"),
    (319, "30299", "其他商品和服务支出", "151.49", "c"),
    (320, "303", "对个人和家庭的补助", "40.66", "p"),
    (321, "30302", "退休费", "19.01", "p"),
    (322, "30305", "生活补助", "0.83", "p"),
    (332, "30309", "奖励金", "0.05", "p"),
    (333, "30399", "其他对个人和家庭的补助", "20.77", "p"),
]


def test_basic_expenditure_stitched_over_three_pages():
    table, findings = seed_tables("001")["basic_expenditure"]
    assert findings == []  # repeated headers and ** 1 2 3 rows on each page are skipped
    assert table.columns == ("total", "personnel", "public")
    expected = [
        (line, code, name, total, {"personnel": total} if v == "p" else {"public": total} if v == "c" else v)
        for line, code, name, total, v in BASIC_ROWS
    ]
    assert rows(table) == expected
    assert len([r for r in table.rows if r.code]) == 33
    assert str(table.rows[2].location) == f"{FILE_001}:284"
    assert table.rows[2].value("personnel") == Decimal("264.87")


def test_three_public_table():
    table, findings = seed_tables("001")["three_public"]
    assert findings == []
    assert table.columns == ("total", "reception", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation")
    parts = {"reception": "7.70", "vehicle": "10.64", "vehicle_operation": "10.64"}
    assert rows(table) == [(345, None, "合计", "18.34", parts), (346, None, "长沙市行政审批服务局", "18.34", parts)]
    assert table.rows[0].value("abroad") is None and table.rows[0].value("vehicle_purchase") is None
    assert table.empty_statement == "此表如无数字则表示单位无该项支出"


def test_gov_fund_table_keeps_the_zero_row_and_reports_the_broken_page_residue():
    table, findings = seed_tables("001")["gov_fund_expenditure"]
    assert rows(table) == [(361, "000", "", "0.00", {"basic": "0.00", "project": "0.00"})]
    assert codes(findings) == [("budget-placeholder-row", 361), ("budget-row-unplaced", 362)]
    assert "收入，也没" in findings[1].message
    assert str(findings[1].location) == f"{FILE_001}:362"
    assert table.empty_statement == "此表如无数字则表示单位无该项支出"


# ---------------------------------------------------------------- seed 004 (cell per line)


def test_special_fund_summary_of_seed_004():
    table, findings = seed_tables("004")["special_fund_summary"]
    assert findings == []
    assert table.title == "2023年区级专项资金绩效目标汇总表"
    assert (table.year, table.unit) == (2023, Unit.WANYUAN)
    assert table.columns == ("number", "total", "period_goal", "annual_goal")
    period = "促进园区营商环境不断改善；增强企业温暖感和获得感，助推经济高质量发展。"
    annual = "贯彻落实《优化营商环境条例》、《湖南省优化经济发展环境规定》《株洲市打好“发展六仗”总体方案》等政策精神，致力“打造一流营商环境”。"
    assert rows(table) == [
        (174, None, "合计", "4", {"period_goal": period, "annual_goal": annual}),
        (180, None, "业务性专项", "4", {"number": "一", "period_goal": period, "annual_goal": annual}),
        (186, None, "业务性专项", "4", {"number": "1"}),
    ]
    assert table.rows[0].value("number") is None


# ---------------------------------------------------------------- inline layouts

GB_HEAD = "2023年一般公共预算支出情况表\n部门名称：测试局\n单位：{unit}\n科目编码\t\t\t功能科目\t总计\t{a}\t{b}\n类\t款\t项\t\t\t\t\n"


def test_header_order_wins_over_the_template_and_unit_yuan_is_kept():
    text = GB_HEAD.format(unit="元", a="项目支出", b="基本支出") + (
        "\t\t\t合计\t300.00\t100.00\t200.00\n"
        "201\t\t\t一般公共服务支出\t300.00\t100.00\t200.00\n"
        "\t03\t\t政府办公厅（室）及相关机构事务\t300.00\t100.00\t200.00\n"
        "\t\t01\t行政运行\t200.00\t\t200.00\n"
        "\t\t02\t一般行政管理事务\t100.00\t100.00\t\n"
    )
    table, findings = inline(text)
    assert findings == []
    assert table.unit == Unit.YUAN and table.org == "测试局"
    assert table.columns == ("total", "project", "basic")
    assert [(r.code, r.value("basic"), r.value("project")) for r in table.rows] == [
        (None, Decimal("200.00"), Decimal("100.00")),
        ("201", Decimal("200.00"), Decimal("100.00")),
        ("20103", Decimal("200.00"), Decimal("100.00")),
        ("2010301", Decimal("200.00"), None),
        ("2010302", None, Decimal("100.00")),
    ]


def test_shifted_short_and_collapsed_rows_are_realigned_and_reported():
    text = GB_HEAD.format(unit="万元", a="基本支出", b="项目支出") + (
        "\t\t\t\t合计\t30.00\t20.00\t10.00\n"  # one extra leading cell
        "201\t一般公共服务支出\t30.00\t20.00\t10.00\n"  # 类 then name, 款/项 cells missing
        "\t03\t\t政府办公厅（室）及相关机构事务\t30.00\t20.00\t10.00\n"
        "2010301\t行政运行\t20.00\t20.00\n"  # full code in the first cell, short row
        "\t\t\t2010302 一般行政管理事务\t10.00\t\t10.00\n"  # code printed in the name
    )
    table, findings = inline(text)
    assert rows(table) == [
        (6, None, "合计", "30.00", {"basic": "20.00", "project": "10.00"}),
        (7, "201", "一般公共服务支出", "30.00", {"basic": "20.00", "project": "10.00"}),
        (8, "20103", "政府办公厅（室）及相关机构事务", "30.00", {"basic": "20.00", "project": "10.00"}),
        (9, "2010301", "行政运行", "20.00", {"basic": "20.00"}),
        (10, "2010302", "一般行政管理事务", "10.00", {"project": "10.00"}),
    ]
    assert codes(findings) == [("row-realigned", 6), ("row-realigned", 7), ("row-realigned", 9)]
    assert "左移 1 列" in findings[0].message
    assert "编码 | 名称 | 金额" in findings[1].message
    assert "右移 2 列" in findings[2].message


def test_bad_cells_are_reported_and_the_row_kept():
    text = GB_HEAD.format(unit="万元", a="基本支出", b="项目支出") + (
        "\t\t\t合计\t约十万\t\t\n"
        "2013\t\t\t某某支出\t5.00\t5.00\t\n"
        "\t\t\t\t8.00\t8.00\t\n"
        "说明文字一段\n"
    )
    table, findings = inline(text)
    assert rows(table) == [
        (6, None, "合计", None, {}),
        (7, None, "某某支出", "5.00", {"basic": "5.00"}),
        (8, None, "", "8.00", {"basic": "8.00"}),
    ]
    assert codes(findings) == [
        ("amount-unparsed", 6),
        ("budget-code-invalid", 7),
        ("budget-label-missing", 8),
        ("budget-row-unplaced", 9),
    ]
    assert "约十万" in findings[0].message and "2013" in findings[1].message


def test_missing_header_falls_back_to_the_template_columns():
    text = "2023年一般公共预算支出情况表\n单位：万元\n\t\t\t合计\t5.00\t5.00\t\n201\t03\t01\t行政运行\t5.00\t5.00\t\n"
    table, findings = inline(text)
    assert table.columns == ("total", "basic", "project")
    assert rows(table)[1] == (4, "2010301", "行政运行", "5.00", {"basic": "5.00"})
    assert codes(findings) == [("budget-header-missing", 3)]


def test_unknown_header_column_and_its_cells_are_reported():
    text = (
        "2023年部门支出总体情况表\n单位：万元\n"
        "类\t款\t项\t功能科目\t总计\t基本支出\t项目支出\t神秘支出\n"
        "201\t03\t01\t行政运行\t5.00\t5.00\t\t9.99\n"
    )
    table, findings = inline(text)
    assert table.columns == ("total", "basic", "project")
    assert rows(table) == [(4, "2010301", "行政运行", "5.00", {"basic": "5.00"})]
    assert [(f.code, str(f.location)) for f in findings] == [
        ("header-unrecognised", "inline.txt:4"),
        ("cell-unplaced", "inline.txt:4"),
    ]
    assert "神秘支出" in findings[0].message and "9.99" in findings[1].message


def test_two_sided_short_row_goes_to_the_expenditure_side_and_notes_set_the_empty_statement():
    text = (
        "2023年部门收支总体情况表\n单位：万元\n"
        "收 入\t\t支 出\t\n项 目\t本年预算\t项 目\t本年预算\n"
        "一、本级财政拨款收入\t1.00\t一、基本支出\t1.00\n"
        "七、结转下年\t\n"
        "收 入 总 计\t1.00\t支 出 总 计\t1.00\n"
        "注：空表表示本部门无相关收支情况。\n"
    )
    table, findings = inline(text)
    assert [(r.side, r.name, r.total) for r in table.rows] == [
        ("income", "本级财政拨款收入", Decimal("1.00")),
        ("expenditure", "基本支出", Decimal("1.00")),
        ("expenditure", "结转下年", None),
        ("income", "收入总计", Decimal("1.00")),
        ("expenditure", "支出总计", Decimal("1.00")),
    ]
    assert codes(findings) == [("row-realigned", 6)]
    assert table.empty_statement == "空表表示本部门无相关收支情况"


def test_pages_with_another_unit_are_reported():
    page = "2023年一般公共预算基本支出情况表\n单位：{}\n经济科目编码\t经济科目名称\t总计\t人员类\t公用经费\n{}\n"
    text = page.format("万元", "301\t工资福利支出\t1.00\t1.00\t") + page.format("元", "30101\t基本工资\t1.00\t1.00\t")
    table, findings = inline(text)
    assert [r.code for r in table.rows] == ["301", "30101"]
    assert table.unit == Unit.WANYUAN
    assert codes(findings) == [("budget-unit-conflict", 5)]


# ---------------------------------------------------------------- code joiner


@pytest.mark.parametrize(
    ("cells", "context", "code"),
    [
        (("201", "03", "01"), None, "2010301"),
        (("201", "", ""), None, "201"),
        (("", "03", ""), "201", "20103"),
        (("", "", "01"), "2010399", "2010301"),
        (("2010301", "", ""), None, "2010301"),
        (("201", "20103", "2010301"), None, "2010301"),
        ((" ２０１ ", "03", ""), None, "20103"),
        (("", "03", ""), None, None),  # 款 without a known 类
        (("20", "", ""), None, None),
        (("201", "3", ""), None, None),
        (("20104", "03", ""), None, None),  # contradicting cells
        (("收入", "", ""), None, None),
        (("", "", ""), "201", None),
    ],
)
def test_join_code_cases(cells, context, code):
    assert join_code(*cells, context=context) == code


def test_split_name_code_never_splits_an_organisation_name():
    assert split_name_code("2010301 行政运行") == ("2010301", "行政运行")
    assert split_name_code("[20103]政府办公厅（室）及相关机构事务") == ("20103", "政府办公厅（室）及相关机构事务")
    assert split_name_code("30101 基本工资", economic=True) == ("30101", "基本工资")
    assert split_name_code("12345政务热线中心") == (None, "12345政务热线中心")


_lei = st.integers(100, 999).map(str)
_seg = st.integers(0, 99).map(lambda n: f"{n:02d}")
_pad = st.sampled_from(["", " ", "\u3000"])


@given(_lei, _seg, _seg, _pad)
def test_join_code_property_any_printed_form_gives_the_same_digits(lei, kuan, xiang, pad):
    full = lei + kuan + xiang
    assert join_code(pad + lei, kuan + pad, xiang) == full
    assert join_code(lei, lei + kuan, full) == full
    assert join_code(full, "", "") == full
    assert join_code("", kuan, "", context=lei) == lei + kuan
    assert join_code("", "", xiang, context=lei + kuan + "99") == full
    assert join_code(lei, "", "") == lei


_TITLES = {
    "budget_overview": "2023年部门收支总体情况表",
    "revenue": "2023年部门收入总体情况表",
    "fiscal_overview": "2023年财政拨款收支总体情况表",
    "basic_expenditure": "2023年一般公共预算基本支出情况表",
    "three_public": "2023年一般公共预算“三公”经费支出情况表",
    "gov_fund_expenditure": "2023年政府性基金预算支出情况表",
}
_cell = st.one_of(
    st.sampled_from(["", "", "201", "03", "01", "30101", "0", "**", "1", "合计", "项 目", "收 入", "支 出", "类", "款",
                     "功能科目", "总计", "基本支出", "本年预算", "1,234.50", "-", "注：空表", "行政运行", "七、结转下年"]),
    st.text(max_size=6),
)


@given(st.sampled_from(sorted(_TITLES)), st.lists(st.lists(_cell, min_size=1, max_size=9), max_size=8))
def test_any_rows_parse_without_raising_and_every_row_is_kept_or_reported(kind, grid):
    body = "\n".join("\t".join(c.replace("\t", " ").replace("\n", " ").replace("\r", " ") for c in row) + "\t"
                     for row in grid)
    raw, _ = read_text_bytes(f"{_TITLES[kind]}\n单位：万元\n{body}\n".encode(), "fuzz.txt")
    if raw is None:
        return
    _, segments = segment(raw)
    for pages in group(segments):
        table, findings = parse_budget_table(pages[0].kind, pages)
        assert all(r.location.file == "fuzz.txt" for r in table.rows)
        assert all(f.location is not None for f in findings)


def test_a_table_of_headers_only_keeps_its_printed_columns():
    text = "2023年部门支出总体情况表\n单位：万元\n类\t款\t项\t功能科目\t总计\t项目支出\t基本支出\n注：此表如无数字则表示单位无该项支出。\n"
    table, findings = inline(text)
    assert (table.rows, findings) == ((), [])
    assert table.columns == ("total", "project", "basic")
    assert table.empty_statement == "此表如无数字则表示单位无该项支出"

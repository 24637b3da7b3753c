"""Target tables: every layout of the seeds, stitching, carrying down, realignment."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from jixiao.parse.segment import group
from jixiao.parse.segment import segment
from jixiao.parse.target_tables import parse_target_table
from jixiao.readers.text import read_text
from jixiao.readers.text import read_text_bytes
from tests.conftest import seed


def _tables(path_or_text, name="inline.txt"):
    if isinstance(path_or_text, str):
        raw, _ = read_text_bytes(path_or_text.encode(), name)
    else:
        raw, _ = read_text(path_or_text, name=path_or_text.name)
    _, segments = segment(raw)
    out = {}
    for pages in group(segments):
        if pages[0].kind.endswith("targets"):
            out[pages[0].kind] = parse_target_table(pages[0].kind, pages)
    return out


def _codes(findings):
    return [(f.location.line if f.location else None, f.code) for f in findings]


def test_seed_000_department_form():
    table, findings = _tables(seed("000"))["department_targets"]
    (s,) = table.target_sets
    assert s.unit == "株洲市渌口区行政审批服务局" and table.org == s.unit
    assert s.amounts.total == Decimal("580.25") and s.amounts.general_budget is None
    assert s.goal.startswith("以深化“放管服”改革为核心")
    assert [t.location.line for t in s.tasks] == [16, 17, 18, 20, 21]  # 20, 21 lost their leading cell
    assert s.tasks[3].name == "拓展增值服务维度，构建全链服务生态。"
    names = [(i.level1, i.level2, i.name) for i in s.indicators]
    assert names[0] == ("成本指标", "经济成本指标", "各项支出总额")
    assert ("效益指标", "社会效益", "便民服务水平提升") in names and len(names) == 10
    cost = s.indicators[0].target
    assert (cost.op, cost.value, cost.unit) == ("≤", Decimal("580.253937"), "万元")
    area = s.indicators[1].target
    assert (area.op, area.value, area.unit) == ("=", Decimal("3513.14"), "平方")
    assert [(p.level1, p.level2) for p in s.placeholders] == [
        ("成本指标", "社会成本指标"),
        ("成本指标", "生态环境成本指标"),
        ("效益指标", "经济效益"),
        ("效益指标", "生态效益"),
    ]
    assert findings == []


def test_seed_000_project_form_infers_level1_and_realigns():
    table, findings = _tables(seed("000"))["project_targets"]
    (s,) = table.target_sets
    assert (s.project, s.amounts.total, s.category, s.period) == ("政务大厅运行经费", Decimal("290"), "特定目标类", "2026年")
    first = s.indicators[0]
    assert (first.level1, first.level2, first.name) == ("产出指标", "数量指标", "政务大厅办件量")
    assert (first.target.op, first.target.value, first.target.unit) == ("≥", Decimal("10"), "万件")
    social = [i for i in s.indicators if i.name == "政务办理效率提升"][0]
    assert social.target.op == "定性" and social.target.text == "提升"
    last = s.indicators[-1]  # line 67 lost its leading cell
    assert (last.level1, last.level2, last.name, last.target.value) == ("成本指标", "经济成本指标", "政务大厅运行安排金额", Decimal("290"))
    assert (55, "level2-in-level1-column") in _codes(findings)  # 数量指标 printed in the 一级 column
    assert (67, "row-realigned") in _codes(findings)


def test_seed_001_project_list_one_set_per_project():
    table, findings = _tables(seed("001"))["project_targets"]
    projects = [(s.unit_code, s.unit, s.project, s.amounts.total) for s in table.target_sets]
    assert projects == [
        ("152001", "长沙市行政审批服务局", "“互联网+政务服务”能力专项", Decimal("25.00")),
        ("152001", "长沙市行政审批服务局", "行政审批服务宣传专项", Decimal("30.00")),
        ("152001", "长沙市行政审批服务局", "行政审批服务运行费", Decimal("88.00")),
        ("152001", "长沙市行政审批服务局", "行政审批聘请法律服务专项经费", Decimal("70.00")),
        ("152001", "长沙市行政审批服务局", "政务公开评估专项", Decimal("35.00")),
        ("152002", "长沙市政务服务中心", "审批受理服务专项", Decimal("19.95")),
        ("152002", "长沙市政务服务中心", "网络技术与信息保障工作专项经费", Decimal("19.95")),
        ("152002", "长沙市政务服务中心", "政务服务工作专项经费", Decimal("190.00")),
        ("152002", "长沙市政务服务中心", "中介超市运行管理专项工作经费", Decimal("42.00")),
        ("152003", "长沙市12345政务热线中心", "“12345”市民热线工作专项经费", Decimal("1955.15")),
    ]
    counts = [len(s.indicators) for s in table.target_sets]
    assert counts == [9, 4, 17, 9, 10, 1, 5, 13, 6, 13]
    assert [(t.label, t.amount) for t in table.subtotals] == [
        ("合计", Decimal("2475.05")),
        ("长沙市行政审批服务局", Decimal("248.00")),
        ("长沙市政务服务中心", Decimal("271.90")),
        ("长沙市12345政务热线中心", Decimal("1955.15")),
    ]
    codes = _codes(findings)
    assert (383, "row-realigned") in codes  # 开展全市培训: leading cells lost
    assert (493, "row-ambiguous") in codes  # 制定摸底指标体系: value cell missing
    assert (590, "continued-text-differs") in codes  # 夯实 / 扛实 between pages
    run = {i.name: i for s in table.target_sets for i in s.indicators}
    assert run["开展全市培训"].level2 == "数量指标" and run["开展全市培训"].weight == Decimal("5")
    assert run["微信公众号及时发布信息"].scoring == "按时完成得满分，推迟1次扣1分"
    assert run["制定摸底指标体系"].weight == Decimal("8")


def test_seed_001_department_list_stitched_over_pages():
    table, findings = _tables(seed("001"))["department_targets"]
    sets = {s.unit_code: s for s in table.target_sets}
    assert list(sets) == ["152001", "152002", "152003"]
    a = sets["152003"].amounts
    assert (a.total, a.general_budget, a.basic, a.project, a.gov_fund) == (
        Decimal("2268.13"), Decimal("2268.13"), Decimal("312.98"), Decimal("1955.15"), None,
    )
    assert [len(s.indicators) for s in sets.values()] == [17, 13, 14]
    cost = [i for i in sets["152003"].indicators if i.name == "项目支出"][0]
    assert (cost.level1, cost.level2, cost.target.value) == ("产出指标", "成本指标", Decimal("3473.12"))
    codes = _codes(findings)
    assert (689, "level1-inferred") in codes  # 经济效益指标 under a carried 产出指标
    assert (706, "table-truncated") in codes
    assert (665, "continued-text-differs") in codes  # 出彩 / 出圈出彩


def test_seed_002_forms_six_projects():
    tables = _tables(seed("002"))
    (dept,) = tables["department_targets"][0].target_sets
    assert (dept.amounts.total, dept.amounts.general_budget, dept.amounts.basic, dept.amounts.project) == (
        Decimal("864.3"), Decimal("864.3"), Decimal("367.6"), Decimal("496.7"),
    )
    sat = dept.indicators[-1]
    assert (sat.level1, sat.level2, sat.target.op, sat.target.value) == ("社会公众或服务对象满意度", None, "≥", Decimal("95"))
    projects = tables["project_targets"][0].target_sets
    assert [(s.project, s.amounts.total) for s in projects] == [
        ("新增劳务派遣人员工资", Decimal("96")),
        ("新增大厅营运维护费用", Decimal("70")),
        ("物业管理费", Decimal("64")),
        ("地下停车位租金", Decimal("25")),
        ("业务培训费", Decimal("20")),
        ("电费及水费", Decimal("120")),
    ]
    assert [(f, t, w.line) for f, t, w in projects[1].texts if f == "superior"] == [("superior", "（分级填报）", 213)]


def test_seed_004_special_fund_direction():
    tables = _tables(seed("004"))
    (s,) = tables["special_fund_targets"][0].target_sets
    assert (s.project, s.parent_fund, s.amounts.total, s.period) == ("业务性专项", "业务性专项", Decimal("4"), "1年")
    assert [i.standard for i in s.indicators] == ["其他标准", "其他标准", "行业标准", "计划标准", "计划标准", "计划标准", "计划标准", "其他标准", "计划标准"]
    assert [(d.detail, d.amount) for d in s.details] == [("业务性工作经费支出", Decimal("4"))]
    assert s.details_total == Decimal("4")
    (dept,) = tables["department_targets"][0].target_sets
    assert [t.owner for t in dept.tasks] == ["株洲市石峰区优化营商环境协调事务中心"] * 4
    assert dept.indicators[-1].target.note == "满意以上"
    assert dept.placeholders == ()


INLINE = """2023年项目支出绩效目标表
部门名称：测试局
单位：万元
单位编码\t单位（项目）名称\t资金总额\t绩效目标\t绩效指标
\t\t\t\t一级指标\t二级指标\t三级指标\t指标值\t指标值内容\t评（扣）分标准\t度量单位\t指标值类型\t备注
合计\t\t30.00
100001\t测试局\t30.00
100001\t甲项目\t10.00\t目标甲\t产出指标\t数量指标\t培训次数\t4\t开展培训\t按要求完成得满分\t次\t≥\t50
\t\t\t\t\t\t培训人数\t200\t参训人数\t按要求完成得满分\t人\t≥\t50
100001\t乙项目\t20.00\t目标乙\t满意度指标\t服务对象满意度指标\t满意度\t95\t调查\t按要求完成得满分\t%\t≥\t100
"""


def _split(text: str, cut: int) -> str:
    """Insert a page break (title, meta and header repeated) before data line ``cut``."""
    lines = text.splitlines()
    head, data = lines[:5], lines[5:]
    return "\n".join(head + data[:cut] + head + data[cut:]) + "\n"


def _shape(tables):
    table, _ = tables["project_targets"]
    return [(s.project, s.amounts.total, [(i.level1, i.level2, i.name, i.target.value) for i in s.indicators]) for s in table.target_sets]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=4), max_size=3))
def test_page_breaks_never_split_a_target_set(cuts):
    expected = _shape(_tables(INLINE))
    text = INLINE
    for cut in sorted(set(cuts), reverse=True):
        text = _split(text, cut)
    assert _shape(_tables(text)) == expected
    assert len(expected) == 2 and len(expected[0][2]) == 2


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=3))
def test_lost_leading_cells_are_realigned(drop):
    """A continuation row that lost some of its leading empty cells reads the same."""
    row = "\t\t\t\t\t\t培训人数\t200\t参训人数\t按要求完成得满分\t人\t≥\t50"
    damaged = row[drop:]
    text = INLINE.replace(row, damaged)
    assert _shape(_tables(text)) == _shape(_tables(INLINE))


def test_document_names_its_department_and_units(parsed_seeds):
    doc, _ = parsed_seeds["001"]
    assert [(o.level, o.name, o.code, o.location.line) for o in doc.orgs] == [
        ("department", "长沙市行政审批服务局", None, 140),
        ("unit", "长沙市行政审批服务局", "152001", 375),
        ("unit", "长沙市政务服务中心", "152002", 498),
        ("unit", "长沙市12345政务热线中心", "152003", 559),
    ]
    doc, _ = parsed_seeds["002"]  # the projects' 预算部门 行政审批服务局 is the department itself
    assert [(o.level, o.name) for o in doc.orgs] == [("department", "沅江市行政审批服务局")]

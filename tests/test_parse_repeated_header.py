"""A table's header printed again inside the table (a new page of a PDF, a printed workbook, a text
export) is skipped as a header, not read as a target set or as amounts; a row that repeats nothing of
the header stays a row (parse.repeated_header)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from jixiao.model.source import Location
from jixiao.parse.repeated_header import repeated_header
from jixiao.pipeline import parse_text
from jixiao.readers.grid import Row

HEAD = [
    "单位编码\t单位（项目）名称\t资金总额\t绩效目标\t绩效指标",
    "\t\t\t\t一级指标\t二级指标\t三级指标\t指标值\t指标值内容\t评（扣）分标准\t度量单位\t指标值类型\t备注",
]
DATA = [
    "合计\t\t30.00",
    "100001\t测试局\t30.00",
    "100001\t甲项目\t10.00\t目标甲\t产出指标\t数量指标\t培训次数\t4\t开展培训\t按要求完成得满分\t次\t≥\t50",
    "\t\t\t\t\t\t培训人数\t200\t参训人数\t按要求完成得满分\t人\t≥\t20",
    "\t\t\t\t\t质量指标\t培训合格率\t95\t合格人数占比\t按要求完成得满分\t%\t≥\t10",
    "100001\t乙项目\t20.00\t目标乙\t满意度指标\t服务对象满意度指标\t满意度\t95\t调查\t按要求完成得满分\t%\t≥\t100",
]
TOP = ["2023年项目支出绩效目标表", "部门名称：测试局", "单位：万元"]


def _text(data: list[str], head_again: list[str] | None = None, at: int | None = None) -> str:
    rows = list(data)
    if head_again is not None and at is not None:
        rows[at:at] = head_again  # the header printed again where a new page starts, no title
    return "\n".join([*TOP, *HEAD, *rows]) + "\n"


def _read(text: str):
    doc, findings = parse_text(text)
    (table,) = [t for t in doc.tables if t.kind == "project_targets"]
    return table, findings


def _shape(table):
    return [
        (s.unit_code, s.project, s.amounts.total, [(i.level1, i.level2, i.name, i.target.value, i.weight) for i in s.indicators])
        for s in table.target_sets
    ]


EXPECTED = _shape(_read(_text(DATA))[0])
EXPECTED_CODES = sorted(f.code for f in _read(_text(DATA))[1])


def test_expected_shape():
    assert [(p, len(i)) for _c, p, _t, i in EXPECTED] == [("甲项目", 3), ("乙项目", 1)]
    assert EXPECTED[0][3][2][:3] == ("产出指标", "质量指标", "培训合格率")


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=len(DATA)))
def test_header_repeated_mid_table_is_skipped(at):
    """True positive: both header rows again before any data row (a PDF's new page): the same sets,
    and the repetition is named once per place (info), nothing else found than without it."""
    table, findings = _read(_text(DATA, HEAD, at))
    assert _shape(table) == EXPECTED
    codes = [f.code for f in findings]
    assert codes.count("header-repeated") == 1
    (repeat,) = [f for f in findings if f.code == "header-repeated"]
    assert repeat.location.line == len(TOP) + len(HEAD) + at + 1
    assert sorted(c for c in codes if c != "header-repeated") == EXPECTED_CODES


def test_header_repeated_with_merged_cells_exported_in_every_slot():
    """The repeated header printed with the merged 绩效指标 label in every slot it covers and the
    vertically merged labels on both rows (a PDF's span rebuild): still the header."""
    first = "单位编码\t单位（项目）名称\t资金总额\t绩效目标\t" + "\t".join(["绩效指标"] * 9)
    second = "单位编码\t单位（项目）名称\t资金总额\t绩效目标\t" + HEAD[1].lstrip("\t")
    table, findings = _read(_text(DATA, [first, second], 3))
    assert _shape(table) == EXPECTED
    assert sorted(f.code for f in findings) == sorted([*EXPECTED_CODES, "header-repeated"])


def test_repeated_first_data_row_is_kept():
    """True negative: a data row printed twice (the first data row repeated) equals nothing of the
    header: it is read, as before (the indicator twice)."""
    data = [*DATA[:3], DATA[2], *DATA[3:]]
    table, findings = _read(_text(data))
    assert "header-repeated" not in {f.code for f in findings}
    (first, second) = _shape(table)
    assert [i[2] for i in first[3]] == ["培训次数", "培训次数", "培训人数", "培训合格率"]
    assert second == EXPECTED[1]


def test_changed_header_is_not_skipped():
    """A header row printed again with a label changed is no repetition: the rows stay in the table
    and are read as before (not dropped silently)."""
    changed = [HEAD[0], HEAD[1].replace("指标值内容", "指标说明")]
    table, findings = _read(_text(DATA, changed, 3))
    assert "header-repeated" not in {f.code for f in findings}
    line = len(TOP) + len(HEAD) + 3 + 1
    assert ("row-realigned", line) in [(f.code, f.location.line) for f in findings]  # read as a row, as before
    assert "一级指标" in [project for _code, project, _total, _indicators in _shape(table)]


ZHUZHOU = """2023年部门整体支出绩效目标表
填报单位（盖章）：测试中心  金额单位：万元
部门名称\t测试中心
年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值及单位
年度绩效指标\t产出指标\t数量指标\t服务企业\t≥200家
年度绩效指标\t产出指标\t质量指标\t全国营商环境评价\t争创标杆城市
{page}\t一级指标\t二级指标\t三级指标\t指标值及单位
年度绩效指标\t\t\t会议活动组织成功率\t100%
年度绩效指标\t\t时效指标\t完成时间\t2023年12月31日前
\t效益指标\t社会效益指标\t简化涉企事项手续\t较好完成
"""


def test_form_header_repeated_on_a_new_page_carries_levels_down():
    """The 株洲 form as a PDF prints its indicator header again on page 2 without the 年度绩效指标 label
    (merged down the block, printed on page 1), and the 一级/二级 cells merged over the page break
    only on page 1: the header is skipped, the columns stay, 一级/二级 carry down from page 1."""
    for label in ("", "年度绩效指标"):
        doc, findings = parse_text(ZHUZHOU.format(page=label))
        (table,) = [t for t in doc.tables if t.kind == "department_targets"]
        (s,) = table.target_sets
        assert [(i.level1, i.level2, i.name) for i in s.indicators] == [
            ("产出指标", "数量指标", "服务企业"),
            ("产出指标", "质量指标", "全国营商环境评价"),
            ("产出指标", "质量指标", "会议活动组织成功率"),
            ("产出指标", "时效指标", "完成时间"),
            ("效益指标", "社会效益指标", "简化涉企事项手续"),
        ]
        codes = [f.code for f in findings]
        assert codes.count("header-repeated") == 1
        assert not {"row-ambiguous", "row-realigned", "level1-inferred"} & set(codes), codes


def test_form_page_with_its_title_again_continues_the_set():
    """A form whose next page prints its title and indicator header again, then the rows of the grid
    with the 一级/二级 merged over the page break blank: one set, levels carried down (not a second,
    nameless set with the label's text as its 一级)."""
    lines = ZHUZHOU.format(page="").splitlines()
    text = "\n".join([*lines[:6], lines[0], *lines[6:]]) + "\n"
    doc, findings = parse_text(text)
    (table,) = [t for t in doc.tables if t.kind == "department_targets"]
    (s,) = table.target_sets
    assert s.unit == "测试中心"
    assert [(i.level1, i.level2) for i in s.indicators] == [
        ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"),
        ("效益指标", "社会效益指标"),
    ]
    assert [f.code for f in findings] == ["table-continued", "level-carried-over-page", "level-carried-over-page"]
    # the carried-down levels are said so, at the new page's first row
    assert [f.location.line for f in findings[1:]] == [9, 9]
    assert "一级指标" in findings[1].message and "产出指标" in findings[1].message
    assert "二级指标" in findings[2].message and "质量指标" in findings[2].message


# ---------------------------------------------------------------- repeated_header itself

_LABELS = st.sampled_from(["单位编码", "项目名称", "资金总额", "一级指标", "二级指标", "三级指标", "指标值", "备注"])


def _rows(texts: list[list[str]]) -> list[Row]:
    return [Row.of_texts(t, Location(file="x.txt", line=n + 1)) for n, t in enumerate(texts)]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(_LABELS, min_size=2, max_size=6, unique=True), min_size=1, max_size=3), st.data())
def test_a_header_repeats_itself_and_a_changed_cell_breaks_it(header, data):
    rows = _rows([["甲", "1"], *header])
    assert repeated_header(rows, 1, header) == len(header)
    assert repeated_header(rows, 0, header) == 0  # a data row is no header
    r = data.draw(st.integers(0, len(header) - 1))
    c = data.draw(st.integers(0, len(header[r]) - 1))
    changed = [list(row) for row in header]
    changed[r][c] = "某某项目"
    assert repeated_header(_rows(changed), 0, header) == 0
    assert repeated_header(_rows(header[:-1]), 0, header) == 0  # fewer rows: no repetition

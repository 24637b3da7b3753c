"""A 二级 name printed in the 一级 column (服务对象满意度指标, 经济效益指标 …) is read as its canonical
一级 with the printed name as the 二级 (DOMAIN §1.1), not as a row whose cells slid; a row that did
slide still has its 二级 moved to the 二级 column."""

from __future__ import annotations

import pytest

from jixiao.pipeline import parse_text
from tests.test_rules_disclosure import to_text

FORM = """
## 2023年项目支出绩效目标表

部门名称：测试局

单位：万元

单位编码|单位（项目）名称|资金总额|绩效目标|绩效指标|||||||||
||||一级指标|二级指标|三级指标|指标值|指标值内容|评（扣）分标准|度量单位|指标值类型|备注|
152001|测试专项|400.00|完成测试|产出指标|数量指标|测试次数|10|测试次数|完成得满分|次|≥|50|
||||产出指标|质量指标|合格率|100|合格率|完成得满分|%|≥|20|
||||效益指标|社会效益指标|群众获得感|提升|提升程度|提升得满分|/|定性|20|
||||LEVEL1|LEVEL2|群众满意度|90|问卷调查|达到得满分|%|≥|10|
"""


def parsed(level1: str, level2: str):
    doc, findings = parse_text(to_text(FORM.replace("LEVEL1", level1).replace("LEVEL2", level2)))
    (table,) = [t for t in doc.tables if t.kind == "project_targets"]
    last = table.target_sets[0].indicators[-1]
    codes = [f.code for f in findings if f.code != "section-number-irregular"]
    return (last.level1, last.level2, last.name), codes, findings


@pytest.mark.parametrize(
    ("level1", "level2", "expected"),
    [
        ("服务对象满意度指标", "", ("满意度指标", "服务对象满意度指标", "群众满意度")),
        ("服务对象满意度指标", "服务对象满意度指标", ("满意度指标", "服务对象满意度指标", "群众满意度")),
        ("服务对象满意度", "满意度指标", ("满意度指标", "服务对象满意度", "群众满意度")),  # each in the other's column
        ("经济效益指标", "", ("效益指标", "经济效益指标", "群众满意度")),
    ],
)
def test_level2_name_in_the_level1_column(level1, level2, expected):
    levels, codes, findings = parsed(level1, level2)
    assert levels == expected
    assert codes == ["level2-in-level1-column"]  # no realignment, nothing moved to 绩效目标
    assert findings[-1].severity.value == "info"
    assert f"一级指标栏为二级指标名称“{level1}”" in findings[-1].message


@pytest.mark.parametrize(
    ("level1", "level2", "expected"),
    [
        ("满意度指标", "服务对象满意度指标", ("满意度指标", "服务对象满意度指标", "群众满意度")),
        ("社会公众及服务对象满意度指标", "服务对象满意度指标", ("社会公众及服务对象满意度指标", "服务对象满意度指标", "群众满意度")),
    ],
)
def test_level1_names_are_read_as_printed(level1, level2, expected):
    levels, codes, _ = parsed(level1, level2)
    assert levels == expected
    assert codes == []


def test_a_row_that_slid_still_moves_its_level2():
    # the 一级 cell lost: the 二级 name and everything after it slid one column left
    text = FORM.replace("||||LEVEL1|LEVEL2|群众满意度|90|问卷调查|达到得满分|%|≥|10|",
                        "||||服务对象满意度指标|群众满意度|90|问卷调查|达到得满分|%|≥|10|")
    doc, findings = parse_text(to_text(text))
    (table,) = [t for t in doc.tables if t.kind == "project_targets"]
    last = table.target_sets[0].indicators[-1]
    assert (last.level2, last.name, last.target.text) == ("服务对象满意度指标", "群众满意度", "90")
    assert "level2-in-level1-column" not in {f.code for f in findings}

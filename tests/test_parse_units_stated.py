"""A table's money unit comes from where the document states it (issue 7 item 8): a 单位 line in
its wordings, else header cells that all say （元）/（万元）; 万元 is never assumed against them."""

from __future__ import annotations

import pytest

from jixiao.model.money import Unit
from tests.test_rules_disclosure import BASE
from tests.test_rules_disclosure import check
from tests.test_rules_disclosure import parse

_TITLE = "## 2023年一般公共预算基本支出情况表"
# the base document's 基本支出 table, from its title to the next table's title
BASIC = BASE[BASE.index(_TITLE): BASE.index("\n## ", BASE.index(_TITLE))].rstrip("\n") + "\n"
IN_YUAN = """## 2023年一般公共预算基本支出情况表

部门名称：测试局

{unit}经济科目编码|经济科目名称|总计{cell}|人员类{cell}|公用经费{cell}
**|**|1|2|3
|合计|6,000,000.00|5,200,000.00|800,000.00
301|工资福利支出|5,000,000.00|5,000,000.00|
30101|基本工资|3,000,000.00|3,000,000.00|
30102|津贴补贴|2,000,000.00|2,000,000.00|
302|商品和服务支出|800,000.00||800,000.00
30201|办公费|500,000.00||500,000.00
30217|公务接待费|100,000.00||100,000.00
30231|公务用车运行维护费|200,000.00||200,000.00
303|对个人和家庭的补助|200,000.00|200,000.00|
30302|退休费|200,000.00|200,000.00|
"""


def basic(text: str):
    (t,) = [t for t in parse(text).tables if t.kind == "basic_expenditure"]
    return t


@pytest.mark.parametrize(
    ("unit", "cell"),
    [("单位：元\n\n", ""), ("金额单位：人民币元\n\n", ""), ("单位：元（保留两位小数）\n\n", ""), ("", "（元）"), ("", "(单位：元)")],
)
def test_a_table_in_yuan(unit, cell):
    assert BASIC in BASE
    text = BASE.replace(BASIC, IN_YUAN.format(unit=unit, cell=cell))
    assert basic(text).unit is Unit.YUAN
    assert check(text) == []  # every identity and the 说明 hold once the cells are read in 元


def test_a_unit_line_is_not_overridden_by_a_header_cell():
    text = BASE.replace(BASIC, BASIC.replace("|总计|人员类|公用经费", "|总计（元）|人员类|公用经费"))
    assert basic(text).unit is Unit.WANYUAN  # 单位：万元 is printed under the title
    mixed = BASE.replace(BASIC, BASIC.replace("单位：万元\n\n", "").replace("|总计|人员类|公用经费", "|总计（元）|人员类（万元）|公用经费"))
    assert basic(mixed).unit is Unit.WANYUAN  # header cells that disagree state nothing: the default

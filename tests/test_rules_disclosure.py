"""Disclosure-table rules 22–27 on small inline documents in the seed layout (seed 001).

``BASE`` is a consistent 部门预算公开 (all identities hold, by hand); each test breaks one thing
and asserts exactly the finding it should cause, where, and nothing else.
"""

from __future__ import annotations

import textwrap

from jixiao.model.document import Document
from jixiao.rules import Context
from jixiao.rules import run
from jixiao.rules.disclosure import TABLES

# Cells are separated by "|" here and by tabs in the text the reader sees.
BASE = """
## 第一部分 2023 年部门预算说明

## 三、部门收支总体情况

（一）收入预算：2023 年本部门收入预算 1,000.00 万元，其中，一般公共预算拨款 1,000.00 万元。收入较去年减少 50.00 万元，下降 4.76%。主要是一次性项目预算减少。

（二）支出预算：2023 年本部门支出预算 1,000.00 万元，其中：一般公共服务支出 1,000.00 万元。

## 四、一般公共预算拨款支出

（一）基本支出：2023年本部门基本支出预算数600.00万元。

（二）项目支出：2023年本部门项目支出预算400.00万元，其中：一般公共服务支出 400.00 万元。

## 五、政府性基金预算支出

2023 年本部门无政府性基金安排的支出。

## 六、其他重要事项的情况说明

（一）机关运行经费：2023 年本部门机关运行经费 80.00 万元，比上年预算增加 5.00 万元，上升 6.67%。主要是人员增加。

（二）“三公”经费预算：2023 年本部门“三公”经费预算数为 32.00 万元，其中，公务接待费 12.00 万元，公务用车购置及运行费 20.00 万元（其中，公务用车购置费 0.00 万元，公务用车运行费 20.00 万元），因公出国（境）费 0.00 万元。

（四）政府采购情况：2023 年本部门政府采购预算总额 300.00 万元，其中，货物类采购预算 100.00 万元；工程类采购预算 0 万元；服务类采购预算 200.00 万元。

## 第二部分 2023 年部门预算表

## 2023年部门收支总体情况表

部门名称：测试局

单位：万元

收 入||支 出|
项 目|本年预算|项 目|本年预算
一、本级财政拨款收入|1,000.00|一、基本支出|600.00
二、财政专户管理事业收入||二、项目支出|400.00
三、事业单位经营服务收入||三、事业单位经营支出|
四、上级补助收入||四、对附属单位补助支出|
五、其它收入||五、上缴上级支出|
六、事业收入|||
本 年 收 入 合 计|1,000.00|本 年 支 出 合 计|1,000.00
七、上年结转||六、结余分配|
||七、结转下年|
收 入 总 计|1,000.00|支 出 总 计|1,000.00

## 2023年部门收入总体情况表

部门名称：测试局

单位：万元

类|款|项|功能科目|合计|本级财政拨款||财政专户管理事业收入|事业单位经营服务收入|上级补助收入|其它收入|事业收入|上年结转
|||||金额|其中：经费拨款||||||
**|**|**|**|1|2|3|4|5|6|7|8|9
|||合计|1,000.00|1,000.00|1,000.00||||||
201|||一般公共服务支出|1,000.00|1,000.00|1,000.00||||||
|03||政府办公厅（室）及相关机构事务|1,000.00|1,000.00|1,000.00||||||
201|03|01|行政运行|500.00|500.00|500.00||||||
201|03|02|一般行政管理事务|400.00|400.00|400.00||||||
201|03|50|事业运行|100.00|100.00|100.00||||||

## 2023年部门支出总体情况表

部门名称：测试局

单位：万元

科目编码|||功能科目|总 计|基本支出|项目支出|事业单位经营支出|对附属单位补助支出|上缴上级支出
类|款|项|||||||
**|**|**|**|1|2|3|4|5|6
|||合计|1,000.00|600.00|400.00|||
201|||一般公共服务支出|1,000.00|600.00|400.00|||
|03||政府办公厅（室）及相关机构事务|1,000.00|600.00|400.00|||
201|03|01|行政运行|500.00|500.00||||
201|03|02|一般行政管理事务|400.00||400.00|||
201|03|50|事业运行|100.00|100.00||||

## 2023年财政拨款收支总体情况表

部门名称：测试局

单位：万元

收 入||支 出||||
项 目|金 额|项 目|合 计|一般公共预算|政府性基金预算|国有资本经营预算
一、本年收入|1,000.00|一、本年支出|1,000.00|1,000.00||
1、一般公共预算拨款收入|1,000.00|1、一般公共服务支出|1,000.00|1,000.00||
2、政府性基金预算拨款收入||2、外交支出||||
3、国有资本经营预算拨款收入||3、公共安全支出||||
||4、教育支出||||
二、上年结转||二、结转下年||||
收 入 总 计|1,000.00|支 出 总 计|1,000.00|||

## 2023年一般公共预算支出情况表

部门名称：测试局

单位：万元

科目编码|||功能科目|总 计|基本支出|项目支出
类|款|项||||
**|**|**|**|1|2|3
|||合计|1,000.00|600.00|400.00
201|||一般公共服务支出|1,000.00|600.00|400.00
|03||政府办公厅（室）及相关机构事务|1,000.00|600.00|400.00
201|03|01|行政运行|500.00|500.00|
201|03|02|一般行政管理事务|400.00||400.00
201|03|50|事业运行|100.00|100.00|

## 2023年一般公共预算基本支出情况表

部门名称：测试局

单位：万元

经济科目编码|经济科目名称|总计|人员类|公用经费
**|**|1|2|3
|合计|600.00|520.00|80.00
301|工资福利支出|500.00|500.00|
30101|基本工资|300.00|300.00|
30102|津贴补贴|200.00|200.00|
302|商品和服务支出|80.00||80.00
30201|办公费|50.00||50.00
30217|公务接待费|10.00||10.00
30231|公务用车运行维护费|20.00||20.00
303|对个人和家庭的补助|20.00|20.00|
30302|退休费|20.00|20.00|

## 2023年一般公共预算“三公”经费支出情况表

部门名称：测试局

单位：万元

部门名称|三公经费预（决）算数（财政拨款）|||||
|小计|公务接待费|因公出国（境）费|公务用车购置及运行费|其中：公务用车购置|其中：公务用车运行费
合计|32.00|12.00||20.00||20.00
测试局|32.00|12.00||20.00||20.00

注：本表反映部门本年度“三公”经费情况，此表如无数字则表示单位无该项支出。

## 2023年政府性基金预算支出情况表

部门名称：测试局

单位：万元

科目编码|||功能科目|总 计|基本支出|项目支出
类|款|项||||
**|**|**|**|1|2|3
0|0|0||0.00|0.00|0.00

注：本表反映部门本年度政府性基金预算支出情况，此表如无数字则表示单位无该项支出。

## 2023年项目支出绩效目标表

部门名称：测试局

单位：万元

单位编码|单位（项目）名称|资金总额|绩效目标|绩效指标|||||||||
||||一级指标|二级指标|三级指标|指标值|指标值内容|评（扣）分标准|度量单位|指标值类型|备注|
合计||400.00|||||||||||
152001|测试专项|400.00|完成测试|产出指标|数量指标|测试次数|10|测试次数|完成得满分|次|≥|10|

## 2023年部门整体支出绩效目标表

部门名称：测试局

单位：万元

单位编码|单位名称|年度预算申请|||||||整体绩效目标|部门整体支出年度绩效目标||||||||
||资金总额|按收入性质分||||按支出性质分|||一级指标|二级指标|三级指标|指标值类型|指标值|计量单位|指标解释|评（扣）分标准|备注
|||一般公共预算|政府性基金拨款|财政专户管理资金|其他资金|基本支出|项目支出||||||||||
152001|测试局|1,000.00|1,000.00|||||600.00|400.00|做好测试|产出指标|数量指标|测试次数|≥|10|次|测试次数|完成得满分|10
"""


def to_text(text: str) -> str:
    """Inline layout → the seed layout: a line with "|" is a table row whose cells are tab-separated."""
    lines = textwrap.dedent(text).splitlines()
    return "\n".join("\t".join(c.strip() for c in line.split("|")) if "|" in line else line for line in lines) + "\n"


def parse(text: str) -> Document:
    from jixiao.pipeline import parse_text

    doc, _ = parse_text(to_text(text), "inline.txt")
    return doc


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line number of the ``nth`` line containing ``needle`` (as parse_text numbers them)."""
    hits = [i for i, line in enumerate(textwrap.dedent(text).splitlines(), start=1) if needle in line]
    return hits[nth]


def check(text: str, *, profile: str = "disclosure", codes: tuple[str, ...] | None = None):
    findings = run(parse(text), Context(profile=profile))
    return [f for f in findings if codes is None or f.code in codes]


def flat(findings) -> list[tuple[int | None, str]]:
    return [(f.location.line if f.location else None, f.code) for f in findings]


def mutate(old: str, new: str, text: str = BASE) -> str:
    """Replace the one whole line ``old`` (a line, not a part of one, so that tables stay apart)."""
    lines = text.split("\n")
    assert lines.count(old) == 1, (old, lines.count(old))
    lines[lines.index(old)] = new
    return "\n".join(lines)


# ---------------------------------------------------------------- the consistent base


def test_base_document_is_clean():
    doc = parse(BASE)
    kinds = [t.kind for t in doc.tables]
    assert kinds[:8] == ["budget_overview", "revenue", "expenditure", "fiscal_overview",
                         "general_budget_expenditure", "basic_expenditure", "three_public", "gov_fund_expenditure"]
    assert doc.kind == "budget_disclosure"
    assert check(BASE) == []


# ---------------------------------------------------------------- rule 22


def test_missing_table():
    start = BASE.index("## 2023年一般公共预算“三公”经费支出情况表")
    end = BASE.index("## 2023年政府性基金预算支出情况表")
    found = check(BASE[:start] + BASE[end:], codes=("disclosure-table-missing",))
    assert [f.message for f in found] == ["测试局：部门预算公开应包含第 7 张表“一般公共预算“三公”经费支出表”，文件中没有找到"]


def test_tables_out_of_order():
    start = BASE.index("## 2023年一般公共预算“三公”经费支出情况表")
    end = BASE.index("## 2023年政府性基金预算支出情况表")
    tail = BASE.index("## 2023年项目支出绩效目标表")
    moved = BASE[:start] + BASE[end:tail] + BASE[start:end] + BASE[tail:]
    found = check(moved, codes=("disclosure-table-order", "disclosure-table-missing"))
    assert flat(found) == [(line_of(moved, "“三公”经费支出情况表", 0), "disclosure-table-order")]
    assert "第 7 张表" in found[0].message and "第 8 张表" in found[0].message


def test_empty_table_needs_a_statement():
    text = mutate("注：本表反映部门本年度政府性基金预算支出情况，此表如无数字则表示单位无该项支出。", "")
    assert check(text, codes=("disclosure-empty-unstated",)) == []  # the narrative says 无政府性基金…支出
    text = mutate("2023 年本部门无政府性基金安排的支出。", "政府性基金预算支出情况见下表。", text)
    found = check(text, codes=("disclosure-empty-unstated",))
    assert flat(found) == [(line_of(text, "政府性基金预算支出情况表"), "disclosure-empty-unstated")]


# ---------------------------------------------------------------- rule 23 (B1–B7)


def test_b1_income_total_differs_from_its_parts():
    text = mutate("本 年 收 入 合 计|1,000.00|本 年 支 出 合 计|1,000.00", "本 年 收 入 合 计|1,100.00|本 年 支 出 合 计|1,000.00")
    found = check(text, codes=("amount-sum-mismatch",))
    line = line_of(text, "本 年 收 入 合 计")
    assert (line, "amount-sum-mismatch") in flat(found)
    first = next(f for f in found if f.location.line == line and "各项收入之和" in f.message)
    assert (first.expected, first.actual) == ("1,000.00 万元", "1,100.00 万元")
    assert first.subject == "部门收支总表/本年收入合计"
    assert first.message.endswith("相差 100.00 万元")


def test_b2_revenue_column_and_overview():
    text = mutate("|||合计|1,000.00|1,000.00|1,000.00||||||", "|||合计|1,000.00|990.00|990.00||||||")
    found = check(text, codes=("amount-sum-mismatch",))
    line = line_of(text, "|||合计|1,000.00|990.00")
    messages = [f.message for f in found if f.location.line == line]
    assert any("合计（本级财政拨款" in m for m in messages)  # row: total = Σ columns
    assert any("本级财政拨款（= 部门收支总表 本级财政拨款收入）" in m for m in messages)  # B2 cross-table


def test_b3_expenditure_total_vs_overview():
    text = mutate("一、本级财政拨款收入|1,000.00|一、基本支出|600.00", "一、本级财政拨款收入|1,000.00|一、基本支出|650.00")
    found = check(text, codes=("amount-sum-mismatch",))
    subjects = {f.subject for f in found}
    assert "部门收支总表/本年支出合计" in subjects  # 650 + 400 ≠ 1000
    assert "部门支出总表/合计" in subjects  # 支出总表 基本 600 ≠ 收支总表 650


def test_b4_b5_fiscal_overview():
    text = mutate("一、本年收入|1,000.00|一、本年支出|1,000.00|1,000.00||", "一、本年收入|1,000.00|一、本年支出|1,000.00|900.00||")
    found = check(text, codes=("amount-sum-mismatch",))
    line = line_of(text, "一、本年收入")
    assert {f.subject for f in found if f.location.line == line} == {"财政拨款收支总表/本年支出"}
    assert any("合计（一般公共预算 + 政府性基金预算 + 国有资本经营预算）" in f.message for f in found)  # B5 row
    assert any("本年支出 一般公共预算（各类支出之和）" in f.message for f in found)  # B5 Σ 类
    assert any("一般公共预算（= 一般公共预算支出表 合计）" in f.message for f in found)  # B6


def test_b4_overview_fiscal_income():
    text = mutate("1、一般公共预算拨款收入|1,000.00|1、一般公共服务支出|1,000.00|1,000.00||",
                  "1、一般公共预算拨款收入|1,050.00|1、一般公共服务支出|1,000.00|1,000.00||")
    found = check(text, codes=("amount-sum-mismatch",))
    assert flat(found) == [(line_of(text, "一、本年收入"), "amount-sum-mismatch")]
    assert found[0].expected == "1,050.00 万元" and found[0].actual == "1,000.00 万元"


def test_b7_general_budget_basic_vs_basic_table():
    text = mutate("|合计|600.00|520.00|80.00", "|合计|610.00|520.00|90.00")
    text = mutate("302|商品和服务支出|80.00||80.00", "302|商品和服务支出|90.00||90.00", text)
    text = mutate("30201|办公费|50.00||50.00", "30201|办公费|60.00||60.00", text)
    found = check(text, codes=("amount-sum-mismatch",))
    assert [(f.subject, f.expected, f.actual) for f in found] == [
        ("一般公共预算支出表/合计", "610.00 万元", "600.00 万元"),
    ]


def test_blank_total_is_amounts_missing():
    text = mutate("|||合计|1,000.00|600.00|400.00", "|||合计|1,000.00||400.00")  # 一般公共预算支出表 基本支出
    found = check(text, codes=("amounts-missing",))
    line = line_of(text, "|||合计|1,000.00||400.00")
    assert (line, "amounts-missing") in flat(found)
    f = next(f for f in found if f.location.line == line and "所属" not in f.message and "各科目" in f.message)
    assert f.message == "一般公共预算支出表/合计：基本支出（各科目之和）未填写，应为 600.00 万元"
    assert (f.expected, f.actual) == ("600.00 万元", "空")


def test_seed_001_disclosure_is_consistent():
    """Seed 001 (长沙市行政审批服务局 2023): B1–B11 verified by hand — 5073.08 = 2598.03 + 2475.05;
    2285.05 + 519.90 + 312.98 + 1955.15 = 5073.08; 301 = Σ 11 款 = 2286.20, 302 = Σ 15 款 = 271.17,
    303 = 40.66, 人员 2326.86 = 2286.20 + 40.66; 三公 18.34 = 7.70 + 10.64, 接待 7.70 ≥ 30217 3.00,
    运行 10.64 ≥ 30231 2.64. The disclosure profile has nothing to say about it."""
    from jixiao.pipeline import parse_file
    from tests.conftest import seed

    doc, _ = parse_file(seed("001"), name="001.txt")
    assert [t.kind for t in doc.tables] == [kind for kind, _ in TABLES]
    assert run(doc, Context(profile="disclosure")) == []

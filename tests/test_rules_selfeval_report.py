"""Rules 29–30 on the 部门整体支出绩效自评报告 narrative (seed 003 layout)."""

from __future__ import annotations

from jixiao.pipeline import parse_text
from jixiao.rules import Context
from jixiao.rules import run
from tests.conftest import seed

REPORT = """\
一、基本情况
（一）测试局基本情况
1．主要职能
负责测试工作。
（二）测试局年度整体支出绩效目标
1. 做好测试。
二、一般公共预算支出情况
（一）基本支出情况
1、2021年预算资金100.00万元。
2、2021年度单位一般公共预算财政拨款收入100.00万元。
3、2021年度单位一般公共预算财政拨款支出100.00万元，其中：项目支出60.00万元，基本支出40.00万元，其中：人员经费30.00万元，公用经费10.00万元。
（二）项目支出情况
1、测试经费-甲项目支出35.00万元。
2、测试经费-乙项目支出25.00万元。
三、政府性基金预算支出情况
无。
四、国有资本经营预算支出情况
无。
五、社会保险基金预算支出情况
无。
六、资金使用及绩效情况
（一）部门整体支出绩效情况
年度指标值与实际完成值对照见附表部门整体支出绩效自评表，各项指标均已完成。
七、存在的问题及原因分析
预算编制仍需加强。
八、下一步改进措施
加强预算编制。
九、绩效自评结果拟应用和公开情况
经自评，本单位自评得分为 95 分，评价等级为优。自评结果在区政府门户网站公开。
十、其他需要说明的情况
无
"""


def review(text: str):
    doc, _ = parse_text(text, "report.txt")
    assert doc.kind == "self_evaluation_report"
    return run(doc, Context(profile="self-evaluation"))


def line(text: str, needle: str) -> int:
    return next(i for i, t in enumerate(text.splitlines(), start=1) if needle in t)


def test_complete_consistent_report_is_clean():
    assert review(REPORT) == []


def test_missing_section():
    text = REPORT.replace("七、存在的问题及原因分析\n预算编制仍需加强。\n", "")
    (f,) = review(text)
    assert (f.code, f.severity.value) == ("report-section-missing", "warning")
    assert f.message == "自评报告：自评报告缺少第七部分“存在的问题及原因分析”（湖南部门整体支出绩效自评报告提纲）"


def test_missing_score_grade_and_indicator_table():
    text = REPORT.replace("经自评，本单位自评得分为 95 分，评价等级为优。", "")
    text = text.replace("年度指标值与实际完成值对照见附表部门整体支出绩效自评表，各项指标均已完成。", "各项工作均已完成。")
    found = review(text)
    assert [f.code for f in found] == ["report-indicator-table-missing", "report-score-missing"]
    assert "未给出自评得分和评价等级" in found[1].message


def test_grade_without_score():
    text = REPORT.replace("本单位自评得分为 95 分，评价等级为优", "本单位评价等级为优")
    (f,) = review(text)
    assert f.code == "report-score-missing" and "未给出自评得分（" in f.message


def test_publication_channel_missing():
    text = REPORT.replace("自评结果在区政府门户网站公开。", "自评结果将按要求应用。")
    (f,) = review(text)
    assert (f.code, f.location.line) == ("report-channel-missing", line(text, "九、绩效自评结果"))


def test_basic_is_people_plus_public():
    text = REPORT.replace("公用经费10.00万元", "公用经费12.00万元")
    (f,) = review(text)
    assert (f.code, f.location.line) == ("amount-sum-mismatch", line(text, "人员经费30.00"))
    assert f.message == "自评报告/基本支出：基本支出（人员经费 + 公用经费）应为 42.00 万元，实为 40.00 万元，相差 2.00 万元"


def test_spending_is_basic_plus_project():
    text = REPORT.replace("财政拨款支出100.00万元", "财政拨款支出110.00万元")
    (f,) = review(text)
    assert f.message == ("自评报告/一般公共预算财政拨款支出：一般公共预算财政拨款支出（基本支出 + 项目支出）"
                         "应为 100.00 万元，实为 110.00 万元，相差 10.00 万元")


def test_listed_projects_add_up_to_project_spending():
    text = REPORT.replace("乙项目支出25.00万元", "乙项目支出20.00万元")
    (f,) = review(text)
    assert f.message == "自评报告/项目支出：项目支出（所列 2 个项目之和）应为 55.00 万元，实为 60.00 万元，相差 5.00 万元"


def test_budget_differs_from_income():
    text = REPORT.replace("预算资金100.00万元", "预算资金90.00万元")
    (f,) = review(text)
    assert (f.code, f.severity.value, f.location.line) == ("report-budget-differs", "warning", line(text, "预算资金90"))
    assert f.message.startswith("自评报告/预算资金：预算资金 90.00 万元，与一般公共预算财政拨款收入 100.00 万元相差 10.00 万元")


def test_not_a_report():
    doc, _ = parse_text("一、部门基本概况\n本部门负责审批。\n二、部门预算单位构成\n本部门只有本级。\n", "note.txt")
    assert run(doc, Context(profile="self-evaluation")) == []


def test_seed_003():
    """Seed 003: all ten sections, consistent money, channel named; no score, grade or indicator table,
    and its 预算资金 440.32 differs from the 483.61 of income it reports."""
    from jixiao.pipeline import parse_file

    doc, _ = parse_file(seed("003"), name="003.txt")
    found = run(doc, Context(profile="self-evaluation"))
    assert [(f.code, str(f.location)) for f in found] == [
        ("report-indicator-table-missing", "003.txt"),
        ("report-score-missing", "003.txt"),
        ("report-budget-differs", "003.txt:19"),
    ]
    assert (found[2].expected, found[2].actual) == ("440.32", "483.61")
    assert "相差 43.29 万元" in found[2].message

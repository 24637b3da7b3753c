"""Narrative parsing: sections and stated amounts of seeds 001 and 003, inline cases, properties."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jixiao.model.source import Location
from jixiao.parse.narrative import cn_number
from jixiao.parse.narrative import parse_narrative
from jixiao.parse.narrative_amounts import Piece
from jixiao.parse.narrative_amounts import extract_amounts
from jixiao.parse.narrative_amounts import make_label
from jixiao.parse.segment import segment
from jixiao.readers.text import read_text
from jixiao.readers.text import read_text_bytes

SEEDS = Path(__file__).parent / "data" / "seeds"  # copies of ../shared/seeds
FILE_001 = "001_c182bc71c99e727c.txt"
FILE_003 = "003_06aa0f6e24b01dc6.txt"


@cache
def seed_narrative(prefix: str):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    raw, _ = read_text(path, name=path.name)
    lines, _ = segment(raw)
    return parse_narrative(lines, path.name)


def inline(text: str):
    raw, findings = read_text_bytes(text.encode(), "inline.txt")
    assert raw is not None, findings
    lines, _ = segment(raw)
    return parse_narrative(lines, "inline.txt")


def outline(sections):
    return [(s.level, s.number, s.title, s.location.line) for s in sections]


def amounts(found):
    return [(a.location.line, a.label, str(a.value), a.unit, a.change) for a in found]


# ---------------------------------------------------------------- seed 001 (部门预算说明)


def test_seed_001_sections_skip_the_table_of_contents():
    sections, _, findings = seed_narrative("001")
    assert outline(sections) == [
        (1, "一", "部门基本概况", 36),
        (2, "1", "职能职责", 38),
        (2, "2", "机构设置", 68),
        (1, "二", "部门预算单位构成", 72),
        (1, "三", "部门收支总体情况", 81),
        (2, "一", "收入预算", 83),
        (2, "二", "支出预算", 92),
        (1, "四", "一般公共预算拨款支出", 100),
        (2, "一", "基本支出", 104),
        (2, "二", "项目支出", 106),
        (1, "五", "政府性基金预算支出", 112),
        (1, "六", "其他重要事项的情况说明", 116),
        (2, "一", "机关运行经费", 118),
        (2, "二", "“三公”经费预算", 120),
        (2, "三", "一般性支出情况", 124),
        (2, "四", "政府采购情况", 126),
        (2, "五", "国有资产占用使用及新增资产配置情况", 128),
        (2, "六", "预算绩效目标说明", 130),
        (1, "七", "名词解释", 132),
    ]
    assert [(f.code, f.location.line) for f in findings] == [
        ("section-number-irregular", 38),
        ("section-number-irregular", 68),
    ]
    assert "(1)" in findings[0].message


def test_seed_001_section_texts():
    sections, _, _ = seed_narrative("001")
    by_title = {s.title: s for s in sections}
    assert by_title["部门基本概况"].text == ""
    duties = by_title["职能职责"].text.split("\n")
    assert duties[0].startswith("(一)贯彻落实中央") and duties[-1].startswith("与市数据资源局的有关职责分工")
    assert "(十二)有关职责分工" in duties  # a duty list item, not a section
    assert "“互联网+政务服务”工作。市数据资源局" in duties[-1]  # joined over the page break (lines 64/66)
    units = by_title["部门预算单位构成"].text.split("\n")
    assert units[1:] == ["1. 长沙市行政审批服务局", "2. 长沙市政务服务中心", "3. 长沙市 12345 政务热线中心。"]
    assert by_title["收入预算"].text.startswith("包括一般公共预算、政府性基金")
    project = by_title["项目支出"].text
    assert "而发生的支出，包括有关事业发展专项" in project  # lines 106 + 110 joined
    assert by_title["政府性基金预算支出"].text == "2023 年本部门无政府性基金安排的支出。"
    assert by_title["名词解释"].text.startswith("1. 机关运行经费：是指各部门的公用经费")
    assert not by_title["名词解释"].text.endswith("预算表")  # 第二部分 ends the sections
    assert str(by_title["机关运行经费"].location) == f"{FILE_001}:118"


SEED_001_AMOUNTS = [
    (83, "收入预算", "5073.08", "万元", None),
    (83, "一般公共预算拨款", "5073.08", "万元", None),
    (83, "收入较去年减少", "199.05", "万元", "decrease"),
    (83, "下降", "3.78", "%", "decrease"),
    (92, "支出预算", "5073.08", "万元", None),
    (92, "一般公共服务支出", "5073.08", "万元", None),
    (92, "支出较去年减少", "199.05", "万元", "decrease"),
    (92, "下降", "3.78", "%", "decrease"),
    (102, "一般公共预算拨款支出", "5073.08", "万元", None),
    (102, "一般公共服务支出", "5073.08", "万元", None),
    (102, "一般公共服务支出占比", "100.00", "%", None),
    (104, "基本支出", "2598.03", "万元", None),
    (106, "项目支出预算", "2475.05", "万元", None),
    (110, "一般公共服务支出", "2475.05", "万元", None),
    (118, "机关运行经费", "271.17", "万元", None),
    (118, "机关运行经费比上年预算增加", "18.53", "万元", "increase"),
    (118, "上升", "7.33", "%", "increase"),
    (120, "“三公”经费", "18.34", "万元", None),
    (120, "公务接待费", "7.70", "万元", None),
    (120, "公务用车购置及运行费", "10.64", "万元", None),
    (120, "公务用车购置费", "0.00", "万元", None),
    (120, "公务用车运行费", "10.64", "万元", None),
    (122, "因公出国（境）费", "0.00", "万元", None),
    (122, "“三公”经费预算较2022年增加", "2.14", "万元", "increase"),
    (124, "会议费预算", "16.3", "万元", None),
    (124, "人数", "1100", "人", None),
    (124, "培训费预算", "52.5", "万元", None),
    (124, "人数", "2100", "人", None),
    (126, "政府采购预算总额", "2068.63", "万元", None),
    (126, "货物类采购预算", "37.78", "万元", None),
    (126, "工程类采购预算", "0", "万元", None),
    (126, "服务类采购预算", "2030.85", "万元", None),
    (130, "部门整体支出绩效目标金额", "5073.08", "万元", None),
    (130, "基本支出", "2598.03", "万元", None),
    (130, "项目支出", "2475.05", "万元", None),
]


def test_seed_001_stated_amounts():
    _, found, _ = seed_narrative("001")
    assert amounts(found) == SEED_001_AMOUNTS
    first = found[0]
    assert first.value == Decimal("5073.08")
    assert first.context == "2023 年本部门收入预算 5073.08 万元，其中，一般公共预算拨款 5073.08 万元。"
    abroad = next(a for a in found if a.label == "因公出国（境）费")
    assert abroad.context.startswith("（二）“三公”经费预算：2023 年本部门局机关本级") and abroad.context.endswith("因公出国（境）费 0.00 万元。")


# ---------------------------------------------------------------- seed 003 (绩效自评报告)


def test_seed_003_all_ten_sections_with_their_subsections():
    sections, _, findings = seed_narrative("003")
    assert outline(sections) == [
        (1, "一", "基本情况", 1),
        (2, "一", "株洲市芦淞区行政审批服务局基本情况", 2),
        (3, "1", "主要职能", 3),
        (3, "2", "机构情况", 9),
        (3, "3", "人员情况", 11),
        (2, "二", "株洲市芦淞区行政审批服务局年度整体支出绩效目标，部门专项资金绩效目标、其他项目支出（除省级专项资金以外）绩效目标", 13),
        (1, "二", "一般公共预算支出情况", 17),
        (2, "一", "基本支出情况", 18),
        (2, "2", "项目支出情况", 22),
        (1, "三", "政府性基金预算支出情况", 28),
        (1, "四", "国有资本经营预算支出情况", 30),
        (1, "五", "社会保险基金预算支出情况", 32),
        (1, "六", "资金使用及绩效情况", 34),
        (2, "一", "部门整体支出绩效情况", 35),
        (3, "1", "深化制度创新，夯实改革基础，打造“全领域”政务服务", 36),
        (3, "2", "聚焦技术创新，跟进改革重点，打造“智能化”政务服务", 40),
        (3, "3", "围绕服务创新，增进民生福祉，打造“贴心式”政务服务", 43),
        (2, "二", "专项资金支出绩效情况", 45),
        (3, "1", "政务大厅管理和互联网+政务服务建设专项", 46),
        (3, "2", "政务信息化网络租赁及维护专项", 48),
        (3, "3", "政务公开及政府门户网站建设专项", 50),
        (1, "七", "存在的问题及原因分析", 52),
        (1, "八", "下一步改进措施", 54),
        (1, "九", "绩效自评结果拟应用和公开情况", 56),
        (1, "十", "其他需要说明的情况", 59),
    ]
    irregular = [(f.code, f.location.line) for f in findings if f.code == "section-number-irregular"]
    assert irregular == [("section-number-irregular", 22), ("section-number-irregular", 35)]
    by_line = {s.location.line: s for s in sections}
    assert by_line[3].text.count("\n") == 4  # the five （一）…（五） duties stay body text
    assert by_line[13].text.startswith("1. 大厅日常管理")  # a list item, not a heading
    assert by_line[28].text == "无。" and by_line[59].text == "无"
    assert by_line[18].text.split("\n")[0] == "1、2021年预算资金440.32万元。"


def test_seed_003_stated_amounts():
    _, found, findings = seed_narrative("003")
    money = [a for a in amounts(found) if a[3] == "万元"]
    assert money == [
        (19, "预算资金", "440.32", "万元", None),
        (20, "一般公共预算财政拨款收入", "483.61", "万元", None),
        (21, "一般公共预算财政拨款支出", "483.61", "万元", None),
        (21, "项目支出", "296.99", "万元", None),
        (21, "基本支出", "186.62", "万元", None),
        (21, "人员经费", "175.19", "万元", None),
        (21, "公用经费", "11.43", "万元", None),
        (23, "深化改革和政务建设经费-政务大厅管理和互联网+政务服务建设项目", "49.41", "万元", None),
        (24, "深化改革和政务建设经费-政务信息化网络租赁及维护项目", "49.92", "万元", None),
        (25, "深化改革和政务建设经费-政务公开及政府门户网站建设项目", "24.48", "万元", None),
        (26, "上年结余指标项目", "143.55", "万元", None),
        (27, "预备费项目", "29.63", "万元", None),
    ]
    heads = [a for a in amounts(found) if a[3] in ("人", "名")]
    assert heads == [
        (10, "核定全额拨款事业编制", "7", "名", None),
        (12, "行政审批服务局行政编制", "3", "名", None),
        (12, "政务服务中心事业编制", "7", "名", None),
        (12, "实有在职在编人员", "8", "名", None),
        (12, "退休人员", "1", "人", None),
    ]
    rates = [(a[1], a[2]) for a in amounts(found) if a[3] == "%" and a[0] == 37]
    assert rates == [("发布率", "100"), ("优化率", "24.7"), ("缩减率", "36.5"), ("优化率", "50"), ("办结率", "99")]
    unit_missing = [f for f in findings if f.code == "amount-unit-missing"]
    assert [(f.location.line, f.subject) for f in unit_missing] == [(21, "一般公共预算财政拨款支出")]
    assert "483.61" in unit_missing[0].message and "万元" in unit_missing[0].message


# ---------------------------------------------------------------- inline documents


def test_table_of_contents_page_breaks_and_list_items():
    text = (
        "目 录\n"
        "一、概况\n"
        "二、支出\n"
        "一、概况\n"
        "本部门收入预算 100.00 万元。\n"
        "二、支出\n"
        "(一)基本支出：本部门基本支出预算数80.00万元，主要是为保障部门正常运转、完成日常工作任务而发\n"
        "\n"
        "生的支出，其中：人员经费 60.00 万元。\n"
        "(二)项目支出\n"
        "1．主要项目\n"
        "（1）信息化建设 10.00 万元\n"
        "（2）宣传经费\n"
        "2．其他事项\n"
        "三、说明\n"
        "（一）负责全市政务服务。\n"
        "(二)负责全市公开工作。\n"
        "五、附注\n"
    )
    sections, found, findings = inline(text)
    assert outline(sections) == [
        (1, "一", "概况", 4),
        (1, "二", "支出", 6),
        (2, "一", "基本支出", 7),
        (2, "二", "项目支出", 10),
        (3, "1", "主要项目", 11),
        (4, "1", "信息化建设 10.00 万元", 12),
        (4, "2", "宣传经费", 13),
        (3, "2", "其他事项", 14),
        (1, "三", "说明", 15),
        (1, "五", "附注", 18),
    ]
    assert sections[2].text.endswith("而发生的支出，其中：人员经费 60.00 万元。")
    assert sections[8].text == "（一）负责全市政务服务。\n(二)负责全市公开工作。"
    assert amounts(found) == [
        (5, "收入预算", "100.00", "万元", None),
        (7, "基本支出", "80.00", "万元", None),
        (9, "人员经费", "60.00", "万元", None),
        (12, "信息化建设", "10.00", "万元", None),
    ]
    assert [(f.code, f.location.line) for f in findings] == [("section-number-irregular", 18)]
    assert "编号不连续" in findings[0].message


def test_amount_classification_and_labels():
    text = "2024年本单位共有公务用车3辆，单位价值50万元以上设备1台；租赁费支出12.5，增长20%以上；“12345”热线运行经费2,000.50万元，较上年下降 5.5%。"
    found, notes = extract_amounts(text, [Piece(0, Location("x.txt", 7))])
    assert amounts(found) == [
        (7, "租赁费支出", "12.5", "万元", None),
        (7, "“12345”热线运行经费", "2000.50", "万元", None),
        (7, "“12345”热线运行经费较上年下降", "5.5", "%", "decrease"),
    ]
    assert [(n.code, n.subject) for n in notes] == [("amount-unit-missing", "租赁费支出")]


def test_labels_drop_noise_and_keep_meaning():
    assert make_label("2023 年本部门收入预算 ") == "收入预算"
    assert make_label("等 3 家行政事业单位的机关运行经费 ") == "机关运行经费"
    assert make_label("纳入2023年部门整体支出绩效目标的金额为") == "部门整体支出绩效目标金额"
    assert make_label("行政事业单位“三公”经费预算数为 ") == "“三公”经费"
    assert make_label("3、2021年度单位一般公共预算财政拨款支出") == "一般公共预算财政拨款支出"
    assert make_label("5、预备费项目支出") == "预备费项目"
    assert make_label("项目支出") == "项目支出"
    assert make_label("占", "一般公共服务支出") == "一般公共服务支出占比"
    assert make_label("比上年预算增加 ", "机关运行经费") == "机关运行经费比上年预算增加"
    assert make_label("预算执行率未达到") == "预算执行率未达到"


def test_cn_number():
    assert [cn_number(x) for x in ("一", "九", "十", "十二", "二十", "二十三", "7")] == [1, 9, 10, 12, 20, 23, 7]


# ---------------------------------------------------------------- properties

_LABEL_CHARS = "收入支出经费资金基本公用人员办公差旅会议培训维修物业邮电专用材料租赁宣传运行"
_labels = st.text(alphabet=_LABEL_CHARS, min_size=2, max_size=12)
_values = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False)


@given(_labels, _values, st.sampled_from(["", " "]), st.booleans())
def test_amount_extractor_reads_back_a_generated_sentence(label, value, space, grouped):
    number = f"{value:,.2f}" if grouped else f"{value:.2f}"
    sentence = f"{label}为{space}{number}{space}万元。"
    found, notes = extract_amounts(sentence, [Piece(0, Location("gen.txt", 1))])
    assert notes == []
    assert [(a.label, a.value, a.unit) for a in found] == [(label, value, "万元")]
    assert found[0].value == Decimal(number.replace(",", ""))
    assert found[0].context == sentence

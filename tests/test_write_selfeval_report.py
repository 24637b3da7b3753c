"""The 部门整体支出绩效自评报告 written from a scorecard (write.selfeval_report) in seed 003's outline.

Seed 002 (沅江市行政审批服务局 2023) scored with the actuals of tests/selfeval_cards.py. The report's
figures are those of the scorecard (recomputed here from the card's amounts, not from the builder);
read back from DOCX and PDF by jixiao's readers, the check finds exactly the places left to the
department (report-fill-empty, an error each) while they are unfilled and nothing once they are
filled; the marker is recognised however a reader spaces it, and nothing else is taken for one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from decimal import ROUND_HALF_UP
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from jixiao.model.narrative import fill_marker
from jixiao.pipeline import parse_file
from jixiao.pipeline import parse_text
from jixiao.rules import Context
from jixiao.rules import run
from jixiao.rules.fill_marks import MARKER
from jixiao.rules.selfeval_report import OUTLINE
from jixiao.selfeval.actuals import Match
from jixiao.selfeval.scorecard import score_document
from jixiao.write.formats import write
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Table
from jixiao.write.selfeval_layout import load_report_layout
from jixiao.write.selfeval_layout import parse_report_layout
from jixiao.write.selfeval_report import FILL_KEYS
from jixiao.write.selfeval_report import build_selfeval_report
from tests.conftest import seed
from tests.selfeval_cards import card_002
from tests.selfeval_cards import executions
from tests.write_helpers import compact
from tests.write_helpers import docx_facts
from tests.write_helpers import pdf_fonts
from tests.write_helpers import pdf_pages
from tests.write_helpers import pdf_text
from tests.write_helpers import read_back
from tests.write_helpers import render_png

SELF = Context(profile="self-evaluation")
FILLS = {
    "主要职能": "负责全市行政审批制度改革和政务服务管理工作。",
    "机构情况": "内设综合科、审批科，下属政务服务中心一个。",
    "人员情况": "核定行政编制12名，实有在职人员11名，退休人员2名。",
    "部门整体绩效": "全年受理办结政务服务事项27万件，政务服务“一网通办”持续推进。\n市、镇、村三级服务中心全覆盖。",
    "存在的问题及原因分析": "受理办结量未达年度目标，原因是部分事项推迟至次年办理。",
    "下一步改进措施": "加强年度计划管理，按季度调度办件进度。",
    "公开情况": "自评结果在沅江市人民政府门户网站政府信息公开专栏公开。",
    "其他需要说明的情况": "无",
}


def w(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def pct(spent: Decimal, budget: Decimal) -> str:
    return f"{(spent / budget * 100).quantize(Decimal('0.01'))}%"


@pytest.fixture(scope="module")
def card():
    return card_002()


@pytest.fixture(scope="module")
def files(card) -> dict[str, bytes]:
    """DOCX and PDF of the report unfilled and filled (two LibreOffice runs for the module)."""
    blank, filled = build_selfeval_report(card), build_selfeval_report(card, fills=FILLS)
    return {"docx": write(blank, "docx"), "pdf": write(blank, "pdf"),
            "filled.docx": write(filled, "docx"), "filled.pdf": write(filled, "pdf")}


def place(finding) -> str:
    """The place a report-fill-empty finding names: 自评报告：“主要职能”仍为待填写标记… → 主要职能."""
    return re.search(r"：“(.+?)”仍为待填写标记", finding.message)[1]


def paragraphs(doc, role: str | None = None) -> list[str]:
    blocks = doc.parts[0].blocks
    return [b.text for b in blocks if isinstance(b, Paragraph) and (role is None or b.role == role)]


def test_the_ten_sections_of_seed_003(card):
    doc = build_selfeval_report(card)
    headings = paragraphs(doc, "heading1")
    assert [h.split("、", 1)[0] for h in headings] == [number for number, _, _ in OUTLINE]
    for heading, (_, _, pattern) in zip(headings, OUTLINE):
        assert re.search(pattern, heading), heading
    seed_003 = seed("003").read_text(encoding="utf-8")
    for heading in headings:  # the headings as seed 003 prints them
        assert heading in seed_003
    assert paragraphs(doc, "title") == ["沅江市行政审批服务局", "2023年度部门整体支出绩效自评报告"]
    assert doc.parts[0].page.orientation == "portrait" and doc.layout_id == "hunan-2023/selfeval_report"


def test_figures_are_the_scorecards(card):
    """Every sentence stating figures states the card's: 年初 864.30 = 基本 367.60 + 项目 496.70 (seed 002's
    部门整体 target set); 全年预算 864.30, 执行 821.08 (95%), 执行率 95.00%; each project's budget, spending
    and rate; the scores, total and grade."""
    doc = build_selfeval_report(card)
    text = "\n".join(paragraphs(doc))
    whole, projects = card.sets[0], card.sets[1:]
    x = whole.execution
    assert f"1、2023年度年初预算安排支出{w(x.initial)}万元，其中：基本支出367.60万元，项目支出496.70万元。" in text
    assert Decimal("367.60") + Decimal("496.70") == x.initial == Decimal("864.30")
    assert f"2、2023年部门整体支出全年预算{w(x.budget)}万元，执行{w(x.spent)}万元，执行率{pct(x.spent, x.budget)}。" in text
    assert "全年预算864.30万元，执行821.08万元，执行率95.00%" in text
    for n, p in enumerate(projects, start=1):
        e = p.execution
        assert e.initial == e.budget  # not adjusted: the line gives 年初预算 only
        assert f"{n}、{p.entry.label}：年初预算{w(e.initial)}万元，执行{w(e.spent)}万元，执行率{pct(e.spent, e.budget)}。" in text
        assert f"全年预算{w(e.budget)}万元，执行{w(e.spent)}万元，执行率{pct(e.spent, e.budget)}；" in text  # 六（二）
    # the six projects' 年初预算 add up to 395.00 of the 496.70 项目支出: the rest is named as such
    listed = sum(p.execution.initial for p in projects)
    assert listed == Decimal("395.00")
    assert f"7、未纳入本次绩效自评的其他项目：年初预算{w(Decimal('496.70') - listed)}万元。" in text
    assert (f"设置绩效指标9项，8项全部达成，1项未完全达成；绩效指标得分{whole.indicator_points}分（满分90分），"
            f"预算执行率得分{x.score.score}分（满分10分），自评得分为{whole.total}分，评价等级为“{whole.grade}”") in text
    assert f"自评得分为{whole.total}分，评价等级为“优”。" in text and whole.total == Decimal("98.67")
    missed = sum(s.not_achieved for s in card.sets)
    assert f"自评中{missed}项绩效指标未完全达成" in text and missed == 7
    # the 部门整体支出绩效自评表: one row per indicator (目标值 vs 完成值, 分值, 得分) and the 预算执行率 row
    table = next(b for b in doc.parts[0].blocks if isinstance(b, Table))
    assert len(table.rows) == 1 + len(whole.indicators) + 1
    first = [c.text for c in table.rows[1]]
    assert first == ["产出指标", "数量指标", "受理、办结全市政务服务事项数量", "≥30万件", "27", "8.33", "7.50",
                     "部分工作推迟至次年完成"]
    assert [c.text for c in table.rows[-1] if c is not None] == ["预算执行率", "100%", "95.00%", "10", "9.50", ""]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_read_back_unfilled_flags_each_place(files, card, fmt):
    """True positive: every 【待填写：…】 left is an error, at its paragraph; nothing else is an error."""
    _raw, doc, found = read_back(files[fmt], f"自评报告.{fmt}")
    assert doc.kind == "self_evaluation_report"
    layout = load_report_layout()
    checked = [*found, *run(doc)]
    errors = [f for f in checked if f.severity.value == "error"]
    assert {f.code for f in errors} == {"report-fill-empty"}
    assert sorted(place(f) for f in errors) == sorted(layout.fills.values())
    assert not [f for f in checked if f.severity.value == "warning"]
    for f in errors:
        assert f.location is not None and f.actual.startswith("【待填写")
    # the figures read back: section 二's stated amounts are the card's
    amounts = {(a.label, a.value) for a in doc.amounts}
    assert ("年初预算安排支出", Decimal("864.30")) in amounts and ("执行", Decimal("821.08")) in amounts
    for p in card.sets[1:]:
        assert ("执行", p.execution.spent.quantize(Decimal("0.01"))) in amounts


def test_section_two_adds_up_and_a_wrong_figure_is_caught(card):
    """Rule 29 on the report read back: 年初预算安排支出 = 基本 + 项目, and 项目支出 = the first amount of
    each project line (年初预算, not 年初 + 执行) — checked, and it passes; one project's figure changed
    in the text makes it fail."""
    from jixiao.rules.selfeval_report import _project_items

    doc = build_selfeval_report(card, fills=FILLS)
    _raw, read, _found = read_back(write(doc, "docx"), "自评报告.docx")
    general = next(s for s in read.sections if s.title.startswith("一般公共预算"))
    start = general.location.line
    end = min(s.location.line for s in read.sections if s.level == 1 and s.location.line > start)
    items = _project_items(read, [a for a in read.amounts if a.unit == "万元"], (start, end))
    assert [a.value for a in items] == [p.execution.initial for p in card.sets[1:]] + [Decimal("101.70")]
    assert sum(a.value for a in items) == Decimal("496.70")
    assert list(run(read, SELF)) == []
    blocks = tuple(Paragraph(b.text.replace("年初预算64.00万元", "年初预算46.00万元"), b.role, b.align, b.key)
                   if isinstance(b, Paragraph) else b for b in doc.parts[0].blocks)
    wrong = replace(doc, parts=(replace(doc.parts[0], blocks=blocks),))
    _raw, read, _found = read_back(write(wrong, "docx"), "自评报告.docx")
    (f,) = run(read, SELF)
    assert (f.code, f.expected, f.actual) == ("amount-sum-mismatch", "478.70 万元", "496.70 万元")


@pytest.mark.parametrize("fmt", ["filled.docx", "filled.pdf"])
def test_read_back_filled_is_clean(files, fmt):
    """True negative: the same report with every place filled gives no error and no warning."""
    _raw, doc, found = read_back(files[fmt], f"自评报告.{fmt.split('.')[1]}")
    checked = [*found, *run(doc)]
    assert [(f.code, str(f.location)) for f in checked] == []  # not even an info: 分值/得分 of rates are no amounts


def test_one_place_left(card):
    """Only the place left unfilled is reported, by its prompt."""
    doc = build_selfeval_report(card, fills={k: v for k, v in FILLS.items() if k != "下一步改进措施"})
    _raw, read, _found = read_back(write(doc, "docx"), "自评报告.docx")
    (f,) = run(read, SELF)
    assert (f.code, f.severity.value) == ("report-fill-empty", "error")
    assert "“下一步改进措施”仍为待填写标记" in f.message and f.source_text == "【待填写：下一步改进措施】"
    assert f.location.paragraph is not None


def test_fills_in_place_of_the_marker(card):
    doc = build_selfeval_report(card, fills={"其他需要说明的情况": "无"})
    blocks = doc.parts[0].blocks
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == "十、其他需要说明的情况")
    assert blocks[at + 1] == Paragraph("无")
    unfilled = [b for b in blocks if isinstance(b, Paragraph) and b.role == "fill"]
    assert [b.key for b in unfilled] == [k for k in FILL_KEYS if k != "其他需要说明的情况"]
    with pytest.raises(ValueError, match="没有这些待填写位置：问题"):
        build_selfeval_report(card, fills={"问题": "x"})


def test_the_marker_as_readers_give_it_back():
    """PDF text may space the marker out and a hand may type a half-width colon; a bracket that is
    not a marker, or 待填写 without brackets, is not one."""
    assert MARKER.search("【待 填 写: 存在 的问题 】")["place"] == "存在 的问题"
    assert MARKER.search("见【附件1】。") is None
    assert MARKER.search("待填写：存在的问题") is None
    for text, places in (("一、基本情况\n【待填写：主要职能】\n", ["主要职能"]), ("一、基本情况\n负责审批。\n", [])):
        doc, _ = parse_text(text + "七、存在的问题及原因分析\n【待填写：存在的问题】\n", "r.txt")
        found = [f for f in run(doc, SELF) if f.code == "report-fill-empty"]
        assert [place(f) for f in found] == [*places, "存在的问题"]


@given(st.text(alphabet=st.characters(blacklist_characters="】\n\r", blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
               min_size=1, max_size=60).filter(lambda s: s.strip()))
def test_any_prompt_is_found_back(prompt):
    m = MARKER.search(f"前文{fill_marker(prompt)}后文")
    assert m is not None and re.sub(r"\s+", "", m["place"]) == re.sub(r"\s+", "", prompt)


def text_of(doc) -> str:
    """The report's paragraphs as the text reader's input (the indicator table left out: it states no money)."""
    return "\n".join(paragraphs(doc)[2:]) + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(executions())
def test_any_execution_is_stated_as_it_recomputes(budgets):
    """Whatever the budgets and spending: each project line states its 年初预算, the adjusted 全年预算,
    执行 and 执行率 = 执行/全年预算 rounded half up; read back, the report's amounts add up (rule 29) and
    the whole check finds nothing but the places to fill."""
    card = card_002(budgets)
    doc = build_selfeval_report(card)
    text = "\n".join(paragraphs(doc))
    for n, s in enumerate(card.sets):
        if n not in budgets:
            continue
        budget, spent = budgets[n]
        rate = f"{(spent / budget * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"
        initial = s.execution.initial
        adjusted = f"，调整后全年预算{w(budget)}万元" if budget != initial else ""
        if n == 0:
            assert f"2、2023年部门整体支出全年预算{w(budget)}万元，执行{w(spent)}万元，执行率{rate}。" in text
        else:
            assert f"{n}、{s.entry.label}：年初预算{w(initial)}万元{adjusted}，执行{w(spent)}万元，执行率{rate}。" in text
            assert f"全年预算{w(budget)}万元，执行{w(spent)}万元，执行率{rate}；" in text
    read, found = parse_text(text_of(doc), "自评报告.txt")
    assert read.kind == "self_evaluation_report"
    checked = [f for f in [*found, *run(read)] if f.severity.value != "info"]
    assert {f.code for f in checked} == {"report-fill-empty"} and len(checked) == len(FILL_KEYS)


def test_seed_003_has_no_marker():
    """The real report (seed 003) leaves no place unfilled: the rule is silent on it."""
    doc, _ = parse_file(seed("003"))
    assert [f for f in run(doc, SELF) if f.code == "report-fill-empty"] == []


def test_docx_layout_facts(files):
    facts = docx_facts(files["docx"])
    (section,) = facts.sections
    assert (section.width_mm, section.height_mm, section.orientation) == (210.0, 297.0, "portrait")
    assert section.margins_mm == (37.0, 26.0, 35.0, 28.0)
    assert [f.strip() for f in section.footer_fields] == ["PAGE"]
    assert facts.runs_without_east_asia == 0
    assert {"方正小标宋简体", "黑体", "仿宋", "宋体"} <= facts.east_asia_fonts
    (table,) = facts.tables
    assert table.header_rows == 1 and table.texts[0][:3] == ["一级指标", "二级指标", "三级指标"]
    marked = [t for t, f in facts.paragraphs if f.get("shd")]
    assert len(marked) == len(FILL_KEYS) and all(t.startswith("【待填写：") for t in marked)
    body = next(f for t, f in facts.paragraphs if t.startswith("2、2023年部门整体支出"))
    assert body["firstLineChars"] == "200"
    assert not [f for t, f in docx_facts(files["filled.docx"]).paragraphs if f.get("shd")]


def test_pdf_fonts_text_and_pages(files):
    pdf = files["pdf"]
    fonts = pdf_fonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts) and any("CJK" in f["name"] for f in fonts)
    text = compact(pdf_text(pdf))
    for _, title, _ in OUTLINE:
        assert compact(title) in text or title == "部门整体支出绩效情况"
    assert "六、资金使用及绩效情况" in text and "全年预算864.30万元，执行821.08万元，执行率95.00%" in text
    table = next(b for b in build_selfeval_report(card_002()).parts[0].blocks if isinstance(b, Table))
    cells = [c.text for row in table.rows for c in row if c is not None and c.text]
    assert len(cells) > 60 and [t for t in cells if compact(t) not in text] == []  # no cell text cut
    pages = pdf_pages(pdf)
    assert pages and all(h > w for w, h in pages)
    for name in ("pdf", "filled.pdf"):
        pngs = render_png(files[name], f"selfeval-report-{name.replace('.', '-')}")
        assert len(pngs) == len(pdf_pages(files[name])) and all(p.stat().st_size > 2000 for p in pngs)


def test_a_card_with_several_departments():
    """Seed 001 holds three 部门整体 target sets: the report is one unit's, with that unit's projects;
    not scored yet, the report states the budgets and leaves 执行 out."""
    doc, _ = parse_file(seed("001"))
    card = score_document(doc, Match())
    report = build_selfeval_report(card, unit="长沙市政务服务中心")
    text = "\n".join(paragraphs(report))
    assert paragraphs(report, "title")[0] == "长沙市政务服务中心"
    assert "1、审批受理服务专项：年初预算19.95万元。" in text and "互联网+政务服务" not in text
    assert "2、2023年部门整体支出全年预算1711.27万元。" in text
    with pytest.raises(ValueError, match="没有长沙市财政局部门整体支出绩效目标的自评"):
        build_selfeval_report(card, unit="长沙市财政局")


def test_html_left_in_a_stored_goal_is_not_printed():
    """Seed 000's project goal was exported with its HTML (<p>优化服务，…</p>): the report and the 自评表
    print the text."""
    from jixiao.write.selfeval_table import build_selfeval_table
    from jixiao.write.selfeval_table import plain

    assert plain("<p>优化服务，促服务提质。</p><p>一是&nbsp;加强</p>") == "优化服务，促服务提质。\n一是 加强"
    doc, _ = parse_file(seed("000"))
    card = score_document(doc, Match())
    assert "<p>" in card.sets[1].entry.target_set.goal
    report = build_selfeval_report(card)
    goals = [t for t in paragraphs(report) if t.startswith("2. 政务大厅运行经费：")]
    assert goals and goals[0].startswith("2. 政务大厅运行经费：优化服务，促服务提质。一是加强窗口") and "<" not in goals[0]
    table = build_selfeval_table(card).parts[2].blocks[1]
    assert table.rows[4][0].text.startswith("优化服务，促服务提质。")


def test_layout_is_checked():
    text = resources.files("jixiao").joinpath("data/layouts/hunan-2023/selfeval_report.toml").read_text("utf-8")
    data = tomllib.loads(text)
    assert parse_report_layout(data, "x").sections["problems"] == "七、存在的问题及原因分析"
    del data["fills"]["下一步改进措施"]
    with pytest.raises(ValueError, match="缺少 下一步改进措施"):
        parse_report_layout(data, "x")

"""The 部门整体支出绩效自评报告 (DOMAIN §2.6a, seed 003's outline of ten sections) from a scorecard.

Every figure comes from the stored data — the department's target set (资金总额, 基本支出, 项目支出
as approved), the self-evaluation (全年预算数, 全年执行数, 执行率, every indicator's 完成值 and 得分,
the total and the grade) — and the sentences that state figures are generated from them
(``全年预算 X 万元，执行 Y 万元，执行率 Z%``). What only the department can write (its functions,
organisation and staff, what the money achieved, the problems and their causes, the next steps,
where the results are published) is a ``Paragraph(role="fill", key=…)`` printing the marker
``【待填写：…】`` (``model.narrative.fill_marker``); the review reports a marker left in a report read
back (``report-fill-empty``, rule ``text.fill-empty``). ``fills`` maps a key to the department's
text, written in its place as body text.

`build_selfeval_report(card, layout=None, *, unit=None, fills=None) -> OutputDocument`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jixiao.model.money import fmt_wan
from jixiao.model.money import to_wan
from jixiao.model.narrative import fill_marker
from jixiao.scoring.numbers import num
from jixiao.selfeval.scorecard import Scorecard
from jixiao.selfeval.scorecard import SetScore
from jixiao.write.layout import Cell
from jixiao.write.layout import Column
from jixiao.write.layout import Fonts
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Page
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table
from jixiao.write.selfeval_table import rate_text

KIND = "selfeval_report"
REPORT_PAGE = Page(page_number_format="- {page} -")  # A4 portrait, 公文 page numbers
NUMERALS = "一二三四五六七八九十"
# the places only the department can write: key → what the marker asks for
FILL_PLACES = {
    "主要职能": "主要职能",
    "机构情况": "机构情况（内设机构、下属单位）",
    "人员情况": "人员情况（编制数、实有人数、退休人数）",
    "部门整体绩效": "部门整体支出取得的主要成效",
    "存在的问题及原因分析": "存在的问题及原因分析",
    "下一步改进措施": "下一步改进措施",
    "公开情况": "自评结果应用和公开渠道（如单位门户网站、政府信息公开专栏）",
    "其他需要说明的情况": "其他需要说明的情况（没有的写“无”）",
}
INDICATOR_TABLE_HEADERS = ("一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分", "偏差原因分析")
INDICATOR_TABLE_WIDTHS = (11, 12, 21, 11, 9, 6, 7, 17)  # 产出指标 on one line in a portrait A4


def _wan(value: Decimal | None) -> str:
    return fmt_wan(value).replace(",", "")  # a report prints 864.30 万元 (a comma reads as a clause break)


def _department(card: Scorecard, unit: str | None) -> SetScore:
    whole = [s for s in card.sets if s.entry.table.kind == "department_targets"]
    if unit is not None:
        whole = [s for s in whole if s.entry.target_set.unit == unit or s.entry.label == unit]
    if not whole:
        raise ValueError(f"自评结果中没有{unit or ''}部门整体支出绩效目标的自评，无法生成部门整体支出绩效自评报告")
    return whole[0]


def _projects(card: Scorecard, whole: SetScore) -> list[SetScore]:
    """The card's project and special-fund sets: all of them when the card has one 部门整体 set, else
    those whose unit names the same unit (``行政审批服务局`` in ``沅江市行政审批服务局``)."""
    others = [s for s in card.sets if s.entry.table.kind != "department_targets"]
    if sum(1 for s in card.sets if s.entry.table.kind == "department_targets") == 1:
        return others
    unit = whole.entry.target_set.unit or ""
    return [s for s in others if (u := s.entry.target_set.unit or "") and (u in unit or unit in u)]


class _Report:
    def __init__(self, fills: Mapping[str, str]):
        self.blocks: list = []
        self.fills = fills

    def add(self, text: str, role: str = "body") -> None:
        self.blocks.append(Paragraph(text, role=role))  # type: ignore[arg-type]

    def fill(self, key: str) -> None:
        given = (self.fills.get(key) or "").strip()
        if given:
            for line in given.splitlines():
                if line.strip():
                    self.add(line.strip())
        else:
            self.blocks.append(Paragraph(fill_marker(FILL_PLACES[key]), role="fill", key=key))


def execution_sentence(s: SetScore) -> str:
    """全年预算 X 万元，执行 Y 万元，执行率 Z% (what is recorded of it)."""
    x = s.execution
    parts = []
    if x.budget is not None:
        parts.append(f"全年预算{_wan(x.budget)}万元")
    if x.spent is not None:
        parts.append(f"执行{_wan(x.spent)}万元")
    if x.rate is not None:
        parts.append(f"执行率{rate_text(x.rate)}")
    return "，".join(parts) if parts else "全年预算执行数未录入"


def score_sentence(s: SetScore, card: Scorecard) -> str:
    n, missed = len(s.indicators), s.not_achieved
    return (f"设置绩效指标{n}项，{n - missed}项全部达成，{missed}项未完全达成；绩效指标得分{s.indicator_points}分"
            f"（满分{num(s.weight_total)}分），预算执行率得分{s.execution.score.score}分"
            f"（满分{num(card.profile.execution_weight)}分），自评得分为{s.total}分，评价等级为“{s.grade}”")


def target_text(i) -> str:
    """指标值 as one text: 指标性质, value and unit, each once (seed 002 prints ``≥30万件`` in one cell)."""
    t, text_ = i.target, (i.target.text or "").strip()
    op = t.op_text or t.op or ""
    if op and op != "定性" and not text_.startswith(op):
        text_ = op + text_
    unit = t.unit_text or t.unit or ""
    if unit and t.value is not None and not text_.endswith(unit):
        text_ += unit
    return text_


def indicator_table(s: SetScore, weight: Decimal, name: str) -> Table:
    header = tuple(Cell(h, role="header") for h in INDICATOR_TABLE_HEADERS)
    rows: list[tuple[Cell | None, ...]] = [header]
    for item in s.indicators:
        i = item.entry.indicator
        target = target_text(i)
        points = "" if item.points is None else f"{item.points}"
        points_of = "" if item.weight is None else num(item.weight)
        rows.append((Cell(i.level1 or ""), Cell(i.level2 or ""), Cell(i.name), Cell(target),
                     Cell("" if item.actual is None else str(item.actual)),
                     Cell(points_of, value=item.weight, role="number", align="center"),
                     Cell(points, value=item.points, role="number", align="center"), Cell(item.reason or "")))
    x = s.execution
    rows.append((Cell("预算执行率", colspan=3), None, None, Cell("100%"),
                 Cell("" if x.rate is None else rate_text(x.rate)),
                 Cell(num(weight), value=weight, role="number", align="center"),
                 Cell(f"{x.score.score}", value=x.score.score, role="number", align="center"), Cell(x.reason or "")))
    return Table(columns=tuple(Column(Decimal(w)) for w in INDICATOR_TABLE_WIDTHS), rows=tuple(rows), header_rows=1,
                 name=name)


def build_selfeval_report(card: Scorecard, layout=None, *, unit: str | None = None,
                          fills: Mapping[str, str] | None = None) -> OutputDocument:
    """The report of the department whose 部门整体 target set is in ``card`` (``unit``: which one,
    when the card holds several); its projects are the card's other sets of the same unit."""
    whole = _department(card, unit)
    projects = _projects(card, whole)
    ts, year = whole.entry.target_set, whole.entry.table.year
    org = ts.unit or whole.entry.table.org or whole.entry.label
    r = _Report(fills or {})
    title = f"{org}{year}年度部门整体支出绩效自评报告" if year else f"{org}部门整体支出绩效自评报告"
    r.add(org, "title")  # the unit's name on a line of its own, as Hunan reports print it
    r.add(title.removeprefix(org), "title")
    # 一、基本情况
    r.add("一、基本情况", "heading1")
    r.add(f"（一）{org}基本情况", "heading2")
    for n, key in enumerate(("主要职能", "机构情况", "人员情况"), start=1):
        r.add(f"{n}．{key}", "heading3")
        r.fill(key)
    r.add(f"（二）{org}年度整体支出绩效目标，部门专项资金绩效目标、其他项目支出绩效目标", "heading2")
    goals = [("部门整体支出绩效目标", ts.goal)] + [(p.entry.label, p.entry.target_set.goal) for p in projects]
    for n, (what, goal) in enumerate(goals, start=1):
        r.add(f"{n}. {what}：{(goal or '（目标表未填写）').strip()}")
    # 二、一般公共预算支出情况
    r.add("二、一般公共预算支出情况", "heading1")
    r.add("（一）基本支出情况", "heading2")
    a = ts.amounts
    basic = None if a.basic is None else to_wan(a.basic, a.unit)
    project = None if a.project is None else to_wan(a.project, a.unit)
    x = whole.execution
    line = f"1、{year}年年初预算安排支出{_wan(x.initial)}万元" if x.initial is not None else "1、年初预算未列明"
    if basic is not None and project is not None:
        line += f"，其中：基本支出{_wan(basic)}万元，项目支出{_wan(project)}万元"
    r.add(line + "。")
    r.add(f"2、{year}年部门整体支出{execution_sentence(whole)}。")
    r.add("（二）项目支出情况", "heading2")
    if projects:
        for n, p in enumerate(projects, start=1):
            r.add(f"{n}、{p.entry.label}：{execution_sentence(p)}。")
    else:
        r.add("本年度无纳入绩效自评的项目。")
    for n, what in ((3, "政府性基金预算支出情况"), (4, "国有资本经营预算支出情况"), (5, "社会保险基金预算支出情况")):
        r.add(f"{NUMERALS[n - 1]}、{what}", "heading1")
        r.add("无。")  # the self-evaluation holds general-budget target sets only
    # 六、资金使用及绩效情况
    r.add("六、资金使用及绩效情况", "heading1")
    r.add("（一）部门整体支出绩效情况", "heading2")
    r.add(f"{org}部门整体支出{score_sentence(whole, card)}。年度指标值与实际完成值对照见下表（部门整体支出绩效自评表）。")
    r.blocks.append(indicator_table(whole, card.profile.execution_weight, "部门整体支出绩效自评表"))
    r.fill("部门整体绩效")
    r.add("（二）项目支出绩效情况", "heading2")
    for n, p in enumerate(projects, start=1):
        r.add(f"{n}.{p.entry.label}", "heading3")
        r.add(f"{execution_sentence(p)}；{score_sentence(p, card)}。")
        missed = [i for i in p.indicators if not i.achieved]
        for i in missed:
            r.add(_missed_line(i))
    if not projects:
        r.add("本年度无纳入绩效自评的项目。")
    # 七 … 十
    r.add("七、存在的问题及原因分析", "heading1")
    missed = [(s, i) for s in (whole, *projects) for i in s.indicators if not i.achieved]
    if missed:
        r.add(f"自评中{len(missed)}项绩效指标未完全达成，详见第六部分。")
    r.fill("存在的问题及原因分析")
    r.add("八、下一步改进措施", "heading1")
    r.fill("下一步改进措施")
    r.add("九、绩效自评结果拟应用和公开情况", "heading1")
    r.add(f"根据预算绩效管理要求，本单位组织对{year}年度部门整体支出开展了绩效自评，自评得分为{whole.total}分，"
          f"评价等级为“{whole.grade}”。")
    r.fill("公开情况")
    r.add("十、其他需要说明的情况", "heading1")
    r.fill("其他需要说明的情况")
    part = Part("自评报告", tuple(r.blocks), page=REPORT_PAGE, fonts=Fonts())
    return OutputDocument(title=title, parts=(part,), kind=KIND, layout_id="hunan-2023/selfeval_report")


def _missed_line(item) -> str:
    i = item.entry.indicator
    actual = "未填报" if item.actual is None else str(item.actual)
    got = "未计分" if item.points is None else f"得{item.points}分（分值{num(item.weight)}分）"
    reason = f"，原因：{item.reason}" if item.reason else ""
    return f"“{i.name}”指标值{i.target.text or ''}{i.target.unit_text or ''}，完成值{actual}，{got}{reason}。"

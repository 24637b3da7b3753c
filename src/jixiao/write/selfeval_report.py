"""The 部门整体支出绩效自评报告 (DOMAIN §2.6a, seed 003's outline of ten sections) from a scorecard.

Every figure comes from the stored data — the department's target set (资金总额, 基本支出, 项目支出
as approved), the self-evaluation (全年预算数, 全年执行数, 执行率, every indicator's 完成值 and 得分,
the total and the grade) — and the sentences that state figures are generated from them
(``全年预算 X 万元，执行 Y 万元，执行率 Z%``). What only the department can write (its functions,
organisation and staff, what the money achieved, the problems and their causes, the next steps,
where the results are published) is a ``Paragraph(role="fill", key=…)`` printing the marker
``【待填写：…】`` (``model.narrative.fill_marker``); the review reports a marker left in a report read
back (``report-fill-empty``, rule ``text.fill-empty``). ``fills`` maps a key (``FILL_KEYS``) to the
department's text, written in its place as body text.

Headings, prompts, sentence wording, page and fonts are the layout's (`write.selfeval_layout`,
data/layouts/hunan-2023/selfeval_report.toml).

`build_selfeval_report(card, layout=None, *, unit=None, fills=None) -> OutputDocument`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jixiao.model.money import fmt_wan
from jixiao.model.money import to_wan
from jixiao.model.narrative import fill_marker
from jixiao.scoring.numbers import num
from jixiao.selfeval.scorecard import IndicatorScore
from jixiao.selfeval.scorecard import Scorecard
from jixiao.selfeval.scorecard import SetScore
from jixiao.write.layout import Cell
from jixiao.write.layout import Column
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table
from jixiao.write.selfeval_layout import REPORT_FILLS as FILL_KEYS
from jixiao.write.selfeval_layout import ReportLayout
from jixiao.write.selfeval_layout import load_report_layout
from jixiao.write.selfeval_table import plain
from jixiao.write.selfeval_table import rate_text

KIND = "selfeval_report"

__all__ = ["FILL_KEYS", "build_selfeval_report", "department_set", "project_sets"]


def wan(value: Decimal | None) -> str:
    """864.30: two decimals without the thousands comma (in a sentence a comma reads as a clause break)."""
    return fmt_wan(value).replace(",", "")


def department_set(card: Scorecard, unit: str | None = None) -> SetScore:
    """The 部门整体 target set the report is about (``unit``: which one, when the card holds several)."""
    whole = [s for s in card.sets if s.entry.table.kind == "department_targets"]
    if unit is not None:
        whole = [s for s in whole if unit in (s.entry.target_set.unit, s.entry.label)]
    if not whole:
        raise ValueError(f"自评结果中没有{unit or ''}部门整体支出绩效目标的自评，无法生成部门整体支出绩效自评报告")
    return whole[0]


def project_sets(card: Scorecard, whole: SetScore) -> list[SetScore]:
    """The card's project and special-fund sets: all of them when the card has one 部门整体 set, else
    those whose unit names the same unit (``行政审批服务局`` in ``沅江市行政审批服务局``)."""
    others = [s for s in card.sets if s.entry.table.kind != "department_targets"]
    if sum(1 for s in card.sets if s.entry.table.kind == "department_targets") == 1:
        return others
    unit = whole.entry.target_set.unit or ""
    return [s for s in others if (u := s.entry.target_set.unit or "") and (u in unit or unit in u)]


class _Report:
    def __init__(self, layout: ReportLayout, fills: Mapping[str, str]):
        unknown = sorted(set(fills) - set(FILL_KEYS))
        if unknown:
            raise ValueError(f"没有这些待填写位置：{'、'.join(unknown)}（可填：{'、'.join(FILL_KEYS)}）")
        self.blocks: list[Paragraph | Table] = []
        self.layout, self.fills, self.w = layout, fills, layout.wording

    def add(self, text: str, role: str = "body") -> None:
        self.blocks.append(Paragraph(text, role=role))  # type: ignore[arg-type]

    def fill(self, key: str) -> None:
        """The department's text for ``key``, else the marked place to fill."""
        lines = [line.strip() for line in (self.fills.get(key) or "").splitlines() if line.strip()]
        for line in lines:
            self.add(line)
        if not lines:
            self.blocks.append(Paragraph(fill_marker(self.layout.fills[key]), role="fill", key=key))

    def execution(self, s: SetScore) -> str:
        """全年预算 X 万元，执行 Y 万元，执行率 Z% (what is recorded of it)."""
        x = s.execution
        budget, spent, rate = self.w["execution_parts"]
        parts = [template.format(budget=wan(x.budget), spent=wan(x.spent),
                                 rate="" if x.rate is None else rate_text(x.rate))
                 for template, value in ((budget, x.budget), (spent, x.spent), (rate, x.rate)) if value is not None]
        return "，".join(parts) if parts else self.w["execution_missing"]

    def project_amounts(self, s: SetScore) -> str:
        """年初预算 first (what 项目支出 adds up), the adjusted budget when it differs, 执行, 执行率."""
        x = s.execution
        initial, budget, spent, rate = self.w["project_parts"]
        parts = [initial.format(initial=wan(x.initial))] if x.initial is not None else []
        if x.budget is not None and x.budget != x.initial:
            parts.append(budget.format(budget=wan(x.budget)))
        if x.spent is not None:
            parts.append(spent.format(spent=wan(x.spent)))
        if x.rate is not None:
            parts.append(rate.format(rate=rate_text(x.rate)))
        return "，".join(parts) if parts else self.w["execution_missing"]

    def scores(self, s: SetScore, card: Scorecard) -> str:
        n, missed = len(s.indicators), s.not_achieved
        return self.w["scores"].format(
            n=n, achieved=n - missed, missed=missed, points=s.indicator_points, weight=num(s.weight_total),
            execution_score=s.execution.score.score, execution_weight=num(card.profile.execution_weight),
            total=s.total, grade=s.grade)

    def missed(self, item: IndicatorScore) -> str:
        i, w = item.entry.indicator, self.w
        got = (w["missed_unscored"] if item.points is None or item.weight is None
               else w["missed_got"].format(points=item.points, weight=num(item.weight)))
        reason = w["missed_reason"].format(reason=item.reason) if item.reason else ""
        actual = w["missed_actual"] if item.actual is None else actual_text(item)
        return w["missed"].format(name=i.name, target=target_text(i), actual=actual, got=got, reason=reason)


def actual_text(item: IndicatorScore) -> str:
    """完成值 as the 自评表 prints it: 27.0 → 27, a text as entered."""
    return num(item.actual) if isinstance(item.actual, Decimal) else str(item.actual)


def target_text(i) -> str:
    """指标值 as one text: 指标性质, value and unit, each once (seed 002 prints ``≥30万件`` in one cell)."""
    t, shown = i.target, (i.target.text or "").strip()
    op = t.op_text or t.op or ""
    if op and op != "定性" and not shown.startswith(op):
        shown = op + shown
    unit = t.unit_text or t.unit or ""
    if unit and t.value is not None and not shown.endswith(unit):
        shown += unit
    return shown


def indicator_table(s: SetScore, weight: Decimal, layout: ReportLayout) -> Table:
    """部门整体支出绩效自评表: 目标值 vs 完成值, 分值, 得分 and the reason of every indicator, then 预算执行率."""
    t = layout.table
    rows: list[tuple[Cell | None, ...]] = [tuple(Cell(h, role="header") for h in t["headers"])]
    for item in s.indicators:
        i = item.entry.indicator
        rows.append((
            Cell(i.level1 or ""), Cell(i.level2 or ""), Cell(i.name), Cell(target_text(i), align="center"),
            Cell("" if item.actual is None else actual_text(item), align="center"),
            Cell("" if item.weight is None else num(item.weight), value=item.weight, role="number", align="center"),
            Cell("" if item.points is None else f"{item.points}", value=item.points, role="number", align="center"),
            Cell(item.reason or ""),
        ))
    x = s.execution
    rows.append((
        Cell(t["execution_row"], role="label", colspan=3), None, None, Cell(t["execution_target"], align="center"),
        Cell("" if x.rate is None else rate_text(x.rate), align="center"),
        Cell(num(weight), value=weight, role="number", align="center"),
        Cell(f"{x.score.score}", value=x.score.score, role="number", align="center"), Cell(x.reason or ""),
    ))
    return Table(columns=tuple(Column(w) for w in layout.table_widths), rows=tuple(rows), header_rows=1,
                 name=t["name"])


def build_selfeval_report(card: Scorecard, layout: ReportLayout | None = None, *, unit: str | None = None,
                          fills: Mapping[str, str] | None = None) -> OutputDocument:
    """The report of the department whose 部门整体 target set is in ``card`` (``unit``: which one, when the
    card holds several); its projects are the card's other sets of that unit. ``fills``: the department's
    text per place (keys ``FILL_KEYS``); a place not given prints its 【待填写：…】 marker."""
    layout = layout or load_report_layout()
    whole = department_set(card, unit)
    projects = project_sets(card, whole)
    ts, year = whole.entry.target_set, whole.entry.table.year
    org = ts.unit or whole.entry.table.org or whole.entry.label
    r = _Report(layout, fills or {})
    w, sec, sub = layout.wording, layout.sections, layout.subsections
    titles = [line.format(org=org, year=year or "") for line in layout.title]
    for line in titles:
        r.add(line, "title")
    # 一、基本情况
    r.add(sec["basic"], "heading1")
    r.add(sub["unit"].format(org=org), "heading2")
    for heading, key in zip(sub["unit_items"], FILL_KEYS[:3]):
        r.add(heading, "heading3")
        r.fill(key)
    r.add(sub["targets"].format(org=org), "heading2")
    r.add(w["goal_whole"].format(n=1, goal=plain(ts.goal).replace("\n", "") or w["goal_missing"]))
    for n, p in enumerate(projects, start=2):
        goal = plain(p.entry.target_set.goal).replace("\n", "") or w["goal_missing"]
        r.add(w["goal_project"].format(n=n, project=p.entry.label, goal=goal))
    # 二、一般公共预算支出情况
    r.add(sec["general_budget"], "heading1")
    r.add(sub["basic_spending"], "heading2")
    a, x = ts.amounts, whole.execution
    if x.initial is None:
        line = w["initial_missing"]
    else:
        line = w["initial"].format(year=year or "", initial=wan(x.initial))
        if a.basic is not None and a.project is not None:
            line += w["initial_split"].format(basic=wan(to_wan(a.basic, a.unit)), project=wan(to_wan(a.project, a.unit)))
    r.add(line + "。")
    r.add(w["execution"].format(year=year or "", execution=r.execution(whole)))
    r.add(sub["project_spending"], "heading2")
    for n, p in enumerate(projects, start=1):
        r.add(w["project_line"].format(n=n, project=p.entry.label, amounts=r.project_amounts(p)))
    listed = sum((p.execution.initial or Decimal(0) for p in projects), Decimal(0))
    if a.project is not None and to_wan(a.project, a.unit) - listed >= Decimal("0.005"):
        # projects of the approved 项目支出 without a target set in this self-evaluation
        r.add(w["project_rest"].format(n=len(projects) + 1, rest=wan(to_wan(a.project, a.unit) - listed)))
    elif not projects:
        r.add(w["no_projects"])
    # 三、四、五
    for key in ("gov_fund", "state_capital", "social_insurance"):
        r.add(sec[key], "heading1")
        r.add(w["no_fund"])
    # 六、资金使用及绩效情况
    r.add(sec["performance"], "heading1")
    r.add(sub["whole_performance"], "heading2")
    r.add(w["whole"].format(org=org, scores=r.scores(whole, card)))
    r.blocks.append(indicator_table(whole, card.profile.execution_weight, layout))
    r.fill("部门整体绩效")
    r.add(sub["project_performance"], "heading2")
    for n, p in enumerate(projects, start=1):
        r.add(f"{n}.{p.entry.label}", "heading3")
        r.add(w["project"].format(execution=r.execution(p), scores=r.scores(p, card)))
        for item in p.indicators:
            if not item.achieved:
                r.add(r.missed(item))
    if not projects:
        r.add(w["no_projects"])
    # 七 … 十
    r.add(sec["problems"], "heading1")
    missed = sum(s.not_achieved for s in (whole, *projects))
    if missed:
        r.add(w["problems"].format(n=missed))
    r.fill("存在的问题及原因分析")
    r.add(sec["measures"], "heading1")
    r.fill("下一步改进措施")
    r.add(sec["publication"], "heading1")
    r.add(w["publication"].format(year=year or "", total=whole.total, grade=whole.grade))
    r.fill("公开情况")
    r.add(sec["other"], "heading1")
    r.fill("其他需要说明的情况")
    part = Part("自评报告", tuple(r.blocks), page=layout.page, fonts=layout.fonts)
    return OutputDocument(title="".join(titles), parts=(part,), kind=KIND, layout_id=layout.layout_id)

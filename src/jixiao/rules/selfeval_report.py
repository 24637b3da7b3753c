"""The 部门整体支出绩效自评报告 narrative (DOMAIN §6 rules 29 SE-SCORE and 30 SE-REPORT, §2.6a).

Rule 29 recomputes the report's money statements (基本 = 人员 + 公用, 支出 = 基本 + 项目, Σ the
listed projects = 项目支出) and flags a 预算数 that differs from the 收入 it reports (often an
undeclared 调整预算). Rule 30 checks the Hunan outline's ten sections, the 自评得分/等级, the
indicator table (目标值 vs 完成值) and that section 九 names where the results are published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.money import fmt_wan
from jixiao.model.narrative import Section
from jixiao.model.narrative import StatedAmount
from jixiao.model.source import Location
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules.disclosure import label
from jixiao.rules.disclosure import shown
from jixiao.rules.disclosure import sum_check
from jixiao.rules.disclosure import tolerance

PROFILES = ("self-evaluation",)

# DOMAIN §2.6a: (number, canonical title, title pattern)
OUTLINE: tuple[tuple[str, str, str], ...] = (
    ("一", "基本情况", r"基本情况|基本概况"),
    ("二", "一般公共预算支出情况", r"一般公共预算"),
    ("三", "政府性基金预算支出情况", r"政府性基金"),
    ("四", "国有资本经营预算支出情况", r"国有资本"),
    ("五", "社会保险基金预算支出情况", r"社会保险基金"),
    ("六", "部门整体支出绩效情况", r"绩效情况|资金使用"),
    ("七", "存在的问题及原因分析", r"存在的?(主要)?问题"),
    ("八", "下一步改进措施", r"改进措施|整改措施|改进意见"),
    ("九", "绩效自评结果拟应用和公开情况", r"(结果|自评).*(应用|公开)"),
    ("十", "其他需要说明的情况", r"其他需要说明|其他说明"),
)
# a number starts after a non-digit: otherwise a long run of digits is searched from every digit (quadratic)
_SCORE = re.compile(r"(得分|总分|评分|分值)[为是：:]?\s*\d+(\.\d+)?\s*分|(?<![\d.])\d+(\.\d+)?\s*分[，,。；;]?\s*(等级|等次|评价等级|为)")
_GRADE = re.compile(r"(等级|等次|评价结果|自评结果|评定|评价)\s*(为|是|：|:|评定为)?\s*[“\"「]?(优秀|良好|优|良|中|差)[”\"」]?(?![化势质])")
_INDICATORS = re.compile(r"(目标值|指标值|年度指标).{0,40}(完成值|实际完成|完成情况)|自评表")
_CHANNEL = re.compile(r"网站|门户|专栏|公开栏|公示|平台|公众号|官网|信息公开|政务公开|报刊|公告")

_MONEY = ("万元", "元")


def _is_report(doc: Document) -> bool:
    if doc.kind != "self_evaluation_report":
        return False
    text = " ".join(s.title + s.text for s in doc.sections)
    return "自评" in text or "绩效评价" in text or sum(bool(_find(doc, p)) for _, _, p in OUTLINE) >= 5


def _find(doc: Document, pattern: str) -> Section | None:
    """The section whose title matches ``pattern``, top-level sections first."""
    for s in sorted(doc.sections, key=lambda s: s.level):
        if re.search(pattern, label(s.title)):
            return s
    return None


def _subject(doc: Document) -> str:
    return f"{doc.org}自评报告" if doc.org else "自评报告"


@rule("selfeval.report-outline",
      codes=("report-section-missing", "report-score-missing", "report-indicator-table-missing", "report-channel-missing"),
      family="self-evaluation", profiles=PROFILES)
def check_report_outline(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 30 SE-REPORT (§2.6a, Hunan outline; seed 003): the ten sections 基本情况 … 其他需要说明的
    情况 are present (warnings: the official template is not public); the report gives a 自评得分 and
    等级 and the indicator table (目标值 vs 完成值); section 九 names the publication channel."""
    if not _is_report(doc):
        return
    where, subject = Location(doc.source), _subject(doc)
    for number, title, pattern in OUTLINE:
        if not _find(doc, pattern):
            yield make("report-section-missing", where, subject=subject, number=number, title=title,
                       expected=f"{number}、{title}", actual="缺失")
    text = "\n".join(s.title + "\n" + s.text for s in doc.sections)
    missing = [what for what, rx in (("自评得分", _SCORE), ("评价等级", _GRADE)) if not rx.search(text)]
    if missing:
        yield make("report-score-missing", where, subject=subject, what="和".join(missing), expected="和".join(missing),
                   actual="未给出")
    if not doc.tables and not _INDICATORS.search(text):
        yield make("report-indicator-table-missing", where, subject=subject, expected="部门整体支出绩效自评表",
                   actual="缺失")
    publish = _find(doc, OUTLINE[8][2])
    if publish and not _CHANNEL.search(publish.title + publish.text):
        yield make("report-channel-missing", publish.location, subject=subject, expected="公开渠道",
                   actual="未说明", source_text=publish.title)


# ---------------------------------------------------------------- rule 29


def _first(amounts: list[StatedAmount], pattern: str, exclude: str | None = None) -> StatedAmount | None:
    for a in amounts:
        name = label(a.label)
        if re.search(pattern, name) and not (exclude and re.search(exclude, name)):
            return a
    return None


def _span(doc: Document, section: Section) -> tuple[int, int]:
    """Lines [start, end) of a section: up to the next section of the same or a higher level."""
    start = section.location.line or 0
    later = [s.location.line or 0 for s in doc.sections if (s.location.line or 0) > start and s.level <= section.level]
    return start, min(later, default=10**9)


def _wan(a: StatedAmount) -> Decimal:
    return a.value / 10000 if a.unit == "元" else a.value


def _project_items(doc: Document, amounts: list[StatedAmount], within: tuple[int, int] | None = None) -> list[StatedAmount]:
    """The projects listed under the 项目支出情况 heading (of section 二 when ``within`` is its span; not
    the heading of section 一 that names 其他项目支出绩效目标): the first amount of each line — what
    follows it in the line (执行 after 预算, a breakdown) is about that project, not another one."""
    low, high = within or (0, 10**9)
    heading = next((s for s in doc.sections if s.level > 1 and re.search(r"项目支出", label(s.title))
                    and low <= (s.location.line or 0) < high), None)
    if heading is None:
        return []
    start, end = _span(doc, heading)
    items: dict[object, StatedAmount] = {}
    for a in amounts:
        if start <= (a.location.line or 0) < end and label(a.label) != "项目支出":
            items.setdefault(a.paragraph if a.paragraph is not None else a.location.line, a)
    return list(items.values())


@rule("selfeval.report-amounts", codes=("amount-sum-mismatch", "report-budget-differs"),
      family="self-evaluation", profiles=PROFILES)
def check_report_amounts(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 29 SE-SCORE, narrative part (§2.6a 二): 基本支出 = 人员经费 + 公用经费, 支出 = 基本 +
    项目, Σ the projects listed under 项目支出 = 项目支出; a 预算数 that differs from the 财政拨款收入
    stated beside it is a warning (年初预算 vs 调整后预算, §2.3)."""
    if not _is_report(doc):
        return
    amounts = [a for a in doc.amounts if a.unit in _MONEY and a.change is None]
    general = _find(doc, OUTLINE[1][2])
    span = None
    if general is not None:  # section 二 一般公共预算支出情况 when present
        span = start, end = _span(doc, general)
        amounts = [a for a in amounts if start <= (a.location.line or 0) < end] or amounts
    subject = _subject(doc)
    people, public = _first(amounts, r"人员经费$"), _first(amounts, r"公用经费$")
    basic, project = _first(amounts, r"^基本支出$"), _first(amounts, r"^项目支出$")
    spending = _first(amounts, r"支出(总额|合计)?$", exclude=r"基本|项目|人员|公用")
    found: list[Finding | None] = []
    if basic and people and public:
        found.append(sum_check(ctx, basic.location, f"{subject}/基本支出", "基本支出（人员经费 + 公用经费）",
                               _wan(basic), [_wan(people), _wan(public)], source_text=basic.context or None))
    if spending and basic and project:
        found.append(sum_check(ctx, spending.location, f"{subject}/{shown(spending.label)}",
                               f"{shown(spending.label)}（基本支出 + 项目支出）", _wan(spending), [_wan(basic), _wan(project)],
                               source_text=spending.context or None))
    items = _project_items(doc, amounts, span)
    if project and items:
        found.append(sum_check(ctx, project.location, f"{subject}/项目支出", f"项目支出（所列 {len(items)} 个项目之和）",
                               _wan(project), [_wan(a) for a in items], source_text=project.context or None))
    budget = _first(amounts, r"预算(资金|数|金额)$|年初预算", exclude=r"支出|收入")
    income = _first(amounts, r"收入$")
    if budget and income:
        difference = abs(_wan(budget) - _wan(income))
        if difference > tolerance(ctx, "table", [_wan(budget), _wan(income)]):
            found.append(make("report-budget-differs", budget.location, subject=f"{subject}/{shown(budget.label)}",
                              what=shown(budget.label), other=shown(income.label), expected=fmt_wan(_wan(budget)),
                              actual=fmt_wan(_wan(income)), difference=fmt_wan(difference),
                              source_text=budget.context or None))
    yield from (f for f in found if f)

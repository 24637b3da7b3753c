"""Target-content rules, DOMAIN §6 family B (rules 8–15): how targets are worded and valued.

Quantification, vague wording, values contradicting their own explanation, satisfaction,
process indicators, copy-pasted indicators, template residue and typos. Pure functions of
the parsed TargetTables; every finding points at the indicator row (or the set's header).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import ValueKind
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules._targets_common import canon
from jixiao.rules._targets_common import clean
from jixiao.rules._targets_common import ind_subject
from jixiao.rules._targets_common import is_qualitative
from jixiao.rules._targets_common import levels
from jixiao.rules._targets_common import real
from jixiao.rules._targets_common import set_label
from jixiao.rules._targets_common import short
from jixiao.rules._targets_common import target_tables
from jixiao.rules._targets_common import texts
from jixiao.rules._targets_common import value_display

_SHARE_LIMIT = Decimal("0.30")
_MIN_INDICATORS = 3  # a share over one or two indicators says nothing the coverage rule does not


@rule("targets.quantification", codes=("qualitative-share", "quantity-qualitative"), family="targets", profiles=("targets",))
def check_quantification(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 8 IND-QUANT-SHARE (W); §1.4.

    At most 30 % of a target set's 三级 (sets of ≥ 3) may be qualitative
    (``ctx.options["max_qualitative_share"]``), and a 数量指标 must be a number (a number typed 定性 is
    rule 5's). Source: 财预〔2015〕88号 "尽量进行定量表述".
    """
    limit = Decimal(str(ctx.options.get("max_qualitative_share", _SHARE_LIMIT)))
    for table in target_tables(doc):
        for ts in table.target_sets:
            inds = real(ts)
            qual = [i for i in inds if is_qualitative(i)]
            if len(inds) >= _MIN_INDICATORS and Decimal(len(qual)) / Decimal(len(inds)) > limit:
                share = f"{Decimal(len(qual)) * 100 / Decimal(len(inds)):.0f}%"
                yield make("qualitative-share", ts.location, subject=set_label(table, ts), count=len(qual),
                           total=len(inds), share=share, limit=f"{limit * 100:.0f}%", actual=share)
            for ind in inds:
                if levels(ind).level2 == "数量" and ind.target.kind is ValueKind.QUALITATIVE:
                    yield make("quantity-qualitative", ind.location, subject=ind_subject(table, ts, ind),
                               value=short(ind.target.text), actual=short(ind.target.text))


VAGUE = ("提升", "显著提升", "较好完成", "持续推进", "正常办理", "不定期", "美观", "可持续", "有效", "良好")
# A grading scale: points per grade (得满分/不得分/得3分/扣1分) or named grades.
_GRADED = re.compile(
    r"满分|不得分|不计分|[得扣计减加]\s*\d+(?:\.\d+)?\s*分|\d+(?:\.\d+)?\s*分|部分达成|未达成|优[、/]良|良[、/]中|[一二三四]档|等次"
)


def _vague_term(value: str, terms: tuple[str, ...]) -> str | None:
    v = clean(value)
    for term in terms:
        if v == term or (term == "不定期" and v.startswith(term)):
            return term
    if len(v) <= 8:
        for term in terms:
            if term in v:
                return term
    return None


@rule("targets.vague", codes=("vague-target",), family="targets", profiles=("targets",))
def check_vague(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 9 IND-VAGUE (W); §1.4.

    A qualitative target worded vaguely (提升, 较好完成, 不定期…; ``ctx.options["vague_terms"]``)
    needs a grading scale (points per grade, 达成/部分达成/未达成, 优/良/中/差) in its 指标解释 or
    评（扣）分标准. Source: 财预〔2015〕88号 "定性的分级分档形式表述，但应具有可衡量性".
    """
    terms = tuple(ctx.options.get("vague_terms", VAGUE))
    for table in target_tables(doc):
        for ts in table.target_sets:
            for ind in real(ts):
                if ind.target.kind is not ValueKind.QUALITATIVE:
                    continue
                term = _vague_term(ind.target.text, terms)
                if term is None:
                    continue
                if _GRADED.search(ind.scoring or "") or _GRADED.search(ind.explanation or ""):
                    continue
                yield make("vague-target", ind.location, subject=ind_subject(table, ts, ind),
                           value=short(ind.target.text), actual=short(ind.target.text))


_GE_WORDS = "不得低于|不得少于|不低于|不少于|不小于|大于等于|大于或等于|高于|超过|达到|达|≥|≧|＞|>"
_LE_WORDS = "不得超过|不得高于|不高于|不超过|不大于|小于等于|小于或等于|低于|少于|控制在|≤|≦|＜|<"
_UNIT = r"(%|％|万人次|万件|万元|人次|件|个月|个|次|场|项|篇|家|户|人|天|份|元)?"
_BEFORE = re.compile(rf"({_GE_WORDS}|{_LE_WORDS})\s*(\d+(?:\.\d+)?)\s*{_UNIT}")
_AFTER = re.compile(rf"(\d+(?:\.\d+)?)\s*{_UNIT}\s*(及以上|或以上|以上|及以下|或以下|以下|以内)")
# Numbers that are not the annual level: per period (每月不低于1场) or a change (较上年增长不低于10%).
_NOT_LEVEL = re.compile(
    r"(?:(?:每|日均|月均|周均|人均|单次|单个|单项)[\u4e00-\u9fa5]{0,8}"
    r"|(?:增长|增加|提高|提升|下降|减少|降低|同比|较上年|比上年)[\u4e00-\u9fa5]{0,3})$"
)
_UNIT_CANON = {"％": "%", "率": "%", "百分比": "%", "百分率": "%"}


def _norm_unit(unit: str | None) -> str:
    u = clean(unit)
    return _UNIT_CANON.get(u, u)


def _stated(text: str) -> Iterator[tuple[str, Decimal, str, str]]:
    """``(direction, number, unit, quote)`` for each number the text states with a comparison word."""
    for m in _BEFORE.finditer(text):
        if m.group(3) and not _NOT_LEVEL.search(text[: m.start()]):
            word = m.group(1)
            direction = "≥" if re.fullmatch(_GE_WORDS, word) else "≤"
            yield direction, Decimal(m.group(2)), _norm_unit(m.group(3)), m.group(0)
    for m in _AFTER.finditer(text):
        if m.group(2) and not _NOT_LEVEL.search(text[: m.start()]):
            direction = "≥" if "上" in m.group(3) else "≤"
            yield direction, Decimal(m.group(1)), _norm_unit(m.group(2)), m.group(0)


def explanation_mismatch(ind: Indicator) -> tuple[str, str] | None:
    """``(quote, expected)`` when the explanation states another number or direction than the value."""
    t = ind.target
    if t.kind is not ValueKind.QUANTITATIVE or t.value is None or not ind.explanation:
        return None
    unit = _norm_unit(t.unit) or _norm_unit(t.unit_text) or ("%" if "%" in (t.text or "") else "")
    stated = [s for s in _stated(ind.explanation) if s[2] == unit]
    if not stated:
        return None
    same = [s for s in stated if s[1] == t.value]
    if not same:
        direction, number, u, quote = stated[0]
        return quote, f"按解释指标值应为 {direction}{number}{u}"
    op = t.op or ""
    for direction, number, u, quote in same:
        if (direction == "≥" and op in ("≤", "<")) or (direction == "≤" and op in ("≥", ">")):
            return quote, f"按解释比较方向应为 {direction}{number}{u}"
    return None


@rule("targets.explanation", codes=("value-explanation-mismatch",), family="targets", profiles=("targets",))
def check_explanation(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 10 IND-EXPL-CONSISTENT (E).

    A number that the indicator's own 指标解释 / 指标值内容 states with a comparison word
    (不低于95%, 达到10万件以上, 95%以上) and the same unit must equal the 指标值, in the same
    direction. Numbers per period (每月不低于1场) or of a change (较上年增长不低于10%) are not the
    annual level and are skipped.
    """
    for table in target_tables(doc):
        for ts in table.target_sets:
            for ind in real(ts):
                found = explanation_mismatch(ind)
                if found:
                    quote, expected = found
                    yield make("value-explanation-mismatch", ind.location, subject=ind_subject(table, ts, ind),
                               quote=quote, expected=expected, actual=value_display(ind))


_AWARD = re.compile(r"奖励|表彰|批示|获奖|荣誉|通报表扬")
_PERCENT_UNITS = ("%", "百分比")


@rule("targets.satisfaction", codes=("satisfaction-invalid",), family="targets", profiles=("targets",))
def check_satisfaction(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 11 IND-SAT (W).

    A 满意度 三级 is a share of satisfied respondents: type ≥ (or ＞), unit %, 0–100. Awards,
    批示 and counts are not satisfaction. Missing or non-standard units are rules 3 and 7.
    """
    for table in target_tables(doc):
        for ts in table.target_sets:
            for ind in real(ts):
                if levels(ind).level1 != "满意度":
                    continue
                problem = _satisfaction_problem(ind)
                if problem:
                    yield make("satisfaction-invalid", ind.location, subject=ind_subject(table, ts, ind),
                               problem=problem, actual=value_display(ind), expected="≥ N%")


def _satisfaction_problem(ind: Indicator) -> str | None:
    from jixiao.rules.target_structure import UNITS

    t = ind.target
    unit = clean(t.unit) or clean(t.unit_text)
    name = clean(ind.name)
    if _AWARD.search(name) or (unit in UNITS and unit not in _PERCENT_UNITS and unit != "%"):
        return f"“{name}”（{value_display(ind)}）是获奖或计数指标，不是满意度；满意度指标应为 ≥ N%"
    if is_qualitative(ind):
        return f"满意度指标应量化为 ≥ N%，实为定性“{short(t.text)}”"
    if t.op in ("≤", "<"):
        return f"满意度指标类型应为 ≥，实为“{t.op}”"
    return None


_PROCESS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(资金|经费|费用)\S*到位率"), "资金到位率（资金管理）"),
    (re.compile(r"(预算|资金|支出)执行(率|进度)"), "预算执行率（资金管理）"),
    (re.compile(r"支付进度"), "支付进度（预算执行）"),
    (re.compile(r"三公经费\S*(减少|下降|变动|控制|压减|降低)率"), "“三公”经费变动率（预算管理）"),
    (re.compile(r"结转结余(变动)?率|预算调整率|公用经费控制率|政府采购执行率"), "预算管理指标"),
    (re.compile(r"资金使用合规性|管理制度健全性|制度执行有效性"), "资金管理和组织实施指标"),
)


@rule("targets.process", codes=("process-as-output",), family="targets", profiles=("targets",))
def check_process(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 12 IND-PROCESS-AS-OUTPUT (W); §1.2.

    资金到位率, 预算执行率, 支付进度, "三公"经费减少率 … are 过程 indicators of the evaluation
    framework (财预〔2020〕10号 附件1, 财预〔2013〕53号 附件2), not 产出/效益/成本 targets.
    """
    for table in target_tables(doc):
        for ts in table.target_sets:
            for ind in real(ts):
                name = clean(ind.name)
                for pattern, kind in _PROCESS:
                    if pattern.search(name):
                        yield make("process-as-output", ind.location, subject=ind_subject(table, ts, ind),
                                   name=name, kind=kind, level="项目或部门的产出、效益")
                        break


_MIN_DUPLICATES = 3


@rule("targets.duplicate", codes=("indicator-duplicate",), family="targets", profiles=("targets",))
def check_duplicate(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 13 IND-DUPLICATE (W).

    The same normalised 三级 name with the same value in ≥ 3 projects of one unit suggests
    copy-pasted targets. 满意度 and 成本 rows are left out: they are uniform by design (one
    standard satisfaction target, cost = the project's own budget).
    """
    groups: dict[tuple, list] = defaultdict(list)
    for table in target_tables(doc):
        if table.kind == "department_targets":
            continue
        for ts in table.target_sets:
            unit = ts.unit_code or clean(ts.unit) or clean(table.org)
            for ind in real(ts):
                if levels(ind).level1 in ("满意度", "成本"):
                    continue
                key = (unit, canon(ind.name), value_display(ind))
                groups[key].append((table, ts, ind))
    for (_, _, value), rows in groups.items():
        projects = list(dict.fromkeys(clean(ts.project) for _, ts, _ in rows))
        if len(projects) >= _MIN_DUPLICATES:
            table, ts, ind = rows[0]
            yield make("indicator-duplicate", ind.location, subject=ind_subject(table, ts, ind), name=clean(ind.name),
                       value=value, count=len(projects), projects="、".join(projects))


_RESIDUE = re.compile(
    r"(?<![A-Za-z])(?:XXX|XX|xxx|xx)(?![A-Za-z])|××+|＊＊+|\*\*+|待填写|请填写|待补充|此处填写"
    r"|[（(]分级填报[）)]|[（(][待略][）)]|\[[待略]\]|\{[^{}\s]{1,8}\}"
)


@rule("targets.residue", codes=("template-residue",), family="targets", profiles=("targets",))
def check_residue(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 14 TXT-PLACEHOLDER (E).

    Template placeholders left in any text of a target set: XX, ××, **, 待填写, 请填写,
    （分级填报）, {单位} … Source: GovBudgetChecker budget_v3_3_draft placeholders (BUD-007).
    """
    for table in target_tables(doc):
        for ts in table.target_sets:
            seen: set[tuple] = set()
            for subject, field_name, text, location in texts(table, ts):
                for m in _RESIDUE.finditer(text):
                    key = (subject, field_name, m.group(0))
                    if key not in seen:
                        seen.add(key)
                        yield make("template-residue", location, subject=subject, field=field_name,
                                   text=m.group(0), actual=m.group(0), source_text=text)


# a doubled word of at most 20 characters: unbounded, the backreference makes a long run of
# Chinese text quadratic (a cell of a million characters took minutes)
_REPEATED = re.compile(r"([\u4e00-\u9fa5]{2,20})\1")
_TYPOS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"不登封"), "不得分"),
    (re.compile(r"提很(?=[\u4e00-\u9fa5])(?![多少大好快难])"), "提高"),
    (re.compile(r"(?<=%)一下"), "以下"),
)


@rule("targets.typos", codes=("repeated-text", "text-typo"), family="targets", profiles=("targets",))
def check_typos(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 15 TXT-TYPO (I).

    Doubled words ``([\\u4e00-\\u9fa5]{2,})\\1`` (高效高效, 经费经费; GovBudgetChecker R003) and a
    short list of unambiguous slips (不登封 → 不得分, 提很 → 提高, 90%一下 → 以下).
    """
    for table in target_tables(doc):
        for ts in table.target_sets:
            seen: set[tuple] = set()
            for subject, field_name, text, location in texts(table, ts):
                for m in _REPEATED.finditer(text):
                    key = ("r", subject, field_name, m.group(0))
                    if key not in seen:
                        seen.add(key)
                        yield make("repeated-text", location, subject=subject, field=field_name, text=m.group(0),
                                   suggestion=m.group(1), actual=m.group(0), expected=m.group(1))
                for pattern, suggestion in _TYPOS:
                    for m in pattern.finditer(text):
                        key = ("t", subject, field_name, m.group(0))
                        if key not in seen:
                            seen.add(key)
                            yield make("text-typo", location, subject=subject, field=field_name, text=m.group(0),
                                       suggestion=suggestion, actual=m.group(0), expected=suggestion)

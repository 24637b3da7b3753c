"""Target-table structure rules, DOMAIN §6 family A (rules 1–7).

Each rule reads parsed TargetTables only and reports against the indicator row's Location.
Placeholder rows (template categories left empty) are never reported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import ValueKind
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules._targets_common import clean
from jixiao.rules._targets_common import counts
from jixiao.rules._targets_common import ind_subject
from jixiao.rules._targets_common import is_na
from jixiao.rules._targets_common import is_placeholder_like
from jixiao.rules._targets_common import levels
from jixiao.rules._targets_common import real
from jixiao.rules._targets_common import set_label
from jixiao.rules._targets_common import short
from jixiao.rules._targets_common import target_tables

_SATISFACTION_WORD = re.compile(r"(满意度|满意率)$")  # "满意度调查次数" is a count, not a satisfaction


def _rows(doc: Document) -> Iterator[tuple[TargetTable, TargetSet, Indicator]]:
    for table in target_tables(doc):
        for ts in table.target_sets:
            for ind in ts.indicators:
                yield table, ts, ind


@rule("targets.level-map", codes=("category-misplaced", "indicator-level-missing"), family="targets", profiles=("targets",))
def check_level_map(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 1 IND-LEVEL-MAP (E; keyword hints W).

    Every 二级 must sit under an 一级 that allows it (§1.1 a, with the pre-2021 alias 产出/成本 and
    社会公众或服务对象满意度 read as 满意度); every 三级 needs a 二级. A 三级 whose name ends in 满意度/满意率
    outside 服务对象满意度 is flagged as a warning. Source: 财预〔2021〕101号, 财预〔2015〕88号.
    """
    for table, ts, ind in _rows(doc):
        if not counts(ind):
            continue
        lv = levels(ind)
        subject = ind_subject(table, ts, ind)
        if lv.problem:
            yield make("category-misplaced", ind.location, subject=subject, problem=lv.problem, severity=Severity.ERROR)
        elif lv.level1 is None or lv.level2 is None:
            missing = "一级指标和二级指标" if lv.level1 is None and lv.level2 is None else (
                "一级指标" if lv.level1 is None else "二级指标")
            yield make("indicator-level-missing", ind.location, subject=subject, level=missing)
        elif lv.level2 not in ("服务对象满意度", "其他满意度") and _SATISFACTION_WORD.search(clean(ind.name)):
            yield make(
                "category-misplaced", ind.location, subject=subject,
                expected="满意度指标/服务对象满意度指标", actual=f"{lv.level1}指标/{lv.level2}指标",
                problem=f"“{clean(ind.name)}”是满意度指标，应放在满意度指标/服务对象满意度指标下",
            )


@rule("targets.coverage", codes=("indicator-missing-category",), family="targets", profiles=("targets",))
def check_coverage(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 2 IND-COVERAGE (E; W for 质量/时效).

    Each target set needs ≥ 1 三级 under 产出 (数量 required, E; ≥ 1 of 质量/时效, W), under 效益
    (any of its four 二级) and under 满意度. Placeholder rows do not count. The 成本 requirement of
    2021+ templates is rule 16 (target_cost). Source: 财预〔2015〕88号; DOMAIN §1.1.
    """
    for table in target_tables(doc):
        for ts in table.target_sets:
            present = {(lv.level1, lv.level2) for lv in (levels(i) for i in real(ts))}
            if not present:
                continue  # a set without any indicator is reported once, as its own problem, below
            l1s = {l1 for l1, _ in present}
            l2s = {l2 for _, l2 in present}
            label = set_label(table, ts)
            missing = [f"{l1}指标" for l1 in ("产出", "效益", "满意度") if l1 not in l1s]
            if missing:
                yield make("indicator-missing-category", ts.location, subject=label, category="、".join(missing),
                           requirement="产出、效益、满意度指标均须设置")
            if "产出" in l1s:
                if "数量" not in l2s:
                    yield make("indicator-missing-category", ts.location, subject=label,
                               category="产出指标/数量指标", requirement="数量指标必设")
                if not {"质量", "时效"} & l2s:
                    yield make("indicator-missing-category", ts.location, subject=label,
                               category="产出指标/质量指标、时效指标", requirement="质量、时效指标至少设一项",
                               severity=Severity.WARNING)
        yield from _empty_sets(table)


def _empty_sets(table: TargetTable) -> Iterator[Finding]:
    for ts in table.target_sets:
        if not real(ts):
            yield make("indicator-missing-category", ts.location, subject=set_label(table, ts),
                       category="绩效指标", requirement="本目标集未设任何三级指标")


_NAME_LIMIT = 100


@rule("targets.fields", codes=("indicator-field-missing", "indicator-name-too-long"), family="targets", profiles=("targets",))
def check_fields(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 3 IND-FIELDS (E).

    A 三级 needs a name (≤ 100 chars), a value, a type (when the layout has a type column) and a
    unit unless the type is 定性/定量（其他）/不适用; 定量（其他）needs 指标值说明. Template
    placeholder rows are not indicators and are skipped. Source: pmkpi 指标库 required fields.
    """
    for table in target_tables(doc):
        has_type_column = any(clean(i.target.op_text) for ts in table.target_sets for i in ts.indicators)
        for ts in table.target_sets:
            rows = [i for i in ts.indicators if not is_placeholder_like(i)]
            untyped = [i for i in rows if has_type_column and _untyped(i)]
            whole = len(untyped) > 1 and len(untyped) == len([i for i in rows if counts(i)])
            if whole:
                yield make("indicator-field-missing", ts.location, subject=set_label(table, ts),
                           field=f"指标值类型（全部 {len(untyped)} 个三级指标的指标值类型一栏均为空）")
            for ind in rows:
                yield from _fields(table, ts, ind, has_type_column and not whole)


def _untyped(ind: Indicator) -> bool:
    return counts(ind) and is_na(ind.target.op_text)


def _fields(table: TargetTable, ts: TargetSet, ind: Indicator, has_type_column: bool) -> Iterator[Finding]:
    subject = ind_subject(table, ts, ind)
    t = ind.target
    if is_na(ind.name):
        yield make("indicator-field-missing", ind.location, subject=subject, field="三级指标名称")
    elif len(clean(ind.name)) > _NAME_LIMIT:
        yield make("indicator-name-too-long", ind.location, subject=subject,
                   length=len(clean(ind.name)), limit=_NAME_LIMIT)
    if t.kind is ValueKind.EMPTY or is_na(t.text):
        yield make("indicator-field-missing", ind.location, subject=subject, field="指标值")
        return
    op_text = clean(t.op_text)
    if has_type_column and is_na(op_text):
        yield make("indicator-field-missing", ind.location, subject=subject, field="指标值类型")
    if op_text.startswith("定量") and "其他" in op_text and is_na(ind.explanation):
        yield make("indicator-field-missing", ind.location, subject=subject, field="指标值说明（定量（其他）必填）")
    if t.kind is ValueKind.QUANTITATIVE and t.op != "定性" and is_na(t.unit) and is_na(t.unit_text):
        if not (op_text.startswith("定量") and "其他" in op_text) and op_text != "不适用":
            yield make("indicator-field-missing", ind.location, subject=subject, field="计量单位")


_OP_CANON = {
    "≥": "≥", "≧": "≥", ">=": "≥", "＞＝": "≥", "大于等于": "≥", "大于或等于": "≥", "不低于": "≥", "不少于": "≥",
    "＞": ">", ">": ">", "大于": ">", "高于": ">",
    "＝": "=", "=": "=", "等于": "=",
    "＜": "<", "<": "<", "小于": "<", "低于": "<",
    "≤": "≤", "≦": "≤", "<=": "≤", "＜＝": "≤", "小于等于": "≤", "小于或等于": "≤", "不高于": "≤", "不超过": "≤",
    "定性": "定性", "定量（其他）": "其他", "定量(其他)": "其他", "不适用": "其他",
}
_MONEY_OR_PERCENT = ("%", "万元", "元")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?%?$")


@rule("targets.type-value", codes=("value-type-mismatch",), family="targets", profiles=("targets",))
def check_type_value(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rules 4 IND-TYPE-ENUM and 5 IND-TYPE-VALUE (E); §1.3.

    The printed type must be one of ≥ ＞ ＝ ＜ ≤ 定性 after normalisation (a bare 定量 is not a
    type); ≥ ＞ ＝ ＜ ≤ need a number (a date only with ≤/＝); 定性 needs a non-numeric value and
    takes no % or 万元 unit; a % value cannot exceed 100. Source: pmkpi 计算符号 enum.
    """
    for table, ts, ind in _rows(doc):
        if not counts(ind):
            continue
        problem = _type_problem(ind)
        if problem:
            t = ind.target
            yield make("value-type-mismatch", ind.location, subject=ind_subject(table, ts, ind), problem=problem,
                       op=clean(t.op_text) or (t.op or ""), value=short(t.text), unit=clean(t.unit_text) or (t.unit or ""))


def _type_problem(ind: Indicator) -> str | None:
    t = ind.target
    op_text = clean(t.op_text)
    if op_text and not is_na(op_text) and op_text not in _OP_CANON and t.op is None:
        if op_text.startswith("定量"):
            return "“定量”不是有效的指标值类型，应写明比较符号 ≥ ＞ ＝ ＜ ≤"
        return f"“{op_text}”不是有效的指标值类型（应为 ≥ ＞ ＝ ＜ ≤ 或 定性）"
    unit = clean(t.unit) or clean(t.unit_text)
    if t.op == "定性":
        if t.kind is ValueKind.QUANTITATIVE or _NUMBER.match(clean(t.text)):
            return "定性指标填了数值，应改为定量类型（≥ ＞ ＝ ＜ ≤）或改写为分级的定性描述"
        if unit in _MONEY_OR_PERCENT:
            return f"定性指标不应使用计量单位“{unit}”"
        return None
    if t.op in ("≥", ">", "=", "<", "≤"):
        if t.kind is ValueKind.QUALITATIVE:
            return f"比较符号“{t.op}”要求数值，指标值却是文字描述"
        if t.kind is ValueKind.DATE and t.op in ("≥", ">"):
            return f"时间节点目标应使用 ≤ 或 ＝，不能用“{t.op}”"
    if t.kind is ValueKind.QUANTITATIVE and unit == "%" and t.value is not None and t.value > Decimal(100):
        return f"百分比指标值 {t.value} 超过 100"
    return None


_MULTI = re.compile(r"[；;]|\n")
_VALUE_START = re.compile(r"^\s*(?:[≥≧≤≦＞＜>=<＝]|不低于|不少于|不高于|不超过|\d)")


@rule("targets.value-cell", codes=("value-cell-multiple",), family="targets", profiles=("targets",))
def check_value_cell(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 6 IND-VALUE-CELL (W).

    One target per cell: a value cell holding two targets separated by ；(``≥90%；满意以上``), or a
    三级 name joining two indicators with ；(``企业公众满意度；回访和考评``), is to be split.
    Source: pmkpi (one 指标值 per 三级).
    """
    for table, ts, ind in _rows(doc):
        if not counts(ind):
            continue
        subject = ind_subject(table, ts, ind)
        text = (ind.target.text or "").strip().strip("；;")
        parts = [p for p in _MULTI.split(text) if clean(p)]
        if len(parts) >= 2 and _VALUE_START.match(parts[0]):
            yield make("value-cell-multiple", ind.location, subject=subject, cell="指标值", text=clean(text))
            continue
        name_parts = [p for p in re.split(r"[；;]", ind.name or "") if clean(p)]
        if len(name_parts) >= 2:
            yield make("value-cell-multiple", ind.location, subject=subject, cell="三级指标名称", text=clean(ind.name))


UNITS = frozenset({
    "%", "‰", "个", "次", "件", "万件", "人", "人次", "万人次", "户", "家", "项", "篇", "场", "期", "份", "本", "套", "台",
    "辆", "座", "处", "条", "批", "类", "名", "元", "万元", "亿元", "元/人", "元/次", "天", "日", "工作日", "小时", "分钟",
    "月", "年", "季度", "周", "平方米", "万平方米", "公里", "千米", "米", "亩", "吨", "分", "起", "宗", "单", "部",
    "门", "所", "张", "册", "期次", "个月", "年度", "万条", "条次", "件次", "万", "GB", "TB", "人/次", "万人", "栋",
})
_UNIT_COST = re.compile(r"(万|千|亿)?元/[\u4e00-\u9fff]{1,2}")  # 20万元/场, 1000元/人天: a unit cost
_RATE_NAME = re.compile(r"(?<!效)(?<!频)率$|满意度$")


@rule("targets.unit", codes=("unit-invalid",), family="targets", profiles=("targets",))
def check_unit(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 7 IND-UNIT (W).

    Units come from a controlled list (百分比 → %); a quantitative …率 / …满意度 indicator is
    measured in %. Missing units are rule 3's. Source: pmkpi 度量单位 list.
    """
    for table, ts, ind in _rows(doc):
        if not counts(ind) or ind.target.kind is not ValueKind.QUANTITATIVE or ind.target.op == "定性":
            continue
        unit = clean(ind.target.unit) or clean(ind.target.unit_text)
        if is_na(unit):
            continue
        subject = ind_subject(table, ts, ind)
        name = clean(ind.name)
        in_list = unit in UNITS or unit.replace("百分比", "%") in UNITS or bool(_UNIT_COST.fullmatch(unit))
        if levels(ind).level1 == "满意度" and in_list:
            continue  # counts under 满意度 are rule 11's (satisfaction-invalid)
        if _RATE_NAME.search(name) and unit not in ("%", "‰"):
            yield make("unit-invalid", ind.location, subject=subject, unit=unit, expected="%", actual=unit,
                       problem=f"不适用于比率指标“{name}”，应为 %")
        elif not in_list:
            yield make("unit-invalid", ind.location, subject=subject, unit=unit, actual=unit,
                       problem="不是规范的计量单位（如 %、个、次、件、人次、万元、天、平方米）")

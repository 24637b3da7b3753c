"""Shared helpers of the target-table rules (DOMAIN §1.1, §6 A–D).

Level-name canonicalisation (strip 指标, 社会公众或服务对象满意度 → 满意度, the pre-2021 alias
产出/成本 → 成本/经济成本), which rows count as indicators, subjects for findings and
money tolerances derived from printed precision. Pure functions over the model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.document import MONITORING_KINDS
from jixiao.model.document import Document
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import Placeholder
from jixiao.model.indicator import ValueKind
from jixiao.model.levels import PARENT
from jixiao.model.levels import SATISFACTION_NAMES
from jixiao.model.levels import TREE
from jixiao.model.levels import canon
from jixiao.model.levels import clean
from jixiao.model.money import fmt_wan
from jixiao.model.money import tolerance_for
from jixiao.model.source import Location
from jixiao.model.targets import AMOUNT_LABELS
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable

# Cells that mean "nothing here" (DOMAIN §6 rule 6: "*", "_", "-" are not values).
NA_TEXTS = frozenset({"", "/", "／", "-", "－", "—", "——", "无", "不适用", "*", "＊", "_", "…", "……"})

def is_na(text: str | None) -> bool:
    return clean(text) in NA_TEXTS


@dataclass(frozen=True, slots=True)
class Levels:
    """Canonical 一级/二级 of a row; ``problem`` says why the printed pair is not in the tree."""

    level1: str | None
    level2: str | None
    alias: bool = False  # pre-2021 产出/成本
    problem: str | None = None


def resolve(level1: str | None, level2: str | None) -> Levels:
    """Map printed 一级/二级 names onto the canonical tree (§1.1 a, with the (b) aliases)."""
    c1, c2 = canon(level1), canon(level2)
    if c1 in SATISFACTION_NAMES:
        c1 = "满意度"
    if c2 in SATISFACTION_NAMES:
        # Pre-2021 layouts print the 满意度 一级 in the 二级 column under a carried 效益.
        if c1 in (None, "满意度", "效益"):
            return Levels("满意度", "服务对象满意度")
        return Levels(c1, "服务对象满意度", problem=f"满意度指标不能放在“{level1}”下")
    if c2 == "成本" or (c2 in TREE["成本"] and c1 == "产出"):
        if c1 in (None, "产出"):
            return Levels("成本", "经济成本" if c2 == "成本" else c2, alias=True)
        if c1 == "成本":
            return Levels("成本", "经济成本")
        return Levels(c1, c2, problem=f"成本指标不能放在“{level1}”下")
    if c1 not in TREE and c1 in PARENT and c2 is None:
        c1, c2 = None, c1  # a 二级 name printed in the 一级 column
    if c1 is None:
        if c2 in PARENT:
            return Levels(PARENT[c2], c2)
        return Levels(None, c2)
    if c1 not in TREE:
        return Levels(c1, c2, problem=f"一级指标“{level1}”不在指标体系中（应为 成本/产出/效益/满意度指标）")
    if c2 is None:
        return Levels(c1, "服务对象满意度" if c1 == "满意度" else None)
    if c2 in TREE[c1]:
        return Levels(c1, c2)
    allowed = "、".join(f"{x}指标" for x in TREE[c1])
    if c2 in PARENT:
        return Levels(c1, c2, problem=f"二级指标“{level2}”属于{PARENT[c2]}指标，不能放在“{level1}”下（{c1}指标下应为 {allowed}）")
    return Levels(c1, c2, problem=f"二级指标“{level2}”不在指标体系中（{c1}指标下应为 {allowed}）")


def levels(ind: Indicator | Placeholder) -> Levels:
    return resolve(ind.level1, ind.level2)


def is_placeholder_like(ind: Indicator) -> bool:
    """An indicator row that is really a template placeholder (empty value, name blank or a category label)."""
    if ind.target.kind is not ValueKind.EMPTY and not is_na(ind.target.text):
        return False
    name = canon(ind.name)
    return name is None or is_na(ind.name) or name in PARENT or name in TREE or name in SATISFACTION_NAMES


def counts(ind: Indicator) -> bool:
    """Whether a row counts as an indicator (placeholders and empty values do not, rule 2)."""
    return not is_na(ind.name) and ind.target.kind is not ValueKind.EMPTY and not is_na(ind.target.text)


def real(ts: TargetSet) -> list[Indicator]:
    return [i for i in ts.indicators if counts(i)]


def is_qualitative(ind: Indicator) -> bool:
    return ind.target.op == "定性" or ind.target.kind is ValueKind.QUALITATIVE


def target_tables(doc: Document) -> list[TargetTable]:
    """The target tables the target rules review (a 执行监控表 is read as a TargetTable but is not one)."""
    return [t for t in doc.tables if isinstance(t, TargetTable) and t.kind not in MONITORING_KINDS]


def uses_cost_level1(table: TargetTable) -> bool:
    """2021+ template (§1.1 a): some row has 成本指标 as its own 一级 (not the 产出/成本 alias)."""
    for ts in table.target_sets:
        for row in (*ts.indicators, *ts.placeholders):
            lv = levels(row)
            if lv.level1 == "成本" and not lv.alias:
                return True
    return False


def set_label(table: TargetTable, ts: TargetSet) -> str:
    if table.kind == "department_targets":
        return f"单位“{ts.unit or ts.unit_code or table.org or '部门整体'}”"
    if table.kind == "special_fund_targets":
        return f"专项“{ts.project or ts.parent_fund or '?'}”"
    return f"项目“{ts.project or '?'}”"


def short(text: str | None, limit: int = 30) -> str:
    """Whitespace-free text cut to ``limit`` characters for messages."""
    s = clean(text)
    return s if len(s) <= limit else s[:limit] + "…"


def ind_subject(table: TargetTable, ts: TargetSet, ind: Indicator | Placeholder) -> str:
    lv = levels(ind)
    l1 = clean(ind.level1) or (f"{lv.level1}指标" if lv.level1 else "?")
    l2 = clean(ind.level2) or (f"{lv.level2}指标" if lv.level2 else "?")
    text = ind.name if isinstance(ind, Indicator) else ind.text
    name = "（空行）" if is_na(text) else short(text, 40)
    return f"{set_label(table, ts)}/{l1}/{l2}/{name}"


def value_display(ind: Indicator, limit: int = 30) -> str:
    """The target as printed, with its comparison sign and unit: ``≥95%``, ``提升``."""
    t = ind.target
    text = short(t.text, limit)
    if t.op and t.op != "定性" and not text.startswith(t.op):
        text = f"{t.op}{text}"
    if t.unit and t.unit not in text:
        text = f"{text}{t.unit}"
    return text


# --- money -------------------------------------------------------------------------------


def tolerance(floor: str | Decimal, *values: Decimal | None) -> Decimal:
    """Tolerance of a comparison among printed amounts, never below ``floor`` (DOMAIN §6: 0.01 万元).

    Amounts printed without decimals (``4`` beside ``111.62``, ``290`` in a project form) are
    typed, not rounded: forms drop trailing zeros, so they are read at the finest precision of
    the comparison and at least to the 分 (2 decimals) that 万元 amounts are kept to.
    """
    vals = [v for v in values if v is not None]
    if not vals:
        return Decimal(floor)
    finest = min((v.as_tuple().exponent for v in vals), default=0)
    exponent = min(finest, -2) if isinstance(finest, int) else -2
    quantum = Decimal(1).scaleb(exponent)
    vals = [v.quantize(quantum) if v.as_tuple().exponent == 0 else v for v in vals]
    return max(Decimal(floor), tolerance_for(*vals))


def money(value: Decimal | None) -> str:
    """万元 as printed in findings: two decimals, thousands separators."""
    return fmt_wan(value) if value is not None else "（空）"


def to_wan(value: Decimal, unit: str | None) -> Decimal | None:
    """A cost value in 万元, or None when its unit is not an amount of money."""
    u = clean(unit)
    if u in ("万元", "万"):
        return value
    if u == "元":
        return value / Decimal(10000)
    if u in ("亿元",):
        return value * Decimal(10000)
    return None


# --- texts ---------------------------------------------------------------------------------

FIELD_LABELS = {
    "unit": "单位名称",
    "project": "项目名称",
    "goal": "年度绩效目标",
    "period_goal": "实施期绩效目标",
    "functions": "部门职能",
    "category": "项目类别",
    "period": "实施期",
    "parent_fund": "所属专项",
    "name": "三级指标",
    "text": "指标值",
    "explanation": "指标解释",
    "scoring": "评（扣）分标准",
    "standard": "绩效标准",
    "note": "备注",
    "op_text": "指标值类型",
    "unit_text": "计量单位",
    "content": "任务内容",
    "summary": "支出内容",
    "detail": "支出明细",
    "basis": "测算依据",
    "owner": "责任单位",
    "superior_text": "上级资金",
}


def _str_fields(obj: object) -> Iterator[tuple[str, str]]:
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, str) and value.strip():
            yield FIELD_LABELS.get(f.name, f.name), value


def texts(table: TargetTable, ts: TargetSet) -> Iterator[tuple[str, str, str, Location]]:
    """Every printed text of a target set: ``(subject, field label, text, location)``.

    Walks the dataclass fields generically, so texts the parser adds later are covered too.
    """
    label = set_label(table, ts)
    printed_at: dict[str, Location] = {}
    for name, _text, where in ts.texts:
        if name not in AMOUNT_LABELS:
            printed_at.setdefault(FIELD_LABELS.get(name, name), where)
    for field_name, text in _str_fields(ts):
        if field_name != "unit_code":
            yield label, field_name, text, printed_at.get(field_name, ts.location)
    for field_name, text, where in ts.texts:  # amount cells as printed (（分级填报） is no amount)
        if field_name in AMOUNT_LABELS and text.strip():
            yield label, AMOUNT_LABELS[field_name], text, where
    for task in ts.tasks:
        for field_name, text in _str_fields(task):
            yield f"{label}/年度主要任务", field_name, text, task.location
    for ind in ts.indicators:
        subject = ind_subject(table, ts, ind)
        for field_name, text in _str_fields(ind):
            if field_name not in ("level1", "level2"):
                yield subject, field_name, text, ind.location
        for field_name, text in _str_fields(ind.target):
            if field_name not in ("date", "unit", "note", "op"):
                yield subject, field_name, text, ind.location
    for ph in ts.placeholders:
        if ph.text.strip():
            yield ind_subject(table, ts, ph), "指标", ph.text, ph.location
    for d in ts.details:
        for field_name, text in _str_fields(d):
            yield f"{label}/支出明细", field_name, text, d.location

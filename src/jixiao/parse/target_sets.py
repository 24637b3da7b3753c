"""Target-set builders shared by the target-table layouts (list and form).

``TableBuilder`` collects a table's sets across its pages: a unit or project seen again
continues its set (``table-continued``), text repeated differently is reported
(``continued-text-differs``). ``align_row`` places a row's cells by content (parse.align) and
reports realignments; ``add_indicator`` carries 一级/二级 down, infers a missing 一级 from its 二级
and turns the row into an Indicator or a Placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model import levels
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import Placeholder
from jixiao.model.money import D
from jixiao.model.money import Unit
from jixiao.model.source import Location
from jixiao.model.targets import AMOUNT_LABELS
from jixiao.model.targets import ExpenseDetail
from jixiao.model.targets import FundAmounts
from jixiao.model.targets import Subtotal
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable
from jixiao.model.targets import Task
from jixiao.parse.align import align
from jixiao.parse.segment import Segment
from jixiao.parse.target_forms import money
from jixiao.parse.text import norm
from jixiao.parse.values import parse_value
from jixiao.readers.grid import Row

EMPTY_NAMES = {"/", "无", "-", "—", "／", "不适用", "无此项"}
_INDICATOR_FIELDS = ("level1", "level2", "name", "op", "value", "unit", "explanation", "scoring", "weight", "standard")


@dataclass
class SetBuilder:
    location: Location
    key: str = ""
    values: dict[str, str] = field(default_factory=dict)  # text fields: unit, project, goal …
    amounts: dict[str, object] = field(default_factory=dict)
    texts: list[tuple[str, str, Location]] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    details: list[ExpenseDetail] = field(default_factory=list)
    details_total: object = None
    level1: str | None = None
    level2: str | None = None
    alias_noted: bool = False
    amounts_location: Location | None = None
    total_located: bool = False
    unit: Unit = Unit.WANYUAN  # the money unit the amount labels name (万元 unless a label says 元)
    annual_from: int | None = None  # 中期 | 年度 money columns: cells up to here are the 中期 side
    # indicators whose 一级/二级 cell was blank in a ruled cell of its own at the end of a page: (index in
    # indicators, field, location); the level is the next page's first row's (parse.target_tables)
    pending_levels: list[tuple[int, str, Location]] = field(default_factory=list)

    def subject(self) -> str:
        name = self.values.get("project") or self.values.get("unit") or "目标表"
        return f"“{name}”"

    def build(self) -> TargetSet:
        amounts = {_model_field(k): v for k, v in self.amounts.items()}
        if amounts.get("total") is None and amounts.get("period_total") is not None and "total" not in self.amounts:
            amounts["total"] = amounts["period_total"]  # a form printing only 项目总金额
        return TargetSet(
            location=self.location,
            unit_code=self.values.get("unit_code"),
            unit=self.values.get("unit"),
            project=self.values.get("project"),
            project_code=self.values.get("project_code"),
            amounts=FundAmounts(**amounts, unit=self.unit),
            goal=self.values.get("goal"),
            period_goal=self.values.get("period_goal"),
            functions=self.values.get("functions"),
            category=self.values.get("category"),
            period=self.values.get("period"),
            parent_fund=self.values.get("parent_fund"),
            tasks=tuple(self.tasks),
            indicators=tuple(self.indicators),
            placeholders=tuple(self.placeholders),
            details=tuple(self.details),
            details_total=self.details_total,
            texts=tuple(self.texts),
            amounts_location=self.amounts_location,
        )


class TableBuilder:
    def __init__(self, kind: str, first: Segment):
        self.kind, self.first = kind, first
        self.sets: dict[str, SetBuilder] = {}
        self.subtotals: list[Subtotal] = []
        self.findings: list[Finding] = []
        self.layout: str | None = None
        self.unit: tuple[str | None, str | None] = (None, None)  # current unit (code, name) in lists
        self.current: SetBuilder | None = None  # the set the last list page ended in
        self.shift = 0  # the last reported realignment: a page shifted as a whole is reported once
        # the last form page's indicator grid: (its set, header rows, fields, lead), for a page that goes on with it
        self.form_grid: tuple | None = None

    def get_set(self, key: str, location: Location, page_first: bool) -> SetBuilder:
        """The set for a unit/project, continued when it was seen on an earlier page."""
        found = self.sets.get(key)
        if found is None:
            found = self.sets[key] = SetBuilder(location, key)
        elif page_first:
            self.findings.append(make("table-continued", location, subject=found.subject()))
        return found

    def set_value(self, target: SetBuilder, name: str, text: str, location: Location, label: str) -> None:
        target.texts.append((name, text, location))
        before = target.values.get(name)
        if before is None:
            target.values[name] = text
        elif norm(before) != norm(text):
            self.findings.append(
                make(
                    "continued-text-differs",
                    location,
                    subject=target.subject(),
                    field=label,
                    before=_diff_excerpt(before, text),
                    after=_diff_excerpt(text, before),
                )
            )

    def set_amount(self, target: SetBuilder, name: str, text: str, location: Location) -> None:
        label = AMOUNT_LABELS[_model_field(name)]
        target.texts.append((_model_field(name), text, location))
        if name == "total" and text.strip() and not target.total_located:
            target.amounts_location, target.total_located = location, True  # the first printed 资金总额
        elif target.amounts_location is None:
            target.amounts_location = location
        if not text.strip():
            target.amounts.setdefault(name, None)
            return
        value = money(text)
        if value is None:
            self.findings.append(
                make("amount-unparsed", location, subject=target.subject(), field=label, text=text)
            )
            target.amounts.setdefault(name, None)
            return
        if target.amounts.get(name) is None:
            target.amounts[name] = value
        elif target.amounts[name] != value:
            self.findings.append(
                make(
                    "continued-text-differs",
                    location,
                    subject=target.subject(),
                    field=label,
                    before=target.amounts[name],
                    after=value,
                )
            )

    def build(self) -> TargetTable:
        orgs = [s.values.get("unit") for s in self.sets.values() if s.values.get("unit")]
        return TargetTable(
            kind=self.kind,
            title=self.first.title,
            location=self.first.location,
            year=self.first.year,
            org=self.first.org or (orgs[0] if orgs else None),
            layout=self.layout,
            target_sets=tuple(s.build() for s in self.sets.values()),
            subtotals=tuple(self.subtotals),
        )


def _diff_excerpt(text: str, other: str, width: int = 12) -> str:
    """The part of ``text`` around its first difference from ``other``."""
    at = next((i for i, (a, b) in enumerate(zip(text, other)) if a != b), min(len(text), len(other)))
    start = max(0, at - 4)
    return ("…" if start else "") + text[start : at + width] + ("…" if at + width < len(text) else "")


def _model_field(name: str) -> str:
    """The parser's column field → the FundAmounts field (项目支出 is ``project`` there)."""
    return "project" if name == "project_amount" else name


def clip(text: object, size: int = 30) -> str:
    s = str(text)
    return s if len(s) <= size else s[: size - 1] + "…"


def add_indicator(table: TableBuilder, target: SetBuilder, cells: dict[str, str], location: Location, text: str) -> None:
    """Turn one aligned indicator row into an Indicator or a Placeholder of the set."""
    given1, given2 = cells.get("level1") or None, cells.get("level2") or None
    if given2 and levels.is_level1_only(given2) and not given1:
        given1, given2 = given2, None  # 社会公众或服务对象满意度 printed in the 二级 column
    if given1 and not levels.is_level1(given1) and (parent := levels.parent_of(given1)):
        # a 二级 name printed in the 一级 column (服务对象满意度指标): its canonical 一级, and the
        # printed name as the 二级 (unless the 二级 column names one of its own)
        printed = given1
        if given2 and levels.is_level1_only(given2):  # the two printed in each other's column
            given1, given2 = given2, printed
        else:
            given1 = levels.LEVEL1_PRINTED[parent]
            if not given2 or levels.level2_key(given2) == levels.level2_key(printed):
                given2 = given2 or printed
        table.findings.append(make("level2-in-level1-column", location, subject=f"{target.subject()}/{printed}",
                                   printed=printed, level1=given1, level2=given2))
    if given1:
        if given1 != target.level1:
            target.level2 = None
        target.level1 = given1
    if given2:
        target.level2 = given2
    subject = f"{target.subject()}/{target.level1 or ''}/{target.level2 or ''}"
    if target.level2 and not given1 and not levels.allows(target.level1, target.level2):
        parent = levels.parent_of(target.level2)
        if parent:
            inferred = levels.LEVEL1_PRINTED[parent]
            table.findings.append(
                make("level1-inferred", location, subject=subject, level1=inferred, level2=target.level2)
            )
            target.level1 = inferred
    elif target.level2 and target.level1 is None:
        parent = levels.parent_of(target.level2)
        if parent:
            target.level1 = levels.LEVEL1_PRINTED[parent]
            table.findings.append(
                make("level1-inferred", location, subject=subject, level1=target.level1, level2=target.level2)
            )
    if levels.level2_key(target.level2) == "成本" and levels.level1_key(target.level1) == "产出" and not target.alias_noted:
        target.alias_noted = True
        table.findings.append(make("level1-alias", location, subject=subject))
    name = cells.get("name", "")
    value_text = cells.get("value", "")
    weight_text = cells.get("weight", "")
    weight = D(weight_text)
    monitored = _monitoring(cells)
    if monitored:
        weight_text = "；".join(x for x in (monitored, f"备注：{weight_text}" if weight_text else "") if x)
        weight = None
    if not name and value_text and D(value_text) is None:
        name, value_text = value_text, ""  # the name slid into the value column (reported by the caller)
    if not name or name in EMPTY_NAMES:
        if given1 or given2 or weight is not None or name in EMPTY_NAMES and name:
            target.placeholders.append(
                Placeholder(target.level1, target.level2, location, text=name or value_text, weight=weight)
            )
        return
    target.indicators.append(
        Indicator(
            level1=target.level1,
            level2=target.level2,
            name=name,
            target=parse_value(value_text, op_text=cells.get("op") or None, unit_text=cells.get("unit") or None),
            location=location,
            explanation=cells.get("explanation") or None,
            scoring=cells.get("scoring") or None,
            weight=weight,
            standard=cells.get("standard") or None,
            note=None if weight is not None or not weight_text else weight_text,
        )
    )


_TICKS = {"✔", "✓", "√", "☑", "●", "是", "Y", "y", "v", "V"}


def _monitoring(cells: dict[str, str]) -> str:
    """A monitoring row's columns as printed: ``1-7月执行数：一般；全年预计执行数：100%；完成目标可能性：确定能``."""
    from jixiao.parse.target_headers import MONITOR_LABELS

    parts: list[str] = []
    for key, text in cells.items():
        if not key.startswith("m_") or not text:
            continue
        kind, _, label = key.partition(":")
        if kind in ("m_reason", "m_likely") and text.strip() in _TICKS:
            parts.append(f"{MONITOR_LABELS[kind]}：{label}")
        else:
            parts.append(f"{label}：{text}")
    return "；".join(parts)


def align_row(table: TableBuilder, row: Row, fields: tuple[str, ...], subject: str, skip: int = 0) -> dict[str, str]:
    """Cells of a row by field, reporting realigned, ambiguous and unplaced cells.

    ``skip``: leading cells before the header's first label (blank in every row of the grid).
    A leading cell that is a header label (a row label merged down the whole block at its left, 株洲's
    年度绩效指标, printed again on a new page) counts as blank."""
    from jixiao.parse.target_headers import is_header_label

    texts = row.texts
    if skip and len(texts) > skip and any(texts[:skip]) and all(not t or is_header_label(t) for t in texts[:skip]):
        texts = [""] * skip + list(texts[skip:])
    if skip and len(texts) > skip and not any(texts[:skip]):
        texts = [""] * skip + texts[skip:]
        result = align(texts[skip:], fields)
        result = replace(result, columns=(None,) * skip + result.columns,
                         dropped=tuple(k + skip for k in result.dropped), poor=tuple(k + skip for k in result.poor))
    else:
        result = align(texts, fields)
    cells: dict[str, str] = {}
    for text, column in zip(texts, result.columns):
        if column is not None and text:
            name = fields[column]
            cells[name] = f"{cells[name]}；{text}" if name in cells else text
    for k in result.dropped:
        table.findings.append(make("cell-unplaced", row.cells[k].location, subject=subject, text=clip(texts[k])))
    if not result.realigned:
        table.shift = 0
    if result.realigned:
        first = next((i for i, t in enumerate(texts) if t), 0)
        last = max(i for i, t in enumerate(texts) if t)
        first_col = result.columns[first]
        crowded = first_col is not None and last - first + 1 > len(fields) - first_col
        nameless = "name" in fields and not cells.get("name") and bool(cells.get("value"))
        code = "row-ambiguous" if (result.poor or crowded or nameless) else "row-realigned"
        if code == "row-ambiguous" or result.shift != table.shift:
            detail = "、".join(
                f"“{clip(t, 12)}”→{_FIELD_NAMES.get(fields[c], fields[c])}"
                for t, c in zip(texts, result.columns)
                if t and c is not None
            )
            table.findings.append(make(code, row.location, subject=subject, detail=clip(detail, 160)))
        table.shift = result.shift
    elif result.poor:
        detail = "、".join(f"“{clip(texts[k], 12)}”" for k in result.poor)
        table.findings.append(make("row-ambiguous", row.location, subject=subject, detail=detail))
    return cells


_FIELD_NAMES = {
    "unit_code": "单位编码",
    "unit_name": "单位名称",
    "project": "项目名称",
    "total": "资金总额",
    "general_budget": "一般公共预算",
    "gov_fund": "政府性基金",
    "special_account": "财政专户",
    "other": "其他资金",
    "basic": "基本支出",
    "project_amount": "项目支出",
    "goal": "绩效目标",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "op": "指标值类型",
    "value": "指标值",
    "unit": "度量单位",
    "explanation": "指标解释",
    "scoring": "评（扣）分标准",
    "weight": "备注/分值",
    "standard": "绩效标准",
    "label": "栏目名",
}


# ---------------------------------------------------------------- form layout



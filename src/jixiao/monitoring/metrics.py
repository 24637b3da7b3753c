"""Metrics defined as data over a source's records: a count, a sum, or a ratio of two filtered
counts, each over a date range; the formula in Chinese; the value from aggregated counts.

* ``count``: the records meeting the conditions (``where``), e.g. 办件量;
* ``sum``: a number field summed over those records, e.g. 补贴金额;
* ``ratio``: records meeting ``where`` *and* ``numerator`` ÷ records meeting ``where``, × 100
  when ``percent``: 好评率 = 评价结果为「好评」的记录数 ÷ 评价记录总数; 按时办结率 = 按时办结件数 ÷
  办结件数 (``where`` 是否办结 = 是, ``numerator`` 是否按时 = 是); 接通率 = 接通数 ÷ 呼入数.

Conditions name a field of the source's mapping (``records.Mapping``) and an operation: ``eq``
(为), ``ne`` (不为), ``in`` (为…之一), ``true`` / ``false`` (是/否 fields), ``present`` /
``absent`` (有值 / 为空). The counting itself is SQL (``services/operational_data.py``); here is
only what a metric *is*, its check against a mapping, its formula text and its arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from decimal import ROUND_HALF_UP
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.monitoring.records import DATE_FIELD
from jixiao.monitoring.records import Mapping
from jixiao.monitoring.records import unscale

KINDS = {"count": "计数", "sum": "求和", "ratio": "比率"}
OPS = ("eq", "ne", "in", "true", "false", "present", "absent")
_OPS_BY_TYPE = {"text": {"eq", "ne", "in", "present", "absent"}, "number": {"eq", "ne", "in", "present", "absent"},
                "bool": {"true", "false", "present", "absent"}, "date": {"present", "absent"}}


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str
    values: tuple[str, ...] = ()

    def text(self) -> str:
        name = f"「{self.field}」"
        if self.op == "eq":
            return f"{name}为「{self.values[0]}」"
        if self.op == "ne":
            return f"{name}不为「{self.values[0]}」"
        if self.op == "in":
            return f"{name}为" + "或".join(f"「{v}」" for v in self.values)
        return name + {"true": "为「是」", "false": "为「否」", "present": "有值", "absent": "为空"}[self.op]

    def as_dict(self) -> dict:
        return {"field": self.field, "op": self.op, "values": list(self.values)}


@dataclass(frozen=True, slots=True)
class Metric:
    """A metric over one source's records (see the module's docstring)."""

    name: str
    kind: str
    where: tuple[Condition, ...] = ()
    numerator: tuple[Condition, ...] = ()
    field: str | None = None
    date_field: str = DATE_FIELD
    unit: str = ""
    percent: bool = True
    decimals: int = 2

    def as_dict(self) -> dict:
        out: dict = {"kind": self.kind, "where": [c.as_dict() for c in self.where], "date_field": self.date_field,
                     "unit": self.unit, "decimals": self.decimals}
        if self.kind == "ratio":
            out["numerator"] = [c.as_dict() for c in self.numerator]
            out["percent"] = self.percent
        if self.kind == "sum":
            out["field"] = self.field
        return out


@dataclass(frozen=True, slots=True)
class Aggregate:
    """What SQL counted for one metric: the records it covers (``records``, the denominator of a
    ratio), the numerator of a ratio, the scaled sum of a sum."""

    records: int
    numerator: int = 0
    total: int = 0


def _conditions(raw: object, name: str, findings: list[Finding]) -> tuple[Condition, ...]:
    """Conditions from ``[{"field", "op", "values"|"value"}]`` or the shorthand
    ``{"评价结果": "好评", "渠道": ["网上", "窗口"], "是否按时": true}``."""
    if raw in (None, "", []):
        return ()
    if isinstance(raw, MappingABC):
        raw = [{"field": k, "op": "true" if v is True else "false" if v is False else "in" if isinstance(v, list)
                else "eq", "values": v if isinstance(v, list) else [] if isinstance(v, bool) else [v]}
               for k, v in raw.items()]
    if not isinstance(raw, list):
        findings.append(make("opdata-metric-invalid", None, name=name, reason="条件应为列表或 {字段: 值}"))
        return ()
    out = []
    for item in raw:
        if not isinstance(item, MappingABC) or not str(item.get("field") or "").strip():
            findings.append(make("opdata-metric-invalid", None, name=name, reason=f"条件 {item!r} 缺少字段（field）"))
            continue
        op = str(item.get("op") or "eq")
        values = item.get("values", item.get("value"))
        values = [] if values is None else values if isinstance(values, list) else [values]
        values = tuple(str(v).strip() for v in values)
        if op not in OPS:
            findings.append(make("opdata-metric-invalid", None, name=name,
                                 reason=f"条件的运算“{op}”未知（可选：{'、'.join(OPS)}）"))
            continue
        if op in ("eq", "ne") and len(values) != 1 or op == "in" and not values:
            findings.append(make("opdata-metric-invalid", None, name=name,
                                 reason=f"条件“{item['field']} {op}”应有{'一个值' if op != 'in' else '至少一个值'}"))
            continue
        out.append(Condition(str(item["field"]).strip(), op, values if op in ("eq", "ne", "in") else ()))
    return tuple(out)


def parse_metric(name: str, data: object) -> tuple[Metric | None, list[Finding]]:
    """A metric from its dict form (``as_dict``); ``None`` and error findings when not valid."""
    name = str(name or "").strip()
    if not name:
        return None, [make("opdata-metric-invalid", None, name="", reason="缺少名称")]
    if not isinstance(data, MappingABC):
        return None, [make("opdata-metric-invalid", None, name=name, reason="口径应为一个对象")]
    findings: list[Finding] = []
    kind = str(data.get("kind") or "")
    kind = {v: k for k, v in KINDS.items()}.get(kind, kind)
    if kind not in KINDS:
        return None, [make("opdata-metric-invalid", None, name=name,
                           reason=f"类型“{kind}”未知（可选：count 计数、sum 求和、ratio 比率）")]
    where = _conditions(data.get("where", data.get("denominator")), name, findings)
    numerator = _conditions(data.get("numerator"), name, findings) if kind == "ratio" else ()
    if kind == "ratio" and not numerator:
        findings.append(make("opdata-metric-invalid", None, name=name, reason="比率须有分子条件（numerator）"))
    field = str(data.get("field") or "").strip() or None
    if kind == "sum" and not field:
        findings.append(make("opdata-metric-invalid", None, name=name, reason="求和须指明数值字段（field）"))
    try:
        decimals = int(data.get("decimals", 2))
    except (TypeError, ValueError):
        decimals = -1
    if not 0 <= decimals <= 6:
        findings.append(make("opdata-metric-invalid", None, name=name, reason="小数位数（decimals）应为 0 到 6"))
    percent = bool(data.get("percent", True))
    unit = str(data.get("unit") or ("%" if kind == "ratio" and percent else "件" if kind == "count" else "")).strip()
    if findings:
        return None, findings
    return Metric(name, kind, where, numerator, field, str(data.get("date_field") or DATE_FIELD).strip(), unit,
                  percent, decimals), []


def check_metric(metric: Metric, mapping: Mapping) -> list[Finding]:
    """Errors where the metric names a field the source does not have, or an operation its type
    does not allow."""
    findings = []

    def bad(reason: str) -> None:
        findings.append(make("opdata-metric-invalid", None, name=metric.name, reason=reason))

    for c in (*metric.where, *metric.numerator):
        f = mapping.field(c.field)
        if f is None:
            bad(f"数据源没有字段“{c.field}”（有：{'、'.join(x.name for x in mapping.fields) or '无'}）")
        elif c.op not in _OPS_BY_TYPE[f.type]:
            bad(f"字段“{c.field}”是{ {'text': '文本', 'number': '数值', 'bool': '是/否', 'date': '日期'}[f.type]}字段，"
                f"不能用运算 {c.op}")
    if metric.kind == "sum":
        f = mapping.field(metric.field or "")
        if f is None or f.type != "number":
            bad(f"求和字段“{metric.field}”应为数据源的数值字段")
    if metric.date_field != DATE_FIELD:
        f = mapping.field(metric.date_field)
        if f is None or f.type != "date":
            bad(f"统计日期“{metric.date_field}”应为“{DATE_FIELD}”或数据源的日期字段")
    return findings


def _where_text(conditions: tuple[Condition, ...]) -> str:
    return "且".join(c.text() for c in conditions)


def _records(conditions: tuple[Condition, ...]) -> str:
    return f"{_where_text(conditions)}的记录数" if conditions else "全部记录数"


def formula(metric: Metric, source: str | None = None) -> str:
    """The metric in words: 好评率 = 「评价结果」为「好评」的记录数 ÷ 全部记录数 × 100%."""
    if metric.kind == "count":
        text = f"{metric.name} = {_records(metric.where)}"
    elif metric.kind == "sum":
        scope = f"{_where_text(metric.where)}的记录" if metric.where else "全部记录"
        text = f"{metric.name} = {scope}的「{metric.field}」之和"
    else:
        text = (f"{metric.name} = {_records(metric.where + metric.numerator)} ÷ {_records(metric.where)}"
                + (" × 100%" if metric.percent else ""))
    where = f"数据源「{source}」，" if source else ""
    return f"{text}（{where}按「{metric.date_field}」在统计期间内的记录）"


def value(metric: Metric, agg: Aggregate, *, period: str = "统计期间") -> tuple[Decimal | None, list[Finding]]:
    """The metric's value from what SQL counted: exact Decimal, a ratio rounded half up to
    ``decimals``; ``None`` and a warning for a ratio without records in its denominator."""
    if metric.kind == "count":
        return Decimal(agg.records), []
    if metric.kind == "sum":
        return unscale(agg.total), []
    if agg.records == 0:
        return None, [make("opdata-ratio-no-records", None, name=metric.name, period=period)]
    ratio = Decimal(agg.numerator) / Decimal(agg.records)
    if metric.percent:
        ratio *= 100
    return ratio.quantize(Decimal(1).scaleb(-metric.decimals), rounding=ROUND_HALF_UP), []

"""The year-end self-evaluation's indicators bound to operational data (issue 11 part 4 meets the
self-evaluation): the fiscal year's value from the records, in the target's unit, with the number
of records and the formula (``selfevals.prefill_from_monitoring``'s ``bound``); a value typed over
a bound one needs a reason and is stored as an override (``operational_data.override_value``,
audited there) before the self-evaluation is scored — as ``monitoring_data`` does for a 监控表.

* :func:`bound_for_form` — ``{indicator id (text): item}`` of the form (``self_evaluation_form``).
* :func:`typed_over` — whether a typed value differs from the records' computed value (in the target's unit).
* :func:`score_with_data` — ``score_self_evaluation`` after storing the overrides; 422
  ``reason_required`` naming the indicator when a reason is missing (nothing stored); a value set
  back to the data's drops the override.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation

from jixiao.model.units import convert
from jixiao.model.units import unit_of
from jixiao.services import operational_data
from jixiao.services import selfevals
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound


def _number(text: object) -> Decimal | None:
    if text is None:
        return None
    raw = str(text).strip().replace(",", "")
    unit = unit_of(raw)
    if unit:
        raw = raw[: len(raw) - len(unit)].strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def bound_for_form(form: dict) -> dict[str, dict]:
    return dict(((form.get("monitoring") or {}).get("bound")) or {})


def typed_over(item: dict, typed: object) -> bool:
    """Whether ``typed`` (the actual as entered) differs from the data's value in the target's unit."""
    if typed is None or not str(typed).strip():
        return False
    data = _number(item.get("computed_actual"))
    return data is None or _number(typed) != data


def bound_values(ctx: Ctx, target_set_id: int) -> dict[str, dict]:
    try:
        return dict(selfevals.prefill_from_monitoring(ctx, target_set_id).get("bound") or {})
    except NotFound:
        return {}


def score_with_data(ctx: Ctx, target_set_id: int, actuals: Mapping, *, reasons: Mapping | None = None,
                    names: Mapping | None = None, **kwargs) -> dict:
    """Store the overrides of bound values typed over (in the metric's unit), then score (see the module notes)."""
    reasons = {str(k): (v or "").strip() for k, v in (reasons or {}).items()}
    bound = bound_values(ctx, target_set_id)
    typed = {str(k): (v or {}).get("actual") for k, v in actuals.items()}
    todo = []
    for key, item in bound.items():
        value = typed.get(key)
        if typed_over(item, value):
            if not reasons.get(key):
                raise Invalid(f"指标「{(names or {}).get(key, key)}」的实际完成值与业务数据计算值"
                              f"（{item['computed_actual'] or '无'}）不同，手工填写须说明原因", code="reason_required",
                              detail={"indicator_id": int(key)})
            number = _number(value)
            in_metric = None if number is None else convert(number, item.get("target_unit"), item["unit"] or None)
            todo.append((key, item, str(value).strip() if in_metric is None else format(in_metric, "f"), reasons[key]))
        elif item.get("override") is not None and value is not None and str(value).strip():
            todo.append((key, item, None, ""))
    for key, item, value, reason in todo:
        operational_data.override_value(ctx, int(key), date_from=item["from"], date_to=item["to"], value=value,
                                        reason=reason)
    return selfevals.score_self_evaluation(ctx, target_set_id, actuals, **kwargs)

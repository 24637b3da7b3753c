"""A 监控表's indicators bound to operational data (issue 11 part 4 meets parts 1–2): the value the
records give from 1月1日 to the round's date, with the number of records and the formula, and
filling a sheet where a value typed over a bound one needs a reason (stored with
``operational_data.override_value``, audited there).

For the web page and any entry point that fills a 监控表 with the data beside it:

* :func:`data_for_sheet` — the bound indicators of a sheet (as ``get_sheet`` / ``preview_sheet``
  return it): ``{indicator id (text): {value, computed, records, formula, metric, unit, source,
  override, typed_over}}``; ``typed_over`` when the value to date entered differs from the one the
  records give (then a reason is asked for).
* :func:`fill_sheet` — ``monitoring.fill_sheet`` after storing the overrides: for each bound
  indicator whose value to date in ``changes`` differs from the computed one, the reason in
  ``reasons`` is required (422 ``reason_required`` naming the indicator, nothing stored); a value
  set back to the computed one drops the override.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation

from jixiao.model.units import convert
from jixiao.model.units import unit_of
from jixiao.services import monitoring
from jixiao.services import operational_data
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid


def _number(text: object, unit: str | None = None) -> Decimal | None:
    """A typed value as a number in ``unit`` (the metric's): ``15万件`` → 150000 in 件; None when it
    is no number or its own unit is of another kind."""
    if text is None:
        return None
    raw = str(text).strip().replace(",", "")
    own = unit_of(raw)
    if own:
        raw = raw[: len(raw) - len(own)].strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return convert(value, own, unit) if own and own != "%" else value


def _range(sheet: dict) -> tuple[str, str]:
    r = sheet["round"]
    return f"{r['year']}-01-01", r["as_of"]


def typed_over(bound: dict, typed: object) -> bool:
    """Whether ``typed`` (a value to date as entered) differs from what the records give."""
    if typed is None or not str(typed).strip():
        return False
    computed = _number(bound.get("computed"))
    return computed is None or _number(typed, bound.get("unit") or None) != computed


def data_for_sheet(ctx: Ctx, sheet: dict) -> dict[str, dict]:
    """The sheet's bound indicators with their values from the records (see the module notes)."""
    start, end = _range(sheet)
    found = operational_data.values_of_target_set(ctx, sheet["target_set"]["id"], date_from=start, date_to=end)
    out = {}
    for e in sheet["entries"]:  # in the sheet's order
        value = found.get(e["indicator_id"])
        if value is None:
            continue
        item = value.as_dict()
        key = str(e["indicator_id"])
        out[key] = {k: item[k] for k in ("value", "computed", "records", "formula", "metric", "unit", "source",
                                         "override")}
        out[key]["typed_over"] = typed_over(item, e.get("to_date"))
        out[key]["from"], out[key]["to"] = start, end
    return out


def with_bound_values(sheet: dict, bound: dict[str, dict], changes: Mapping) -> dict:
    """``changes`` with each bound indicator's value to date taken from the records where neither the
    sheet nor ``changes`` has one — what the web 监控表 shows in the field and posts back."""
    out = {**changes, "entries": {str(k): dict(v) for k, v in (changes.get("entries") or {}).items()}}
    stored = {str(e["indicator_id"]): e.get("to_date") for e in sheet["entries"]}
    for key, item in bound.items():
        given = out["entries"].get(key, {})
        if item["value"] is None or "to_date" in given or (stored.get(key) or "").strip():
            continue
        out["entries"].setdefault(key, {})["to_date"] = item["value"]
    return out


def fill_sheet(ctx: Ctx, sheet_id: int, changes: Mapping, *, reasons: Mapping | None = None,
               expected_version: int | None = None, take_bound: bool = False) -> dict:
    """Store the overrides of bound values typed over, then fill the sheet (see the module notes).
    ``take_bound``: bound indicators without a value to date take the records' (:func:`with_bound_values`)."""
    reasons = {str(k): (v or "").strip() for k, v in (reasons or {}).items()}
    sheet = monitoring.get_sheet(ctx, sheet_id)
    bound = data_for_sheet(ctx, sheet)
    if take_bound:
        changes = with_bound_values(sheet, bound, changes)
    entries = changes.get("entries") or {}
    names = {str(e["indicator_id"]): e["name"] for e in sheet["entries"]}
    todo = []
    for key, values in entries.items():
        key = str(key)
        if key not in bound or "to_date" not in values:
            continue
        typed = values["to_date"]
        if typed_over(bound[key], typed):
            if not reasons.get(key):
                raise Invalid(f"指标「{names.get(key, key)}」的截至监控日完成值与业务数据计算值"
                              f"（{bound[key]['computed'] or '无'}）不同，手工填写须说明原因", code="reason_required",
                              detail={"indicator_id": int(key)})
            number = _number(typed, bound[key].get("unit") or None)  # stored in the metric's unit
            todo.append((key, str(typed).strip() if number is None else format(number, "f"), reasons[key]))
        elif bound[key]["override"] is not None:
            todo.append((key, None, ""))
    start, end = _range(sheet)
    if todo and expected_version is not None and str(expected_version).strip('"') != str(sheet["row_version"]):
        # a stale sheet: refused by fill_sheet before any override is stored
        return monitoring.fill_sheet(ctx, sheet_id, changes, expected_version=expected_version)
    for key, value, reason in todo:
        operational_data.override_value(ctx, int(key), date_from=start, date_to=end, value=value, reason=reason)
    return monitoring.fill_sheet(ctx, sheet_id, changes, expected_version=expected_version)

"""定义取数口径: a metric over a source's records — a count, a sum of a number field, or a ratio of
two filtered counts — built field by field, its formula in words previewed while typing (htmx:
``operational_data.preview_metric``, nothing stored) and saved by ``save_metric`` (``opdata.define``).
The form's rows become the service's definition (``monitoring/metrics.py``: conditions as
``[{field, op, values}]``); every check is the service's."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.responses import RedirectResponse
from fastapi.responses import Response

from jixiao.services import operational_data
from jixiao.services.errors import Invalid
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()
WHERE_ROWS, NUMERATOR_ROWS = 3, 2
OPS = (("eq", "为"), ("in", "为以下之一"), ("ne", "不为"), ("true", "为“是”"), ("false", "为“否”"),
       ("present", "有值"), ("absent", "无值"))
KINDS = (("count", "计数：符合条件的记录数"), ("sum", "求和：数值字段之和"), ("ratio", "比率：两个计数之比"))


def _rows(p: Page, prefix: str, n: int) -> tuple[list[dict], list[dict]]:
    """(conditions for the service, the rows as typed) from ``{prefix}{i}_field/_op/_values``."""
    conditions, typed = [], []
    for i in range(n):
        field, op = p.value(f"{prefix}{i}_field").strip(), p.value(f"{prefix}{i}_op").strip() or "eq"
        values = p.value(f"{prefix}{i}_values").strip()
        typed.append({"field": field, "op": op, "values": values})
        if field:
            conditions.append({"field": field, "op": op,
                               "values": [v for v in re.split(r"[,，、;；]\s*", values) if v]})
    return conditions, typed


def _entered(p: Page) -> tuple[dict, dict]:
    """(the definition for the service, what was typed for the form)."""
    where, where_rows = _rows(p, "w", WHERE_ROWS)
    numerator, numerator_rows = _rows(p, "n", NUMERATOR_ROWS)
    kind = p.value("kind") or "count"
    definition: dict = {"kind": kind, "where": where}
    if kind == "ratio":
        definition["numerator"] = numerator
        definition["percent"] = p.value("percent") != "0"
    if kind == "sum":
        definition["field"] = p.value("field").strip()
    if p.value("date_field").strip():
        definition["date_field"] = p.value("date_field").strip()
    if p.value("unit").strip():
        definition["unit"] = p.value("unit").strip()
    typed = {"source": p.value("source"), "name": p.value("name").strip(), "kind": kind, "field": p.value("field"),
             "date_field": p.value("date_field"), "unit": p.value("unit"), "percent": p.value("percent") or "1",
             "where": where_rows, "numerator": numerator_rows}
    return definition, typed


def _page(request: Request, p: Page, v: dict, *, preview: dict | None = None, status: int = 200,
          notice: tuple[str, str] | None = None) -> Response:
    sources = operational_data.list_sources(p.ctx)["items"]
    chosen = next((s for s in sources if str(s["id"]) == str(v.get("source"))), sources[0] if sources else None)
    columns = chosen["columns"] if chosen else []
    return render(request, p, "opdata/metric.html", status=status, sources=sources, source=chosen, columns=columns,
                  v=v, preview=preview, ops=OPS, kinds=KINDS, notice_=notice)


@router.get("/opdata/metrics/new")
def new_metric(request: Request, p: Annotated[Page, Depends(page)], source: str = "") -> Response:
    blank = [{"field": "", "op": "eq", "values": ""}]
    v = {"source": source, "name": "", "kind": "count", "field": "", "date_field": "", "unit": "", "percent": "1",
         "where": blank * WHERE_ROWS, "numerator": blank * NUMERATOR_ROWS}
    return _page(request, p, v)


@router.post("/opdata/metrics/preview")
def preview(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    definition, v = _entered(p)
    result = operational_data.preview_metric(p.ctx, name=v["name"] or "（未命名）", source=v["source"],
                                             definition=definition)
    return render(request, p, "opdata/metric_formula.html", preview=result)


@router.post("/opdata/metrics")
def save(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    definition, v = _entered(p)
    try:
        saved = operational_data.save_metric(p.ctx, org=p.ctx.actor.org_id, name=v["name"], source=v["source"],
                                             definition=definition)
    except Invalid as exc:
        result = operational_data.preview_metric(p.ctx, name=v["name"] or "（未命名）", source=v["source"],
                                                 definition=definition)
        if not result["problems"]:
            result = {**result, "problems": [exc.message]}
        return _page(request, p, v, preview=result, status=422, notice=("error", "取数口径未保存：" + exc.message))
    return RedirectResponse(f"/opdata?metric={saved['id']}#od-metrics", status_code=303)

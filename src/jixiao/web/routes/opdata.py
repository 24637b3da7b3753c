"""业务数据: operational data sources (each with its saved column mapping), their imports, the
metrics defined over them with their formula; a new source is made from its first file (the
columns read from it are mapped to 日期, 单位 and typed fields, then the same file is imported);
a monthly upload is one step with the saved mapping; an import refused shows every listed row
error (row number and reason) and stores nothing. Binding an indicator to a metric is on the
监控表 (``POST /monitoring/sheets/{id}/bind``)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Path
from fastapi import Request
from fastapi.responses import RedirectResponse
from fastapi.responses import Response

from jixiao.services import operational_data
from jixiao.services import overview
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.services.opdata_columns import file_columns
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

Ident = Annotated[int, Path(ge=1, le=2**31 - 1)]
CARRY_LIMIT = 8 * 1024 * 1024  # a first file up to this size is carried through the mapping step
TYPES = {"": "不导入", "text": "文本", "number": "数值", "bool": "是/否", "date": "日期"}


def _orgs(p: Page) -> list[tuple[int, str]]:
    return [(o["id"], "\u3000" * o["depth"] + o["name"]) for o in overview.org_tree(p.ctx)["items"]]


def _list(request: Request, p: Page, *, status: int = 200, notice=None, v: dict | None = None) -> Response:
    return render(request, p, "opdata/index.html", status=status, sources=operational_data.list_sources(p.ctx),
                  metrics=operational_data.list_metrics(p.ctx), orgs=_orgs(p) if p.can("opdata.define") else [],
                  notice_=notice, v=v or {})


@router.get("/opdata")
def index(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    return _list(request, p)


async def _file(p: Page):
    file = p.form.get("file") if p.form is not None else None
    if file is None or isinstance(file, str) or not file.filename:
        return None, None
    return file.filename, await file.read()


@router.post("/opdata/sources/new")
async def new_source(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    v = {k: p.value(k).strip() for k in ("org", "name", "description")}
    name, data = await _file(p)
    if data is None:
        return _list(request, p, status=422, notice=("error", "请选择该数据源的一个导出文件（CSV 或 XLSX），据此设置字段映射"), v=v)
    try:
        cols = file_columns(p.ctx, data, name)
    except Invalid as exc:
        return _list(request, p, status=422, notice=("error", exc.message), v=v)
    carried = base64.b64encode(data).decode() if len(data) <= CARRY_LIMIT else ""
    named = [c for c in cols["columns"] if c]
    guess = {"date": next((c for c in named if "日期" in c or "时间" in c), named[0] if named else ""),
             "unit": next((c for c in named if "单位" in c), named[1] if len(named) > 1 else "")}
    return render(request, p, "opdata/mapping.html", v=v, cols=cols, filename=name, carried=carried, types=TYPES,
                  notice_=None, chosen=guess)


def _mapping(p: Page, columns: list[str]) -> tuple[dict, dict]:
    chosen = {}
    fields = []
    for i, column in enumerate(columns):
        kind = p.value(f"type-{i}")
        required = p.value(f"required-{i}") == "1"
        chosen[i] = {"type": kind, "required": required, "name": p.value(f"name-{i}").strip()}
        if kind in TYPES and kind and column and column not in (p.value("date_column"), p.value("unit_column")):
            fields.append({"name": chosen[i]["name"] or column, "column": column, "type": kind, "required": required})
    return {"date": p.value("date_column"), "unit": p.value("unit_column"), "fields": fields}, chosen


@router.post("/opdata/sources")
def save_source(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    v = {k: p.value(k).strip() for k in ("org", "name", "description")}
    columns = p.form.getlist("column") if p.form is not None else []
    mapping, chosen = _mapping(p, columns)
    filename, carried = p.value("filename"), p.value("carried")
    try:
        source = operational_data.save_source(p.ctx, org=v["org"], name=v["name"], mapping=mapping,
                                              description=v["description"])
    except Invalid as exc:
        cols = {"columns": columns, "samples": [], "header_row": p.value("header_row")}
        return render(request, p, "opdata/mapping.html", status=422, v=v, cols=cols, filename=filename,
                      carried=carried, types=TYPES, notice_=("error", exc.message),
                      chosen={**chosen, "date": mapping["date"], "unit": mapping["unit"]})
    if not carried:
        return RedirectResponse(f"/opdata/sources/{source['id']}?saved=1", status_code=303)
    try:
        data = base64.b64decode(carried, validate=True)
    except (binascii.Error, ValueError):
        return RedirectResponse(f"/opdata/sources/{source['id']}?saved=1", status_code=303)
    return _import(request, p, source["id"], data, filename)


def _import(request: Request, p: Page, source_id: int, data: bytes, filename: str) -> Response:
    try:
        result = operational_data.import_records(p.ctx, source_id, data, filename=filename)
    except (Invalid, Conflict) as exc:
        return _source_page(request, p, source_id, status=exc.status, refused=exc)
    return _source_page(request, p, source_id, imported=result)


def _source_page(request: Request, p: Page, source_id: int, *, status: int = 200, imported=None, refused=None,
                 notice=None) -> Response:
    source = operational_data.get_source(p.ctx, source_id)
    metrics = [m for m in operational_data.list_metrics(p.ctx)["items"] if m["source"]["id"] == source["id"]]
    detail = refused.detail if refused is not None and isinstance(refused.detail, dict) else {}
    return render(request, p, "opdata/source.html", status=status, source=source, metrics=metrics, imported=imported,
                  refused=refused, detail=detail, notice_=notice)


@router.get("/opdata/sources/{source_id}")
def source_page(request: Request, source_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    notice = ("success", "已保存字段映射") if request.query_params.get("saved") else None
    return _source_page(request, p, source_id, notice=notice)


@router.post("/opdata/sources/{source_id}/upload")
async def upload(request: Request, source_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    name, data = await _file(p)
    if data is None:
        return _source_page(request, p, source_id, status=422, notice=("error", "请选择要导入的文件（CSV 或 XLSX）"))
    return _import(request, p, source_id, data, name)

"""Operational data (业务数据) → actuals: sources and their column mapping, imports (all or
nothing), metrics (口径) with their formula, indicator bindings, bound values of a period, values
typed by hand with a reason. Each route calls one service of ``services/operational_data.py``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import File
from fastapi import Form
from fastapi import Path
from fastapi import Query
from fastapi import Response
from fastapi import UploadFile
from fastapi import status
from pydantic import BaseModel
from pydantic import Field

from jixiao.api.deps import MAX_ID
from jixiao.api.deps import needs
from jixiao.services import imports
from jixiao.services import operational_data as od
from jixiao.services.context import Ctx

router = APIRouter(tags=["业务数据"])

SourceId = Annotated[int, Path(ge=1, le=MAX_ID, description="数据源编号")]
ImportId = Annotated[int, Path(ge=1, le=MAX_ID, description="导入批次编号")]
MetricId = Annotated[int, Path(ge=1, le=MAX_ID, description="口径编号")]
IndicatorId = Annotated[int, Path(ge=1, le=MAX_ID, description="指标编号")]
TargetSetId = Annotated[int, Path(ge=1, le=MAX_ID, description="绩效目标编号")]
From = Annotated[str, Query(alias="from", description="起始日期，如 2026-01-01")]
To = Annotated[str, Query(alias="to", description="截止日期（含），如 2026-06-30")]


class SourceIn(BaseModel):
    org: str = Field(min_length=1, description="数据源所属单位（单位编码、名称或 id）；单位列可写它及其下级单位")
    name: str = Field(min_length=1, max_length=200, description="数据源名称，如 政务大厅办件")
    mapping: dict = Field(description="字段映射：{date: 日期列, unit: 单位列, fields: [{name, column, type, required}]}，"
                                      "type 为 text/number/bool/date（文本/数值/是/否/日期）")
    description: str = Field("", description="说明")


class MetricIn(BaseModel):
    org: str = Field(min_length=1, description="口径所属单位（单位编码、名称或 id）")
    name: str = Field(min_length=1, max_length=200, description="口径名称，如 好评率")
    source: str = Field(min_length=1, description="数据源编号或 单位/名称")
    definition: dict = Field(description="口径：{kind: count|sum|ratio, where, numerator, field, date_field, unit, "
                                         "decimals}；条件写作 {字段: 值} 或 [{field, op, values}]")


class BindingIn(BaseModel):
    metric: str | None = Field(description="口径编号或名称；null 取消绑定")
    scope: str | None = Field(None, description="取哪个单位及其下级的记录（默认：指标所在文档的单位）")


class OverrideIn(BaseModel):
    date_from: str = Field(alias="from", description="起始日期")
    date_to: str = Field(alias="to", description="截止日期（含）")
    value: str | None = Field(description="手工填写的值；null 恢复按业务数据计算")
    reason: str = Field("", description="为何不用业务数据计算的值（填写值时必填）")


@router.get("/opdata/sources", summary="数据源列表（字段映射）")
def list_sources(ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return od.list_sources(ctx)


@router.put("/opdata/sources", summary="设定数据源及其字段映射",
            description="新建或修改（同一单位同名即修改）；映射须有日期列和单位列，字段类型为文本、数值、是/否或日期。")
def save_source(body: SourceIn, ctx: Annotated[Ctx, needs("opdata.define")]) -> dict:
    return od.save_source(ctx, org=body.org, name=body.name, mapping=body.mapping, description=body.description)


@router.get("/opdata/sources/{source_id}", summary="数据源的字段映射和历次导入")
def get_source(source_id: SourceId, ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return od.get_source(ctx, source_id)


@router.post("/opdata/sources/{source_id}/imports", status_code=status.HTTP_201_CREATED,
             summary="按保存的映射导入一个 CSV 或 Excel 文件（全部或全不）",
             description="有任何一行无法识别（日期、必填项、单位、类型）时整个文件不导入，返回 422："
                         "error.detail 含 rows（行数）、error_rows（有误行数）和前 200 条 errors（行号与原因）。"
                         "同一文件再次导入返回 409。")
def import_records(source_id: SourceId, response: Response, ctx: Annotated[Ctx, needs("opdata.import")],
                   file: Annotated[UploadFile, File(description="CSV（UTF-8 或 GBK）或 Excel 文件，一行一条记录")],
                   sheet: Annotated[str | None, Form(description="工作表名（默认：前 20 行含表头的第一个工作表）")] = None) -> dict:
    imports.check_size(file.filename or "upload", file.size)
    result = od.import_records(ctx, source_id, file.file, filename=file.filename or "upload", sheet=sheet)
    response.headers["Location"] = f"/api/v1/opdata/sources/{source_id}"
    return result


@router.delete("/opdata/imports/{import_id}", summary="删除一次导入及其全部记录",
               description="文件有误或要换成更正后的文件时；记入操作日志。")
def delete_import(import_id: ImportId, ctx: Annotated[Ctx, needs("opdata.import")]) -> dict:
    return od.delete_import(ctx, import_id)


@router.get("/opdata/metrics", summary="指标口径列表（含计算公式）")
def list_metrics(ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return od.list_metrics(ctx)


@router.put("/opdata/metrics", summary="设定指标口径：计数、求和或两个计数之比",
            description="按数据源的字段映射检查条件；返回中文计算公式（formula）。")
def save_metric(body: MetricIn, ctx: Annotated[Ctx, needs("opdata.define")]) -> dict:
    return od.save_metric(ctx, org=body.org, name=body.name, source=body.source, definition=body.definition)


@router.get("/opdata/metrics/{metric_id}/by-unit", summary="口径在一段日期内按单位的值和记录数")
def metric_by_unit(metric_id: MetricId, date_from: From, date_to: To,
                   ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return od.metric_by_unit(ctx, metric_id, date_from=date_from, date_to=date_to)


@router.put("/opdata/indicators/{indicator_id}/binding", summary="把指标绑定到口径（或取消）")
def bind(indicator_id: IndicatorId, body: BindingIn, ctx: Annotated[Ctx, needs("opdata.define")]) -> dict:
    return od.bind_indicator(ctx, indicator_id, body.metric, scope=body.scope)


@router.get("/opdata/target-sets/{target_set_id}/values", summary="绩效目标中已绑定指标在一段日期内的值",
            description="每个值附计算公式和依据的记录数；手工填写过的给出填写值、原因和计算值。")
def values(target_set_id: TargetSetId, date_from: From, date_to: To,
           ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return od.bound_values(ctx, target_set_id, date_from=date_from, date_to=date_to)


@router.put("/opdata/indicators/{indicator_id}/override", summary="手工填写已绑定指标某段日期的值（须说明原因）",
            description="记入操作日志（计算值与填写值）；value 为 null 时恢复按业务数据计算。")
def override(indicator_id: IndicatorId, body: OverrideIn, ctx: Annotated[Ctx, needs("opdata.override")]) -> dict:
    return od.override_value(ctx, indicator_id, date_from=body.date_from, date_to=body.date_to, value=body.value,
                             reason=body.reason)

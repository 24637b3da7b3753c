"""Target sets (绩效目标) and their indicators: read with an ETag, edit against a version.

Every edit names the version it was made against: the ``If-Match`` header (the ETag of the
last GET, ``"7"``) or ``"row_version"`` in the body (for DELETE also ``?row_version=``). A save
against an older version is 409 with the current target set in ``error.detail``. Every answer of
an edit is the target set as saved (its new ``row_version``, its indicators and current findings)
with its new ETag.
"""

from __future__ import annotations

from typing import Annotated
from typing import Any

from fastapi import APIRouter
from fastapi import Body
from fastapi import Header
from fastapi import Path
from fastapi import Query
from fastapi import Response
from fastapi import status
from pydantic import BaseModel
from pydantic import Field

from jixiao.api.deps import MAX_ID
from jixiao.api.deps import needs
from jixiao.services import editing
from jixiao.services.context import Ctx

router = APIRouter(tags=["绩效目标"])

TargetSetId = Annotated[int, Path(ge=1, le=MAX_ID, description="绩效目标编号")]
IndicatorId = Annotated[int, Path(ge=1, le=MAX_ID, description="指标编号")]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="读取时得到的 ETag（版本号），如 \"3\"")]

INDICATOR_EXAMPLE = {"level1": "产出指标", "level2": "数量指标", "name": "培训场次", "op_text": "≥",
                     "target_text": "20", "unit_text": "场", "weight": "10", "row_version": 3}


def _version(if_match: str | None, body: dict | None = None, query: int | None = None):
    """The version the edit was made against: If-Match first, then the body's, then the query's."""
    if if_match is not None and if_match.strip() not in ("", "*"):
        return if_match
    if body is not None and body.get("row_version") is not None:
        return body["row_version"]
    return query


def _tagged(response: Response, target_set: dict) -> dict:
    response.headers["ETag"] = f'"{target_set["row_version"]}"'
    return target_set


def _data(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "row_version"}


@router.get("/target-sets/{target_set_id}", summary="一个绩效目标：字段、指标、审核发现和版本号（ETag）")
def get_target_set(target_set_id: TargetSetId, response: Response,
                   ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return _tagged(response, editing.get_target_set(ctx, target_set_id))


@router.patch("/target-sets/{target_set_id}", summary="修改绩效目标的字段（名称、目标、资金等）",
              description="带 `If-Match`（或请求体中的 `row_version`）；版本已变时返回 409，`error.detail` 为当前内容。"
                          "保存后重新审核，返回保存后的绩效目标及其审核发现。",
              responses={409: {"description": "版本冲突：error.detail 为当前的绩效目标"}})
def update_target_set(
    target_set_id: TargetSetId, response: Response, ctx: Annotated[Ctx, needs("document.edit")],
    body: Annotated[dict[str, Any], Body(description="要修改的字段及 row_version",
                                         examples=[{"goal": "全年完成培训 24 场", "row_version": 3}])],
    if_match: IfMatch = None,
) -> dict:
    return _tagged(response, editing.update_target_set(ctx, target_set_id, _data(body),
                                                       expected_version=_version(if_match, body)))


@router.post("/target-sets/{target_set_id}/indicators", summary="新增指标", status_code=status.HTTP_201_CREATED,
             description="`position` 指定插入位置（从 0 起），不填则加在最后。返回保存后的绩效目标。")
def add_indicator(
    target_set_id: TargetSetId, response: Response, ctx: Annotated[Ctx, needs("document.edit")],
    body: Annotated[dict[str, Any], Body(description="指标字段及 row_version", examples=[INDICATOR_EXAMPLE])],
    if_match: IfMatch = None,
) -> dict:
    return _tagged(response, editing.add_indicator(ctx, target_set_id, _data(body),
                                                   expected_version=_version(if_match, body)))


@router.put("/target-sets/{target_set_id}/indicators", summary="整表保存指标（增、改、删、排序一次完成）",
            description="`items` 中带 `id` 的修改该指标，不带的新增，未列出的删除；列表顺序即新顺序。")
def replace_indicators(
    target_set_id: TargetSetId, response: Response, ctx: Annotated[Ctx, needs("document.edit")],
    body: Annotated[dict[str, Any], Body(description="{\"items\": [指标], \"row_version\": n}",
                                         examples=[{"items": [{"id": 1, "target_text": "24"}], "row_version": 3}])],
    if_match: IfMatch = None,
) -> dict:
    items = body.get("items")
    return _tagged(response, editing.replace_indicators(ctx, target_set_id, items if isinstance(items, list) else [],
                                                        expected_version=_version(if_match, body)))


@router.patch("/target-sets/{target_set_id}/indicators/{indicator_id}", summary="修改一个指标",
              description="指标值按原文（`target_text`、`op_text`、`unit_text`）保存，数值等由其重新解析。")
def update_indicator(
    target_set_id: TargetSetId, indicator_id: IndicatorId, response: Response,
    ctx: Annotated[Ctx, needs("document.edit")],
    body: Annotated[dict[str, Any], Body(description="要修改的字段及 row_version",
                                         examples=[{"target_text": "24", "row_version": 3}])],
    if_match: IfMatch = None,
) -> dict:
    return _tagged(response, editing.update_indicator(ctx, target_set_id, indicator_id, _data(body),
                                                      expected_version=_version(if_match, body)))


@router.delete("/target-sets/{target_set_id}/indicators/{indicator_id}", summary="删除一个指标")
def delete_indicator(
    target_set_id: TargetSetId, indicator_id: IndicatorId, response: Response,
    ctx: Annotated[Ctx, needs("document.edit")],
    if_match: IfMatch = None,
    row_version: Annotated[int | None, Query(description="版本号（也可用 If-Match）")] = None,
) -> dict:
    return _tagged(response, editing.delete_indicator(ctx, target_set_id, indicator_id,
                                                      expected_version=_version(if_match, None, row_version)))


class OrderIn(BaseModel):
    order: list[int] = Field(description="本目标全部指标的编号，按新顺序各列一次")
    row_version: int | None = Field(None, description="版本号（也可用 If-Match）")


@router.post("/target-sets/{target_set_id}/indicators/order", summary="调整指标顺序")
def reorder_indicators(target_set_id: TargetSetId, body: OrderIn, response: Response,
                       ctx: Annotated[Ctx, needs("document.edit")], if_match: IfMatch = None) -> dict:
    return _tagged(response, editing.reorder_indicators(
        ctx, target_set_id, body.order, expected_version=_version(if_match, body.model_dump())))

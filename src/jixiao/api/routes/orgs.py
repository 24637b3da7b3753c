"""Organisations: the tree 财政局（地区）→ 部门 → 单位."""

from __future__ import annotations

from typing import Annotated
from typing import Literal

from fastapi import APIRouter
from fastapi import status
from pydantic import BaseModel
from pydantic import Field

from jixiao.api.deps import needs
from jixiao.services import orgs
from jixiao.services.context import Ctx

router = APIRouter(tags=["单位与用户"])


class OrgIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="单位名称")
    level: Literal["region", "department", "unit"] = Field(description="层级：region 地区（财政局）、department 部门、unit 单位")
    parent: str | None = Field(None, description="上级单位（单位编码、名称或 id）")
    code: str | None = Field(None, max_length=64, description="单位编码")


@router.get("/orgs", summary="单位列表（本人可见范围内）")
def list_orgs(ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return orgs.list_orgs(ctx)


@router.post("/orgs", summary="新建单位", status_code=status.HTTP_201_CREATED)
def create_org(body: OrgIn, ctx: Annotated[Ctx, needs("user.manage")]) -> dict:
    return orgs.create_org(ctx, name=body.name, level=body.level, parent=body.parent, code=body.code)

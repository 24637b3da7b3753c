"""User accounts (one role and one organisation each)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import status
from pydantic import BaseModel
from pydantic import Field

from jixiao.api.deps import needs
from jixiao.services import users
from jixiao.services.context import Ctx

router = APIRouter(tags=["单位与用户"])


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=80, description="用户名")
    role: str = Field(description="角色：admin 系统管理员、finance_reviewer 财政审核、department_manager 部门管理、"
                                  "unit_filer 单位填报、auditor 只读")
    org: str = Field(min_length=1, description="所属单位（单位编码、名称或 id）")
    password: str | None = Field(None, description="密码（至少 8 个字符）；不填则生成一个，仅在本次返回")
    display_name: str = Field("", max_length=120, description="显示名称")


@router.get("/users", summary="用户列表（本人可见范围内）")
def list_users(ctx: Annotated[Ctx, needs("user.manage")]) -> dict:
    return users.list_users(ctx)


@router.post("/users", summary="新建用户", status_code=status.HTTP_201_CREATED,
             description="不填密码时生成一个随机密码，放在返回的 `password` 中，只出现这一次。")
def create_user(body: UserIn, ctx: Annotated[Ctx, needs("user.manage")]) -> dict:
    user, generated = users.add_user(ctx, body.username, role=body.role, org=body.org, password=body.password,
                                     display_name=body.display_name)
    return {**user, "password": generated}

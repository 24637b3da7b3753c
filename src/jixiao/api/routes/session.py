"""Login, logout, who am I."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Annotated
from typing import Literal

from fastapi import APIRouter
from fastapi import Request
from fastapi import Response
from pydantic import BaseModel
from pydantic import Field

from jixiao.api.deps import AUTHENTICATED
from jixiao.api.deps import PUBLIC
from jixiao.api.deps import SESSION_COOKIE
from jixiao.api.deps import needs
from jixiao.services import auth
from jixiao.services import users
from jixiao.services.context import Ctx

router = APIRouter(tags=["登录"])


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=80, description="用户名")
    password: str = Field(min_length=1, max_length=400, description="密码")
    kind: Literal["bearer", "session"] = Field(
        "bearer", description="bearer：脚本用的令牌（30 天）；session：网页会话 Cookie（12 小时，另给 CSRF 令牌）")


@router.post("/login", summary="登录，取得令牌",
             description="用户名和密码正确时返回令牌 `token`（此后请求带 `Authorization: Bearer TOKEN`）。"
                         "`kind` 为 `session` 时改为设置会话 Cookie，并返回写操作所需的 `csrf`。"
                         "同一用户名 15 分钟内失败超过 5 次（或同一地址超过 20 次）即暂时锁定（429）。")
def login(body: LoginIn, request: Request, response: Response, ctx: Annotated[Ctx, needs(PUBLIC)]) -> dict:
    client = request.client.host if request.client else ""
    result = auth.login(ctx, body.username, body.password, client=client, kind=body.kind)
    if body.kind == "session":
        token = result.pop("token")
        expires = datetime.fromisoformat(result["expires_at"])
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        max_age = max(0, int((expires - datetime.now(UTC)).total_seconds()))
        response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
    return result


@router.post("/logout", summary="退出登录（作废当前令牌或会话）")
def logout(request: Request, response: Response, ctx: Annotated[Ctx, needs(AUTHENTICATED)]) -> dict:
    auth.logout(ctx, request.state.token)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


@router.get("/me", summary="当前用户：账号、角色、单位和权限")
def me(ctx: Annotated[Ctx, needs(AUTHENTICATED)]) -> dict:
    return users.me(ctx)

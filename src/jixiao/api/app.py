"""The FastAPI app: routes under ``/api/v1``, the OpenAPI document at ``/api/docs`` and
``/api/openapi.json``, one error shape (:mod:`jixiao.api.errors`), one rule per route
(:mod:`jixiao.api.deps`). ``jixiao serve`` runs :func:`create_app` with uvicorn."""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute

from jixiao import __version__
from jixiao.api import deps
from jixiao.api import errors
from jixiao.services import policy
from jixiao.store.db import Database

PREFIX = "/api/v1"

DESCRIPTION = """\
jixiao（绩效）服务接口：导入与审核预算绩效文件、编辑绩效目标、流转审批、自评打分、查看操作日志。

* 登录：`POST /api/v1/login` `{"username", "password"}` → `{"token"}`，此后每个请求带
  `Authorization: Bearer TOKEN`。网页使用会话 Cookie（`jixiao_session`），写操作需带 `X-CSRF-Token`。
* 出错时一律返回 `{"error": {"code": 英文代码, "message": 中文说明, "detail": 附加信息}}`。
* 列表接口支持 `limit`/`offset` 分页和筛选，`format=csv|xlsx` 导出。
* 其他单位的对象一律返回 404（不泄露是否存在）；角色无权的操作返回 403。
"""

TAGS = [
    {"name": "登录", "description": "登录、退出、当前用户"},
    {"name": "单位与用户", "description": "单位树（财政局 → 部门 → 单位）与账号"},
    {"name": "文档", "description": "导入、查看、版本比较、下载原件、流转审批"},
    {"name": "审核发现", "description": "审核规则发现的问题及其处理状态"},
    {"name": "绩效目标", "description": "编辑绩效目标表和指标（带版本号，防止互相覆盖）"},
    {"name": "自评", "description": "录入实际完成值并打分"},
    {"name": "操作日志", "description": "只增不改的操作记录"},
    {"name": "后台任务", "description": "批量导入、批量审核的进度"},
    {"name": "绩效运行监控", "description": "监控轮次、监控表、预警方案、整改任务、目标调整"},
]


def _routers():
    from jixiao.api.routes import ROUTERS

    return ROUTERS


def _describe_rules(routes) -> None:
    """Each route's documentation says who may call it (from the same rule the code checks).
    Idempotent: the routers are module-level and every app includes them."""
    for route in routes:
        if not isinstance(route, APIRoute) or (rule := deps.rule_of(route)) is None:
            continue  # a route without a rule: the authorisation matrix test fails on it
        if not hasattr(route, "jixiao_description"):
            route.jixiao_description = route.description or ""
        if rule == (deps.PUBLIC,):
            said = "无需登录。"
        elif rule == (deps.AUTHENTICATED,):
            said = "需登录，任何角色均可。"
        else:
            parts = []
            for permission in rule:
                roles = "、".join(label for role, label in policy.ROLES.items() if permission in policy.GRANTS[role])
                parts.append(f"{permission}（{policy.PERMISSIONS[permission]}：{roles}）")
            said = ("权限：" if len(rule) == 1 else "权限（视操作而定）：") + "；".join(parts) + "。"
        route.description = f"{route.jixiao_description}\n\n{said}".strip()
        route.openapi_extra = {**(route.openapi_extra or {}), "x-permission": list(rule)}


@asynccontextmanager
async def _lifespan(app: FastAPI):
    given = app.state.db
    # a server process: what is built by now (modules, the app) stays out of the collector's
    # walks, and young objects are collected less often (a large page makes hundreds of thousands
    # of them): the full walks made the slowest 审核 pages twice as slow (bench/web_pages.py)
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    if given is not None:  # jobs a killed server process left 进行中 are failed (else on first opening)
        await run_in_threadpool(deps.recover_jobs, given)
    yield
    # the server stops: this process's job threads finish their current file (jobs.shutdown);
    # a database the app opened itself is closed
    from jixiao.services import jobs

    await run_in_threadpool(jobs.shutdown)
    if given is None and app.state.db is not None:
        app.state.db.dispose()


def create_app(db: Database | None = None) -> FastAPI:
    """The API on ``db`` (None: the database of ``JIXIAO_DATABASE_URL`` / ``JIXIAO_DATA_DIR``,
    opened on the first request)."""
    app = FastAPI(
        lifespan=_lifespan,
        title="jixiao 绩效服务接口",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        swagger_ui_parameters={"persistAuthorization": True},
    )
    app.state.db = db
    errors.install(app)
    for router in _routers():
        _describe_rules(router.routes)
        app.include_router(router, prefix=PREFIX)
    return app


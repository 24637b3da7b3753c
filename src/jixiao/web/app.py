"""The web application: :func:`create_web_app` (a FastAPI app of its own, mounted at ``/`` by
``jixiao.server``), the static files (``/static``, the vendored htmx and ECharts included) and
the Chinese error pages: a service's 403/404/409/422 and an unexpected 500 are drawn in the
layout; a page that needs a login redirects to ``/login?next=…`` (htmx: ``HX-Redirect``)."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi import Request
from fastapi.responses import RedirectResponse
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from jixiao.services.errors import ServiceError
from jixiao.store.db import Database
from jixiao.web.session import SESSION_COOKIE
from jixiao.web.session import LoginRequired
from jixiao.web.session import page
from jixiao.web.templating import render

log = logging.getLogger("jixiao.web")

STATIC = Path(__file__).parent / "static"

TITLES = {400: "请求有误", 401: "请先登录", 403: "无权访问", 404: "页面不存在", 405: "不支持的请求",
          409: "操作冲突", 422: "无法完成", 429: "请求过多", 500: "服务器内部错误"}
HINTS = {403: "您的角色没有查看或操作此内容的权限。如需权限，请联系系统管理员。",
         404: "您要找的页面或对象不存在，或不在您单位的范围内。",
         500: "服务器处理请求时出错，请稍后重试；问题持续时请联系系统管理员。"}


def error_page(request: Request, status: int, message: str) -> Response:
    p = getattr(request.state, "page", None)
    if p is None and request.cookies.get(SESSION_COOKIE):
        try:  # an unknown address of a logged-in user: the error in the layout, with the menu
            p = page(request, None)
        except Exception:  # noqa: BLE001 - no valid session: the page without the layout
            p = None
    return render(request, p, "error.html", status=status, status_code=status,
                  title=TITLES.get(status, f"错误 {status}"), message=message, hint=HINTS.get(status, ""))


def _login_required(request: Request, exc: LoginRequired) -> Response:
    target = request.url.path + (("?" + request.url.query) if request.url.query else "")
    params = {"next": target} if target not in ("/", "/logout") else {}
    if exc.expired:
        params["expired"] = "1"
    url = "/login" + (("?" + urlencode(params)) if params else "")
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _service_error(request: Request, exc: ServiceError) -> Response:
    return error_page(request, exc.status, exc.message)


def _http_error(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 404:
        return error_page(request, 404, f"页面不存在：{request.url.path}")
    if exc.status_code == 405:
        return error_page(request, 405, f"该页面不支持 {request.method} 请求")
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else f"请求失败（HTTP {exc.status_code}）"
    return error_page(request, exc.status_code, message)


def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_page(request, 500, "服务器内部错误")


def create_web_app(db: Database | None = None) -> FastAPI:
    """The web pages on ``db`` (None: the database of the environment, opened on first use)."""
    from jixiao.web.routes import ROUTERS

    app = FastAPI(title="jixiao 网页", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.db = db
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app

"""登录, 退出, 修改密码."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from fastapi.responses import Response

from jixiao.services import auth
from jixiao.services import users
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import TooManyRequests
from jixiao.services.errors import Unauthenticated
from jixiao.web.session import SESSION_COOKIE
from jixiao.web.session import Page
from jixiao.web.session import database
from jixiao.web.session import page
from jixiao.web.session import session_actor
from jixiao.web.templating import render

router = APIRouter()

ANONYMOUS = Actor(user_id=None, username="anonymous", role="anonymous", org_id=None, org_path="/-/")


def safe_next(value: str | None) -> str:
    """Where to go after the login: a path of this site only (never ``//host`` or a URL)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


@router.get("/login")
def login_form(request: Request, next: str | None = None, expired: str | None = None,  # noqa: A002
               out: str | None = None) -> Response:
    if session_actor(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    notice = "登录已失效，请重新登录" if expired else "您已退出登录" if out else None
    return render(request, None, "login.html", next=safe_next(next), notice=notice, error=None, username="")


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username") or "")
    password = str(form.get("password") or "")
    target = safe_next(str(form.get("next") or "/"))
    client = request.client.host if request.client else ""
    ctx = Ctx(database(request), ANONYMOUS)
    try:
        result = await run_in_threadpool(auth.login, ctx, username, password, client=client, kind="session")
    except (Unauthenticated, TooManyRequests) as exc:
        status = 429 if isinstance(exc, TooManyRequests) else 401
        return render(request, None, "login.html", status=status, next=target, notice=None, error=exc.message,
                      username=username)
    response = RedirectResponse(target, status_code=303)
    expires = datetime.fromisoformat(result["expires_at"])
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    max_age = max(0, int((expires - datetime.now(UTC)).total_seconds()))
    response.set_cookie(SESSION_COOKIE, result["token"], max_age=max_age, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout")
def logout(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    auth.logout(p.ctx, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login?out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/logout")
def logout_form(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    return render(request, p, "logout.html")


@router.get("/password")
def password_form(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    return render(request, p, "password.html", error=None, done=False)


@router.post("/password")
def change_password(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    old, new, again = p.value("old"), p.value("new"), p.value("again")
    if new != again:
        return render(request, p, "password.html", status=422, error="两次输入的新密码不一致", done=False)
    try:
        users.change_password(p.ctx, old, new, keep_token=request.cookies.get(SESSION_COOKIE))
    except Invalid as exc:
        return render(request, p, "password.html", status=422, error=exc.message, done=False)
    return render(request, p, "password.html", error=None, done=True)

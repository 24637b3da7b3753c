"""Who is looking at a page: the session cookie, the CSRF check, the year the pages show.

A page route depends on :func:`page` (``p: Page = Depends(page)``):

* no cookie → :class:`LoginRequired` (the app redirects to ``/login?next=…``); a cookie whose
  session is unknown, expired or revoked → the same with ``expired`` (the login page says so);
* POST/PUT/PATCH/DELETE must carry the session's CSRF token, in the ``X-CSRF-Token`` header
  (htmx sends it from the ``<meta name="csrf-token">`` of the layout) or in the form field
  ``csrf_token`` (plain forms: the ``csrf_field()`` macro) — else 403;
* the year: ``?year=2025`` (``?year=`` for every year) chosen in the top bar and kept in the
  cookie ``jixiao_year``; by default the latest year that has documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Annotated

from fastapi import Depends
from fastapi import Request
from starlette.datastructures import FormData

from jixiao.services import auth
from jixiao.services import overview
from jixiao.services import policy
from jixiao.services import users
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Unauthenticated
from jixiao.store.db import Database

SESSION_COOKIE = "jixiao_session"  # the same cookie as the API's session login (docs/api.md)
YEAR_COOKIE = "jixiao_year"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ALL_YEARS = "all"


class LoginRequired(Exception):
    """Not logged in (``expired``: the session has ended); the app redirects to the login page."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("login required")
        self.expired = expired


def database(request: Request) -> Database:
    state = request.app.state
    if state.db is None:
        state.db = Database()
    return state.db


@dataclass
class Page:
    """What every logged-in page has: the services' context, the user (``users.me``: name,
    role label, organisation, permissions), the CSRF token, the form of an unsafe request, the
    year shown and the years there are."""

    ctx: Ctx
    me: dict
    csrf: str
    form: FormData | None = None
    years: list[int] = field(default_factory=list)
    year: int | None = None
    year_cookie: str | None = None  # set on the response when the year was just chosen
    year_home: str | None = None  # where the year picker goes when this page's year is its object's

    def show_year(self, year: int, home: str) -> None:
        """This page is of one year (a 监控轮次's): the top bar shows that year, whatever was chosen
        before, and choosing another year there goes to ``home`` (the list, of the year chosen)
        rather than reloading this page, which would still be of its own year."""
        self.year, self.year_home = year, home

    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    def can(self, permission: str) -> bool:
        return policy.can(self.ctx.actor, permission)

    def value(self, name: str, default: str = "") -> str:
        """A field of the posted form (text, stripped of nothing)."""
        if self.form is None:
            return default
        v = self.form.get(name)
        return v if isinstance(v, str) else default


async def posted_form(request: Request) -> FormData | None:
    """The form of an unsafe request (read once; Starlette keeps it for later readers)."""
    if request.method not in UNSAFE_METHODS:
        return None
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return await request.form()
    return FormData()


def session_actor(request: Request) -> tuple[Actor, dict] | None:
    """The actor of the request's session cookie, or None when there is no valid session."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return auth.actor_for_token(database(request), cookie, kind="session")
    except Unauthenticated:
        return None


def _year(request: Request, years: list[int]) -> tuple[int | None, str | None]:
    given = request.query_params.get("year")
    chosen = given if given is not None else request.cookies.get(YEAR_COOKIE)
    if chosen in ("", ALL_YEARS):
        return None, (ALL_YEARS if given is not None else None)
    if chosen is not None and chosen.isdigit():
        return int(chosen), (chosen if given is not None else None)
    return (years[0] if years else None), None


def page(request: Request, form: Annotated[FormData | None, Depends(posted_form)]) -> Page:
    """The dependency of every logged-in page (see the module's documentation)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise LoginRequired()
    db = database(request)
    try:
        actor, info, me = users.me_for_session(db, cookie)
    except Unauthenticated:
        raise LoginRequired(expired=True) from None
    if request.method in UNSAFE_METHODS:
        given = request.headers.get(CSRF_HEADER) or (form.get(CSRF_FIELD) if form is not None else None)
        auth.check_csrf(info, given if isinstance(given, str) else None)  # Forbidden (403) when wrong
    ctx = Ctx(db, actor)
    p = Page(ctx=ctx, me=me, csrf=info["csrf"], form=form)
    request.state.page = p  # the error pages draw the layout for the user
    if p.can("document.read"):
        p.years = overview.years(ctx)
    p.year, p.year_cookie = _year(request, p.years)
    return p

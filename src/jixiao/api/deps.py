"""What every route depends on: the database of its app, the acting user, and its rule.

Every route declares its rule in one place, its signature, with ``ctx: Ctx = needs("perm")``
(or ``needs(PUBLIC)`` for the login, ``needs(AUTHENTICATED)`` for anything a logged-in user may
do whatever the role). The dependency authenticates the caller and records the rule on the
route (:func:`rule_of`), so that the documentation and the authorisation matrix test read it
from ``app.routes``. It does not decide the permission itself: the service does, after it has
checked that the actor sees the object (another organisation's object is 404 before any 403).

Who is acting:

* ``Authorization: Bearer TOKEN`` (scripts; no CSRF token needed), else
* the session cookie ``jixiao_session`` (the web), which needs the header ``X-CSRF-Token`` with
  the session's CSRF token on POST, PUT, PATCH and DELETE.
"""

from __future__ import annotations

import logging
import threading
from typing import Annotated

from fastapi import Depends
from fastapi import Request
from fastapi.routing import APIRoute
from fastapi.security import APIKeyCookie
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.security import HTTPBearer

from jixiao.services import auth
from jixiao.services import policy
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Unauthenticated
from jixiao.store.db import Database

SESSION_COOKIE = "jixiao_session"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

PUBLIC = "public"  # anyone, no login (the login itself, the documentation)
AUTHENTICATED = "authenticated"  # any logged-in user, whatever the role (logout, who am I)

# the caller of a public route: no role, no permission, an organisation path nothing is under
ANONYMOUS = Actor(user_id=None, username="anonymous", role="anonymous", org_id=None, org_path="/-/")

_bearer = HTTPBearer(auto_error=False, description="POST /api/v1/login 得到的令牌：Authorization: Bearer TOKEN")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                       description="网页登录的会话 Cookie（写操作需带 X-CSRF-Token 请求头）")

RULE_ATTRIBUTE = "jixiao_rule"
MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database: a larger one is a bad request, not a crash


_opening = threading.Lock()


def database(request: Request) -> Database:
    """The app's database (made from the environment on first use when the app was given none)."""
    state = request.app.state
    if state.db is None:
        with _opening:  # two first requests at once open one engine, not two
            if state.db is None:
                database = Database()
                recover_jobs(database)
                state.db = database
    return state.db


def recover_jobs(database: Database) -> None:
    """When the server starts: the jobs of a server process that was killed are failed
    (services.jobs.recover); a database not yet migrated is left to its error elsewhere."""
    from jixiao.services import jobs

    try:
        jobs.recover(database)
    except Exception:  # noqa: BLE001 - never stops the server from starting
        logging.getLogger(__name__).warning("could not look for jobs of stopped processes", exc_info=True)


def authenticate(request: Request, db: Database, bearer: str | None, cookie: str | None) -> Actor:
    if bearer:
        actor, info = auth.actor_for_token(db, bearer, kind="bearer")
        token = bearer
    elif cookie:
        actor, info = auth.actor_for_token(db, cookie, kind="session")
        if request.method in UNSAFE_METHODS:
            auth.check_csrf(info, request.headers.get(CSRF_HEADER))
        token = cookie
    else:
        raise Unauthenticated("请先登录（Authorization: Bearer 令牌，或网页登录）", code="unauthenticated")
    request.state.token = token
    request.state.token_info = info
    return actor


def needs(*rules: str):
    """The dependency of a route whose rule is ``rules``: ``PUBLIC``, ``AUTHENTICATED``, or one or
    more permissions of ``policy.PERMISSIONS`` (several: which one applies depends on the request,
    e.g. a transition's action and the document's state). Gives the route its :class:`Ctx`."""
    if not rules:
        raise ValueError("needs() takes a rule")
    for rule in rules:
        if rule not in policy.PERMISSIONS and rule not in (PUBLIC, AUTHENTICATED):
            raise KeyError(f"unknown rule {rule!r}: a permission of policy.PERMISSIONS, PUBLIC or AUTHENTICATED")
    if len(rules) > 1 and not set(rules) <= set(policy.PERMISSIONS):
        raise ValueError("PUBLIC and AUTHENTICATED stand alone")

    if rules == (PUBLIC,):
        def dependency(request: Request) -> Ctx:
            return Ctx(database(request), ANONYMOUS)
    else:
        def dependency(
            request: Request,
            bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
            cookie: Annotated[str | None, Depends(_cookie)],
        ) -> Ctx:
            db = database(request)
            return Ctx(db, authenticate(request, db, bearer.credentials if bearer else None, cookie))

    setattr(dependency, RULE_ATTRIBUTE, tuple(rules))
    dependency.__name__ = "needs_" + "_".join(r.replace(".", "_") for r in rules)
    return Depends(dependency)


def rule_of(route: APIRoute) -> tuple[str, ...] | None:
    """The rule a route declared with :func:`needs` (None when it declared none; two are an error)."""
    rules = [getattr(d.call, RULE_ATTRIBUTE) for d in route.dependant.dependencies
             if hasattr(d.call, RULE_ATTRIBUTE)]
    if len(rules) > 1:
        raise ValueError(f"{route.path} declares more than one rule: {rules}")
    return rules[0] if rules else None


def api_routes(app) -> list[tuple[str, APIRoute]]:
    """Every API route of the app with its full path (prefixes of included routers applied).

    Older FastAPI copies an included router's routes into the app with their full paths; newer
    FastAPI (0.13x+) keeps the router and its include prefix. Both are walked here."""
    found: list[tuple[str, APIRoute]] = []

    def walk(routes, prefix: str) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.append((prefix + route.path, route))
            elif hasattr(route, "original_router"):
                context = getattr(route, "include_context", None)
                walk(route.original_router.routes, prefix + (getattr(context, "prefix", "") or ""))

    walk(app.routes, "")
    return found


def rule_table(app) -> dict[tuple[str, str], tuple[str, ...] | None]:
    """``{(METHOD, path): rule}`` of every route of the app (None: no rule declared)."""
    return {(method, path): rule_of(r) for path, r in api_routes(app) for method in sorted(r.methods)}

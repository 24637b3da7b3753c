"""管理: users and roles (add a user, the generated password shown once), organisations, the
audit log (filterable, read only). Who may do what is the services' decision (user.manage,
audit.read): a role without it gets the 403 page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.responses import Response

from jixiao.services import audit
from jixiao.services import orgs
from jixiao.services import overview
from jixiao.services import policy
from jixiao.services import users
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

AUDIT_PAGE = 50


def org_options(p: Page, tree: dict | None = None) -> list[tuple[int, str]]:
    """The organisations in scope for a select, indented by depth (tree order); from ``tree`` (an
    ``overview.org_tree`` the page has read) when given."""
    tree = tree if tree is not None else overview.org_tree(p.ctx, counts=False)
    return [(o["id"], "\u3000" * o["depth"] + o["name"]) for o in tree["items"]]


def _users_page(request: Request, p: Page, *, status: int = 200, created: dict | None = None,
                password: str | None = None, error: str | None = None, values: dict | None = None) -> Response:
    listed = users.list_users(p.ctx)  # 403 without user.manage
    return render(request, p, "admin/users.html", status=status, users=listed, org_options=org_options(p),
                  roles=policy.ROLES, grants=policy.GRANTS, permissions=policy.PERMISSIONS, created=created,
                  password=password, error=error, values=values or {})


@router.get("/admin")
@router.get("/admin/users")
def users_page(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    return _users_page(request, p)


@router.post("/admin/users")
def add_user(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    values = {k: p.value(k).strip() for k in ("username", "display_name", "role", "org")}
    try:
        created, password = users.add_user(p.ctx, values["username"], role=values["role"], org=values["org"],
                                           display_name=values["display_name"])
    except (Invalid, NotFound) as exc:
        return _users_page(request, p, status=422, error=exc.message, values=values)
    return _users_page(request, p, created=created, password=password)


def _orgs_page(request: Request, p: Page, *, status: int = 200, created: dict | None = None,
               error: str | None = None, values: dict | None = None) -> Response:
    policy.require(p.actor, "user.manage")
    tree = overview.org_tree(p.ctx)
    return render(request, p, "admin/orgs.html", status=status, tree=tree, org_options=org_options(p, tree), created=created, error=error,
                  values=values or {}, levels=orgs.LEVEL_LABELS)


@router.get("/admin/orgs")
def orgs_page(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    return _orgs_page(request, p)


@router.post("/admin/orgs")
def add_org(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    values = {k: p.value(k).strip() for k in ("name", "level", "parent", "code")}
    try:
        created = orgs.create_org(p.ctx, name=values["name"], level=values["level"], parent=values["parent"] or None,
                                  code=values["code"] or None)
    except (Invalid, NotFound) as exc:
        return _orgs_page(request, p, status=422, error=exc.message, values=values)
    return _orgs_page(request, p, created=created)


@router.get("/admin/audit")
def audit_page(request: Request, p: Annotated[Page, Depends(page)], type: str = "",  # noqa: A002
               id: str = "", offset: int = 0) -> Response:  # noqa: A002
    obj = f"{type}:{id.strip()}" if type and id.strip() else (type or None)
    entries = audit.list_entries(p.ctx, object=obj, limit=AUDIT_PAGE, offset=max(0, offset))
    return render(request, p, "admin/audit.html", entries=entries, type=type, id=id, page_size=AUDIT_PAGE)

"""总览: the region's figures for a year as ECharts charts (vendored; drawn by static/js/dashboard.js
from the JSON the page carries), each clicking through to the list behind it; and 审核发现, the
findings list those clicks open (filtered by code, severity, organisation, status)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.responses import Response

from jixiao.services import dashboard
from jixiao.services import findings
from jixiao.services import overview
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

PAGE_SIZE = 50


def _org_options(p: Page) -> list[dict]:
    return overview.org_tree(p.ctx, counts=False)["items"]


@router.get("/dashboard")
def dashboard_page(request: Request, p: Annotated[Page, Depends(page)], org: str = "", dept: str = "") -> Response:
    board = dashboard.dashboard(p.ctx, year=p.year, org=org or None)
    tree = _org_options(p)
    departments = [o for o in tree if o["level"] == "department"]
    chosen = dept or (str(board["org"]["id"]) if board["org"] and board["org"]["level"] == "department" else "")
    if not chosen and board["departments"]:
        chosen = str(next((d["id"] for d in board["departments"] if any(o["id"] == d["id"] for o in departments)),
                          board["departments"][0]["id"]))
    years = dashboard.department_years(p.ctx, chosen) if chosen else None
    return render(request, p, "dashboard.html", board=board, years=years, org=org, dept=chosen, tree=tree,
                  departments=departments)


@router.get("/findings")
def findings_page(request: Request, p: Annotated[Page, Depends(page)], code: str = "", severity: str = "",
                  org: str = "", status: str = "", offset: int = 0) -> Response:
    found = findings.list_findings(p.ctx, year=p.year, org=org or None, code=code or None,
                                   severity=severity or None, status=status or None, limit=PAGE_SIZE,
                                   offset=max(0, offset))
    docs = dashboard.document_refs(p.ctx, {f["document_id"] for f in found["items"]})
    return render(request, p, "findings_list.html", found=found, docs=docs, code=code, severity=severity, org=org,
                  status_filter=status, tree=_org_options(p), statuses=findings.STATUSES, page_size=PAGE_SIZE,
                  titles=dashboard.code_titles(code))

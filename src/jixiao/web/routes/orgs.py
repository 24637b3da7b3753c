"""单位与年度: the organisation tree of the user's scope (documents counted per unit, search by
name), and the documents of the chosen unit and its subtree with their state and findings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.responses import Response

from jixiao.services import documents
from jixiao.services import overview
from jixiao.services import workflow
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

PAGE_SIZE = 50


@router.get("/orgs")
def orgs_page(request: Request, p: Annotated[Page, Depends(page)], q: str = "", org: str = "", state: str = "",
              kind: str = "", offset: int = 0) -> Response:
    tree = overview.org_tree(p.ctx, year=p.year, q=q)
    chosen = None
    if org:
        chosen = next((o for o in tree["items"] if str(o["id"]) == org), None)
    elif q and tree["matched"] == 1:  # the search names one unit: show its documents
        chosen = next(o for o in tree["items"] if o["matched"])
    docs = None
    if chosen is not None or not q:
        docs = documents.list_documents(p.ctx, year=p.year, org=chosen["id"] if chosen else None, state=state or None,
                                        kind=kind or None, limit=PAGE_SIZE, offset=max(0, offset))
        # grouped by organisation for the table (the service orders newest first)
        groups: dict[int, dict] = {}
        for item in docs["items"]:
            groups.setdefault(item["org"]["id"], {"org": item["org"], "items": []})["items"].append(item)
        docs["groups"] = list(groups.values())
    return render(request, p, "orgs.html", tree=tree, chosen=chosen, docs=docs, q=q, state=state, kind=kind,
                  page_size=PAGE_SIZE, states=workflow.STATES)

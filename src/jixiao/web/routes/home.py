"""工作台: what waits for the user, by state, with counts; the open 整改 tasks in the user's scope
of every year with their deadlines (``rectification.waiting``: last year's open task is not lost
when the new year is chosen); recent activity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.responses import Response

from jixiao.services import audit
from jixiao.services import deadlines
from jixiao.services import documents
from jixiao.services import policy
from jixiao.services import rectification
from jixiao.services import workflow
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

SHOWN = 8  # documents listed per state on the page (the count is of all)


def review_states(p: Page) -> list[str]:
    """The states from which the user's role may approve (read from workflow.TRANSITIONS), else
    every state under review (what the user waits for)."""
    mine = [t.state for t in workflow.TRANSITIONS.values() if t.action == "approve" and p.can(t.permission)]
    return mine or [t.state for t in workflow.TRANSITIONS.values() if t.action == "approve"]


def buckets(p: Page) -> list[dict]:
    return [
        {"key": "draft", "label": "待填报", "states": ["draft"], "hint": "草稿，尚未提交"},
        {"key": "review", "label": "待审核", "states": review_states(p),
         "hint": "已提交、等待审核" if any(p.can(t.permission) for t in workflow.TRANSITIONS.values()
                                          if t.action == "approve") else "已提交、等待上级审核"},
        {"key": "returned", "label": "已退回", "states": ["returned"], "hint": "退回修改"},
        {"key": "approved", "label": "已批复", "states": ["approved"], "hint": "财政已批复"},
    ]


@router.get("/")
def home(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    policy.require(p.actor, "document.read")
    cards = []
    for bucket in buckets(p):
        found = documents.list_documents(p.ctx, year=p.year, state=",".join(bucket["states"]), limit=SHOWN)
        for item in found["items"]:
            item["allowed"] = workflow.allowed_actions(p.actor, item)
        deadlines.for_documents(p.ctx, found["items"])
        mine = any(item["allowed"] for item in found["items"])
        cards.append(bucket | {"total": found["total"], "items": found["items"], "mine": mine})
    activity = audit.list_entries(p.ctx, limit=12) if p.can("audit.read") else None
    due = deadlines.for_actor(p.ctx, p.year)
    tasks = rectification.waiting(p.ctx, limit=SHOWN)
    return render(request, p, "home.html", cards=cards, activity=activity, actions=workflow.ACTIONS, due=due,
                  tasks=tasks)

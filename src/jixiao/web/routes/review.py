"""审核: the reviewer's view of a submitted document — the findings checklist (已整改 / 不予采纳 with
a comment each), free comments on any row, 通过 / 退回 with a comment, the changes since the
last 退回 and the difference from the previous version — and, for the unit, 提交 with an
explanation for every open error.

Everything is a service call: ``findings.set_finding_status``, ``comments.comment``,
``workflow.transition`` (which decides who may take which step and what it needs). The page
needs ``finding.review`` (an auditor gets the 403 page); plain forms work without script, htmx
redraws only the finding's row or the comments of a row.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.responses import RedirectResponse
from fastapi.responses import Response

from jixiao.services import comments
from jixiao.services import documents
from jixiao.services import editing
from jixiao.services import findings
from jixiao.services import policy
from jixiao.services import target_editor
from jixiao.services import workflow
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

DONE = {"submit": "已提交", "approve": "审核通过", "return": "已退回，单位可修改后重新提交",
        "publish": "已公开", "comment": "批注已添加", "status": "审核发现的处理状态已保存"}


def _is_htmx(request: Request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _back(doc_id: int, done: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/documents/{doc_id}/review?{urlencode({'done': done})}{anchor}", status_code=303)


def _review_page(request: Request, p: Page, doc_id: int, *, status: int = 200, error: str | None = None,
                 missing: list[int] | None = None, given: dict | None = None, comment_text: str = "",
                 against: int | None = None) -> Response:
    doc = documents.get_document(p.ctx, doc_id, parsed=False)  # 404 outside the scope
    policy.require(p.actor, "finding.review")  # 403: a read-only role
    items = findings.list_findings(p.ctx, document_id=doc_id, limit=1000)["items"]
    items.sort(key=lambda f: (SEVERITY_ORDER.get(f["severity"], 3), f["id"]))  # errors first, then as found
    sets = editing.get_target_sets(p.ctx, [ref["id"] for ref in doc["target_set_refs"]])
    rows = []
    for ts in sets:
        by_row, _other = target_editor.row_findings(ts)
        rows.append({"ts": ts, "by_row": by_row, "weights": target_editor.weight_total(ts["indicators"])})
    open_errors = [f for f in items if f["severity"] == "error" and f["status"] == "open"]
    previous = [v for v in doc["versions"] if v["version"] < doc["version"]]
    compare = None
    if against is not None or previous:
        other = against if against is not None else previous[-1]["id"]
        compare = documents.diff_versions(p.ctx, other, doc_id)
    steps = {a: workflow.TRANSITIONS[(doc["state"], a)] for a in doc["allowed"] if (doc["state"], a) in workflow.TRANSITIONS}
    return render(request, p, "review.html", status=status, doc=doc, findings=items, sets=rows,
                  open_errors=open_errors, comments=comments.list_comments(p.ctx, doc_id),
                  history=comments.workflow_history(p.ctx, doc_id), changes=comments.changes_since_return(p.ctx, doc_id),
                  compare=compare, labels={**comments.SET_LABELS, **editing.FIELD_LABELS}, steps=steps, error=error, missing=set(missing or []), given=given or {},
                  comment_text=comment_text, done=DONE.get(request.query_params.get("done", "")),
                  can_edit=p.can("document.edit"), can_comment=p.can("finding.review"))


@router.get("/documents/{doc_id}/review")
def review_page(request: Request, p: Annotated[Page, Depends(page)], doc_id: int, against: int | None = None) -> Response:
    return _review_page(request, p, doc_id, against=against)


@router.post("/documents/{doc_id}/transition")
def transition(request: Request, p: Annotated[Page, Depends(page)], doc_id: int) -> Response:
    action = p.value("action")
    text = p.value("comment")
    given = {}
    if p.form is not None:
        for key in p.form:
            if key.startswith("explain-") and key[8:].isdigit():
                given[int(key[8:])] = p.value(key)
    try:
        workflow.transition(p.ctx, doc_id, action, comment=text, explanations=given if action == "submit" else None)
    except (Invalid, Conflict) as exc:
        missing = exc.detail.get("findings") if isinstance(exc.detail, dict) else None
        return _review_page(request, p, doc_id, status=exc.status, error=exc.message, missing=missing, given=given,
                            comment_text=text)
    return _back(doc_id, action)


@router.post("/documents/{doc_id}/findings/{finding_id}/status")
def finding_status(request: Request, p: Annotated[Page, Depends(page)], doc_id: int, finding_id: int) -> Response:
    status, reason = p.value("status"), p.value("reason")
    error = None
    try:
        finding = findings.set_finding_status(p.ctx, finding_id, status, reason)
    except Invalid as exc:
        error = exc.message
        finding = next(f for f in findings.list_findings(p.ctx, document_id=doc_id, limit=1000)["items"]
                       if f["id"] == finding_id)
    if not _is_htmx(request):
        if error:
            return _review_page(request, p, doc_id, status=422, error=error)
        return _back(doc_id, "status", f"#finding-{finding_id}")
    return render(request, p, "review_finding.html", status=422 if error else 200, f=finding, doc_id=doc_id,
                  row_error=error, reason=reason)


@router.post("/documents/{doc_id}/comments")
def add_comment(request: Request, p: Annotated[Page, Depends(page)], doc_id: int) -> Response:
    location, subject, text = p.value("location"), p.value("subject"), p.value("text")
    key = p.value("key")
    try:
        comments.comment(p.ctx, doc_id, location, text, subject=subject)
    except Invalid as exc:
        if not _is_htmx(request):
            return _review_page(request, p, doc_id, status=422, error=exc.message)
        return render(request, p, "review_comments.html", status=422, items=comments.list_comments(p.ctx, doc_id)
                      ["by_location"].get(location, []), key=key, error=exc.message)
    if not _is_htmx(request):
        return _back(doc_id, "comment")
    return render(request, p, "review_comments.html", items=comments.list_comments(p.ctx, doc_id)["by_location"]
                  .get(location, []), key=key, error=None)

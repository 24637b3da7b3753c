"""文档: one document drawn like the original (``services.document_view``), its findings beside it
(filtered by severity and code with htmx; a click scrolls to the row or cell and highlights it),
for a PDF the page view (the page rendered by ``services.page_images`` with the located row
boxed), the workflow buttons (``services.workflow.transition``), the versions and the difference
against the previous one (``services.documents.diff_versions``), the original file."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from fastapi.responses import Response

from jixiao.services import document_view
from jixiao.services import documents
from jixiao.services import page_images
from jixiao.services import workflow
from jixiao.services.errors import ServiceError
from jixiao.services.errors import not_found
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_TABLE_ROW = re.compile(r"^t(\d+)(?:r(\d+))?")


def _marks(panel: dict) -> dict[str, str]:
    """Element key → the most severe finding pointed at it (the element's margin colour)."""
    out: dict[str, str] = {}
    for f in panel["all"]:
        if f["target"] and SEVERITY_ORDER[f["severity"]] < SEVERITY_ORDER.get(out.get(f["target"], "x"), 3):
            out[f["target"]] = f["severity"]
    return out


def _panel(p: Page, view: dict, severity: str, code: str) -> dict:
    severity = severity if severity in SEVERITY_ORDER else ""
    panel = document_view.findings_panel(p.ctx, view, severity=severity or None, code=code or None)
    panel["all"] = (panel["items"] if not (severity or code)
                    else document_view.findings_panel(p.ctx, view)["items"])
    return panel


def _document_page(request: Request, p: Page, document_id: int, *, severity: str = "", code: str = "",
                   status: int = 200, error: str | None = None, comment: str = "") -> Response:
    view = document_view.document_view(p.ctx, document_id)
    panel = _panel(p, view, severity, code)
    versions = view.get("versions") or []
    previous = None
    for v in versions:
        if v["version"] < view["version"]:
            previous = v
    open_errors = [f for f in panel["all"] if f["severity"] == "error" and f["status"] == "open"]
    pages = page_images.page_count(p.ctx, document_id) if view.get("format") == "pdf" else 0
    return render(request, p, "documents/document.html", status=status, doc=view, panel=panel, marks=_marks(panel),
                  previous=previous, versions=versions, actions=workflow.ACTIONS, open_errors=open_errors,
                  pages=pages, error=error, comment=comment)


@router.get("/documents/{document_id}")
def document_page(request: Request, p: Annotated[Page, Depends(page)], document_id: int, severity: str = "",
                  code: str = "") -> Response:
    return _document_page(request, p, document_id, severity=severity, code=code)


@router.get("/documents/{document_id}/findings")
def findings_partial(request: Request, p: Annotated[Page, Depends(page)], document_id: int, severity: str = "",
                     code: str = "") -> Response:
    view = document_view.document_view(p.ctx, document_id)
    panel = _panel(p, view, severity, code)
    return render(request, p, "documents/findings.html", doc=view, panel=panel)


@router.post("/documents/{document_id}/actions")
def transition(request: Request, p: Annotated[Page, Depends(page)], document_id: int) -> Response:
    action = p.value("action")
    comment = p.value("comment")
    explanations = {}
    if p.form is not None:
        for name, value in p.form.multi_items():
            if name.startswith("explanation_") and isinstance(value, str) and value.strip():
                explanations[name.removeprefix("explanation_")] = value.strip()
    try:
        workflow.transition(p.ctx, document_id, action, comment=comment, explanations=explanations or None)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _document_page(request, p, document_id, status=exc.status, error=exc.message, comment=comment)
    label = workflow.ACTIONS.get(action, action)
    return RedirectResponse(f"/documents/{document_id}?done={quote(label)}", status_code=303)


@router.get("/documents/{document_id}/source")
def source(p: Annotated[Page, Depends(page)], document_id: int) -> Response:
    name, data, fmt = documents.source_file(p.ctx, document_id)
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name) or f"document-{document_id}"
    media = {"pdf": "application/pdf", "txt": "text/plain; charset=utf-8", "csv": "text/csv"}.get(fmt, "application/octet-stream")
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"})


@router.get("/documents/{document_id}/pages/{number}.png")
async def page_image(p: Annotated[Page, Depends(page)], document_id: int, number: int) -> Response:
    data = await run_in_threadpool(page_images.page_png, p.ctx, document_id, number)
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/documents/{document_id}/pages/{number}")
async def page_view(request: Request, p: Annotated[Page, Depends(page)], document_id: int, number: int,
                    row: str = "") -> Response:
    """The page view (a fragment): the page image with the row ``row`` (``p8:t1r5``) boxed."""
    count = await run_in_threadpool(page_images.page_count, p.ctx, document_id)
    if not 1 <= number <= count:
        raise not_found("页面", number)
    box = None
    rotated = False
    found = None
    where = row.split(":", 1)[1] if ":" in row else ""
    if m := _TABLE_ROW.match(where):
        rows = await run_in_threadpool(page_images.page_rows, p.ctx, document_id, number)
        rotated = rows["rotated"]
        box = page_images.row_box(rows, int(m.group(1)), int(m.group(2)) if m.group(2) else None)
        found = "row" if box is not None and m.group(2) else "table" if box is not None else None
    return render(request, p, "documents/page_view.html", document_id=document_id, number=number, count=count,
                  box=box, row=row, rotated=rotated, found=found)


@router.get("/documents/{document_id}/diff/{other_id}")
def diff_page(request: Request, p: Annotated[Page, Depends(page)], document_id: int, other_id: int) -> Response:
    diff = documents.diff_versions(p.ctx, other_id, document_id)
    doc = documents.get_document(p.ctx, document_id)
    return render(request, p, "documents/diff.html", diff=diff, doc=doc)

"""上传: several files dropped (or picked) with an organisation and a year; each file becomes an
import job (``services.jobs.submit``), the page polls a small partial every second (htmx) with a
progress bar per file until every job has ended, then shows per file what was recognised: the
kind, tables, target sets, findings by severity and a link to the document, or the reason it
failed."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from jixiao.services import document_view
from jixiao.services import jobs
from jixiao.services import policy
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.services.errors import ServiceError
from jixiao.web.routes.admin import org_options
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

MAX_FILES = 50
ACCEPT = ".pdf,.doc,.docx,.wps,.xls,.xlsx,.et,.ods,.odt,.rtf,.csv,.txt,.htm,.html,.mht,.mhtml"


def _job_ids(value: str) -> list[str]:
    return [j for j in (value or "").split(",") if j.strip()][:MAX_FILES]


def _form(request: Request, p: Page, *, status: int = 200, error: str | None = None, org: str = "",
          year: str = "", jobs_param: str = "") -> Response:
    policy.require(p.actor, "document.import")
    progress = _progress(p, _job_ids(jobs_param)) if jobs_param else None
    return render(request, p, "upload.html", status=status, error=error, org_options=org_options(p),
                  org=org or str(p.me.get("org", {}).get("id") or ""), year=year,
                  accept=ACCEPT, progress=progress, jobs_param=jobs_param, max_files=MAX_FILES)


@router.get("/upload")
def upload_page(request: Request, p: Annotated[Page, Depends(page)], jobs: str = "", org: str = "",  # noqa: A002
                error: str = "") -> Response:
    return _form(request, p, org=org, jobs_param=jobs, error=error or None)


@router.post("/upload")
async def upload(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    policy.require(p.actor, "document.import")
    form = p.form
    org, year = p.value("org").strip(), p.value("year").strip()
    files = [f for f in (form.getlist("files") if form is not None else []) if isinstance(f, UploadFile) and f.filename]
    if not files:
        return _form(request, p, status=422, error="请选择或拖入要上传的文件", org=org, year=year)
    if len(files) > MAX_FILES:
        return _form(request, p, status=422, error=f"一次最多上传 {MAX_FILES} 个文件", org=org, year=year)
    submitted = []
    problem = ""
    try:
        for f in files:
            data = await f.read()
            job = await run_in_threadpool(jobs.submit, p.ctx, "import",
                                          {"org": org, "year": year or None, "files": [{"name": f.filename, "data": data}]})
            submitted.append(job["id"])
    except (Invalid, NotFound) as exc:
        if not submitted:
            return _form(request, p, status=422, error=exc.message, org=org, year=year)
        problem = "&" + urlencode({"error": f"其余文件未能提交：{exc.message}"})
    return RedirectResponse(f"/upload?jobs={','.join(submitted)}{problem}", status_code=303)


def _progress(p: Page, job_ids: list[str]) -> dict:
    """Each job (one file) with its state and, once done, the file's result and what it holds."""
    items = []
    for job_id in job_ids:
        try:
            job = jobs.get_job(p.ctx, job_id)
        except ServiceError:
            continue
        result = job.get("result") or {}
        files = result.get("files") or []
        item = {"job": job, "file": files[0] if files else None, "summary": None,
                "name": (files[0]["name"] if files else job.get("current"))}
        if item["file"] and item["file"].get("id") and item["file"].get("status") in ("created", "existing"):
            try:
                item["summary"] = document_view.upload_summary(p.ctx, item["file"]["id"])
            except ServiceError:
                item["summary"] = None
        items.append(item)
    waiting = [i["job"]["id"] for i in items if not i["name"]]
    names = document_view.upload_names(p.ctx, waiting) if waiting else {}
    for item in items:
        item["name"] = item["name"] or names.get(item["job"]["id"]) or "文件"
    ended = sum(1 for i in items if i["job"]["state"] in ("done", "failed"))
    return {"items": items, "ended": ended, "total": len(items), "finished": ended == len(items),
            "jobs": ",".join(job_ids)}


@router.get("/upload/progress")
def upload_progress(request: Request, p: Annotated[Page, Depends(page)], jobs: str = "") -> Response:  # noqa: A002
    policy.require(p.actor, "document.import")
    return render(request, p, "upload_progress.html", progress=_progress(p, _job_ids(jobs)))

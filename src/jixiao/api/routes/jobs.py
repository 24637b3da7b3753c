"""Background jobs: a folder or a batch of files imported, a batch checked, with progress."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import File
from fastapi import Form
from fastapi import Path
from fastapi import Query
from fastapi import Response
from fastapi import UploadFile
from fastapi import status
from pydantic import BaseModel
from pydantic import Field

from jixiao.api.deps import needs
from jixiao.api.listing import Limit
from jixiao.api.listing import Offset
from jixiao.services import jobs
from jixiao.services.context import Ctx

router = APIRouter(tags=["后台任务"])

ACCEPTED = {"description": "任务已建立，正在排队或进行；用 GET /api/v1/jobs/{id} 查看进度"}


def _accepted(response: Response, job: dict) -> dict:
    response.headers["Location"] = f"/api/v1/jobs/{job['id']}"
    return job


@router.post("/jobs/import", summary="批量导入（上传多个文件，或服务器上的文件夹）", status_code=status.HTTP_202_ACCEPTED,
             description="上传的文件（`files`，可多个）或服务器导入目录下的文件夹（`folder`）逐个导入，每个文件一个事务。"
                         "立即返回任务，进度见 GET /api/v1/jobs/{id}。", responses={202: ACCEPTED})
def submit_import(
    response: Response,
    ctx: Annotated[Ctx, needs("document.import")],
    org: Annotated[str, Form(min_length=1, description="导入到哪个单位（单位编码、名称或 id）")],
    files: Annotated[list[UploadFile] | None, File(description="要导入的文件")] = None,
    folder: Annotated[str | None, Form(description="服务器导入目录（JIXIAO_IMPORT_DIR）下的文件夹")] = None,
    year: Annotated[int | None, Form(ge=1990, le=2100, description="年度（不填时取文件中写明的年度）")] = None,
) -> dict:
    params: dict = {"org": org, "year": year}
    if files:
        params["files"] = [{"name": f.filename or f"file{i}", "data": f.file.read()} for i, f in enumerate(files, 1)]
    if folder:
        params["folder"] = folder
    return _accepted(response, jobs.submit(ctx, "import", params))


class CheckIn(BaseModel):
    documents: list[int] | None = Field(None, description="重新审核的文档编号")
    folder: str | None = Field(None, description="或：服务器导入目录下的文件夹（只审核，不入库）")
    org: str | None = Field(None, description="任务所属单位（可不填）")


@router.post("/jobs/check", summary="批量审核（已入库的文档，或服务器上的文件夹；不入库）",
             status_code=status.HTTP_202_ACCEPTED, responses={202: ACCEPTED})
def submit_check(body: CheckIn, response: Response, ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    params = {k: v for k, v in body.model_dump().items() if v not in (None, [])}
    return _accepted(response, jobs.submit(ctx, "check", params))


@router.get("/jobs", summary="后台任务列表（新的在前）")
def list_jobs(
    ctx: Annotated[Ctx, needs("job.read")],
    kind: Annotated[str | None, Query(description="类型：import 导入、check 批量审核")] = None,
    state: Annotated[str | None, Query(description="状态：queued 排队中、running 进行中、done 已完成、failed 失败")] = None,
    limit: Limit = None,
    offset: Offset = 0,
) -> dict:
    return jobs.list_jobs(ctx, kind=kind, state=state, limit=limit or 50, offset=offset)


@router.get("/jobs/{job_id}", summary="一个后台任务的进度和结果",
            description="state（排队中、进行中、已完成、失败），done/total，当前文件 current，完成后的 result。")
def get_job(job_id: Annotated[str, Path(max_length=36, description="任务编号")],
            ctx: Annotated[Ctx, needs("job.read")]) -> dict:
    return jobs.get_job(ctx, job_id)

"""Documents: upload, list (filters, pages, exports), read, versions, difference, the original
file, findings, transitions."""

from __future__ import annotations

from typing import Annotated
from typing import Literal

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

from jixiao.api.deps import MAX_ID
from jixiao.api.deps import needs
from jixiao.api.listing import Format
from jixiao.api.listing import Limit
from jixiao.api.listing import Offset
from jixiao.api.listing import attachment
from jixiao.api.listing import page_or_export
from jixiao.api.responses import JSONBody
from jixiao.services import documents
from jixiao.services import exports
from jixiao.services import findings
from jixiao.services import imports
from jixiao.services import workflow
from jixiao.services.context import Ctx

router = APIRouter(tags=["文档"])

DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="文档编号")]
Year = Annotated[int | None, Query(description="年度")]
Org = Annotated[str | None, Query(description="单位（单位编码、名称或 id），含其下级单位")]
Code = Annotated[str | None, Query(description="审核发现代码（可用逗号分隔多个）")]
Severity = Annotated[str | None, Query(description="严重程度：error、warning、info（可用逗号分隔）")]

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword", "wps": "application/msword",
    "xls": "application/vnd.ms-excel", "et": "application/vnd.ms-excel",
    "html": "text/html; charset=utf-8", "csv": "text/csv", "txt": "text/plain", "text": "text/plain",
}


@router.post(
    "/documents", summary="上传并导入一个文件", status_code=status.HTTP_201_CREATED,
    description="读取 → 解析 → 审核 → 入库，一个事务。新文档返回 201；同样的文件内容已导入过时返回 200 和原文档的 id。"
                "同一单位、年度、类别的更正文件成为该文档的新版本。",
    responses={200: {"description": "同样的内容已导入过：原文档"}},
)
def upload_document(
    response: Response,
    ctx: Annotated[Ctx, needs("document.import")],
    file: Annotated[UploadFile, File(description="文件（PDF、Word、Excel、网页、CSV、文本；按内容识别格式）")],
    org: Annotated[str, Form(min_length=1, description="所属单位或其上级（单位编码、名称或 id）")],
    year: Annotated[int | None, Form(ge=1990, le=2100, description="年度（不填时取文件中写明的年度）")] = None,
) -> dict:
    imports.check_size(file.filename or "upload", file.size)  # 413 before the bytes are read
    data = file.file.read()
    result = imports.import_bytes(ctx, data, file.filename or "upload", org=org, year=year)
    if not result.get("created", True):
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/api/v1/documents/{result['id']}"
    return result


@router.get("/documents", summary="文档列表（筛选、分页、导出）",
            description="按年度、单位（含下级）、类别、状态、审核发现代码、严重程度筛选；默认只列当前版本。"
                        "`format=csv|xlsx` 导出筛选出的全部文档。")
def list_documents(
    ctx: Annotated[Ctx, needs("document.read")],
    year: Year = None,
    org: Org = None,
    kind: Annotated[str | None, Query(description="类别：targets、budget_disclosure、final_accounts、"
                                                  "self_evaluation_report、self_evaluation_table（可用逗号分隔）")] = None,
    state: Annotated[str | None, Query(description="流程状态：" + "、".join(f"{k} {v}" for k, v in
                                                                       workflow.STATES.items()))] = None,
    code: Code = None,
    severity: Severity = None,
    current_only: Annotated[bool, Query(description="只列当前版本")] = True,
    limit: Limit = None,
    offset: Offset = 0,
    format: Format = "json",  # noqa: A002 - the query parameter's name
):
    def fetch(n: int, skip: int) -> dict:
        return documents.list_documents(ctx, year=year, org=org, kind=kind, state=state, code=code,
                                        severity=severity, current_only=current_only, limit=n, offset=skip)

    return page_or_export(fetch, exports.DOCUMENT_COLUMNS, fmt=format, limit=limit, offset=offset, title="文档列表")


@router.get("/documents/{document_id}", summary="一个文档：解析结果（与 jixiao parse --json 同名字段）、状态、版本")
def get_document(document_id: DocumentId, ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return JSONBody(documents.get_document(ctx, document_id))  # the parse JSON: no jsonable_encoder walk


@router.get("/documents/{document_id}/source", summary="下载原始文件",
            response_class=Response, responses={200: {"content": {"application/octet-stream": {}}}})
def get_source(document_id: DocumentId, ctx: Annotated[Ctx, needs("document.read")]) -> Response:
    name, data, fmt = documents.source_file(ctx, document_id)
    return Response(data, media_type=MEDIA_TYPES.get(fmt, "application/octet-stream"),
                    headers={"Content-Disposition": attachment(name)})


@router.get("/documents/{document_id}/findings", summary="一个文档的审核发现（分页、筛选、导出）")
def document_findings(
    document_id: DocumentId,
    ctx: Annotated[Ctx, needs("document.read")],
    code: Code = None,
    severity: Severity = None,
    status: Annotated[str | None, Query(description="处理状态：open 待处理、fixed 已整改、rejected 不予采纳")] = None,
    limit: Limit = None,
    offset: Offset = 0,
    format: Format = "json",  # noqa: A002
):
    def fetch(n: int, skip: int) -> dict:
        return findings.list_findings(ctx, document_id=document_id, code=code, severity=severity, status=status,
                                      limit=n, offset=skip)

    return page_or_export(fetch, exports.FINDING_COLUMNS, fmt=format, limit=limit, offset=offset,
                          title=f"文档{document_id}-审核发现", default_limit=100)


@router.get("/documents/{document_id}/versions", summary="同一单位、年度、类别的全部版本")
def document_versions(document_id: DocumentId, ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return documents.document_versions(ctx, document_id)


@router.get("/documents/{document_id}/diff/{other_id}", summary="两个版本之间指标层面的差异",
            description="比较同一单位、年度、类别的两个版本：绩效目标表和指标的新增、删除、修改（字段：[修改前, 修改后]）。")
def diff_versions(
    document_id: Annotated[int, Path(ge=1, le=MAX_ID, description="旧版本的文档编号")],
    other_id: Annotated[int, Path(ge=1, le=MAX_ID, description="新版本的文档编号")],
    ctx: Annotated[Ctx, needs("document.read")],
) -> dict:
    return documents.diff_versions(ctx, document_id, other_id)


class TransitionIn(BaseModel):
    action: Literal["submit", "approve", "return", "publish"] = Field(
        description="submit 提交、approve 通过（部门审核或财政审核）、return 退回、publish 公开")
    comment: str | None = Field(None, max_length=4000, description="意见（退回时必填）")
    explanations: dict[int, str] | None = Field(
        None, description="提交时，每条待处理的错误级审核发现的说明：{审核发现编号: 说明}")


TRANSITION_PERMISSIONS = sorted({t.permission for t in workflow.TRANSITIONS.values()})


@router.post("/documents/{document_id}/transitions", summary="流转：提交、通过、退回、公开",
             description="草稿 → 已提交 → 部门审核通过 → 已批复 → 已公开；已提交或部门审核通过时可退回（须填意见）。"
                         "所需权限取决于操作和文档当前状态（流程表见 docs/architecture.md）；"
                         "角色无权时 403，当前状态不能进行该操作时 409。返回新状态和当前用户此后可进行的操作。")
def transition(document_id: DocumentId, body: TransitionIn,
               ctx: Annotated[Ctx, needs(*TRANSITION_PERMISSIONS)]) -> dict:
    return workflow.transition(ctx, document_id, body.action, comment=body.comment, explanations=body.explanations)

"""Documents: upload, list, read, versions, difference, the original file, transitions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import File
from fastapi import Form
from fastapi import Response
from fastapi import UploadFile
from fastapi import status

from jixiao.api.deps import needs
from jixiao.services import imports
from jixiao.services.context import Ctx

router = APIRouter(tags=["文档"])


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
    data = file.file.read()
    result = imports.import_bytes(ctx, data, file.filename or "upload", org=org, year=year)
    if not result.get("created", True):
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/api/v1/documents/{result['id']}"
    return result

"""Official documents as downloads: ``GET …/export?format=xlsx|docx|pdf``, one route per kind, each
calling one function of :mod:`jixiao.services.official_documents` (reading the document is enough)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Path
from fastapi import Query
from fastapi import Response

from jixiao.api.deps import MAX_ID
from jixiao.api.deps import needs
from jixiao.api.listing import attachment
from jixiao.services import documents
from jixiao.services import official_documents as od
from jixiao.services.context import Ctx

router = APIRouter(tags=["公文导出"])

DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="文档编号")]
TargetSetId = Annotated[int, Path(ge=1, le=MAX_ID, description="绩效目标编号")]
Format = Annotated[str, Query(description="xlsx、docx 或 pdf")]
FILE = {200: {"content": {media: {} for media in (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/pdf")}}}


def _download(result: tuple[str, str, bytes]) -> Response:
    name, media_type, data = result
    return Response(data, media_type=media_type, headers={"Content-Disposition": attachment(name)})


@router.get("/documents/{document_id}/target-table/export", summary="导出绩效目标表（按规定格式）",
            response_class=Response, responses=FILE,
            description="文档中的全部绩效目标表，按其种类的规定格式（标题、填报单位、合并表头、签字栏）写出。")
def target_table(document_id: DocumentId, ctx: Annotated[Ctx, needs("document.read")],
                 format: Format = "xlsx") -> Response:  # noqa: A002 - the query parameter's name
    return _download(od.target_table(ctx, document_id, format))


@router.get("/target-sets/{target_set_id}/target-table/export", summary="导出一个绩效目标的绩效目标表",
            response_class=Response, responses=FILE)
def target_set_table(target_set_id: TargetSetId, ctx: Annotated[Ctx, needs("document.read")],
                     format: Format = "xlsx") -> Response:  # noqa: A002
    return _download(od.target_table(ctx, None, format, target_set_id=target_set_id))


@router.get("/documents/{document_id}/review-opinion/export", summary="导出审核意见书",
            response_class=Response, responses=FILE,
            description="文档的审核发现按严重程度分组，逐条列出位置、应为、实为，以及审核意见（取处理状态、理由和批注）"
                        "和单位反馈（取提交时的说明）两栏。")
def review_opinion(document_id: DocumentId, ctx: Annotated[Ctx, needs("document.read")],
                   format: Format = "docx") -> Response:  # noqa: A002
    return _download(od.review_opinion(ctx, [document_id], format))


@router.get("/review-opinion/export", summary="导出多个文档的审核意见书", response_class=Response, responses=FILE,
            description="先列汇总（每个文档的错误、警告、提示条数），再逐个文档列出审核发现。")
def review_opinions(ctx: Annotated[Ctx, needs("document.read")],
                    documents_: Annotated[str, Query(alias="documents", description="文档编号，逗号分隔")],
                    format: Format = "docx") -> Response:  # noqa: A002
    return _download(od.review_opinion(ctx, documents.split_values(documents_), format))


@router.get("/documents/{document_id}/disclosure/export", summary="导出预算公开文件",
            response_class=Response, responses=FILE,
            description="由文档的预算表生成预算公开文件：docx、pdf 为完整文件（说明中的金额、增减和比例由表格计算，"
                        "原因留待单位填写），xlsx 为各表（每表一个工作表）。province：hunan（湖南十张表）或 "
                        "shanghai（上海九张表），默认按表格判断。")
def disclosure(document_id: DocumentId, ctx: Annotated[Ctx, needs("document.read")], format: Format = "docx",  # noqa: A002
               province: Annotated[str | None, Query(description="hunan 或 shanghai")] = None) -> Response:
    return _download(od.disclosure_package(ctx, document_id, format, province=province))


@router.get("/target-sets/{target_set_id}/self-evaluation/table/export", summary="导出一个绩效目标的自评表",
            response_class=Response, responses=FILE)
def selfeval_table(target_set_id: TargetSetId, ctx: Annotated[Ctx, needs("document.read")],
                   format: Format = "xlsx") -> Response:  # noqa: A002
    return _download(od.selfeval_table(ctx, format, target_set_id=target_set_id))


@router.get("/documents/{document_id}/self-evaluation/table/export", summary="导出文档全部已自评绩效目标的自评表",
            response_class=Response, responses=FILE)
def document_selfeval_table(document_id: DocumentId, ctx: Annotated[Ctx, needs("document.read")],
                            format: Format = "xlsx") -> Response:  # noqa: A002
    return _download(od.selfeval_table(ctx, format, document_id=document_id))


@router.get("/documents/{document_id}/self-evaluation/report/export", summary="导出部门整体支出绩效自评报告",
            response_class=Response, responses=FILE,
            description="文档的部门整体支出绩效目标已自评时，按十部分的提纲生成报告（docx 或 pdf）：数字和陈述数字的句子由"
                        "自评结果生成，只有单位能写的部分留有【待填写】标记。")
def selfeval_report(document_id: DocumentId, ctx: Annotated[Ctx, needs("document.read")],
                    format: Format = "docx") -> Response:  # noqa: A002
    return _download(od.selfeval_report(ctx, document_id, format))

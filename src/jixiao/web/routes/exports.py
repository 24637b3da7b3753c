"""Downloads of the official documents from the web pages (文档, 绩效自评, 审核, and one 审核意见书 of
the documents a 单位与年度 page lists): each link calls one function of
:mod:`jixiao.services.official_documents`, the same the API and ``jixiao export`` call; a refusal (a
kind that does not apply, an unknown format) is the error page with its message."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter
from fastapi import Depends
from fastapi.responses import Response

from jixiao.services import official_documents as od
from jixiao.services.errors import Invalid
from jixiao.web.session import Page
from jixiao.web.session import page

router = APIRouter()

DOCUMENT_KINDS = ("targets", "disclosure", "review", "selfeval-table", "selfeval-report")
TARGET_SET_KINDS = ("targets", "selfeval-table")


def _download(result: tuple[str, str, bytes]) -> Response:
    name, media_type, data = result
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"})


def _kind(kind: str, kinds: tuple[str, ...]) -> str:
    if kind not in kinds:
        raise Invalid(f"不能导出“{kind}”（可选：{'、'.join(kinds)}）", code="invalid_kind")
    return kind


@router.get("/documents/{document_id}/export/{kind}")
def document_export(p: Annotated[Page, Depends(page)], document_id: int, kind: str, format: str = "docx") -> Response:  # noqa: A002
    kind = _kind(kind, DOCUMENT_KINDS)
    if kind == "targets":
        return _download(od.target_table(p.ctx, document_id, format))
    if kind == "disclosure":
        return _download(od.disclosure_package(p.ctx, document_id, format))
    if kind == "review":
        return _download(od.review_opinion(p.ctx, [document_id], format))
    if kind == "selfeval-table":
        return _download(od.selfeval_table(p.ctx, format, document_id=document_id))
    return _download(od.selfeval_report(p.ctx, document_id, format))


@router.get("/target-sets/{target_set_id}/export/{kind}")
def target_set_export(p: Annotated[Page, Depends(page)], target_set_id: int, kind: str,
                      format: str = "xlsx") -> Response:  # noqa: A002
    if _kind(kind, TARGET_SET_KINDS) == "targets":
        return _download(od.target_table(p.ctx, None, format, target_set_id=target_set_id))
    return _download(od.selfeval_table(p.ctx, format, target_set_id=target_set_id))


@router.get("/review-opinion/export")
def review_opinions(p: Annotated[Page, Depends(page)], documents: str = "", format: str = "docx") -> Response:  # noqa: A002
    """One 审核意见书 of the documents listed (单位与年度: the page's documents), a summary first."""
    ids = [d.strip() for d in documents.split(",") if d.strip()]
    return _download(od.review_opinion(p.ctx, ids, format))

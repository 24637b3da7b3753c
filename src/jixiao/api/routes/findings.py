"""Findings across documents, and their review status."""

from __future__ import annotations

from typing import Annotated
from typing import Literal

from fastapi import APIRouter
from fastapi import Path
from fastapi import Query
from pydantic import BaseModel
from pydantic import Field

from jixiao.api.deps import MAX_ID
from jixiao.api.deps import needs
from jixiao.api.listing import Format
from jixiao.api.listing import Limit
from jixiao.api.listing import Offset
from jixiao.api.listing import page_or_export
from jixiao.services import exports
from jixiao.services import findings
from jixiao.services.context import Ctx

router = APIRouter(tags=["审核发现"])


@router.get("/findings", summary="审核发现列表（筛选、分页、导出）",
            description="本人可见范围内各文档（默认当前版本）的审核发现，按年度、单位（含下级）、代码、严重程度、处理状态筛选；"
                        "`format=csv|xlsx` 导出全部筛选结果。")
def list_findings(
    ctx: Annotated[Ctx, needs("document.read")],
    document_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="文档编号")] = None,
    year: Annotated[int | None, Query(description="年度")] = None,
    org: Annotated[str | None, Query(description="单位（单位编码、名称或 id），含其下级单位")] = None,
    code: Annotated[str | None, Query(description="审核发现代码（可用逗号分隔多个）")] = None,
    severity: Annotated[str | None, Query(description="严重程度：error、warning、info（可用逗号分隔）")] = None,
    status: Annotated[str | None, Query(description="处理状态：open 待处理、fixed 已整改、rejected 不予采纳")] = None,
    current_only: Annotated[bool, Query(description="只看当前版本的文档")] = True,
    limit: Limit = None,
    offset: Offset = 0,
    format: Format = "json",  # noqa: A002
):
    def fetch(n: int, skip: int) -> dict:
        return findings.list_findings(ctx, document_id=document_id, year=year, org=org, code=code,
                                      severity=severity, status=status, current_only=current_only,
                                      limit=n, offset=skip)

    return page_or_export(fetch, exports.FINDING_COLUMNS, fmt=format, limit=limit, offset=offset, title="审核发现",
                          default_limit=100)


class FindingStatusIn(BaseModel):
    status: Literal["open", "fixed", "rejected"] = Field(description="open 待处理、fixed 已整改、rejected 不予采纳")
    reason: str | None = Field(None, max_length=4000, description="理由（不予采纳时必填）")


@router.patch("/findings/{finding_id}", summary="设置审核发现的处理状态和理由")
def set_status(finding_id: Annotated[int, Path(ge=1, le=MAX_ID, description="审核发现编号")], body: FindingStatusIn,
               ctx: Annotated[Ctx, needs("finding.review")]) -> dict:
    return findings.set_finding_status(ctx, finding_id, body.status, body.reason)

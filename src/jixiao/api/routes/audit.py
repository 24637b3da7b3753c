"""The audit log (read only: nobody can change it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Query

from jixiao.api.deps import needs
from jixiao.api.listing import Format
from jixiao.api.listing import Limit
from jixiao.api.listing import Offset
from jixiao.api.listing import page_or_export
from jixiao.services import audit
from jixiao.services.context import Ctx

router = APIRouter(tags=["操作日志"])

AUDIT_COLUMNS = (
    ("id", "编号"), ("at", "时间"), ("user", "用户"), ("action", "操作"), ("object_type", "对象类型"),
    ("object_id", "对象编号"), ("comment", "意见"), ("before", "修改前"), ("after", "修改后"),
)


@router.get("/audit", summary="操作日志（新的在前；分页、导出）",
            description="谁在何时对什么做了什么，修改前 → 修改后。`format=csv|xlsx` 导出全部筛选结果。")
def list_audit(
    ctx: Annotated[Ctx, needs("audit.read")],
    object: Annotated[str | None, Query(description="对象：`document:12`、`finding:7`，或只写类型 `document`")] = None,
    limit: Limit = None,
    offset: Offset = 0,
    format: Format = "json",  # noqa: A002 - the query parameter's name
):
    def fetch(n: int, skip: int) -> dict:
        return audit.list_entries(ctx, object=object, limit=n, offset=skip)

    return page_or_export(fetch, AUDIT_COLUMNS, fmt=format, limit=limit, offset=offset, title="操作日志",
                          default_limit=100)

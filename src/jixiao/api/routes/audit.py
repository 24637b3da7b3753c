"""The audit log (read only: nobody can change it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Query

from jixiao.api.deps import needs
from jixiao.services import audit
from jixiao.services.context import Ctx

router = APIRouter(tags=["操作日志"])


@router.get("/audit", summary="操作日志（新的在前）")
def list_audit(
    ctx: Annotated[Ctx, needs("audit.read")],
    object: Annotated[str | None, Query(description="对象：`document:12`、`finding:7`，或只写类型 `document`")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="每页条数")] = 100,
    offset: Annotated[int, Query(ge=0, description="跳过条数")] = 0,
) -> dict:
    return audit.list_entries(ctx, object=object, limit=limit, offset=offset)

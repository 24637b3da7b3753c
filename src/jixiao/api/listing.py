"""Lists: paging parameters, and ``?format=csv|xlsx`` exports of any list a service returns.

A JSON page is the service's ``{"items", "total", …}`` as it is. An export is every item the
filters select (the service is asked page after page, at most ``EXPORT_MAX`` rows), written by
``services.exports.export_rows`` with the list's columns; the file name says what it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated
from typing import Literal
from urllib.parse import quote

from fastapi import Query
from fastapi import Response

from jixiao.api.responses import JSONBody
from jixiao.services import exports
from jixiao.services.errors import Invalid

EXPORT_PAGE = 1000  # the services' largest page
EXPORT_MAX = 100_000

Limit = Annotated[int | None, Query(ge=1, le=1000, description="每页条数（1–1000）")]
Offset = Annotated[int, Query(ge=0, description="跳过条数")]
Format = Annotated[Literal["json", "csv", "xlsx"], Query(description="json（默认，分页）；csv 或 xlsx：导出筛选出的全部条目")]


def attachment(name: str) -> str:
    """A Content-Disposition that carries a Chinese file name (RFC 6266/5987) and an ASCII fallback."""
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def export(fetch: Callable[[int, int], dict], columns, fmt: str, title: str) -> Response:
    """Every item of ``fetch(limit, offset)`` as a CSV or XLSX download."""
    items: list[dict] = []
    while True:
        page = fetch(EXPORT_PAGE, len(items))
        if page["total"] > EXPORT_MAX:
            raise Invalid(f"导出条目过多（{page['total']} 条，最多 {EXPORT_MAX} 条），请加筛选条件",
                          code="export_too_large")
        items.extend(page["items"])
        if not page["items"] or len(items) >= page["total"]:
            break
    data = exports.export_rows(items, columns, fmt)
    name = f"{title}-{date.today().isoformat()}.{fmt}"
    return Response(data, media_type=exports.media_type(fmt), headers={"Content-Disposition": attachment(name)})


def page_or_export(fetch: Callable[[int, int], dict], columns, *, fmt: str, limit: int | None, offset: int,
                   title: str, default_limit: int = 50):
    if fmt == "json":
        return JSONBody(fetch(limit or default_limit, offset))
    return export(fetch, columns, fmt, title)

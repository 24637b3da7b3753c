"""A JSON response written straight from a service's result.

FastAPI runs every returned dict through ``jsonable_encoder`` (a Python walk of the whole
value) before writing it: 19 ms for one document's parse JSON, against 1.8 ms for
``json.dumps``. The services already return JSON values (Decimal as text, times as ISO
strings), so the routes that return large results (a document, list pages) hand them over as
this response instead; anything else a result may hold is written by ``_default``.
"""

from __future__ import annotations

import json
from datetime import date
from datetime import datetime
from decimal import Decimal

from fastapi import Response


def _default(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


class JSONBody(Response):
    media_type = "application/json"

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=_default).encode("utf-8")

"""The columns of an operational data file before its source has a mapping (the first upload):
the header row and a few sample rows, so that the user maps each column to 日期, 单位 or a typed
field (``operational_data.save_source``) without typing column names."""

from __future__ import annotations

from jixiao.findings import Severity
from jixiao.readers.rows import open_rows
from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid

LOOK = 10  # rows looked through for the header (exports print titles above it)
SAMPLES = 3


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def file_columns(ctx: Ctx, data: bytes, filename: str) -> dict:
    """``{columns: [name], samples: [[text]], header_row, encoding}``: the header is the row with
    the most filled cells among the first ones (a title above it has fewer). ``opdata.define``;
    422 when the file cannot be read or has no header."""
    policy.require(ctx.actor, "opdata.define")
    rows, findings = open_rows(data, filename)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if rows is None or errors:
        raise Invalid(f"{filename} 无法读取：" + "；".join(f.message for f in errors), code="opdata_unreadable")
    head = []
    with rows:  # the first rows only: the file is closed here, not when the collector gets to it
        for number, cells in rows.rows:
            texts = [_text(c) for c in cells]
            if any(texts):
                head.append((number, texts))
            if len(head) >= LOOK + SAMPLES:
                break
    if not head:
        raise Invalid(f"{filename}：文件中没有表头和数据行", code="opdata_no_rows")
    candidates = head[:LOOK]
    at = max(range(len(candidates)), key=lambda i: (sum(1 for t in candidates[i][1] if t), -i))
    number, header = candidates[at]
    width = max(i for i, t in enumerate(header) if t) + 1
    columns = header[:width]
    if len({c for c in columns if c}) != sum(1 for c in columns if c):
        raise Invalid(f"{filename} 第 {number} 行的列名有重复，无法按列名映射", code="opdata_columns_duplicate")
    samples = [(cells + [""] * width)[:width] for _n, cells in head[at + 1:at + 1 + SAMPLES]]
    return {"columns": columns, "samples": samples, "header_row": number, "encoding": rows.encoding}

"""List exports: the rows of a list (documents, findings) as CSV (UTF-8 with a BOM, so that
Excel reads the Chinese right) or XLSX, for the API's ``?format=csv|xlsx``.

``columns`` are ``(key, header)`` pairs; a key may reach into a nested dict with dots
(``org.name``, ``findings.error``). Text that a spreadsheet would run as a formula (``=…``,
``+…``, ``@…``, ``-`` not followed by a number) is written with a leading apostrophe in CSV and
as plain text in XLSX.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence

from jixiao.services.errors import Invalid

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}

DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "编号"), ("name", "文件名"), ("kind", "类型"), ("year", "年度"), ("org.code", "单位编码"),
    ("org.name", "单位"), ("version", "版本"), ("is_current", "当前版本"), ("state_label", "状态"),
    ("findings.error", "错误"), ("findings.warning", "警告"), ("findings.info", "提示"),
    ("created_at", "导入时间"), ("updated_at", "更新时间"),
)

FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "编号"), ("document_id", "文档编号"), ("code", "代码"), ("severity", "严重程度"), ("message", "说明"),
    ("location", "位置"), ("subject", "对象"), ("expected", "应为"), ("actual", "实为"),
    ("status_label", "处理状态"), ("reason", "理由"), ("status_by", "处理人"), ("status_at", "处理时间"),
)

_NUMBER = re.compile(r"-\d")


def media_type(fmt: str) -> str:
    return FORMATS[fmt][0]


def _get(item: Mapping, key: str):
    value = item
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _text(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _risky(text: str) -> bool:
    return bool(text) and (text[0] in "=+@\t\r" or (text[0] == "-" and not _NUMBER.match(text)))


def _columns(columns: Iterable[tuple[str, str] | str]) -> list[tuple[str, str]]:
    return [(c, c) if isinstance(c, str) else (c[0], c[1]) for c in columns]


def export_rows(items: Sequence[Mapping], columns: Iterable[tuple[str, str] | str], fmt: str = "csv") -> bytes:
    """``items`` (list rows as the services return them) as a CSV or XLSX file's bytes."""
    cols = _columns(columns)
    if fmt == "csv":
        return _csv(items, cols)
    if fmt == "xlsx":
        return _xlsx(items, cols)
    raise Invalid(f"不支持的导出格式：{fmt}（可选：csv、xlsx）", code="invalid_format")


def _csv(items: Sequence[Mapping], cols: list[tuple[str, str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for _key, header in cols])
    for item in items:
        row = []
        for key, _header in cols:
            value = _text(_get(item, key))
            if isinstance(value, str) and _risky(value):
                value = "'" + value
            row.append(value)
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(items: Sequence[Mapping], cols: list[tuple[str, str]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("导出")
    bold = book.add_format({"bold": True, "border": 1, "bg_color": "#EEF2F7", "text_wrap": True, "valign": "top"})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    widths = [len(header) * 2 + 2 for _key, header in cols]
    for c, (_key, header) in enumerate(cols):
        sheet.write_string(0, c, header, bold)
    for r, item in enumerate(items, start=1):
        for c, (key, _header) in enumerate(cols):
            raw = _get(item, key)
            if raw is None or raw == "":
                sheet.write_blank(r, c, None, cell)  # an empty cell, not an empty string
                continue
            value = _text(raw)
            if isinstance(value, int | float):
                sheet.write_number(r, c, value, cell)
            else:
                sheet.write_string(r, c, value, cell)  # never a formula, never a guessed number
                widths[c] = max(widths[c], min(40, len(value) * 2))  # longer text wraps in its cell
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)
    if cols:
        sheet.autofilter(0, 0, len(items), len(cols) - 1)
    # printed: A4 landscape, as wide as one page, the header row on every page
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    book.close()
    return buffer.getvalue()

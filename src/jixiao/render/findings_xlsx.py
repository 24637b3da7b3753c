"""Findings as a workbook a reviewer can annotate (xlsxwriter, TECH §3).

One row per finding, sorted by location; frozen header, autofilter, 宋体, wrapped text, an
empty 审核意见 column and a 处理状态 drop-down for the reviewer. 原文 is the finding's source
text or, for a ``file:line`` location of a text file that exists, that line of the file.

Given the batch's ``files`` (``jixiao check``), the findings follow the files' order and a second
sheet 文件 lists every file: its format, whether it was read, and why not.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import xlsxwriter

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.model.source import Location

# (header, width in characters, wrap)
COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("文件", 24, True),
    ("位置", 10, False),
    ("严重程度", 9, False),
    ("代码", 24, False),
    ("问题", 60, True),
    ("对象", 28, True),
    ("应为", 16, True),
    ("实为", 16, True),
    ("原文", 60, True),
    ("审核意见", 30, True),
    ("处理状态", 12, False),
)
STATUSES = ("待处理", "已修改", "无需修改", "需进一步核实")
FONT = "宋体"
_COLOURS = {Severity.ERROR: "#C00000", Severity.WARNING: "#C65911", Severity.INFO: "#2F5597"}


def position(location: Location | None) -> str | int:
    """The location within its file: a line number, ``sheet!cell`` or ``第 n 页 …``."""
    if location is None:
        return ""
    if location.sheet is not None:
        return f"{location.sheet}!{location.cell or ''}".rstrip("!")
    if location.page is not None:
        tail = f" 第 {location.line} 行" if location.line is not None else ""
        return f"第 {location.page} 页{tail}"
    return location.line if location.line is not None else ""


class _SourceLines:
    """Lines of the findings' files, read once each (None when unreadable)."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def line(self, location: Location | None) -> str:
        if location is None or location.line is None or location.sheet is not None:
            return ""
        if location.file not in self._files:
            path = Path(location.file)
            try:
                data = path.read_bytes() if path.is_file() else None
            except OSError:
                data = None
            text = data.decode("utf-8-sig", errors="replace") if data is not None and _is_text(data) else None
            self._files[location.file] = text.splitlines() if text is not None else None
        lines = self._files[location.file]
        if not lines or not 1 <= location.line <= len(lines):
            return ""
        return lines[location.line - 1].strip().replace("\t", " | ")


def _is_text(data: bytes) -> bool:
    """A text file (its lines are what ``file:line`` names), not a PDF or an Office file."""
    from jixiao.readers.detect import detect

    return detect(data[:65536]) in ("text", "csv")


FILE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("文件", 40), ("格式", 16), ("状态", 8), ("原因", 60), ("表格", 8), ("错误", 8), ("警告", 8), ("提示", 8),
)
_STATUS = {"ok": "已读取", "failed": "未能读取", "skipped": "已跳过"}


def write_xlsx(findings: Iterable[Finding], out: str | Path | BinaryIO, files: list[dict] | None = None) -> None:
    """Write the review workbook to a path or a binary stream. ``files``: the batch's files
    section (path, format, status, message, tables, findings), in input order."""
    if files is None:
        items = sorted(findings, key=Finding.sort_key)
    else:
        rank = {f["path"]: i for i, f in enumerate(files)}
        items = sorted(findings, key=lambda f: (rank.get(f.location.file if f.location else "", len(rank)), f.sort_key()))
    target = str(out) if isinstance(out, Path) else out
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    base = {"font_name": FONT, "font_size": 10, "valign": "top", "border": 1, "border_color": "#BFBFBF"}
    header = book.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "align": "center", "valign": "vcenter"})
    plain = book.add_format(base)
    wrap = book.add_format({**base, "text_wrap": True})
    severity = {s: book.add_format({**base, "bold": True, "font_color": c}) for s, c in _COLOURS.items()}
    sheet = book.add_worksheet("审核发现")
    for col, (title, width, wraps) in enumerate(COLUMNS):
        sheet.set_column(col, col, width, wrap if wraps else plain)
        sheet.write(0, col, title, header)
    sheet.set_row(0, 20)
    sources = _SourceLines()
    for r, f in enumerate(items, start=1):
        loc = f.location
        values = (
            loc.file if loc else "", position(loc), f.severity.label, f.code, f.message, f.subject or "",
            f.expected or "", f.actual or "", f.source_text or sources.line(loc), "", "",
        )
        for col, value in enumerate(values):
            fmt = severity[f.severity] if col == 2 else (wrap if COLUMNS[col][2] else plain)
            if isinstance(value, int):
                sheet.write_number(r, col, value, fmt)
            elif not value:
                sheet.write_blank(r, col, None, fmt)
            else:
                sheet.write_string(r, col, value, fmt)
    last = max(len(items), 1)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, last, len(COLUMNS) - 1)
    sheet.data_validation(1, len(COLUMNS) - 1, max(last, 1000), len(COLUMNS) - 1,
                          {"validate": "list", "source": list(STATUSES), "ignore_blank": True})
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    if files is not None:
        _files_sheet(book, files, header, plain, wrap)
    book.close()


def _files_sheet(book, files: list[dict], header, plain, wrap) -> None:
    from jixiao.readers.detect import FORMAT_NAMES

    sheet = book.add_worksheet("文件")
    for col, (title, width) in enumerate(FILE_COLUMNS):
        sheet.set_column(col, col, width, wrap if col in (0, 3) else plain)
        sheet.write(0, col, title, header)
    for r, f in enumerate(files, start=1):
        counts = f.get("findings") or {}
        values = (f["path"], FORMAT_NAMES.get(f["format"], f["format"] or "未知"), _STATUS.get(f["status"], f["status"]),
                  f.get("message") or "", f.get("tables", 0), counts.get("error", 0), counts.get("warning", 0),
                  counts.get("info", 0))
        for col, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(r, col, value, plain)
            elif value:
                sheet.write_string(r, col, value, wrap if col in (0, 3) else plain)
            else:
                sheet.write_blank(r, col, None, plain)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(files), 1), len(FILE_COLUMNS) - 1)


def render_xlsx(findings: Iterable[Finding]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(findings, buffer)
    return buffer.getvalue()

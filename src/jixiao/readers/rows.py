"""Rows of a record export (CSV or a workbook), one at a time: what operational systems give
(one row per 办件, rating or call), up to a million rows, without building a RawDocument.

The file goes through the same checks as ``read_file``: its size first (``safety.check_size``),
its format from the content (``detect.py``), a zip container's safety (``safety.check_zip``).
A CSV's encoding is found over the whole file without keeping it (UTF-8 with or without BOM,
UTF-16 with BOM, else GBK/GB18030, as ``encoding.py`` decides for a whole text); the records are
then read by the ``csv`` module from the file itself (quoted fields may hold commas and line
breaks). A workbook's first sheet (or the named one) is read through python-calamine, whose
values keep their types (dates as dates, numbers as numbers).

Bad input never raises: ``(None, findings)`` with the error (``findings/codes_read.py``). Each row
comes with its number in the file: the line where a CSV record starts, the row of the sheet.

A ``Rows`` holds the file open until it is closed (``close()`` or ``with rows:``): a caller that
stops before the last row closes it then, not when the collector gets to it. A file opened here
(a path, bytes) is closed with it; a file object the caller passed stays open (the caller's).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import BinaryIO

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.readers.detect import FORMAT_NAMES
from jixiao.readers.detect import detect
from jixiao.readers.safety import check_size
from jixiao.readers.safety import check_zip

csv.field_size_limit(64 * 1024 * 1024)
_CHUNK = 1 << 20
SHEET_FORMATS = ("xlsx", "xls", "et", "ods")


@dataclass
class Rows:
    """An open export: its format, encoding (CSV), sheet (workbooks), SHA-256, and ``rows``: an
    iterator of (row number, cells). A CSV that turns out malformed while it is read (a record
    the ``csv`` module refuses) ends the iteration and leaves its error in ``errors``."""

    format: str
    sha256: str
    rows: Iterator[tuple[int, list]]
    encoding: str | None = None
    sheet: str | None = None
    errors: list[Finding] = field(default_factory=list)
    stream: BinaryIO | None = field(default=None, repr=False)  # closed with the rows: opened here

    def close(self) -> None:
        """Stop reading: the rows' generator is finished now, and a file opened here closed."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()
        if self.stream is not None:
            self.stream.close()

    def __enter__(self) -> Rows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open(source: str | Path | bytes | BinaryIO) -> tuple[BinaryIO, int, bool]:
    """(the stream, its size, whether it was opened here: it is closed here then)."""
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source), len(source), True
    if isinstance(source, str | Path):
        path = Path(source)
        stream = path.open("rb")
        try:
            return stream, os.fstat(stream.fileno()).st_size, True
        except OSError:
            stream.close()
            raise
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return source, size, False


def _scan(stream: BinaryIO, head: bytes) -> tuple[str | None, str]:
    """(the encoding of the whole stream or None, its SHA-256), reading it once in chunks."""
    digest = hashlib.sha256()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    decoders = {name: codecs.getincrementaldecoder(name)() for name in candidates}
    stream.seek(0)
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(chunk)
        for name in list(decoders):
            try:
                decoders[name].decode(chunk)
            except UnicodeDecodeError:
                del decoders[name]
    for name in list(decoders):
        try:
            decoders[name].decode(b"", final=True)
        except UnicodeDecodeError:
            del decoders[name]
    stream.seek(0)
    return next((name for name in candidates if name in decoders), None), digest.hexdigest()


def _csv_rows(stream: BinaryIO, encoding: str, out: Rows, name: str) -> Iterator[tuple[int, list]]:
    """The CSV's records; the text layer is detached when they end or the rows are closed, so
    that it never closes (nor flushes) the stream itself — the stream is ``Rows.close``'s."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text)
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            yield line, record
    except csv.Error as exc:
        out.errors.append(make("file-corrupt", None, file=name, reason=f"第 {start} 行 CSV 格式错误：{exc}"))
    finally:
        if not stream.closed:  # a caller's file may be closed first (an upload, by the framework)
            text.detach()  # on a closed stream detach() would flush it: ValueError at collection


def _unsupported(name: str, fmt: str) -> Finding:
    if fmt == "binary":
        return make("file-binary", None, file=name, reason="不是 CSV 或 Excel 表格")
    return make("file-format-unknown", None, file=name,
                detail=f"业务数据须为 CSV 或 Excel 表格，此文件为 {FORMAT_NAMES.get(fmt, fmt)}")


def _sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    yield from enumerate(sheet.iter_rows(), 1)


def open_rows(source: str | Path | bytes | BinaryIO, name: str, *, encoding: str | None = None,
              sheet: str | None = None, is_header: Callable[[list], bool] | None = None
              ) -> tuple[Rows | None, list[Finding]]:
    """Open an export of records (CSV, XLSX, XLS, ODS, ET) for reading row by row. A workbook's
    sheet is ``sheet``, else the first whose first rows hold a row ``is_header`` accepts (a 说明
    sheet before the data), else the first."""
    try:
        stream, size, owned = _open(source)
    except OSError as exc:
        return None, [make("file-unreadable", None, file=name, reason=str(exc))]
    try:
        rows, findings = _open_stream(stream, size, name, encoding, sheet, is_header)
    except BaseException:
        if owned:
            stream.close()
        raise
    if rows is not None and rows.format == "csv" and owned:
        rows.stream = stream  # read row by row: closed with the rows
    elif owned:
        stream.close()
    return rows, findings


def _open_stream(stream: BinaryIO, size: int, name: str, encoding: str | None, sheet: str | None,
                 is_header: Callable[[list], bool] | None) -> tuple[Rows | None, list[Finding]]:
    findings = check_size(size, name)
    if findings:
        return None, findings
    if size == 0:
        return None, [make("file-empty", None, file=name)]
    head = stream.read(65536)
    fmt = detect(head, name)
    if head[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):  # a container: the whole file decides
        stream.seek(0)
        data = stream.read()
        return _open_sheet(data, name, detect(data, name), sheet, is_header)
    if fmt not in ("csv", "text"):
        return None, [_unsupported(name, fmt)]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [make("file-binary", None, file=name, reason="含有 NUL 字节，可能是二进制文件")]
    found, sha = _scan(stream, head)
    encoding = encoding or found
    if encoding is None:
        return None, [make("file-binary", None, file=name, reason="既不是 UTF-8 也不是 GBK/GB18030 文本")]
    if encoding == "gb18030" and found == "gb18030":
        findings.append(make("encoding-detected", None, file=name, encoding="GBK/GB18030"))
    out = Rows("csv", sha, iter(()), encoding=encoding)
    out.rows = _csv_rows(stream, encoding, out, name)
    return out, findings


def _open_sheet(data: bytes, name: str, fmt: str, sheet: str | None,
                is_header: Callable[[list], bool] | None = None) -> tuple[Rows | None, list[Finding]]:
    if fmt not in SHEET_FORMATS:
        return None, [_unsupported(name, fmt)]
    if fmt in ("xlsx", "ods"):
        findings = check_zip(data, name)
        if findings:
            return None, findings
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        chosen = book.get_sheet_by_name(sheet) if sheet else _first_with_header(book, is_header)
    except Exception as exc:  # noqa: BLE001 - calamine raises CalamineError, ZipError, XmlError, ValueError…
        return None, [make("file-corrupt", None, file=name, reason=f"{type(exc).__name__}: {exc}")]
    return Rows(fmt, hashlib.sha256(data).hexdigest(), _sheet_rows(chosen), sheet=chosen.name), []


def _first_with_header(book, is_header: Callable[[list], bool] | None, rows: int = 20):
    if is_header is not None and len(book.sheet_names) > 1:
        for index in range(len(book.sheet_names)):
            candidate = book.get_sheet_by_index(index)
            if any(is_header(r) for r in candidate.to_python(nrows=rows)):
                return candidate
    return book.get_sheet_by_index(0)

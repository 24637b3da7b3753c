"""Read any supported file: detect its format from the content, check it, hand it to its reader.

``read_file`` and ``read_bytes`` never raise on bad input: they return ``(None, findings)`` with
an error finding that names the file and the problem (``findings/codes_read.py``). A reader
that fails unexpectedly reports the file as corrupt rather than stopping a batch.

Each reader is ``read(data: bytes, name: str, **options) -> (RawDocument | None, findings)``
and is imported only when a file of its format arrives.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.readers.detect import FORMAT_NAMES
from jixiao.readers.detect import detect
from jixiao.readers.grid import RawDocument
from jixiao.readers.safety import check_size
from jixiao.readers.safety import check_zip

# format → "module:function"
READERS: dict[str, str] = {
    "text": "jixiao.readers.text:read_text_bytes",
    "csv": "jixiao.readers.delimited:read_csv",
    "html": "jixiao.readers.html:read_html",
    "mht": "jixiao.readers.html:read_mht",
    "pdf": "jixiao.readers.pdf:read_pdf",
    "docx": "jixiao.readers.docx:read_docx",
    "xlsx": "jixiao.readers.sheet:read_sheet",
    "xls": "jixiao.readers.sheet:read_sheet",
    "ods": "jixiao.readers.sheet:read_sheet",
    "et": "jixiao.readers.sheet:read_sheet",
    "doc": "jixiao.readers.office:read_converted",
    "wps": "jixiao.readers.office:read_converted",
    "odt": "jixiao.readers.office:read_converted",
    "rtf": "jixiao.readers.office:read_converted",
}
ZIP_FORMATS = {"docx", "xlsx", "odt", "ods"}

Result = tuple[RawDocument | None, list[Finding]]


def read_file(path: str | Path, *, name: str | None = None, encoding: str | None = None) -> Result:
    """Read one file of any supported format."""
    raw, findings, _fmt = read_file_detected(path, name=name, encoding=encoding)
    return raw, findings


def read_bytes(data: bytes, name: str, *, encoding: str | None = None) -> Result:
    """Read a file's bytes (an upload, a test's document) of any supported format."""
    raw, findings, _fmt = read_bytes_detected(data, name, encoding=encoding)
    return raw, findings


def read_file_detected(path: str | Path, *, name: str | None = None, encoding: str | None = None):
    """``read_file`` and the format detected (``None`` when the file was not looked into: missing,
    a folder, too large, unreadable or empty)."""
    path = Path(path)
    name = name or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, [make("file-not-found", None, file=name)], None
    except OSError as exc:
        return None, [make("file-unreadable", None, file=name, reason=exc.strerror or str(exc))], None
    if path.is_dir():
        return None, [make("file-unreadable", None, file=name, reason="这是一个文件夹，不是文件")], None
    too_large = check_size(size, name)
    if too_large:
        return None, too_large, None
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [make("file-unreadable", None, file=name, reason=exc.strerror or str(exc))], None
    return read_bytes_detected(data, name, encoding=encoding)


def read_bytes_detected(data: bytes, name: str, *, encoding: str | None = None):
    """``read_bytes`` and the format detected (``None`` when the bytes are too many or empty)."""
    too_large = check_size(len(data), name)
    if too_large:
        return None, too_large, None
    if not data.strip():
        return None, [make("file-empty", None, file=name)], None
    fmt = detect(data, name)
    raw, findings = _read_format(data, name, fmt, encoding)
    return raw, findings, fmt


def _read_format(data: bytes, name: str, fmt: str, encoding: str | None) -> Result:
    if fmt == "ole-encrypted":
        return None, [make("file-encrypted", None, file=name, detail="Office 文档设有打开密码")]
    if fmt == "binary":
        return None, [make("file-binary", None, file=name, reason="二进制内容，不是文本或可识别的文档")]
    if fmt == "zip":  # a truncated .docx/.xlsx is a broken zip: corrupt, not of an unknown format
        broken = check_zip(data, name)
        if broken:
            if broken[0].code == "file-corrupt":
                return None, [make("file-corrupt", None, file=name, reason=_broken_zip(data))]
            return None, broken
    if fmt not in READERS:
        return None, [make("file-format-unknown", None, file=name, detail=_unknown_detail(fmt, data))]
    if fmt in ZIP_FORMATS:
        refused = check_zip(data, name)
        if refused:
            return None, refused
    reader = reader_for(fmt)
    options = {"encoding": encoding} if fmt in ("text", "csv", "html") and encoding else {}
    if fmt in ("xls", "et", "doc", "wps", "odt", "rtf", "ods", "xlsx"):
        options["fmt"] = fmt
    try:
        return reader(data, name, **options)
    except MemoryError:
        return None, [make("file-corrupt", None, file=name, reason="内容过大，内存不足")]
    except Exception as exc:  # noqa: BLE001 - a reader's unexpected failure is the file's problem, not the batch's
        return None, [make("file-corrupt", None, file=name, reason=f"{FORMAT_NAMES.get(fmt, fmt)} 解析失败：{type(exc).__name__}: {str(exc)[:200]}")]


def reader_for(fmt: str):
    module, function = READERS[fmt].split(":")
    return getattr(importlib.import_module(module), function)


def _broken_zip(data: bytes) -> str:
    """What a zip archive that cannot be opened was meant to be, from its members' names."""
    if b"word/" in data:
        return "Word 文档（.docx）的压缩结构损坏，文件可能不完整"
    if b"xl/" in data:
        return "Excel 工作簿（.xlsx）的压缩结构损坏，文件可能不完整"
    return "压缩包结构损坏，文件可能不完整"


def _unknown_detail(fmt: str, data: bytes) -> str:
    if fmt == "zip":
        return "压缩包，但不是 Office 文档"
    if fmt == "ole":
        return "Office 97-2003 复合文档，但不是 Word 或 Excel"
    if fmt == "binary":
        return "二进制内容，不是文档"
    return fmt

"""The format of a file, from its content (never from its name).

Formats: ``pdf``, ``docx``, ``xlsx``, ``odt``, ``ods`` (zip containers, by their members),
``doc``, ``xls``, ``wps``, ``et``, ``ole-encrypted`` (OLE2 compound files, by their streams;
an encrypted OOXML file is an OLE2 file holding ``EncryptionInfo``), ``rtf``, ``html``
(including a saved ``.mht`` web archive: ``mht``), ``csv``, ``text``; ``zip`` and ``ole`` for
containers of an unknown kind, ``binary`` for anything else. The file name only breaks a tie
that content cannot: a Kingsoft ``.wps``/``.et`` file is an ordinary Word/Excel OLE2 file.
"""

from __future__ import annotations

import io
import re
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

FORMAT_NAMES = {
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "doc": "Word 97-2003 (.doc)",
    "wps": "WPS 文字 (.wps)",
    "odt": "OpenDocument 文本 (.odt)",
    "rtf": "RTF",
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97-2003 (.xls)",
    "et": "WPS 表格 (.et)",
    "ods": "OpenDocument 表格 (.ods)",
    "html": "网页 (HTML)",
    "mht": "网页归档 (MHT)",
    "csv": "CSV",
    "text": "纯文本",
}

_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|meta|title)\b", re.I)


def detect(data: bytes, name: str = "") -> str:
    """The format of ``data`` (the whole file, or at least its first 64 KB for non-containers)."""
    head = data[:8]
    if data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(ZIP_MAGICS):
        return _zip_kind(data)
    if head == OLE_MAGIC:
        return _ole_kind(data, name)
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    sample = data[:8192]
    if re.search(rb"^MIME-Version:", sample, re.I | re.M) and re.search(rb"multipart/related", sample, re.I):
        return "mht"
    text = _text_sample(sample)
    if text is None:
        return "binary"
    if _HTML.search(sample[:4096].replace(b"\x00", b"")):
        return "html"
    if _looks_csv(text):
        return "csv"
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError):
        return "zip"
    if "word/document.xml" in names or any(n.startswith("word/") and n.endswith("document.xml") for n in names):
        return "docx"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if b"opendocument.text" in mimetype:
        return "odt"
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    return "zip"


def _ole_kind(data: bytes, name: str) -> str:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 - olefile raises many kinds on corrupt input
        return _damaged_ole_kind(data, name)
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        return "ole-encrypted"
    if "worddocument" in streams:
        return "wps" if suffix == "wps" else "doc"
    if "workbook" in streams or "book" in streams:
        return "et" if suffix == "et" else "xls"
    return _damaged_ole_kind(data, name)


def _damaged_ole_kind(data: bytes, name: str) -> str:
    """A compound file olefile cannot open or list (truncated, damaged): its kind from the
    stream names left in its directory, else from the file name, so that its reader reports it
    as corrupt rather than as an unknown format. ``ole`` when neither tells."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if "WordDocument".encode("utf-16-le") in data:
        return "wps" if suffix == "wps" else "doc"
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return "et" if suffix == "et" else "xls"
    return {"doc": "doc", "wps": "wps", "xls": "xls", "et": "et"}.get(suffix, "ole")


def _text_sample(sample: bytes) -> str | None:
    """The sample decoded as text, or None when it is binary."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return sample.decode("utf-16")
        except UnicodeDecodeError:
            return sample[: len(sample) // 2 * 2].decode("utf-16", "replace")
    if b"\x00" in sample:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut at the sample's end
                return sample[: exc.start].decode(encoding, "replace")
    return None


def _looks_csv(text: str) -> bool:
    """Comma-separated rows: most non-blank lines have commas, the same count, and no tabs."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) < 2 or any("\t" in line for line in lines):
        return False
    counts = [_unquoted_commas(line) for line in lines]
    with_commas = [c for c in counts if c > 0]
    if len(with_commas) < 0.8 * len(lines):
        return False
    most = max(set(with_commas), key=with_commas.count)
    return with_commas.count(most) >= 0.6 * len(with_commas)


def _unquoted_commas(line: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            count += 1
    return count

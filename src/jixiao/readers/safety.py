"""Checks made before a parser sees a container: size, zip bombs, hostile XML.

Office Open XML and OpenDocument files are zip archives of XML. Before any library opens one:
the sum of the members' uncompressed sizes and the compression ratio are limited (a zip bomb
inflates a few KB into gigabytes), and no XML member may declare a DOCTYPE or an ENTITY (entity
expansion, "billion laughs", and external entities that read local files). Office files never
carry a DTD, so refusing one costs nothing real.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

from jixiao.findings import Finding
from jixiao.findings import make

MAX_FILE_BYTES = int(os.environ.get("JIXIAO_MAX_FILE_BYTES", str(100 * 1024 * 1024)))
MAX_UNZIPPED_BYTES = int(os.environ.get("JIXIAO_MAX_UNZIPPED_BYTES", str(512 * 1024 * 1024)))
MAX_RATIO = 200  # uncompressed / compressed, for the archive as a whole
MAX_MEMBERS = 20000
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} 字节"


def check_size(size: int, name: str, limit: int = MAX_FILE_BYTES) -> list[Finding]:
    if size > limit:
        return [make("file-too-large", None, file=name, size=human(size), limit=human(limit))]
    return []


def check_zip(data: bytes, name: str) -> list[Finding]:
    """Error findings when the zip container is corrupt, a bomb or carries a DTD; else []."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                return [make("file-zip-bomb", None, file=name, size=f"{len(infos)} 个文件", ratio="-",
                             limit=f"{MAX_MEMBERS} 个文件")]
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            ratio = total / packed
            if total > MAX_UNZIPPED_BYTES or (ratio > MAX_RATIO and total > 16 * 1024 * 1024):
                return [make("file-zip-bomb", None, file=name, size=human(total), ratio=f"{ratio:.0f}:1",
                             limit=f"{human(MAX_UNZIPPED_BYTES)}，{MAX_RATIO}:1")]
            for info in infos:
                if info.flag_bits & 0x1:
                    return [make("file-encrypted", None, file=name, detail="压缩包成员已加密")]
                if not info.filename.endswith((".xml", ".rels", ".vml")) or info.file_size == 0:
                    continue
                with zf.open(info) as member:
                    if _declares_dtd(member):
                        return [make("file-hostile-xml", None, file=name, member=info.filename)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        return [make("file-corrupt", None, file=name, reason=f"压缩包结构损坏：{exc}")]
    except Exception as exc:  # noqa: BLE001 - zlib and zipfile raise many kinds on truncated members
        return [make("file-corrupt", None, file=name, reason=f"压缩包内容损坏：{type(exc).__name__}: {exc}")]
    return []


_PROLOG_LIMIT = 1024 * 1024
_MISC = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)


def _declares_dtd(member) -> bool:
    """True when the XML's prolog (before its root element) declares a DOCTYPE or an ENTITY, or
    is too long to be an Office file's: comments and processing instructions are skipped, so a
    declaration cannot hide behind them."""
    data = b""
    while True:
        chunk = member.read(65536)
        data += chunk
        pos = 0
        while (m := _MISC.match(data, pos)) and m.end() > pos:
            pos = m.end()
        rest = data[pos:].lstrip()
        if rest.startswith(b"<!") and not rest.startswith(b"<!--"):
            if len(rest) >= 10 or not chunk:
                return bool(_DTD.match(rest))
            continue  # a declaration cut by the chunk: read on
        if rest[:1] == b"<" and not rest.startswith((b"<?", b"<!")) or (rest and rest[:1] != b"<"):
            return False  # the root element (or not XML at all: its reader says so)
        if not chunk:
            return False  # only a prolog
        if len(data) > _PROLOG_LIMIT:
            return True


def safe_xml(data: bytes):
    """Parse XML with no DTD, no entity expansion, no network (defusedxml over ElementTree)."""
    from defusedxml import ElementTree

    return ElementTree.fromstring(data, forbid_dtd=True)

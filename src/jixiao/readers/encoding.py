"""Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030.

Chinese government files are often saved in GBK (GB2312's superset, itself contained in
GB18030). Content decides: valid UTF-8 is UTF-8; otherwise text that decodes as GB18030 with
few control characters is read as such, and an info finding says so.
"""

from __future__ import annotations

import re

from jixiao.findings import Finding
from jixiao.findings import make

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode_text(data: bytes, name: str, encoding: str | None = None) -> tuple[str | None, list[Finding]]:
    """The text of ``data`` and how it was decoded; ``None`` and an error finding when binary."""
    if encoding:
        try:
            return data.decode(encoding), [make("encoding-guessed", None, file=name, encoding=encoding)]
        except (UnicodeDecodeError, LookupError) as exc:
            return None, [make("file-unreadable", None, file=name, reason=f"无法按 {encoding} 解码：{exc}")]
    findings: list[Finding] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return None, [make("file-binary", None, file=name, reason=f"UTF-16 解码失败（第 {exc.start} 字节）")]
        findings.append(make("encoding-detected", None, file=name, encoding="UTF-16"))
    elif b"\x00" in data[:65536]:
        return None, [make("file-binary", None, file=name, reason="含有 NUL 字节，可能是二进制文件")]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                return None, [make("file-binary", None, file=name,
                                   reason=f"既不是 UTF-8 也不是 GBK/GB18030 文本（第 {exc.start} 字节）")]
            findings.append(make("encoding-detected", None, file=name, encoding="GBK/GB18030"))
    controls = len(_CONTROLS.findall(text, 0, 65536))
    if controls > max(8, len(text[:65536]) // 100):
        return None, [make("file-binary", None, file=name, reason="含有大量控制字符，可能是二进制文件")]
    return text, findings

"""The only orchestrator: read → parse → check → score. Each stage is pure; this sequences them."""

from __future__ import annotations

from pathlib import Path

from jixiao.findings import Finding
from jixiao.model.document import Document


def read(path: str | Path, *, name: str | None = None, encoding: str | None = None):
    """Read a file of any supported format (detected from its content) into a RawDocument.
    Returns ``(raw | None, findings)``."""
    from jixiao.readers.files import read_file

    return read_file(path, name=name, encoding=encoding)


def parse_file(
    path: str | Path, *, name: str | None = None, encoding: str | None = None
) -> tuple[Document | None, list[Finding]]:
    """Read and parse one file. ``None`` when the file cannot be read (the findings say why)."""
    from jixiao.parse.document import parse_document

    raw, findings = read(path, name=name, encoding=encoding)
    if raw is None:
        return None, findings
    doc, parsed = parse_document(raw)
    return doc, findings + parsed


def parse_text(text: str, name: str = "inline.txt") -> tuple[Document, list[Finding]]:
    """Parse an inline document (tests, the API): the text reader is the test language."""
    from jixiao.parse.document import parse_document
    from jixiao.readers.text import read_text_bytes

    raw, findings = read_text_bytes(text.encode("utf-8"), name)
    if raw is None:
        raise ValueError(findings[0].message if findings else "unreadable")
    doc, parsed = parse_document(raw)
    return doc, findings + parsed

"""An OutputDocument as PDF: the DOCX writer's file converted by LibreOffice headless.

The conversion is the readers' (``readers/office.py: convert_many``): one LibreOffice user profile
per process (two soffice runs sharing a profile fail silently), conversions in a process serialised
by one lock, a timeout after which the whole process group is killed (``JIXIAO_CONVERT_TIMEOUT``,
default 120 s per file), and ``FONTCONFIG_FILE`` pointing at the package's ``data/fonts.conf`` so
that 宋体/仿宋/黑体/方正小标宋 resolve to the Noto CJK faces. LibreOffice embeds (subsets of) the
fonts it uses in the PDF; ``pdftotext`` reads the Chinese back.

``convert(data, "docx"|"xlsx", "pdf")`` is also used by tests to render XLSX output;
``convert_all`` converts several files in one LibreOffice run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from jixiao.readers.office import ConvertError
from jixiao.readers.office import convert_many
from jixiao.write.docx import write_docx
from jixiao.write.layout import OutputDocument


class PdfError(Exception):
    """LibreOffice is missing or the conversion failed (the message says why, in Chinese)."""


def convert(data: bytes, fmt: str, to: str = "pdf") -> bytes:
    """``data`` (a ``fmt`` file: docx, xlsx) converted by LibreOffice to ``to``. Raises PdfError."""
    return convert_all([(data, fmt)], to)[0]


def convert_all(files: list[tuple[bytes, str]], to: str = "pdf") -> list[bytes]:
    """Several files converted in one LibreOffice run (a start costs about a second; each further
    file little more). ``files``: (bytes, format) pairs; returns the outputs in the same order."""
    ext = to.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="jixiao-write-") as tmp:
        sources = []
        for i, (data, fmt) in enumerate(files):
            src = Path(tmp) / f"document-{i:04d}.{fmt}"
            src.write_bytes(data)
            sources.append(src)
        try:
            outcomes = convert_many(sources, to, Path(tmp) / "out")
        except ConvertError as exc:
            raise PdfError(f"{exc}，无法生成 {ext.upper()}") from None
        results = []
        for src in sources:
            outcome = outcomes[src]
            if isinstance(outcome, str):
                raise PdfError(f"LibreOffice 未能生成 {ext.upper()}：{outcome}")
            results.append(outcome.read_bytes())
        return results


def write_pdf(doc: OutputDocument) -> bytes:
    """The PDF's bytes (DOCX → PDF through LibreOffice). Raises PdfError when LibreOffice fails."""
    return convert(write_docx(doc), "docx", "pdf")

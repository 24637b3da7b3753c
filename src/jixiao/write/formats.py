"""One entry point for the three output formats: ``write(doc, "xlsx"|"docx"|"pdf") -> bytes``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from jixiao.write.layout import OutputDocument

Format = Literal["xlsx", "docx", "pdf"]
FORMATS: tuple[Format, ...] = ("xlsx", "docx", "pdf")
MEDIA_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
SUFFIXES: dict[str, str] = {"xlsx": ".xlsx", "docx": ".docx", "pdf": ".pdf"}


def writer(fmt: str) -> Callable[[OutputDocument], bytes]:
    if fmt == "xlsx":
        from jixiao.write.xlsx import write_xlsx

        return write_xlsx
    if fmt == "docx":
        from jixiao.write.docx import write_docx

        return write_docx
    if fmt == "pdf":
        from jixiao.write.pdf import write_pdf

        return write_pdf
    raise ValueError(f"不支持的输出格式：{fmt}（可选 xlsx、docx、pdf）")


def write(doc: OutputDocument, fmt: str) -> bytes:
    """The document's bytes in ``fmt``. ValueError for an unknown format; ``write.pdf.PdfError`` when
    LibreOffice cannot make the PDF."""
    return writer(fmt)(doc)

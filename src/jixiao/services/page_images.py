"""A stored PDF's pages as images, and where its table rows are on them (the 文档 page's page view).

* ``page_png(ctx, id, n)``: page ``n`` rendered by PDFium (pypdfium2) at 1.5× (108 dpi), PNG,
  kept under ``$JIXIAO_DATA_DIR/cache/pages/<sha256>/<n>.png``; only for a user who sees the
  document (404 otherwise, as for every document).
* ``page_rows(ctx, id, n)``: the page's ruled tables as the PDF reader finds them
  (``readers.pdf.page_objects`` and ``readers.pdf_layout.find_tables``: the same ruling edges and
  cells), numbered as the reader numbers them (by their top), each with its rows' top and bottom:
  a location ``p8:t1r5`` is table 1, row 5 of page 8. Boxes are fractions of the page (the
  image's size does not matter); a page whose text runs sideways has no boxes (``rotated``).
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import undefer

from jixiao.services import documents
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.store import schema as db
from jixiao.store.db import data_dir

SCALE = 1.5
_LOCK = threading.Lock()


def _document(ctx: Ctx, document_id) -> tuple[str, str]:
    """The document's SHA-256 and format, if the actor sees it (else 404)."""
    with ctx.db.session(write=False) as session:
        doc, _org = documents.load(session, ctx, document_id)
        return doc.source_sha256, (doc.format or "")


def _bytes(ctx: Ctx, sha256: str) -> bytes:
    with ctx.db.session(write=False) as session:
        source = session.scalar(select(db.SourceFile).options(undefer(db.SourceFile.content))
                                .where(db.SourceFile.sha256 == sha256))
        return bytes(source.content)


def _check_pdf(fmt: str, document_id) -> None:
    if fmt != "pdf":
        raise Invalid(f"文档 {document_id} 不是 PDF，没有页面图像", code="not_pdf")


def page_count(ctx: Ctx, document_id) -> int:
    sha, fmt = _document(ctx, document_id)
    if fmt != "pdf":
        return 0
    return _count(sha, ctx)


def _count(sha: str, ctx: Ctx) -> int:
    path = data_dir() / "cache" / "pages" / sha / "count"
    if path.exists():
        return int(path.read_text())
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(_bytes(ctx, sha))
    try:
        n = len(pdf)
    finally:
        pdf.close()
    _write(path, str(n).encode())
    return n


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass


def page_png(ctx: Ctx, document_id, number: int) -> bytes:
    """Page ``number`` (1-based) as PNG (cached on disk)."""
    sha, fmt = _document(ctx, document_id)
    _check_pdf(fmt, document_id)
    path = data_dir() / "cache" / "pages" / sha / f"{int(number)}.png"
    if path.exists():
        return path.read_bytes()
    import pypdfium2 as pdfium

    with _LOCK:  # PDFium is not thread-safe
        pdf = pdfium.PdfDocument(_bytes(ctx, sha))
        try:
            if not 1 <= number <= len(pdf):
                raise not_found("页面", number)
            page = pdf[number - 1]
            try:
                image = page.render(scale=SCALE).to_pil()
            finally:
                page.close()
        finally:
            pdf.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    data = out.getvalue()
    _write(path, data)
    return data


def page_rows(ctx: Ctx, document_id, number: int) -> dict:
    """``{"page", "tables": [{"number", "box": [x0, y0, x1, y1], "rows": [[top, bottom], …]}],
    "rotated"}`` with coordinates as fractions of the page's width and height."""
    sha, fmt = _document(ctx, document_id)
    _check_pdf(fmt, document_id)
    return _rows(sha, int(number), ctx)


def _rows(sha: str, number: int, ctx: Ctx) -> dict:
    cached = _rows_cache(sha, number)
    if cached is not None:
        return cached
    import pypdfium2 as pdfium

    from jixiao.readers.pdf import page_objects
    from jixiao.readers.pdf_layout import find_tables

    with _LOCK:
        pdf = pdfium.PdfDocument(_bytes(ctx, sha))
        try:
            if not 1 <= number <= len(pdf):
                raise not_found("页面", number)
            page = pdf[number - 1]
            try:
                width, height = page.get_size()
                rotation = page.get_rotation()
                objects = page_objects(page)
            finally:
                page.close()
        finally:
            pdf.close()
    tables = []
    groups = find_tables(objects.h_edges, objects.v_edges)
    boxes = []
    for i, cells in enumerate(groups):
        box = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
        boxes.append((box[1], i, box, cells))
    boxes.sort(key=lambda b: (b[0], b[1]))  # the reader numbers a page's tables by their top
    rotated = bool(rotation) or any(b[2][2] > width + 1 or b[2][3] > height + 1 for b in boxes)
    if not rotated:
        for n, (_top, _i, box, cells) in enumerate(boxes, 1):
            tops = sorted({c[1] for c in cells})
            bottoms = [*tops[1:], box[3]]
            tables.append({"number": n, "box": [box[0] / width, box[1] / height, box[2] / width, box[3] / height],
                           "rows": [[t / height, b / height] for t, b in zip(tops, bottoms)]})
    out = {"page": number, "tables": tables, "rotated": rotated}
    _ROWS[(sha, number)] = out
    return out


_ROWS: dict[tuple[str, int], dict] = {}


def _rows_cache(sha: str, number: int) -> dict | None:
    if len(_ROWS) > 2000:
        _ROWS.clear()
    return _ROWS.get((sha, number))


def row_box(rows: dict, table: int | None, row: int | None) -> list[float] | None:
    """The box (fractions) of row ``row`` of table ``table`` on the page, or the table's box when
    the row is unknown, or None."""
    if table is None:
        return None
    found = next((t for t in rows["tables"] if t["number"] == table), None)
    if found is None:
        return None
    if row is not None and 1 <= row <= len(found["rows"]):
        top, bottom = found["rows"][row - 1]
        return [found["box"][0], top, found["box"][2], bottom]
    return found["box"]

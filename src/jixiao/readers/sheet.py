"""Spreadsheet reader (XLSX, XLS, ODS, WPS 表格 .et) through python-calamine.

Every sheet is read, in workbook order; a hidden sheet is read too (its content is part of
what was submitted) and reported (``sheet-hidden``, info). Within a sheet:

* only the used range is read (calamine skips formatted empty cells, so a sheet with a
  million formatted empty rows costs what its data costs);
* merged regions are filled with their top-left text (calamine returns covered cells as
  ``''``; WPS repeats the text there — either way every slot gets the top-left text) and
  passed on as ``Merge`` regions;
* a row with a single text (a title merged across the columns, ``单位：万元`` or a note outside a
  table) is a paragraph, so title segmentation works as for text; runs of other rows are tables
  (a lone cell inside a table stays a row: its column says what it is); a sheet boundary
  separates tables (a blank line in the text dump);
* every cell is located ``sheet!B7``; a row at its first cell (the used range's first column).

Values print as the sheet shows them: numbers with the cell's number format where one is
known (``readers/numfmt.py``: ``864.30``, ``5,073.08``, ``95%``), otherwise without binary
noise and without ``.0`` (``412752``, codes such as ``201`` stay ``201``); text stays text
(a 项目编码 stored as text keeps its digits); dates ``YYYY-MM-DD``; booleans ``TRUE``/``FALSE``
as Excel prints them.
"""

from __future__ import annotations

import datetime as dt
import io
from bisect import bisect_left
from bisect import bisect_right

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.readers.build import DocBuilder
from jixiao.readers.detect import FORMAT_NAMES
from jixiao.readers.grid import Merge
from jixiao.readers.grid import RawDocument
from jixiao.readers.numfmt import Formats
from jixiao.readers.numfmt import col_letters
from jixiao.readers.numfmt import general
from jixiao.readers.numfmt import render_number
from jixiao.readers.numfmt import xls_formats
from jixiao.readers.numfmt import xlsx_formats

Value = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta


def read_sheet(
    data: bytes, name: str, fmt: str = "xlsx", *, converted: bool = False, **_options
) -> tuple[RawDocument | None, list[Finding]]:
    """Read a workbook's bytes. Returns ``(RawDocument | None, findings)``; never raises on bad input.

    An .xls/.et file calamine cannot open is given to LibreOffice (``readers/office.py``) when
    it is installed; if that fails too, the file is reported with calamine's message. An .ods file
    goes through LibreOffice (to .xlsx) when it is installed: calamine gives no merged ranges and
    no number formats for ODS (95% would read 0.95); without LibreOffice calamine's values are read.
    """
    import python_calamine as pc

    if fmt == "ods" and not converted:
        from jixiao.readers.office import read_converted
        from jixiao.readers.office import soffice

        if soffice() is not None:  # calamine reads no merged ranges nor number formats of ODS
            return read_converted(data, name, fmt="ods")
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        return None, [make("file-encrypted", None, file=name, detail="工作簿设有打开密码")]
    except Exception as exc:  # noqa: BLE001 - calamine raises CalamineError, ZipError, XmlError, ValueError…
        corrupt = _corrupt(name, fmt, exc)
        if fmt in ("xls", "et", "ods") and not converted:
            from jixiao.readers.office import read_converted
            from jixiao.readers.office import soffice

            if soffice() is not None:
                raw, found = read_converted(data, name, fmt=fmt)
                if raw is not None:
                    return raw, found
        return None, [corrupt]
    findings: list[Finding] = []
    sheets = []
    with book:
        for index, meta in enumerate(book.sheets_metadata):
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            try:
                sheet = book.get_sheet_by_index(index)
                # iter_rows gives the rows from the first (row 0), the columns from the used range's first
                start = (0, (sheet.start or (0, 0))[1])
                # only the rows with a value (a stray cell far down leaves a million empty rows between)
                rows = {i: row for i, row in enumerate(sheet.iter_rows()) if any(v != "" for v in row)}
                merges = sheet.merged_cell_ranges or []
            except Exception as exc:  # noqa: BLE001 - one unreadable sheet does not lose the others
                findings.append(make("file-part-unreadable", None, file=name, part=f"工作表“{meta.name}”",
                                     reason=f"{type(exc).__name__}: {str(exc)[:200]}"))
                continue
            if meta.visible != pc.SheetVisibleEnum.Visible and rows:
                findings.append(make("sheet-hidden", None, file=name, sheet=meta.name))
            sheets.append((meta.name, start, rows, merges))
            del sheet
    if not sheets and findings:
        return None, [_corrupt(name, fmt, findings[0].message)]
    formats = _formats(data, fmt, {s[0]: s[1][0] + max(s[2], default=0) + 1 for s in sheets})
    builder = DocBuilder(name, "sheet")
    for sheet_name, start, rows, merges in sheets:
        _emit_sheet(builder, sheet_name, start, rows, merges, formats.get(sheet_name, {}))
    return builder.build(), findings


def _corrupt(name: str, fmt: str, exc: Exception | str) -> Finding:
    what = exc if isinstance(exc, str) else f"{type(exc).__name__}: {str(exc)[:200]}"
    return make("file-corrupt", None, file=name,
                reason=f"{FORMAT_NAMES.get(fmt, fmt)} 无法打开，工作簿结构损坏或文件不完整；读取库报告：{what}")


def _formats(data: bytes, fmt: str, last_rows: dict[str, int]) -> dict[str, Formats]:
    if fmt == "xlsx":
        return xlsx_formats(data, last_rows)
    if fmt in ("xls", "et"):
        return xls_formats(data)
    return {}


def _emit_sheet(
    builder: DocBuilder,
    sheet: str,
    start: tuple[int, int],
    values: dict[int, list[Value]],
    merges: list[tuple[tuple[int, int], tuple[int, int]]],
    formats: Formats,
) -> None:
    """One sheet: paragraphs for single-text rows, tables for runs of the other rows.

    ``values`` holds the rows with a value, by index in the used range (from ``start``).
    """
    r0, c0 = start
    texts = {i: _row_texts(row, r0 + i, c0, formats) for i, row in values.items()}
    regions = [
        Merge(max(a[0] - r0, 0), max(a[1] - c0, 0), b[0] - r0, b[1] - c0)
        for a, b in merges
        if b[0] >= r0 and b[1] >= c0
    ]
    _fill(texts, regions)
    spans = _row_spans(regions)
    builder.page_break()
    block: list[int] = []
    first_col = col_letters(c0)

    def flush() -> None:
        if not block:
            return
        inside = []
        for m in regions:
            top = bisect_left(block, m.first_row)
            bottom = bisect_right(block, m.last_row) - 1
            if top < len(block) and block[top] == m.first_row and bottom >= top:
                inside.append(Merge(top, m.first_col, bottom, m.last_col))
        builder.grid(
            [texts[i] for i in block],
            merges=inside,
            # a row at its first cell; its cells' locations follow from it (Row.cells: B7, C7 …)
            row_where=[{"row": k + 1, "sheet": sheet, "cell": f"{first_col}{r0 + i + 1}"} for k, i in enumerate(block)],
        )
        block.clear()

    in_table = False  # the row above was a table row
    previous = -2
    for i in sorted(texts):
        row = texts[i]
        filled = [j for j, t in enumerate(row) if t.strip()]
        if not filled:
            continue
        if i > previous + 1:
            in_table = False  # an empty row ends a table's run for a lone cell (a note below it)
        previous = i
        if _is_paragraph(filled, i, spans, in_table):
            flush()
            j = filled[0]
            builder.paragraph(row[j], sheet=sheet, cell=f"{col_letters(c0 + j)}{r0 + i + 1}")
            in_table = False
            continue
        block.append(i)
        in_table = True
    flush()


def _fill(texts: dict[int, list[str]], regions: list[Merge]) -> None:
    """Fill each merged region's slots with its top-left text, on the rows that have a value and
    the region's first row (a region over empty rows adds no rows of its own)."""
    for m in regions:
        top = texts.get(m.first_row)
        text = top[m.first_col] if top is not None and m.first_col < len(top) else ""
        if not text:
            continue
        rows = [r for r in texts if m.first_row <= r <= m.last_row] if m.last_row - m.first_row > 64 else [
            r for r in range(m.first_row, m.last_row + 1) if r in texts
        ]
        for r in rows:
            row = texts[r]
            if len(row) <= m.last_col:
                row.extend([""] * (m.last_col + 1 - len(row)))
            for c in range(m.first_col, m.last_col + 1):
                row[c] = text


def _row_spans(regions: list[Merge]) -> dict[int, list[Merge]]:
    out: dict[int, list[Merge]] = {}
    for m in regions:
        if m.last_col > m.first_col:
            for r in range(m.first_row, m.last_row + 1):
                out.setdefault(r, []).append(m)
    return out


def _is_paragraph(filled: list[int], i: int, spans: dict[int, list[Merge]], in_table: bool) -> bool:
    """A title or a note rather than a table row: one text on the row, either merged across
    columns (a title row), or a lone cell outside a table (单位：万元 at the right, a note after an
    empty row). A lone cell right under a table row (a 二级 name without indicators, a text cell's
    continuation, a note on the row after the last data row) stays a row of that table, where the
    parser reads it by its column."""
    for m in spans.get(i, ()):
        if m.first_col <= filled[0] and filled[-1] <= m.last_col and m.first_row == m.last_row:
            return True
    return len(filled) == 1 and not in_table


def _row_texts(row: list[Value], r: int, c0: int, formats: Formats) -> list[str]:
    out = []
    for j, v in enumerate(row):
        if v.__class__ is str:
            out.append(v)
        elif v.__class__ is float:
            out.append(render_number(v, formats.get((r, c0 + j))) if formats else general(v))
        else:
            out.append(_text(v, formats.get((r, c0 + j))))
    return out


def _text(value: Value, code: str | None) -> str:
    """A cell's value as the sheet prints it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):  # calamine gives XLS integers (RK records) as int
        return str(value) if code is None else render_number(float(value), code)
    if isinstance(value, float):
        return render_number(value, code)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")
    if isinstance(value, dt.timedelta):
        total = int(value.total_seconds())
        return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return str(value)

"""Spreadsheet numbers as the sheet prints them: number formats of XLSX and XLS cells.

calamine returns values only (a float for 864.3 whether the cell shows ``864.30``, ``864.3`` or
``86430%``). The parser reads printed text: precision sets tolerances and a percentage is a
percentage. So the readers recover each numeric cell's number format cheaply, without a second
full spreadsheet parse:

* XLSX: ``xl/styles.xml`` (custom ``numFmts`` and the ``cellXfs`` style list) and, only when a
  style with a non-General number format exists, one streamed regex pass over each sheet's XML
  up to the last used row (a sheet with a million formatted empty rows costs nothing past its
  data). Only cells with such a style are kept.
* XLS (BIFF8): the FORMAT and XF records of the workbook globals, then NUMBER, RK, MULRK and
  FORMULA records of each sheet (the records that carry a number and its XF index).

``render_number(value, code)`` prints a float with a format code (fixed decimals, thousands
separators, percent, quoted literals); ``None`` or General prints the shortest form without
binary noise (``0.1 + 0.2`` → ``0.3``, ``412752.0`` → ``412752``). Dates are left to calamine,
which already returns them as dates.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation
from functools import lru_cache

# Built-in number formats that print a number differently from General (ECMA-376 18.8.30).
BUILTIN = {
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
}

Formats = dict[tuple[int, int], str]  # (row, column), 0-based → format code


# ---------------------------------------------------------------- printing


def general(value: float) -> str:
    """A number as General prints it: up to 15 significant digits, no exponent, no ``.0``."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    try:
        d = Decimal(format(value, ".15g"))
    except InvalidOperation:  # pragma: no cover - format() of a finite float is always valid
        return repr(value)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def render_number(value: float, code: str | None) -> str:
    """``value`` printed with the format ``code`` (General when None or not a number format)."""
    if code is None:
        return general(value)
    spec = _parse_code(code)
    if spec is None:
        return general(value)
    prefix, decimals, thousands, percent, suffix, neg_parens = spec
    body, negative = _fixed(value, decimals, percent)
    if thousands:
        whole, dot, frac = body.partition(".")
        body = f"{int(whole):,}" + dot + frac
    text = prefix + body + "%" * percent + suffix
    if negative:
        text = f"({text})" if neg_parens else "-" + text
    return text


def _fixed(value: float, decimals: int, percent: int) -> tuple[str, bool]:
    """|value| (× 100 per percent sign) with ``decimals`` places, rounded half up on its shortest
    decimal form (2.675 → 2.68, as spreadsheets show it); and whether it is negative and not 0."""
    shown = repr(abs(value))
    if not percent and "e" not in shown:
        whole, _, frac = shown.partition(".")
        if frac == "0":
            frac = ""
        if len(frac) <= decimals:  # no rounding: pad (the common case)
            body = whole + ("." + frac.ljust(decimals, "0") if decimals else "")
            return body, value < 0 and body.strip("0.") != ""
    scaled = Decimal(shown) * (Decimal(100) ** percent) if percent else Decimal(shown)
    rounded = scaled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{rounded:.{decimals}f}", value < 0 and rounded != 0


_LITERAL = re.compile(r'"([^"]*)"|\\(.)|\[[^\]]*\]|_.|\*.')


@lru_cache(maxsize=512)
def _parse_code(code: str) -> tuple[str, int, bool, int, str, bool] | None:
    """(prefix, decimals, thousands, percent signs, suffix, negatives in parentheses) of a plain
    number format, or None for General, text, dates, fractions and scientific formats."""
    sections = _split_sections(code)
    first = sections[0]
    neg_parens = len(sections) > 1 and "(" in _strip_literals(sections[1])
    plain = _strip_literals(first)
    low = plain.lower()
    if not plain.strip() or "general" in low or "@" in plain or "?" in plain or "/" in plain:
        return None
    if re.search(r"[ymdhsaeb]", low.replace("e+", "").replace("e-", "")) or re.search(r"e[+-]", low):
        return None  # dates/times (calamine converts them), scientific
    digits = [i for i, ch in enumerate(plain) if ch in "0#"]
    if not digits:
        return None
    start, end = digits[0], digits[-1]
    number = plain[start : end + 1]
    decimals = len(re.sub(r"[^0#]", "", number.split(".", 1)[1])) if "." in number else 0
    thousands = "," in number.split(".", 1)[0]
    percent = plain.count("%")
    prefix, suffix = _literal_text(first, before=True), _literal_text(first, before=False)
    return prefix, decimals, thousands, percent, suffix, neg_parens


def _split_sections(code: str) -> list[str]:
    out, cur, quoted, escaped = [], "", False, False
    for ch in code:
        if escaped:
            cur += ch
            escaped = False
        elif ch == "\\":
            cur += ch
            escaped = True
        elif ch == '"':
            quoted = not quoted
            cur += ch
        elif ch == ";" and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def _strip_literals(section: str) -> str:
    return _LITERAL.sub("", section)


def _literal_text(section: str, *, before: bool) -> str:
    """The quoted/escaped literal text printed before (or after) the number."""
    pieces: list[tuple[int, str]] = []
    for m in _LITERAL.finditer(section):
        if m.group(1) is not None:
            pieces.append((m.start(), m.group(1)))
        elif m.group(2) is not None:
            pieces.append((m.start(), m.group(2)))
    rest = _LITERAL.sub(lambda m: "\x00" * len(m.group(0)), section)
    placeholders = [i for i, ch in enumerate(rest) if ch in "0#"]
    if not placeholders:
        return ""
    first, last = placeholders[0], placeholders[-1]
    if before:
        return "".join(t for pos, t in pieces if pos < first)
    return "".join(t for pos, t in pieces if pos > last)


def interesting(code: str | None) -> bool:
    """A format that prints a number differently from General."""
    return code is not None and _parse_code(code) is not None


# ---------------------------------------------------------------- XLSX


_ROW = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d+)\"")
_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _cell_pattern(styles: dict[int, str]) -> re.Pattern[bytes]:
    """``<c r="B7" s="12" …>`` with a value (not ``<c …/>``) for the wanted style indices only, so
    that a sheet of unstyled or General cells costs one regex pass and no Python per cell."""
    wanted = b"|".join(str(i).encode() for i in sorted(styles, key=lambda i: -len(str(i))))
    return re.compile(
        rb'<(?:\w+:)?c\s+r="([A-Z]{1,3})(\d+)"\s+s="(' + wanted + rb')"((?:\s+[\w:]+="[^"]*")*)\s*>'
    )


def xlsx_formats(data: bytes, last_rows: dict[str, int]) -> dict[str, Formats]:
    """Number formats of numeric cells, per sheet name, for rows up to ``last_rows[name]``
    (0-based). Sheets without such cells are absent. Never raises: {} on anything unexpected."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            styles = _xlsx_styles(zf)
            if not styles:
                return {}
            out: dict[str, Formats] = {}
            for name, path in _xlsx_sheet_paths(zf).items():
                if name not in last_rows:
                    continue
                found = _scan_sheet(zf, path, styles, last_rows[name])
                if found:
                    out[name] = found
            return out
    except Exception:  # noqa: BLE001 - formats are a refinement; the values are read regardless
        return {}


def _xlsx_styles(zf: zipfile.ZipFile) -> dict[int, str]:
    """Style index → format code, for styles whose number format is not General."""
    from jixiao.readers.safety import safe_xml

    try:
        root = safe_xml(zf.read("xl/styles.xml"))
    except KeyError:
        return {}
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    custom: dict[int, str] = {}
    numfmts = root.find(f"{ns}numFmts")
    if numfmts is not None:
        for nf in numfmts:
            try:
                custom[int(nf.get("numFmtId", ""))] = nf.get("formatCode", "")
            except ValueError:
                continue
    out: dict[int, str] = {}
    xfs = root.find(f"{ns}cellXfs")
    if xfs is None:
        return {}
    for i, xf in enumerate(xfs):
        try:
            fid = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        code = custom.get(fid) or BUILTIN.get(fid)
        if interesting(code):
            out[i] = code
    return out


def _xlsx_sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    from jixiao.readers.safety import safe_xml

    book = safe_xml(zf.read("xl/workbook.xml"))
    rels = safe_xml(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    out = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                out[el.get("name", "")] = targets[rid]
    return out


def _scan_sheet(zf: zipfile.ZipFile, path: str, styles: dict[int, str], last_row: int) -> Formats:
    """Stream the sheet XML; keep (row, col) → code for valued cells with an interesting style,
    up to ``last_row`` (0-based). Cells written ``<c r= s= …>`` (the order Excel, WPS, LibreOffice,
    openpyxl and xlsxwriter write) are recognised; another attribute order prints as General."""
    out: Formats = {}
    codes = {str(i).encode(): code for i, code in styles.items()}
    pattern = _cell_pattern(styles)
    columns: dict[bytes, int] = {}
    tail = b""
    with zf.open(path) as fh:
        while True:
            chunk = fh.read(1 << 20)
            buf = tail + chunk
            if not buf:
                break
            cut = buf.rfind(b"<") if chunk else len(buf)
            if cut <= 0 and chunk:
                tail = buf
                continue
            part, tail = buf[:cut], buf[cut:]
            for m in pattern.finditer(part):
                letters, row, style, rest = m.groups()
                if rest and b't="' in rest and b't="n"' not in rest:
                    continue  # a string, boolean or error with a number style
                col = columns.get(letters)
                if col is None:
                    col = columns[letters] = col_index(letters.decode("ascii"))
                out[(int(row) - 1, col)] = codes[style]
            rows = _ROW.findall(part[-4096:]) if chunk else []
            if (rows and int(rows[-1]) - 1 > last_row) or not chunk:
                break
    return out


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


# ---------------------------------------------------------------- XLS (BIFF8)


def xls_formats(data: bytes) -> dict[str, Formats]:
    """Number formats of numeric cells per sheet name of a BIFF8 workbook. {} when unknown."""
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream = "Workbook" if ole.exists("Workbook") else "Book"
            book = ole.openstream(stream).read()
        return _biff_formats(book)
    except Exception:  # noqa: BLE001 - formats are a refinement; the values are read regardless
        return {}


_BIFF_BUILTIN = {**BUILTIN}


def _biff_formats(book: bytes) -> dict[str, Formats]:
    pos, size = 0, len(book)
    custom: dict[int, str] = {}
    xf_fmt: list[int] = []
    sheets: list[tuple[int, str]] = []
    # workbook globals: up to the first EOF
    while pos + 4 <= size:
        rtype, length = struct.unpack_from("<HH", book, pos)
        body = book[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if rtype == 0x0809 and len(body) >= 2 and struct.unpack_from("<H", body)[0] != 0x0600:
            return {}  # not BIFF8
        if rtype == 0x041E and len(body) >= 5:  # FORMAT
            ifmt, cch, flags = struct.unpack_from("<HHB", body)
            raw = body[5:]
            custom[ifmt] = raw[: cch * 2].decode("utf-16-le", "replace") if flags & 1 else raw[:cch].decode("latin-1")
        elif rtype == 0x00E0 and len(body) >= 4:  # XF
            xf_fmt.append(struct.unpack_from("<H", body, 2)[0])
        elif rtype == 0x0085 and len(body) >= 8:  # BOUNDSHEET8
            offset = struct.unpack_from("<I", body)[0]
            cch, flags = body[6], body[7]
            raw = body[8:]
            name = raw[: cch * 2].decode("utf-16-le", "replace") if flags & 1 else raw[:cch].decode("latin-1")
            sheets.append((offset, name))
        elif rtype == 0x000A:  # EOF of the globals
            break
    codes = {}
    for i, fid in enumerate(xf_fmt):
        code = custom.get(fid) or _BIFF_BUILTIN.get(fid)
        if interesting(code):
            codes[i] = code
    if not codes:
        return {}
    out: dict[str, Formats] = {}
    for offset, name in sheets:
        found = _biff_sheet(book, offset, codes)
        if found:
            out[name] = found
    return out


def _biff_sheet(book: bytes, pos: int, codes: dict[int, str]) -> Formats:
    out: Formats = {}
    size = len(book)
    depth = 0
    while pos + 4 <= size:
        rtype, length = struct.unpack_from("<HH", book, pos)
        body_at = pos + 4
        pos = body_at + length
        if rtype == 0x0809:
            depth += 1
        elif rtype == 0x000A:
            depth -= 1
            if depth <= 0:
                break
        elif depth != 1:
            continue  # an embedded chart's substream
        elif rtype in (0x0203, 0x027E) and length >= 6:  # NUMBER, RK
            row, col, xf = struct.unpack_from("<HHH", book, body_at)
            if xf in codes:
                out[(row, col)] = codes[xf]
        elif rtype == 0x0006 and length >= 14:  # FORMULA: a number unless the result's last bytes are FFFF
            row, col, xf = struct.unpack_from("<HHH", book, body_at)
            if xf in codes and book[body_at + 12 : body_at + 14] != b"\xff\xff":
                out[(row, col)] = codes[xf]
        elif rtype == 0x00BD and length >= 6:  # MULRK
            row, first = struct.unpack_from("<HH", book, body_at)
            count = (length - 6) // 6
            for k in range(count):
                xf = struct.unpack_from("<H", book, body_at + 4 + 6 * k)[0]
                if xf in codes:
                    out[(row, first + k)] = codes[xf]
    return out

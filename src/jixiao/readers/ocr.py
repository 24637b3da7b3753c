"""Scanned PDF pages read by OCR (the optional extra: ``pip install jixiao[ocr]``).

The engine is RapidOCR (Apache-2.0, PaddleOCR's PP-OCR models converted to ONNX, run by
onnxruntime on the CPU). Its wheel ships the detection and recognition models; this module
passes their paths explicitly, so the engine never reaches its download code, and a missing
model file makes the extra count as not installed (``available()``) instead of fetching one.
Pages are rendered by pypdfium2.

Per page:

1. The page is rendered at ``DPI`` (greyscale).
2. Ruled tables are found in the image (``readers/ocr_rulings.py``): the cell grid the rulings
   draw, and merged cells where a ruling is missing inside a table.
3. The engine detects text boxes on the whole page. A box inside a table is cut at the
   column rulings it crosses (the detector often joins the texts of neighbouring cells into
   one box) and clipped to its cell, so every piece belongs to one cell; boxes outside tables
   are text lines.
4. All pieces are recognised in one batch; each has a score (the engine's confidence).
5. A cell's text is its pieces in reading order, its confidence their minimum; text outside
   tables is grouped into lines (paragraphs) in reading order. Blocks are emitted top to bottom
   through the DocBuilder: locations page=, table= (per page), row=, column, and line.

Cells and lines whose confidence is under ``JIXIAO_OCR_MIN_CONFIDENCE`` (default 0.8) become
``ocr-low-confidence`` warnings; ``ocr-used`` (info) says which pages were read by OCR, with the
mean confidence.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.source import Location
from jixiao.readers.build import DocBuilder
from jixiao.readers.grid import Merge
from jixiao.readers.grid import RawDocument
from jixiao.readers.grid import join_wrapped

DPI = 200
DETECT_SIDE = 1600  # longest side of the page image that text is detected on (pixels)
ENV_MIN_CONFIDENCE = "JIXIAO_OCR_MIN_CONFIDENCE"
DEFAULT_MIN_CONFIDENCE = 0.8
LAYOUT = "ocr"

_ENGINE_MODULES = ("rapidocr", "onnxruntime", "pypdfium2", "cv2", "numpy")


def available() -> bool:
    """Is the OCR extra installed (engine, runtime, renderer and the engine's bundled models)?"""
    return _models() is not None


@functools.cache
def _models() -> dict[str, str] | None:
    """The engine's bundled model files, or None when the extra (or a model) is missing."""
    import importlib

    try:
        for module in _ENGINE_MODULES:
            importlib.import_module(module)
        import rapidocr
    except Exception:  # noqa: BLE001 - any failure to import (missing, broken native library) = not installed
        return None
    folder = Path(rapidocr.__file__).parent / "models"
    found: dict[str, str] = {}
    for task in ("det", "rec"):
        candidates = sorted(folder.glob(f"*{task}*.onnx")) if folder.is_dir() else []
        if not candidates:
            return None
        # The newest bundled PP-OCR version (file names carry it: PP-OCRv6_det_small.onnx).
        found[task] = str(max(candidates, key=lambda p: _version_key(p.name)))
    return found


def _version_key(name: str) -> tuple[int, str]:
    match = re.search(r"v(\d+)", name)
    return (int(match.group(1)) if match else 0, name)


@functools.cache
def _engine():
    """One engine per process (loading the models takes a second or two)."""
    from rapidocr import RapidOCR

    models = _models()
    if models is None:
        raise RuntimeError("OCR extra not installed")
    params = {
        "Global.log_level": "error",
        "Global.text_score": 0.0,  # keep every result: low scores become findings, not silence
        "Global.use_cls": False,  # scanned pages are upright; the classifier only costs time
        "Global.return_word_box": True,  # per-character confidences (see _score)
        "Det.model_path": models["det"],
        "Rec.model_path": models["rec"],
        # a worker of a batch's process pool uses one thread: the pool already has every core
        "EngineConfig.onnxruntime.intra_op_num_threads": _threads(),
        "EngineConfig.onnxruntime.inter_op_num_threads": 1 if _threads() == 1 else -1,
    }
    return RapidOCR(params=params)


def _threads() -> int:
    """Threads for the engine: JIXIAO_OCR_THREADS, else 1 in a pool worker, else all (-1)."""
    import multiprocessing
    import os

    if os.environ.get("JIXIAO_OCR_THREADS"):
        return int(os.environ["JIXIAO_OCR_THREADS"])
    return 1 if multiprocessing.parent_process() is not None else -1


def min_confidence() -> float:
    """The confidence under which a cell or line is reported (env JIXIAO_OCR_MIN_CONFIDENCE)."""
    raw = os.environ.get(ENV_MIN_CONFIDENCE, "").strip()
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_MIN_CONFIDENCE
    return value if 0 < value <= 1 else DEFAULT_MIN_CONFIDENCE


def ocr_pdf(data: bytes, name: str, pages: list[int] | None = None) -> tuple[RawDocument | None, list[Finding]]:
    """OCR the given pages (1-based; None = all) of a PDF into a RawDocument."""
    if not available():
        count = len(pages) if pages else _page_count(data)
        return None, [make("file-scanned", None, file=name, pages=count if count is not None else "全部")]
    try:
        reader = OcrReader(data, name)
    except Exception as exc:  # noqa: BLE001 - a PDF pdfium cannot open is the file's problem
        return None, [_open_failure(name, exc)]
    try:
        builder = DocBuilder(name, LAYOUT)
        findings: list[Finding] = []
        numbers = sorted(set(pages)) if pages is not None else list(range(1, reader.page_count + 1))
        for number in numbers:
            builder.page_break()
            findings += reader.read_page(builder, number)
        findings += reader.summary()
        return builder.build(), findings
    finally:
        reader.close()


def _page_count(data: bytes) -> int | None:
    try:
        import pypdfium2
    except Exception:  # noqa: BLE001
        return None
    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception:  # noqa: BLE001
        return None
    try:
        return len(pdf)
    finally:
        pdf.close()


def _open_failure(name: str, exc: Exception) -> Finding:
    text = str(exc)
    if "password" in text.lower():
        return make("file-encrypted", None, file=name, detail="PDF 设有打开密码")
    return make("file-corrupt", None, file=name, reason=f"PDF 无法打开：{text[:200]}")


@dataclass
class _Piece:
    """A recognised piece of text: where (pixels), what, how sure, and what it belongs to."""

    x0: int
    y0: int
    x1: int
    y1: int
    table: int | None = None  # index in the page's tables
    region: int | None = None  # merged-cell index in that table
    text: str = ""
    score: float = 0.0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> int:
        return self.y1 - self.y0


class OcrReader:
    """OCR of one PDF's pages, page by page, into a caller's DocBuilder.

    The PDF reader uses it for the pages without a text layer of a PDF whose other pages it
    reads itself: ``read_page(builder, n)`` emits page n's paragraphs and tables into the
    builder and returns that page's findings; ``summary()`` gives the ``ocr-used`` finding
    once all pages are read.
    """

    def __init__(self, data: bytes, name: str, *, dpi: int = DPI):
        import pypdfium2

        self.name = name
        self.dpi = dpi
        self.pdf = pypdfium2.PdfDocument(data)
        self.page_count = len(self.pdf)
        self.pages_read: list[int] = []
        self.scores: list[float] = []
        self.threshold = min_confidence()

    def close(self) -> None:
        self.pdf.close()

    def render(self, number: int):
        """Page ``number`` (1-based) as a greyscale numpy image at the reader's dpi."""
        page = self.pdf[number - 1]
        try:
            bitmap = page.render(scale=self.dpi / 72, grayscale=True)
            image = bitmap.to_numpy()
        finally:
            page.close()
        if image.ndim == 3:
            image = image[..., 0]
        return image.copy()

    def read_page(self, builder: DocBuilder, number: int) -> list[Finding]:
        if not 1 <= number <= self.page_count:
            return [make("file-part-unreadable", None, file=self.name, part=f"第 {number} 页", reason=f"文件只有 {self.page_count} 页")]
        try:
            gray = self.render(number)
            return self.read_image(builder, gray, number)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - one page the engine fails on must not lose the others
            where = Location(self.name, page=number)
            return [make("file-part-unreadable", where, file=self.name, part=f"第 {number} 页（OCR）", reason=f"{type(exc).__name__}: {str(exc)[:200]}")]

    def read_image(self, builder: DocBuilder, gray, number: int) -> list[Finding]:
        """OCR one page image (greyscale numpy, at ``self.dpi``) into the builder."""
        from jixiao.readers.ocr_rulings import find_tables

        self.pages_read.append(number)
        tables = find_tables(gray, self.dpi)
        pieces = _recognise(gray, _detect(gray, tables))
        self.scores.extend(p.score for p in pieces)
        if not pieces:
            if _has_content(gray):
                return [make("ocr-no-text", Location(self.name, page=number), file=self.name, page=number)]
            return []  # a blank page
        return _emit(builder, self.name, number, tables, pieces, self.threshold)

    def summary(self) -> list[Finding]:
        if not self.pages_read:
            return []
        mean = f"{sum(self.scores) / len(self.scores):.2f}" if self.scores else "—"
        return [
            make(
                "ocr-used",
                Location(self.name, page=self.pages_read[0]),
                file=self.name,
                pages=_page_ranges(self.pages_read),
                count=len(self.pages_read),
                mean=mean,
            )
        ]


def _has_content(gray) -> bool:
    """Does a page show something (however faint), more than specks of dust on a blank scan?"""
    import numpy as np

    sample = gray[::4, ::4]
    paper = float(np.percentile(sample, 90))
    return float((sample < paper - 25).mean()) > 0.003


def _page_ranges(pages: list[int]) -> str:
    out: list[str] = []
    for p in sorted(set(pages)):
        if out and out[-1].split("-")[-1] == str(p - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{p}"
        else:
            out.append(str(p))
    return "、".join(out)


# ---------------------------------------------------------------------------------------------
# detection: text boxes, cut at the rulings they cross


def _detect(gray, tables) -> list[_Piece]:
    import cv2
    import numpy as np

    height, width = gray.shape
    # Text is found on a smaller copy of the page (detection costs grow with the pixels;
    # recognition reads the full-resolution crops).
    scale = min(1.0, DETECT_SIDE / max(height, width))
    small = gray if scale == 1.0 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    result = _engine()(np.dstack([small] * 3), use_det=True, use_cls=False, use_rec=False)
    boxes = getattr(result, "boxes", None)
    if boxes is None or len(boxes) == 0:
        return []
    pieces: list[_Piece] = []
    for quad in boxes:
        xs = [float(p[0]) / scale for p in quad]
        ys = [float(p[1]) / scale for p in quad]
        x0, x1 = max(0, int(min(xs))), min(width, int(round(max(xs))))
        y0, y1 = max(0, int(min(ys))), min(height, int(round(max(ys))))
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        pieces.extend(_cut(_Piece(x0, y0, x1, y1), tables))
    return _dedupe(pieces)


def _cut(box: _Piece, tables) -> list[_Piece]:
    """A box inside a table, cut into one piece per cell it covers, each clipped to its cell.

    The detector's boxes reach a little beyond their ink: a part of a box under a third of
    its height wide past a ruling is that margin, not text of the next cell."""
    cx, cy = (box.x0 + box.x1) / 2, box.cy
    for t, table in enumerate(tables):
        if not table.contains(cx, cy):
            continue
        row = table.row_of(cy)
        if row is None:
            return [box]
        inset = 3
        out: list[_Piece] = []
        seen: set[int] = set()
        for c in range(table.columns):
            left, right = table.xs[c], table.xs[c + 1]
            if min(box.x1, right) - max(box.x0, left) < max(4, box.height // 2):
                continue
            region = table.slot_region[(row, c)]
            if region in seen:
                continue
            seen.add(region)
            rx0, ry0, rx1, ry1 = table.region_box(region)
            piece = _Piece(
                max(box.x0, rx0 + inset),
                max(box.y0, ry0 + inset),
                min(box.x1, rx1 - inset),
                min(box.y1, ry1 - inset),
                table=t,
                region=region,
            )
            if piece.x1 - piece.x0 >= 4 and piece.y1 - piece.y0 >= 4:
                out.append(piece)
        return out
    return [box]


def _dedupe(pieces: list[_Piece]) -> list[_Piece]:
    """Drop a piece of a cell that lies within another piece of the same cell on the same line
    (the end of a box reaching over a ruling into a cell whose own text has its own box)."""
    out: list[_Piece] = []
    for p in sorted(pieces, key=lambda q: -(q.x1 - q.x0)):
        inside = False
        for q in out:
            if p.table is None or q.region != p.region or q.table != p.table:
                continue
            x_overlap = min(p.x1, q.x1) - max(p.x0, q.x0)
            y_overlap = min(p.y1, q.y1) - max(p.y0, q.y0)
            if x_overlap >= 0.5 * (p.x1 - p.x0) and y_overlap >= 0.5 * min(p.height, q.height):
                inside = True
                break
        if not inside:
            out.append(p)
    return sorted(out, key=lambda q: (q.y0, q.x0))


# ---------------------------------------------------------------------------------------------
# recognition


_PAD = 6


def _recognise(gray, pieces: list[_Piece]) -> list[_Piece]:
    """Recognise every piece in one batch; pieces with no ink or no text are dropped."""
    import numpy as np

    crops, kept = [], []
    for p in pieces:
        crop = gray[p.y0 : p.y1, p.x0 : p.x1]
        if crop.size == 0 or int(crop.min()) >= 170:
            continue  # white: a box that only covered a ruling
        crop = np.pad(crop, _PAD, constant_values=255)
        crops.append(np.dstack([crop] * 3))
        kept.append(p)
    if not crops:
        return []
    result = _engine().recognize_txt(crops)
    words = result.word_results if len(result.word_results) == len(kept) else [None] * len(kept)
    out: list[_Piece] = []
    for p, text, score, word in zip(kept, result.txts, result.scores, words):
        confs = getattr(word, "confs", None)
        p.score = _score(text, confs) if confs and len(confs) == len(text) else float(score)
        p.text = _normalise(text)
        if p.text:
            out.append(p)
    return out


_LEADERS = re.compile(r"[.．·・…⋯‥]{3,}|[…⋯]+")


def _score(text: str, confs: list[float]) -> float:
    """A piece's confidence: the mean of its characters' confidences, leaving out dot leaders
    (a table of contents' "……" carries no content, and the recogniser is never sure how many
    dots it saw). A piece of leaders only is certain enough."""
    leaders: set[int] = set()
    for match in _LEADERS.finditer(text):
        leaders.update(range(match.start(), match.end()))
    kept = [c for i, c in enumerate(confs) if i not in leaders]
    return float(sum(kept) / len(kept)) if kept else 1.0


_NUMBER_LIKE = re.compile(r"^[-+]?[\d\s,，.。]+%?$")
# "一" read as a hyphen: before a CJK character or 、）, and not after a letter or digit.
_ONE_AS_HYPHEN = re.compile(r"(?<![0-9A-Za-z])[-－](?=[\u4e00-\u9fff、）)])")


def _normalise(text: str) -> str:
    """Tidy what the recogniser returns: ends stripped; inside a number, spaces dropped and
    full-width separators made ASCII ("82, 096, 797. 42" → "82,096,797.42"); a hyphen where
    only "一" can stand ("-般", "-、") made "一"; round brackets of mixed widths made one width."""
    text = text.strip()
    if _NUMBER_LIKE.match(text) and any(ch.isdigit() for ch in text):
        return re.sub(r"\s+", "", text).replace("，", ",").replace("。", ".")
    return _brackets(_ONE_AS_HYPHEN.sub("一", text))


def _brackets(text: str) -> str:
    """The recogniser confuses the widths of round brackets: it reads "（一）" as "(一）" or
    "(（一）". A bracket paired with one of the other width takes its partner's width (a
    half-width one turns full-width when the pair mixes them), and a bracket doubled in the
    other width ("(（") is one."""
    if not any(ch in text for ch in "()（）"):
        return text
    text = text.replace("(（", "（").replace("（(", "（").replace("）)", "）").replace(")）", "）")
    chars = list(text)
    openers: list[int] = []
    for i, ch in enumerate(chars):
        if ch in "(（":
            openers.append(i)
        elif ch in ")）" and openers:
            j = openers.pop()
            if (chars[j] == "(") != (ch == ")"):  # one half-width, one full-width
                if chars[j] == "(":
                    chars[j] = "（"
                else:
                    chars[i] = "）"
    return "".join(chars)


# ---------------------------------------------------------------------------------------------
# layout: cells and lines in reading order


def _lines(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces grouped into lines (vertical overlap with the line's band), each sorted by x."""
    lines: list[list[_Piece]] = []
    bands: list[tuple[int, int]] = []
    for p in sorted(pieces, key=lambda q: (q.cy, q.x0)):
        for i, (top, bottom) in enumerate(bands):
            overlap = min(bottom, p.y1) - max(top, p.y0)
            if overlap >= 0.5 * min(bottom - top, p.height):
                lines[i].append(p)
                bands[i] = (min(top, p.y0), max(bottom, p.y1))
                break
        else:
            lines.append([p])
            bands.append((p.y0, p.y1))
    return [sorted(line, key=lambda q: q.x0) for line in lines]


def _join_line(line: list[_Piece]) -> str:
    text = ""
    previous: _Piece | None = None
    for p in line:
        if previous is not None and p.x0 - previous.x1 > 1.5 * max(p.height, previous.height):
            text += " " + p.text  # a wide gap: separate fields on one printed line
        else:
            text = join_wrapped(text, p.text)
        previous = p
    return text


def _cell_text(pieces: list[_Piece]) -> str:
    text = ""
    for line in _lines(pieces):
        text = join_wrapped(text, _join_line(line))
    return text


def _emit(builder: DocBuilder, name: str, page: int, tables, pieces: list[_Piece], threshold: float) -> list[Finding]:
    findings: list[Finding] = []
    loose = [p for p in pieces if p.table is None]
    by_table: dict[int, list[_Piece]] = {}
    for p in pieces:
        if p.table is not None:
            by_table.setdefault(p.table, []).append(p)
    blocks: list[tuple[float, int, object]] = []
    for line in _lines(loose):
        blocks.append((min(p.y0 for p in line), 1, line))
    for t, table in enumerate(tables):
        if t in by_table:
            blocks.append((table.ys[0], 0, t))
    blocks.sort(key=lambda b: (b[0], b[1]))
    number = 0
    for _, kind, block in blocks:
        if kind == 1:
            line = block  # type: ignore[assignment]
            paragraph = builder.paragraph(_join_line(line), page=page)
            if paragraph is not None:
                score = min(p.score for p in line)
                findings += _check(name, paragraph.location, page, "", paragraph.text, score, threshold)
            continue
        number += 1
        findings += _emit_table(builder, name, page, number, tables[block], by_table[block], threshold)
    return findings


def _emit_table(builder, name, page, number, table, pieces, threshold) -> list[Finding]:
    by_region: dict[int, list[_Piece]] = {}
    for p in pieces:
        by_region.setdefault(p.region, []).append(p)
    rows = [[""] * table.columns for _ in range(table.rows)]
    merges: list[Merge] = []
    scores: dict[int, float] = {}
    for index, (r0, c0, r1, c1) in enumerate(table.regions):
        found = by_region.get(index)
        text = _cell_text(found) if found else ""
        if found:
            scores[index] = min(p.score for p in found)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                rows[r][c] = text
        if r1 > r0 or c1 > c0:
            merges.append(Merge(r0, c0, r1, c1))
    grid = builder.grid(rows, merges=merges, page=page, table=number)
    if grid is None:
        return []
    located = {row.location.row: row for row in grid.rows}
    findings: list[Finding] = []
    for index, score in sorted(scores.items()):
        r0, c0, _, _ = table.regions[index]
        row = located.get(r0 + 1)
        if row is None:
            continue
        location = row.location.with_column(c0 + 1)
        place = f" 表 {number} 第 {r0 + 1} 行第 {c0 + 1} 列"
        text = row.texts[c0] if c0 < len(row.texts) else ""
        findings += _check(name, location, page, place, text, score, threshold)
    return findings


# A number as printed in these documents: digits grouped by three with commas, or not grouped.
_NUMBER_TOKEN = re.compile(r"\d[\d,.]*\d")
_WELL_GROUPED = re.compile(r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


def _check(name: str, location: Location, page: int, place: str, text: str, score: float, threshold: float) -> list[Finding]:
    """What a reader of the scan must look at: a cell or line read with low confidence, and a
    number whose thousands grouping cannot be right ("82,09,797.42", "91,016.775.35"), which
    the recogniser can misread with high confidence."""
    out: list[Finding] = []
    fields = {"file": name, "page": page, "place": place, "text": text[:80], "source_text": text[:200]}
    if score < threshold:
        out.append(make("ocr-low-confidence", location, confidence=f"{score:.2f}", threshold=f"{threshold:.2f}", **fields))
    for token in _NUMBER_TOKEN.findall(text):
        if "," in token and not _WELL_GROUPED.fullmatch(token):
            out.append(make("ocr-number-malformed", location, number=token, **fields))
    return out

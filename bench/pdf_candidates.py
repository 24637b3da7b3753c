"""PDF libraries compared on every real PDF: seconds per page, peak memory, cells equal to pdfplumber's.

``python bench/pdf_candidates.py [PDF ...] [--repeat 3]`` (part of ``make bench``; default: every
PDF in tests/data/real and ../shared/real).

The reference is pdfplumber's path as ``tools/pdf_text.py`` had it (kept below, verbatim in
substance): ``page.dedupe_chars()``, ``find_tables()``, merged slots filled from the cell whose
box holds the slot's centre, ``extract_text_lines()`` outside the tables. Each candidate reads
the same pages into the same blocks (tables as rows of cell texts, text lines); fidelity is the
share of the reference's table cells (page, table, row, column, text) the candidate gives
identically, and of its text lines.

Candidates (licences that suit an Apache-2.0 project; PyMuPDF's AGPL does not):

* ``pdfplumber``: the reference (MIT; pdfminer.six underneath, pure Python).
* ``pdfplumber→layout``: pdfplumber's objects, then jixiao's layout (readers/pdf_layout.py): what
  is left of pdfplumber's cost once only the needed work is done.
* ``jixiao (pypdfium2)``: PDFium (BSD/Apache) glyphs and paths through jixiao's layout, page by page.
* ``jixiao read_pdf``: the product reader end to end (RawDocument built, split rows checked).
* ``playa-pdf→layout``: playa-pdf (MIT, pure Python, a faster pdfminer) glyphs and paths.
* ``pdf_oxide→layout``: pdf_oxide (MIT or Apache-2.0, Rust) characters and paths.
* ``pdf_oxide tables``: pdf_oxide's own ``extract_tables`` (no merged cells).

Each (candidate, file) runs in a fresh process, so that its peak resident memory (``ru_maxrss``)
is its own; time is the best of ``--repeat`` runs (wall and CPU), after one untimed warm-up.
Libraries not installed are reported as such (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDF_DIRS = (REPO / "tests" / "data" / "real", REPO.parent / "shared" / "real")

Block = tuple  # ("table", rows) | ("line", text)


# ------------------------------------------------------------------------ reference: pdfplumber

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’（）：；，。、]")


def _join_lines(text):
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = ""
    for part in parts:
        if out and not (_CJK.match(out[-1]) or _CJK.match(part[0])):
            out += " "
        out += part
    return out.replace("\t", " ")


def _edges(values, end):
    starts = sorted(set(values))
    return list(zip(starts, [*starts[1:], end]))


def _plumber_rows(table) -> list[list[str]]:
    grid = table.extract()
    rows = table.rows
    texts = {}
    for r, row in enumerate(rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                texts[tuple(bbox)] = _join_lines(grid[r][c])
    _, _, x1, bottom = table.bbox
    cols = _edges([cell[0] for cell in table.cells], x1)
    lines = _edges([cell[1] for cell in table.cells], bottom)
    out = []
    for row in rows:
        cells = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                cells.append(texts[tuple(bbox)])
                continue
            text = ""
            if c < len(cols):
                cx = (cols[c][0] + cols[c][1]) / 2
                span = next(((a, b) for a, b in lines if a == row.bbox[1]), (row.bbox[1], row.bbox[3]))
                cy = (span[0] + span[1]) / 2
                for box in table.cells:
                    if box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                        text = texts.get(tuple(box), "")
                        break
            cells.append(text)
        out.append(cells)
    return out


def read_pdfplumber(path: Path) -> list[list[Block]]:
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page = page.dedupe_chars()
            tables = page.find_tables()
            blocks = []
            boxes = [t.bbox for t in tables]
            for i, table in enumerate(tables):
                rows = _plumber_rows(table)
                if max((len(r) for r in rows), default=0) == 1:  # a framed list: its rows are text lines
                    blocks.extend((table.bbox[1], i, ("line", r[0])) for r in rows if r and r[0])
                else:
                    blocks.append((table.bbox[1], i, ("table", rows)))

            def outside(obj, boxes=boxes):
                cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            text = page.filter(outside) if tables else page
            for line in text.extract_text_lines(return_chars=False):
                if line["text"].strip():
                    blocks.append((line["top"], -1, ("line", line["text"].strip())))
            blocks.sort(key=lambda b: (b[0], b[1]))
            pages.append([b[2] for b in blocks])
    return pages


# ------------------------------------------------------------------------ candidates on jixiao's layout


def _blocks(page_layout) -> list[Block]:
    from jixiao.readers.pdf_layout import Line

    out: list[Block] = []
    for b in page_layout.blocks():
        if isinstance(b, Line):
            out.append(("line", b.text))
        elif b.columns == 1:
            out.extend(("line", r[0]) for r in b.rows if r and r[0])
        else:
            out.append(("table", b.rows))
    return out


def read_plumber_layout(path: Path) -> list[list[Block]]:
    import pdfplumber

    from jixiao.readers.pdf_layout import Char
    from jixiao.readers.pdf_layout import dedupe
    from jixiao.readers.pdf_layout import layout

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            chars = [Char(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], bool(c["upright"])) for c in page.chars]
            h = [(e["x0"], e["top"], e["x1"], e["top"]) for e in page.edges if e["orientation"] == "h"]
            v = [(e["x0"], e["top"], e["x0"], e["bottom"]) for e in page.edges if e["orientation"] == "v"]
            pages.append(_blocks(layout(dedupe(chars), h, v)))
            page.close()
    return pages


def read_pypdfium2(path: Path) -> list[list[Block]]:
    import pypdfium2 as pdfium

    from jixiao.readers.pdf import page_objects
    from jixiao.readers.pdf_layout import dedupe
    from jixiao.readers.pdf_layout import layout

    pages = []
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            objects = page_objects(page)
            page.close()
            pages.append(_blocks(layout(dedupe(objects.chars), objects.h_edges, objects.v_edges)))
    finally:
        pdf.close()
    return pages


def read_jixiao(path: Path) -> list[list[Block]]:
    """The product reader end to end (``read_pdf``, a paragraph per printed line), its RawDocument
    turned back into blocks per page."""
    from jixiao.readers.grid import Grid
    from jixiao.readers.pdf import read_pdf

    raw, _ = read_pdf(path.read_bytes(), path.name, lines=True)
    pages: list[list[Block]] = []
    for block in raw.blocks if raw is not None else ():
        page = block.location.page or 1
        while len(pages) < page:
            pages.append([])
        if isinstance(block, Grid):
            pages[page - 1].append(("table", [row.texts for row in block.rows]))
        else:
            pages[page - 1].append(("line", block.text))
    import pypdfium2

    count = len(pypdfium2.PdfDocument(path.read_bytes()))
    return pages + [[] for _ in range(count - len(pages))]


def read_playa(path: Path) -> list[list[Block]]:
    import playa

    from jixiao.readers.pdf_layout import Char
    from jixiao.readers.pdf_layout import dedupe
    from jixiao.readers.pdf_layout import layout
    from jixiao.readers.pdf_layout import subpath_edges

    pages = []
    with playa.open(str(path), space="screen") as doc:
        for page in doc.pages:
            chars: list = []
            h: list = []
            v: list = []
            for obj in page.flatten():
                if obj.object_type == "text":
                    for g in obj:
                        a, b, c, d = g.matrix[:4]
                        x0, top, x1, bottom = g.bbox
                        chars.append(Char(g.text or "", x0, top, x1, bottom, a * d < 0 and b * c >= 0))
                elif obj.object_type == "path":
                    subpaths, points, closed = [], [], False
                    for seg in obj.segments:
                        if seg.operator == "m" and points:
                            subpaths.append((points, closed))
                            points, closed = [], False
                        if seg.operator == "h":
                            closed = True
                        points.extend(tuple(p) for p in seg.points)
                    if points:
                        subpaths.append((points, closed))
                    subpath_edges(subpaths, h, v)
            pages.append(_blocks(layout(dedupe(chars), h, v)))
    return pages


def read_oxide(path: Path) -> list[list[Block]]:
    import pdf_oxide

    from jixiao.readers.pdf_layout import Char
    from jixiao.readers.pdf_layout import dedupe
    from jixiao.readers.pdf_layout import layout
    from jixiao.readers.pdf_layout import subpath_edges

    doc = pdf_oxide.PdfDocument(str(path))
    pages = []
    for i in range(doc.page_count()):
        _, _, _, height = doc.page_media_box(i)
        chars = []
        for ch in doc.extract_chars(i):
            x, y, w, hh = ch.bbox
            chars.append(Char(ch.char, x, height - y - hh, x + w, height - y, not ch.rotation_degrees))
        h: list = []
        v: list = []
        for path_obj in doc.extract_paths(i):
            subpaths, points, closed = [], [], False
            for op in path_obj.get("operations", []):
                kind = str(op.get("op", ""))
                if kind == "rectangle":
                    x, y, w, hh = op["x"], op["y"], op["width"], op["height"]
                    subpaths.append(([(x, height - y), (x + w, height - y), (x + w, height - y - hh), (x, height - y - hh)], True))
                    continue
                if "move" in kind and points:  # operation names: rectangle, move…, line…, curve…, close…
                    subpaths.append((points, closed))
                    points, closed = [], False
                if "close" in kind:
                    closed = True
                elif "x" in op and "y" in op:
                    points.append((op["x"], height - op["y"]))
            if points:
                subpaths.append((points, closed))
            subpath_edges(subpaths, h, v)
        pages.append(_blocks(layout(dedupe(chars), h, v)))
    return pages


def read_oxide_tables(path: Path) -> list[list[Block]]:
    import pdf_oxide

    doc = pdf_oxide.PdfDocument(str(path))
    pages = []
    for i in range(doc.page_count()):
        blocks = []
        for table in doc.extract_tables(i):
            rows = [[" ".join((c.get("text") or "").split()) for c in row["cells"]] for row in table["rows"]]
            blocks.append(("table", rows))
        pages.append(blocks)
    return pages


CANDIDATES = {
    "pdfplumber": (read_pdfplumber, "pdfplumber"),
    "pdfplumber→layout": (read_plumber_layout, "pdfplumber"),
    "jixiao (pypdfium2)": (read_pypdfium2, "pypdfium2"),
    "jixiao read_pdf": (read_jixiao, "pypdfium2"),
    "playa-pdf→layout": (read_playa, "playa"),
    "pdf_oxide→layout": (read_oxide, "pdf_oxide"),
    "pdf_oxide tables": (read_oxide_tables, "pdf_oxide"),
}


# ------------------------------------------------------------------------ one run, one process


def _maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def run_one(candidate: str, path: Path, repeat: int) -> dict:
    """Time one candidate on one file in this process (call it in a fresh one)."""
    sys.path.insert(0, str(REPO / "src"))
    function, module = CANDIDATES[candidate]
    try:
        __import__(module)
        import jixiao.readers.pdf_layout  # noqa: F401 - imported before the memory baseline
    except ImportError as exc:
        return {"error": f"not installed: {exc.name}"}
    base = _maxrss_mb()
    pages = function(path)  # warm-up (and the result)
    wall = cpu = float("inf")
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        function(path)
        wall = min(wall, time.perf_counter() - w)
        cpu = min(cpu, time.process_time() - c)
    return {"pages": pages, "wall": wall, "cpu": cpu, "rss_mb": _maxrss_mb(), "rss_above_imports_mb": _maxrss_mb() - base}


def _in_process(candidate: str, path: Path, repeat: int) -> dict:
    cmd = [sys.executable, __file__, "--one", candidate, str(path), "--repeat", str(repeat)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:120]}
    return json.loads(done.stdout)


# ------------------------------------------------------------------------ fidelity


def _cells(pages: list[list[Block]]) -> dict[tuple, str]:
    out = {}
    for p, blocks in enumerate(pages):
        t = 0
        for kind, content in blocks:
            if kind != "table":
                continue
            rows = [r for r in content if any(r)]
            if not rows:
                continue
            for r, row in enumerate(rows):
                row = list(row)
                while row and not row[-1]:  # trailing empty cells carry nothing
                    row.pop()
                for c, text in enumerate(row):
                    out[(p, t, r, c)] = text
            t += 1
    return out


def _lines(pages: list[list[Block]]) -> list[tuple[int, str]]:
    return [(p, content) for p, blocks in enumerate(pages) for kind, content in blocks if kind == "line"]


def fidelity(reference: list[list[Block]], pages: list[list[Block]]) -> dict:
    ref, got = _cells(reference), _cells(pages)
    same = sum(1 for k, text in ref.items() if got.get(k) == text)
    spaceless = sum(1 for k, text in ref.items() if got.get(k) is not None and got[k].replace(" ", "") == text.replace(" ", ""))
    ref_lines, got_lines = _lines(reference), _lines(pages)
    remaining = list(got_lines)
    lines_same = 0
    for line in ref_lines:
        if line in remaining:
            remaining.remove(line)
            lines_same += 1
    return {"cells": len(ref), "cells_equal": same, "cells_equal_spaces_aside": spaceless,
            "lines": len(ref_lines), "lines_equal": lines_same,
            "extra_cells": max(0, len(got) - len(ref))}


# ------------------------------------------------------------------------ report


def default_pdfs() -> list[Path]:
    seen: dict[str, Path] = {}
    for d in PDF_DIRS:
        for p in sorted(d.glob("*.pdf")) if d.is_dir() else ():
            seen.setdefault(p.name, p)
    return list(seen.values())


def compare(pdfs: list[Path], repeat: int = 3, candidates: list[str] | None = None) -> dict:
    """Every candidate on every PDF: {file: {"pages": n, candidate: {...}}}."""
    report: dict = {}
    for path in pdfs:
        entry: dict = {}
        reference = None
        for name in candidates or list(CANDIDATES):
            result = _in_process(name, path, repeat)
            pages = result.pop("pages", None)
            if name == "pdfplumber" and pages is not None:
                reference = pages
                entry["pages"] = len(pages)
            if pages is not None:
                entry.setdefault("pages", len(pages))
                n = max(1, len(pages))
                result["s_per_page"] = result["wall"] / n
                result["cpu_s_per_page"] = result["cpu"] / n
                if reference is not None:
                    result.update(fidelity(reference, pages))
            entry[name] = result
        report[path.name] = entry
    return report


def print_report(report: dict) -> None:
    head = f"{'file':<42} {'candidate':<20} {'s/page':>8} {'cpu s/pg':>9} {'peak MB':>8} {'+MB':>6}  {'cells equal':<22} lines equal"
    print(head)
    print("-" * len(head))
    for file, entry in report.items():
        label = f"{file[:36]} ({entry.get('pages', '?')} p)"
        for name, r in entry.items():
            if name == "pages":
                continue
            if "error" in r:
                print(f"{label:<42} {name:<20} {r['error']}")
            else:
                cells = f"{r['cells_equal']}/{r['cells']}" if "cells" in r else "-"
                if "cells" in r and r["cells_equal_spaces_aside"] != r["cells_equal"]:
                    cells += f" ({r['cells_equal_spaces_aside']})"
                lines = f"{r['lines_equal']}/{r['lines']}" if "lines" in r and name != "pdf_oxide tables" else "-"
                print(f"{label:<42} {name:<20} {r['s_per_page']:>8.4f} {r['cpu_s_per_page']:>9.4f} "
                      f"{r['rss_mb']:>8.1f} {r['rss_above_imports_mb']:>6.1f}  {cells:<22} {lines}")
            label = ""
    print("s/page: best wall time of the repeats / pages; peak MB: ru_maxrss of the process; +MB: above it after imports;")
    print("cells/lines equal: identical to pdfplumber's (the reference) at the same page, table, row and column;")
    print("(n): equal once spaces are ignored (jixiao's layout joins a number wrapped in a narrow cell without one).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--candidates", help="comma-separated subset of: " + ", ".join(CANDIDATES))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="also print the report as one JSON line")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.pdfs[0], args.repeat), ensure_ascii=False))
        return 0
    pdfs = args.pdfs or default_pdfs()
    if not pdfs:
        print("no PDF found")
        return 1
    chosen = [c.strip() for c in args.candidates.split(",")] if args.candidates else None
    report = compare(pdfs, args.repeat, chosen)
    print_report(report)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

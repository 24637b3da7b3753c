"""DOCX reading time against loading the document's XML (issue 7: reading ≤ 1.5× the load).

"The time to load its XML" is measured two ways, on the same bytes:

* **load** (the issue's reference): python-docx's ``Document()``, i.e. what loading the package's
  XML costs with the library the issue names: it opens the zip and parses every XML part of the
  package (the document, styles, settings …) into python-docx's element classes, and builds no
  more than its thin proxies. ``ratio`` = read_docx ÷ this.
* **parse**: reading ``word/document.xml`` out of the zip and parsing it with a plain hardened
  lxml parser (``etree.fromstring``, no entities, no network), nothing else: the floor of a
  reader that parses the part into a tree. ``ratio_parse`` = read_docx ÷ this.

``read_docx`` is ``jixiao.readers.docx.read_docx``: package, the main part, the RawDocument. On
this document (as on most) the part is read by the text scan of ``readers/docx_scan.py``, which
builds no tree: libxml2 checks the part without one (about half a parse), compiled expressions
find the tags that matter. The lxml walk reads what the scan hands over (text boxes, nested
tables …), at about the parse plus the walk.

A document of ``--tables`` copies of seed 000's project target table (19 rows × 8 columns, merged
cells, as ``tests/writers/docx.py`` writes it) is loaded and read alternately, ``--rounds`` times
each, then parsed ``--rounds`` times (a run right after the bare parse is some milliseconds slower,
whichever it is, so the parse is not interleaved), with a garbage collection (untimed) before each
run so that no run pays for the previous one's garbage. Reported: the best CPU time of each and
the ratios of the bests, plus the median of the per-round ratios to the load (the machine is
shared: CPU time and alternation keep other processes' load out of the comparison as far as
possible). ``--memory`` adds the peak
resident memory each of the three adds to a fresh process (its own subprocess each).

python-docx writes the least XML a table can have (no run properties, no revision ids), so this
document is the worst case for the ratio: Word's own files carry several times more XML per cell,
which the load must parse and the read mostly skips.

    python bench/docx_read.py [--tables 50] [--rounds 30] [--memory]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build(tables: int) -> bytes:
    sys.path.insert(0, str(REPO))
    from tests.writers.docx import add_grid
    from tests.writers.docx import new_document

    from jixiao.readers.files import read_file
    from jixiao.readers.grid import Grid

    raw, _ = read_file(REPO / "tests" / "data" / "seeds" / "000_82772c604d1a37f5.txt")
    grid = [b for b in raw.blocks if isinstance(b, Grid)][1]
    doc = new_document()
    for _ in range(tables):
        doc.add_paragraph("2026年项目支出绩效目标表")
        add_grid(doc, [row.texts for row in grid.rows])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _parse(data: bytes):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml")
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def compare(tables: int = 50, rounds: int = 30) -> dict:
    from docx import Document

    from jixiao.readers.docx import read_docx

    data = build(tables)
    raw, _ = read_docx(data, "bench.docx")
    cells = sum(len(r.texts) for r in raw.lines() if hasattr(r, "texts"))
    loads, parses, reads = [], [], []
    runs = ((loads, lambda: Document(io.BytesIO(data))), (reads, lambda: read_docx(data, "bench.docx")))
    for times, run in [*runs * rounds, *[(parses, lambda: _parse(data))] * rounds]:
        gc.collect()
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return {
        "tables": tables,
        "cells": cells,
        "bytes": len(data),
        "load_ms": round(min(loads) * 1000, 1),
        "parse_ms": round(min(parses) * 1000, 1),
        "read_ms": round(min(reads) * 1000, 1),
        "ratio_best": round(min(reads) / min(loads), 2),
        "ratio_median": round(statistics.median(r / load for r, load in zip(reads, loads)), 2),
        "ratio_parse_best": round(min(reads) / min(parses), 2),
    }


# VmHWM (the process's own peak; ru_maxrss would carry the parent's over fork and exec)
_MEMORY = """
import io, sys
sys.path.insert(0, {repo!r})
from bench.docx_read import _parse
from docx import Document
from jixiao.readers.docx import read_docx
def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
data = open({path!r}, "rb").read()
run = {{"load": lambda: Document(io.BytesIO(data)), "parse": lambda: _parse(data),
        "read": lambda: read_docx(data, "bench.docx")}}[{what!r}]
before = peak()
kept = run()
print(peak() - before)
"""


def memory(tables: int = 50) -> dict:
    """Peak resident memory (MB) that loading, parsing and reading add to a fresh process."""
    import tempfile

    data = build(tables)
    out = {}
    with tempfile.NamedTemporaryFile(suffix=".docx") as tmp:
        tmp.write(data)
        tmp.flush()
        for what in ("load", "parse", "read"):
            code = _MEMORY.format(repo=str(REPO), path=tmp.name, what=what)
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            out[f"{what}_mb"] = round(int(done.stdout.split()[-1]) / 1024, 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--memory", action="store_true", help="also the peak memory of each (subprocesses)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    result = compare(args.tables, args.rounds)
    if args.memory:
        result.update(memory(args.tables))
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"docx {result['tables']} tables ({result['cells']} cells, {result['bytes']} bytes), CPU time: "
        f"python-docx Document() {result['load_ms']} ms, lxml parse of word/document.xml "
        f"{result['parse_ms']} ms, read_docx {result['read_ms']} ms\n"
        f"ratio to Document(): {result['ratio_best']} (best) / {result['ratio_median']} (median of rounds); "
        f"ratio to the parse: {result['ratio_parse_best']} (best)"
    )
    if args.memory:
        print(f"peak memory added: Document() {result['load_mb']} MB, parse {result['parse_mb']} MB, "
              f"read_docx {result['read_mb']} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

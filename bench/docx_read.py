"""DOCX reading time against loading the package XML (issue 7: reading ≤ 1.5× the load).

A document of ``--tables`` copies of seed 000's project target table (19 rows × 8 columns, merged
cells, as ``tests/writers/docx.py`` writes it) is loaded by python-docx (``Document()``, which
parses the package XML) and read by ``jixiao.readers.docx.read_docx`` (package, XML, our walk,
the RawDocument), alternately, ``--rounds`` times each. Reported: the best CPU time of each and
their ratio, plus the median of the per-round ratios (the machine is shared: CPU time and
alternation keep other processes' load out of the comparison as far as possible).

    python bench/docx_read.py [--tables 50] [--rounds 30]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
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


def compare(tables: int = 50, rounds: int = 30) -> dict:
    from docx import Document

    from jixiao.readers.docx import read_docx

    data = build(tables)
    raw, _ = read_docx(data, "bench.docx")
    cells = sum(len(r.texts) for r in raw.lines() if hasattr(r, "texts"))
    loads, reads = [], []
    for _ in range(rounds):
        start = time.process_time()
        Document(io.BytesIO(data))
        loads.append(time.process_time() - start)
        start = time.process_time()
        read_docx(data, "bench.docx")
        reads.append(time.process_time() - start)
    return {
        "tables": tables,
        "cells": cells,
        "bytes": len(data),
        "load_ms": round(min(loads) * 1000, 1),
        "read_ms": round(min(reads) * 1000, 1),
        "ratio_best": round(min(reads) / min(loads), 2),
        "ratio_median": round(statistics.median(r / load for r, load in zip(reads, loads)), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    result = compare(args.tables, args.rounds)
    print(
        f"docx {result['tables']} tables ({result['cells']} cells, {result['bytes']} bytes): "
        f"python-docx Document() {result['load_ms']} ms, read_docx {result['read_ms']} ms (CPU), "
        f"ratio {result['ratio_best']} (best) / {result['ratio_median']} (median of rounds)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

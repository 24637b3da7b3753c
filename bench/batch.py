"""A batch of mixed real-format documents through read → parse → check on a process pool.

``python bench/batch.py [--docs 1000] [--jobs 2]`` (part of ``make bench``).

The corpus cycles over every format jixiao reads, built from real documents: the Shanghai
disclosure PDFs, the Shenzhen and central workbooks (.xlsx, .xls), the WPS-saved .doc, the
seeds as text, and the seeds written by the test writers as .docx, .xlsx and .html (the same
writers the format-equivalence tests use). Copies are made under distinct names in a temporary
folder, so no worker reads a cache. Each worker reads, parses and checks one file at a time and
releases it, as ``jixiao check`` does.

Prints documents/s on the given cores, per format, and the peak resident memory of each worker
process (``ru_maxrss``), then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.writers
DATA = REPO / "tests" / "data"


def _base_corpus(into: Path) -> list[Path]:
    """One file per (document, format): the real files as they are, the seeds in several formats."""
    files: list[Path] = []
    real = DATA / "real"
    for suffix in ("*.pdf", "*.xlsx", "*.xls", "*.doc"):
        files.extend(sorted(real.glob(suffix)))
    seeds = sorted((DATA / "seeds").glob("*.txt"))
    files.extend(seeds)
    writers = []
    try:
        from tests.writers.docx import write_docx

        writers.append(("docx", write_docx))
    except ImportError:
        pass
    try:
        from tests.writers.xlsx import write_xlsx

        writers.append(("xlsx", write_xlsx))
    except ImportError:
        pass
    try:
        from tests.writers.html import write_html

        writers.append(("html", write_html))
    except ImportError:
        pass
    from jixiao.readers.text import read_text

    for seed in seeds:
        raw, _ = read_text(seed)
        for suffix, write in writers:
            out = into / f"{seed.stem}.{suffix}"
            write(raw, out)
            files.append(out)
    return files


def _replicate(base: list[Path], count: int, into: Path) -> list[Path]:
    out = []
    contents = [(p.suffix, p.read_bytes()) for p in base]
    for i in range(count):
        suffix, data = contents[i % len(contents)]
        path = into / f"{i:05d}{suffix}"
        path.write_bytes(data)
        out.append(path)
    return out


def _work(path: str) -> tuple[int, str, float, int, int, float]:
    """(worker pid, format, seconds, tables, findings, worker max RSS MB) of one file."""
    from jixiao.pipeline import parse_file
    from jixiao.readers.detect import detect
    from jixiao.rules import run

    start = time.perf_counter()
    with open(path, "rb") as fh:
        head = fh.read()
    fmt = detect(head, path)
    doc, found = parse_file(path)
    tables = 0
    if doc is not None:
        found = [*found, *run(doc)]
        tables = len(doc.tables)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return os.getpid(), fmt, seconds, tables, len(found), rss


def _warm(_: int = 0) -> int:
    import jixiao.pipeline  # noqa: F401
    import jixiao.rules  # noqa: F401

    return os.getpid()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jixiao-batch-") as tmp:
        tmp = Path(tmp)
        (tmp / "base").mkdir()
        (tmp / "batch").mkdir()
        base = _base_corpus(tmp / "base")
        files = _replicate(base, args.docs, tmp / "batch")
        size = sum(f.stat().st_size for f in files)
        by_format: Counter[str] = Counter()
        seconds_by_format: dict[str, float] = defaultdict(float)
        rss_by_worker: dict[int, float] = {}
        tables = findings = 0
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            list(pool.map(_warm, range(args.jobs)))  # start the workers outside the timing
            began = time.perf_counter()
            for pid, fmt, seconds, n_tables, n_findings, rss in pool.map(
                _work, [str(f) for f in files], chunksize=4
            ):
                by_format[fmt] += 1
                seconds_by_format[fmt] += seconds
                tables += n_tables
                findings += n_findings
                rss_by_worker[pid] = max(rss, rss_by_worker.get(pid, 0.0))
            wall = time.perf_counter() - began
    report = {
        "documents": len(files),
        "distinct_inputs": len(base),
        "jobs": args.jobs,
        "megabytes": round(size / 1e6, 1),
        "wall_seconds": round(wall, 2),
        "docs_per_s": round(len(files) / wall, 1),
        "tables": tables,
        "findings": findings,
        "per_format": {
            fmt: {"docs": n, "ms_per_doc": round(1000 * seconds_by_format[fmt] / n, 1)}
            for fmt, n in sorted(by_format.items())
        },
        "peak_rss_mb_per_worker": sorted(round(v, 1) for v in rss_by_worker.values()),
    }
    print(f"batch: {report['documents']} documents ({report['distinct_inputs']} distinct, "
          f"{report['megabytes']} MB) on {args.jobs} processes: {report['wall_seconds']} s, "
          f"{report['docs_per_s']} documents/s; {tables} tables, {findings} findings")
    print(f"{'format':<8} {'docs':>6} {'ms/doc (one worker)':>20}")
    for fmt, data in report["per_format"].items():
        print(f"{fmt:<8} {data['docs']:>6} {data['ms_per_doc']:>20}")
    print("peak RSS per worker (MB): " + ", ".join(map(str, report["peak_rss_mb_per_worker"])))
    print(json.dumps({"batch": report}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Writing official documents (issue 10): a 项目支出绩效目标表 of 30 indicators and a full 预算公开
package, per format (xlsx, docx, pdf).

The documents come from the real seeds, built once untimed as the model: seed 000's project target
set with its indicators repeated to 30 (each a distinct name, in the 一级/二级 order of the form,
seed 000's layout ``hunan-2023/project_targets``); seed 001's ten tables and its two target tables
as the Hunan package (说明 + ten tables; the XLSX holds the tables alone, a sheet each, as the
service writes it). Timed per format: building the format-neutral document from the model and
writing its bytes (``write.formats.write``; PDF = DOCX through LibreOffice headless, one profile
per process), the best and the median of ``--rounds`` runs (PDF: ``--pdf-rounds``), wall clock.
Peak memory: each (document, format) once more in a fresh process, the model prepared and the
writers imported: the peak resident memory is reset (``/proc/self/clear_refs``, Linux), one build
and write, and how far the peak (``VmHWM``) rose over the resident memory before; for PDF also the
peak of the LibreOffice child (``RUSAGE_CHILDREN``).

    python bench/write_documents.py [--rounds 5] [--pdf-rounds 3] [--no-memory]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
FORMATS = ("xlsx", "docx", "pdf")
DOCUMENTS = {"project_targets": "项目支出绩效目标表（30 个指标）", "disclosure": "预算公开（湖南十张表 + 说明）"}


def _seed(prefix: str) -> Path:
    (path,) = sorted(SEEDS.glob(f"{prefix}*.txt"))
    return path


def project_table(n: int = 30):
    """Seed 000's project target table, its set's indicators repeated to ``n`` (names numbered)."""
    from jixiao.model.targets import TargetTable
    from jixiao.pipeline import parse_file

    doc, _ = parse_file(_seed("000"))
    table = next(t for t in doc.tables if isinstance(t, TargetTable) and t.kind == "project_targets")
    s = table.target_sets[0]
    base = list(s.indicators)
    indicators = [replace(base[i % len(base)], name=f"{base[i % len(base)].name}{i // len(base) + 1}")
                  for i in range(n)]
    indicators.sort(key=lambda i: [b.level1 for b in base].index(i.level1))  # 一级 blocks stay together
    return replace(table, target_sets=(replace(s, indicators=tuple(indicators)),))


def package_inputs():
    from jixiao.model.budget import BudgetTable
    from jixiao.model.targets import TargetTable
    from jixiao.pipeline import parse_file
    from jixiao.write.disclosure import DisclosureInfo

    doc, _ = parse_file(_seed("001"))
    budget = [t for t in doc.tables if isinstance(t, BudgetTable)]
    targets = [t for t in doc.tables if isinstance(t, TargetTable)]
    return budget, targets, DisclosureInfo(org=doc.org or "", year=doc.year or 2023)


def builder(kind: str):
    """``build(fmt) -> OutputDocument`` of a document kind, its model prepared (untimed)."""
    if kind == "project_targets":
        from jixiao.write.layouts import load_layout
        from jixiao.write.targets import build_target_table

        table, layout = project_table(), load_layout("project_targets")
        assert len(table.target_sets[0].indicators) == 30
        return lambda fmt: build_target_table(table, layout)
    from jixiao.write.disclosure import build_disclosure_package
    from jixiao.write.disclosure import load_disclosure_layout

    budget, targets, info = package_inputs()
    layout = load_disclosure_layout("hunan", 2023)
    return lambda fmt: build_disclosure_package(budget, info, layout, targets=targets, tables_only=fmt == "xlsx")


def measure(kind: str, fmt: str, rounds: int) -> dict:
    from jixiao.write import formats

    build = builder(kind)
    formats.write(build(fmt), fmt)  # warm: imports, the LibreOffice profile
    builds, writes, size = [], [], 0
    for _ in range(rounds):
        gc.collect()
        t0 = time.perf_counter()
        doc = build(fmt)
        t1 = time.perf_counter()
        data = formats.write(doc, fmt)
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        writes.append(t2 - t1)
        size = len(data)
    totals = [b + w for b, w in zip(builds, writes, strict=True)]
    return {"document": kind, "format": fmt, "rounds": rounds, "build_ms": round(min(builds) * 1000, 1),
            "write_ms": round(min(writes) * 1000, 1), "best_s": round(min(totals), 3),
            "median_s": round(statistics.median(totals), 3), "bytes": size,
            "parts": len(doc.parts)}


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def memory_one(kind: str, fmt: str) -> dict:
    """In this (fresh) process, the model prepared and the writers imported: the peak resident
    memory reset (``/proc/self/clear_refs``), one build and write, how far the peak rose over the
    resident memory before it; for PDF also the LibreOffice child's peak."""
    from jixiao.write import formats

    build = builder(kind)
    import jixiao.write.docx  # noqa: F401  (the imports a write needs, before the baseline)
    import jixiao.write.pdf  # noqa: F401
    import jixiao.write.xlsx  # noqa: F401

    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = _status_mb("VmRSS")
    formats.write(build(fmt), fmt)
    peak = _status_mb("VmHWM")
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_growth_mb": round(peak - before, 1), "rss_before_mb": round(before, 1),
            "libreoffice_peak_mb": round(child, 1) if fmt == "pdf" else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pdf-rounds", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "FMT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(memory_one(*args.one)))
        return
    results = []
    for kind in DOCUMENTS:
        for fmt in FORMATS:
            r = measure(kind, fmt, args.pdf_rounds if fmt == "pdf" else args.rounds)
            if not args.no_memory:
                out = subprocess.run([sys.executable, __file__, "--one", kind, fmt], capture_output=True, text=True,
                                     check=True, cwd=ROOT)
                r.update(json.loads(out.stdout.strip().splitlines()[-1]))
            results.append(r)
            memory = ""
            if "peak_growth_mb" in r:
                memory = f"  内存峰值增加 {r['peak_growth_mb']:6.1f} MB"
                if r["libreoffice_peak_mb"]:
                    memory += f"（LibreOffice {r['libreoffice_peak_mb']:.0f} MB）"
            print(f"{DOCUMENTS[kind]:24s} {fmt:4s} 最佳 {r['best_s']:6.3f} 秒（组装 {r['build_ms']:6.1f} ms，"
                  f"写出 {r['write_ms']:7.1f} ms）中位 {r['median_s']:6.3f} 秒  {r['bytes'] / 1024:6.0f} KB{memory}",
                  flush=True)
    print(json.dumps({"write_documents": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()

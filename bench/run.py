"""Throughput and memory of parse, check and scoring (``make bench``).

* parse: the five seeds replicated to ``--docs`` files in a temporary directory, each read and
  parsed through ``jixiao.pipeline.parse_file`` (the full path a user's file takes): documents/s,
  MB/s; then a second pass under tracemalloc over the first ``--memory-docs`` files for the peak
  of Python allocations while their documents are kept (and the retained size per document),
  and the process's ru_maxrss. Documents are released one by one, as the CLI does.
* check: ``jixiao.rules.run(document)`` on each document, parsed again in a second pass (not
  timed) and released after its check, as ``jixiao check`` does: documents/s.
* scoring: ``--indicators`` synthetic indicators through ``jixiao.scoring.score_indicator``
  (default method and pre-parsed printed rules): indicators/s; and ``parse_rule`` rules/s.

A section that fails reports its error and the others still run. Output: a table, then one JSON
line (``{"parse": …, "check": …, "scoring": …}``) for scripts. Standard library only.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
import traceback
import tracemalloc
from collections import Counter
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_DIRS = (REPO / "tests" / "data" / "seeds", REPO.parent / "shared" / "seeds")


# --- helpers -----------------------------------------------------------------------------------


def _seed_dir(given: str | None) -> Path:
    candidates = [Path(given)] if given else [Path(os.environ["SEEDS"])] if os.environ.get("SEEDS") else []
    for d in [*candidates, *SEED_DIRS]:
        if d.is_dir() and any(d.glob("*.txt")):
            return d
    raise SystemExit(
        f"no seed documents found (tried {', '.join(str(d) for d in [*candidates, *SEED_DIRS])})"
    )


def _replicate(seeds: list[Path], count: int, into: Path) -> list[Path]:
    """``count`` files cycling over the seeds, with distinct names (the names appear in findings)."""
    files = []
    contents = [s.read_bytes() for s in seeds]
    for i in range(count):
        k = i % len(seeds)
        path = into / f"{i:05d}_{seeds[k].name}"
        path.write_bytes(contents[k])
        files.append(path)
    return files


def _error(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB on Linux


def _indicators(doc) -> int:
    total = 0
    for table in getattr(doc, "tables", ()):
        for target_set in getattr(table, "target_sets", ()):
            total += len(getattr(target_set, "indicators", ()))
    return total


def _rate(n: float, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


# --- sections ----------------------------------------------------------------------------------


def bench_parse(files: list[Path], memory_docs: int, check: bool = True) -> tuple[dict, dict | None]:
    """Parse every file one at a time, releasing each document, as ``jixiao check`` does; then
    (second pass) check each document right after parsing it again, timing the check alone. Keeping all documents alive instead costs about a
    third of the throughput in cyclic garbage collection over the growing heap."""
    from jixiao.pipeline import parse_file
    from jixiao.rules import all_rules
    from jixiao.rules import run

    rules = all_rules()  # import the rule modules outside the timed loop
    size = sum(f.stat().st_size for f in files)
    errors: Counter[str] = Counter()
    check_errors: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    unreadable = parsed = findings = indicators = check_findings = 0
    parse_seconds = check_seconds = parse_cpu = check_cpu = 0.0
    gc.collect()
    began = time.perf_counter()
    for f in files:  # pass 1: parse alone, each document released
        start, cpu = time.perf_counter(), time.process_time()
        try:
            doc, found = parse_file(f)
        except Exception as exc:  # a parser bug must not end the benchmark
            errors[_error(exc)] += 1
            continue
        parse_seconds += time.perf_counter() - start
        parse_cpu += time.process_time() - cpu
        findings += len(found)
        if doc is None:
            unreadable += 1
            continue
        parsed += 1
        indicators += _indicators(doc)
    for f in files if check else ():  # pass 2: parse (not timed), then check (timed)
        try:
            doc, _found = parse_file(f)
        except Exception:  # counted in pass 1
            continue
        if doc is None:
            continue
        start, cpu = time.perf_counter(), time.process_time()
        try:
            checked = run(doc)
        except Exception as exc:
            check_errors[_error(exc)] += 1
            continue
        check_seconds += time.perf_counter() - start
        check_cpu += time.process_time() - cpu
        check_findings += len(checked)
        codes.update(x.code for x in checked)
    wall = time.perf_counter() - began

    # Peak of Python allocations while parsing and keeping ``memory_docs`` documents.
    gc.collect()
    kept = []
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    for f in files[:memory_docs]:
        try:
            kept.append(parse_file(f))
        except Exception:  # already counted above
            pass
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept

    result = {
        "documents": len(files),
        "parsed": parsed,
        "unreadable": unreadable,
        "failed": sum(errors.values()),
        "errors": dict(errors.most_common(5)),
        "bytes": size,
        "seconds": round(parse_seconds, 3),
        "docs_per_s": round(_rate(len(files), parse_seconds), 1),
        "docs_per_cpu_s": round(_rate(len(files), parse_cpu), 1),
        "mb_per_s": round(_rate(size / 1e6, parse_seconds), 2),
        "findings": findings,
        "indicators": indicators,
        "tracemalloc_docs": min(memory_docs, len(files)),
        "tracemalloc_peak_mb": round((peak - base) / 1e6, 1),
        "tracemalloc_retained_mb": round((current - base) / 1e6, 1),
        "retained_kb_per_doc": round((current - base) / 1e3 / max(1, min(memory_docs, len(files))), 1),
        "maxrss_mb": round(_maxrss_mb(), 1),
        "wall_seconds": round(wall, 3),
    }
    checked_result = None
    if check:
        checked_result = {
            "documents": parsed,
            "rules": len(rules),
            "failed": sum(check_errors.values()),
            "errors": dict(check_errors.most_common(5)),
            "seconds": round(check_seconds, 3),
            "docs_per_s": round(_rate(parsed, check_seconds), 1),
            "docs_per_cpu_s": round(_rate(parsed, check_cpu), 1),
            "findings": check_findings,
            "crashed_rules": codes.get("rule-crashed", 0),
            "top_codes": dict(codes.most_common(5)),
        }
    return result, checked_result


# Synthetic indicators in the proportions the seeds show: 正向 ≥ most, 反向 ≤ for costs, some ＝ and
# 定性, and a fifth scored by a printed 评（扣）分标准 (pre-parsed: parse_rule is timed on its own). A
# pool of distinct indicators is cycled, so a million calls need no million objects.
_POOL = 10_000
_RULE_PARSES = 20_000
_GRADES = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差")
# (评分标准 as printed in seed 001, 分值, what the actual is: a completion number, a count or a word)
_RULE_TEXTS = (
    ("完成小于60%不得分，超过60%得分=完成率*指标分值", 5, "number"),
    ("相关报道次数完成率小于60%不得分，大于等于60%，得分=（完成率-60%）/（1-60%）*指标分值", 5, "number"),
    ("偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分", 20, "number"),
    ("偏高目标40%不得分，偏高30%得5分，偏高20%得10分，偏高10%得15分，未偏高得20分。", 20, "number"),
    ("完成小于3次不得分，3次得2分，增加1次加1分，总共4分。", 4, "count"),
    ("获得1个得2.5分，获得2个满分", 5, "count"),
    ("每发生1次扣0.5分，扣完为止。", 4, "count"),
    ("持续推进得10分；未推进不得分。", 10, "word:持续推进"),
)


def _synthetic_pool(n: int, seed: int = 20230714) -> tuple[list[tuple], Counter[str]]:
    """``n`` distinct ``(rule, target, actual, weight)`` argument tuples for ``score_indicator``."""
    from jixiao.parse.values import parse_value
    from jixiao.scoring import parse_rule

    rules = []
    for text, weight, actual_kind in _RULE_TEXTS:
        rule, _ = parse_rule(text, Decimal(weight))
        if rule is not None:
            rules.append((rule, Decimal(weight), actual_kind))
    rng = random.Random(seed)
    pool: list[tuple] = []
    kinds: Counter[str] = Counter()
    for _ in range(n):
        kind = rng.choices(("≥", "≤", "=", "定性", "rule"), weights=(45, 15, 10, 10, 20))[0]
        if kind == "rule" and not rules:
            kind = "≥"
        kinds[kind] += 1
        weight = Decimal(rng.choice((2, 4, 5, 8, 10, 20)))
        if kind == "定性":
            pool.append((None, parse_value("提升", "定性"), rng.choice(_GRADES), weight))
            continue
        target_number = Decimal(rng.randint(1, 10_000)) / 100
        unit = rng.choice(("%", "万元", "件", "个")) if kind != "≤" else "万元"
        target = parse_value(f"{kind if kind != 'rule' else '≥'}{target_number}{unit}")
        actual: Decimal | str = (target_number * Decimal(rng.randint(0, 250)) / 100).quantize(Decimal("0.01"))
        rule = None
        if kind == "rule":
            rule, weight, actual_kind = rng.choice(rules)
            if actual_kind == "count":
                actual = Decimal(rng.randint(0, 6))
            elif actual_kind.startswith("word:"):
                actual = actual_kind[5:] if rng.random() < 0.8 else "未推进"
        pool.append((rule, target, actual, weight))
    return pool, kinds


def bench_scoring(count: int) -> dict:
    try:
        from jixiao.scoring import parse_rule
        from jixiao.scoring import score_indicator
    except ImportError as exc:
        return {"skipped": f"scoring: not available yet ({_error(exc)})"}

    pool, kinds = _synthetic_pool(min(count, _POOL))
    families: Counter[str] = Counter()
    review = 0
    for args in pool:  # untimed pass: what the pool exercises
        score = score_indicator(*args)
        families[score.family] += 1
        review += score.needs_review

    errors: Counter[str] = Counter()
    total = Decimal(0)
    size = len(pool)
    gc.collect()
    start = time.perf_counter()
    for i in range(count):
        try:
            total += score_indicator(*pool[i % size]).score
        except Exception as exc:
            errors[_error(exc)] += 1
    seconds = time.perf_counter() - start

    texts = [(text, Decimal(weight)) for text, weight, _ in _RULE_TEXTS]
    start = time.perf_counter()
    for i in range(_RULE_PARSES):
        parse_rule(*texts[i % len(texts)])
    parse_seconds = time.perf_counter() - start

    return {
        "function": "jixiao.scoring.score_indicator",
        "indicators": count,
        "distinct": size,
        "kinds": dict(kinds.most_common()),
        "families": dict(families.most_common()),
        "needs_review_in_pool": review,
        "failed": sum(errors.values()),
        "errors": dict(errors.most_common(5)),
        "seconds": round(seconds, 3),
        "indicators_per_s": round(_rate(count, seconds), 1),
        "score_sum": str(total),
        "rule_parses": _RULE_PARSES,
        "rule_parses_per_s": round(_rate(_RULE_PARSES, parse_seconds), 1),
    }


def _section(name: str, fn, *args):
    start = time.perf_counter()
    try:
        result = fn(*args)
    except Exception as exc:  # report and go on with the next section
        traceback.print_exc(file=sys.stderr)
        result = {"error": _error(exc)}
    wall = time.perf_counter() - start
    if isinstance(result, tuple):
        result[0]["wall_seconds"] = round(wall, 3)
    else:
        result["wall_seconds"] = round(wall, 3)
    return result


# --- report ------------------------------------------------------------------------------------

_ROWS = (
    ("parse", "documents", "documents", ""),
    ("parse", "parsed", "parsed", ""),
    ("parse", "failed", "failed (exception)", ""),
    ("parse", "bytes", "input size", "bytes"),
    ("parse", "seconds", "time", "s"),
    ("parse", "docs_per_s", "throughput (wall)", "docs/s"),
    ("parse", "docs_per_cpu_s", "throughput (CPU, one core)", "docs/s"),
    ("parse", "mb_per_s", "throughput", "MB/s"),
    ("parse", "indicators", "indicators read", ""),
    ("parse", "findings", "findings", ""),
    ("parse", "tracemalloc_docs", "tracemalloc over", "docs"),
    ("parse", "tracemalloc_peak_mb", "tracemalloc peak", "MB"),
    ("parse", "tracemalloc_retained_mb", "retained after", "MB"),
    ("parse", "retained_kb_per_doc", "retained per document", "kB"),
    ("parse", "maxrss_mb", "ru_maxrss", "MB"),
    ("check", "documents", "documents", ""),
    ("check", "rules", "rules", ""),
    ("check", "failed", "failed (exception)", ""),
    ("check", "seconds", "time", "s"),
    ("check", "docs_per_s", "throughput (wall)", "docs/s"),
    ("check", "docs_per_cpu_s", "throughput (CPU, one core)", "docs/s"),
    ("check", "findings", "findings", ""),
    ("check", "crashed_rules", "rule-crashed findings", ""),
    ("scoring", "function", "function", ""),
    ("scoring", "indicators", "indicators", ""),
    ("scoring", "failed", "failed (exception)", ""),
    ("scoring", "seconds", "time", "s"),
    ("scoring", "indicators_per_s", "throughput", "indicators/s"),
    ("scoring", "needs_review_in_pool", "needs review (pool)", ""),
    ("scoring", "rule_parses_per_s", "parse_rule throughput", "rules/s"),
)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 100 else f"{value:,.3g}" if value < 1 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(report: dict) -> None:
    width = 24
    print(f"{'section':<8} {'measure':<{width}} {'value':>16}  unit")
    print("-" * (8 + width + 16 + 12))
    for section in ("parse", "check", "scoring"):
        data = report.get(section, {})
        for key in ("error", "skipped"):
            if key in data:
                print(f"{section:<8} {key:<{width}} {data[key]}")
        for sec, key, label, unit in _ROWS:
            if sec == section and key in data:
                print(f"{section:<8} {label:<{width}} {_fmt(data[key]):>16}  {unit}")
        for error, n in data.get("errors", {}).items():
            print(f"{section:<8} {'error ×' + str(n):<{width}} {error}")
    print("-" * (8 + width + 16 + 12))
    print(f"total {report['total_seconds']:.1f} s · Python {report['python']} · {report['cpus']} CPU")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents to parse and check (default 1000)")
    parser.add_argument("--indicators", type=int, default=1_000_000, help="synthetic indicators to score")
    parser.add_argument(
        "--memory-docs",
        type=int,
        default=100,
        help="documents in the tracemalloc pass (default 100: tracemalloc slows parsing about fivefold)",
    )
    parser.add_argument("--seeds", help="directory of seed .txt documents (default tests/data/seeds)")
    parser.add_argument(
        "--sections", default="parse,check,scoring,pdf", help="comma-separated sections to run (pdf: bench/pdf_candidates.py)"
    )
    args = parser.parse_args(argv)
    sections = {s.strip() for s in args.sections.split(",")}

    seeds = sorted(_seed_dir(args.seeds).glob("*.txt"))
    report: dict = {"seeds": [s.name for s in seeds]}
    began = time.perf_counter()
    if sections & {"parse", "check"}:
        with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
            files = _replicate(seeds, args.docs, Path(tmp))
            result = _section("parse", bench_parse, files, args.memory_docs, "check" in sections)
        if isinstance(result, tuple):
            report["parse"], checked = result
            if checked is not None:
                report["check"] = checked
        else:
            report["parse"] = result
    if "scoring" in sections:
        report["scoring"] = _section("scoring", bench_scoring, args.indicators)
    report["total_seconds"] = round(time.perf_counter() - began, 2)
    report["python"] = platform.python_version()
    report["cpus"] = os.cpu_count()
    report["maxrss_mb_final"] = round(_maxrss_mb(), 1)

    print_table(report)
    print(json.dumps(report, ensure_ascii=False, sort_keys=True))
    failed = any("error" in report.get(s, {}) for s in ("parse", "check", "scoring"))
    if "pdf" in sections:  # PDF libraries side by side, per page (bench/pdf_candidates.py)
        sys.path.insert(0, str(Path(__file__).parent))
        import pdf_candidates

        print()
        pdf_candidates.print_report(pdf_candidates.compare(pdf_candidates.default_pdfs()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

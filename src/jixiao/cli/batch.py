"""Batches of files: expanding folders, a process pool, a progress bar, and the closing summary.

What a batch reads (``docs/cli.md``):

* A file named on the command line is always read; if it cannot be, the run fails (exit 1).
* A folder is walked recursively, in name order. Hidden files and folders (``.name``) and Office
  lock files (``~$name``) are ignored, and counted in the summary. Every other file is read and
  its format detected from its content. A file whose name does not claim a document format and
  that gives nothing (content jixiao does not read — a picture, an archive —, an empty file, or
  text without any table: a README) is **skipped**: listed in the summary and in the JSON/xlsx
  ``files`` section with status ``skipped``, without failing the run. A file that claims a
  document's name (``.pdf``, ``.docx``, ``.txt``…) but cannot be read, or has no table, fails.
* The same file reached twice (named and inside a named folder) is read once.

Files are processed on a process pool of ``--jobs`` workers (default: every core); a single
file or ``-j 1`` runs in this process. Results come back in input order, whatever order the
workers finish in. A file that fails — unreadable, or a bug that raises — never stops the
batch: it becomes a failed :class:`FileResult` with its reason. A worker that dies (a crash in
a native library) fails only the file it held.

On a terminal, stderr shows a progress bar with the current file (never in a pipe or on CI).
A batch ends with a summary on stderr: files by format, tables, findings by severity, and the
files that failed or were skipped and why.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.findings import make

# names a document can have: a file with one of these that cannot be read fails, never skipped
DOCUMENT_SUFFIXES = frozenset(
    ".pdf .docx .doc .wps .wpt .dot .dotx .odt .rtf .xlsx .xlsm .xls .et .ett .ods .csv .txt .text .tsv "
    ".html .htm .shtml .mht .mhtml".split()
)
# what a file gets that is not a document: content of no supported format, nothing in it, no table
_NOT_A_DOCUMENT = frozenset({"file-format-unknown", "file-binary", "file-empty", "no-table-found"})


def _fatal_codes() -> frozenset[str]:
    """Findings that mean a file gave nothing usable: every error about reading it, and no table."""
    from jixiao.findings.catalog import CATALOG

    read = {c for c, t in CATALOG.items() if "read" in t.tags and t.severity is Severity.ERROR}
    return frozenset(read | {"no-table-found"})


FATAL_CODES = _fatal_codes()


@dataclass
class Input:
    """One file of a batch: its path, the name shown and used in locations, and how it came."""

    path: Path
    name: str
    from_folder: bool = False
    root: Path | None = None  # the folder named on the command line that holds it
    extra: dict[str, Any] | None = None  # options for this file only (e.g. its own output path)

    @property
    def relative(self) -> Path:
        """Its path within the folder named (its file name when named itself)."""
        return self.path.relative_to(self.root) if self.root is not None else Path(self.path.name)


@dataclass
class FileResult:
    """What one file gave. ``output`` is the command's own result (rendered text, JSON data)."""

    path: str
    format: str | None = None
    status: str = "ok"  # ok | failed | skipped
    message: str = ""
    tables: int = 0
    findings: list[Finding] = field(default_factory=list)
    output: Any = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def fail(self, findings: list[Finding]) -> FileResult:
        """Mark failed with the findings' messages as the reason (they name the file)."""
        self.status = "failed"
        self.message = "；".join(dict.fromkeys(f.message for f in findings)) or self.message
        return self

    def counts(self) -> dict[str, int]:
        """Findings by severity of a file that was read (a failed file reports its reason instead)."""
        c = Counter(f.severity.value for f in self.findings) if self.ok else Counter()
        return {s.value: c.get(s.value, 0) for s in Severity}

    def as_dict(self) -> dict[str, Any]:
        """The ``files`` section entry of the JSON output."""
        return {
            "path": self.path,
            "format": self.format,
            "status": self.status,
            "message": self.message or None,
            "tables": self.tables,
            "findings": self.counts(),
        }


@dataclass
class Batch:
    """The expanded command-line paths: inputs (or path-level failures) in order, and what was ignored."""

    items: list[Input | FileResult]
    ignored: int = 0
    folders: int = 0

    @property
    def inputs(self) -> list[Input]:
        return [i for i in self.items if isinstance(i, Input)]

    @property
    def is_batch(self) -> bool:
        """More than one file, or a folder: the run ends with a summary table."""
        return self.folders > 0 or len(self.items) > 1


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def expand(paths: list[Path]) -> Batch:
    """Files named and every file under the folders named, in order; paths that do not exist and
    folders with nothing to read are failures of their own (``file-not-found``, ``folder-empty``)."""
    batch = Batch(items=[])
    seen: set[Path] = set()

    def add(path: Path, name: str, root: Path | None) -> None:
        try:
            key = path.resolve()
        except OSError:
            key = path.absolute()
        if key in seen:
            return
        seen.add(key)
        batch.items.append(Input(path, name, root is not None, root))

    for path in paths:
        name = str(path)
        if path.is_dir():
            batch.folders += 1
            before, ignored = len(batch.items), batch.ignored
            for root, dirs, files in os.walk(path):
                kept = sorted(d for d in dirs if not d.startswith("."))
                batch.ignored += sum(1 for d in dirs if d.startswith("."))
                dirs[:] = kept
                for file in sorted(files):
                    if _hidden(file):
                        batch.ignored += 1
                        continue
                    full = Path(root) / file
                    if full.is_file():
                        add(full, str(full), path)
            if len(batch.items) == before:
                skipped = batch.ignored - ignored
                detail = f"（已忽略 {skipped} 个隐藏文件或锁文件）" if skipped else ""
                result = FileResult(name, status="failed")
                result.findings = [make("folder-empty", None, file=name, detail=detail)]
                batch.items.append(result.fail(result.findings))
        elif path.exists() or path.is_symlink():
            add(path, name, None)
        else:
            result = FileResult(name)
            result.findings = [make("file-not-found", None, file=name)]
            batch.items.append(result.fail(result.findings))
    return batch


Work = Callable[..., FileResult]


def run_one(work: Work, item: Input, options: dict[str, Any]) -> FileResult:
    """Run ``work`` on one file; never raises. Classifies the result: ok, failed or skipped."""
    try:
        result = work(item.path, item.name, **options, **(item.extra or {}))
    except Exception as exc:  # noqa: BLE001 - a bug on one file must not stop the batch
        result = FileResult(item.name)
        result.findings = [make("internal-error", None, file=item.name, error=_brief(exc))]
    result.path = item.name
    fatal = [f for f in result.findings if f.code in FATAL_CODES]
    if fatal and result.status != "failed":
        result.fail(fatal)
    if (
        result.status == "failed"
        and item.from_folder
        and fatal
        and {f.code for f in fatal} <= _NOT_A_DOCUMENT
        and item.path.suffix.lower() not in DOCUMENT_SUFFIXES
    ):
        detail = "；".join(_reason(f.message, item.name) for f in fatal)
        skipped = make("file-skipped", None, file=item.name, detail=detail)
        result.status, result.message, result.findings, result.output = "skipped", skipped.message, [skipped], None
    return result


def _brief(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text[:200]}{'…' if len(text) > 200 else ''}"


def _reason(message: str, name: str) -> str:
    """A message without the file name it starts with (the summary table has a file column)."""
    for sep in ("：", ": "):
        if message.startswith(name + sep):
            return message[len(name) + len(sep):]
    return message


def default_jobs() -> int:
    return os.cpu_count() or 1


def show_progress() -> bool:
    """A progress bar only on a terminal, never in a pipe, on CI or a dumb terminal."""
    from jixiao.cli.output import is_terminal

    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(sys.stderr)


def run(batch: Batch, work: Work, options: dict[str, Any], *, jobs: int | None = None,
        label: str = "读取") -> Iterator[FileResult]:
    """Every item's result, in input order. Path-level failures pass through as they are."""
    from jixiao.cli.output import is_terminal

    jobs = max(1, jobs or default_jobs())
    inputs = batch.inputs
    progress = _progress(label, len(inputs)) if inputs and show_progress() else None
    ordered = _ordered(batch.items, _results(inputs, work, options, jobs, progress))
    if progress is None:
        yield from ordered
        return
    # the bar lives on stderr; output for a terminal on stdout waits until it is gone
    hold = is_terminal(sys.stdout)
    held: list[FileResult] = []
    with progress:
        for result in ordered:
            if hold:
                held.append(result)
            else:
                yield result
    yield from held


def _ordered(items: list[Input | FileResult], results: Iterator[tuple[int, FileResult]]) -> Iterator[FileResult]:
    """Results of the inputs (arriving in any order) merged with the path failures, in input order."""
    slots: dict[int, FileResult] = {}
    positions = [i for i, item in enumerate(items) if isinstance(item, Input)]
    position_of = dict(enumerate(positions))  # input number → item index
    next_item = 0

    def flush() -> Iterator[FileResult]:
        nonlocal next_item
        while next_item < len(items):
            item = items[next_item]
            if isinstance(item, FileResult):
                yield item
            elif next_item in slots:
                yield slots.pop(next_item)
            else:
                return
            next_item += 1

    yield from flush()
    for number, result in results:
        slots[position_of[number]] = result
        yield from flush()
    yield from flush()


def _results(inputs: list[Input], work: Work, options: dict[str, Any], jobs: int,
             progress) -> Iterator[tuple[int, FileResult]]:
    task = progress.add_task("", total=len(inputs), current="") if progress is not None else None

    def advance(number: int | None) -> None:
        if progress is not None:
            progress.update(task, advance=1 if number is not None else 0)

    def current(name: str) -> None:
        if progress is not None:
            progress.update(task, current=name)

    if not inputs:
        return
    _convert_legacy(inputs, current)
    if jobs == 1 or len(inputs) == 1:
        for number, item in enumerate(inputs):
            current(item.name)
            result = run_one(work, item, options)
            advance(number)
            yield number, result
        return
    crashed: list[int] = []
    pending: set = set()
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(inputs)))
    try:
        futures = [pool.submit(run_one, work, item, options) for item in inputs]
        number_of = {future: n for n, future in enumerate(futures)}
        pending = set(futures)
        lowest = 0  # the first input not yet done: shown as the current file
        while pending:
            while lowest < len(futures) - 1 and futures[lowest].done():
                lowest += 1
            current(inputs[lowest].name)
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=number_of.get):
                number = number_of[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    crashed.append(number)
                    continue
                advance(number)
                yield number, result
    finally:  # also when the consumer stops (Ctrl-C, a closed pipe): queued files are not started
        pool.shutdown(wait=not pending, cancel_futures=True)
    # a worker died (a native crash, out of memory): every file it left undone is retried alone,
    # so that only the file that kills its worker fails
    for number in sorted(crashed):
        item = inputs[number]
        current(item.name)
        with ProcessPoolExecutor(max_workers=1) as single:
            try:
                result = single.submit(run_one, work, item, options).result()
            except BrokenProcessPool:
                result = FileResult(item.name)
                result.fail([make("internal-error", None, file=item.name, error="处理该文件的进程意外退出（可能是内存不足或文件损坏）")])
        advance(number)
        yield number, result


# formats LibreOffice converts: a batch converts them in one soffice run per format
LEGACY_SUFFIXES = frozenset(".doc .dot .wps .wpt .odt .rtf .ods".split())


def _convert_legacy(inputs: list[Input], current: Callable[[str], None]) -> None:
    """Read the batch's legacy files (.doc, .wps …) together, one LibreOffice run per format, and
    hand each worker its file's result (``preread``): a run costs about a second, a file little more."""
    legacy = [item for item in inputs if item.path.suffix.lower() in LEGACY_SUFFIXES]
    if len(legacy) < 2:
        return
    from jixiao.readers.office import read_converted_many

    current(f"LibreOffice 转换 {len(legacy)} 个文件")
    try:
        read = read_converted_many([i.path for i in legacy], names=[i.name for i in legacy])
    except Exception:  # noqa: BLE001 - each file is then converted on its own, and fails on its own
        return
    for item in legacy:
        if item.path in read:
            item.extra = {**(item.extra or {}), "preread": read[item.path]}


def _progress(label: str, total: int):
    from rich.progress import BarColumn
    from rich.progress import MofNCompleteColumn
    from rich.progress import Progress
    from rich.progress import TextColumn
    from rich.progress import TimeElapsedColumn

    from jixiao.cli.output import stderr_console

    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", markup=False),
        console=stderr_console(),
        transient=True,
        redirect_stdout=False,  # stdout is the command's output: never through the bar's console
        redirect_stderr=True,  # messages about files print above the bar
    )


def files_section(results: list[FileResult]) -> list[dict[str, Any]]:
    return [r.as_dict() for r in results]


def format_name(fmt: str | None) -> str:
    from jixiao.readers.detect import FORMAT_NAMES

    if fmt is None:
        return "未知"
    return FORMAT_NAMES.get(fmt, fmt)


def print_summary(results: list[FileResult], batch: Batch, console=None) -> None:
    """The closing summary of a batch (stderr): files by format, tables, findings by severity,
    and every file that failed or was skipped, with the reason."""
    from rich.table import Table
    from rich.text import Text

    from jixiao.cli.output import stderr_console

    console = console or stderr_console()
    status = Counter(r.status for r in results)
    head = f"共 {len(results)} 个文件：成功 {status['ok']}，失败 {status['failed']}，跳过 {status['skipped']}"
    if batch.ignored:
        head += f"；已忽略隐藏文件或锁文件 {batch.ignored} 个"
    console.print(head, markup=False)
    by_format: dict[str, list[FileResult]] = {}
    for r in results:
        by_format.setdefault(format_name(r.format), []).append(r)
    table = Table(title="按格式", title_justify="left", show_footer=len(by_format) > 1)
    columns = ("格式", "文件", "成功", "失败", "跳过", "表格", "错误", "警告", "提示")
    totals = _row(results)
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right", no_wrap=True,
                         footer="合计" if i == 0 else totals[i - 1])
    for name, group in by_format.items():
        table.add_row(Text(name), *_row(group))
    console.print(table)
    problems = [r for r in results if not r.ok]
    if problems:
        bad = Table(title="未能读取的文件", title_justify="left")
        for column in ("文件", "格式", "状态", "原因"):
            bad.add_column(column, no_wrap=column != "原因", overflow="fold")
        for r in problems:  # texts, not markup: a [code] or a [bracketed] name stays as it is
            bad.add_row(Text(r.path), format_name(r.format), "跳过" if r.status == "skipped" else "失败",
                        Text(_reason(r.message, r.path)))
        console.print(bad)


def _row(results: list[FileResult]) -> tuple[str, ...]:
    status = Counter(r.status for r in results)
    severity: Counter[str] = Counter()
    for r in results:
        severity.update(r.counts())
    return (
        str(len(results)), str(status["ok"]), str(status["failed"]), str(status["skipped"]),
        str(sum(r.tables for r in results)),
        str(severity["error"]), str(severity["warning"]), str(severity["info"]),
    )


# -- reading one file (used by the commands' work functions, in the worker processes) ---------------

def read_document(path: Path, name: str, encoding: str | None = None, preread: tuple | None = None):
    """(Document | None, findings, format) of one file: detect, read, parse. ``preread``: the
    file's ``(RawDocument | None, findings)`` when the batch has read it already (legacy formats)."""
    if preread is not None:
        from jixiao.parse.document import parse_document
        from jixiao.readers.detect import detect

        raw, findings = preread
        try:
            fmt = detect(path.read_bytes(), name)
        except OSError:
            fmt = None
        if raw is None:
            return None, findings, fmt
        doc, parsed = parse_document(raw)
        return doc, [*findings, *parsed], fmt
    from jixiao.parse.document import parse_document
    from jixiao.readers.detect import FORMAT_NAMES
    from jixiao.readers.files import read_file_detected

    raw, findings, fmt = read_file_detected(path, name=name, encoding=encoding)
    if fmt not in FORMAT_NAMES:  # binary, a zip or OLE file of no known kind, an encrypted Office file
        fmt = None
    if raw is None:
        return None, findings, fmt
    doc, parsed = parse_document(raw)
    return doc, findings + parsed, fmt


def exit_status(results: list[FileResult]) -> int:
    """1 when a file failed or no file was read at all (skipped files alone do not fail a run)."""
    if any(r.status == "failed" for r in results) or not any(r.ok for r in results):
        return 1
    return 0


def derived_paths(inputs: list[Input], folder: Path, suffix: str) -> dict[str, Path]:
    """For each input, ``folder/<its subfolders>/<stem><suffix>`` (``selfeval`` templates and
    自评表 of a batch); two inputs with one stem in one folder keep their own extension in the name."""
    out: dict[str, Path] = {}
    taken: set[Path] = set()
    for item in inputs:
        relative = item.relative
        path = folder / relative.parent / f"{relative.stem}{suffix}"
        if path in taken:
            path = folder / relative.parent / f"{relative.name}{suffix}"
        taken.add(path)
        out[item.name] = path
    return out

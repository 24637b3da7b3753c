"""``jixiao import 文件或文件夹… --org 单位 [--year 年度]``: files into the database.

Each file is read, parsed and checked (on a process pool, ``-j``), then stored by the import
service in one transaction of its own (:func:`jixiao.services.imports.store_prepared`, what
``import_bytes`` does): the same bytes again give the document already there, a corrected file a
new version, and a file that fails leaves nothing behind while the others are still imported.
Folders are walked recursively as ``check`` walks them (hidden and lock files ignored, files
that are no document skipped). One line per file on stdout::

    新建	#12	targets	第 1 版	错误 0，警告 3，提示 1	目标表/交通局.docx

then (several files or a folder) a summary on stderr with every file that could not be imported
and why. Exit status 1 when a file could not be imported, or none was.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli import options as opt
from jixiao.cli.batch import FATAL_CODES
from jixiao.cli.batch import Batch
from jixiao.cli.batch import FileResult
from jixiao.cli.batch import exit_status
from jixiao.cli.batch import expand
from jixiao.cli.batch import run
from jixiao.cli.db import open_database
from jixiao.cli.db import service_failed
from jixiao.cli.output import say

_DATABASES: dict = {}  # url → Database, one per process (the pool's workers open their own)


def _database(url: str):
    from jixiao.store.db import Database

    if url not in _DATABASES:
        _DATABASES[url] = Database(url)
    return _DATABASES[url]


def _close_databases() -> None:
    while _DATABASES:
        _DATABASES.popitem()[1].dispose()


def _prepare(path: Path, data: bytes, preread: tuple | None):
    """The file read, parsed and checked; ``preread`` when the batch converted it already (.doc …)."""
    from jixiao.services import imports

    if preread is None:
        return imports.prepare(data, path.name)
    import hashlib

    from jixiao.parse.document import parse_document
    from jixiao.readers.detect import detect
    from jixiao.rules import run as run_rules

    raw, found = preread
    sha, fmt = hashlib.sha256(data).hexdigest(), detect(data, path.name)
    if raw is None:
        return imports.Prepared(path.name, data, sha, fmt, None, list(found))
    doc, parsed = parse_document(raw)
    return imports.Prepared(path.name, data, sha, fmt, doc, [*found, *parsed, *run_rules(doc)])


def import_work(path: Path, name: str, *, url: str, org: str, year: int | None,
                preread: tuple | None = None) -> FileResult:
    """Read, parse, check and store one file (in a worker process); never raises on a bad file."""
    from jixiao.findings import make
    from jixiao.readers.detect import FORMAT_NAMES
    from jixiao.readers.safety import check_size
    from jixiao.services import imports
    from jixiao.services.context import Ctx
    from jixiao.services.errors import ServiceError

    result = FileResult(name)
    try:
        too_large = check_size(path.stat().st_size, name)
        data = b"" if too_large else path.read_bytes()
    except OSError as exc:
        return result.fail([make("file-unreadable", None, file=name, reason=exc.strerror or str(exc))])
    if too_large:
        result.findings = too_large
        return result.fail(too_large)
    prepared = _prepare(path, data, preread)
    result.format = prepared.format if prepared.format in FORMAT_NAMES else None
    result.tables = len(prepared.document.tables) if prepared.document is not None else 0
    fatal = [f for f in prepared.findings if f.code in FATAL_CODES]
    if prepared.document is None or fatal:
        result.findings = prepared.findings
        result.fail(fatal or [f for f in prepared.findings if f.severity.value == "error"])
        result.message = "；".join(_named(m, path, name) for m in result.message.split("；"))
        return result
    try:
        result.output = imports.store_prepared(Ctx(_database(url)), prepared, org=org, year=year)
    except ServiceError as exc:
        result.status = "failed"
        result.message = _named(exc.message, path, name)
    return result


def _named(message: str, path: Path, name: str) -> str:
    """A message that names the file as stored (its name) names it as given on the command line."""
    if message.startswith(path.name + "："):
        return name + message[len(path.name):]
    return f"{name}：{message}"


def _line(result: FileResult) -> str:
    out = result.output
    counts = out["findings"]
    return "\t".join((
        "新建" if out["created"] else "已存在", f"#{out['id']}", out["kind"], f"第 {out['version']} 版",
        f"错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}", result.path,
    ))


def _summary(results: list[FileResult], batch: Batch) -> None:
    from rich.table import Table
    from rich.text import Text

    from jixiao.cli.batch import _reason
    from jixiao.cli.output import stderr_console

    console = stderr_console()
    imported = [r.output for r in results if r.ok]
    status = Counter(r.status for r in results)
    created = sum(1 for o in imported if o["created"])
    findings: Counter[str] = Counter()
    for o in imported:
        findings.update(o["findings"])
    head = (f"共 {len(results)} 个文件：新建 {created}，已存在 {len(imported) - created}，"
            f"失败 {status['failed']}，跳过 {status['skipped']}")
    if batch.ignored:
        head += f"；已忽略隐藏文件或锁文件 {batch.ignored} 个"
    console.print(head, markup=False)
    console.print(f"导入的文档共有审核发现：错误 {findings['error']}，警告 {findings['warning']}，提示 {findings['info']}",
                  markup=False)
    problems = [r for r in results if not r.ok]
    if problems:
        table = Table(title="未能导入的文件", title_justify="left")
        for column in ("文件", "状态", "原因"):
            table.add_column(column, no_wrap=column != "原因", overflow="fold")
        for r in problems:
            table.add_row(Text(r.path), "跳过" if r.status == "skipped" else "失败", Text(_reason(r.message, r.path)))
        console.print(table)


def import_command(
    files: opt.Files,
    org: Annotated[str, typer.Option("--org", help="导入到哪个单位（单位编码或名称）；文件中写明的下级单位会自动匹配或新建",
                                     metavar="单位", show_default=False)],
    year: Annotated[int | None, typer.Option("--year", "-y", help="年度（默认取文件中写明的年度）", metavar="年度",
                                             min=1990, max=2100, show_default=False)] = None,
    jobs: opt.Jobs = None,
) -> None:
    """导入文件到数据库：读取、识别、审核并保存，每个文件一个事务。

    同一文件再次导入不会重复；同一单位、年度、类型的修改稿成为新版本，旧版本保留。文件夹含子文件夹。
    """
    from jixiao.services import orgs
    from jixiao.services.context import Ctx
    from jixiao.services.errors import ServiceError

    database = open_database()
    url = database.url
    try:
        with database.session(write=False) as session:
            orgs.resolve(session, Ctx(database), org)
    except ServiceError as exc:
        service_failed(exc)
    finally:
        database.dispose()
    batch = expand(files)
    results: list[FileResult] = []
    try:
        for result in run(batch, import_work, {"url": url, "org": org, "year": year}, jobs=jobs, label="导入"):
            results.append(result)
            if result.ok:
                say(_line(result))
            else:
                say(result.message, err=True)
    finally:
        _close_databases()
    if batch.is_batch:
        _summary(results, batch)
    raise typer.Exit(exit_status(results))

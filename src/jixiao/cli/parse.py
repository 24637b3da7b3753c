"""``jixiao parse 文件或文件夹… [--json] [-o 输出] [-j N]``: what was read from each file."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli import options as opt
from jixiao.cli.batch import FileResult
from jixiao.cli.batch import exit_status
from jixiao.cli.batch import expand
from jixiao.cli.batch import files_section
from jixiao.cli.batch import print_summary
from jixiao.cli.batch import read_document
from jixiao.cli.batch import run
from jixiao.cli.output import check_output
from jixiao.cli.output import say
from jixiao.cli.output import stdout_console
from jixiao.cli.output import write_stdout
from jixiao.cli.output import write_text


def parse_work(path: Path, name: str, *, encoding: str | None, as_json: bool,
               width: int, color: str | None, preread: tuple | None = None) -> FileResult:
    """Read and parse one file (in a worker); the output is its JSON or its rendered summary."""
    doc, findings, fmt = read_document(path, name, encoding, preread)
    result = FileResult(name, format=fmt, findings=findings, tables=len(doc.tables) if doc else 0)
    if doc is None:
        return result
    if as_json:
        from jixiao.render.document_json import document_json

        result.output = document_json(doc, name, findings)
    else:
        from rich.console import Console

        from jixiao.render.summary import print_summary as print_document

        buffer = io.StringIO()
        console = Console(file=buffer, width=width, force_terminal=color is not None, color_system=color,
                          highlight=False, soft_wrap=True)
        print_document(doc, findings, console)
        result.output = buffer.getvalue()
    return result


def parse_command(
    files: opt.Files,
    as_json: Annotated[bool, typer.Option("--json", help="输出规范 JSON（含 files 一节：每个文件的格式、状态和原因）")] = False,
    output: opt.Output = None,
    encoding: opt.Encoding = None,
    jobs: opt.Jobs = None,
) -> None:
    """读取文件，显示识别出的表格、目标集、指标和章节。

    文件可以是 PDF、Word、Excel、网页、CSV 或纯文本（按内容识别格式），也可以是文件夹（含子文件夹）。
    有文件无法读取时退出码为 1。
    """
    check_output(output, "读取结果.json" if as_json else "读取结果.txt")
    batch = expand(files)
    console = stdout_console()
    to_terminal = output is None and console.is_terminal
    options = {
        "encoding": encoding,
        "as_json": as_json,
        "width": console.width if to_terminal else 100_000,
        "color": console.color_system if to_terminal else None,
    }
    results: list[FileResult] = []
    documents = []
    texts: list[str] = []
    for result in run(batch, parse_work, options, jobs=jobs, label="读取"):
        results.append(result)
        if not result.ok:
            say(result.message, err=True)
        if result.output is None:
            continue
        if as_json:
            documents.append(result.output)
        elif output is None:
            write_stdout(result.output)
        else:
            texts.append(result.output)
    if as_json:
        text = json.dumps({"documents": documents, "files": files_section(results)}, ensure_ascii=False, indent=1) + "\n"
        if output is None:
            write_stdout(text)
        else:
            write_text(output, text)
    elif output is not None:
        write_text(output, "".join(texts))
    if batch.is_batch:
        print_summary(results, batch)
    if output is not None:
        say(f"已写入 {output}", err=True)
    raise typer.Exit(exit_status(results))

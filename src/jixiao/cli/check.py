"""``jixiao check 文件或文件夹… [--profile P] [--format text|json|xlsx] [-o 输出] [-j N]``.

Parses each file, runs the profile's rules and prints or writes the findings (parse findings
included), file by file in input order, each file's findings sorted by location. A file that
cannot be read contributes no findings: its reason goes to stderr (the batch summary) and to
the ``files`` section of the JSON and xlsx output. Exit status 1 when a file cannot be read or
any finding is an error; 2 on bad usage (an unknown profile, an ``-o`` that cannot be written).
"""

from __future__ import annotations

import json
from dataclasses import replace
from enum import StrEnum
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
from jixiao.cli.output import fail
from jixiao.cli.output import say
from jixiao.cli.output import write_stdout
from jixiao.cli.output import write_text
from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.findings import make
from jixiao.model.source import Location


class Format(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


def check_work(path: Path, name: str, *, profile: str, encoding: str | None,
               preread: tuple | None = None) -> FileResult:
    """Read, parse and check one file (in a worker)."""
    from jixiao.rules import Context
    from jixiao.rules import run as run_rules

    doc, found, fmt = read_document(path, name, encoding, preread)
    result = FileResult(name, format=fmt, findings=found, tables=len(doc.tables) if doc else 0)
    if doc is None:
        return result
    findings = [*found, *run_rules(doc, Context(profile=profile))]
    result.findings = sorted(
        (f if f.location else replace(f, location=Location(file=name)) for f in findings), key=Finding.sort_key
    )
    return result


def check_file(path: Path, profile: str = "all", encoding: str | None = None) -> tuple[list[Finding], list[str]]:
    """(findings, problems) of one file, as ``jixiao check`` sees it; problems say why it could not be checked."""
    from jixiao.cli.batch import Input
    from jixiao.cli.batch import run_one

    result = run_one(check_work, Input(Path(path), str(path)), {"profile": profile, "encoding": encoding})
    if result.ok:
        return result.findings, []
    return [], [result.message]


def render_text_report(results: list[FileResult]) -> str:
    """Each readable file's findings, one per line, then the count (or why nothing was counted)."""
    return "".join(_lines(r) for r in results if r.ok) + report_tail(results)


def report_tail(results: list[FileResult]) -> str:
    """``共 N 条：错误 …`` over the files read; never ``共 0 条`` for a run that read nothing."""
    from jixiao.render.findings_text import summary

    read = [r for r in results if r.ok]
    failed = sum(1 for r in results if r.status == "failed")
    if not read:
        if not results:
            return "没有要审核的文件\n"
        return f"没有读取到任何文件（{len(results)} 个文件均未能读取，原因见标准错误输出）\n"
    tail = summary(f for r in read for f in r.findings)
    if failed:
        tail += f"；另有 {failed} 个文件未能读取"
    return tail + "\n"


def check_command(
    files: opt.Files,
    profile: Annotated[
        str, typer.Option("--profile", "-p", help="审核方案：all（全部）、targets、disclosure、self-evaluation", metavar="方案")
    ] = "all",
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="输出格式：text（文本）、json、xlsx（审核底稿，需 -o）", metavar="格式")
    ] = Format.text,
    output: opt.Output = None,
    encoding: opt.Encoding = None,
    jobs: opt.Jobs = None,
) -> None:
    """审核文件：列出每条发现（位置、问题、应为、实为），有错误或文件无法读取时退出码为 1。

    文件可以是 PDF、Word、Excel、网页、CSV 或纯文本（按内容识别格式），也可以是文件夹（含子文件夹）。
    """
    from jixiao.rules import PROFILES

    if profile != "all" and profile not in PROFILES:
        raise typer.BadParameter(f"未知的审核方案 {profile}（可选：all, {', '.join(PROFILES)}）", param_hint="--profile")
    if fmt is Format.xlsx and output is None:
        raise typer.BadParameter("xlsx 格式需要用 -o 指定输出文件，例如 -o 审核底稿.xlsx", param_hint="--output")
    check_output(output, {"text": "审核结果.txt", "json": "审核结果.json", "xlsx": "审核底稿.xlsx"}[fmt.value])
    batch = expand(files)
    stream = fmt is Format.text and output is None
    results: list[FileResult] = []
    for result in run(batch, check_work, {"profile": profile, "encoding": encoding}, jobs=jobs, label="审核"):
        results.append(result)
        if not result.ok:
            say(result.message, err=True)
        if stream and result.ok:
            write_stdout(_lines(result))
    if stream:
        write_stdout(report_tail(results))
    elif fmt is Format.xlsx:
        assert output is not None
        from jixiao.render.findings_xlsx import write_xlsx

        try:
            write_xlsx([f for r in results if r.ok for f in r.findings], output, files=files_section(results))
        except OSError as exc:
            fail([make("output-unwritable", None, file=str(output), reason=exc.strerror or str(exc))])
    else:
        if fmt is Format.json:
            data = {"findings": [f.as_dict() for r in results if r.ok for f in r.findings], "files": files_section(results)}
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            text = render_text_report(results)
        if output is None:
            write_stdout(text)
        else:
            write_text(output, text)
    if batch.is_batch:
        print_summary(results, batch)
    if output is not None:
        say(f"已写入 {output}", err=True)
    errors = any(f.severity is Severity.ERROR for r in results if r.ok for f in r.findings)
    raise typer.Exit(1 if errors or exit_status(results) else 0)


def _lines(result: FileResult) -> str:
    from jixiao.render.findings_text import format_line

    return "".join(format_line(f) + "\n" for f in result.findings)

"""``jixiao check FILE... [--profile P] [--format text|json|xlsx] [-o OUT]`` (C11).

Parses each file, runs the profile's rules and prints or writes the findings (parse findings
included). Exit status 1 when any finding is an error or a file cannot be read (the reason goes
to stderr and the other files are still checked); 2 on bad usage. Register it with
``register(app)`` from ``jixiao.cli``.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jixiao.findings import Finding
from jixiao.findings import Severity
from jixiao.model.source import Location


class Format(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


def check_file(path: Path, profile: str, encoding: str | None = None) -> tuple[list[Finding], list[str]]:
    """(findings, problems) of one file; problems are why the file could not be checked."""
    from jixiao.pipeline import parse_file
    from jixiao.rules import Context
    from jixiao.rules import run

    name = str(path)
    if not path.is_file():
        return [], [f"{name}：文件不存在或不是普通文件"]
    try:
        doc, found = parse_file(path, name=name, encoding=encoding)
    except Exception as exc:  # a parser bug must not hide the other files' findings
        return [], [f"{name}：解析失败（{type(exc).__name__}: {exc}）"]
    if doc is None:
        return [], [f.message for f in found] or [f"{name}：无法读取"]
    findings = [*found, *run(doc, Context(profile=profile))]
    return [f if f.location else replace(f, location=Location(file=name)) for f in findings], []


def check_command(
    files: Annotated[list[Path], typer.Argument(help="要审核的文件（可多个）", metavar="FILE...")],
    profile: Annotated[str, typer.Option("--profile", "-p", help="审核方案：all、targets、disclosure、self-evaluation")] = "all",
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（xlsx 必填）")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="文本编码（默认 UTF-8），如 gbk")] = None,
) -> None:
    """审核文件：列出每条发现，有错误时退出码为 1。"""
    from jixiao.render.findings_json import render_json
    from jixiao.render.findings_text import render_text
    from jixiao.render.findings_xlsx import write_xlsx
    from jixiao.rules import PROFILES

    if profile != "all" and profile not in PROFILES:
        raise typer.BadParameter(f"未知的审核方案 {profile}（可选：all, {', '.join(PROFILES)}）", param_hint="--profile")
    if fmt is Format.xlsx and output is None:
        raise typer.BadParameter("xlsx 格式需要用 -o 指定输出文件", param_hint="--output")
    findings: list[Finding] = []
    failed = False
    for path in files:
        found, problems = check_file(path, profile, encoding)
        for problem in problems:
            typer.echo(problem, err=True)
        failed = failed or bool(problems)
        findings.extend(found)
    if fmt is Format.xlsx:
        assert output is not None
        write_xlsx(findings, output)
    else:
        text = render_json(findings) if fmt is Format.json else render_text(findings)
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
    if failed or any(f.severity is Severity.ERROR for f in findings):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)

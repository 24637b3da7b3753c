"""Command line: jixiao parse | check | rule | selfeval. Exit 1 on unreadable input or errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

# findings that mean the file gave nothing usable: the command fails for it
def _fatal_codes() -> frozenset[str]:
    from jixiao.findings.catalog import CATALOG
    from jixiao.findings.finding import Severity

    read = {c for c, t in CATALOG.items() if "read" in t.tags and t.severity is Severity.ERROR}
    return frozenset(read | {"no-table-found"})


FATAL_CODES = _fatal_codes()

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="jixiao（绩效）：预算绩效管理——读取、审核、自评打分。",
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """jixiao（绩效）：预算绩效管理——读取、审核、自评打分。"""


@app.command("parse")
def parse_command(
    files: Annotated[list[Path], typer.Argument(help="要读取的文件（.txt）")],
    as_json: Annotated[bool, typer.Option("--json", help="输出规范 JSON")] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help="文本编码（默认 UTF-8），如 gbk")] = None,
) -> None:
    """读取文件，显示识别出的表格、目标集、指标和章节。"""
    from jixiao.pipeline import parse_file
    from jixiao.render.document_json import document_json
    from jixiao.render.summary import print_summary

    failed = False
    documents = []
    for path in files:
        try:
            doc, findings = parse_file(path, name=str(path), encoding=encoding)
            fatal = [f for f in findings if f.code in FATAL_CODES]
            for f in fatal:
                typer.echo(f"{path}: {f.message}", err=True)
            if doc is None or fatal:
                failed = True
            if doc is None:
                continue
            if as_json:
                documents.append(document_json(doc, str(path), findings))
            else:
                print_summary(doc, findings)
        except Exception as exc:  # a bug must not hide the other files
            typer.echo(f"{path}: 内部错误，未能读取（{type(exc).__name__}: {exc}）；请报告此问题", err=True)
            failed = True
    if as_json:
        json.dump({"documents": documents}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    raise typer.Exit(1 if failed else 0)


def _register_commands() -> None:
    """Commands that live with their stage register themselves here."""
    from jixiao.render.check_cli import register as register_check
    from jixiao.scoring.cli import register as register_rule
    from jixiao.selfeval.cli import register as register_selfeval

    register_check(app)
    register_rule(app)
    register_selfeval(app)


_register_commands()


def main() -> None:  # pragma: no cover - entry point
    app()

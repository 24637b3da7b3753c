"""The ``jixiao`` command: parse | check | convert | rule | selfeval template|score.

The entry point (``jixiao.cli:main``) and the app (``from jixiao.cli import app``). Each command
lives in its own module here; shared pieces: :mod:`jixiao.cli.batch` (files and folders, the
process pool, progress, the closing summary), :mod:`jixiao.cli.output` (consoles that do not
wrap into pipes, checked ``-o``), :mod:`jixiao.cli.usage` (usage and help in Chinese). Commands
are thin: reading, parsing, checking and scoring are the stages' own functions.

Exit status: 0 success; 1 when a file cannot be read or (``check``) a finding is an error;
2 on bad usage (unknown option or value, an ``-o`` that cannot be written).
"""

from __future__ import annotations

from typing import Annotated

import typer

from jixiao.cli.usage import Command
from jixiao.cli.usage import install
from jixiao.cli.usage import typer_app

install()

app = typer_app(
    add_completion=False,
    no_args_is_help=True,
    help="jixiao（绩效）：预算绩效管理——读取、审核、自评打分。",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from jixiao import __version__

        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="显示版本号并退出")
    ] = False,
) -> None:
    """jixiao（绩效）：预算绩效管理——读取、审核、自评打分。

    文件可以是 PDF、Word（.docx/.doc/.wps）、Excel（.xlsx/.xls/.et）、网页、CSV 或纯文本，格式按内容识别；
    也可以是文件夹（含子文件夹）。
    """


def _register() -> None:
    from jixiao.cli.check import check_command
    from jixiao.cli.convert import convert_command
    from jixiao.cli.db import db_app
    from jixiao.cli.deadline import deadline_app
    from jixiao.cli.demo import demo_command
    from jixiao.cli.export import export_command
    from jixiao.cli.imports import import_command
    from jixiao.cli.monitor import monitor_app
    from jixiao.cli.org import org_app
    from jixiao.cli.parse import parse_command
    from jixiao.cli.rule import rule_command
    from jixiao.cli.selfeval import selfeval_app
    from jixiao.cli.serve import serve_command
    from jixiao.cli.user import user_app
    from jixiao.cli.worker import worker_command

    settings = {"cls": Command, "options_metavar": "[选项]"}
    app.command("parse", **settings)(parse_command)
    app.command("check", **settings)(check_command)
    app.command("convert", **settings)(convert_command)
    app.command("export", **settings)(export_command)
    app.command("rule", **settings)(rule_command)
    app.add_typer(selfeval_app, name="selfeval")
    app.add_typer(db_app, name="db")
    app.add_typer(user_app, name="user")
    app.add_typer(org_app, name="org")
    app.command("import", **settings)(import_command)
    app.command("serve", **settings)(serve_command)
    app.command("worker", **settings)(worker_command)
    app.command("demo", **settings)(demo_command)
    app.add_typer(deadline_app, name="deadline")
    app.add_typer(monitor_app, name="monitor")


_register()


def main() -> None:  # pragma: no cover - entry point
    app(prog_name="jixiao")

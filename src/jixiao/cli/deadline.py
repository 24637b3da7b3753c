"""``jixiao deadline set ORG YEAR PROCESS DATE`` and ``jixiao deadline list [--year]``: when
绩效目标申报, 绩效自评 and 预算公开审核 are due, for an organisation and everything under it."""

from __future__ import annotations

from typing import Annotated

import typer

from jixiao.cli.db import open_database
from jixiao.cli.db import service_failed
from jixiao.cli.output import say
from jixiao.cli.usage import Command
from jixiao.cli.usage import typer_app

deadline_app = typer_app(add_completion=False, no_args_is_help=True,
                         help="截止日期：设定、列出（绩效目标申报 targets、绩效自评 self_evaluation、预算公开审核 disclosure）。")


@deadline_app.command("set", cls=Command, options_metavar="[选项]")
def set_command(
    org: Annotated[str, typer.Argument(help="单位编码或名称（其下所有单位适用）", metavar="单位", show_default=False)],
    year: Annotated[int, typer.Argument(help="年度", metavar="年度", show_default=False)],
    process: Annotated[str, typer.Argument(help="流程：targets、self_evaluation、disclosure", metavar="流程",
                                           show_default=False)],
    due: Annotated[str, typer.Argument(help="截止日期，如 2026-03-31；写 none 取消", metavar="日期",
                                       show_default=False)],
) -> None:
    """设定（或取消）某单位及其下级某年度某流程的截止日期。"""
    from jixiao.services import deadlines
    from jixiao.services import workflow
    from jixiao.services.context import Ctx
    from jixiao.services.errors import ServiceError

    database = open_database()
    try:
        result = deadlines.set_deadline(Ctx(database), org=org, year=year, process=process,
                                        due=None if due.lower() == "none" else due)
    except ServiceError as exc:
        service_failed(exc)
    finally:
        database.dispose()
    label = workflow.PROCESSES[result["process"]][0]
    what = f"截止日期为 {result['due']}" if result["due"] else "已取消截止日期"
    say(f"{result['org']['name']} {year} 年度{label}：{what}")


@deadline_app.command("list", cls=Command, options_metavar="[选项]")
def list_command(
    year: Annotated[int, typer.Option("--year", "-y", help="年度", metavar="年度", show_default=False)],
    org: Annotated[str | None, typer.Option("--org", help="按此单位看适用的截止日期（默认：全部设定）", metavar="单位",
                                            show_default=False)] = None,
) -> None:
    """列出某年度的截止日期。"""
    from jixiao.services import deadlines
    from jixiao.services.context import Ctx
    from jixiao.services.errors import ServiceError

    database = open_database()
    try:
        rows = deadlines.list_deadlines(Ctx(database), year=year, org=org)
    except ServiceError as exc:
        service_failed(exc)
    finally:
        database.dispose()
    if not rows:
        say(f"{year} 年度没有设定截止日期")
    for r in rows:
        say(f"{r['org']['name']}  {r['label']}  {r['due']}")

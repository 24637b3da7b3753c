"""``jixiao org add | list``: the organisation tree 财政局（地区）→ 部门 → 单位."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from jixiao.cli.db import open_database
from jixiao.cli.db import service_failed
from jixiao.cli.output import say
from jixiao.cli.usage import Command
from jixiao.cli.usage import typer_app


class Level(StrEnum):
    region = "region"
    department = "department"
    unit = "unit"


org_app = typer_app(add_completion=False, no_args_is_help=True, help="单位：新建、列出（财政局 → 部门 → 单位）。")


@org_app.command("add", cls=Command, options_metavar="[选项]")
def add_command(
    name: Annotated[str, typer.Argument(help="单位名称", metavar="名称", show_default=False)],
    level: Annotated[Level, typer.Option("--level", "-l", help="层级：region（地区/财政局）、department（部门）、unit（单位）",
                                         metavar="层级", show_default=False)],
    parent: Annotated[str | None, typer.Option("--parent", "-p", help="上级单位：单位编码或名称", metavar="上级",
                                               show_default=False)] = None,
    code: Annotated[str | None, typer.Option("--code", "-c", help="单位编码", metavar="编码", show_default=False)] = None,
) -> None:
    """新建单位（地区、部门或单位），挂在上级单位之下。"""
    from jixiao.services import orgs
    from jixiao.services.context import Ctx
    from jixiao.services.errors import ServiceError

    database = open_database()
    try:
        org = orgs.create_org(Ctx(database), name=name, level=level.value, parent=parent, code=code)
    except ServiceError as exc:
        service_failed(exc)
    finally:
        database.dispose()
    code_text = f"，编码 {org['code']}" if org["code"] else ""
    say(f"已新建{orgs.LEVEL_LABELS[org['level']]} {org['name']}（编号 {org['id']}{code_text}）")


@org_app.command("list", cls=Command, options_metavar="[选项]")
def list_command() -> None:
    """列出全部单位，按层级缩进。"""
    from jixiao.services import orgs
    from jixiao.services.context import Ctx

    database = open_database()
    try:
        items = orgs.list_orgs(Ctx(database))["items"]
    finally:
        database.dispose()
    depth = {None: -1}
    for o in items:
        depth[o["id"]] = depth.get(o["parent_id"], -1) + 1
        say(f"{'  ' * depth[o['id']]}{o['name']}\t{o['code'] or ''}\t{orgs.LEVEL_LABELS[o['level']]}\t#{o['id']}")
    say(f"共 {len(items)} 个单位", err=True)

"""``jixiao user add | list``: user accounts. There is no default user and no default password:
the first administrator is made here, by whoever holds the database.

``user add`` reads the password from standard input with ``--password-stdin`` (its first line);
otherwise it generates one and prints it once — it is stored only as an argon2 hash.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from jixiao.cli.db import open_database
from jixiao.cli.db import service_failed
from jixiao.cli.output import say
from jixiao.cli.usage import Command
from jixiao.cli.usage import typer_app
from jixiao.services.policy import ROLES

user_app = typer_app(add_completion=False, no_args_is_help=True, help="用户：新建、列出。")

Role = StrEnum("Role", {code: code for code in ROLES})  # type: ignore[misc]
_ROLES_HELP = "、".join(f"{code}（{label}）" for code, label in ROLES.items())


@user_app.command("add", cls=Command, options_metavar="[选项]")
def add_command(
    name: Annotated[str, typer.Argument(help="用户名（登录名）", metavar="用户名", show_default=False)],
    role: Annotated[Role, typer.Option("--role", "-r", help=f"角色：{_ROLES_HELP}", metavar="角色",
                                       show_default=False)],
    org: Annotated[str, typer.Option("--org", help="所属单位：单位编码或名称（决定能看到的范围）", metavar="单位",
                                     show_default=False)],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码（第一行）；不指定则生成随机密码并只显示这一次")] = False,
    display_name: Annotated[str, typer.Option("--display-name", help="显示名（姓名）", metavar="姓名")] = "",
) -> None:
    """新建用户。密码从标准输入读取（--password-stdin），或随机生成并只显示这一次。"""
    from jixiao.services import users
    from jixiao.services.context import Ctx
    from jixiao.services.errors import ServiceError

    password = None
    if password_stdin:
        password = _read_password()
        if not password:
            say("标准输入没有读到密码", err=True)
            raise typer.Exit(1)
    database = open_database()
    try:
        user, generated = users.add_user(Ctx(database), name, role=role.value, org=org, password=password,
                                         display_name=display_name)
    except ServiceError as exc:
        service_failed(exc)
    finally:
        database.dispose()
    say(f"已新建用户 {user['username']}（{user['role_label']}，{user['org']['name']}），编号 {user['id']}")
    if generated:
        say(f"密码：{generated}")
        say("（密码只显示这一次，请转交用户并请其妥善保管）", err=True)


def _read_password() -> str:
    """The first line of stdin; typed at a terminal, asked twice without echo."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        say("两次输入的密码不一致", err=True)
        raise typer.Exit(1)
    return first


@user_app.command("list", cls=Command, options_metavar="[选项]")
def list_command() -> None:
    """列出全部用户：用户名、角色、所属单位。"""
    from jixiao.services import users
    from jixiao.services.context import Ctx

    database = open_database()
    try:
        items = users.list_users(Ctx(database))["items"]
    finally:
        database.dispose()
    for u in items:
        state = "" if u["active"] else "\t已停用"
        say(f"{u['username']}\t{u['role_label']}\t{u['org']['code'] or ''}\t{u['org']['name']}{state}")
    say(f"共 {len(items)} 个用户", err=True)

"""``jixiao db upgrade``: migrate the database to the current schema; and the opening of the
database that the other database commands (``user``, ``org``, ``import``) share.

The database is the one of ``JIXIAO_DATABASE_URL`` (PostgreSQL: ``postgresql://…``), else the
SQLite file in ``JIXIAO_DATA_DIR`` (default ``./var/``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NoReturn

import typer

from jixiao.cli.output import say
from jixiao.cli.usage import Command
from jixiao.cli.usage import typer_app

db_app = typer_app(
    add_completion=False,
    no_args_is_help=True,
    help="数据库：升级到当前版本（数据库取自 JIXIAO_DATABASE_URL 或 JIXIAO_DATA_DIR）。",
)


def shown_url(database) -> str:
    """The database's URL without its password."""
    return database.engine.url.render_as_string(hide_password=True)


def service_failed(exc) -> NoReturn:
    """A service refused (a ServiceError): its Chinese message on stderr, exit status 1."""
    say(exc.message, err=True)
    raise typer.Exit(1)


def open_database():
    """The database of the environment, checked to be at the current schema (else exit 1 with
    what to run)."""
    from sqlalchemy.exc import SQLAlchemyError

    from jixiao.store import migrate
    from jixiao.store.db import Database

    try:
        database = Database()
        current = migrate.current(database)
    except (SQLAlchemyError, OSError) as exc:
        say(f"无法打开数据库：{_brief(exc)}", err=True)
        raise typer.Exit(1) from None
    if current != migrate.head():
        state = "尚未建立" if current is None else f"版本较旧（{current}，当前版本 {migrate.head()}）"
        say(f"数据库{state}：{shown_url(database)}，请先运行 jixiao db upgrade", err=True)
        database.dispose()
        raise typer.Exit(1)
    return database


def run_service(call: Callable, explain: Callable[[dict], None] | None = None):
    """``call(ctx)`` on the environment's database as SYSTEM; a refusal prints what ``explain``
    makes of its ``detail`` (a dict) under its message and exits 1."""
    from jixiao.services.context import Ctx
    from jixiao.services.errors import ServiceError

    database = open_database()
    try:
        return call(Ctx(database))
    except ServiceError as exc:
        detail = getattr(exc, "detail", None)
        if explain is not None and isinstance(detail, dict):
            explain(detail)
        service_failed(exc)
    finally:
        database.dispose()


def print_json(result) -> None:
    """A service's result as indented JSON (``--json``)."""
    say(json.dumps(result, ensure_ascii=False, indent=2))


def _brief(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


@db_app.command("upgrade", cls=Command, options_metavar="[选项]")
def upgrade_command() -> None:
    """把数据库升级到当前版本（空数据库则建立全部表）；已是当前版本时什么也不做。"""
    from sqlalchemy.exc import SQLAlchemyError

    from jixiao.store import migrate
    from jixiao.store.db import Database

    try:
        database = Database()
        before, after = migrate.upgrade(database)
    except (SQLAlchemyError, OSError) as exc:
        say(f"数据库升级失败：{_brief(exc)}", err=True)
        raise typer.Exit(1) from None
    say(f"数据库：{shown_url(database)}")
    if before == after:
        say(f"已是当前版本：{after}")
    else:
        say(f"已升级：{before or '（空）'} → {after}")
    database.dispose()

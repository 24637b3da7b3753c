"""``jixiao worker``: run background jobs (imports of folders, batch checks) from the job queue in
PostgreSQL (``JIXIAO_JOBS=procrastinate``), on this machine or any other that reaches the
database. With the default ``JIXIAO_JOBS=thread`` the server runs its jobs itself and no worker
is needed. See docs/jobs.md."""

from __future__ import annotations

from typing import Annotated

import typer


def worker_command(
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, max=64, help="同时运行的任务数", metavar="数量")
    ] = 2,
    once: Annotated[bool, typer.Option("--once", help="处理完队列中已有的任务后退出（不等待新任务）")] = False,
    name: Annotated[
        str | None, typer.Option("--name", help="本工作进程的名称（日志中显示）", metavar="名称", show_default=False)
    ] = None,
) -> None:
    """运行后台任务（批量导入、批量审核）：从 PostgreSQL 中的任务队列取任务执行（需 JIXIAO_JOBS=procrastinate）。

    数据库取自 JIXIAO_DATABASE_URL。Ctrl+C 或 SIGTERM 停止：正在运行的任务先完成。
    """
    import logging
    import os

    from jixiao.services import queue
    from jixiao.services.errors import ServiceError
    from jixiao.store.db import Database

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    database = Database()
    try:
        queue.conninfo(database)
    except ServiceError as exc:
        typer.echo(f"错误：{exc.message}", err=True)
        raise typer.Exit(2) from None
    if os.environ.get("JIXIAO_JOBS", "thread").strip().lower() != "procrastinate":
        typer.echo("注意：本机未设置 JIXIAO_JOBS=procrastinate；提交任务的服务器须设置它，任务才会进入队列", err=True)
    typer.echo(f"jixiao worker：队列 {queue.QUEUE}，并发 {concurrency}，数据库 "
               f"{database.engine.url.render_as_string(hide_password=True)}", err=True)
    try:
        queue.run_worker(database, concurrency=concurrency, wait=not once, name=name)
    finally:
        database.dispose()
    typer.echo("jixiao worker：已停止", err=True)

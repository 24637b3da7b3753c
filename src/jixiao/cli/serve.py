"""``jixiao serve [--host 127.0.0.1] [--port 8000]``: the REST API (``/api/v1``, its documentation
at ``/api/docs``) and the web pages (``/``) on uvicorn, on the database of ``JIXIAO_DATABASE_URL`` /
``JIXIAO_DATA_DIR``.

uvicorn is given the app factory by name (``jixiao.server:create_app``): the command line does
not import the API or the web (the entry points sit side by side on ``services/``), and
``--workers`` can start several processes, each with its own app.
"""

from __future__ import annotations

from typing import Annotated

import typer

from jixiao.cli.output import say

APP_FACTORY = "jixiao.server:create_app"


def serve_command(
    host: Annotated[str, typer.Option("--host", help="监听地址", metavar="地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口", metavar="端口", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="进程数", metavar="个数", min=1)] = 1,
) -> None:
    """启动服务：REST 接口在 /api/v1，接口文档在 /api/docs（数据库取自 JIXIAO_DATABASE_URL 或 JIXIAO_DATA_DIR）。"""
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    say(f"jixiao 网页：http://{shown}:{port}/    接口：http://{shown}:{port}/api/v1    接口文档：http://{shown}:{port}/api/docs", err=True)
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers, proxy_headers=True,
                log_level="info")

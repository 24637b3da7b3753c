"""``jixiao demo [--data 文件夹]``: migrate the database, file the sample documents under a demo
region and print the demo logins (``make run`` runs it before ``jixiao serve``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.output import say


def demo_command(
    data: Annotated[Path, typer.Option("--data", help="示例文档所在文件夹（含 seeds/ 和 real/）", metavar="文件夹")] = Path(
        "tests/data"),
    url: Annotated[str, typer.Option("--url", help="服务地址（只用于打印）", metavar="地址")] = "http://127.0.0.1:8000",
) -> None:
    """建立演示数据：示例和真实文档归入演示地区的部门和单位，每个角色一个演示账号（密码每次重新生成）。"""
    from jixiao.services.demo import create_demo
    from jixiao.store.db import Database
    from jixiao.store.migrate import upgrade

    if not (data / "seeds").is_dir():
        say(f"{data}：找不到示例文档文件夹 seeds/", err=True)
        raise typer.Exit(2)
    database = Database()
    before, after = upgrade(database)
    if before != after:
        say(f"数据库已升级：{before or '空'} → {after}（{database.engine.url.render_as_string()}）")
    result = create_demo(database, data, progress=lambda name: say(f"导入 {name}", err=True))
    from jixiao.services.demo_monitoring import create_demo_monitoring

    round_ = create_demo_monitoring(database)
    created = sum(1 for r in result["documents"] if r["created"])
    say(f"演示文档：{len(result['documents'])} 个（本次新导入 {created} 个）")
    for file, message in result["failed"]:
        say(f"  未能导入 {file}：{message}", err=True)
    if round_:
        say(f"演示监控：{round_['title']}，{len(round_['sheets'])} 张监控表（部分已填报）")
    say("")
    say(f"服务地址：{url}/    API 文档：{url}/api/docs")
    say("演示账号（密码只显示这一次，再次运行 make run 会重新生成）：")
    width = max(len(u) for u, *_ in result["logins"])
    for username, role, org, password in result["logins"]:
        say(f"  {username.ljust(width)}  密码 {password}  {role}（{org}）")
    database.dispose()

"""``jixiao rule``: parse one 评（扣）分标准 and score one indicator with it.

The lead's ``jixiao/cli.py`` mounts it with :func:`register`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated

import typer

from jixiao.scoring.methods import PROFILES
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import parse_number
from jixiao.scoring.score import Score
from jixiao.scoring.score import coerce_target
from jixiao.scoring.score import normalise_op
from jixiao.scoring.score import score_indicator


def rule_command(
    text: Annotated[str, typer.Argument(help="评（扣）分标准原文，如“完成率小于60%不得分，…”")],
    weight: Annotated[str, typer.Option("--weight", "-w", help="指标分值，如 10")],
    target: Annotated[
        str | None, typer.Option("--target", "-t", help="年度指标值，如 95、≥95%、提升")
    ] = None,
    actual: Annotated[
        str | None, typer.Option("--actual", "-a", help="实际完成值，如 90、92%、推进较缓")
    ] = None,
    op: Annotated[
        str | None, typer.Option("--op", help="指标值类型：≥ > = < ≤ 定性（默认取自 --target，否则 ≥）")
    ] = None,
    profile: Annotated[str, typer.Option("--profile", help="计分口径：" + " / ".join(PROFILES))] = "default",
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """解析一条评（扣）分标准，并按目标值、实际值和分值计算得分。"""
    w = parse_number(weight)
    if w is None or w < 0:
        raise typer.BadParameter(f"分值“{weight}”不是非负数", param_hint="--weight")
    if profile not in PROFILES:
        raise typer.BadParameter(
            f"未知的计分口径“{profile}”，可选：{'、'.join(PROFILES)}", param_hint="--profile"
        )
    canonical = normalise_op(op) if op else None
    if op and canonical is None:
        raise typer.BadParameter(f"未知的指标值类型“{op}”", param_hint="--op")
    target_op, target_value = coerce_target(target) if target else (None, None)
    if canonical is None and target_op is None and target_value is not None:
        target_op = "≥"
    score = score_indicator(
        text, (canonical or target_op, target_value), actual, Decimal(w), PROFILES[profile]
    )
    if as_json:
        typer.echo(json.dumps(score.as_dict(), ensure_ascii=False, indent=2))
        return
    _print(score, text)


def _print(score: Score, text: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.print(f"[bold]评分标准[/bold]：{text}")
    if score.rule is not None:
        console.print(f"[bold]评分方法[/bold]：{score.family}（{score.rule.description}）")
        table = Table(show_header=True, header_style="bold")
        table.add_column("参数")
        table.add_column("值")
        for name, value in score.rule.params().items():
            if value is None:
                continue
            shown = "；".join(str(v) for v in value) if isinstance(value, list) else str(value)
            table.add_row(name, shown)
        console.print(table)
    else:
        console.print(f"[bold]评分方法[/bold]：[yellow]未解析[/yellow]，按默认方法 {score.family}")
        if score.reason:
            console.print(f"[bold]原因[/bold]：{score.reason}")
    style = "red" if score.needs_review else "green"
    console.print(f"[bold]得分[/bold]：[{style}]{score.score}[/{style}] / {num(score.weight)}")
    console.print(f"[bold]说明[/bold]：{score.explanation}")
    for finding in score.findings:
        if finding.message != score.reason:
            console.print(f"[dim]{finding.severity.label}[/dim] {finding.message}")


def register(app: typer.Typer) -> None:
    """Mount ``rule`` on the application."""
    app.command("rule")(rule_command)

"""``jixiao rule 评分标准 --weight W [--target T] [--actual A]``: parse one 评（扣）分标准 and score one
indicator with it. The text output names the scoring method and its parameters in Chinese
(``render/scoring_names.py``); ``--json`` keeps the stable English ids."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated

import typer

from jixiao.render.scoring_names import PARAM_NAMES
from jixiao.render.scoring_names import family_name
from jixiao.render.scoring_names import shown_value
from jixiao.scoring.methods import PROFILES
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import parse_number
from jixiao.scoring.score import Score
from jixiao.scoring.score import coerce_target
from jixiao.scoring.score import normalise_op
from jixiao.scoring.score import score_indicator


def rule_command(
    text: Annotated[str, typer.Argument(help="评（扣）分标准原文，如“完成率小于60%不得分，…”", metavar="评分标准")],
    weight: Annotated[str, typer.Option("--weight", "-w", help="指标分值，如 10", metavar="分值")],
    target: Annotated[
        str | None, typer.Option("--target", "-t", help="年度指标值，如 95、≥95%、提升", metavar="指标值", show_default=False)
    ] = None,
    actual: Annotated[
        str | None, typer.Option("--actual", "-a", help="实际完成值，如 90、92%、推进较缓", metavar="完成值", show_default=False)
    ] = None,
    op: Annotated[
        str | None,
        typer.Option("--op", help="指标值类型：≥ > = < ≤ 定性（默认取自 --target，否则 ≥）", metavar="类型", show_default=False),
    ] = None,
    profile: Annotated[
        str, typer.Option("--profile", help="计分口径：" + " / ".join(PROFILES), metavar="口径")
    ] = "default",
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """解析一条评（扣）分标准，并按指标值、实际完成值和分值计算得分，给出计算过程。"""
    w = parse_number(weight)
    if w is None or w < 0:
        raise typer.BadParameter(f"分值“{weight}”不是非负数", param_hint="--weight")
    if profile not in PROFILES:
        raise typer.BadParameter(f"未知的计分口径“{profile}”，可选：{'、'.join(PROFILES)}", param_hint="--profile")
    canonical = normalise_op(op) if op else None
    if op and canonical is None:
        raise typer.BadParameter(f"未知的指标值类型“{op}”", param_hint="--op")
    target_op, target_value = coerce_target(target) if target else (None, None)
    if canonical is None and target_op is None and target_value is not None:
        target_op = "≥"
    score = score_indicator(text, (canonical or target_op, target_value), actual, Decimal(w), PROFILES[profile])
    if as_json:
        typer.echo(json.dumps(score.as_dict(), ensure_ascii=False, indent=2))
        return
    print_score(score, text)


def print_score(score: Score, text: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    from jixiao.cli.output import stdout_console

    console = stdout_console()
    console.print(f"[bold]评分标准[/bold]：{escape(text)}")
    if score.rule is not None:
        name, description = family_name(score.family), score.rule.description
        method = description if description.startswith(name) else f"{name}（{description}）"
        console.print(f"[bold]评分方法[/bold]：{escape(method)}")
        table = Table(show_header=True, header_style="bold")
        table.add_column("参数")
        table.add_column("值")
        for name, value in score.rule.params().items():
            if value is None or value == [] or value == ():
                continue
            table.add_row(PARAM_NAMES.get(name, name), escape(shown_value(name, value)))
        console.print(table)
    else:
        console.print(f"[bold]评分方法[/bold]：[yellow]未解析[/yellow]，按{family_name(score.family)}")
        if score.reason:
            console.print(f"[bold]原因[/bold]：{escape(score.reason)}")
    style = "red" if score.needs_review else "green"
    console.print(f"[bold]得分[/bold]：[{style}]{score.score}[/{style}] / {num(score.weight)}")
    console.print(f"[bold]说明[/bold]：{escape(score.explanation)}")
    for finding in score.findings:
        if finding.message != score.reason:
            console.print(f"[dim]{finding.severity.label}[/dim] {escape(finding.message)}")

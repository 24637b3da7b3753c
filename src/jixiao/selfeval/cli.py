"""``jixiao selfeval template | score``. The lead's ``jixiao/cli.py`` mounts them with :func:`register`.

Exit status: 1 when FILE or the actuals file cannot be read, FILE has no target table, or the
actuals file does not match FILE (the unmatched rows are listed on stderr); 0 otherwise —
findings about the scores themselves (missing actuals, deviations, weights) do not fail the run.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated
from typing import Any

import typer

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.scoring import PROFILES
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import round2

_FATAL = {"file-unreadable", "file-empty", "file-binary", "file-too-large"}

selfeval_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="单位自评：生成实际完成值填报模板，按评（扣）分标准打分并生成自评表。",
)


def _fail(findings: list[Finding]) -> None:
    from jixiao.render.findings_text import format_line

    for f in findings:
        typer.echo(format_line(f), err=True)
    raise typer.Exit(1)


def _load(path: Path, encoding: str | None):
    """Parse FILE; exit 1 unless it has at least one target set."""
    from jixiao.pipeline import parse_file
    from jixiao.selfeval.template import set_entries

    doc, findings = parse_file(path, name=path.name, encoding=encoding)
    fatal = [f for f in findings if f.code in _FATAL]
    if doc is None or fatal:
        _fail(fatal or findings)
    if not any(s.target_set.indicators for s in set_entries(doc)):
        _fail([make("selfeval-no-targets", None, file=path.name)])
    return doc


@selfeval_app.command("template")
def template_command(
    file: Annotated[Path, typer.Argument(help="绩效目标表文件（.txt）")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出的填报模板（默认：<文件名>-实际完成值.xlsx）")
    ] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="文本编码（默认 UTF-8），如 gbk")] = None,
) -> None:
    """生成实际完成值填报模板：每个三级指标一行，另有预算执行表和填写说明。"""
    from jixiao.selfeval.template import write_template

    doc = _load(file, encoding)
    output = output or Path(f"{file.stem}-实际完成值.xlsx")
    indicators, sets = write_template(doc, output)
    typer.echo(f"已生成 {output}：{sets} 个项目/单位，{indicators} 个绩效指标。请填写浅黄色单元格。")


@selfeval_app.command("score")
def score_command(
    file: Annotated[Path, typer.Argument(help="绩效目标表文件（.txt）")],
    actuals: Annotated[Path, typer.Option("--actuals", "-a", help="填好的实际完成值文件（.xlsx）")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="生成自评表（.xlsx）")] = None,
    profile: Annotated[str, typer.Option("--profile", help="计分口径：" + " / ".join(PROFILES))] = "default",
    encoding: Annotated[str | None, typer.Option("--encoding", help="文本编码（默认 UTF-8），如 gbk")] = None,
) -> None:
    """按评（扣）分标准为每个指标打分，加预算执行率得分，给出总分和等级。"""
    from jixiao.selfeval.actuals import match_actuals
    from jixiao.selfeval.actuals import read_actuals
    from jixiao.selfeval.scorecard import score_document

    if profile not in PROFILES:
        raise typer.BadParameter(
            f"未知的计分口径“{profile}”，可选：{'、'.join(PROFILES)}", param_hint="--profile"
        )
    doc = _load(file, encoding)
    book, problems = read_actuals(actuals)
    if book is None:
        _fail(problems)
    match = match_actuals(doc, book, file.name)
    if not match.ok:
        typer.echo(f"实际完成值文件 {actuals} 与 {file} 不匹配：", err=True)
        _fail([f for f in match.findings if f.severity.value == "error"])
    card = score_document(doc, match, PROFILES[profile])
    if output is not None:
        from jixiao.selfeval.report_xlsx import write_report

        write_report(card, output)
    if as_json:
        json.dump(scorecard_json(card), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        if output is not None:
            typer.echo(f"已生成自评表 {output}", err=True)
    else:
        print_scorecard(card)
        if output is not None:
            typer.echo(f"已生成自评表 {output}")


def _s(value: Decimal | None) -> str | None:
    return None if value is None else num(value)


def _rate(rate: Decimal | None) -> str | None:
    return None if rate is None else f"{round2(rate * 100)}%"


def scorecard_json(card) -> dict[str, Any]:
    """The scorecard as plain JSON data; every decimal is a string."""
    sets = []
    for s in card.sets:
        ts, x = s.entry.target_set, s.execution
        indicators = []
        for item in s.indicators:
            i, score = item.entry.indicator, item.score
            indicators.append(
                {
                    "name": i.name,
                    "level1": i.level1,
                    "level2": i.level2,
                    "target": i.target.text,
                    "actual": None if item.actual is None else str(item.actual),
                    "weight": _s(item.weight),
                    "score": None if item.points is None else str(item.points),
                    "family": score.family if score else None,
                    "parsed": score.parsed if score else False,
                    "needs_review": score.needs_review if score else True,
                    "explanation": item.explanation,
                    "key": item.entry.key,
                }
            )
        sets.append(
            {
                "table": s.entry.kind_label,
                "unit_code": ts.unit_code,
                "unit": ts.unit,
                "project": ts.project,
                "weight_rule": s.weight_rule,
                "indicators": indicators,
                "execution": {
                    "initial": _s(x.initial),
                    "budget": _s(x.budget),
                    "spent": _s(x.spent),
                    "rate": _rate(x.rate),
                    "score": str(x.score.score),
                    "explanation": x.score.explanation,
                },
                "total": str(s.total),
                "grade": s.grade,
            }
        )
    return {
        "source": card.source,
        "profile": card.profile.name,
        "target_sets": sets,
        "findings": [f.as_dict() for f in card.findings],
    }


def _method(item) -> str:
    if item.score is None:
        return "未计分"
    return item.score.family + (
        "" if item.score.parsed else "（评分标准未采用）" if item.entry.indicator.scoring else ""
    )


def print_scorecard(card) -> None:
    from rich.console import Console
    from rich.table import Table

    from jixiao.render.findings_text import format_line
    from jixiao.render.findings_text import summary

    console = Console(highlight=False)
    colors = {"优": "green", "良": "cyan", "中": "yellow", "差": "red"}
    for s in card.sets:
        ts = s.entry.target_set
        head = " ".join(p for p in (f"[{s.entry.kind_label}]", ts.unit_code, ts.unit, ts.project) if p)
        color = colors.get(s.grade, "white")
        console.print(
            f"\n[bold]{head}[/bold]  总分 [{color}]{s.total}[/{color}]  等级 [{color}]{s.grade}[/{color}]"
        )
        table = Table(show_header=True, header_style="bold")
        for column in ("三级指标", "指标值", "实际", "分值", "得分", "方法"):
            table.add_column(column)
        for item in s.indicators:
            i = item.entry.indicator
            mark = "" if item.achieved else "[yellow]"
            table.add_row(
                i.name,
                i.target.text,
                "" if item.actual is None else str(item.actual),
                _s(item.weight) or "—",
                f"{mark}{'—' if item.points is None else item.points}",
                _method(item),
            )
        x = s.execution
        table.add_row(
            "预算执行率",
            _s(x.budget) or "",
            _s(x.spent) or "",
            num(card.profile.execution_weight),
            str(x.score.score),
            _rate(x.rate) or "",
        )
        console.print(table)
    if card.findings:
        console.print("\n[bold]检查发现[/bold]")
        for f in card.findings:
            console.print(format_line(f), markup=False)
        console.print(summary(card.findings))


def register(app: typer.Typer) -> None:
    """Mount ``selfeval template`` and ``selfeval score`` on the application."""
    app.add_typer(selfeval_app, name="selfeval")

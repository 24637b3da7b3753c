"""A 自评 scorecard as JSON data and as readable tables (``jixiao selfeval score``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console

from jixiao.render.scoring_names import family_name
from jixiao.scoring.numbers import num
from jixiao.scoring.numbers import round2


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
    return family_name(item.score.family) + (
        "" if item.score.parsed else "（评分标准未采用）" if item.entry.indicator.scoring else ""
    )


def print_scorecard(card, console: Console | None = None) -> None:
    """Each target set's indicators, scores, total and grade; then the findings."""
    from rich.table import Table

    from jixiao.render.findings_text import format_line
    from jixiao.render.findings_text import summary

    console = console or Console(highlight=False)
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

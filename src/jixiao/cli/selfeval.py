"""``jixiao selfeval template | score``: the actuals template of a 绩效目标表, and its 自评 scores.

Both take files and folders. One file: ``-o`` names the output file (or a folder to write it
in). Several files: ``-o`` names a folder (made when missing) where each file's output keeps its
subfolder and is named ``<name>-实际完成值.xlsx`` (template) or ``<name>-自评表.xlsx`` (score);
``score --actuals`` then names the folder the filled templates are in, under the same names, so
that ``selfeval template 目标表/ -o 填报/`` and ``selfeval score 目标表/ --actuals 填报/`` pair up.

Exit status: 1 when a file or its actuals file cannot be read, a file has no target table, or
the actuals file does not match it (the unmatched rows are listed); 0 otherwise — findings about
the scores themselves (missing actuals, deviations, weights) do not fail the run.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli import options as opt
from jixiao.cli.batch import Batch
from jixiao.cli.batch import FileResult
from jixiao.cli.batch import derived_paths
from jixiao.cli.batch import exit_status
from jixiao.cli.batch import expand
from jixiao.cli.batch import files_section
from jixiao.cli.batch import print_summary
from jixiao.cli.batch import read_document
from jixiao.cli.batch import run
from jixiao.cli.output import fail
from jixiao.cli.output import output_problem
from jixiao.cli.output import say
from jixiao.cli.output import stdout_console
from jixiao.cli.output import write_stdout
from jixiao.cli.usage import Command
from jixiao.cli.usage import typer_app
from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.scoring import PROFILES

TEMPLATE_SUFFIX = "-实际完成值.xlsx"
REPORT_SUFFIX = "-自评表.xlsx"

selfeval_app = typer_app(
    add_completion=False,
    no_args_is_help=True,
    help="单位自评：生成实际完成值填报模板，按评（扣）分标准打分并生成自评表。",
)


def _lines(findings: list[Finding]) -> str:
    from jixiao.render.findings_text import format_line

    return "\n".join(format_line(f) for f in findings)


def _load(path: Path, name: str, encoding: str | None, preread: tuple | None = None):
    """(doc | None, result): the parsed file, or a failed result (unreadable, no target table)."""
    from jixiao.selfeval.template import set_entries

    # locations and template keys name the file without its folder, as the template records them
    doc, findings, fmt = read_document(path, path.name, encoding, preread)
    result = FileResult(name, format=fmt, findings=findings, tables=len(doc.tables) if doc else 0)
    if doc is None:
        return None, result
    if not any(s.target_set.indicators for s in set_entries(doc)):
        problem = make("selfeval-no-targets", None, file=path.name)
        result.findings = [*findings, problem]
        return None, result.fail([problem])
    return doc, result


def template_work(path: Path, name: str, *, encoding: str | None, out: str, preread: tuple | None = None) -> FileResult:
    from jixiao.selfeval.template import write_template

    doc, result = _load(path, name, encoding, preread)
    if doc is None:
        return result
    target = Path(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        indicators, sets = write_template(doc, target)
    except OSError as exc:
        return result.fail([make("output-unwritable", None, file=out, reason=exc.strerror or str(exc))])
    result.output = f"已生成 {out}：{sets} 个项目/单位，{indicators} 个绩效指标。请填写浅黄色单元格。"
    return result


def score_work(path: Path, name: str, *, encoding: str | None, actuals: str, report: str | None, profile: str,
               as_json: bool, width: int, color: str | None, preread: tuple | None = None) -> FileResult:
    from jixiao.selfeval.actuals import match_actuals
    from jixiao.selfeval.actuals import read_actuals
    from jixiao.selfeval.scorecard import score_document

    doc, result = _load(path, name, encoding, preread)
    if doc is None:
        return result
    if not Path(actuals).is_file():
        return result.fail([make("file-not-found", None, file=actuals)])
    book, problems = read_actuals(actuals)
    if book is None:
        result.findings += problems
        return result.fail(problems)
    match = match_actuals(doc, book, path.name)
    if not match.ok:
        errors = [f for f in match.findings if f.severity.value == "error"]
        result.fail(errors)
        result.message = f"实际完成值文件 {actuals} 与 {name} 不匹配：\n{_lines(errors)}"
        return result
    card = score_document(doc, match, PROFILES[profile])
    result.findings = [*result.findings, *card.findings]
    notes = []
    if report is not None:
        from jixiao.write.formats import write
        from jixiao.write.pdf import PdfError
        from jixiao.write.selfeval_table import build_selfeval_table

        try:
            Path(report).parent.mkdir(parents=True, exist_ok=True)
            fmt = Path(report).suffix.lower().lstrip(".")  # 自评表.docx / .pdf: that format, else XLSX
            Path(report).write_bytes(write(build_selfeval_table(card), fmt if fmt in ("docx", "pdf") else "xlsx"))
        except (OSError, PdfError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            return result.fail([make("output-unwritable", None, file=report, reason=reason)])
        notes.append(f"已生成自评表 {report}")
    if as_json:
        from jixiao.render.scorecard import scorecard_json

        result.output = (scorecard_json(card), notes)
    else:
        from rich.console import Console

        from jixiao.render.scorecard import print_scorecard

        buffer = io.StringIO()
        console = Console(file=buffer, width=width, force_terminal=color is not None, color_system=color,
                          highlight=False, soft_wrap=True)
        print_scorecard(card, console)
        result.output = (buffer.getvalue(), notes)
    return result


def _destinations(batch: Batch, output: Path | None, suffix: str, *, required: bool) -> dict[str, Path] | None:
    """Each input's output file: ``-o`` itself for one file (or inside ``-o`` when it is a folder),
    else under the folder ``-o`` (made when missing), else beside the current folder."""
    inputs = batch.inputs
    if output is None and not required:
        return None
    single = not batch.is_batch and len(inputs) == 1
    if single and output is not None and not output.is_dir():
        problem = output_problem(output, f"{inputs[0].relative.stem}{suffix}")
        if problem is not None:
            fail([problem], code=2)
        return {inputs[0].name: output}
    if output is not None and output.exists() and not output.is_dir():
        fail([make("output-needs-folder", None, file=str(output), count=len(inputs))], code=2)
    return derived_paths(inputs, output or Path("."), suffix)


@selfeval_app.command("template", cls=Command, options_metavar="[选项]")
def template_command(
    files: opt.Files,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="输出", show_default=False,
                     help="填报模板文件；多个文件时为文件夹（默认：当前文件夹，<文件名>-实际完成值.xlsx）"),
    ] = None,
    encoding: opt.Encoding = None,
    jobs: opt.Jobs = None,
) -> None:
    """生成实际完成值填报模板：每个三级指标一行，另有预算执行表和填写说明。"""
    batch = expand(files)
    targets = _destinations(batch, output, TEMPLATE_SUFFIX, required=True) or {}
    for item in batch.inputs:
        item.extra = {"out": str(targets[item.name])}
    results = []
    for result in run(batch, template_work, {"encoding": encoding}, jobs=jobs, label="生成模板"):
        results.append(result)
        if result.ok:
            say(result.output)
        else:
            say(result.message, err=True)
    if batch.is_batch:
        print_summary(results, batch)
    raise typer.Exit(exit_status(results))


@selfeval_app.command("score", cls=Command, options_metavar="[选项]")
def score_command(
    files: opt.Files,
    actuals: Annotated[
        Path, typer.Option("--actuals", "-a", metavar="实际完成值", show_default=False,
                           help="填好的实际完成值文件（.xlsx）；多个文件时为存放这些文件的文件夹")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（含 files 一节：每个文件的状态和原因）")] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="自评表", show_default=False,
                     help="生成自评表（.xlsx）；多个文件时为文件夹（<文件名>-自评表.xlsx）"),
    ] = None,
    profile: Annotated[str, typer.Option("--profile", metavar="口径", help="计分口径：" + " / ".join(PROFILES))] = "default",
    encoding: opt.Encoding = None,
    jobs: opt.Jobs = None,
) -> None:
    """按评（扣）分标准为每个指标打分，加预算执行率得分，给出总分和等级。"""
    if profile not in PROFILES:
        raise typer.BadParameter(f"未知的计分口径“{profile}”，可选：{'、'.join(PROFILES)}", param_hint="--profile")
    batch = expand(files)
    reports = _destinations(batch, output, REPORT_SUFFIX, required=False)
    single = not batch.is_batch and len(batch.inputs) == 1
    if single and not actuals.is_dir():
        sources = {batch.inputs[0].name: actuals}
    elif actuals.is_dir():
        sources = derived_paths(batch.inputs, actuals, TEMPLATE_SUFFIX)
    elif not actuals.exists():
        fail([make("file-not-found", None, file=str(actuals))])
    else:
        raise typer.BadParameter(f"输入有 {len(batch.inputs)} 个文件，--actuals 应为存放实际完成值文件的文件夹", param_hint="--actuals")
    for item in batch.inputs:
        report = reports.get(item.name) if reports else None
        item.extra = {"actuals": str(sources[item.name]), "report": str(report) if report else None}
    console = stdout_console()
    to_terminal = console.is_terminal
    options = {"encoding": encoding, "profile": profile, "as_json": as_json,
               "width": console.width if to_terminal else 100_000, "color": console.color_system if to_terminal else None}
    results: list[FileResult] = []
    cards = []
    for result in run(batch, score_work, options, jobs=jobs, label="自评打分"):
        results.append(result)
        if not result.ok:
            say(result.message, err=True)
            continue
        shown, notes = result.output
        if as_json:
            cards.append(shown)
            for note in notes:
                say(note, err=True)
        else:
            write_stdout(shown)
            for note in notes:
                say(note)
    if as_json:
        write_stdout(json.dumps({"scorecards": cards, "files": files_section(results)}, ensure_ascii=False, indent=1) + "\n")
    if batch.is_batch:
        print_summary(results, batch)
    raise typer.Exit(exit_status(results))

"""``jixiao export 种类 …``: an official document written in its prescribed layout, as XLSX, DOCX or PDF.

Two sources, one command:

* **files** (no database): ``jixiao export targets 目标表.docx -o 目标表.xlsx`` reads and parses the
  file and writes it again in the official layout (``disclosure``: the 预算公开 package from a file's
  budget tables, ``--previous`` the year before's for the change sentences); ``jixiao export review
  文件或文件夹… -o 审核意见书.docx`` checks the files as ``jixiao check`` does and writes one 审核意见书 of
  all of them; ``selfeval-table`` / ``selfeval-report`` score a target table with its filled actuals
  template (``--actuals``) as ``jixiao selfeval score`` does;
* **stored documents** (the database of the environment, as ``jixiao import`` uses it):
  ``--document 12`` (several for a 审核意见书), ``--target-set 5`` for one target set.

The format is ``--format``, else the suffix of ``-o``, else docx. ``-o`` names the file (or a
folder to write it in, under the name the service gives it); without ``-o`` the file is written
in the current folder under that name. The path written is printed on stdout.

Every kind is a function of :mod:`jixiao.services.official_documents` (stored documents: the same the
API and the web pages call) or :mod:`jixiao.services.official_files` (files). Exit status: 0 written; 1 when the source cannot be read or the kind does not apply
to it (a message on stderr says why); 2 on bad usage.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.output import check_output
from jixiao.cli.output import say

KINDS = {
    "targets": "绩效目标表",
    "review": "审核意见书",
    "disclosure": "预算公开文件",
    "selfeval-table": "自评表",
    "selfeval-report": "自评报告",
}
FORMATS = ("xlsx", "docx", "pdf")


class Kind(StrEnum):
    targets = "targets"
    review = "review"
    disclosure = "disclosure"
    selfeval_table = "selfeval-table"
    selfeval_report = "selfeval-report"


class Format(StrEnum):
    xlsx = "xlsx"
    docx = "docx"
    pdf = "pdf"


def _usage(message: str):
    say(message, err=True)
    raise typer.Exit(2)


def _format(fmt: Format | None, output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output is not None and not output.is_dir() else ""
    if fmt is not None:
        if suffix in FORMATS and suffix != fmt.value:
            _usage(f"输出文件 {output} 的扩展名与 --format {fmt.value} 不一致")
        return fmt.value
    return suffix if suffix in FORMATS else "docx"


def _destination(output: Path | None, name: str) -> Path:
    if output is None:
        return Path(name)
    if output.is_dir():
        return output / name
    return output


def _from_files(kind: str, files: list[Path], fmt: str, options: dict) -> tuple[str, str, bytes]:
    from jixiao.cli.batch import FileResult
    from jixiao.cli.batch import expand
    from jixiao.services import official_files as of

    batch = expand(files)
    failed = [i for i in batch.items if isinstance(i, FileResult) and i.status == "failed"]
    if failed:
        say(failed[0].message, err=True)
        raise typer.Exit(1)
    paths = [i.path for i in batch.inputs]
    if kind == "review":
        return of.review_opinion_of_files(paths, fmt, profile=options["rules"])
    if len(paths) != 1:
        _usage(f"{KINDS[kind]}一次从一个文件导出（给了 {len(paths)} 个）")
    if kind == "targets":
        return of.target_table_of_file(paths[0], fmt)
    if kind == "disclosure":
        return of.disclosure_package_of_file(paths[0], fmt, province=options["province"], previous=options["previous"])
    if options["actuals"] is None:
        _usage(f"从文件导出{KINDS[kind]}需要 --actuals：填好的实际完成值表（jixiao selfeval template 生成）")
    return of.selfeval_of_file(paths[0], options["actuals"], fmt, report=kind == "selfeval-report",
                               profile=options["scoring"])


def _from_database(kind: str, documents: list[int], target_set: int | None, fmt: str,
                   options: dict) -> tuple[str, str, bytes]:
    from jixiao.cli.db import open_database
    from jixiao.services import official_documents as od
    from jixiao.services.context import Ctx

    if kind == "review":
        if target_set is not None or not documents:
            _usage("审核意见书按文档导出：请用 --document 指定文档编号（可多个）")
    elif len(documents) + (target_set is not None) != 1:
        _usage(f"{KINDS[kind]}请指定一个文档（--document）或一个绩效目标（--target-set）")
    elif target_set is not None and kind in ("disclosure", "selfeval-report"):
        _usage(f"{KINDS[kind]}按文档导出：请用 --document 指定文档编号")
    database = open_database()
    try:
        ctx = Ctx(database)
        if kind == "review":
            return od.review_opinion(ctx, documents, fmt)
        if kind == "targets":
            return od.target_table(ctx, documents[0] if documents else None, fmt, target_set_id=target_set)
        if kind == "disclosure":
            return od.disclosure_package(ctx, documents[0], fmt, province=options["province"])
        if kind == "selfeval-table":
            return od.selfeval_table(ctx, fmt, target_set_id=target_set, document_id=documents[0] if documents else None)
        return od.selfeval_report(ctx, documents[0], fmt)
    finally:
        database.dispose()


def export_command(
    kind: Annotated[Kind, typer.Argument(
        metavar="种类", show_default=False,
        help="targets 绩效目标表、review 审核意见书、disclosure 预算公开文件、selfeval-table 自评表、"
             "selfeval-report 部门整体支出绩效自评报告")],
    files: Annotated[list[Path] | None, typer.Argument(
        metavar="文件…", show_default=False,
        help="从文件导出（不用数据库）：读取、解析后按规定格式写出；审核意见书可给多个文件或文件夹")] = None,
    document: Annotated[list[int] | None, typer.Option(
        "--document", "-d", metavar="文档编号", show_default=False,
        help="从数据库导出已导入的文档（审核意见书可给多个）")] = None,
    target_set: Annotated[int | None, typer.Option(
        "--target-set", "-t", metavar="绩效目标编号", show_default=False, help="只导出文档中的一个绩效目标")] = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", metavar="格式", show_default=False,
        help="xlsx、docx 或 pdf（默认按 -o 的扩展名，否则 docx）")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="输出", show_default=False,
        help="写入的文件，或写入的文件夹（文件名自动生成）；默认写在当前文件夹")] = None,
    actuals: Annotated[Path | None, typer.Option(
        "--actuals", "-a", metavar="实际完成值", show_default=False,
        help="自评表、自评报告从文件导出时：填好的实际完成值表（jixiao selfeval template 生成）")] = None,
    scoring: Annotated[str, typer.Option("--scoring", metavar="口径", help="自评：计分口径")] = "default",
    province: Annotated[str | None, typer.Option(
        "--province", metavar="地区", show_default=False,
        help="预算公开文件的格式：hunan（湖南十张表）或 shanghai（上海九张表）；默认按表格判断")] = None,
    previous: Annotated[Path | None, typer.Option(
        "--previous", metavar="上年文件", show_default=False,
        help="预算公开文件从文件导出时：上年的预算公开文件（说明中的“比上年增减”由它计算）")] = None,
    rules: Annotated[str, typer.Option("--rules", metavar="规则集", help="审核意见书：审核用的规则集")] = "all",
) -> None:
    """按规定格式导出公文：绩效目标表、审核意见书、预算公开文件、自评表、自评报告，XLSX、DOCX 或 PDF。

    来源是文件（不用数据库），或数据库中已导入的文档（--document、--target-set）。
    例：jixiao export targets 目标表.docx -o 目标表.xlsx；
    jixiao export review 申报材料/ -o 审核意见书.docx；jixiao export review -d 12 -d 13 -f pdf；
    jixiao export selfeval-table 目标表.docx --actuals 实际完成值.xlsx -o 自评表.pdf。
    """
    from jixiao.cli.db import service_failed
    from jixiao.services.errors import ServiceError

    documents = list(document or [])
    if files and (documents or target_set is not None):
        _usage("请只给一种来源：文件，或 --document / --target-set")
    if not files and not documents and target_set is None:
        _usage("请给出要导出的文件，或用 --document / --target-set 指定数据库中的文档")
    fmt_value = _format(fmt, output)
    if output is not None and not output.is_dir():
        check_output(output, f"{KINDS[kind.value]}.{fmt_value}")
    options = {"actuals": actuals, "scoring": scoring, "province": province, "previous": previous, "rules": rules}
    try:
        if files:
            name, _media, data = _from_files(kind.value, list(files), fmt_value, options)
        else:
            name, _media, data = _from_database(kind.value, documents, target_set, fmt_value, options)
    except ServiceError as exc:
        service_failed(exc)
    target = _destination(output, name)
    try:
        target.write_bytes(data)
    except OSError as exc:
        say(f"无法写入 {target}：{exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    say(str(target))

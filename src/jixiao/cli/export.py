"""``jixiao export 种类 …``: an official document written in its prescribed layout, as XLSX, DOCX or PDF.

Two sources, one command:

* **files** (no database): ``jixiao export targets 目标表.docx -o 目标表.xlsx`` reads and parses the
  file and writes it again in the official layout; ``jixiao export review 文件或文件夹… -o 审核意见书.docx``
  checks the files as ``jixiao check`` does and writes one 审核意见书 of all of them;
* **stored documents** (the database of the environment, as ``jixiao import`` uses it):
  ``--document 12`` (several for a 审核意见书), ``--target-set 5`` for one target set.

The format is ``--format``, else the suffix of ``-o``, else docx. ``-o`` names the file (or a
folder to write it in, under the name the service gives it); without ``-o`` the file is written
in the current folder under that name. The path written is printed on stdout.

Every kind is a function of :mod:`jixiao.services.official_documents` (the same the API and the web
pages call). Exit status: 0 written; 1 when the source cannot be read or the kind does not apply
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
}
FORMATS = ("xlsx", "docx", "pdf")


class Kind(StrEnum):
    targets = "targets"
    review = "review"


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


def _from_files(kind: str, files: list[Path], fmt: str, profile: str) -> tuple[str, str, bytes]:
    from jixiao.cli.batch import FileResult
    from jixiao.cli.batch import expand
    from jixiao.services import official_documents as od

    batch = expand(files)
    failed = [i for i in batch.items if isinstance(i, FileResult) and i.status == "failed"]
    if failed:
        say(failed[0].message, err=True)
        raise typer.Exit(1)
    paths = [i.path for i in batch.inputs]
    if kind == "review":
        return od.review_opinion_of_files(paths, fmt, profile=profile)
    if len(paths) != 1:
        _usage(f"{KINDS[kind]}一次从一个文件导出（给了 {len(paths)} 个）")
    return od.target_table_of_file(paths[0], fmt)


def _from_database(kind: str, documents: list[int], target_set: int | None, fmt: str) -> tuple[str, str, bytes]:
    from jixiao.cli.db import open_database
    from jixiao.services import official_documents as od
    from jixiao.services.context import Ctx

    database = open_database()
    try:
        ctx = Ctx(database)
        if kind == "review":
            if target_set is not None:
                _usage("审核意见书按文档导出：请用 --document 指定文档编号")
            return od.review_opinion(ctx, documents, fmt)
        if len(documents) + (target_set is not None) != 1:
            _usage(f"{KINDS[kind]}请指定一个文档（--document）或一个绩效目标（--target-set）")
        if target_set is not None:
            return od.target_table(ctx, None, fmt, target_set_id=target_set)
        return od.target_table(ctx, documents[0], fmt)
    finally:
        database.dispose()


def export_command(
    kind: Annotated[Kind, typer.Argument(metavar="种类", show_default=False,
                                         help="targets 绩效目标表、review 审核意见书")],
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
    profile: Annotated[str, typer.Option("--profile", metavar="规则集", help="审核意见书：审核用的规则集")] = "all",
) -> None:
    """按规定格式导出公文：绩效目标表、审核意见书，XLSX、DOCX 或 PDF。

    来源是文件（不用数据库），或数据库中已导入的文档（--document、--target-set）。
    例：jixiao export targets 目标表.docx -o 目标表.xlsx；
    jixiao export review 申报材料/ -o 审核意见书.docx；jixiao export review -d 12 -d 13 -f pdf。
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
    try:
        if files:
            name, _media, data = _from_files(kind.value, list(files), fmt_value, profile)
        else:
            name, _media, data = _from_database(kind.value, documents, target_set, fmt_value)
    except ServiceError as exc:
        service_failed(exc)
    target = _destination(output, name)
    try:
        target.write_bytes(data)
    except OSError as exc:
        say(f"无法写入 {target}：{exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    say(str(target))

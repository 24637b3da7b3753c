"""``jixiao convert 文件 --to text|json [-o 输出]``: the grid a reader produced, for debugging a layout.

``--to text`` is the text dump whose line numbers the locations of non-text sources name
(``readers/dump.py``); ``--to json`` shows every table with its rows' locations and merged
regions, and every paragraph. Nothing is parsed: this is what the readers saw.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli import options as opt
from jixiao.cli.output import check_output
from jixiao.cli.output import fail
from jixiao.cli.output import say
from jixiao.cli.output import write_stdout
from jixiao.cli.output import write_text


class Target(StrEnum):
    text = "text"
    json = "json"


def convert_command(
    file: Annotated[Path, typer.Argument(help="要转换的文件（任何支持的格式）", metavar="文件", show_default=False)],
    to: Annotated[Target, typer.Option("--to", "-t", help="text：带行号定位的文本；json：表格、行、合并单元格和段落", metavar="格式")] = Target.text,
    output: opt.Output = None,
    encoding: opt.Encoding = None,
) -> None:
    """显示读取器从文件中读出的表格和段落（不做解析），用于排查版式问题。"""
    from jixiao.readers.dump import to_json
    from jixiao.readers.dump import to_text
    from jixiao.readers.files import read_file

    check_output(output, f"{file.stem}.{'txt' if to is Target.text else 'json'}")
    raw, findings = read_file(file, name=str(file), encoding=encoding)
    if raw is None:
        fail(findings)
    for f in findings:  # notes about a file that was read (its encoding, parts skipped)
        say(f.message, err=True)
    text = to_text(raw) if to is Target.text else json.dumps(to_json(raw), ensure_ascii=False, indent=1) + "\n"
    if output is None:
        write_stdout(text)
    else:
        write_text(output, text)
        say(f"已写入 {output}", err=True)

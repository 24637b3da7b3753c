"""Arguments and options shared by the commands, with Chinese help and metavars."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Files = Annotated[
    list[Path],
    typer.Argument(
        help="文件或文件夹（可多个；文件夹含子文件夹）。格式按内容识别：PDF、Word、Excel、WPS、网页、CSV、纯文本",
        metavar="文件或文件夹…",
        show_default=False,
    ),
]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="写入文件，而不是显示在屏幕上", metavar="输出文件", show_default=False),
]
Encoding = Annotated[
    str | None,
    typer.Option("--encoding", help="纯文本和 CSV 的编码（默认自动识别 UTF-8、GBK）", metavar="编码", show_default=False),
]
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="同时处理的文件数（默认：CPU 核数；1 = 逐个处理）", metavar="N",
                 show_default=False),
]

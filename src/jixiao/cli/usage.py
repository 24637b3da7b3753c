"""Usage and help that read naturally in Chinese: ``用法：jixiao check [选项] 文件或文件夹…``.

Typer (and the click it carries) prints English framing around our Chinese help: panel titles,
``Usage:``, ``[default: …]`` and usage errors (``Missing argument …``). The command classes
here write the usage line in Chinese, and :func:`install` translates the panel titles and the
common usage errors. Everything else (the help texts, metavars) is written in Chinese where the
commands are declared.
"""

from __future__ import annotations

import re

import typer
from typer.core import TyperCommand
from typer.core import TyperGroup

USAGE_PREFIX = "用法："
HELP_TEXT = "显示帮助并退出"


def _usage(pieces: list[str]) -> str:
    """``{文件或文件夹…}...`` → ``文件或文件夹…``: required arguments bare, one ellipsis."""
    out = []
    for piece in pieces:
        piece = re.sub(r"\{([^{}]+)\}", r"\1", piece)
        if piece.endswith("…..."):
            piece = piece[:-3]
        out.append(piece.replace("...", "…"))
    return " ".join(out)


class _Chinese:
    """Usage line and --help option in Chinese, for commands and groups alike."""

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, _usage(self.collect_usage_pieces(ctx)), prefix=USAGE_PREFIX)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class Command(_Chinese, TyperCommand):
    pass


class Group(_Chinese, TyperGroup):
    pass


# usage errors of click, in Chinese (the first pattern that matches the whole message wins)
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), replacement)
    for pattern, replacement in (
        (r"Missing argument '(.+)'\.(.*)", r"缺少参数 '\1'。\2"),
        (r"Missing option '(.+)'\.(.*)", r"缺少选项 '\1'。\2"),
        (r"Missing parameter: (.+)", r"缺少参数 \1"),
        (r"No such option: (\S+?)(?: Did you mean (\S+?)\?| \(Possible options: (.+)\))?", r"没有这个选项：\1"),
        (r"No such command '(.+?)'\.", r"没有这个命令：\1"),
        (r"Missing command\.", "缺少命令。"),
        (r"Option '(.+?)' requires an argument\.", r"选项 \1 需要一个值。"),
        (r"Option '(.+?)' requires (\d+) arguments\.", r"选项 \1 需要 \2 个值。"),
        (r"Option '(.+?)' does not take a value\.", r"选项 \1 不带值。"),
        (r"Got unexpected extra arguments? \((.+)\)", r"多余的参数：\1"),
    )
)
_INVALID = re.compile(r"Invalid value(?: for (.+?))?: (.+)", re.S)
# what is wrong with a value (click's and pydantic's wording)
_VALUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), replacement)
    for pattern, replacement in (
        (r"(?:Value error, )?'(.*?)' is not one of (.+?)\.?", r"“\1”不是可选的值（可选：\2）"),
        (r"'(.*?)' is not a valid integer(?: range)?\.?", r"“\1”不是整数"),
        (r"'(.*?)' is not a valid float(?: range)?\.?", r"“\1”不是数"),
        (r"(.+?) is not in the range (.+?)\.?", r"\1 超出范围（\2）"),
        (r"Input should be greater than or equal to (.+)", r"应不小于 \1"),
        (r"Input should be greater than (.+)", r"应大于 \1"),
        (r"Input should be less than or equal to (.+)", r"应不大于 \1"),
        (r"Input should be a valid integer.*", "应为整数"),
    )
)


def _value(message: str) -> str:
    for pattern, replacement in _VALUES:
        m = pattern.fullmatch(message.strip())
        if m:
            return m.expand(replacement)
    return message


def translate(message: str) -> str:
    """A usage error of click in Chinese (unchanged when it is not one we know)."""
    text = message.strip()
    m = _INVALID.fullmatch(text)
    if m:
        hint, problem = m.group(1), _value(m.group(2))
        return f"{hint} 的值无效：{problem}" if hint else f"值无效：{problem}"
    for pattern, replacement in _ERRORS:
        m = pattern.fullmatch(text)
        if m:
            return m.expand(replacement)
    return message


def install() -> None:
    """Chinese panel titles and usage errors in typer's rich output (idempotent)."""
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.ABORTED_TEXT = "已中止。"
    rich_utils.RICH_HELP = "运行 [blue]{command_path} {help_option}[/] 查看帮助。"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.ENVVAR_STRING = "[环境变量：{}]"
    rich_utils.DEPRECATED_STRING = "（已弃用）"
    original = rich_utils.rich_format_error
    if getattr(original, "_jixiao", False):
        return
    _quiet_types()

    def rich_format_error(error) -> None:
        message = translate(error.format_message())
        error.format_message = lambda: message
        original(error)

    rich_format_error._jixiao = True  # type: ignore[attr-defined]
    rich_utils.rich_format_error = rich_format_error


def typer_app(**kwargs) -> typer.Typer:
    """A Typer app whose usage and help read in Chinese."""
    kwargs.setdefault("cls", Group)
    kwargs.setdefault("options_metavar", "[选项]")
    kwargs.setdefault("subcommand_metavar", "命令 [参数]…")
    kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
    return typer.Typer(**kwargs)


def _quiet_types() -> None:
    """No ``<bool>`` beside a flag, no ``<list[Path]>`` beside an argument that has a metavar."""
    from typer.core import TyperArgument
    from typer.core import TyperOption

    option_type, argument_type = TyperOption.display_type_rich, TyperArgument.display_type_rich

    def option(self, ctx):
        return None if self.is_flag else option_type(self, ctx)

    def argument(self, ctx):
        return None if self.metavar is not None else argument_type(self, ctx)

    TyperOption.display_type_rich = option
    TyperArgument.display_type_rich = argument

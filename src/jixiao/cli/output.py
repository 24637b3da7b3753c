"""Where the command line writes: consoles that never wrap into a pipe, and checked output paths.

* :func:`stdout_console` / :func:`stderr_console`: rich consoles. On a terminal they use its
  width; written to a file or another program they do not wrap at all (a finding's location
  stays on its line), and carry no colour codes.
* :func:`check_output` validates ``-o`` before any work is done: a folder, or a file in a folder
  that does not exist, is a clear message and exit status 2, never a traceback.
* :func:`fail` prints findings (their catalogue messages) on stderr and exits.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from jixiao.findings import Finding
from jixiao.findings import make

# width of a console that is not a terminal: wide enough that nothing we print wraps
PIPE_WIDTH = 100_000


def _console(stderr: bool) -> Console:
    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if console.is_terminal:
        return console
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=PIPE_WIDTH, color_system=None)


def stdout_console() -> Console:
    return _console(stderr=False)


def stderr_console() -> Console:
    return _console(stderr=True)


def is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def say(message: str, *, err: bool = False) -> None:
    """One plain line (no markup, no wrapping)."""
    typer.echo(message, err=err)


def fail(findings: list[Finding], code: int = 1) -> NoReturn:
    """Print each finding's message on stderr and exit with ``code``."""
    for f in findings:
        typer.echo(f.message, err=True)
    raise typer.Exit(code)


def output_problem(path: Path, example: str) -> Finding | None:
    """Why ``path`` cannot be written as an output file (None when it can)."""
    if path.is_dir():
        return make("output-is-folder", None, file=str(path), example=str(path / example))
    parent = path.parent
    if not parent.exists():
        return make("output-folder-missing", None, file=str(path), folder=str(parent))
    if not parent.is_dir():
        return make("output-folder-missing", None, file=str(path), folder=str(parent))
    return None


def check_output(path: Path | None, example: str) -> None:
    """Exit 2 with a clear message when ``-o PATH`` cannot be written (before any work is done)."""
    if path is None:
        return
    problem = output_problem(path, example)
    if problem is not None:
        fail([problem], code=2)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path``; a failure is a clear message and exit status 1."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail([make("output-unwritable", None, file=str(path), reason=exc.strerror or str(exc))])


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()

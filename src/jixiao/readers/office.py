"""Legacy and other office formats through LibreOffice headless: .doc, .wps, .odt, .rtf (→ .docx)
and, when calamine cannot open one, .xls/.et (→ .xlsx).

``soffice --headless --convert-to docx --outdir D file`` turns the file into OOXML, which the
DOCX or spreadsheet reader then reads under the original file's name, so every location still
names the file the user gave. Facts that shape this module:

* Two soffice processes sharing a user profile fail silently. Each worker process uses its own
  profile, ``-env:UserInstallation=file:///tmp/jixiao-lo-<pid>``, kept warm for the process's
  next conversion; conversions within one process are serialised by a lock.
* A start costs about a second; several files in one call cost little more than one
  (``convert_many``, for batches).
* A conversion that hangs is stopped after ``JIXIAO_CONVERT_TIMEOUT`` seconds (default 120): the
  whole process group is killed, and the file gets ``convert-failed``.
* LibreOffice looks fonts up through fontconfig: ``FONTCONFIG_FILE`` points at the package's
  ``data/fonts.conf``, which maps 宋体/仿宋/黑体 … to the Noto CJK faces (layout of PDF exports).

No ``soffice`` on PATH → ``converter-missing``; a failed or timed-out conversion →
``convert-failed``. Never raises on bad input.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.readers.detect import FORMAT_NAMES
from jixiao.readers.grid import RawDocument

DEFAULT_TIMEOUT = 120.0
FONTS_CONF = Path(__file__).resolve().parent.parent / "data" / "fonts.conf"

# what each input format is converted to, and the file suffix LibreOffice needs to see
TARGET = {"doc": "docx", "wps": "docx", "odt": "docx", "rtf": "docx", "xls": "xlsx", "et": "xlsx", "ods": "xlsx"}
SUFFIX = {"doc": ".doc", "wps": ".wps", "odt": ".odt", "rtf": ".rtf", "xls": ".xls", "et": ".et", "ods": ".ods",
          "docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf", "html": ".html"}

# LibreOffice import filters: named, so that a damaged file fails instead of being imported as text
INFILTER = {"doc": "MS Word 97", "wps": "MS Word 97", "xls": "MS Excel 97", "et": "MS Excel 97",
            "odt": "writer8", "ods": "calc8", "rtf": "Rich Text Format"}

_LOCK = threading.Lock()


class ConvertError(Exception):
    """A conversion that did not produce its output (the message says why, in Chinese)."""


def soffice() -> str | None:
    """The LibreOffice executable on PATH (``JIXIAO_SOFFICE`` overrides), or None."""
    override = os.environ.get("JIXIAO_SOFFICE")
    if override:
        return shutil.which(override)
    return shutil.which("soffice") or shutil.which("libreoffice")


def timeout_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get("JIXIAO_CONVERT_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def profile_dir() -> Path:
    """This process's LibreOffice user profile (one per worker process; removed at exit, and
    profiles left by processes that are gone — pool workers end without atexit — on creation)."""
    path = Path(tempfile.gettempdir()) / f"jixiao-lo-{os.getpid()}"
    if not path.exists():
        _remove_stale_profiles(path.parent)
        path.mkdir(parents=True, exist_ok=True)
        atexit.register(shutil.rmtree, path, True)
    return path


def _remove_stale_profiles(folder: Path) -> None:
    for old in folder.glob("jixiao-lo-*"):
        pid = old.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists() and os.path.exists("/proc/self"):
            shutil.rmtree(old, ignore_errors=True)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if FONTS_CONF.exists():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    home = env.get("HOME")
    if not home or not os.access(home, os.W_OK):
        env["HOME"] = str(profile_dir())
    env.pop("DISPLAY", None)
    return env


def convert_many(
    paths: Sequence[str | Path], to: str, outdir: str | Path, *, timeout: float | None = None,
    infilter: str | None = None,
) -> dict[Path, Path | str]:
    """Convert files with LibreOffice, as many as possible in one soffice run.

    ``to`` is a target (``docx``, ``xlsx``, ``pdf``, ``odt``, ``doc``, ``xls`` or any
    ``--convert-to`` argument such as ``"doc:MS Word 97"``). Returns each input path → its output
    path, or → a Chinese reason when it failed. Inputs with the same file stem are converted
    apart, into subfolders of ``outdir`` (LibreOffice names outputs by stem). ``infilter`` names the import filter for every
    input (``"MS Excel 97"``). Raises ``ConvertError`` only when soffice is missing.
    """
    exe = soffice()
    if exe is None:
        raise ConvertError("本机未安装 LibreOffice（soffice）")
    limit = timeout or timeout_seconds()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    ext = to.split(":", 1)[0]
    inputs = [Path(p) for p in paths]
    result: dict[Path, Path | str] = {}
    # batches of inputs with distinct stems
    batches: list[list[Path]] = []
    for path in inputs:
        for batch in batches:
            if all(p.stem != path.stem for p in batch):
                batch.append(path)
                break
        else:
            batches.append([path])
    for number, batch in enumerate(batches):
        into = out if number == 0 else out / f"same-name-{number}"
        into.mkdir(exist_ok=True)
        reason, log = _run(exe, batch, to, into, limit * max(1, len(batch)) if timeout is None else limit, infilter)
        for path in batch:
            target = into / f"{path.stem}.{ext}"
            if target.exists() and target.stat().st_size > 0:
                result[path] = target
            elif len(batch) > 1 and reason is None:
                # one file of a batch failed: give it its own run, for its own reason
                alone, log = _run(exe, [path], to, into, limit, infilter)
                ok = target.exists() and target.stat().st_size > 0
                result[path] = target if ok else (alone or _no_output(log))
            else:
                result[path] = reason or _no_output(log)
    return result


def _no_output(log: str) -> str:
    errors = [line.strip() for line in log.splitlines() if line.strip().startswith("Error")]
    return "未生成输出文件" + (f"：{errors[-1][:200]}" if errors else "")


def _run(
    exe: str, paths: list[Path], to: str, outdir: Path, limit: float, infilter: str | None = None
) -> tuple[str | None, str]:
    """One soffice run: (None when it ended normally, else the reason (timeout, exit status); its output)."""
    profile = profile_dir()
    cmd = [
        exe, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--nofirststartwizard",
        f"-env:UserInstallation={profile.as_uri()}",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to", to, "--outdir", str(outdir), *[str(p) for p in paths],
    ]
    with _LOCK:
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=_env(), start_new_session=True,
            )
        except OSError as exc:
            return f"无法启动 soffice：{exc.strerror or exc}", ""
        try:
            out, err = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return f"超过 {limit:g} 秒未完成，已终止", ""
    log = (out + b"\n" + err).decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
        return f"soffice 退出码 {proc.returncode}" + (f"：{tail[0][:200]}" if tail else ""), log
    return None, log


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL'd processes exit
        pass


def convert_bytes(data: bytes, fmt: str, to: str | None = None, *, timeout: float | None = None) -> bytes:
    """The bytes of ``data`` (a file of format ``fmt``) converted to ``to`` (default: its OOXML
    target). Raises ``ConvertError`` with a Chinese reason."""
    to = to or TARGET.get(fmt, "docx")
    with tempfile.TemporaryDirectory(prefix="jixiao-convert-") as tmp:
        src = Path(tmp) / f"input{SUFFIX.get(fmt, '.' + fmt)}"
        src.write_bytes(data)
        outcome = convert_many([src], to, Path(tmp) / "out", timeout=timeout, infilter=INFILTER.get(fmt))[src]
        if isinstance(outcome, str):
            raise ConvertError(outcome)
        return outcome.read_bytes()


def read_converted(data: bytes, name: str, fmt: str = "doc", **_options) -> tuple[RawDocument | None, list[Finding]]:
    """Read a .doc/.wps/.odt/.rtf (or .xls/.et/.ods) file by converting it with LibreOffice and
    reading the result; locations name ``name``, the original file."""
    if soffice() is None:
        return None, [make("converter-missing", None, file=name, format=FORMAT_NAMES.get(fmt, fmt))]
    target = TARGET.get(fmt, "docx")
    try:
        converted = convert_bytes(data, fmt, target)
    except ConvertError as exc:
        return None, [make("convert-failed", None, file=name, reason=str(exc))]
    if target == "xlsx":
        from jixiao.readers.sheet import read_sheet

        return read_sheet(converted, name, fmt="xlsx", converted=True)
    from jixiao.readers.docx import read_docx

    return read_docx(converted, name)


def read_converted_many(paths: Sequence[str | Path], *, names: Sequence[str] | None = None) -> dict[Path, tuple]:
    """Read several legacy files (.doc/.wps/.odt/.rtf/.ods) with one soffice run per input format
    (a run costs about a second; each file little more). For a batch command: give it the files
    of the batch that need LibreOffice; any other file (.xls/.et included: calamine reads them)
    goes through ``readers.files.read_file``.
    Returns path → ``(RawDocument | None, findings)``, located under ``names`` (default: the path).
    """
    from jixiao.readers.detect import detect

    inputs = [Path(p) for p in paths]
    shown = dict(zip(inputs, names or [str(p) for p in inputs]))
    result: dict[Path, tuple] = {}
    by_format: dict[str, list[Path]] = {}
    for path in inputs:
        try:
            fmt = detect(path.read_bytes(), path.name)
        except OSError as exc:
            result[path] = (None, [make("file-unreadable", None, file=shown[path], reason=exc.strerror or str(exc))])
            continue
        if fmt not in TARGET or fmt in ("xls", "et"):  # calamine reads .xls/.et itself
            from jixiao.readers.files import read_file

            result[path] = read_file(path, name=shown[path])
            continue
        by_format.setdefault(fmt, []).append(path)
    if by_format and soffice() is None:
        for fmt, group in by_format.items():
            for path in group:
                result[path] = (None, [make("converter-missing", None, file=shown[path], format=FORMAT_NAMES.get(fmt, fmt))])
        return result
    with tempfile.TemporaryDirectory(prefix="jixiao-convert-") as tmp:
        for fmt, group in by_format.items():
            staged = []
            for i, path in enumerate(group):  # LibreOffice needs the format's suffix; names must not collide
                link = Path(tmp) / fmt / f"{i:05d}{SUFFIX[fmt]}"
                link.parent.mkdir(exist_ok=True)
                shutil.copyfile(path, link)
                staged.append(link)
            outcome = convert_many(staged, TARGET[fmt], Path(tmp) / f"{fmt}-out", infilter=INFILTER.get(fmt))
            for path, link in zip(group, staged):
                converted = outcome[link]
                if isinstance(converted, str):
                    result[path] = (None, [make("convert-failed", None, file=shown[path], reason=converted)])
                    continue
                data = converted.read_bytes()
                if TARGET[fmt] == "xlsx":
                    from jixiao.readers.sheet import read_sheet

                    result[path] = read_sheet(data, shown[path], fmt="xlsx", converted=True)
                else:
                    from jixiao.readers.docx import read_docx

                    result[path] = read_docx(data, shown[path])
    return result

"""An OutputDocument as PDF: the DOCX writer's file converted by LibreOffice headless.

The same conversion facts as ``readers/office.py`` (which ``write/`` may not import: it sits beside
it in the core): one LibreOffice user profile per process (two soffice runs sharing a profile fail
silently), conversions in a process serialised by a lock, a timeout after which the whole process
group is killed (``JIXIAO_CONVERT_TIMEOUT``, default 120 s), and ``FONTCONFIG_FILE`` pointing at
the package's ``data/fonts.conf`` so that 宋体/仿宋/黑体/方正小标宋 resolve to the Noto CJK faces.
LibreOffice embeds (subsets of) the fonts it uses in the PDF; ``pdftotext`` reads the Chinese back.

``convert(data, "docx"|"xlsx", "pdf")`` is also used by tests to render XLSX output;
``convert_all`` converts several files in one LibreOffice run.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from jixiao.write.docx import write_docx
from jixiao.write.layout import OutputDocument

FONTS_CONF = Path(__file__).resolve().parent.parent / "data" / "fonts.conf"
DEFAULT_TIMEOUT = 120.0
_LOCK = threading.Lock()


class PdfError(Exception):
    """LibreOffice is missing or the conversion failed (the message says why, in Chinese)."""


def soffice() -> str | None:
    override = os.environ.get("JIXIAO_SOFFICE")
    if override:
        return shutil.which(override)
    return shutil.which("soffice") or shutil.which("libreoffice")


def _timeout() -> float:
    try:
        return max(1.0, float(os.environ.get("JIXIAO_CONVERT_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def _profile() -> Path:
    """This process's profile for writing (apart from the readers' ``jixiao-lo-<pid>``)."""
    path = Path(tempfile.gettempdir()) / f"jixiao-lo-write-{os.getpid()}"
    if not path.exists():
        for old in path.parent.glob("jixiao-lo-write-*"):
            pid = old.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists() and os.path.exists("/proc/self"):
                shutil.rmtree(old, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)
        atexit.register(shutil.rmtree, path, True)
    return path


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if FONTS_CONF.exists():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    home = env.get("HOME")
    if not home or not os.access(home, os.W_OK):
        env["HOME"] = str(_profile())
    env.pop("DISPLAY", None)
    return env


def convert(data: bytes, fmt: str, to: str = "pdf") -> bytes:
    """``data`` (a ``fmt`` file: docx, xlsx) converted by LibreOffice to ``to``. Raises PdfError."""
    return convert_all([(data, fmt)], to)[0]


def convert_all(files: list[tuple[bytes, str]], to: str = "pdf") -> list[bytes]:
    """Several files converted in one LibreOffice run (a start costs about a second; each further
    file little more). ``files``: (bytes, format) pairs; returns the outputs in the same order."""
    exe = soffice()
    if exe is None:
        raise PdfError("本机未安装 LibreOffice（soffice），无法生成 PDF")
    limit = _timeout() * max(1, len(files))
    ext = to.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="jixiao-write-") as tmp:
        sources = []
        for i, (data, fmt) in enumerate(files):
            src = Path(tmp) / f"document-{i:04d}.{fmt}"
            src.write_bytes(data)
            sources.append(src)
        out = Path(tmp) / "out"
        cmd = [exe, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--nofirststartwizard",
               f"-env:UserInstallation={_profile().as_uri()}", "--convert-to", to, "--outdir", str(out),
               *[str(s) for s in sources]]
        with _LOCK:
            try:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=_env(), start_new_session=True)
            except OSError as exc:
                raise PdfError(f"无法启动 soffice：{exc.strerror or exc}") from exc
            try:
                _out, err = proc.communicate(timeout=limit)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                proc.communicate()
                raise PdfError(f"生成 {ext.upper()} 超过 {limit:g} 秒未完成，已终止") from None
        results = []
        for src in sources:
            target = out / f"{src.stem}.{ext}"
            if proc.returncode != 0 or not target.exists() or target.stat().st_size == 0:
                tail = err.decode("utf-8", "replace").strip().splitlines()[-1:]
                raise PdfError(f"LibreOffice 未能生成 {ext.upper()}（退出码 {proc.returncode}）"
                               + (f"：{tail[0][:200]}" if tail else ""))
            results.append(target.read_bytes())
        return results


def write_pdf(doc: OutputDocument) -> bytes:
    """The PDF's bytes (DOCX → PDF through LibreOffice). Raises PdfError when LibreOffice fails."""
    return convert(write_docx(doc), "docx", "pdf")

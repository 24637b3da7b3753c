"""LibreOffice conversion: the real WPS-saved .doc, batches, a converter that hangs (the timeout
kills its whole process group), no converter at all, and the Makefile's system-package check."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from jixiao.readers.files import read_bytes
from jixiao.readers.files import read_file
from jixiao.readers.grid import Grid
from jixiao.readers.grid import Paragraph
from jixiao.readers.office import FONTS_CONF
from jixiao.readers.office import convert_bytes
from jixiao.readers.office import convert_many
from jixiao.readers.office import read_converted
from tests.conftest import DATA

ROOT = Path(__file__).parent.parent
LEGACY_DOC = DATA / "real" / "gd_shenzhen_2017_future_industry_project_selfeval_report_outline_TEMPLATE.doc"


def _texts(raw) -> list[str]:
    out = []
    for block in raw.blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Grid):
            out.extend("\t".join(r.texts) for r in block.rows)
    return out


def test_real_wps_doc_is_converted_and_read_under_its_own_name():
    raw, findings = read_file(LEGACY_DOC, name="提纲.doc")
    assert raw is not None, findings
    texts = _texts(raw)
    assert texts[0] == "深圳市未来产业资金“XXX”项目绩效自评报告提纲"
    assert "六、项目绩效目标达成情况" in texts
    assert any(t.startswith("一、项目综述") for t in texts)
    assert {b.location.file for b in raw.blocks} == {"提纲.doc"}


def test_batch_conversion_keeps_files_with_the_same_stem_apart(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(LEGACY_DOC, a / "提纲.doc")
    (b / "提纲.rtf").write_text(r"{\rtf1\ansi\uc1 \u39033?\u30446?\u21517?\u31216?\par}", encoding="ascii")
    out = convert_many([a / "提纲.doc", b / "提纲.rtf"], "docx", tmp_path / "out")
    assert all(isinstance(p, Path) and p.exists() for p in out.values()), out
    assert len(set(out.values())) == 2


def test_a_batch_of_legacy_files_is_read_with_one_run_per_format(tmp_path):
    from jixiao.readers.office import read_converted_many

    docs = []
    for i in range(3):
        docs.append(tmp_path / f"d{i}" / "提纲.doc")
        docs[-1].parent.mkdir()
        shutil.copy(LEGACY_DOC, docs[-1])
    broken = tmp_path / "坏.doc"
    broken.write_bytes(LEGACY_DOC.read_bytes()[:2500])
    xls = DATA / "real" / "sh_putuo_2026_unit_budget_TEMPLATE_blank.xls"
    out = read_converted_many([*docs, broken, xls], names=["a.doc", "b.doc", "c.doc", "坏.doc", "模板.xls"])
    for path, name in zip(docs, ("a.doc", "b.doc", "c.doc")):
        raw, findings = out[path]
        assert raw is not None and not findings
        assert "六、项目绩效目标达成情况" in _texts(raw) and {b.location.file for b in raw.blocks} == {name}
    raw, findings = out[broken]
    assert raw is None and [f.code for f in findings] == ["convert-failed"]
    assert findings[0].message.startswith("坏.doc：LibreOffice 转换失败（未生成输出文件")
    raw, findings = out[xls]  # not converted: calamine reads .xls itself
    assert raw is not None and {b.location.file for b in raw.blocks} == {"模板.xls"}


def test_damaged_doc_is_a_conversion_failure_not_text():
    data = LEGACY_DOC.read_bytes()[:2500]
    raw, findings = read_bytes(data, "坏.doc")
    assert raw is None
    assert [f.code for f in findings] in (["convert-failed"], ["file-corrupt"])
    assert findings[0].message.startswith("坏.doc")


def _fake_soffice(tmp_path: Path) -> Path:
    """An executable that hangs like a stuck soffice, with a child process of its own."""
    script = tmp_path / "soffice"
    pidfile = tmp_path / "child.pid"
    script.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pidfile}\nwait\n")
    script.chmod(0o755)
    return script


def test_timeout_kills_the_process_group(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_SOFFICE", str(_fake_soffice(tmp_path)))
    monkeypatch.setenv("JIXIAO_CONVERT_TIMEOUT", "1")
    started = time.perf_counter()
    raw, findings = read_converted(LEGACY_DOC.read_bytes(), "慢.doc", fmt="doc")
    assert time.perf_counter() - started < 15
    assert raw is None and [f.code for f in findings] == ["convert-failed"]
    assert "超过 1 秒未完成" in findings[0].message
    child = int((tmp_path / "child.pid").read_text())
    for _ in range(50):
        if not Path(f"/proc/{child}").exists() or "Z" in _state(child):
            break
        time.sleep(0.1)
    assert not Path(f"/proc/{child}").exists() or "Z" in _state(child), "the converter's child survived"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]
    except OSError:
        return "gone"


def test_no_converter_is_reported(monkeypatch):
    monkeypatch.setenv("JIXIAO_SOFFICE", "jixiao-no-such-soffice")
    raw, findings = read_converted(LEGACY_DOC.read_bytes(), "旧.doc", fmt="doc")
    assert raw is None and [f.code for f in findings] == ["converter-missing"]
    assert findings[0].message == "旧.doc：读取 Word 97-2003 (.doc) 需要 LibreOffice（soffice），本机未安装"


def test_chinese_font_names_resolve_to_noto_cjk():
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    for family, expected in (("宋体", "Noto Serif CJK SC"), ("仿宋_GB2312", "Noto Serif CJK SC"), ("黑体", "Noto Sans CJK SC"),
                             ("SimHei", "Noto Sans CJK SC")):
        out = subprocess.run(["fc-match", family, "family"], capture_output=True, text=True, env=env, check=True)
        assert out.stdout.strip().startswith(expected), (family, out.stdout)


def test_converted_bytes_are_ooxml():
    docx = convert_bytes(LEGACY_DOC.read_bytes(), "doc")
    assert docx[:2] == b"PK"


def test_system_packages_are_detected(tmp_path):
    """`make install` runs tools/system-deps.sh: nothing to install here; on a machine without
    LibreOffice, poppler, qpdf or the CJK fonts it names exactly those Debian packages."""
    script = ROOT / "tools" / "system-deps.sh"
    run = lambda env: subprocess.run(["bash", str(script), "--dry-run"], capture_output=True, text=True,  # noqa: E731
                                     env=env, check=True, stdin=subprocess.DEVNULL).stdout.strip()
    assert run(dict(os.environ)) == "none"
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in ("bash", "dirname", "readlink", "id", "fc-list"):
        (bare / tool).symlink_to(shutil.which(tool))
    assert run({**os.environ, "PATH": str(bare)}).split() == [
        "libreoffice-writer-nogui", "libreoffice-calc-nogui", "poppler-utils", "qpdf"]
    empty = tmp_path / "empty.conf"
    empty.write_text("<fontconfig></fontconfig>")
    assert run({**os.environ, "FONTCONFIG_FILE": str(empty)}).split() == ["fonts-noto-cjk", "fonts-wqy-zenhei"]

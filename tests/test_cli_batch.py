"""Batches: files and folders, a process pool with output in input order, progress only on a
terminal, the closing summary, the ``files`` section, and ``-o`` that cannot be written."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from tests.conftest import DATA
from tests.conftest import SEED_FILES
from tests.conftest import seed

runner = CliRunner()


@pytest.fixture
def folder(tmp_path) -> Path:
    """The seeds in a folder and a subfolder, with a broken file and a hidden one."""
    root = tmp_path / "文件"
    (root / "子目录").mkdir(parents=True)
    for path in SEED_FILES[:3]:
        shutil.copy(path, root / path.name)
    shutil.copy(SEED_FILES[3], root / "子目录" / SEED_FILES[3].name)
    import docx

    docx.Document().save(tmp_path / "whole.docx")
    whole = (tmp_path / "whole.docx").read_bytes()
    (root / "子目录" / "坏.docx").write_bytes(whole[: len(whole) // 2])
    (root / ".~lock.x#").write_text("lock", encoding="utf-8")
    return root


def _order(root: Path) -> list[str]:
    names = [str(root / p.name) for p in SEED_FILES[:3]]
    return [*names, str(root / "子目录" / SEED_FILES[3].name), str(root / "子目录" / "坏.docx")]  # digits before 坏


def test_a_folder_is_read_recursively_in_name_order_whatever_the_jobs(folder):
    one = runner.invoke(app, ["check", "--format", "json", "-j", "1", str(folder)])
    two = runner.invoke(app, ["check", "--format", "json", "-j", "2", str(folder)])
    assert one.exit_code == two.exit_code == 1  # the broken .docx
    assert one.stdout == two.stdout  # identical output from the pool
    files = json.loads(two.stdout)["files"]
    assert [f["path"] for f in files] == _order(folder)
    assert [f["status"] for f in files] == ["ok", "ok", "ok", "ok", "failed"]
    assert [f["format"] for f in files] == ["text", "text", "text", "text", None]
    broken = files[4]
    assert broken["message"] == f"{folder / '子目录' / '坏.docx'}：文件已损坏或不完整（Word 文档（.docx）的压缩结构损坏，文件可能不完整）"
    assert broken["tables"] == 0 and broken["findings"] == {"error": 0, "warning": 0, "info": 0}
    # findings follow the files' order, each file's sorted by location
    files_of_findings = [f["location"].split(":")[0] for f in json.loads(two.stdout)["findings"]]
    assert files_of_findings == sorted(files_of_findings, key=[f["path"] for f in files].index)


def test_the_summary_counts_formats_tables_severities_and_names_failures(folder):
    result = runner.invoke(app, ["parse", "-j", "2", str(folder)])
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert err[0] == f"{folder / '子目录' / '坏.docx'}：文件已损坏或不完整（Word 文档（.docx）的压缩结构损坏，文件可能不完整）"
    assert "共 5 个文件：成功 4，失败 1，跳过 0；已忽略隐藏文件或锁文件 1 个" in err
    text_row = next(line for line in err if line.startswith("│ 纯文本"))
    cells = [c.strip() for c in text_row.strip("│").split("│")]
    assert cells[:4] == ["纯文本", "4", "4", "0"] and int(cells[5]) >= 4  # files, read, failed; tables
    failed = next(line for line in err if "坏.docx" in line and line.startswith("│"))
    assert "失败" in failed and "Word 文档（.docx）的压缩结构损坏" in failed
    # the summaries of the documents on stdout, in input order
    heads = [line for line in result.stdout.splitlines() if line.startswith("== ")]
    assert heads == [f"== {p} ==" for p in _order(folder) if not p.endswith("坏.docx")]


def test_one_file_has_no_summary_table():
    result = runner.invoke(app, ["check", "-p", "self-evaluation", str(seed("003"))])
    assert result.exit_code == 0 and result.stderr == ""


def test_a_run_that_read_nothing_never_says_0_findings(tmp_path):
    missing = tmp_path / "没有.pdf"
    result = runner.invoke(app, ["check", str(missing)])
    assert result.exit_code == 1
    assert result.stdout == "没有读取到任何文件（1 个文件均未能读取，原因见标准错误输出）\n"
    assert result.stderr == f"{missing}：文件不存在\n"
    as_json = runner.invoke(app, ["check", "--format", "json", str(missing)])
    data = json.loads(as_json.stdout)
    assert data["findings"] == []
    assert data["files"] == [{"path": str(missing), "format": None, "status": "failed",
                              "message": f"{missing}：文件不存在", "tables": 0,
                              "findings": {"error": 0, "warning": 0, "info": 0}}]


def test_the_xlsx_report_lists_the_files(tmp_path):
    out = tmp_path / "底稿.xlsx"
    missing = tmp_path / "没有.docx"
    result = runner.invoke(app, ["check", "-p", "self-evaluation", "-f", "xlsx", "-o", str(out), str(seed("003")), str(missing)])
    assert result.exit_code == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["审核发现", "文件"]
    rows = list(book["文件"].iter_rows(values_only=True))
    assert rows[0][:4] == ("文件", "格式", "状态", "原因")
    assert rows[1][:3] == (str(seed("003")), "纯文本", "已读取")
    assert rows[2][:4] == (str(missing), "未知", "未能读取", f"{missing}：文件不存在")


@pytest.mark.parametrize("command", [["parse"], ["check"], ["check", "--format", "json"], ["convert"]])
def test_output_into_a_missing_folder_or_onto_a_folder(tmp_path, command):
    into_missing = runner.invoke(app, [*command, str(seed("000")), "-o", str(tmp_path / "没有" / "out.txt")])
    assert into_missing.exit_code == 2
    assert into_missing.stderr == f"{tmp_path / '没有' / 'out.txt'}：输出文件夹 {tmp_path / '没有'} 不存在，请先建立该文件夹或换一个位置\n"
    onto_folder = runner.invoke(app, [*command, str(seed("000")), "-o", str(tmp_path)])
    assert onto_folder.exit_code == 2
    assert onto_folder.stderr.startswith(f"{tmp_path} 是一个文件夹；-o 请给出文件名，例如 {tmp_path}{os.sep}")
    assert "Traceback" not in into_missing.output + onto_folder.output


def test_xlsx_into_a_missing_folder(tmp_path):
    result = runner.invoke(app, ["check", "-f", "xlsx", "-o", str(tmp_path / "a" / "b.xlsx"), str(seed("003"))])
    assert result.exit_code == 2 and "输出文件夹" in result.stderr and not (tmp_path / "a").exists()


def test_selfeval_batch_pairs_templates_and_actuals_by_name(folder, tmp_path):
    targets = tmp_path / "目标表"
    (targets / "乙").mkdir(parents=True)
    shutil.copy(seed("000"), targets / "甲.txt")
    shutil.copy(seed("002"), targets / "乙" / "丙.txt")
    made = runner.invoke(app, ["selfeval", "template", str(targets), "-o", str(tmp_path / "填报"), "-j", "2"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "填报" / "甲-实际完成值.xlsx").is_file()
    assert (tmp_path / "填报" / "乙" / "丙-实际完成值.xlsx").is_file()
    scored = runner.invoke(app, ["selfeval", "score", str(targets), "--actuals", str(tmp_path / "填报"), "--json",
                                 "-o", str(tmp_path / "自评表")])
    assert scored.exit_code == 0, scored.output
    data = json.loads(scored.stdout)
    assert [c["source"] for c in data["scorecards"]] == ["甲.txt", "丙.txt"]
    assert [f["status"] for f in data["files"]] == ["ok", "ok"]
    assert (tmp_path / "自评表" / "乙" / "丙-自评表.xlsx").is_file()
    # an actuals file missing for one document: that document fails, the other is scored
    (tmp_path / "填报" / "甲-实际完成值.xlsx").unlink()
    partial = runner.invoke(app, ["selfeval", "score", str(targets), "--actuals", str(tmp_path / "填报"), "--json"])
    assert partial.exit_code == 1
    files = json.loads(partial.stdout)["files"]
    assert files[0]["status"] == "failed" and files[0]["message"] == f"{tmp_path / '填报' / '甲-实际完成值.xlsx'}：文件不存在"
    assert files[1]["status"] == "ok"


def test_selfeval_template_of_several_files_needs_a_folder(tmp_path):
    plain = tmp_path / "x.xlsx"
    plain.write_bytes(b"")
    result = runner.invoke(app, ["selfeval", "template", str(seed("000")), str(seed("002")), "-o", str(plain)])
    assert result.exit_code == 2 and "-o 应为一个文件夹" in result.stderr


def _run_on_a_terminal(args: list[str]) -> tuple[int, bytes, str]:
    """The command with stderr on a pseudo-terminal and stdout in a pipe."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "xterm", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "jixiao.cli", *args], stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    err = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            err += chunk
        elif proc.poll() is not None:
            break
    out = proc.stdout.read()
    proc.stdout.close()
    os.close(master)
    return proc.wait(), out, err.decode("utf-8", "replace")


def test_progress_on_a_terminal_only_and_output_unchanged_in_a_pipe():
    args = ["check", "-p", "self-evaluation", "-j", "2", str(seed("003")), str(seed("000"))]
    code, out, err = _run_on_a_terminal(args)
    piped = subprocess.run([sys.executable, "-m", "jixiao.cli", *args], capture_output=True, env={**os.environ, "CI": ""})
    assert code == piped.returncode
    assert "审核" in err and "/2" in err and str(seed("003")) in err  # the bar, its count and the current file
    assert "/2" not in piped.stderr.decode() and "\r" not in piped.stderr.decode()  # no bar into a pipe
    assert out == piped.stdout  # the output itself does not depend on the bar
    assert b"\x1b[" not in out  # and carries no escape codes


def test_piped_output_is_not_wrapped(tmp_path):
    """A location and its message stay on one line, and summary tables keep their rows, however long."""
    long_name = "很长的项目名称" * 30
    text = seed("002").read_text(encoding="utf-8").replace("新增劳务派遣人员工资", long_name)
    path = tmp_path / "长名称.txt"
    path.write_text(text, encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "jixiao.cli", "check", str(path)], capture_output=True, text=True,
                             env={**os.environ, "COLUMNS": "80"})
    lines = checked.stdout.splitlines()
    assert all(line.startswith(str(path)) for line in lines[:-1])
    assert any(long_name[:100] in line for line in lines)
    parsed = subprocess.run([sys.executable, "-m", "jixiao.cli", "parse", str(path)], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "80"})
    assert any(long_name in line and line.startswith("│") for line in parsed.stdout.splitlines())


def test_a_cell_of_a_million_characters_in_linear_time(tmp_path):
    """Before: 132 s (the doubled-word pattern backtracked over the whole cell) and a 1.5 MB finding line."""
    lines = seed("000").read_text(encoding="utf-8").splitlines()
    i = max(range(len(lines)), key=lambda k: len(lines[k]))
    cells = lines[i].split("\t")
    j = max(range(len(cells)), key=lambda k: len(cells[k]))
    cells[j] += "很" * 1_000_000
    lines[i] = "\t".join(cells)
    path = tmp_path / "百万字.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1  # its seed's errors
    longest = max(len(line) for line in result.stdout.splitlines())
    assert longest < 1000


def test_a_finding_quotes_at_most_200_characters():
    from jixiao.findings import make
    from jixiao.findings.finding import SOURCE_LIMIT

    f = make("row-unplaced", None, subject="项目" * 150, text="很" * 5000, actual="1" * 300, source_text="行" * 10**6)
    assert f.message == f"{'项目' * 100}…（共 300 字）：本行内容无法归入任何指标或目标集：{'很' * 200}…（共 5000 字）"
    assert f.actual == "1" * 200 + "…（共 300 字）" and len(f.source_text) == SOURCE_LIMIT + len("…（共 1000000 字）")
    assert make("row-unplaced", None, subject="短", text="短文本").message == "短：本行内容无法归入任何指标或目标集：短文本"


def test_legacy_files_of_a_batch_are_converted_together_and_read_as_alone(tmp_path):
    """Two copies of the real .doc and a damaged one: one LibreOffice run for the batch, the same
    documents as when each is read alone, the damaged one failing on its own."""
    real = DATA / "real" / "gd_shenzhen_2017_future_industry_project_selfeval_report_outline_TEMPLATE.doc"
    folder = tmp_path / "旧格式"
    folder.mkdir()
    for name in ("甲.doc", "乙.doc"):
        shutil.copy(real, folder / name)
    (folder / "丙.doc").write_bytes(real.read_bytes()[:4000])
    batch = runner.invoke(app, ["parse", "--json", "-j", "2", str(folder)])
    assert batch.exit_code == 1
    data = json.loads(batch.stdout)
    assert [(Path(f["path"]).name, f["status"], f["format"]) for f in data["files"]] == [
        ("丙.doc", "failed", "doc"), ("乙.doc", "ok", "doc"), ("甲.doc", "ok", "doc")]
    assert data["files"][0]["message"].startswith(f"{folder / '丙.doc'}：")
    alone = runner.invoke(app, ["parse", "--json", str(folder / "甲.doc")])
    assert alone.exit_code == 0
    assert json.loads(alone.stdout)["documents"] == [data["documents"][1]]

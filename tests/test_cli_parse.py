"""`jixiao parse`: summary, canonical JSON, and clear failures on bad input."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jixiao.cli import app
from tests.conftest import SEED_FILES
from tests.conftest import seed

runner = CliRunner()


def test_json_lists_every_document_and_table():
    result = runner.invoke(app, ["parse", *map(str, SEED_FILES), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["source"] for d in data["documents"]] == [str(p) for p in SEED_FILES]
    kinds = [t["kind"] for t in data["documents"][1]["tables"]]
    assert kinds[-2:] == ["project_targets", "department_targets"]
    first = data["documents"][0]["tables"][0]["target_sets"][0]["indicators"][0]
    assert {"level1", "level2", "name", "op", "value", "unit", "text", "kind", "location"} <= set(first)
    assert first["value"] == "580.253937" and first["op"] == "≤" and first["unit"] == "万元"


def test_summary_is_readable():
    result = runner.invoke(app, ["parse", str(seed("002"))])
    assert result.exit_code == 0, result.output
    assert "项目支出绩效目标表" in result.stdout
    assert "新增劳务派遣人员工资" in result.stdout


def _fails_cleanly(tmp_path, name: str, content: bytes, words: str):
    bad = tmp_path / name
    bad.write_bytes(content)
    result = runner.invoke(app, ["parse", str(bad), str(seed("000"))])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert str(bad) in result.stderr and words in result.stderr
    # the other file is still parsed
    assert "株洲市渌口区行政审批服务局" in result.stdout


def test_empty_file(tmp_path):
    _fails_cleanly(tmp_path, "empty.txt", b"", "文件为空")


def test_blank_file(tmp_path):
    _fails_cleanly(tmp_path, "blank.txt", "\n\u3000\n  \t\n".encode(), "文件为空")


def test_binary_garbage(tmp_path):
    _fails_cleanly(tmp_path, "garbage.txt", bytes(range(256)) * 64, "不是文本")


def test_gbk_copy_of_a_seed_reads_as_the_original(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(seed("000").read_text(encoding="utf-8").encode("gb18030"))
    result = runner.invoke(app, ["parse", str(gbk), "--json"])
    assert result.exit_code == 0, result.output
    original = runner.invoke(app, ["parse", str(seed("000")), "--json"])
    got, want = json.loads(result.stdout)["documents"][0], json.loads(original.stdout)["documents"][0]
    assert json.dumps(got["tables"]).replace(str(gbk), "X") == json.dumps(want["tables"]).replace(str(seed("000")), "X")


def test_gbk_copy_reads_with_explicit_encoding(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(seed("000").read_text(encoding="utf-8").encode("gb18030"))
    result = runner.invoke(app, ["parse", str(gbk), "--encoding", "gbk", "--json"])
    assert result.exit_code == 0, result.output
    tables = json.loads(result.stdout)["documents"][0]["tables"]
    assert [t["kind"] for t in tables] == ["department_targets", "project_targets"]


def test_huge_file(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(200 * 1024 * 1024)  # sparse: 200 MB without writing them
    result = runner.invoke(app, ["parse", str(huge)])
    assert result.exit_code == 1
    assert "超过上限" in result.stderr and "200.0 MB" in result.stderr


def test_no_recognisable_table(tmp_path):
    _fails_cleanly(tmp_path, "prose.txt", "今天天气很好。\n我们去公园散步。\n".encode(), "没有识别出任何")


def test_missing_file(tmp_path):
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr


def test_summary_of_a_self_evaluation_form():
    from tests.conftest import DATA

    result = runner.invoke(app, ["parse", str(DATA / "pg_qingshen_fgj_2023_project_selfeval_table_SC.txt")])
    assert result.exit_code == 0, result.output
    assert "足额保障率(参保率)" in result.stdout and "238.93" in result.stdout and "100.00%" in result.stdout


def test_an_internal_error_names_the_file_and_the_others_still_parse(monkeypatch, tmp_path):
    import jixiao.parse.document as document

    real = document.parse_document

    def broken(raw):
        if raw.source.endswith("000_82772c604d1a37f5.txt"):
            raise RuntimeError("boom")
        return real(raw)

    monkeypatch.setattr(document, "parse_document", broken)
    result = runner.invoke(app, ["parse", str(seed("000")), str(seed("002"))])
    assert result.exit_code == 1
    assert "000_82772c604d1a37f5.txt：内部错误" in result.stderr and "boom" in result.stderr
    assert "新增劳务派遣人员工资" in result.stdout

"""``jixiao convert FILE --to text|json``: the grid a reader produced, unparsed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.pipeline import parse_file
from tests.conftest import DATA
from tests.conftest import seed

runner = CliRunner()
PDF = DATA / "real" / "sh_putuo_govoffice_2025_unit_budget.pdf"


def test_text_of_a_text_file_keeps_its_lines():
    """Cells cleaned (spaces inside names, empty trailing cells), every row on its own line."""
    result = runner.invoke(app, ["convert", str(seed("000"))])
    assert result.exit_code == 0, result.output
    dump, original = result.stdout.splitlines(), seed("000").read_text(encoding="utf-8").splitlines()
    assert len(original) - 1 <= len(dump) <= len(original)  # trailing blank lines aside
    for got, printed in zip(dump, original):
        assert got.split("\t")[0].replace(" ", "") in printed.replace(" ", "")
    assert dump[12] == "部门（单位）名称\t株洲市渌口区行政审批服务局"


def test_pdf_text_lines_are_the_lines_locations_name():
    """A finding at ``file:p9:120`` (page, line of the dump) points at line 120 of ``convert --to text``."""
    result = runner.invoke(app, ["convert", str(PDF)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    doc, _ = parse_file(PDF, name=str(PDF))
    located = [a for a in doc.amounts if a.location.line is not None][:20]
    assert located
    for amount in located:
        assert str(amount.value).split(".")[0] in lines[amount.location.line - 1].replace(",", "")


def test_json_shows_tables_rows_and_paragraphs_with_locations(tmp_path):
    out = tmp_path / "grid.json"
    result = runner.invoke(app, ["convert", str(PDF), "--to", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"已写入 {out}" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["source"] == str(PDF) and data["layout"] == "pdf"
    kinds = {b["type"] for b in data["blocks"]}
    assert kinds == {"table", "paragraph"}
    table = next(b for b in data["blocks"] if b["type"] == "table")
    assert table["location"].startswith(f"{PDF}:p") and table["rows"][0]["location"].startswith(f"{PDF}:p")
    assert all(isinstance(c, str) for c in table["rows"][0]["cells"])


def test_a_bad_file_is_one_message_and_exit_1(tmp_path):
    bad = tmp_path / "坏.pdf"
    bad.write_bytes(PDF.read_bytes()[:5000])
    result = runner.invoke(app, ["convert", str(bad)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"{bad}：文件已损坏或不完整（PDF 结构损坏或文件不完整，无法打开）\n"
    missing = runner.invoke(app, ["convert", str(tmp_path / "无.docx")])
    assert missing.exit_code == 1 and missing.stderr == f"{tmp_path / '无.docx'}：文件不存在\n"

"""``jixiao export``: real files written from files (no database) and from stored documents (the
database of JIXIAO_DATABASE_URL, SQLite and PostgreSQL), read back; usage errors exit 2, a kind
that does not apply exits 1 with the reason."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.model.targets import TargetTable
from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services.context import Ctx
from tests.conftest import seed
from tests.write_helpers import compact
from tests.write_helpers import pdf_text
from tests.write_helpers import read_back

runner = CliRunner()


def _run(args, env=None):
    return runner.invoke(app, ["export", *map(str, args)], env={"CI": "1", **(env or {})})


def test_target_table_from_a_file(tmp_path):
    out = tmp_path / "目标表.xlsx"
    result = _run(["targets", seed("002"), "-o", out])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    _raw, written, _found = read_back(out.read_bytes(), out.name)
    _raw, source, _found = read_back(seed("002").read_bytes(), seed("002").name)

    def indicators(doc):
        return [(s.project or s.unit, [(i.name, i.target.value) for i in s.indicators])
                for t in doc.tables if isinstance(t, TargetTable) for s in t.target_sets]

    assert indicators(written) == indicators(source)
    # a folder as -o: the name the service gives; the format from --format
    result = _run(["targets", seed("002"), "-o", tmp_path, "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("绩效目标表.docx")


def test_review_opinion_of_a_folder_and_selfeval_from_actuals(tmp_path):
    folder = tmp_path / "材料"
    folder.mkdir()
    for prefix in ("000", "004"):
        (folder / seed(prefix).name).write_bytes(seed(prefix).read_bytes())
    out = tmp_path / "审核意见书.xlsx"
    result = _run(["review", folder, "-o", out])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) == 3

    actuals = tmp_path / "实际完成值.xlsx"
    assert runner.invoke(app, ["selfeval", "template", str(seed("002")), "-o", str(actuals)]).exit_code == 0
    report = tmp_path / "自评报告.pdf"
    result = _run(["selfeval-report", seed("002"), "--actuals", actuals, "-o", report])
    assert result.exit_code == 0, result.output
    text = compact(pdf_text(report.read_bytes()))
    assert "部门整体支出绩效自评报告" in text and "一、基本情况" in text
    table = tmp_path / "自评表.docx"
    result = _run(["selfeval-table", seed("002"), "-a", actuals, "-o", table])
    assert result.exit_code == 0 and table.read_bytes()[:2] == b"PK"


def test_usage_and_refusals(tmp_path):
    assert _run(["targets"]).exit_code == 2  # no source
    assert _run(["targets", seed("000"), "--document", "3"]).exit_code == 2  # two sources
    assert _run(["targets", seed("000"), "-f", "pdf", "-o", tmp_path / "a.docx"]).exit_code == 2
    assert _run(["selfeval-table", seed("002")]).exit_code == 2  # --actuals missing
    assert _run(["targets", seed("000"), seed("002")]).exit_code == 2  # one file at a time
    result = _run(["targets", tmp_path / "无此文件.docx"])
    assert result.exit_code == 1 and "无此文件.docx" in result.output
    result = _run(["disclosure", seed("000"), "-o", tmp_path / "x.docx"])
    assert result.exit_code == 1 and "没有预算表" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_stored_documents(database, tmp_path):
    ctx = Ctx(database)
    with database.session() as s:
        orgs.add_org(s, name="湖南省", level="region", code="43")
    doc = imports.import_path(ctx, seed("001"), org="43", year=2023)["id"]
    env = {"JIXIAO_DATABASE_URL": database.url}
    out = tmp_path / "预算公开.docx"
    result = _run(["disclosure", "--document", doc, "-o", out], env=env)
    assert result.exit_code == 0, result.output
    _raw, written, _found = read_back(out.read_bytes(), out.name)
    assert {t.kind for t in written.tables} >= {"budget_overview", "fiscal_overview", "three_public"}
    out = tmp_path / "审核意见书.pdf"
    result = _run(["review", "-d", doc, "-o", out], env=env)
    assert result.exit_code == 0, result.output
    assert "审核意见书" in compact(pdf_text(out.read_bytes()))
    result = _run(["selfeval-report", "-d", doc], env=env)
    assert result.exit_code == 1 and "尚未自评" in result.output
    result = _run(["targets", "-d", 999999], env=env)
    assert result.exit_code == 1 and "不存在" in result.output

"""Spreadsheet reader: real workbooks built here with xlsxwriter (and LibreOffice for .xls), the
real legacy .xls files, a million formatted empty rows, corrupt workbooks."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from jixiao.readers.files import read_bytes
from jixiao.readers.files import read_file
from jixiao.readers.grid import Grid
from jixiao.readers.grid import Merge
from jixiao.readers.grid import Paragraph
from jixiao.readers.numfmt import render_number
from tests.conftest import DATA

REAL = DATA / "real"


def _book(path: Path) -> Path:
    """A small official-style workbook: merged title, key/value rows, a level column merged down,
    numbers with number formats, a text code, a date, a hidden second sheet."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("目标表")
    money = book.add_format({"num_format": "#,##0.00"})
    two = book.add_format({"num_format": "0.00"})
    pct = book.add_format({"num_format": "0%"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.merge_range("A1:E1", "2023年项目支出绩效目标表", book.add_format({"bold": True}))
    ws.write("E2", "单位：万元")
    ws.write_row("A3", ["项目名称", "办公楼维修"])
    ws.merge_range("B3:E3", "办公楼维修")
    ws.write_row("A4", ["项目编码", "001234", "预算金额"])
    ws.write_number("D4", 5073.08, money)
    ws.write_row("A5", ["一级指标", "二级指标", "三级指标", "指标值", "功能分类"])
    ws.merge_range("A6:A8", "产出指标")
    ws.write_row("B6", ["数量指标", "维修面积", 1200, 201])
    ws.write_row("B7", ["质量指标", "验收合格率"])
    ws.write_number("D7", 0.95, pct)
    ws.write_row("B8", ["成本指标", "单价"])
    ws.write_number("D8", 864.3, two)
    ws.write("B9", "完成日期")
    ws.write_datetime("C9", dt.datetime(2023, 12, 31), date)
    ws.write_boolean("D9", True)
    ws.write_formula("E9", "=0.1+0.2", None, 0.30000000000000004)
    hidden = book.add_worksheet("备用")
    hidden.write("A1", "隐藏的说明")
    hidden.hide()
    book.close()
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return _book(tmp_path_factory.mktemp("sheet") / "目标表.xlsx")


@pytest.fixture(scope="module")
def workbook_xls(workbook, tmp_path_factory) -> Path:
    from tests.writers.office import to_xls

    (xls,) = to_xls([workbook], tmp_path_factory.mktemp("xls"))
    return xls


def _rows(raw) -> list[list[str]]:
    return [r.texts for b in raw.blocks if isinstance(b, Grid) for r in b.rows]


def _paragraphs(raw) -> list[str]:
    return [b.text for b in raw.blocks if isinstance(b, Paragraph)]


def test_xlsx_values_merges_and_locations(workbook):
    raw, findings = read_file(workbook, name="t.xlsx")
    assert raw is not None
    assert _paragraphs(raw) == ["2023年项目支出绩效目标表", "单位：万元", "隐藏的说明"]
    rows = _rows(raw)
    assert rows[0] == ["项目名称", "办公楼维修", "办公楼维修", "办公楼维修", "办公楼维修"]
    assert rows[1] == ["项目编码", "001234", "预算金额", "5,073.08"]  # text code keeps its zeros
    assert rows[3] == ["产出指标", "数量指标", "维修面积", "1200", "201"]  # integers without .0
    assert rows[4] == ["产出指标", "质量指标", "验收合格率", "95%"]  # merged slot filled; percent format
    assert rows[5] == ["产出指标", "成本指标", "单价", "864.30"]  # the format's two decimals
    assert rows[6] == ["", "完成日期", "2023-12-31", "TRUE", "0.3"]  # date; bool; no binary noise
    grid = next(b for b in raw.blocks if isinstance(b, Grid))
    assert Merge(0, 1, 0, 4) in grid.merges and Merge(3, 0, 5, 0) in grid.merges
    assert str(grid.rows[1].cells[3].location) == "t.xlsx:目标表!D4"
    assert str(grid.rows[6].location) == "t.xlsx:目标表!A9"  # a row at its first cell
    assert str(grid.rows[6].cells[2].location) == "t.xlsx:目标表!C9"
    title = raw.blocks[0]
    assert str(title.location) == "t.xlsx:目标表!A1" and title.location.line == 1
    assert [f.code for f in findings] == ["sheet-hidden"]
    assert "备用" in findings[0].message


def test_xls_from_libreoffice_reads_the_same(workbook, workbook_xls):
    xlsx, _ = read_file(workbook, name="t")
    xls, findings = read_file(workbook_xls, name="t")
    assert xls is not None
    assert _rows(xls) == _rows(xlsx)
    assert _paragraphs(xls) == _paragraphs(xlsx)
    assert [f.code for f in findings] == ["sheet-hidden"]


def test_ods_reads_like_the_xlsx(workbook, tmp_path):
    from jixiao.readers.office import convert_many

    ods = convert_many([workbook], "ods", tmp_path)[workbook]
    xlsx, _ = read_file(workbook, name="t")
    raw, findings = read_file(ods, name="t")
    assert raw is not None and _rows(raw) == _rows(xlsx) and _paragraphs(raw) == _paragraphs(xlsx)
    assert [f.code for f in findings] == ["sheet-hidden"]
    assert {b.location.file for b in raw.blocks} == {"t"}


def test_real_legacy_xls_workbooks_read():
    raw, findings = read_file(REAL / "central_moe_pku_2019_project_library_export_target_monitor_selfeval.xls")
    assert raw is not None and not findings
    sheets = {b.location.sheet for b in raw.blocks}
    assert {"项目基本信息", "项目支出绩效目标申报表", "项目支出绩效目标执行监控", "项目支出绩效自评表"} <= sheets
    rows = _rows(raw)
    assert ["序号", "项目活动", "对项目活动的描述", "子活动", "对子活动的描述", "分项支出", "数量/频率", "价格/标准",
            "支出计划（万元）", "备注", "顺序列"] in rows
    assert ["1", "", "", "其他交通费", "", "", "25人天", "100元/人天", "0.25", "", "0"] in rows  # #,##0.00 of 0.25
    assert any("[105]教育部" in r for r in rows)
    assert "项目支出绩效目标执行监控表" in _paragraphs(raw)
    assert any("年度资金总额：" in r and "190.00" in r and "0.00%" in r for r in rows)  # the monitoring sheet

    raw, findings = read_file(REAL / "sh_putuo_2026_unit_budget_TEMPLATE_blank.xls")
    assert raw is not None and not findings
    assert len({b.location.sheet for b in raw.blocks}) == 16
    assert "上海市普陀区2026年区级单位预算" in _paragraphs(raw)
    assert "2026年单位预算编制说明" in _paragraphs(raw)
    assert "2026年预算单位财务收支预算总表" in _paragraphs(raw)
    assert any(r[:2] == ["项目", "预算数"] for r in _rows(raw))


def test_number_formats_print_as_the_sheet_does():
    assert render_number(5073.08, "#,##0.00") == "5,073.08"
    assert render_number(2.675, "0.00") == "2.68"  # half up on the printed decimal, not the binary
    assert render_number(0.955, "0.0%") == "95.5%"
    assert render_number(-12.5, "#,##0.00;(#,##0.00)") == "(12.50)"
    assert render_number(12.5, '0.00"万元"') == "12.50万元"
    assert render_number(4.403062313915e17, None) == "440306231391500000"
    assert render_number(9000.0, '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ ') == "9,000.00"


def test_million_formatted_empty_rows_read_fast_in_little_memory(tmp_path):
    """Only the used range is read: 1,000,000 formatted rows (xlsxwriter writes each as a styled
    <row>) after two rows of data."""
    path = tmp_path / "million.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("数据")
    fmt = book.add_format({"num_format": "0.00", "border": 1})
    ws.write_row(0, 0, ["项目", "金额"])
    ws.write_string(1, 0, "办公费", fmt)
    ws.write_number(1, 1, 12.5, fmt)
    set_row = ws.set_row
    for r in range(2, 1_000_000):
        set_row(r, None, fmt)
    book.close()
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size > 30_000_000
    script = (
        "import json, re, sys, time\n"
        "from jixiao.readers.files import read_file\n"
        "t = time.perf_counter()\n"
        "raw, findings = read_file(sys.argv[1], name='m.xlsx')\n"
        "rows = [r.texts for b in raw.blocks if hasattr(b, 'rows') for r in b.rows]\n"
        "s = time.perf_counter() - t\n"
        "hwm = int(re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1)) / 1024\n"
        "print(json.dumps({'s': s, 'rss_mb': hwm, 'rows': rows, 'findings': len(findings)}))\n"
    )
    result = _read_in_subprocess(path, script)
    assert result["rows"] == [["项目", "金额"], ["办公费", "12.50"]] and result["findings"] == 0
    assert result["rss_mb"] < 250, result  # about 45 MB (Python, jixiao, calamine)

    # a stray value a million rows down: calamine holds the dense range (about 800 MB for
    # 1,000,000 × 26 cells); the reader walks only the rows with values (was 18 s and 1.7 GB)
    stray = tmp_path / "stray.xlsx"
    book = xlsxwriter.Workbook(str(stray))
    ws = book.add_worksheet("数据")
    ws.write_row(0, 0, ["项目", "金额"])
    ws.write(999_999, 25, "末行")
    book.close()
    result = _read_in_subprocess(stray, script)
    assert result["rows"] == [["项目", "金额"]] and result["findings"] == 0  # 末行: a paragraph
    assert result["rss_mb"] < 1200, result  # about 830 MB


def _read_in_subprocess(path: Path, script: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def test_password_protected_workbook_is_reported(workbook):
    """An encrypted XLSX is an OLE2 file holding EncryptionInfo (made here by msoffcrypto-tool)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with workbook.open("rb") as fh:
        OOXMLFile(fh).encrypt("口令123", out)
    raw, findings = read_bytes(out.getvalue(), "密.xlsx")
    assert raw is None and [f.code for f in findings] == ["file-encrypted"]
    assert findings[0].message.startswith("密.xlsx：文件已加密")


def _zip_with(data: bytes, member: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == member else src.read(info.filename))
    return out.getvalue()


def test_corrupt_workbooks_are_reported_with_the_reason(workbook, workbook_xls):
    data = workbook.read_bytes()
    # one sheet's XML cut off: that sheet is reported (calamine's reason), the others are read
    broken = _zip_with(data, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r='1'><c r='A1' t='s'>")
    raw, findings = read_bytes(broken, "坏.xlsx")
    assert raw is not None and _paragraphs(raw) == ["隐藏的说明"]
    assert [f.code for f in findings] == ["file-part-unreadable", "sheet-hidden"]
    assert findings[0].message.startswith("坏.xlsx：工作表“目标表” 无法读取（XmlError")
    # the workbook part itself broken: the file is corrupt, with calamine's message
    no_book = _zip_with(data, "xl/workbook.xml", b"not xml at all")
    raw, findings = read_bytes(no_book, "坏.xlsx")
    assert raw is None and [f.code for f in findings] == ["file-corrupt"]
    assert findings[0].message.startswith("坏.xlsx：文件已损坏或不完整（Excel (.xlsx) 无法打开，工作簿结构损坏或文件不完整；读取库报告：")
    # a legacy workbook cut short
    truncated = workbook_xls.read_bytes()[:3000]
    raw, findings = read_bytes(truncated, "断.xls")
    assert raw is None and [f.code for f in findings] == ["file-corrupt"]
    assert findings[0].message.startswith("断.xls")

"""Bad files through the command line: each gets a clear Chinese message naming the file and the
problem, exit status 1, and never stops a batch (issue 7 item 4).

Every file is made here with the tools that make such files in the wild: qpdf encrypts a real
PDF, msoffcrypto-tool encrypts Word and Excel files written by python-docx and openpyxl, Pillow
saves a page rendered by PDFium as an image-only PDF (a scan), real files are cut short, zipfile
writes a zip bomb and the DOCTYPEs of hostile XML into real .docx/.xlsx files, a sparse file is
200 MB. ``docs/bad-files.md`` is the table of these cases (file kind → message → exit status),
generated from the outcomes here: ``JIXIAO_UPDATE_DOCS=1 pytest tests/test_cli_bad_files.py``
rewrites it, and the test fails while it is stale.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from tests.conftest import DATA
from tests.conftest import seed

REAL = DATA / "real"
PDF = REAL / "sh_putuo_govoffice_2025_unit_budget.pdf"
XLS = REAL / "central_moe_pku_2019_project_library_export_target_monitor_selfeval.xls"
DOC_MD = Path(__file__).parents[1] / "docs" / "bad-files.md"


# -- builders: each writes one bad file of its kind into a folder and returns its path -----------------

def _docx(path: Path, table: bool = True) -> Path:
    import docx

    document = docx.Document()
    if table:
        document.add_paragraph("2024年项目支出绩效目标表")
        rows = [("一级指标", "二级指标", "三级指标", "指标值"), ("产出指标", "数量指标", "培训次数", "≥4次")]
        grid = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    else:
        document.add_paragraph("今天天气很好，我们去公园散步。")
        document.add_paragraph("下午回家读书。")
    document.save(path)
    return path


def _xlsx(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目标表"
    for line in seed("000").read_text(encoding="utf-8").splitlines():
        sheet.append(line.split("\t"))
    book.save(path)
    return path


def _encrypt(src: Path, out: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with src.open("rb") as fh, out.open("wb") as dst:
        OOXMLFile(fh).encrypt("口令123", dst)
    return out


def _rewrite(src: Path, out: Path, member: str, change: Callable[[bytes], bytes], extra: dict | None = None) -> Path:
    """A copy of a zip container with one member changed (and members added)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, change(data) if info.filename == member else data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return out


def _with_doctype(data: bytes, doctype: str, comment: int = 0) -> bytes:
    """The XML with a DOCTYPE put after its declaration (if any) and a comment of ``comment`` characters."""
    note = f"<!--{'注' * comment}-->".encode() if comment else b""
    if data.startswith(b"<?"):
        head, _, body = data.partition(b"?>")
        return head + b"?>\n" + note + doctype.encode() + body
    return note + doctype.encode() + data


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)
EXTERNAL_ENTITY = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def encrypted_pdf(folder: Path) -> Path:
    out = folder / "加密.pdf"
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", str(PDF), str(out)], check=True)
    return out


def encrypted_docx(folder: Path) -> Path:
    return _encrypt(_docx(folder / "plain.docx"), folder / "加密.docx")


def encrypted_xlsx(folder: Path) -> Path:
    return _encrypt(_xlsx(folder / "plain.xlsx"), folder / "加密.xlsx")


def scanned_pdf(folder: Path) -> Path:
    """Page 1 of a real PDF rendered by PDFium and saved by Pillow as an image-only PDF."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(PDF))
    image = pdf[0].render(scale=100 / 72).to_pil().convert("L")
    pdf.close()
    out = folder / "扫描件.pdf"
    image.save(out, "PDF", resolution=100)
    return out


def _truncated(src: Path, out: Path) -> Path:
    data = src.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def truncated_pdf(folder: Path) -> Path:
    return _truncated(PDF, folder / "不完整.pdf")


def truncated_docx(folder: Path) -> Path:
    return _truncated(_docx(folder / "whole.docx"), folder / "不完整.docx")


def truncated_xlsx(folder: Path) -> Path:
    return _truncated(_xlsx(folder / "whole.xlsx"), folder / "不完整.xlsx")


def truncated_xls(folder: Path) -> Path:
    return _truncated(XLS, folder / "不完整.xls")


def zip_bomb_docx(folder: Path) -> Path:
    """A real .docx plus 40 MB of zeros that deflate to about 40 KB (ratio ≈ 1000:1)."""
    src = _docx(folder / "base.docx")
    return _rewrite(src, folder / "压缩炸弹.docx", "", bytes, {"word/media/image1.bin": bytes(40 * 1024 * 1024)})


def zip_bomb_xlsx(folder: Path) -> Path:
    """A real .xlsx whose sheet inflates to 3 MB: over a limit lowered to 1 MB (JIXIAO_MAX_UNZIPPED_BYTES)."""
    src = _xlsx(folder / "base.xlsx")
    return _rewrite(src, folder / "压缩炸弹.xlsx", "xl/worksheets/sheet1.xml", lambda d: d + b" " * (3 * 1024 * 1024))


def billion_laughs_docx(folder: Path) -> Path:
    src = _docx(folder / "base.docx")
    return _rewrite(src, folder / "实体炸弹.docx", "word/document.xml", lambda d: _with_doctype(d, BILLION_LAUGHS))


def external_entity_xlsx(folder: Path) -> Path:
    src = _xlsx(folder / "base.xlsx")

    def change(data: bytes) -> bytes:
        data = _with_doctype(data, EXTERNAL_ENTITY)
        return data.replace(b"<sheetData>", b'<sheetData><row r="1"><c r="Z1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', 1)

    return _rewrite(src, folder / "外部实体.xlsx", "xl/worksheets/sheet1.xml", change)


def external_entity_docx(folder: Path) -> Path:
    src = _docx(folder / "base.docx")
    doctype = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return _rewrite(src, folder / "外部实体.docx", "word/document.xml",
                    lambda d: _with_doctype(d, doctype).replace(b"<w:t>", b"<w:t>&xxe;", 1))


def hidden_entity_docx(folder: Path) -> Path:
    """The DOCTYPE after a comment of 100,000 characters (a check of the first bytes would miss it)."""
    src = _docx(folder / "base.docx")
    return _rewrite(src, folder / "注释后的实体.docx", "word/document.xml",
                    lambda d: _with_doctype(d, BILLION_LAUGHS, comment=100_000))


def billion_laughs_xlsx(folder: Path) -> Path:
    src = _xlsx(folder / "base.xlsx")
    return _rewrite(src, folder / "实体炸弹.xlsx", "xl/worksheets/sheet1.xml", lambda d: _with_doctype(d, BILLION_LAUGHS))


def huge_pdf(folder: Path) -> Path:
    out = folder / "超大.pdf"
    with out.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB without writing them
    return out


def million_rows_xlsx(folder: Path) -> Path:
    """Seed 000's target table, then a million empty rows formatted as Excel writes them
    (``<row … s="1" customFormat="1"/>``): only the used range is read."""
    import xlsxwriter

    src = folder / "base_fmt.xlsx"
    book = xlsxwriter.Workbook(str(src))
    sheet = book.add_worksheet("目标表")
    book.add_format({"bg_color": "#FFFFCC", "border": 1})
    lines = seed("000").read_text(encoding="utf-8").splitlines()
    for r, line in enumerate(lines):
        for c, text in enumerate(line.split("\t")):
            if text:
                sheet.write_string(r, c, text)
    book.close()
    first = len(lines) + 1
    rows = "".join(f'<row r="{r}" s="1" customFormat="1" ht="18" customHeight="1"/>' for r in range(first, first + 1_000_000))
    out = folder / "百万空行.xlsx"
    return _rewrite(src, out, "xl/worksheets/sheet1.xml", lambda d: d.replace(b"</sheetData>", rows.encode() + b"</sheetData>"))


def no_table_docx(folder: Path) -> Path:
    return _docx(folder / "无表格.docx", table=False)


def empty_file(folder: Path) -> Path:
    out = folder / "空文件.docx"
    out.write_bytes(b"")
    return out


def other_zip(folder: Path) -> Path:
    out = folder / "资料.zip"
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("说明.txt", "不是 Office 文档")
    return out


def missing_file(folder: Path) -> Path:
    return folder / "不存在.pdf"


@dataclass(frozen=True)
class Case:
    kind: str  # the row of docs/bad-files.md
    build: Callable[[Path], Path]
    code: str | None  # the finding that says why (None: the file is read)
    exit: int = 1
    env: dict[str, str] | None = None  # run in a subprocess with these variables
    no_ocr: bool = False


CASES: tuple[Case, ...] = (
    Case("PDF，设有打开密码（qpdf 加密）", encrypted_pdf, "file-encrypted"),
    Case("Word（.docx），设有打开密码", encrypted_docx, "file-encrypted"),
    Case("Excel（.xlsx），设有打开密码", encrypted_xlsx, "file-encrypted"),
    Case("扫描件 PDF（只有图像，没有文字层；未安装 OCR 组件）", scanned_pdf, "file-scanned", no_ocr=True),
    Case("PDF，文件不完整（截去后半）", truncated_pdf, "file-corrupt"),
    Case("Word（.docx），文件不完整", truncated_docx, "file-corrupt"),
    Case("Excel（.xlsx），文件不完整", truncated_xlsx, "file-corrupt"),
    Case("Excel 97-2003（.xls），文件不完整", truncated_xls, "file-corrupt"),
    Case("Word（.docx），压缩炸弹（40 MB 的零压缩为约 40 KB）", zip_bomb_docx, "file-zip-bomb"),
    Case("Excel（.xlsx），解压后超过上限（上限由 JIXIAO_MAX_UNZIPPED_BYTES 调为 1 MB）", zip_bomb_xlsx, "file-zip-bomb",
         env={"JIXIAO_MAX_UNZIPPED_BYTES": str(1024 * 1024)}),
    Case("Word（.docx），document.xml 含实体炸弹（billion laughs）", billion_laughs_docx, "file-hostile-xml"),
    Case("Word（.docx），document.xml 含外部实体（file:///etc/passwd）", external_entity_docx, "file-hostile-xml"),
    Case("Word（.docx），实体声明藏在 10 万字的注释之后", hidden_entity_docx, "file-hostile-xml"),
    Case("Excel（.xlsx），工作表 XML 含实体炸弹（billion laughs）", billion_laughs_xlsx, "file-hostile-xml"),
    Case("Excel（.xlsx），工作表 XML 含外部实体（file:///etc/passwd）", external_entity_xlsx, "file-hostile-xml"),
    Case("200 MB 的文件", huge_pdf, "file-too-large"),
    Case("Excel（.xlsx），表格下方一百万个设了格式的空行", million_rows_xlsx, None, exit=0),
    Case("没有可识别表格的文档（Word）", no_table_docx, "no-table-found"),
    Case("空文件", empty_file, "file-empty"),
    Case("不是 Office 文档的压缩包", other_zip, "file-format-unknown"),
    Case("文件不存在", missing_file, "file-not-found"),
)


@dataclass
class Outcome:
    path: Path
    exit: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def data(self) -> dict:
        return json.loads(self.stdout)


def _run(case: Case, path: Path) -> Outcome:
    """``jixiao parse --json -j 1 FILE``, in this process (a subprocess when the case sets variables)."""
    args = ["parse", "--json", "-j", "1", str(path)]
    start = time.perf_counter()
    if case.env:
        done = subprocess.run([sys.executable, "-m", "jixiao.cli", *args], capture_output=True, text=True,
                              env={**os.environ, **case.env}, timeout=300)
        return Outcome(path, done.returncode, done.stdout, done.stderr, time.perf_counter() - start)
    with pytest.MonkeyPatch.context() as mp:
        if case.no_ocr:  # the OCR extra not installed: its module cannot be imported
            mp.setitem(sys.modules, "jixiao.readers.ocr", None)
        result = CliRunner().invoke(app, args)
    return Outcome(path, result.exit_code, result.stdout, result.stderr, time.perf_counter() - start)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    """Every case built in a folder of its own and read alone."""
    found = {}
    for i, case in enumerate(CASES):
        folder = tmp_path_factory.mktemp(f"bad{i:02d}")
        found[case.kind] = _run(case, case.build(folder))
    return found


def _template(code: str, file: str) -> re.Pattern[str]:
    """The catalogue template of ``code`` as a pattern, with the file's name put in."""
    from jixiao.findings.catalog import CATALOG

    parts = re.split(r"\{[a-z_]+\}", CATALOG[code].template)
    fields = re.findall(r"\{([a-z_]+)\}", CATALOG[code].template)
    pattern = re.escape(parts[0])
    for name, part in zip(fields, parts[1:]):
        pattern += (re.escape(file) if name == "file" else ".+?") + re.escape(part)
    return re.compile(pattern, re.S)


def _message(outcome: Outcome) -> str:
    """The file's message in the JSON files section."""
    (entry,) = outcome.data["files"]
    return entry["message"] or ""


@pytest.mark.parametrize("case", CASES, ids=[c.build.__name__ for c in CASES])
def test_a_bad_file_gets_its_message_and_exit_status(case, outcomes):
    outcome = outcomes[case.kind]
    assert outcome.exit == case.exit, outcome.stderr
    assert "Traceback" not in outcome.stderr + outcome.stdout
    (entry,) = outcome.data["files"]
    assert entry["path"] == str(outcome.path)
    if case.code is None:
        assert entry["status"] == "ok" and entry["message"] is None and entry["tables"] >= 1
        assert outcome.stderr == ""
        return
    assert entry["status"] == "failed"
    if case.code != "no-table-found":  # nothing was read
        assert outcome.data["documents"] == []
    # the message is the catalogue's for the code, names the file, and is what stderr says
    message = entry["message"]
    assert _template(case.code, str(outcome.path)).fullmatch(message), message
    assert outcome.stderr.splitlines()[0] == message.splitlines()[0]
    assert "root:" not in outcome.stdout + outcome.stderr  # /etc/passwd never read


def test_a_million_formatted_empty_rows_cost_only_the_used_range(outcomes):
    outcome = outcomes["Excel（.xlsx），表格下方一百万个设了格式的空行"]
    tables = outcome.data["documents"][0]["tables"]
    assert [t["kind"] for t in tables] == ["department_targets", "project_targets"]


def test_the_message_of_a_scan_says_how_to_read_it(outcomes):
    message = _message(outcomes["扫描件 PDF（只有图像，没有文字层；未安装 OCR 组件）"])
    assert message.endswith("扫描件，需安装 OCR 组件（pip install jixiao[ocr]）；共 1 页没有文字层")


def test_bad_files_never_stop_a_batch(tmp_path):
    """All the bad files and a good one in one `check` on a pool of two workers: every file is
    reported in input order, the good one is checked, exit status 1."""
    built = []
    for i, case in enumerate(CASES):
        if case.env or case.no_ocr or case.code is None:
            continue
        folder = tmp_path / f"b{i:02d}"
        folder.mkdir()
        built.append((case, case.build(folder)))
    good = seed("003")
    paths = [str(p) for _, p in built]
    paths.insert(len(paths) // 2, str(good))
    result = CliRunner().invoke(app, ["check", "-p", "self-evaluation", "--format", "json", "-j", "2", *paths])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == paths
    statuses = {f["path"]: f["status"] for f in data["files"]}
    assert statuses.pop(str(good)) == "ok" and set(statuses.values()) == {"failed"}
    assert {f["code"] for f in data["findings"]} >= {"report-budget-differs"}
    assert all(f["location"].startswith(str(good)) for f in data["findings"])
    for _case, path in built:  # each failure named on stderr and in the summary table
        assert f"{path}：" in result.stderr
    assert f"共 {len(paths)} 个文件：成功 1，失败 {len(paths) - 1}，跳过 0" in result.stderr


def test_a_folder_skips_what_is_not_a_document_and_fails_what_claims_to_be_one(tmp_path):
    from PIL import Image

    folder = tmp_path / "材料"
    (folder / "子目录").mkdir(parents=True)
    (folder / "目标表.txt").write_bytes(seed("000").read_bytes())
    Image.new("RGB", (20, 20), "white").save(folder / "子目录" / "照片.png")
    (folder / "子目录" / "坏.pdf").write_bytes(b"%PDF-1.7\n" + bytes(200))
    (folder / "~$目标表.docx").write_bytes(b"lock")
    (folder / ".隐藏.txt").write_text("隐藏", encoding="utf-8")
    (folder / "README.md").write_text("# 说明\n这些是 2024 年的材料。\n", encoding="utf-8")
    (folder / "笔记.txt").write_text("今天天气很好。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", "--json", "-j", "1", str(folder)])
    assert result.exit_code == 1  # the broken PDF, the .txt without a table
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert set(files) == {"目标表.txt", "README.md", "笔记.txt", "照片.png", "坏.pdf"}  # hidden and lock files ignored
    assert files["目标表.txt"]["status"] == "ok"
    assert files["照片.png"]["status"] == "skipped" and "已跳过" in files["照片.png"]["message"]
    assert files["README.md"]["status"] == "skipped" and "没有识别出任何" in files["README.md"]["message"]
    assert files["笔记.txt"]["status"] == "failed"  # a .txt claims to be a document
    assert files["坏.pdf"]["status"] == "failed" and "文件已损坏" in files["坏.pdf"]["message"]
    assert "已忽略隐藏文件或锁文件 2 个" in result.stderr
    only_skipped = CliRunner().invoke(app, ["parse", "-j", "1", str(folder / "子目录" / "照片.png")])
    assert only_skipped.exit_code == 1  # named on the command line, a picture is a failure


# -- docs/bad-files.md -------------------------------------------------------------------------------

def bad_files_md(outcomes: dict[str, Outcome]) -> str:
    lines = [
        "<!-- GENERATED by tests/test_cli_bad_files.py from its cases; JIXIAO_UPDATE_DOCS=1 rewrites it. -->",
        "",
        "# 读不了的文件（bad files）",
        "",
        "每一种坏文件都由测试用真实工具生成（qpdf、msoffcrypto-tool、Pillow、PDFium、zipfile），经 `jixiao parse`",
        "读取；信息写在标准错误输出和 `--format json` / xlsx 输出的 `files` 一节。文件名为示例。一批文件中的坏文件",
        "只让它自己失败，其他文件照常处理；有文件失败时退出码为 1。",
        "",
        "| 文件 | 信息 | 退出码 |",
        "|---|---|---|",
    ]
    for case in CASES:
        outcome = outcomes[case.kind]
        message = _message(outcome).replace(str(outcome.path.parent) + os.sep, "") if case.code else "读取成功（只读取有内容的区域）"
        cell = message.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {case.kind} | {cell} | {outcome.exit} |")
    lines += [
        "",
        "限值：单个文件 100 MB（`JIXIAO_MAX_FILE_BYTES`）；Office 文档解压后合计 512 MB（`JIXIAO_MAX_UNZIPPED_BYTES`），",
        "解压后超过 16 MB 时压缩比不超过 200:1；压缩包成员不超过 20000 个；Office 文档中的 XML 不得含 DOCTYPE/ENTITY 声明。",
        "",
    ]
    return "\n".join(lines)


def test_docs_bad_files_is_current(outcomes):
    text = bad_files_md(outcomes)
    if os.environ.get("JIXIAO_UPDATE_DOCS"):
        DOC_MD.write_text(text, encoding="utf-8")
    assert (DOC_MD.read_text(encoding="utf-8") if DOC_MD.exists() else "") == text, "docs/bad-files.md is stale: JIXIAO_UPDATE_DOCS=1 pytest tests/test_cli_bad_files.py"

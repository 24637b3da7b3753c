"""The DOCX reader's text scan (readers/docx_scan.py) reads what the lxml walk reads, or hands over.

Every .docx the tests have or build is read both ways (``docx._read(..., fast=True/False)``)
and the RawDocuments must be the same: paragraphs and their locations, grids with their rows,
cells, merges and locations, and the findings. The documents: every seed and the 自评表 as
``tests/writers/docx.py`` writes them (the format-equivalence tests' files), the hand-made file
of ``test_formats_docx_html``, the bad files of ``test_cli_bad_files``, LibreOffice's .docx of
the real WPS outline and of written seeds, hand-written XML for each construct the scan reads and
for each it hands over, and documents Hypothesis draws with python-docx (random merges, header
rows, gridBefore/gridAfter, empty cells, text with ``&<>"'``, tabs, breaks, and the same XML
written other ways: character references, single quotes, spaces in tags, CRLF, BOM).
Where the scan should read a document itself, the test says so, so that the comparison is not
between the lxml walk and itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from jixiao.readers import docx as reader
from jixiao.readers.docx_scan import scan
from jixiao.readers.grid import Grid
from tests.conftest import DATA
from tests.conftest import SEED_FILES
from tests.conftest import seed
from tests.writers.docx import write_docx

QINGSHEN = DATA / "pg_qingshen_fgj_2023_project_selfeval_table_SC.txt"
REAL_DOC = DATA / "real" / "gd_shenzhen_2017_future_industry_project_selfeval_report_outline_TEMPLATE.doc"
PART = "word/document.xml"


def _shape(raw):
    """Everything a RawDocument says, as plain values (rows and cells have no equality)."""
    if raw is None:
        return None
    blocks = []
    for block in raw.blocks:
        if isinstance(block, Grid):
            rows = [(row.texts, row.location, [c.location for c in row.cells]) for row in block.rows]
            blocks.append(("grid", block.location, block.merges, rows))
        else:
            blocks.append(("paragraph", block.text, block.location))
    return raw.source, raw.layout, blocks


def _messages(findings):
    return [(f.code, f.message, f.location) for f in findings]


def _same(data: bytes, scanned: bool | None, name: str = "a.docx"):
    """Read ``data`` both ways, assert the same result; ``scanned``: whether the scan itself
    must read the main part (None: no matter). Returns the fast read."""
    if scanned is not None:
        main, _ = reader._main_part(data)
        assert main is not None
        assert (scan(main) is not None) == scanned
    fast, fast_findings = reader._read(data, name, fast=True)
    slow, slow_findings = reader._read(data, name, fast=False)
    assert _shape(fast) == _shape(slow)
    assert _messages(fast_findings) == _messages(slow_findings)
    return fast


def _part(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(PART)


def _with_part(data: bytes, xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, xml if item.filename == PART else src.read(item))
    return out.getvalue()


@cache
def _base() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


# ---------------------------------------------------------------- written documents


@pytest.mark.parametrize("original", [*SEED_FILES, QINGSHEN], ids=lambda p: p.name[:12])
def test_written_documents_read_the_same(original: Path, tmp_path: Path):
    from jixiao.readers.files import read_file

    raw, _ = read_file(original)
    data = write_docx(raw, tmp_path / "a.docx").read_bytes()
    fast = _same(data, scanned=True)
    assert fast.blocks


def test_handmade_document_read_the_same(tmp_path: Path):
    from tests.test_formats_docx_html import _handmade_docx

    # a text box and a nested table: the lxml walk reads it
    _same(_handmade_docx(tmp_path / "hand.docx").read_bytes(), scanned=False)


def test_bad_files_read_the_same(tmp_path: Path):
    """The bad .docx files of the command's tests, read by the reader alone (without the checks
    that refuse them first): a DTD, entities, a cut zip, no table."""
    from tests import test_cli_bad_files as bad

    builders = [bad.billion_laughs_docx, bad.external_entity_docx, bad.hidden_entity_docx, bad.truncated_docx,
                bad.no_table_docx]
    for k, build in enumerate(builders):
        folder = tmp_path / str(k)
        folder.mkdir()
        _same(build(folder).read_bytes(), scanned=None)


@pytest.fixture(scope="module")
def libreoffice_docx(tmp_path_factory) -> list[bytes]:
    """LibreOffice's .docx of the real WPS outline (.doc) and of two written seeds."""
    from jixiao.readers.files import read_file
    from jixiao.readers.office import convert_many

    folder = tmp_path_factory.mktemp("lo")
    inputs = [REAL_DOC]
    for original in (seed("000"), QINGSHEN):
        raw, _ = read_file(original)
        (folder / "in").mkdir(exist_ok=True)
        inputs.append(write_docx(raw, folder / "in" / f"{original.stem[:3]}.odt.docx"))
    # .docx → .odt → .docx, so that the file is LibreOffice's own writing
    odts = convert_many(inputs[1:], "odt", folder / "odt")
    done = convert_many([inputs[0], *odts.values()], "docx", folder / "out")
    assert all(not isinstance(path, str) for path in done.values()), done
    return [path.read_bytes() for path in done.values()]


def test_libreoffice_documents_read_the_same(libreoffice_docx):
    assert len(libreoffice_docx) == 3
    for data in libreoffice_docx:
        _same(data, scanned=True)


# ---------------------------------------------------------------- hand-written XML

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _xml(body: str, *, decl: str = DECL, namespaces: str = NAMESPACES, root: str = "w:document") -> bytes:
    return f"{decl}<{root} {namespaces}><w:body>{body}</w:body></{root}>".encode()


def _p(text: str, props: str = "", run: str = "") -> str:
    return f"<w:p>{props}<w:r>{run}<w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def _tc(body: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr><w:tcW w:w=\"1000\" w:type=\"dxa\"/>{props}</w:tcPr>{body}</w:tc>"


def _tr(*cells: str, props: str = "") -> str:
    return f"<w:tr>{'<w:trPr>' + props + '</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def _tbl(*rows: str, cols: int = 3) -> str:
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(cols))
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'


TABLE = _tbl(
    _tr(_tc(_p("一级指标")), _tc(_p("二级指标")), _tc(_p("指标值")), props="<w:tblHeader/>"),
    _tr(_tc(_p("产出指标"), '<w:vMerge w:val="restart"/>'), _tc(_p("数量")), _tc(_p("≥20"))),
    _tr(_tc("<w:p/>", "<w:vMerge/>"), _tc(_p("质量")), _tc(_p("100%"))),
    _tr(_tc("<w:p/>", '<w:vMerge w:val="continue"/>'), _tc(_p("见附表"), '<w:gridSpan w:val="2"/>')),
)

# name → (the body, or the whole part; whether the scan reads it itself)
HANDLED = {
    "table": TABLE,
    "entities": _p("&amp;&lt;&gt;&quot;&apos;&#20013;&#x6587;&#13;A&#10;B&#9;C &amp;amp;")
    + _tbl(_tr(_tc(_p("&lt;b&gt; &#x4E2D;&#25991; a&amp;b")), _tc(_p('"引号"')), _tc(_p("x > y")))),
    "quotes and spaces": "<w:p ><w:r ><w:t xml:space='preserve' > a  b </w:t ></w:r ></w:p >"
    + _tbl(_tr(_tc(_p("甲"), "<w:vMerge w:val = 'restart' />"), _tc(_p("乙"), "<w:gridSpan  w:val='2'/>")),
           _tr(_tc("<w:p/>", "<w:vMerge\n/>"), _tc(_p("丙")), _tc(_p("丁")))),
    "greater-than in attributes": '<w:p w14:paraId="1>2" w:rsidR="a/b"><w:r w:rsidR=">"><w:t>值</w:t></w:r></w:p>'
    + _tbl(_tr(_tc(_p("a"), "<w:gridSpan w:val=\"2\" w14:x=\"/>\"/>"), _tc(_p("b")))),
    "line ends": "<w:p><w:r><w:t>第一行\r\n第二行\r第三行&#13;</w:t></w:r></w:p>\r\n"
    + _tbl(_tr(_tc(_p("a\r\nb")), _tc(_p("c")), _tc(_p("d\re"))), cols=3),
    "tabs": '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/><w:tab w:val="right" w:pos="8000"/></w:tabs>'
    "</w:pPr><w:r><w:t>金额</w:t><w:tab/><w:t>万元</w:t><w:tab /><w:tab></w:tab><w:ptab w:relativeTo=\"margin\" "
    'w:alignment="right" w:leader="none"/></w:r></w:p>'
    + _tbl(_tr(_tc('<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="1"/></w:tabs></w:pPr><w:r><w:t>a</w:t>'
                   "<w:tab/><w:t>b</w:t></w:r></w:p>"), _tc(_p("c")))),
    "breaks": _p("换行", run='<w:br/><w:t>后</w:t><w:br w:type="textWrapping" w:clear="all"/>')
    + _p("分页", run='<w:br w:type="page"/>')
    + _p("", run='<w:br w:type="page"/>')
    + _p("回车", run="<w:cr/><w:t>后</w:t><w:noBreakHyphen/><w:softHyphen/><w:lastRenderedPageBreak/>")
    + _p("段前分页", "<w:pPr><w:pageBreakBefore/></w:pPr>")
    + _p("不分页", '<w:pPr><w:pageBreakBefore w:val="false"/></w:pPr>')
    + _p("不分页", "<w:pPr><w:pageBreakBefore w:val='0'/></w:pPr>")
    + _p("修订前分页", '<w:pPr><w:pPrChange w:id="1" w:author="a"><w:pPr><w:pageBreakBefore/></w:pPr>'
         "</w:pPrChange></w:pPr>")
    + _p("修订后", '<w:pPr><w:pageBreakBefore w:val="on"/><w:pPrChange w:id="2" w:author="a"><w:pPr/>'
         "</w:pPrChange></w:pPr>")
    + _tbl(_tr(_tc(_p("格", run='<w:br w:type="page"/><w:t>内</w:t><w:br/><w:cr/>')), _tc(_p("x")))),
    "containers": '<w:sdt><w:sdtPr><w:alias w:val="控件"/><w:placeholder><w:docPart w:val="x"/></w:placeholder>'
    f"</w:sdtPr><w:sdtContent>{_p('控件里的段落')}{TABLE}</w:sdtContent></w:sdt>"
    f'<w:customXml w:element="a">{_p("自定义")}</w:customXml>'
    f'<w:bookmarkStart w:id="0" w:name="b"/>{_p("书签")}<w:bookmarkEnd w:id="0"/>'
    f'<w:ins w:id="3" w:author="a">{_p("插入")}</w:ins><w:smartTag w:element="x">{_p("智能")}</w:smartTag>'
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>',
    "rows and cells": _tbl(
        _tr(_tc(_p("a")), _tc(_p("b")), props='<w:gridBefore w:val="1"/><w:gridAfter w:val=" 2 "/>'),
        _tr(_tc(_p("c")), props='<w:gridBefore w:val="x"/><w:tblHeader w:val="false"/>'),
        _tr(_tc(_p("d"), '<w:gridSpan w:val="0"/>'), _tc(_p("e"), "<w:gridSpan/>"), _tc(_p("f"))),
        _tr(_tc(_p("g")), _tc(_p("h"), '<w:tcPrChange w:id="4" w:author="a"><w:tcPr><w:gridSpan w:val="2"/>'
                             "</w:tcPr></w:tcPrChange>"),
            props='<w:trPrChange w:id="5" w:author="a"><w:trPr><w:gridBefore w:val="1"/></w:trPr></w:trPrChange>'),
        _tr(_tc('<w:p/><w:p><w:r><w:t></w:t><w:t/></w:r></w:p><w:p><w:r><w:t>第二段</w:t></w:r></w:p><w:p/>'
                '<w:p><w:r><w:br/><w:t>第四段</w:t></w:r></w:p>'),
            _tc('<w:p><w:bookmarkStart w:id="1" w:name="c"/><w:proofErr w:type="spellStart"/><w:hyperlink r:id="x">'
                '<w:r><w:t>链接</w:t></w:r></w:hyperlink><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r>'
                '</w:fldSimple><w:r><w:instrText> PAGE </w:instrText></w:r><w:del w:id="6" w:author="a"><w:r>'
                "<w:delText>删</w:delText><w:tab/></w:r></w:del></w:p>"),
            _tc('<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'
                "<w:t>多</w:t></w:r><w:r><w:t>个</w:t></w:r></w:p>")),
        _tr(_tc(_p("i"), '<w:vMerge w:val="continue"/>'), _tc(_p("j"), "<w:vMerge/>"), _tc("")),
        cols=4,
    )
    + "<w:tbl><w:tblPr/><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl><w:tbl><w:tblGrid/><w:tr/></w:tbl>",
    "properties after the text": _tbl(_tr(
        '<w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:tcPr><w:vMerge/></w:tcPr><w:p/><w:p><w:r><w:t>b</w:t>'
        '</w:r></w:p></w:tc>',
        '<w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>d'
        "</w:t></w:r></w:p></w:tc>")),
    "a cell's property in a paragraph": '<w:p><w:r><w:t>x</w:t><w:gridSpan w:val="2"/><w:t>y</w:t><w:vMerge/>'
    "</w:r></w:p>",
    "pictures declaring their namespaces": '<w:p><w:r><w:drawing><wp:inline><a:graphic '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" '
    'name="图"/></pic:nvPicPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing><w:t>图后</w:t>'
    "</w:r></w:p>",
    "BOM, no declaration": b"\xef\xbb\xbf" + _xml(_p("甲") + TABLE, decl=""),
    "declaration in single quotes": _xml(_p("乙"), decl="<?xml version='1.0' encoding='utf-8'?>"),
    "empty body": f"{DECL}<w:document {NAMESPACES}><w:body/></w:document>".encode(),
    "only a section": '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>',
}

FALLS_BACK = {
    "comment": _p("a") + "<!-- 注释 -->" + _p("b"),
    "comment in text": "<w:p><w:r><w:t>a<!-- x -->b</w:t></w:r></w:p>",
    "processing instruction": _p("a") + "<?mso-application progid='Word.Document'?>",
    "CDATA": "<w:p><w:r><w:t><![CDATA[<b>&]]></w:t></w:r></w:p>",
    "processing instruction, no declaration": b"<?mso-application progid='Word.Document'?>" + _xml(_p("a"), decl=""),
    "DOCTYPE": b'<?xml version="1.0"?><!DOCTYPE w:document>' + _xml(_p("a"), decl=""),
    "another encoding": _xml(_p("abc"), decl='<?xml version="1.0" encoding="ISO-8859-1"?>'),
    "UTF-16": _xml(_p("甲"), decl='<?xml version="1.0" encoding="UTF-16"?>').decode().encode("utf-16"),
    "default namespace": f'{DECL}<document xmlns="{W_NS}"><body><p><r><t>甲</t></r></p></body></document>'.encode(),
    "two prefixes": _xml(_p("甲"), namespaces=f'{NAMESPACES} xmlns:x="{W_NS}"'),
    "prefix bound again below": f'<w:p xmlns:w="urn:other"><w:r><w:t>甲</w:t></w:r></w:p>{_p("乙")}',
    "math prefix bound again below": '<w:p><w:r xmlns:m="urn:other"><w:tab/><w:t>甲</w:t></w:r></w:p>',
    "namespace declared below": f'<x:p xmlns:x="{W_NS}"><x:r><x:t>甲</x:t></x:r></x:p>',
    "math": '<w:p><m:oMath><m:r><w:tab/><m:t>x</m:t></m:r></m:oMath><w:r><w:t>式</w:t></w:r></w:p>',
    "alternate content": '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="w14"><w:t>新</w:t></mc:Choice>'
    "<mc:Fallback><w:t>旧</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>",
    "text box": '<w:p><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent>'
    "</w:pict></w:r></w:p>",
    "nested table": _tbl(_tr(_tc(_p("外") + _tbl(_tr(_tc(_p("内")))) + "<w:p/>"))),
    "tracked grid change": '<w:tbl><w:tblGrid><w:gridCol w:w="1"/><w:tblGridChange w:id="1"><w:tblGrid>'
    '<w:gridCol w:w="2"/></w:tblGrid></w:tblGridChange></w:tblGrid><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>',
    "paragraph in a deletion": f'<w:del w:id="1" w:author="a">{_p("删")}</w:del>{_p("留")}',
    "tab stop in a run": '<w:p><w:r><w:tab w:val="left" w:pos="100"/><w:t>a</w:t></w:r></w:p>',
    "element in text": "<w:p><w:r><w:t>a<w:b/>b</w:t></w:r></w:p>",
    "not a document": _xml(_p("甲"), root="w:glossaryDocument"),
    "background first": f"{DECL}<w:document {NAMESPACES}><w:background w:color=\"FFFFFF\"/><w:body>{_p('甲')}"
    "</w:body></w:document>".encode(),
    "two bodies": f"{DECL}<w:document {NAMESPACES}><w:body>{_p('甲')}</w:body><w:body>{_p('乙')}</w:body>"
    "</w:document>".encode(),
    "no body": f"{DECL}<w:document {NAMESPACES}/>".encode(),
    "not well-formed": f"{DECL}<w:document {NAMESPACES}><w:body>{_p('甲')}</w:document>".encode(),
    "undefined entity": _p("&nbsp;"),
    "undeclared prefix": "<w:p><x:r><w:t>甲</w:t></x:r></w:p>",
    "bad bytes": _xml(_p("甲")).replace("甲".encode(), b"\xff\xfe"),
}


def _as_part(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else _xml(content)


@pytest.mark.parametrize("name", list(HANDLED))
def test_constructs_the_scan_reads(name):
    _same(_with_part(_base(), _as_part(HANDLED[name])), scanned=True)


@pytest.mark.parametrize("name", list(FALLS_BACK))
def test_constructs_the_lxml_walk_reads(name):
    _same(_with_part(_base(), _as_part(FALLS_BACK[name])), scanned=False)


def test_constructs_read_as_expected():
    """A few of the constructs by their result, not only by agreement."""
    raw = _same(_with_part(_base(), _xml(HANDLED["entities"])), scanned=True)
    assert raw.blocks[0].text == "&<>\"'中文\rA B C &amp;"  # (a paragraph keeps a CR, as before)
    assert raw.blocks[1].rows[0].texts == ["<b> 中文 a&b", '"引号"', "x > y"]
    raw = _same(_with_part(_base(), _xml(HANDLED["table"])), scanned=True)
    grid = raw.blocks[0]
    assert [row.texts for row in grid.rows][1:] == [["产出指标", "数量", "≥20"], ["产出指标", "质量", "100%"],
                                                  ["产出指标", "见附表", "见附表"]]
    raw = _same(_with_part(_base(), _xml(HANDLED["tabs"])), scanned=True)
    assert raw.blocks[0].text == "金额 万元"
    assert raw.blocks[1].rows[0].texts == ["a b", "c"]
    raw = _same(_with_part(_base(), _xml(FALLS_BACK["not well-formed"])), scanned=False)
    assert raw is None


# ---------------------------------------------------------------- drawn documents

_CHARS = st.sampled_from(list("金额万元项目指标年度预算≥%.0123456789 　\u00a0&<>\"'ab\t\n")) | st.characters(
    min_codepoint=0x20, max_codepoint=0xD7FF
)
_TEXT = st.text(_CHARS, max_size=10)


@st.composite
def _documents(draw):
    doc = Document()
    nested = False
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            p = doc.add_paragraph()
            for _ in range(draw(st.integers(0, 3))):
                run = p.add_run(draw(_TEXT))
                kind = draw(st.sampled_from(["", "", "tab", "br", "page"]))
                if kind == "tab":
                    run.add_tab()
                elif kind:
                    from docx.enum.text import WD_BREAK

                    run.add_break(WD_BREAK.PAGE if kind == "page" else WD_BREAK.LINE)
            p.paragraph_format.page_break_before = draw(st.sampled_from([None, True, False]))
            if draw(st.booleans()):
                p.paragraph_format.tab_stops.add_tab_stop(914400)
            continue
        rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
        table = doc.add_table(rows=rows, cols=cols)
        cells = [list(r.cells) for r in table.rows]
        for r in range(rows):
            for c in range(cols):
                texts = draw(st.lists(_TEXT, max_size=3))
                if texts:
                    cells[r][c].text = texts[0]
                    for text in texts[1:]:
                        cells[r][c].add_paragraph(text)
        taken: set[tuple[int, int]] = set()
        for r, c, h, w in draw(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(1, 3),
                                                  st.integers(1, 3)), max_size=3)):
            box = {(i, j) for i in range(r, min(r + h, rows)) for j in range(c, min(c + w, cols))}
            if r < rows and c < cols and not box & taken and len(box) > 1:
                cells[r][c].merge(cells[min(r + h, rows) - 1][min(c + w, cols) - 1])
                taken |= box
        if draw(st.integers(0, 9)) == 0:
            cells[0][0].add_table(rows=1, cols=2).cell(0, 0).text = draw(_TEXT)
            nested = True
        for k, tr in enumerate(table._tbl.tr_lst):
            props = []
            before, after = draw(st.integers(0, 2)), draw(st.integers(0, 2))
            if before:
                props.append(f'<w:gridBefore w:val="{before}"/>')
            if after:
                props.append(f'<w:gridAfter w:val="{after}"/>')
            if k < draw(st.integers(0, 2)):
                props.append("<w:tblHeader/>")
            if props:
                from docx.oxml import parse_xml

                tr.insert(0, parse_xml(f'<w:trPr xmlns:w="{W_NS}">{"".join(props)}</w:trPr>'))
        if draw(st.booleans()):
            for vmerge in table._tbl.iter(qn("w:vMerge")):
                if vmerge.get(qn("w:val")) is None:
                    vmerge.set(qn("w:val"), "continue")
    out = io.BytesIO()
    doc.save(out)
    data = out.getvalue()
    xml = _part(data).decode("utf-8")
    for way in draw(st.sets(st.sampled_from(["refs", "quotes", "spaces", "crlf", "bom", "no declaration"]))):
        xml = _WAYS[way](xml)
    return _with_part(data, xml.encode("utf-8")), nested


def _refs(xml: str) -> str:
    """Non-ASCII characters of text nodes as character references, decimal and hexadecimal."""
    def text(m: re.Match) -> str:
        return ">" + "".join(
            (f"&#{ord(ch)};" if ord(ch) % 2 else f"&#x{ord(ch):X};") if ord(ch) > 127 else ch for ch in m.group(1)
        ) + "<"

    head, sep, body = xml.partition("<w:body>")
    return head + sep + re.sub(r">([^<]+)<", text, body)


_WAYS = {
    "refs": _refs,
    "quotes": lambda xml: re.sub(r'<[^?!][^>]*>', lambda m: re.sub(r'="([^"\']*)"', r"='\1'", m.group()), xml),
    "spaces": lambda xml: xml.replace("</w:t>", "</w:t >").replace("<w:tc>", "<w:tc >").replace("/>", " />"),
    "crlf": lambda xml: xml.replace("><w:", ">\r\n<w:").replace("<w:t>", "<w:t>\r\n"),
    "bom": lambda xml: "\ufeff" + xml,
    "no declaration": lambda xml: re.sub(r"^<\?xml[^>]*\?>\s*", "", xml),
}


@given(_documents())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_drawn_documents_read_the_same(drawn):
    data, nested = drawn
    _same(data, scanned=None if nested else True)


def test_builder_sends_every_row_to_be_cleaned_that_needs_it():
    """DocBuilder keeps a row as it is when its text is printable and has no space: every other
    character that cleaning acts on must be unprintable."""
    from jixiao.readers.build import _NEEDS_CLEANING
    from jixiao.readers.build import DocBuilder

    assert all(not ch.isprintable() for ch in _NEEDS_CLEANING if ch != " ")
    builder = DocBuilder("a.docx", "docx")
    grid = builder.grid([[f"金额{ch}万元", "甲"] for ch in _NEEDS_CLEANING] + [["金额万元", "甲"]])
    assert [row.texts for row in grid.rows] == [["金额万元", "甲"]] * (len(_NEEDS_CLEANING) + 1)

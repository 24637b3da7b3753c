"""The DOCX reader finds the main document part by the package's relationships, reading the zip
directly (python-docx's package layer only when the direct way does not make sense of it).

Files are written by python-docx, then their zip is rewritten (parts renamed, dropped, added),
as a generator other than Word might lay a package out.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document

from jixiao.readers.docx import read_docx
from jixiao.readers.dump import to_text
from jixiao.readers.files import read_bytes


def _docx() -> bytes:
    doc = Document()
    doc.add_paragraph("2023年项目支出绩效目标表")
    table = doc.add_table(rows=2, cols=3)
    for r, texts in enumerate((["一级指标", "二级指标", "指标值"], ["产出指标", "数量指标", "≥20场"])):
        for c, text in enumerate(texts):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(1, 0))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _rewrite(data: bytes, edit) -> bytes:
    """The package with each member passed through ``edit(name, content)`` → [(name, content)]."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            for name, content in edit(item.filename, src.read(item)):
                dst.writestr(name, content)
    return out.getvalue()


def test_main_part_under_another_name_is_found_by_its_relationship():
    data = _docx()

    def rename(name: str, content: bytes):
        if name == "word/document.xml":
            return [("word/main-body.xml", content)]
        if name == "word/_rels/document.xml.rels":
            return [("word/_rels/main-body.xml.rels", content)]
        if name in ("_rels/.rels", "[Content_Types].xml"):
            return [(name, content.replace(b"/word/document.xml", b"/word/main-body.xml")
                     .replace(b"word/document.xml", b"word/main-body.xml"))]
        return [(name, content)]

    renamed = _rewrite(data, rename)
    with zipfile.ZipFile(io.BytesIO(renamed)) as zf:
        assert "word/document.xml" not in zf.namelist()
    original, _ = read_bytes(data, "a.docx")
    moved, findings = read_docx(renamed, "a.docx")  # (format detection looks for word/document.xml)
    assert moved is not None and not findings
    assert to_text(moved) == to_text(original)
    assert "数量指标\t≥20场" in to_text(moved)


def test_main_part_typed_by_default_extension_is_found():
    """No Override for the part: its type comes from a Default for its extension."""
    data = _docx()

    def retype(name: str, content: bytes):
        if name == "word/document.xml":
            return [("word/body.docxml", content)]
        if name == "word/_rels/document.xml.rels":
            return [("word/_rels/body.docxml.rels", content)]
        if name == "_rels/.rels":
            return [(name, content.replace(b"word/document.xml", b"word/body.docxml"))]
        if name == "[Content_Types].xml":
            main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
            content = content.replace(b'<Override PartName="/word/document.xml" ContentType="' + main + b'"/>', b"")
            assert b"/word/document.xml" not in content
            return [(name, content.replace(b"<Default ", b'<Default Extension="docxml" ContentType="' + main
                                           + b'"/><Default ', 1))]
        return [(name, content)]

    raw, findings = read_docx(_rewrite(data, retype), "b.docx")
    assert raw is not None and not findings
    assert "二级指标\t指标值" in to_text(raw)


def test_package_without_relationships_is_corrupt_and_named():
    data = _rewrite(_docx(), lambda name, content: [] if name == "_rels/.rels" else [(name, content)])
    raw, findings = read_bytes(data, "norels.docx")
    assert raw is None
    assert findings[0].code in ("file-corrupt", "file-format-unknown") and "norels.docx" in findings[0].message


def test_main_part_not_a_word_document_is_corrupt():
    """The officeDocument relationship points at a part typed as something else: not read."""
    def mistype(name: str, content: bytes):
        if name == "[Content_Types].xml":
            return [(name, content.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.styles+xml", 1))]
        return [(name, content)]

    raw, findings = read_docx(_rewrite(_docx(), mistype), "typed.docx")
    assert raw is None and findings[0].code == "file-corrupt" and "typed.docx" in findings[0].message

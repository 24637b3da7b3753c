"""Write a RawDocument as a web page the way government sites publish one.

``write_html(raw, path, encoding="utf-8", layout=True)``: paragraphs as ``<p>`` (a title as
``<h2>``), tables with ``rowspan``/``colspan`` (the merges ``merges.infer_merges`` finds, or a
cell-by-cell 自评表 laid out as its form by ``forms``). With ``layout`` the page is what sites
serve: the content inside a layout table (banner, navigation and footer cells around it), a
script, a style sheet, a hidden element. The charset is declared in a ``<meta http-equiv>``;
characters the encoding lacks are written as character references.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from jixiao.readers.grid import Grid
from jixiao.readers.grid import RawDocument
from tests.writers.forms import cell_texts
from tests.writers.forms import is_cell_form
from tests.writers.forms import selfeval_form
from tests.writers.merges import infer_merges
from tests.writers.merges import square


def table_html(rows: list[list[str]], merges=None) -> str:
    rows = square(rows)
    regions = infer_merges(rows) if merges is None else merges
    starts = {(m[0], m[1]): m for m in regions}
    covered = {
        (r, c)
        for m in regions
        for r in range(m[0], m[2] + 1)
        for c in range(m[1], m[3] + 1)
        if (r, c) != (m[0], m[1])
    }
    out = ['<table border="1" cellspacing="0" cellpadding="2" class="MsoTableGrid">']
    for i, row in enumerate(rows):
        out.append("<tr>")
        for j, text in enumerate(row):
            if (i, j) in covered:
                continue
            attrs = ""
            if (i, j) in starts:
                m = starts[(i, j)]
                if m[2] > m[0]:
                    attrs += f' rowspan="{m[2] - m[0] + 1}"'
                if m[3] > m[1]:
                    attrs += f' colspan="{m[3] - m[1] + 1}"'
            body = "<br>".join(escape(part) for part in text.split("\n")) if text else "&nbsp;"
            out.append(f'<td{attrs}><p style="margin:0">{body}</p></td>')
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def body_html(raw: RawDocument) -> str:
    parts: list[str] = []
    if is_cell_form(raw):
        paragraphs, rows, merges = selfeval_form(cell_texts(raw))
        parts.extend(f"<p>{escape(p)}</p>" for p in paragraphs)
        parts.append(table_html(rows, merges))
        return "\n".join(parts)
    for block in raw.blocks:
        if isinstance(block, Grid):
            parts.append(table_html([row.texts for row in block.rows]))
        elif block.text.endswith("表") and len(block.text) < 40:
            parts.append(f'<h2 align="center">{escape(block.text)}</h2>')
        else:
            parts.append(f'<p style="text-indent:2em">{escape(block.text)}</p>')
    return "\n".join(parts)


def write_html(raw: RawDocument, path: str | Path, *, encoding: str = "utf-8", layout: bool = True) -> Path:
    """Write ``raw`` as an HTML page at ``path`` in ``encoding`` (declared in the page)."""
    body = body_html(raw)
    if layout:
        body = f"""<table width="100%" border="0" id="layout">
<tr><td><div class="banner">XX县人民政府门户网站</div></td></tr>
<tr><td><nav><a href="#">首页</a> | <a href="#">政务公开</a> | <a href="#">财政预决算</a></nav></td></tr>
<tr><td><div class="content">
{body}
</div></td></tr>
</table>
<div style="display:none">隐藏的统计代码</div>
<script>var _hmt = _hmt || []; document.write("不应读出");</script>"""
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>预算公开</title>
<style type="text/css">td {{ font-family: 宋体; }}</style>
</head>
<body>
{body}
</body>
</html>
"""
    path = Path(path)
    path.write_bytes(page.encode(encoding, "xmlcharrefreplace"))
    return path

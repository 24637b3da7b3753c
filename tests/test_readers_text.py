"""Text reader: both layouts, and no input whatever makes reading or parsing raise."""

from __future__ import annotations

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from jixiao.parse.document import parse_document
from jixiao.readers.grid import Grid
from jixiao.readers.text import read_text_bytes

CELL = st.text(alphabet=st.sampled_from(list("一二产出指标效益满意度≥≤%万元0123456789.,： （）/") + ["\u3000"]), max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_any_bytes_read_or_fail_with_a_finding(data):
    raw, findings = read_text_bytes(data, "fuzz.txt")
    if raw is None:
        assert any(f.severity.value == "error" for f in findings)
        assert all(f.message.startswith("fuzz.txt") for f in findings)
    else:
        parse_document(raw)  # never raises


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=12), max_size=30), st.booleans())
def test_any_table_text_parses(rows, with_title):
    lines = ["2023年项目支出绩效目标表", "单位：万元"] if with_title else []
    lines += ["\t".join(r) for r in rows]
    raw, _ = read_text_bytes("\n".join(lines).encode(), "t.txt")
    if raw is not None:
        doc, findings = parse_document(raw)
        assert all(f.location is None or f.location.file == "t.txt" for f in findings)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="产出数量万元12345", min_size=1, max_size=6), min_size=2, max_size=6),
                min_size=1, max_size=10))
def test_tab_rows_keep_every_cell_and_its_place(rows):
    text = "\n".join("\t".join(r) for r in rows)
    raw, _ = read_text_bytes(text.encode(), "r.txt")
    (grid,) = [b for b in raw.blocks if isinstance(b, Grid)]
    assert [r.texts for r in grid.rows] == rows
    assert [r.location.line for r in grid.rows] == list(range(1, len(rows) + 1))
    assert all(c.location.column == i + 1 for r in grid.rows for i, c in enumerate(r.cells))


def test_cell_per_line_layout_rebuilds_wrapped_cells():
    text = "\t年度本级\n\n预算金额\n\t　96　\n\t该项目支出上级资金\n\t\n\n\t项目支出实施期\n\t1年\n\n\t填报\n\t单位\n\n\t一\n\t二\n"
    raw, _ = read_text_bytes(text.encode(), "f.txt")
    assert raw.layout == "cell-per-line"
    rows = [r.texts for b in raw.blocks if isinstance(b, Grid) for r in b.rows]
    assert rows[0] == ["年度本级预算金额", "96", "该项目支出上级资金", ""]
    assert rows[1] == ["项目支出实施期", "1年"]


def test_space_after_full_width_punctuation_is_layout():
    """``批示； 2.获得`` and ``批示；2.获得`` are one text (a PDF prints no space after ``；``): a cell keeps
    neither a space after full-width punctuation nor one between CJK characters; Latin spaces stay."""
    from jixiao.readers.grid import clean_cell

    assert clean_cell("领导批示； 2.获得省级") == "领导批示；2.获得省级"
    assert clean_cell("迈上新台阶。 2、深化改革") == "迈上新台阶。2、深化改革"
    assert clean_cell("（一） 绩效目标：\u3000完成") == "（一）绩效目标：完成"
    assert clean_cell("GB/T 39554.2-2020 标准, 2 次") == "GB/T 39554.2-2020 标准, 2 次"

"""The 自评表 written as XLSX, DOCX and PDF from one description (write.selfeval_table) and read back.

Seed 002 (沅江市行政审批服务局 2023: 部门整体 + six projects) scored with the actuals of
tests/selfeval_cards.py. Every format read back by jixiao's own readers and parser gives the
self-evaluation table model the scorecard describes (the figures are recomputed here from the card,
not taken from another read); the check finds nothing but the places left to the department; layout
facts come from the files; the pages are rendered to PNG.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP
from decimal import Decimal

import openpyxl.utils.cell as u
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings

from jixiao.model.selfeval_table import SelfEvalTable
from jixiao.parse.text import norm
from jixiao.readers.grid import Row
from jixiao.rules import run
from jixiao.scoring.numbers import num
from jixiao.selfeval.scorecard import Scorecard
from jixiao.write.formats import SUFFIXES
from jixiao.write.formats import write
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Table
from jixiao.write.selfeval_layout import load_table_layout
from jixiao.write.selfeval_layout import parse_table_layout
from jixiao.write.selfeval_table import build_selfeval_table
from jixiao.write.selfeval_table import display_width
from tests.selfeval_cards import card_002
from tests.selfeval_cards import executions
from tests.write_helpers import compact
from tests.write_helpers import docx_facts
from tests.write_helpers import pdf_fonts
from tests.write_helpers import pdf_pages
from tests.write_helpers import pdf_text
from tests.write_helpers import read_back
from tests.write_helpers import render_png
from tests.write_helpers import xlsx_facts

CENT = Decimal("0.01")
ALLOWED = {"amount-unit-missing", "selfeval-table-unfilled"}  # info: the 汇总 numbers, the fields left blank


@pytest.fixture(scope="module")
def card() -> Scorecard:
    return card_002()


@pytest.fixture(scope="module")
def files(card) -> dict[str, bytes]:
    doc = build_selfeval_table(card)
    return {fmt: write(doc, fmt) for fmt in ("xlsx", "docx", "pdf")}  # the PDF: one LibreOffice run


def expected(card: Scorecard) -> list[tuple]:
    """What the forms print, from the scorecard: the model the parser must give back."""
    out = []
    for s in card.sets:
        x, ts = s.execution, s.entry.target_set
        rate = f"{(x.spent / x.budget * 100).quantize(CENT, ROUND_HALF_UP)}%"
        kind = "部门整体支出" if s.entry.table.kind == "department_targets" else "项目支出"
        indicators = tuple(
            (i.entry.indicator.level1, i.entry.indicator.name, num(i.actual) if isinstance(i.actual, Decimal) else i.actual,
             i.weight.quantize(CENT), i.points, i.reason)
            for i in s.indicators
        )
        out.append((
            norm(f"{kind}绩效自评表（{s.entry.table.year}年度）"), s.entry.label, s.entry.table.org, ts.unit,
            ts.goal.strip(),
            (x.initial.quantize(CENT), x.budget.quantize(CENT), x.spent.quantize(CENT), rate, card.profile.execution_weight,
             x.score.score),
            indicators, Decimal(100), s.total, s.grade,
        ))
    return out


def model(table: SelfEvalTable) -> tuple:
    total = table.budget_total
    indicators = tuple((i.level1, i.name, i.actual, i.weight and i.weight.quantize(CENT), i.score, i.reason)
                       for i in table.indicators)
    return (
        table.title, table.project.text, table.department.text, table.implementer.text, table.goal.text,
        (total.initial, total.adjusted, total.spent, total.rate_text, total.weight, total.score),
        indicators, table.total_weight, table.total_score, table.grade,
    )


def test_the_card_scores_what_the_forms_print(card):
    """The fixture's figures, worked by hand: the department spends 821.08 of 864.30 (95.00% → 9.50);
    its first indicator is done at 27 of ≥30 万件 with 8.33 default points → 27/30 × 8.33 = 7.50."""
    whole = card.sets[0]
    assert (whole.execution.spent, whole.execution.score.score) == (Decimal("821.08"), Decimal("9.50"))
    first = whole.indicators[0]
    assert (first.weight, first.points) == (Decimal("8.33"), Decimal("7.50"))
    assert (whole.indicator_points, whole.total, whole.grade) == (Decimal("89.17"), Decimal("98.67"), "优")
    assert len(card.sets) == 7


def test_one_description_for_every_format(card):
    doc = build_selfeval_table(card)
    assert [p.name for p in doc.parts] == ["汇总", *(f"{n:02d} {s.entry.label}" for n, s in enumerate(card.sets, 1)),
                                           "评分说明", "问题清单"]
    form = doc.parts[1]
    title, table = form.blocks
    assert isinstance(title, Paragraph) and title.text == "部门整体支出绩效自评表（2023年度）"
    assert isinstance(table, Table) and len(table.columns) == 10
    # every row covers the ten columns: a cell's spans and the COVERED slots add up
    for row in table.rows:
        assert len(row) == 10
    reason = table.rows[7][8]  # 原因 beside 总额, over the three 其中 rows
    assert (reason.rowspan, reason.colspan) == (4, 2)
    assert all(table.rows[r][8] is None and table.rows[r][9] is None for r in (8, 9, 10))
    assert form.page.orientation == "landscape" and not form.page.page_numbers
    summary = doc.parts[0].blocks[1]
    assert summary.header_rows == 1 and [c.text for c in summary.rows[1]][9:11] == ["98.67", "优"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_round_trip(files, card, fmt):
    """Read back by jixiao.readers.files.read_bytes + parse: the same self-evaluation tables."""
    _raw, doc, findings = read_back(files[fmt], f"自评表{SUFFIXES[fmt]}")
    assert doc.kind == "self_evaluation_table"
    assert [model(t) for t in doc.tables] == expected(card)
    for table in doc.tables:
        assert table.conclusion.text.startswith("自评得分")
        # the places the department writes print the form's instruction, read as not filled
        for field in (table.goal_completion, table.problems, table.measures):
            assert field.instruction and not field.filled and "字以内" in field.printed
        assert [s.label for s in table.signatures] == ["项目负责人", "财务负责人"]
        assert not table.missing
    checked = [*findings, *run(doc)]
    assert {f.code for f in checked} <= ALLOWED, sorted({(f.code, str(f.location)) for f in checked} - ALLOWED)
    assert not [f for f in checked if f.severity.value != "info"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(executions())
def test_round_trip_of_any_execution(budgets):
    """Any 全年预算数/执行数 (up to 130% spent): the XLSX read back is the model the card describes, and
    the check finds nothing but info (the printed 执行率 and its score recompute)."""
    card = card_002(budgets)
    _raw, doc, findings = read_back(write(build_selfeval_table(card), "xlsx"), "自评表.xlsx")
    assert [model(t) for t in doc.tables] == expected(card)
    assert [f for f in [*findings, *run(doc)] if f.severity.value != "info"] == []


def test_scored_by_the_printed_standard(tmp_path):
    """Seed 001's indicators carry a 评（扣）分标准 (threshold, steps, deductions …): the form prints it after
    得分 and the check scores each indicator by it, as jixiao did — no score mismatch; XLSX and DOCX
    read back alike. (Its remaining errors are the data's: printed weights that do not add up to 90.)"""
    from jixiao.pipeline import parse_file
    from jixiao.selfeval.actuals import match_actuals
    from jixiao.selfeval.actuals import read_actuals
    from jixiao.selfeval.scorecard import score_document
    from jixiao.selfeval.template import write_template
    from tests.conftest import seed
    from tests.test_selfeval_roundtrip import fill

    doc, _ = parse_file(seed("001"))
    write_template(doc, tmp_path / "t.xlsx")
    fill(tmp_path / "t.xlsx", tmp_path / "filled.xlsx")
    actuals, _ = read_actuals(tmp_path / "filled.xlsx")
    card = score_document(doc, match_actuals(doc, actuals, "filled.xlsx"))
    written = build_selfeval_table(card)
    models = {}
    for fmt in ("xlsx", "docx"):
        _raw, read, found = read_back(write(written, fmt), f"自评表.{fmt}")
        checked = [*found, *run(read)]
        assert not [f for f in checked if f.code == "selfeval-table-score-mismatch"], fmt
        assert {f.code for f in checked if f.severity.value == "error"} <= {"selfeval-table-weight-sum"}
        models[fmt] = [(model(t), [i.scoring for i in t.indicators]) for t in read.tables]
    assert models["xlsx"] == models["docx"]
    first = models["xlsx"][0]
    assert first[1] == [i.entry.indicator.scoring or None for i in card.sets[0].indicators]
    assert first[1][0].startswith("完成小于60%不得分")


def test_a_wrong_score_is_still_caught(files, card):
    """The round trip is no tautology: the same file with one printed score changed fails the check."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    sheet = book.worksheets[1]
    assert sheet["C15"].value == card.sets[0].indicators[0].entry.indicator.name and sheet["I15"].value == 7.5
    sheet["I15"].value = 8.0
    out = io.BytesIO()
    book.save(out)
    _raw, doc, findings = read_back(out.getvalue(), "自评表.xlsx")
    codes = [(f.code, f.location.cell) for f in run(doc) if f.severity.value == "error"]
    assert ("selfeval-table-score-mismatch", "I15") in codes


def test_xlsx_layout_facts(files, card):
    sheets = {s.name: s for s in xlsx_facts(files["xlsx"])}
    form = sheets["01 沅江市行政审批服务局"]
    assert form.cells["A1"] == "部门整体支出绩效自评表（2023年度）" and form.cells["B2"] == "沅江市行政审批服务局"
    # title, 项目名称 value, 目标 halves, block headings, 总额's 原因 over the 其中 rows, 合计
    assert {"A1:J1", "B2:J2", "A5:E5", "F5:J5", "A7:J7", "A9:B9", "I9:J12", "A13:J13"} <= form.merged
    n = len(card.sets[0].indicators)
    assert f"A{15 + n}:G{15 + n}" in form.merged and form.cells[f"A{15 + n}"] == "合计"
    assert form.cells[f"I{15 + n}"] == pytest.approx(98.67) and form.number_formats[f"I{15 + n}"] == "0.00"
    assert form.cells["F9"] == pytest.approx(821.08 / 864.30) and form.number_formats["F9"] == "0.00%"
    assert form.fonts == {"宋体"} and form.paper == 9 and form.orientation == "landscape"
    assert form.fit_to_page and form.fit_width == 1 and form.fit_height == 0 and not form.footer
    summary = sheets["汇总"]
    assert summary.print_title_rows == "$2:$2" and "&P" in summary.footer
    assert sheets["评分说明"].print_title_rows == "$2:$2"


@pytest.mark.parametrize("sheet_name", ["汇总", "01 沅江市行政审批服务局", "评分说明"])
def test_xlsx_no_text_cut(files, sheet_name):
    """Every cell fits its (merged) width on one line, or wraps and its rows are tall enough — the 汇总
    header 未完全达成指标数 wrapped over a row one line high and the unit names overflowed their column."""
    sheet = next(s for s in xlsx_facts(files["xlsx"]) if s.name == sheet_name)
    spans = {r.split(":")[0]: r.split(":")[1] for r in sheet.merged}
    checked = 0
    for coord, value in sheet.cells.items():
        text = value if isinstance(value, str) else f"{value:,.2f}"
        c0, r0 = u.coordinate_from_string(coord)
        c1, r1 = u.coordinate_from_string(spans[coord]) if coord in spans else (c0, r0)
        i0, i1 = u.column_index_from_string(c0), u.column_index_from_string(c1)
        width = sum(sheet.widths[u.get_column_letter(i)] for i in range(i0, i1 + 1))
        size = sheet.sizes[coord]
        lines = math.ceil(display_width(text) * size / 10.5 / (width - 1))
        height = sum(sheet.heights.get(r, 15) for r in range(r0, r1 + 1))
        if lines > 1:
            assert sheet.wrap[coord], coord
        assert height >= lines * size * 1.2, (coord, text, lines, height)
        checked += 1
    assert checked > 50
    if sheet_name == "汇总":
        header = {v: k for k, v in sheet.cells.items() if isinstance(v, str)}
        assert sheet.wrap[header["未完全达成指标数"]] and sheet.heights[2] >= 2 * 10 * 1.2  # on two lines, row tall enough
        assert sheet.widths["D"] >= display_width("沅江市行政审批服务局")


def test_docx_layout_facts(files, card):
    facts = docx_facts(files["docx"])
    assert len(facts.sections) == len(card.sets) + 3
    for section in facts.sections:
        assert (section.width_mm, section.height_mm, section.orientation) == (297.0, 210.0, "landscape")
    forms = facts.sections[1:-2]
    assert all(not s.footer_fields for s in forms) and facts.sections[0].footer_fields
    assert facts.runs_without_east_asia == 0 and facts.east_asia_fonts == {"宋体"}
    summary, form = facts.tables[0], facts.tables[1]
    assert summary.header_rows == 1 and form.header_rows == 0
    assert (0, 1, 9) in form.spans and (3, 0, 5) in form.spans and (3, 5, 5) in form.spans
    assert (7, 8, "restart") in form.vmerges and (10, 8, "continue") in form.vmerges
    assert form.texts[12] == list(load_table_layout().form["indicator_headers"])


def test_pdf_fonts_text_and_pages(files, card):
    pdf = files["pdf"]
    fonts = pdf_fonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts) and any("CJK" in f["name"] for f in fonts)
    text = compact(pdf_text(pdf))
    for s in card.sets:
        assert compact(s.entry.label) in text and f"{s.total}" in text
        for i in s.indicators:  # a name wrapped in its cell is split by pdftotext (the round trip reads it whole)
            if display_width(i.entry.indicator.name) <= 26:
                assert compact(i.entry.indicator.name) in text
    for header in load_table_layout().form["indicator_headers"]:
        assert header in text
    pages = pdf_pages(pdf)
    assert len(pages) >= len(card.sets) + 3 and all(w > h for w, h in pages)
    pngs = render_png(pdf, "selfeval-table")
    assert len(pngs) == len(pages) and all(p.stat().st_size > 2000 for p in pngs)


def test_pdf_no_cell_text_cut(files, card):
    """Every cell of every part is read back whole from the PDF by jixiao's reader (pdftotext orders a
    wrapped cell's lines among its neighbours', the reader keeps them together)."""
    raw, _doc, _found = read_back(files["pdf"], "自评表.pdf")
    read = set()
    for line in raw.lines():
        read |= {compact(t) for t in line.texts} if isinstance(line, Row) else {compact(line.text)}
    written = [c.text for part in build_selfeval_table(card).parts for b in part.blocks if isinstance(b, Table)
               for row in b.rows for c in row if c is not None and c.text]
    assert len(written) > 500
    assert [t for t in written if compact(t) not in read] == []


def test_layout_is_checked():
    import tomllib
    from importlib import resources

    text = resources.files("jixiao").joinpath("data/layouts/hunan-2023/selfeval_table.toml").read_text("utf-8")
    data = tomllib.loads(text)
    assert parse_table_layout(data, "x").widths[2] == Decimal(30)
    data["form"]["widths"] = data["form"]["widths"][:9]
    with pytest.raises(ValueError, match="10 列"):
        parse_table_layout(data, "x")
    del data["form"]
    with pytest.raises(ValueError, match="缺少 form"):
        parse_table_layout(data, "x")


def test_no_findings_means_empty_list(card):
    """A scorecard without findings still has its 问题清单 part (the header row only)."""
    clean = Scorecard(card.source, card.profile, card.sets[:1], ())
    doc = build_selfeval_table(clean)
    assert doc.title == "部门整体支出绩效自评表（2023年度）"
    findings = doc.parts[-1].blocks[1]
    assert len(findings.rows) == 1 and [c.text for c in findings.rows[0]] == ["序号", "位置", "级别", "代码", "内容"]

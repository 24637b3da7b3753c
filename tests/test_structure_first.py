"""Structure before content (issue 7): a title repeated across its row is a title; a table holding
only a 无 row and a 空表 note is empty; one bad cell is one finding, never counted again into the
totals above it (no cascade of consequential errors).

The inline disclosure is test_rules_disclosure's consistent ``BASE``; each test changes one line.
"""

from __future__ import annotations

import pytest

from jixiao.pipeline import parse_text
from jixiao.rules import Context
from jixiao.rules import run
from tests.test_rules_disclosure import BASE
from tests.test_rules_disclosure import line_of
from tests.test_rules_disclosure import mutate
from tests.test_rules_disclosure import to_text

GOV_FUND_ROW = "0|0|0||0.00|0.00|0.00"
CLASS_ROW = "201|||一般公共服务支出|1,000.00|600.00|400.00|||"  # 支出总表


def everything(text: str):
    doc, found = parse_text(to_text(text))
    return doc, sorted([*found, *run(doc, Context(profile="disclosure"))], key=lambda f: f.sort_key())


def problems(text: str, before: int = 170):
    """Warnings and errors on the disclosure tables (lines before the target tables)."""
    _, found = everything(text)
    return [(f.location.line, f.code) for f in found
            if f.severity.value != "info" and f.location and f.location.line and f.location.line < before]


def test_base_has_no_problems_on_its_tables():
    assert problems(BASE) == []


# ---------------------------------------------------------------- titles


def test_a_title_repeated_across_every_cell_of_its_row_is_a_title():
    title = "2023年一般公共预算支出情况表"
    text = BASE.replace(f"## {title}\n", f"{title}|{title}|{title}|{title}\n")
    doc, _ = everything(text)
    assert [t.kind for t in doc.tables].count("general_budget_expenditure") == 1
    (t,) = [t for t in doc.tables if t.kind == "general_budget_expenditure"]
    assert t.title == title and len(t.rows) == 6
    assert problems(text) == []


def test_a_row_of_different_cells_is_not_a_title():
    text = BASE.replace("## 2023年一般公共预算支出情况表\n", "2023年一般公共预算支出情况表|说明|附注\n")
    doc, _ = everything(text)
    assert "general_budget_expenditure" not in [t.kind for t in doc.tables]


# ---------------------------------------------------------------- empty tables


@pytest.mark.parametrize("row", ["无||||||", "|||无|||", "/|/|/|/|/|/|/", "无|无|无|无|无|无|无", "无", "—"])
def test_a_table_of_only_a_none_row_and_a_note_is_empty(row):
    text = mutate(GOV_FUND_ROW, row)
    doc, found = everything(text)
    (t,) = [t for t in doc.tables if t.kind == "gov_fund_expenditure"]
    assert t.rows == () and t.empty_statement
    line = line_of(text, row) if "|" in row else next(
        i for i, x in enumerate(text.splitlines(), start=1) if x == row)
    assert [(f.location.line, f.code, f.severity.value) for f in found if f.location and f.location.line == line] == [
        (line, "budget-placeholder-row", "info")]
    assert problems(text) == []


def test_a_data_row_with_one_none_cell_is_still_a_row():
    text = mutate("201|03|50|事业运行|100.00|100.00||||", "201|03|50|事业运行|100.00|100.00|无|||")
    doc, _ = everything(text)
    (t,) = [t for t in doc.tables if t.kind == "expenditure"]
    assert "2010350" in [r.code for r in t.rows]
    assert problems(text) == []


# ---------------------------------------------------------------- one bad cell, one finding


@pytest.mark.parametrize(
    ("old", "new", "code", "how"),
    [
        (CLASS_ROW, "1|||一般公共服务支出|1,000.00|600.00|400.00|||", "201", "科目名称“一般公共服务支出”"),  # 类 printed as 1
        ("201|03|50|事业运行|100.00|100.00||||", "201|03|5O|事业运行|100.00|100.00||||", "2010350", "形近字符"),
        ("|03||政府办公厅（室）及相关机构事务|1,000.00|600.00|400.00|||",
         "|3||政府办公厅（室）及相关机构事务|1,000.00|600.00|400.00|||", "20103", "补足缺失的前导零"),
        ("30102|津贴补贴|200.00|200.00|", "301 2|津贴补贴|200.00|200.00|", "30102", "补足缺失的前导零"),
    ],
)
def test_a_code_cell_the_row_explains_is_read_and_reported_once(old, new, code, how):
    text = mutate(old, new)
    doc, found = everything(text)
    line = line_of(text, new)
    assert problems(text) == [(line, "budget-code-repaired")]
    (f,) = [f for f in found if f.code == "budget-code-repaired"]
    assert f"已按{how}" in f.message and f.message.endswith(f"读作 {code}")
    assert code in [r.code for t in doc.tables if hasattr(t, "rows") for r in t.rows]


def test_an_unreadable_class_is_one_finding_with_the_rows_under_it():
    text = mutate(CLASS_ROW, "2X|||某某支出|1,000.00|600.00|400.00|||")
    for old, new in (("201|03|01|行政运行|500.00|500.00||||", "|03|01|行政运行|500.00|500.00||||"),
                     ("201|03|02|一般行政管理事务|400.00||400.00|||", "|03|02|一般行政管理事务|400.00||400.00|||"),
                     ("201|03|50|事业运行|100.00|100.00||||", "|03|50|事业运行|100.00|100.00||||")):
        text = mutate(old, new, text)
    _, found = everything(text)
    assert problems(text) == [(line_of(text, "2X|||某某支出"), "budget-code-invalid")]
    (f,) = [f for f in found if f.code == "budget-code-invalid"]
    assert f.message.endswith("本行按无编码读取（其下 4 行未印上级编码，一并按无编码读取）")


def test_a_garbled_code_that_the_row_does_not_explain_is_not_guessed():
    # 2X with the name of 201: the digits do not end 201's code, so nothing is read; the class
    # and its rows are not summed (their parents' checks are explained by the unread row)
    text = mutate(CLASS_ROW, "2X|||一般公共服务支出|1,000.00|600.00|400.00|||")
    assert problems(text) == [(line_of(text, "2X|||"), "budget-code-invalid")]


def test_an_unreadable_amount_is_not_counted_into_the_totals_above_it():
    text = mutate("201|03|02|一般行政管理事务|400.00||400.00|||", "201|03|02|一般行政管理事务|4OO.00||400.00|||")
    assert problems(text) == [(line_of(text, "4OO.00"), "amount-unparsed")]
    # the same row with a wrong but readable amount is a real sum error of its parent and its row
    text = mutate("201|03|02|一般行政管理事务|400.00||400.00|||", "201|03|02|一般行政管理事务|450.00||400.00|||")
    assert (line_of(text, "|03||政府办公厅（室）及相关机构事务|1,000.00|600.00|400.00|||"), "amount-sum-mismatch") in problems(text)

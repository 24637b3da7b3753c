"""Rule 22, severity of empty tables: what the 说明 states about an empty or left-out table.

An empty table explained by the 说明 in any of the wordings used (``本部门无政府性基金安排的支出``,
``未安排…``, ``不涉及…``, the amount stated as 0) needs no note of its own; a table left out whose
emptiness the 说明 states is a warning, not an error.
"""

from __future__ import annotations

import pytest

from tests.test_rules_disclosure import BASE
from tests.test_rules_disclosure import check
from tests.test_rules_disclosure import mutate

GF_NOTE = "注：本表反映部门本年度政府性基金预算支出情况，此表如无数字则表示单位无该项支出。"
GF_TEXT = "2023 年本部门无政府性基金安排的支出。"
SANGONG = ("（二）“三公”经费预算：2023 年本部门“三公”经费预算数为 32.00 万元，其中，公务接待费 12.00 万元，公务用车购置及运行费 20.00 万元"
           "（其中，公务用车购置费 0.00 万元，公务用车运行费 20.00 万元），因公出国（境）费 0.00 万元。")


def without(title: str, next_title: str, text: str = BASE) -> str:
    return text[: text.index(title)] + text[text.index(next_title) :]


def without_gov_fund(text: str = BASE) -> str:
    return without("## 2023年政府性基金预算支出情况表", "## 2023年项目支出绩效目标表", text)


@pytest.mark.parametrize(
    "statement",
    [GF_TEXT, "2023年本部门未安排政府性基金预算拨款支出。", "本部门不涉及政府性基金预算支出。", "政府性基金拨款支出预算0万元，比2022年预算持平。",
     "2023年政府性基金预算支出为零。"],
)
def test_a_table_left_out_that_the_text_says_is_empty_is_a_warning(statement):
    text = without_gov_fund(mutate(GF_TEXT, statement))
    (f,) = check(text, codes=("disclosure-table-missing",))
    assert f.severity.value == "warning"
    assert f.message.endswith("文件中没有找到（说明中已称无此项收支；空表也应公开，并注明“本表为空表”）")


@pytest.mark.parametrize("statement", ["政府性基金预算支出情况见下表。", "本部门政府性基金预算支出 10.00 万元。"])
def test_a_table_left_out_without_a_statement_is_an_error(statement):
    text = without_gov_fund(mutate(GF_TEXT, statement))
    (f,) = check(text, codes=("disclosure-table-missing",))
    assert f.severity.value == "error"
    assert f.message.endswith("文件中没有找到")


def test_a_table_with_amounts_left_out_is_an_error():
    text = without("## 2023年一般公共预算“三公”经费支出情况表", "## 2023年政府性基金预算支出情况表")
    (f,) = check(text, codes=("disclosure-table-missing",))
    assert f.severity.value == "error"  # the 说明 states 32.00 万元 of “三公”经费
    zero = mutate(SANGONG, "（二）“三公”经费预算：2023 年本部门“三公”经费预算数为0。", text)
    (f,) = check(zero, codes=("disclosure-table-missing",))
    assert f.severity.value == "warning"


@pytest.mark.parametrize(
    ("statement", "severity"),
    [
        ("2023年本部门未安排政府性基金预算拨款支出。", None),
        (GF_TEXT, None),
        ("政府性基金拨款支出预算0.00万元，比2022年预算持平。", "warning"),  # only a 0: the table lacks its note
        ("政府性基金预算支出情况见下表。", "error"),
    ],
)
def test_an_empty_table_explained_by_the_text(statement, severity):
    text = mutate(GF_TEXT, statement, mutate(GF_NOTE, ""))
    found = check(text, codes=("disclosure-empty-unstated",))
    assert [f.severity.value for f in found] == ([severity] if severity else [])

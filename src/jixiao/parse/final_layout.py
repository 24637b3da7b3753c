"""Layouts of the 部门决算 (final accounts) tables: the 财政部 部门决算公开 table family.

A 决算 table has the kind of the 预算 table it mirrors (a title with 决算 picks these layouts,
``spec_for``); its rows use the same keys, plus:

* 收入支出决算总表 / 财政拨款收入支出决算总表 — two-sided with a 行次 column (``line_no``, kept as
  printed, never an amount); rows 本年收入合计, 使用非财政拨款结余, 年初（财政拨款）结转和结余,
  总计 / 本年支出合计, 结余分配, 年末（财政拨款）结转和结余, 总计. fiscal columns 一般公共预算财政拨款,
  政府性基金预算财政拨款, 国有资本经营预算财政拨款 → ``general_budget``, ``gov_fund``, ``state_capital``.
* 收入决算表 — ``total`` (本年收入合计), ``fiscal`` (财政拨款收入), ``superior``, ``business``,
  ``operating`` (经营收入), ``affiliated`` (附属单位上缴收入), ``other``.
* 支出决算表 — ``total`` (本年支出合计), ``basic``, ``project``, ``remit`` (上缴上级支出),
  ``operating`` (经营支出), ``subsidiary`` (对附属单位补助支出).
* 一般公共预算财政拨款支出决算表 — ``total`` / ``basic`` / ``project`` of 本年支出 (决算数);
  ``budget_initial`` (年初预算数) and ``budget_adjusted`` (调整预算数 / 全年预算数) when printed.
* 一般公共预算财政拨款基本支出决算表 — 科目编码 | 科目名称 | 决算数 (``total``); the 财政部 format
  prints 人员经费 and 公用经费 side by side in repeated column groups: ``unpair`` reads them as one
  list, block after block (人员经费合计 / 公用经费合计 are rows of their own); the flat format
  (合计 | 人员经费 | 公用经费) reads as the budget table.
* “三公”经费支出决算表 — 预算数 and 决算数 blocks: the 决算数 keys are the budget table's
  (``total``, ``abroad``, ``vehicle``, ``vehicle_purchase``, ``vehicle_operation``, ``reception``),
  the 预算数 keys the same with a ``budget_`` prefix.
* 政府性基金预算财政拨款收入支出决算表 / 国有资本经营预算财政拨款支出决算表 — ``opening`` (年初结转和
  结余), ``income`` (本年收入), ``total`` (本年支出) = ``basic`` + ``project``, ``closing`` (年末结转和结余).
"""

from __future__ import annotations

import re
from dataclasses import replace

from jixiao.parse.budget_layout import _FUNC
from jixiao.parse.budget_layout import SPECS
from jixiao.parse.budget_layout import Spec
from jixiao.parse.budget_layout import _spec
from jixiao.parse.segment import Segment
from jixiao.parse.text import norm
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import Row


def is_final(title: str) -> bool:
    """A 决算 table title (收入支出决算总表, 一般公共预算财政拨款支出决算表 …)."""
    return "决算" in norm(title)


_GROUPS = "科目编码 功能分类科目编码 项目 本年支出 决算数 本年决算数 预算数"
# 年初预算数 / 调整预算数 beside the 决算数 (湖南 and other local formats print them in every table)
_BUDGETED = {"budget_initial": r"年初预算数?", "budget_adjusted": r"(调整(后)?|全年)预算数?"}
_FUNDS = {
    "general_budget": r"一般公共预算(财政拨款)?(收入|支出)?",
    "gov_fund": r"政府性基金预算?(财政拨款)?(收入|支出)?",
    "state_capital": r"国有资本经营预算(财政拨款)?(收入|支出)?",
}
_FUND_TABLE = {
    **_FUNC,
    "opening": r"年初(财政拨款)?结转(和|及)?结余",
    "income": r"本年收入(合计)?",
    "total": r"本年支出(合计)?|小计|合计|决算数(合计)?|本年决算数?",
    "basic": r"基本支出",
    "project": r"项目支出",
    "closing": r"年末(财政拨款)?结转(和|及)?结余",
    **_BUDGETED,
}
_SANGONG = {
    "total": r"合计|总计",
    "abroad": r"因公出国\(境\)费(用)?",
    "vehicle": r"公务用车购置及运行(维护)?费(小计)?|小计",
    "vehicle_purchase": r"(其中:?)?(公务用车)?购置(费)?",
    "vehicle_operation": r"(其中:?)?(公务用车)?运行(维护)?费",
    "reception": r"公务接待费",
}

FINAL_SPECS: dict[str, Spec] = {
    "budget_overview": _spec(
        "<name line_no total|name line_no total",
        {"name": r"项目|收入项目|支出项目", "line_no": r"行次", "total": r"金额|决算数|本年决算数?|合计", **_BUDGETED},
        "收入 支出 本年收入 本年支出",
    ),
    "fiscal_overview": _spec(
        "<name line_no total|name line_no total general_budget gov_fund state_capital",
        {"name": r"项目|收入项目|支出项目", "line_no": r"行次", "total": r"金额|合计|小计|决算数", **_FUNDS, **_BUDGETED},
        "收入 支出 财政拨款收入 财政拨款支出 本年收入 本年支出 决算数",
    ),
    "revenue": _spec(
        "cat kuan xiang name total fiscal superior business operating affiliated other",
        {
            **_FUNC,
            "total": r"本年收入合计|合计|收入合计|本年收入",
            "fiscal": r"(本级)?财政拨款收入",
            "superior": r"上级补助收入",
            "business": r"事业收入",
            "operating": r"(事业单位)?经营收入",
            "affiliated": r"附属单位上缴收入",
            "other": r"其[它他]收入",
            **_BUDGETED,
        },
        _GROUPS,
        "functional",
    ),
    "expenditure": _spec(
        "cat kuan xiang name total basic project remit operating subsidiary",
        {
            **_FUNC,
            "total": r"本年支出合计|合计|支出合计|本年支出",
            "basic": r"基本支出",
            "project": r"项目支出",
            "remit": r"上缴上级支出",
            "operating": r"(事业单位)?经营支出",
            "subsidiary": r"对附属单位补助支出",
            **_BUDGETED,
        },
        _GROUPS,
        "functional",
    ),
    "general_budget_expenditure": _spec(
        "cat kuan xiang name total basic project", _FUND_TABLE, _GROUPS, "functional"),
    "gov_fund_expenditure": _spec(
        "cat kuan xiang name opening income total basic project closing", _FUND_TABLE, _GROUPS, "functional"),
    "state_capital_expenditure": _spec(
        "cat kuan xiang name opening income total basic project closing", _FUND_TABLE, _GROUPS, "functional"),
    "basic_expenditure": _spec(
        "code name total personnel public",
        {
            "cat": r"类",
            "kuan": r"款",
            "code": r"(部门预算)?经济(分类)?科目(编码|代码)|科目(编码|代码)|编码",
            "name": r"(部门)?经济(分类)?科目(名称)?|科目名称|名称|项目",
            "total": r"决算数|合计|金额|本年支出|小计",
            "personnel": r"人员(类|经费|支出)",
            "public": r"(日常)?公用(经费|支出)",
            **_BUDGETED,
        },
        _GROUPS,
        "economic",
    ),
    "three_public": replace(
        _spec("total abroad vehicle vehicle_purchase vehicle_operation reception", _SANGONG, ".*三公.*",
              required=("total",)),
        blocks=((re.compile(r"(年初)?预算数?"), "budget_"), (re.compile(r"决算数?|本年决算数?"), "")),
    ),
}


def spec_for(kind: str, title: str) -> Spec:
    """The layout of a table of this kind under this title (a 决算 title: the 决算 layout)."""
    if is_final(title) and kind in FINAL_SPECS:
        return FINAL_SPECS[kind]
    return SPECS[kind]


# ---------------------------------------------------------------- side-by-side blocks

_CODE_CELL = re.compile(r"\d{3}(\d{2})?")
_CODE_LABEL = re.compile(r"(部门预算)?经济(分类)?科目(编码|代码)|科目(编码|代码)|编码")


def unpair(kind: str, pages: list[Segment]) -> list[Segment]:
    """A 决算 基本支出表 printing 人员经费 | 公用经费 as repeated (科目编码 | 科目名称 | 决算数) groups:
    each page's rows as one list, group after group, every cell keeping its printed column.
    Other tables, and a header without repeated groups, are returned as they are."""
    if kind != "basic_expenditure" or not is_final(pages[0].title):
        return pages
    return [_unpair_page(page) for page in pages]


def _unpair_page(page: Segment) -> Segment:
    rows = [line for line in page.lines if isinstance(line, Row)]
    starts: list[int] = []
    header_at = -1
    for k, row in enumerate(rows):
        found = [i for i, t in enumerate(row.texts) if _CODE_LABEL.fullmatch(norm(t))]
        if len(found) >= 2:
            starts, header_at = found, k
            break
    if not starts:
        return page
    bounds = list(zip(starts, [*starts[1:], None]))
    header = rows[header_at]
    before: list[Paragraph | Row] = []
    blocks: list[list[Paragraph | Row]] = [[] for _ in bounds]
    after: list[Paragraph | Row] = []
    seen_header = False
    a0, b0 = bounds[0]
    for line in page.lines:
        if isinstance(line, Row) and not seen_header and rows.index(line) < header_at and len(line.filled) > 1:
            before.append(Row.of_texts(line.texts[a0:b0], line.location.with_column(a0 + 1)))  # 人员经费 | … 公用经费
            continue
        if line is header:
            seen_header = True
            before.append(Row.of_texts(header.texts[a0:b0], header.location.with_column(a0 + 1)))
            continue
        if not seen_header or isinstance(line, Paragraph):
            (after if seen_header else before).append(line)
            continue
        if after:  # text after the rows (notes): whatever follows stays after
            after.append(line)
            continue
        for (a, b), block in zip(bounds, blocks):
            texts = list(line.texts[a:b])
            if len(texts) > 1 and texts[0] and not texts[1] and not _CODE_CELL.fullmatch(norm(texts[0])):
                texts[0], texts[1] = "", texts[0]  # 人员经费合计 merged over the code and name cells
            if any(t.strip() for t in texts):
                block.append(Row.of_texts(texts, line.location.with_column(a + 1)))
    lines = before + [line for block in blocks for line in block] + after
    return Segment(page.kind, page.title, page.location, year=page.year, org=page.org, unit=page.unit, lines=lines,
                   ends_document=page.ends_document)
